package importers

import (
	"context"
	"path/filepath"
	"testing"

	"sitrep/data"
)

// TestImportKeepsItsAudit: a committed import keeps its audit (mapping, problems, counts)
// with the store, under its import id, for the import log to show again later; a dry run
// keeps nothing.
func TestImportKeepsItsAudit(t *testing.T) {
	st, err := data.Open(filepath.Join(t.TempDir(), "s.db"), data.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	path := writeFile(t, "strikes.csv", []byte("id,date,theatre,killed\nA-1,2025-09-02,Caribbean,3\nA-2,not a date,Caribbean,2\nA-3,2025-09-04,Caribbean,lots\n"))
	rep, err := ImportFile(context.Background(), st, path, Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.ImportID == "" {
		t.Fatal("no import id")
	}
	kept, ok, err := LoadReport(st, rep.ImportID)
	if err != nil || !ok {
		t.Fatalf("audit not kept: %v %v", ok, err)
	}
	if len(kept.Sheets) != len(rep.Sheets) || len(kept.Sheets) == 0 {
		t.Fatalf("kept %d sheets, want %d", len(kept.Sheets), len(rep.Sheets))
	}
	got, want := kept.Sheets[0], rep.Sheets[0]
	if len(got.Problems) != len(want.Problems) || len(want.Problems) == 0 {
		t.Errorf("kept %d problems, want %d (> 0)", len(got.Problems), len(want.Problems))
	}
	if len(got.Mapping) == 0 || got.Mapping["date"] != want.Mapping["date"] || got.Inserted != want.Inserted {
		t.Errorf("kept mapping %v (inserted %d), want %v (%d)", got.Mapping, got.Inserted, want.Mapping, want.Inserted)
	}
	dry, err := ImportFile(context.Background(), st, path, Options{DryRun: true}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := LoadReport(st, dry.ImportID); ok && dry.ImportID != "" {
		t.Error("a dry run's audit was kept")
	}
	if _, ok, err := LoadReport(st, "imp-999999"); ok || err != nil {
		t.Errorf("unknown import: %v %v", ok, err)
	}
}
