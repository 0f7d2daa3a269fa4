package data

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// putIncidents commits n incidents with ids PREFIX-0.. in one import.
func putIncidents(t *testing.T, s *Store, prefix string, n int) {
	t.Helper()
	b, err := s.BeginImport(ImportInfo{File: prefix + ".csv", Source: "file"})
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		r := Incident{ID: fmt.Sprintf("%s-%d", prefix, i), Date: MustDate("2025-09-01"), Theatre: "Caribbean", Killed: Exactly(1)}
		if err := b.PutIncident(&r); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := b.Commit(); err != nil {
		t.Fatal(err)
	}
}

func incidentCount(t *testing.T, path string) int {
	t.Helper()
	s, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	defer s.Close()
	st, err := s.Stats(Filter{})
	if err != nil {
		t.Fatal(err)
	}
	return st.Incidents
}

func TestRotateBackupsKeepsLastThree(t *testing.T) {
	s := openTestStore(t)
	path := s.Path()
	// Before import k (k = 1..5) the store holds k-1 imports of one incident each.
	for k := 1; k <= 5; k++ {
		got, err := BackupBeforeImport(s)
		if err != nil {
			t.Fatal(err)
		}
		if got != BackupPath(path, 1) {
			t.Errorf("backup %d written to %s", k, got)
		}
		putIncidents(t, s, fmt.Sprintf("I%d", k), 1)
	}
	list, err := ListBackups(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != KeepBackups {
		t.Fatalf("ListBackups: %d backups, want %d: %+v", len(list), KeepBackups, list)
	}
	for i, b := range list {
		if b.N != i+1 || b.Path != BackupPath(path, i+1) {
			t.Errorf("backup %d: %+v", i, b)
		}
		// backup-1 was taken before import 5 (4 incidents), backup-3 before import 3.
		if got, want := incidentCount(t, b.Path), 4-i; got != want {
			t.Errorf("%s holds %d incidents, want %d", filepath.Base(b.Path), got, want)
		}
	}
	if _, err := os.Stat(BackupPath(path, 4)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("backup-4 exists: %v", err)
	}
	leftovers, _ := filepath.Glob(path + ".backup-tmp-*")
	if len(leftovers) > 0 {
		t.Errorf("temporary files left: %v", leftovers)
	}
}

func TestRestoreBackup(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "sitrep.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	putIncidents(t, s, "A", 3)
	if _, err := BackupBeforeImport(s); err != nil {
		t.Fatal(err)
	}
	putIncidents(t, s, "B", 4)

	// Refused while the store is open.
	if _, err := RestoreBackup(path, BackupPath(path, 1)); !errors.Is(err, ErrLocked) {
		t.Errorf("restore while open: %v, want ErrLocked", err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	// A damaged backup is refused and nothing changes.
	bad := filepath.Join(dir, "bad.db")
	if err := os.WriteFile(bad, []byte("not a store at all, just some bytes"), 0o600); err != nil {
		t.Fatal(err)
	}
	before := fileBytes(t, path)
	if _, err := RestoreBackup(path, bad); !errors.Is(err, ErrCorrupt) {
		t.Errorf("restore from garbage: %v, want ErrCorrupt", err)
	}
	assertUnchanged(t, path, before)

	kept, err := RestoreBackup(path, BackupPath(path, 1))
	if err != nil {
		t.Fatal(err)
	}
	if got := incidentCount(t, path); got != 3 {
		t.Errorf("restored store holds %d incidents, want 3", got)
	}
	if got := incidentCount(t, kept); got != 7 {
		t.Errorf("kept copy %s holds %d incidents, want 7", kept, got)
	}
	list, err := ListBackups(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0].N != 1 || list[1].N != 0 || list[1].Path != kept {
		t.Errorf("ListBackups after restore: %+v", list)
	}
	checkFile(t, path)

	// A damaged store can be restored over.
	if err := os.WriteFile(path, before[:len(before)/3], 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(path, Options{ReadOnly: true}); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("truncated store opened: %v", err)
	}
	if _, err := RestoreBackup(path, BackupPath(path, 1)); err != nil {
		t.Fatalf("restore over a damaged store: %v", err)
	}
	if got := incidentCount(t, path); got != 3 {
		t.Errorf("restored store holds %d incidents, want 3", got)
	}
}

func TestCheck(t *testing.T) {
	s := openTestStore(t)
	putIncidents(t, s, "C", 50)
	if err := s.Check(); err != nil {
		t.Errorf("Check on a sound store: %v", err)
	}
}

// TestRestoreTwiceInOneSecondKeepsBoth: two restores at the same clock second keep both
// previous files.
func TestRestoreTwiceInOneSecondKeepsBoth(t *testing.T) {
	at := MustDate("2025-09-01").Time()
	dir := t.TempDir()
	path := filepath.Join(dir, "sitrep.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	putIncidents(t, s, "A", 1)
	if _, err := BackupBeforeImport(s); err != nil {
		t.Fatal(err)
	}
	s.Close()
	k1, err := restoreBackup(path, BackupPath(path, 1), at)
	if err != nil {
		t.Fatal(err)
	}
	k2, err := restoreBackup(path, BackupPath(path, 1), at)
	if err != nil {
		t.Fatal(err)
	}
	if k1 == k2 {
		t.Fatalf("both restores kept the previous file as %s", k1)
	}
	for _, k := range []string{k1, k2} {
		if got := incidentCount(t, k); got != 1 {
			t.Errorf("%s holds %d incidents, want 1", k, got)
		}
	}
}
