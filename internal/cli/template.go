package cli

import (
	"errors"
	"fmt"
	"io"
	"time"

	"sitrep/data"
	"sitrep/importers"
)

// runTemplate implements `sitrep template [--db PATH] --out FILE.xlsx [--force]`. The stance
// drop-down offers the store's vocabulary when the store exists, else the default one.
func runTemplate(e *env, args []string) error {
	out := e.out
	fs := e.flags()
	db := dbFlag(fs)
	path := fs.String("out", "", "workbook to write (.xlsx)")
	force := fs.Bool("force", false, "replace FILE if it exists")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError("unexpected argument %q (the file goes after --out)", fs.Arg(0))
	}
	if err := checkOut(*path, *force, ".xlsx"); err != nil {
		return err
	}
	vocab, note, err := templateVocabulary(db())
	if err != nil {
		return err
	}
	err = writeFile(*path, func(w io.Writer) error {
		return importers.WriteTemplate(w, vocab)
	})
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(out, "Wrote %s: sheets %s, %s and %s, and %q with instructions; %s.\n", *path,
		importers.SheetIncidents, importers.SheetStatements, importers.SheetTallies, importers.SheetReadMe, note)
	return err
}

// templateVocabulary returns the stance vocabulary for the template, and says which it is:
// the store's when the store exists and can be read, else the default (a store open in the
// desktop app is not waited for).
func templateVocabulary(storeFile string) (data.Vocabulary, string, error) {
	if !fileExists(storeFile) {
		return data.DefaultVocabulary(), "default stance words (no store at " + storeFile + ")", nil
	}
	st, err := data.Open(storeFile, data.Options{ReadOnly: true, Timeout: 200 * time.Millisecond})
	if errors.Is(err, data.ErrLocked) {
		return data.DefaultVocabulary(), "default stance words (the store is open in another Sitrep process)", nil
	}
	if err != nil {
		return nil, "", err
	}
	defer st.Close()
	v, err := st.Vocabulary()
	if err != nil {
		return nil, "", fmt.Errorf("reading the stance vocabulary of %s: %w", storeFile, err)
	}
	return v, "stance words from " + storeFile, nil
}
