package data

import (
	"fmt"
	"io"
	"os"
	"time"
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
// (the store's lock, held throughout, makes sure no other process did); their entries in the
// import log go with them. The backup must be a sound store of the same lineage. It returns
// the bytes given back.
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
	after, err := s.FileSize()
	if err != nil {
		return 0, err
	}
	return before - after, nil
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
