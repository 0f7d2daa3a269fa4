package data

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"time"

	bolt "go.etcd.io/bbolt"
)

// keyLineage is the meta key of the store's lineage id: 32 hex characters, made when a store
// is first opened read-write and kept by every byte copy (backups, a restore). Backup
// rotation uses it to tell the backups of this store from those of a store that stood at the
// same path before. It is the store id of /work/notes/codec.md ("store_id").
var keyLineage = []byte("store_id")

// ensureLineage gives a store opened read-write a lineage id if it has none yet.
func (s *Store) ensureLineage() error {
	var has bool
	if err := s.view(func(tx *bolt.Tx) error {
		has = len(tx.Bucket(bktMeta).Get(keyLineage)) > 0
		return nil
	}); err != nil || has {
		return err
	}
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return fmt.Errorf("make a store id: %w", err)
	}
	id := hex.EncodeToString(b[:])
	return s.updateTx(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bktMeta)
		if len(meta.Get(keyLineage)) > 0 {
			return nil
		}
		return meta.Put(keyLineage, []byte(id))
	})
}

// Lineage returns the store's lineage id ("" for a store last written by a Sitrep without
// one and opened read-only).
func (s *Store) Lineage() (string, error) {
	var id string
	err := s.view(func(tx *bolt.Tx) error {
		id = string(tx.Bucket(bktMeta).Get(keyLineage))
		return nil
	})
	return id, err
}

// lineageOfFile reads the lineage id of the store file at path without taking its lock (a
// backup is never opened by anyone else): "" when it has none or cannot be read.
func lineageOfFile(path string) string {
	fi, err := os.Stat(path)
	if err != nil || fi.Size() < minStoreSize {
		return ""
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: 200 * time.Millisecond})
	if err != nil {
		return ""
	}
	defer db.Close()
	var id string
	func() {
		defer func() { _ = recover() }() // a damaged backup has no readable id
		_ = db.View(func(tx *bolt.Tx) error {
			if meta := tx.Bucket(bktMeta); meta != nil {
				id = string(meta.Get(keyLineage))
			}
			return nil
		})
	}()
	return id
}

// refuseGone returns ErrStoreGone when backups lie beside a missing (or, with empty, 0-byte)
// store file: the store was lost, and a new one would rotate its backups away.
func refuseGone(path string, empty bool) error {
	list, err := ListBackups(path)
	if err != nil || len(list) == 0 {
		return nil
	}
	what := "is missing"
	if empty {
		what = "is empty (0 bytes)"
	}
	return fmt.Errorf("%s %s: %w (%d backups beside it, newest %s)", path, what, ErrStoreGone, len(list), list[0].Path)
}

// tempPatterns are the temporary files Sitrep writes next to a store; a kill can leave them.
var tempPatterns = []string{".backup-tmp-*", ".restore-tmp-*", ".salvage-tmp-*", ".rollback-tmp-*"}

// cleanTempFiles removes the temporary files a killed backup, restore or salvage left next to
// the store. The caller holds the store's exclusive lock, so none of them is in use.
func cleanTempFiles(path string) {
	for _, pat := range tempPatterns {
		left, err := filepath.Glob(globEscape(path) + pat)
		if err != nil {
			continue
		}
		for _, p := range left {
			os.Remove(p)
		}
	}
}
