package data

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"sitrep/internal/storetest"
)

// Issue 14, defect 4: a reader started while an import grows the file said "not a Sitrep
// store, or damaged (the file is truncated)": Open looked at the file's size before it held
// the lock. It now waits for the lock first.
func TestOpenWhileAnotherGrowsTheFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sitrep.db")
	w, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	putIncidents(t, w, "A", 10)
	type result struct {
		st  *Store
		err error
	}
	got := make(chan result, 1)
	go func() {
		st, err := Open(path, Options{ReadOnly: true, Timeout: time.Minute})
		got <- result{st, err}
	}()
	time.Sleep(100 * time.Millisecond) // let the reader start waiting (ordering only)
	before, _ := os.Stat(path)
	putIncidents(t, w, "B", 20000)
	after, _ := os.Stat(path)
	if after.Size() <= before.Size() {
		t.Fatalf("the file did not grow (%d -> %d bytes)", before.Size(), after.Size())
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	r := <-got
	if r.err != nil {
		t.Fatalf("reader: %v", r.err)
	}
	defer r.st.Close()
	if st, err := r.st.Stats(Filter{}); err != nil || st.Incidents != 20010 {
		t.Errorf("reader sees %d incidents (%v), want 20010", st.Incidents, err)
	}
}

// Issue 14, defect 2: restore held no lock between its check and its renames, renamed the
// store away before renaming the backup in (a moment, and after a kill a state, with no
// store file), and replaced a symbolic link instead of the file it points to.
func TestRestoreHoldsTheLockAndReplacesInOneRename(t *testing.T) {
	dir := t.TempDir()
	real := filepath.Join(dir, "data", "real.db")
	s, err := Open(real, Options{})
	if err != nil {
		t.Fatal(err)
	}
	putIncidents(t, s, "A", 3)
	if _, err := BackupBeforeImport(s); err != nil {
		t.Fatal(err)
	}
	putIncidents(t, s, "B", 4)
	backup := BackupPath(real, 1)
	s.Close()
	link := filepath.Join(dir, "link.db")
	if err := os.Symlink(filepath.Join("data", "real.db"), link); err != nil {
		t.Skipf("symlink: %v", err)
	}
	var stages []string
	restoreHook = func(stage string) {
		stages = append(stages, stage)
		// Whatever the stage, another opener must wait: the lock is held throughout.
		if st, err := Open(link, Options{Timeout: 50 * time.Millisecond}); !errors.Is(err, ErrLocked) {
			if err == nil {
				st.Close()
			}
			t.Errorf("stage %s: Open = %v, want ErrLocked", stage, err)
		}
		if fi, err := os.Stat(real); err != nil || fi.Size() == 0 {
			t.Errorf("stage %s: no store file: %v", stage, err)
		}
	}
	t.Cleanup(func() { restoreHook = nil })
	kept, err := RestoreBackup(link, backup)
	if err != nil {
		t.Fatal(err)
	}
	if len(stages) < 2 {
		t.Errorf("hook stages %q", stages)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("the link was replaced: %v %v", fi.Mode(), err)
	}
	if !strings.HasPrefix(kept, real+".before-restore-") {
		t.Errorf("kept = %s, want it next to %s", kept, real)
	}
	if n := incidentCount(t, link); n != 3 {
		t.Errorf("store has %d incidents after restore, want 3", n)
	}
	if n := incidentCount(t, kept); n != 7 {
		t.Errorf("kept copy has %d incidents, want 7", n)
	}
}

