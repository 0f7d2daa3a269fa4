package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"sitrep/data"
)

// copyFile copies a closed store file.
func copyFile(t *testing.T, src, dst string) {
	t.Helper()
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// withStore opens the store, runs fn and closes it.
func withStore(t *testing.T, db string, fn func(s *data.Store)) {
	t.Helper()
	s, err := data.Open(db, data.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	fn(s)
}

func mustRun(t *testing.T, args ...string) string {
	t.Helper()
	code, out, errOut := runCLI(t, args...)
	if code != 0 {
		t.Fatalf("sitrep %s: exit %d: %s", strings.Join(args, " "), code, errOut)
	}
	return out
}

// TestKnownOnCommandsEqualCopy copies the store at an instant T, goes on importing, editing,
// deleting and undoing, then checks that stats, export and positions with --known-on T give
// exactly what the copy gives, and that charts say which knowledge time they show.
func TestKnownOnCommandsEqualCopy(t *testing.T) {
	dir := t.TempDir()
	db := demoDB(t)
	upd := writeCSV(t, dir, "upd.csv", "id,date,theatre,killed\nUS-2025-04,2025-09-15,Caribbean,40\nX-1,2025-10-20,Caribbean,2\n")
	mustRun(t, "import", "--db", db, upd)
	var imp2 string
	withStore(t, db, func(s *data.Store) {
		logs, _ := s.Imports()
		imp2 = logs[0].ID
		r, err := s.Incident("US-2025-06")
		if err != nil {
			t.Fatal(err)
		}
		r.Notes = "checked"
		if err := s.SaveIncident(&r); err != nil {
			t.Fatal(err)
		}
	})
	copyPath := filepath.Join(dir, "copy.db")
	copyFile(t, db, copyPath)
	at := time.Now()
	for !time.Now().After(at) {
		time.Sleep(time.Millisecond)
	}
	withStore(t, db, func(s *data.Store) {
		if err := s.Delete(data.KindIncident, "US-2025-05"); err != nil {
			t.Fatal(err)
		}
		if err := s.UndoImport(imp2); err != nil {
			t.Fatal(err)
		}
		r, _ := s.Incident("US-2025-07")
		r.Killed = data.Exactly(70)
		if err := s.SaveIncident(&r); err != nil {
			t.Fatal(err)
		}
		sts, _ := s.Statements(data.Filter{})
		if err := s.Delete(data.KindStatement, sts[0].ID); err != nil {
			t.Fatal(err)
		}
	})
	mustRun(t, "import", "--db", db, writeCSV(t, dir, "upd2.csv", "id,date,killed\nX-2,2025-11-02,3\n"))
	known := at.Format(time.RFC3339Nano)

	// stats --json: the same fields and figures.
	for _, extra := range [][]string{nil, {"--theatre", "Caribbean"}, {"--search", "a"}, {"--from", "2025-09-15", "--to", "2025-10-31"}} {
		want := mustRun(t, append([]string{"stats", "--json", "--db", copyPath}, extra...)...)
		got := mustRun(t, append([]string{"stats", "--json", "--db", db, "--known-on", known}, extra...)...)
		if got != want {
			t.Errorf("stats --json %v --known-on T:\n got %s\nwant %s", extra, got, want)
		}
		if now := mustRun(t, append([]string{"stats", "--json", "--db", db}, extra...)...); now == want && extra == nil {
			t.Error("the store did not change after T: the test proves nothing")
		}
	}
	// export: the same rows, byte for byte (CSV, one kind at a time).
	for _, kind := range []string{"incidents", "statements", "tallies"} {
		w, g := filepath.Join(dir, "want-"+kind+".csv"), filepath.Join(dir, "got-"+kind+".csv")
		mustRun(t, "export", "--db", copyPath, "--kind", kind, "--out", w)
		out := mustRun(t, "export", "--db", db, "--kind", kind, "--out", g, "--known-on", known)
		if a, b := readFile(t, w), readFile(t, g); a != b {
			t.Errorf("export %s --known-on T differs from the copy's", kind)
		}
		if !strings.Contains(out, "as known on") {
			t.Errorf("export output does not say the knowledge time: %q", out)
		}
	}
	// positions --json: the same grid, which says its knowledge time.
	want := positionsOf(t, mustRun(t, "positions", "--json", "--db", copyPath))
	got := positionsOf(t, mustRun(t, "positions", "--json", "--db", db, "--known-on", known))
	if got["known_on"] == nil {
		t.Error("positions --json --known-on has no known_on")
	}
	delete(got, "known_on")
	if !reflect.DeepEqual(got, want) {
		t.Errorf("positions --known-on T differs from the copy's:\n got %v\nwant %v", got, want)
	}
	// chart: the caption says the knowledge time (SVG text), and the data are the copy's.
	svg := filepath.Join(dir, "deaths.svg")
	mustRun(t, "chart", "--db", db, "--kind", "deaths", "--out", svg, "--known-on", "2025-11-06 18:00")
	if !strings.Contains(readFile(t, svg), "as known on 6 Nov 2025, 18:00") {
		t.Error("the chart's caption does not say 'as known on 6 Nov 2025, 18:00'")
	}
	// A bad --known-on is a usage error.
	if code, _, errOut := runCLI(t, "stats", "--db", db, "--known-on", "last tuesday"); code != 2 || !strings.Contains(errOut, "--known-on") {
		t.Errorf("bad --known-on: exit %d, %q", code, errOut)
	}
}

func readFile(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func positionsOf(t *testing.T, js string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(js), &m); err != nil {
		t.Fatalf("%v: %s", err, js)
	}
	return m
}
