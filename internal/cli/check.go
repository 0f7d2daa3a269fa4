package cli

import (
	"errors"
	"fmt"

	"sitrep/data"
)

// runCheck implements `sitrep check [--db PATH]`: bbolt's consistency check of the whole store
// and the checksum of every stored record (data.Store.Check, the check every import and backup
// runs first). A damaged store exits 1 with what is wrong, naming damaged records, and the way
// out (sitrep salvage, sitrep restore).
func runCheck(e *env, args []string) error {
	fs := e.flags()
	db := dbFlag(fs)
	if err := e.parseNoArgs(fs, args); err != nil {
		return err
	}
	path := db()
	st, err := openStore(path, true)
	if err != nil {
		if errors.Is(err, data.ErrCorrupt) {
			return fmt.Errorf("%w; %s", err, wayOut(path))
		}
		return err
	}
	defer st.Close()
	if err := st.Check(); err != nil {
		return fmt.Errorf("%w; %s", err, wayOut(path))
	}
	s, err := st.Stats(data.Filter{})
	if err != nil {
		return fmt.Errorf("%w; %s", err, wayOut(path))
	}
	_, err = fmt.Fprintf(e.out, "%s is sound: %d incidents, %d statements, %d tallies\n", st.Path(), s.Incidents, s.Statements, s.Tallies)
	return err
}

// wayOut says what to do with a damaged store.
func wayOut(path string) string {
	return fmt.Sprintf("copy every readable record to a new store with: sitrep salvage --db %s --out NEW.db, or go back to a backup with: sitrep restore --db %s --list",
		QuoteArg(path), QuoteArg(path))
}
