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
