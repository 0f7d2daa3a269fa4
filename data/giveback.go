package data

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"time"

	bolt "go.etcd.io/bbolt"
)

// FileSize returns the size of the store file in bytes.
func (s *Store) FileSize() (int64, error) {
	fi, err := os.Stat(s.path)
	if err != nil {
		return 0, fmt.Errorf("store %s: %w", s.path, err)
	}
	return fi.Size(), nil
}

// GiveBack returns the disk space that failed imports took. bbolt never shrinks its file: an
// import that fails (on a full disk, say) is rolled back inside the file, but the file stays
// as large as the import made it, and a full disk stays full, so that even a restore then
// fails. GiveBack puts back the bytes of backup, the automatic backup taken right before those
// imports (BackupBeforeImport), writing them over the store file in place (no more space is
// needed than the file already has) and cutting the file to the backup's size.
//
// The caller must know that nothing but failed imports wrote to the store since that backup
// (the store's lock, held throughout, makes sure no other process did). Their entries in the
// import log are kept (status failed, with why): the Imports list still shows that they
// failed and why. The backup must be a sound store of the same lineage. It returns the bytes
// given back.
func (s *Store) GiveBack(backup string) (int64, error) {
	if s.readOnly {
		return 0, fmt.Errorf("%s: %w", s.path, ErrReadOnly)
	}
	if !s.lockWriter() {
		return 0, fmt.Errorf("give back the space of a failed import: %w", ErrBusy)
	}
	defer s.wmu.Unlock()
	id, err := s.Identity()
	if err != nil {
		return 0, err
	}
	if other := lineageOfFile(backup); other == "" || other != id.ID {
		return 0, fmt.Errorf("give back the space of a failed import: %s is not a backup of %s", backup, s.path)
	}
	b, err := openLocked(backup, Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		return 0, fmt.Errorf("give back the space of a failed import: %w", err)
	}
	cerr := b.Check()
	b.Close()
	if cerr != nil {
		return 0, fmt.Errorf("give back the space of a failed import: %w", cerr)
	}
	before, err := s.FileSize()
	if err != nil {
		return 0, err
	}
	failed, err := s.failedEntries()
	if err != nil {
		return 0, fmt.Errorf("give back the space of a failed import: %w", err)
	}
	if err := s.db.Close(); err != nil {
		return 0, fmt.Errorf("give back the space of a failed import: %w", err)
	}
	werr := overwriteWith(s.path, backup)
	// Reopen whatever happened: the Store stays usable (or says why not).
	db, err := openBolt(s.path, false, time.Second)
	if err != nil {
		if werr != nil {
			err = fmt.Errorf("%w (after: %v)", werr, err)
		}
		return 0, fmt.Errorf("give back the space of a failed import: reopen: %w", err)
	}
	s.db = db
	s.checkedTx.Store(-1)
	if werr != nil {
		return 0, fmt.Errorf("give back the space of a failed import: %w", werr)
	}
	if err := s.keepFailedEntries(failed); err != nil {
		return 0, fmt.Errorf("give back the space of a failed import: the import log lost the failed imports' entries: %w", err)
	}
	after, err := s.FileSize()
	if err != nil {
		return 0, err
	}
	return before - after, nil
}

// failedEntries reads the import log entries of failed imports, by number.
func (s *Store) failedEntries() (map[uint64]importEntry, error) {
	failed := map[uint64]importEntry{}
	err := s.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bktImports).ForEach(func(k, v []byte) error {
			var e importEntry
			if len(k) != 8 || json.Unmarshal(v, &e) != nil || e.Status != StatusFailed {
				return nil
			}
			failed[binaryU64(k)] = e
			return nil
		})
	})
	return failed, err
}

// keepFailedEntries puts back the entries of failed imports that the store (just given back
// to a backup) does not have, without their sequence ranges (the backup may use those
// numbers again), and keeps the import numbers they took from being used again.
func (s *Store) keepFailedEntries(failed map[uint64]importEntry) error {
	return s.update(func(tx *bolt.Tx) error {
		imports, meta := tx.Bucket(bktImports), tx.Bucket(bktMeta)
		last := getU64(meta, keyImportN)
		for n, e := range failed {
			if imports.Get(u64(n)) != nil {
				continue
			}
			e.FirstSeq, e.LastSeq = 0, 0
			if err := putEntry(tx, n, e); err != nil {
				return err
			}
			last = max(last, n)
		}
		return putU64(meta, keyImportN, last)
	})
}

// importRun is what GiveBackAfterFailedImports needs to know of the automatic backup taken
// before a run of imports.
type importRun struct {
	backup  string
	size    int64  // the store file's size when the backup was taken
	imports uint64 // the last import number then
}

// noteRun remembers the backup just taken before a run of imports.
func (s *Store) noteRun(backup string) {
	run := importRun{backup: backup}
	run.size, _ = s.FileSize()
	_ = s.view(func(tx *bolt.Tx) error {
		run.imports = getU64(tx.Bucket(bktMeta), keyImportN)
		return nil
	})
	s.runMu.Lock()
	s.lastRun = run
	s.runMu.Unlock()
}

// GiveBackAfterFailedImports is the one decision the command line and the desktop app share
// after an import fails or is cancelled: when every import since the last automatic backup
// (BackupBeforeImport) failed and the store file grew since that backup, it gives the space
// back (GiveBack), keeping the failed imports' entries in the import log. Otherwise (an import
// of the run was kept, the file did not grow, no backup was taken) it does nothing and returns
// 0. Call it right after the failed run, before anything else writes to the store.
func (s *Store) GiveBackAfterFailedImports() (freed int64, err error) {
	s.runMu.Lock()
	run := s.lastRun
	s.runMu.Unlock()
	if run.backup == "" || s.readOnly {
		return 0, nil
	}
	allFailed := true
	err = s.view(func(tx *bolt.Tx) error {
		c := tx.Bucket(bktImports).Cursor()
		for k, v := c.Seek(u64(run.imports + 1)); k != nil; k, v = c.Next() {
			var e importEntry
			if json.Unmarshal(v, &e) != nil || e.Status != StatusFailed {
				allFailed = false
				return nil
			}
		}
		return nil
	})
	if err != nil || !allFailed {
		return 0, err
	}
	if size, err := s.FileSize(); err != nil || size <= run.size {
		return 0, err
	}
	freed, err = s.GiveBack(run.backup)
	if err == nil {
		s.runMu.Lock()
		s.lastRun = importRun{}
		s.runMu.Unlock()
	}
	return freed, err
}

// overwriteWith writes the bytes of src over the file at path from its start, cuts it to
// src's size and syncs it.
func overwriteWith(path, src string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	n, err := io.Copy(out, in)
	if err == nil {
		err = out.Truncate(n)
	}
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	return err
}
