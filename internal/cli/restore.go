package cli

import (
	"fmt"
	"io"
	"strconv"

	"sitrep/data"
)

// restoreUsage is the synopsis of `sitrep restore`.
const restoreUsage = "sitrep restore [--db PATH] [--list] [N|FILE]"

// backupBeforeImport makes the rotating backup (the last data.KeepBackups) that every import
// is preceded by. The import command calls it after opening the store, unless --dry-run.
func backupBeforeImport(st *data.Store) error {
	if _, err := data.BackupBeforeImport(st); err != nil {
		return fmt.Errorf("backup before import (nothing imported): %w", err)
	}
	return nil
}

func runRestore(e *env, args []string) error {
	out := e.out
	fs := e.flags()
	db := dbFlag(fs)
	list := fs.Bool("list", false, "list the backups (the default without N or FILE)")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	path := db()
	if fs.NArg() > 1 {
		return usageError("one backup at a time (usage: %s)", restoreUsage)
	}
	if *list || fs.NArg() == 0 {
		if fs.NArg() > 0 {
			return usageError("--list takes no backup (usage: %s)", restoreUsage)
		}
		return listBackups(out, path)
	}
	src := fs.Arg(0)
	if n, err := strconv.Atoi(src); err == nil {
		if n < 1 || n > data.KeepBackups {
			return usageError("backup %d does not exist: backups are numbered 1 (newest) to %d", n, data.KeepBackups)
		}
		src = data.BackupPath(path, n)
	}
	kept, err := data.RestoreBackup(path, src)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "restored %s from %s\n", path, src)
	if kept != "" {
		fmt.Fprintf(out, "the previous store was kept as %s\n", kept)
	}
	return nil
}

func listBackups(out io.Writer, path string) error {
	list, err := data.ListBackups(path)
	if err != nil {
		return err
	}
	if len(list) == 0 {
		_, err := fmt.Fprintf(out, "no backups of %s yet (one is made before every import)\n", path)
		return err
	}
	fmt.Fprintf(out, "backups of %s (restore with: sitrep restore N or sitrep restore FILE):\n", path)
	for _, b := range list {
		n := "-"
		if b.N > 0 {
			n = strconv.Itoa(b.N)
		}
		fmt.Fprintf(out, "%3s  %s  %10d bytes  %s\n", n, b.ModTime.Local().Format("2006-01-02 15:04:05"), b.Size, b.Path)
	}
	return nil
}