// Issue 14, defect 3: an import into a missing or emptied store silently made a new one, and
// three imports rotated the old store's backups away.
func TestGoneStoreIsNotRecreatedAndItsLastBackupStays(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sitrep.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	ident, err := s.Identity()
	oldID := ident.ID
	if err != nil || len(oldID) != 32 {
		t.Fatalf("store id %q, %v", oldID, err)
	}
	for k := range 3 {
		if _, err := BackupBeforeImport(s); err != nil {
			t.Fatal(err)
		}
		putIncidents(t, s, fmt.Sprintf("OLD%d", k), 5)
	}
	s.Close()
	for _, gone := range []string{"empty", "missing"} {
		if gone == "empty" {
			if err := os.Truncate(path, 0); err != nil {
				t.Fatal(err)
			}
		} else if err := os.Remove(path); err != nil {
			t.Fatal(err)
		}
		_, err := Open(path, Options{})
		if !errors.Is(err, ErrStoreGone) || !strings.Contains(err.Error(), "restore one, or pass --new") {
			t.Fatalf("%s store: Open = %v, want ErrStoreGone", gone, err)
		}
	}
	// With New, a new store is made, and however many imports follow, the last backup of the
	// old store is kept.
	s, err = Open(path, Options{New: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for k := range 5 {
		if _, err := BackupBeforeImport(s); err != nil {
			t.Fatal(err)
		}
		putIncidents(t, s, fmt.Sprintf("NEW%d", k), 1)
	}
	list, err := ListBackups(path)
	if err != nil {
		t.Fatal(err)
	}
	var old []BackupInfo
	for _, b := range list {
		if lineageOfFile(b.Path) == oldID {
			old = append(old, b)
		}
	}
	if len(old) != 1 || old[0].N != 0 || incidentCount(t, old[0].Path) != 10 {
		t.Fatalf("backups of the old store: %+v (all: %+v)", old, list)
	}
}

// Issue 14, defect 9: a 4 KB file gave bbolt's raw "file size too small".
func TestTinyFileIsNotAStore(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tiny.db")
	if err := os.WriteFile(path, bytes.Repeat([]byte{1}, 4096), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, ro := range []bool{false, true} {
		_, err := Open(path, Options{ReadOnly: ro})
		if !errors.Is(err, ErrCorrupt) || strings.Contains(err.Error(), "file size too small") || !strings.Contains(err.Error(), "4096 bytes") {
			t.Errorf("read-only %v: Open = %v", ro, err)
		}
	}
}

// Issue 14, defect 9: temporary files a killed backup or restore left were never removed.
func TestOpenRemovesTemporaryFilesLeftByAKill(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sitrep.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	left := []string{path + ".backup-tmp-123", path + ".restore-tmp-456", path + ".salvage-tmp-7"}
	for _, p := range left {
		if err := os.WriteFile(p, []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	other := filepath.Join(filepath.Dir(path), "other.db.backup-tmp-1")
	os.WriteFile(other, []byte("x"), 0o600)
	s, err = Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, p := range left {
		if _, err := os.Stat(p); err == nil {
			t.Errorf("%s is still there", filepath.Base(p))
		}
	}
	if _, err := os.Stat(other); err != nil {
		t.Errorf("another store's temporary file was removed")
	}
}

// Issue 14, defect 5: a store damaged inside was written to by import (and backed up over
// good backups). Import and backup now refuse it, and Salvage copies what can be read.
func TestDamagedStoreIsRefusedForWritingAndSalvaged(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "sitrep.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.BeginImport(ImportInfo{File: "a.csv", Source: "file"})
	if err != nil {
		t.Fatal(err)
	}
	const n = 3000
	for i := range n {
		r := Incident{ID: fmt.Sprintf("S-%05d", i), Date: MustDate("2025-09-01"), Theatre: "Caribbean",
			Killed: Exactly(i % 7), Notes: "salvage-marker " + strings.Repeat("n", 200)}
		if err := b.PutIncident(&r); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := b.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := s.SetSetting("k", []byte("v")); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if err := storetest.DamageLeaf(path, "salvage-marker"); err != nil {
		t.Fatal(err)
	}

	s, err = Open(path, Options{}) // the damage is deep inside: Open does not see it
	if err != nil {
		t.Fatal(err)
	}
	if _, err := BackupBeforeImport(s); !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "sitrep salvage") {
		t.Errorf("backup of a damaged store: %v", err)
	}
	if _, err := os.Stat(BackupPath(path, 1)); err == nil {
		t.Errorf("a damaged store was backed up")
	}
	if _, err := s.BeginImport(ImportInfo{File: "b.csv", Source: "file"}); !errors.Is(err, ErrCorrupt) {
		t.Errorf("import into a damaged store: %v", err)
	}
	s.Close()

	out := filepath.Join(dir, "salvaged.db")
	rep, err := Salvage(path, out)
	if err != nil {
		t.Fatal(err)
	}
	got := rep.Copied[KindIncident]
	if got == 0 || got >= n || rep.Skipped == 0 {
		t.Fatalf("salvage report %+v: want some but not all of %d incidents, and a skipped stretch", rep, n)
	}
	checkFile(t, out)
	ns, err := Open(out, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ns.Close()
	if st, _ := ns.Stats(Filter{}); st.Incidents != got {
		t.Errorf("salvaged store has %d incidents, report says %d", st.Incidents, got)
	}
	if v, ok, _ := ns.Setting("k"); !ok || string(v) != "v" {
		t.Errorf("setting k = %q %v", v, ok)
	}
	if r, err := ns.Incident("S-00000"); err != nil || r.Notes[:14] != "salvage-marker" {
		t.Errorf("S-00000: %v", err)
	}
	if _, err := Salvage(path, out); err == nil {
		t.Errorf("salvage over an existing file succeeded")
	}
}

// Issue 14, defect 8: a failed import left the store file grown (a full disk stayed full).
// GiveBack puts the pre-import backup's bytes back in place and cuts the file.
func TestGiveBackAfterAFailedImport(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sitrep.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	putIncidents(t, s, "A", 10)
	backup, err := BackupBeforeImport(s)
	if err != nil {
		t.Fatal(err)
	}
	size0, _ := s.FileSize()
	b, err := s.BeginImport(ImportInfo{File: "big.csv", Source: "file"})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 30000 {
		r := Incident{ID: fmt.Sprintf("B-%d", i), Date: MustDate("2025-09-01"), Notes: strings.Repeat("x", 100)}
		if err := b.PutIncident(&r); err != nil {
			t.Fatal(err)
		}
	}
	if err := b.Abort(); err != nil {
		t.Fatal(err)
	}
	grown, _ := s.FileSize()
	if grown <= size0 {
		t.Fatalf("the aborted import did not grow the file (%d -> %d)", size0, grown)
	}
	freed, err := s.GiveBack(backup)
	if err != nil {
		t.Fatal(err)
	}
	after, _ := s.FileSize()
	bi, _ := os.Stat(backup)
	if after != bi.Size() || freed != grown-after || after >= grown {
		t.Errorf("sizes: before %d, grown %d, after %d (backup %d), freed %d", size0, grown, after, bi.Size(), freed)
	}
	if err := s.Check(); err != nil {
		t.Fatal(err)
	}
	if st, _ := s.Stats(Filter{}); st.Incidents != 10 {
		t.Errorf("%d incidents after give-back, want 10", st.Incidents)
	}
	putIncidents(t, s, "C", 5) // still usable
	if st, _ := s.Stats(Filter{}); st.Incidents != 15 {
		t.Errorf("%d incidents, want 15", st.Incidents)
	}
	other := filepath.Join(t.TempDir(), "other.db")
	o, err := Open(other, Options{})
	if err != nil {
		t.Fatal(err)
	}
	o.Close()
	if _, err := s.GiveBack(other); err == nil {
		t.Errorf("GiveBack accepted the file of another store")
	}
}
