package data

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
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

// BackupPath returns the path of automatic backup n (1 is the newest) of the store at path.
func BackupPath(storePath string, n int) string {
	return storePath + ".backup-" + strconv.Itoa(n)
}

// BackupInfo describes one backup file of a store.
type BackupInfo struct {
	// N is the rotation slot (1 newest .. KeepBackups oldest), or 0 for a copy kept by
	// RestoreBackup before it overwrote the store.
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
func BackupBeforeImport(s BackupSource) (string, error) {
	// The open store's lock means no other process is rotating: temporary files left by a
	// backup that a crash interrupted can go.
	if left, err := filepath.Glob(globEscape(s.Path()) + ".backup-tmp-*"); err == nil {
		for _, p := range left {
			os.Remove(p)
		}
	}
	return RotateBackups(s.Path(), s.Backup)
}

// BackupSource is a store that can copy itself: *Store satisfies it.
type BackupSource interface {
	Path() string
	Backup(w io.Writer) (int64, error)
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
// sound Sitrep store (ErrCorrupt, ErrSchemaTooNew). The current file, if any, is first copied to
// PATH.before-restore-TIMESTAMP, which no rotation removes, so a restore never loses data; a
// damaged current file may be restored over. It returns the path of that copy ("" when there
// was no current file).
func RestoreBackup(storePath, src string) (kept string, err error) {
	return restoreBackup(storePath, src, time.Now())
}

// restoreBackup is RestoreBackup with the clock reading that names the kept file.
func restoreBackup(storePath, src string, now time.Time) (kept string, err error) {
	if abs, err := filepath.Abs(storePath); err == nil {
		storePath = abs
	}
	if abs, err := filepath.Abs(src); err == nil {
		src = abs
	}
	if src == storePath {
		return "", fmt.Errorf("restore %s: the backup is the store itself", src)
	}
	// The backup must be a sound store.
	b, err := Open(src, Options{ReadOnly: true})
	if err != nil {
		return "", fmt.Errorf("cannot restore: %w", err)
	}
	cerr := b.Check()
	b.Close()
	if cerr != nil {
		return "", fmt.Errorf("cannot restore: %w", cerr)
	}
	// The store must not be open elsewhere. A damaged current file cannot be open in Sitrep,
	// and replacing it is the point of a restore.
	_, statErr := os.Stat(storePath)
	if statErr == nil {
		// Read-write: its exclusive lock fails while any process, even a reader, has the file.
		cur, err := Open(storePath, Options{})
		switch {
		case err == nil:
			cur.Close()
		case errors.Is(err, ErrLocked):
			return "", err
		case errors.Is(err, ErrCorrupt), errors.Is(err, ErrSchemaTooNew):
		default:
			return "", err
		}
	} else if !errors.Is(statErr, fs.ErrNotExist) {
		return "", fmt.Errorf("restore: %w", statErr)
	}
	// Copy the backup next to the store first, so the final step is one rename.
	tmp, err := copyToTemp(src, storePath)
	if err != nil {
		return "", err
	}
	defer os.Remove(tmp) // no-op once renamed
	if statErr == nil {
		base := storePath + beforeRestoreSuffix + now.UTC().Format("20060102-150405")
		kept = base
		for i := 2; ; i++ { // never replace an earlier copy
			if _, err := os.Lstat(kept); errors.Is(err, fs.ErrNotExist) {
				break
			}
			kept = base + "-" + strconv.Itoa(i)
		}
		if err := os.Rename(storePath, kept); err != nil {
			return "", fmt.Errorf("restore: keep the current store: %w", err)
		}
	}
	if err := os.Rename(tmp, storePath); err != nil {
		if kept != "" {
			_ = os.Rename(kept, storePath)
		}
		return "", fmt.Errorf("restore %s: %w", storePath, err)
	}
	return kept, nil
}

func copyToTemp(src, storePath string) (string, error) {
	in, err := os.Open(src)
	if err != nil {
		return "", fmt.Errorf("restore: %w", err)
	}
	defer in.Close()
	out, err := os.CreateTemp(filepath.Dir(storePath), filepath.Base(storePath)+".restore-tmp-*")
	if err != nil {
		return "", fmt.Errorf("restore: %w", err)
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
		return "", fmt.Errorf("restore: copy %s: %w", src, err)
	}
	return out.Name(), nil
}
