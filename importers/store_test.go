package importers

import (
	"context"
	"path/filepath"
	"testing"

	"sitrep/data"
)

func TestLoadDemoIsOneIdempotentImport(t *testing.T) {
	st, err := data.Open(filepath.Join(t.TempDir(), "demo.db"), data.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for round, want := range []struct{ inserted, unchanged int }{{29, 0}, {0, 29}} {
		rep, err := LoadDemo(context.Background(), st, data.DefaultVocabulary())
		if err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		var ins, same int
		for _, f := range rep.Files {
			if f.Status == StatusFailed {
				t.Fatalf("round %d: %s failed: %s", round, f.Path, f.Error)
			}
			for _, s := range f.Sheets {
				ins += s.Inserted
				same += s.Unchanged
				if s.Rejected != 0 {
					t.Errorf("round %d: %s rejected %d rows: %+v", round, f.Path, s.Rejected, s.Problems)
				}
			}
		}
		if ins != want.inserted || same != want.unchanged {
			t.Errorf("round %d: inserted %d, unchanged %d; want %d, %d", round, ins, same, want.inserted, want.unchanged)
		}
	}
	logs, err := st.Imports()
	if err != nil {
		t.Fatal(err)
	}
	if len(logs) != 2 || logs[0].Source != SourceDemo || logs[1].Source != SourceDemo {
		t.Fatalf("import log = %+v, want two demo imports", logs)
	}
	stats, err := st.Stats(data.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if stats.Incidents != 17 || stats.KilledMin != 79 || stats.Statements != 8 || stats.Tallies != 4 || stats.SurvivorsMin != 3 {
		t.Errorf("demo stats = %+v", stats)
	}
	// Undoing the first import removes all three tables at once.
	if err := st.UndoImport(logs[1].ID); err != nil {
		t.Fatal(err)
	}
	if stats, _ = st.Stats(data.Filter{}); stats.Incidents != 0 || stats.Statements != 0 || stats.Tallies != 0 {
		t.Errorf("after undo: %+v", stats)
	}
}
