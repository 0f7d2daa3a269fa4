package data

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// KeepBackups is how many automatic backups are kept next to a store: PATH.backup-1 (newest)
// to PATH.backup-3 (oldest).
const KeepBackups = 3

// beforeRestoreSuffix names the copy of the current file that Restore keeps before it
// overwrites the store: PATH.before-restore-20060102-150405. These are never rotated away.
const beforeRestoreSuffix = ".before-restore-"

// otherStoreSuffix names a backup that rotation would have removed but kept because it is the
// last one of another store (another lineage) that stood at the same path:
// PATH.other-store-IDPREFIX-20060102-150405. These are never rotated away.
const otherStoreSuffix = ".other-store-"

// keepOtherLineage moves the oldest rotation slot out of rotation when it is the last backup
// of a store other than the one now backed up (lineage id newID): a store lost and recreated
// at the same path must not see the backups of the old one rotate away.
func keepOtherLineage(storePath, newID string) error {
	oldest := BackupPath(storePath, KeepBackups)
	if _, err := os.Stat(oldest); err != nil {
		return nil
	}
	oldID := lineageOfFile(oldest)
	if oldID == newID {
		return nil
	}
	list, err := ListBackups(storePath)
	if err != nil {
		return fmt.Errorf("rotate backups of %s: %w", storePath, err)
	}
	for _, b := range list {
		if b.Path != oldest && lineageOfFile(b.Path) == oldID {
			return nil // another backup of that store stays
		}
	}
	short := oldID
	if len(short) > 8 {
		short = short[:8]
	}
	if short == "" {
		short = "unknown"
	}
	dst := storePath + otherStoreSuffix + short + "-" + time.Now().UTC().Format("20060102-150405")
	if err := os.Rename(oldest, dst); err != nil {
		return fmt.Errorf("rotate backups of %s: keep the last backup of another store: %w", storePath, err)
	}
	return nil
}

// BackupPath returns the path of automatic backup n (1 is the newest) of the store at path.
func BackupPath(storePath string, n int) string {
	return storePath + ".backup-" + strconv.Itoa(n)
}

// BackupInfo describes one backup file of a store.
type BackupInfo struct {
	// N is the rotation slot (1 newest .. KeepBackups oldest), or 0 for a copy kept by
	// RestoreBackup before it overwrote the store, or for the last backup of another store
	// that rotation kept.
	N       int
	Path    string
	Size    int64
	ModTime time.Time
}

// RotateBackups writes a new backup of the store at storePath with write (usually
// Store.Backup) and rotates the older ones: backup-1 becomes backup-2 and so on, and the
// oldest beyond KeepBackups is removed. The new copy is written to a temporary file and synced
// before anything is rotated, so a failure or a crash never leaves fewer good backups than
// before. It returns the path of the new backup.
func RotateBackups(storePath string, write func(io.Writer) (int64, error)) (string, error) {
	tmp, err := os.CreateTemp(filepath.Dir(storePath), filepath.Base(storePath)+".backup-tmp-*")
	if err != nil {
		return "", fmt.Errorf("back up %s: %w", storePath, err)
	}
	tmpName := tmp.Name()
	ok := false
	defer func() {
		if !ok {
			tmp.Close()
			os.Remove(tmpName)
		}
	}()
	if _, err := write(tmp); err != nil {
		return "", fmt.Errorf("back up %s: %w", storePath, err)
	}
	if err := tmp.Sync(); err != nil {
		return "", fmt.Errorf("back up %s: %w", storePath, err)
	}
	if err := tmp.Close(); err != nil {
		return "", fmt.Errorf("back up %s: %w", storePath, err)
	}
	if err := keepOtherLineage(storePath, lineageOfFile(tmpName)); err != nil {
		return "", err
	}
	for n := KeepBackups - 1; n >= 1; n-- {
		err := os.Rename(BackupPath(storePath, n), BackupPath(storePath, n+1))
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return "", fmt.Errorf("rotate backups of %s: %w", storePath, err)
		}
	}
	dst := BackupPath(storePath, 1)
	if err := os.Rename(tmpName, dst); err != nil {
		return "", fmt.Errorf("back up %s: %w", storePath, err)
	}
	ok = true
	return dst, nil
}

