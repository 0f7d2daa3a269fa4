package data

import (
	"encoding/json"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// DemoDrawn reports whether any current record of kind k that f selects came from the demo
// data (a committed demo import), so that a chart says "demo data" only when it draws some.
// It reads only the versions the demo imports wrote (their sequence range), not the store.
// A demo record edited in Sitrep or revised by a later import is no longer demo data.
func (s *Store) DemoDrawn(k Kind, f Filter) (bool, error) {
	match, err := matcher(k, f)
	if err != nil {
		return false, err
	}
	found := false
	err = s.view(func(tx *bolt.Tx) error {
		kb, err := kindOf(tx, k)
		if err != nil {
			return err
		}
		v := newView(tx)
		rec := newRecord(k)
		return tx.Bucket(bktImports).ForEach(func(key, val []byte) error {
			if found {
				return nil
			}
			var e importEntry
			if err := json.Unmarshal(val, &e); err != nil {
				return fmt.Errorf("import log entry %x: %w (%v)", key, ErrCorrupt, err)
			}
			if e.Source != "demo" || e.Status != StatusCommitted || e.FirstSeq == 0 {
				return nil
			}
			c := kb.rec.Cursor()
			for sk, sv := c.Seek(u64(e.FirstSeq)); sk != nil && binaryU64(sk) <= e.LastSeq; sk, sv = c.Next() {
				g := versionG(sv)
				if g != binaryU64(key) || !v.visible(kb, sk, g) {
					continue
				}
				if err := decodeBorrowed(k, sv, rec); err != nil {
					return fmt.Errorf("%s at %x: %w", k, sk, err)
				}
				if match(rec) {
					found = true
					return nil
				}
			}
			return nil
		})
	})
	return found, err
}
