package cli

import (
	"context"
	"fmt"

	"sitrep/importers"
)

func runDemo(e *env, args []string) error {
	out := e.out
	fs := e.flags()
	db := dbFlag(fs)
	newStore := fs.Bool("new", false, "make a new store even though the store file is missing or empty and backups of it lie beside it")
	if err := e.parseNoArgs(fs, args); err != nil {
		return err
	}
	st, err := openStoreForWriting(db(), *newStore)
	if err != nil {
		return err
	}
	defer st.Close()
	// Loading the demo is an import like any other: a backup first.
	if err := backupBeforeImport(st); err != nil {
		return err
	}
	vocab, err := st.Vocabulary()
	if err != nil {
		return err
	}
	rep, err := importers.LoadDemo(context.Background(), st, vocab)
	if err != nil {
		return err
	}
	var ins, upd, same int
	for _, f := range rep.Files {
		for _, s := range f.Sheets {
			ins, upd, same = ins+s.Inserted, upd+s.Updated, same+s.Unchanged
		}
	}
	fmt.Fprintf(out, "Demo data loaded into %s: %d records added, %d updated, %d already there.\n", st.Path(), ins, upd, same)
	fmt.Fprintln(out, "It is an approximate reconstruction of press reports up to 10 November 2025, for demonstration only.")
	return nil
}
