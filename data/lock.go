package data

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// lockSuffix names the lock file next to a store: PATH.lock. Every Open, and RestoreBackup,
// holds it (shared to read, exclusive to write or replace the store) for as long as it uses
// the store. bbolt's own lock is on the store file, and a lock on a file cannot protect the
// moment a restore renames another file into its place: a process that opened the old file
// would wait for its lock and then write into the file that had just been moved away. The lock
// file is never renamed or removed, so everyone waits on the same one.
const lockSuffix = ".lock"

// storeLock is a held lock on PATH.lock.
type storeLock struct {
	f *os.File
}

// LockPath returns the lock file of the store at storePath (symbolic links resolved, so that
// every name of one store shares one lock).
func LockPath(storePath string) string { return realPath(storePath) + lockSuffix }

// acquireLock takes the lock of the store at path: exclusive to write or replace it, shared
// to read it, waiting up to timeout. Another holder gives ErrLocked. A folder where no lock
// file can be made (read-only media) gives a nil lock when shared is enough: a read-only
// store on a CD needs no lock.
func acquireLock(path string, exclusive bool, timeout time.Duration) (*storeLock, error) {
	lp := LockPath(path)
	f, err := os.OpenFile(lp, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil && !exclusive {
		f, err = os.Open(lp)
		if err != nil {
			return nil, nil // cannot make a lock file: rely on bbolt's shared lock alone
		}
	}
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("open store %s: %w", path, err)
		}
		return nil, fmt.Errorf("lock store %s: %w", path, err)
	}
	deadline := time.Now().Add(timeout)
	for {
		ok, err := tryLockFile(f, exclusive)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("lock store %s: %w", path, err)
		}
		if ok {
			return &storeLock{f: f}, nil
		}
		if time.Now().After(deadline) {
			f.Close()
			return nil, fmt.Errorf("%s %w (close it there first)", path, ErrLocked)
		}
		time.Sleep(25 * time.Millisecond)
	}
}

// release lets go of the lock (closing the file releases it).
func (l *storeLock) release() {
	if l != nil && l.f != nil {
		unlockFile(l.f)
		l.f.Close()
		l.f = nil
	}
}

// realPath resolves the symbolic links of path (all of them, also a link whose target does not
// exist yet), so that a restore replaces the file a link points to, not the link. Without links
// it returns the absolute path.
func realPath(path string) string {
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	for range 40 { // as many links as Linux follows
		fi, err := os.Lstat(path)
		if err != nil || fi.Mode()&os.ModeSymlink == 0 {
			break
		}
		target, err := os.Readlink(path)
		if err != nil {
			break
		}
		if !filepath.IsAbs(target) {
			target = filepath.Join(filepath.Dir(path), target)
		}
		path = filepath.Clean(target)
	}
	if dir, err := filepath.EvalSymlinks(filepath.Dir(path)); err == nil {
		path = filepath.Join(dir, filepath.Base(path))
	}
	return path
}