// BackupBeforeImport makes the automatic backup taken before every import (see
// RotateBackups). The CLI's import command and the GUI's import flow call it right before
// they begin an import; it returns the path of the new backup.
func BackupBeforeImport(s *Store) (string, error) { return s.BackupBeforeImport() }

// BackupBeforeImport is the package function BackupBeforeImport as a method, so that the
// app's store interface (which *Store satisfies) offers it.
func (s *Store) BackupBeforeImport() (string, error) {
	// The open store's lock means no other process is rotating: temporary files left by a
	// backup that a crash interrupted can go.
	if left, err := filepath.Glob(globEscape(s.path) + ".backup-tmp-*"); err == nil {
		for _, p := range left {
			os.Remove(p)
		}
	}
	// A damaged store is not backed up: its copy would rotate a good backup away.
	if err := s.checkOnce(); err != nil {
		return "", err
	}
	path, err := RotateBackups(s.path, s.Backup)
	if err == nil {
		s.noteRun(path)
	}
	return path, err
}

// ListBackups returns the backups of the store at storePath: the rotation slots that exist,
// newest first, then the copies RestoreBackup kept, newest first.
func ListBackups(storePath string) ([]BackupInfo, error) {
	var out []BackupInfo
	for n := 1; n <= KeepBackups; n++ {
		p := BackupPath(storePath, n)
		fi, err := os.Stat(p)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("list backups: %w", err)
		}
		out = append(out, BackupInfo{N: n, Path: p, Size: fi.Size(), ModTime: fi.ModTime()})
	}
	kept, err := filepath.Glob(globEscape(storePath) + beforeRestoreSuffix + "*")
	if err != nil {
		return nil, fmt.Errorf("list backups: %w", err)
	}
	others, err := filepath.Glob(globEscape(storePath) + otherStoreSuffix + "*")
	if err != nil {
		return nil, fmt.Errorf("list backups: %w", err)
	}
	kept = slices.DeleteFunc(append(kept, others...), func(p string) bool {
		return strings.HasSuffix(p, lockSuffix) || strings.Contains(p, "-tmp-")
	})
	sort.Sort(sort.Reverse(sort.StringSlice(kept)))
	for _, p := range kept {
		fi, err := os.Stat(p)
		if err != nil {
			continue
		}
		out = append(out, BackupInfo{Path: p, Size: fi.Size(), ModTime: fi.ModTime()})
	}
	return out, nil
}

func globEscape(s string) string {
	r := strings.NewReplacer(`*`, `\*`, `?`, `\?`, `[`, `\[`)
	if filepath.Separator == '\\' {
		return s // '\' is the separator on Windows and cannot escape; names rarely hold * ? [
	}
	return r.Replace(s)
}

// RestoreBackup replaces the store at storePath with the backup file src. It refuses (with
// ErrLocked) while the store is open in another process, and refuses a src that is not a
// sound Sitrep store (ErrCorrupt, ErrSchemaTooNew). The current file, if any, is first kept as
// PATH.before-restore-TIMESTAMP, which no rotation removes, so a restore never loses data; a
// damaged current file may be restored over. It returns the path of that copy ("" when there
// was no current file).
//
// The store's lock (LockPath) is held from the check that nobody has the store open to the
// last rename, so an import cannot slip in between. The store file is replaced by one rename:
// there is no moment without a store file, and a kill at any point leaves either the old store
// or the restored one (plus, from the first step on, the kept copy). When storePath is a
// symbolic link, the file it points to is replaced and the link stays.
func RestoreBackup(storePath, src string) (kept string, err error) {
	return restoreBackup(storePath, src, time.Now())
}

