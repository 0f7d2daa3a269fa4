package data

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	bolt "go.etcd.io/bbolt"
)

// lineageOfFile reads the lineage id (the store id of identity.go, kept by every byte copy) of the store file at path without taking its lock (a
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
				id = string(meta.Get(keyStoreID))
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
