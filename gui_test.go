package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sitrep/app"
	"sitrep/data"
)

func TestDemoLoadsOnceAsDemo(t *testing.T) {
	path := os.Getenv("SITREP_WRITE_DEMO_STORE") // lets a developer keep the store for screenshots
	if path == "" {
		path = filepath.Join(t.TempDir(), "demo.db")
	}
	st, err := openGUIStore(path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	s := st.(guiStore)
	opts := app.Options{}
	addServices(&opts)
	if err := opts.LoadDemo(context.Background(), st); err != nil {
		t.Fatal(err)
	}
	stats, err := s.Stats(data.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if stats.Incidents != 17 || stats.KilledMin != 79 || stats.KilledMax != 79 || stats.Statements != 8 || stats.Tallies != 4 {
		t.Fatalf("demo totals = %+v", stats.Totals)
	}
	if demo, _ := s.HasDemoData(); !demo {
		t.Fatal("HasDemoData false after loading the demo")
	}
	logs, err := st.Imports()
	if err != nil || len(logs) != 1 || logs[0].Source != "demo" || logs[0].Inserted != 29 {
		t.Fatalf("import log = %+v, %v", logs, err)
	}
	// Loading it again changes nothing.
	if err := opts.LoadDemo(context.Background(), st); err != nil {
		t.Fatal(err)
	}
	logs, _ = st.Imports()
	if logs[0].Inserted != 0 || logs[0].Unchanged != 29 {
		t.Fatalf("second load = %+v", logs[0])
	}
}

func TestSecondWindowReportsLocked(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.db")
	st, err := openGUIStore(path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	_, err = openGUIStore(path)
	if !errors.Is(err, data.ErrLocked) {
		t.Fatalf("second open: %v", err)
	}
	if txt := startErrorText(path, err); !strings.Contains(txt, "open in another Sitrep window") {
		t.Fatalf("text = %q", txt)
	}
}

// TestWriteBigStore fills the store named by SITREP_WRITE_BIG_STORE with a million synthetic
// incidents (for measuring the GUI's startup and scrolling); it is skipped otherwise.
func TestWriteBigStore(t *testing.T) {
	path := os.Getenv("SITREP_WRITE_BIG_STORE")
	if path == "" {
		t.Skip("set SITREP_WRITE_BIG_STORE=/path/to/big.db to write the million-incident store")
	}
	st, err := openGUIStore(path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	s := st.(guiStore)
	b, err := s.BeginImport(data.ImportInfo{File: "synthetic-1M.csv", Source: "file"})
	if err != nil {
		t.Fatal(err)
	}
	theatres := []string{"Caribbean", "Eastern Pacific", "Gulf of Mexico", "Atlantic"}
	confs := data.Confidences
	start := data.Day(2015, 1, 1).DayNumber()
	for i := 0; i < 1_000_000; i++ {
		d := data.DateFromDayNumber(start + i/250)
		r := &data.Incident{ID: fmt.Sprintf("S-%07d", i), Date: d, Theatre: theatres[i%4],
			Location: fmt.Sprintf("Grid square %d", i%5000), Actor: "United States", Target: "Boat",
			Vessels: data.Exactly(1 + i%3), Killed: data.Between(i%7, i%7+i%3), Survivors: data.Exactly(i % 2),
			Confidence: confs[i%3], AnnouncedBy: "Synthetic", Source: "generated for the startup measurement",
			Provenance: data.Provenance{File: "synthetic-1M.csv", Row: i + 2}}
		if err := b.PutIncident(r); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := b.Commit(); err != nil {
		t.Fatal(err)
	}
}