// restoreBackup is RestoreBackup with the clock reading that names the kept file.
func restoreBackup(storePath, src string, now time.Time) (kept string, err error) {
	storePath = realPath(storePath)
	if abs, err := filepath.Abs(src); err == nil {
		src = abs
	}
	if realPath(src) == storePath {
		return "", fmt.Errorf("restore %s: the backup is the store itself", src)
	}
	// The backup must be a sound store. Backups have no lock file: bbolt's shared lock is
	// enough to read one.
	b, err := openLocked(src, Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		return "", fmt.Errorf("cannot restore: %w", err)
	}
	cerr := b.Check()
	b.Close()
	if cerr != nil {
		return "", fmt.Errorf("cannot restore: %w", cerr)
	}
	lock, err := acquireLock(storePath, true, time.Second)
	if err != nil {
		return "", err
	}
	defer lock.release()
	// A Sitrep from before the lock file holds only bbolt's lock on the store itself.
	if err := checkUnlocked(storePath); err != nil {
		return "", err
	}
	if restoreHook != nil {
		restoreHook("locked")
	}
	// Copy the backup next to the store first, so the final step is one rename.
	tmp, err := copyToTemp(src, storePath, ".restore-tmp-*")
	if err != nil {
		return "", fmt.Errorf("restore: %w", err)
	}
	defer os.Remove(tmp) // no-op once renamed
	if fi, err := os.Stat(storePath); err == nil {
		if fi.Size() > 0 { // an emptied store file has nothing to keep
			if kept, err = keepCurrent(storePath, now); err != nil {
				return "", err
			}
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("restore: %w", err)
	}
	if restoreHook != nil {
		restoreHook("kept")
	}
	if err := os.Rename(tmp, storePath); err != nil {
		return kept, fmt.Errorf("restore %s: %w", storePath, err)
	}
	syncDir(filepath.Dir(storePath))
	if restoreHook != nil {
		restoreHook("renamed")
	}
	return kept, nil
}

// keepCurrent keeps the current store file as PATH.before-restore-TIMESTAMP: a second name
// for the same file (a hard link: instant, no space), or a copy where links are not
// supported. The store file itself stays in place until the restore's rename.
func keepCurrent(storePath string, now time.Time) (string, error) {
	base := storePath + beforeRestoreSuffix + now.UTC().Format("20060102-150405")
	kept := base
	for i := 2; ; i++ { // never replace an earlier copy
		if _, err := os.Lstat(kept); errors.Is(err, fs.ErrNotExist) {
			break
		}
		kept = base + "-" + strconv.Itoa(i)
	}
	if err := os.Link(storePath, kept); err == nil {
		syncDir(filepath.Dir(storePath))
		return kept, nil
	}
	tmp, err := copyToTemp(storePath, storePath, ".restore-tmp-*")
	if err != nil {
		return "", fmt.Errorf("restore: keep the current store: %w", err)
	}
	if err := os.Rename(tmp, kept); err != nil {
		os.Remove(tmp)
		return "", fmt.Errorf("restore: keep the current store: %w", err)
	}
	return kept, nil
}

// checkUnlocked fails with ErrLocked when a process holds bbolt's lock on the store file.
func checkUnlocked(storePath string) error {
	f, err := os.OpenFile(storePath, os.O_RDWR, 0)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	defer f.Close()
	ok, err := tryLockFile(f, true)
	if err != nil {
		return nil // no locks on this file system: the lock file is all there is
	}
	if !ok {
		return fmt.Errorf("%s %w (close it there first)", storePath, ErrLocked)
	}
	unlockFile(f)
	return nil
}

// syncDir makes renames in dir durable (where the system allows it).
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
}

// copyToTemp copies src to a new temporary file (named by pattern) next to storePath, synced,
// and returns its name.
func copyToTemp(src, storePath, pattern string) (string, error) {
	in, err := os.Open(src)
	if err != nil {
		return "", err
	}
	defer in.Close()
	out, err := os.CreateTemp(filepath.Dir(storePath), filepath.Base(storePath)+pattern)
	if err != nil {
		return "", err
	}
	_, err = io.Copy(out, in)
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(out.Name())
		return "", fmt.Errorf("copy %s: %w", src, err)
	}
	return out.Name(), nil
}

// restoreHook, when set (tests), is called at each stage of RestoreBackup that holds the lock.
var restoreHook func(stage string)
