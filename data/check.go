package data

import (
	"errors"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// maxCheckErrors bounds how many of bbolt's findings Check reports.
const maxCheckErrors = 5

// Check runs bbolt's consistency check over the whole file (page tree, freelist, no page
// referenced twice) in one read transaction. A finding gives an error wrapping ErrCorrupt that
// names the file and the first few problems; nil means the file is sound.
func (s *Store) Check() error {
	var found []error
	err := s.view(func(tx *bolt.Tx) error {
		for cerr := range tx.Check() {
			if len(found) < maxCheckErrors {
				found = append(found, cerr)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("check %s: %w", s.path, err)
	}
	if len(found) > 0 {
		return fmt.Errorf("%s: %w (consistency check: %v)", s.path, ErrCorrupt, errors.Join(found...))
	}
	return nil
}

// CheckForWrite is the check that runs before every import writes and before every automatic
// backup: bbolt's consistency check of the page tree and the freelist (Check). A damaged store
// is refused for writing, so that neither the import nor its backup spreads the damage (the
// backup would rotate a good one away); `sitrep check` says what is wrong and `sitrep salvage`
// copies every readable record to a new store. Measured on a store of a million incidents
// (see BenchmarkCheck1M and /work/notes/issue-14.md).
func (s *Store) CheckForWrite() error {
	if err := s.Check(); err != nil {
		return fmt.Errorf("%w; the store was not changed: run \"sitrep check\" for details and \"sitrep salvage --out NEW.db\" to copy every readable record to a new store", err)
	}
	return nil
}

// checkOnce runs CheckForWrite unless the store passed it and nothing was written since (the
// automatic backup checks right before the import begins: one check serves both).
func (s *Store) checkOnce() error {
	var txid int
	if err := s.view(func(tx *bolt.Tx) error { txid = tx.ID(); return nil }); err != nil {
		return err
	}
	if s.checkedTx.Load() == int64(txid) {
		return nil
	}
	if err := s.CheckForWrite(); err != nil {
		return err
	}
	s.checkedTx.Store(int64(txid))
	return nil
}
