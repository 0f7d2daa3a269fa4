package data

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// failBigImport begins an import of n incidents of 100 bytes of notes and aborts it because
// of why.
func failBigImport(t *testing.T, s *Store, file string, n int, why error) string {
	t.Helper()
	b, err := s.BeginImport(ImportInfo{File: file, Source: "file"})
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		r := Incident{ID: fmt.Sprintf("%s-%d", file, i), Date: MustDate("2025-09-01"), Notes: strings.Repeat("x", 100)}
		if err := b.PutIncident(&r); err != nil {
			t.Fatal(err)
		}
	}
	if err := b.AbortBecause(why); err != nil {
		t.Fatal(err)
	}
	return b.ID()
}

// TestGiveBackAfterFailedImportsKeepsTheLog (issue 14, session 2): the shared decision gives
// the space back only when every import since the automatic backup failed, and the failed
// import stays in the import log, failed, with why, its number not used again.
func TestGiveBackAfterFailedImportsKeepsTheLog(t *testing.T) {
	tests := []struct {
		name      string
		committed bool // an import of the run was kept after the failed one
		wantFreed bool
	}{
		{"every import failed", false, true},
		{"one import of the run was kept", true, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Open(filepath.Join(t.TempDir(), "sitrep.db"), Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			putIncidents(t, s, "A", 10)
			if freed, err := s.GiveBackAfterFailedImports(); freed != 0 || err != nil {
				t.Fatalf("before any backup: %d, %v", freed, err)
			}
			if _, err := BackupBeforeImport(s); err != nil {
				t.Fatal(err)
			}
			grown0, _ := s.FileSize()
			why := errors.New("big.csv: row 30001: write: no space left on device")
			id := failBigImport(t, s, "big.csv", 30000, why)
			if tc.committed {
				putIncidents(t, s, "K", 3)
			}
			grown, _ := s.FileSize()
			if grown <= grown0 {
				t.Fatalf("the failed import did not grow the file")
			}
			freed, err := s.GiveBackAfterFailedImports()
			if err != nil {
				t.Fatal(err)
			}
			if (freed > 0) != tc.wantFreed {
				t.Fatalf("freed %d bytes, want freed=%v", freed, tc.wantFreed)
			}
			if err := s.Check(); err != nil {
				t.Fatal(err)
			}
			log, err := s.Imports()
			if err != nil {
				t.Fatal(err)
			}
			var failed *ImportLog
			for i := range log {
				if log[i].ID == id {
					failed = &log[i]
				}
			}
			if failed == nil || failed.Status != StatusFailed || failed.Error != why.Error() || failed.File != "big.csv" {
				t.Fatalf("import log %+v: want %s failed with %q", log, id, why)
			}
			// The next import takes a new number, and the store works.
			b, err := s.BeginImport(ImportInfo{File: "next.csv", Source: "file"})
			if err != nil {
				t.Fatal(err)
			}
			if b.ID() <= id {
				t.Errorf("next import %s reuses a number up to the failed %s", b.ID(), id)
			}
			if _, err := b.Commit(); err != nil {
				t.Fatal(err)
			}
			if freed, err := s.GiveBackAfterFailedImports(); freed != 0 || err != nil {
				t.Errorf("second call: %d, %v; want nothing to give back", freed, err)
			}
		})
	}
}

// TestAbortKeepsWhy: an aborted import's log entry says why; without a reason it says it was
// abandoned.
func TestAbortKeepsWhy(t *testing.T) {
	s, err := Open(filepath.Join(t.TempDir(), "sitrep.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	idWhy := failBigImport(t, s, "a.csv", 5, errors.New("a.csv: row 3: killed: NaN is not a number"))
	idNil := failBigImport(t, s, "b.csv", 5, nil)
	log, err := s.Imports()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{idWhy: "a.csv: row 3: killed: NaN is not a number", idNil: "abandoned before it was committed"}
	for _, e := range log {
		if w, ok := want[e.ID]; ok && (e.Status != StatusFailed || e.Error != w) {
			t.Errorf("%s: %s %q, want failed %q", e.ID, e.Status, e.Error, w)
		}
	}
}
