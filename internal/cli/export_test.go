package cli

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"sitrep/data"
	"sitrep/importers"
	"sitrep/internal/demotest"
)

// exportTestStore makes a store holding a few records of each kind and returns its path.
func exportTestStore(t *testing.T) string {
	t.Helper()
	return demotest.Store(t, "file", demotest.Records{
		Incidents: []data.Incident{
			{ID: "C-1", Date: data.MustDate("2025-09-02"), Theatre: "Caribbean", Killed: data.Exactly(11),
				Source: "=cmd|' /C calc'!A0", Lat: -3.5, Lon: -66, HasCoords: true},
			{ID: "C-2", Date: data.MustDate("2025-10-03"), Theatre: "Caribbean", Killed: data.Between(3, 4)},
			{ID: "P-1", Date: data.MustDate("2025-10-21"), Theatre: "Eastern Pacific", Killed: data.AtLeast(2)},
		},
		Statements: []data.Statement{{ID: "S-1", Date: data.MustDate("2025-09-03"), Actor: "UN",
			Stance: "condemns", Quote: "+unacceptable"}},
		Tallies: []data.Tally{{ID: "T-1", AsOf: data.MustDate("2025-11-06"), Claimant: "JS",
			Scope: data.ScopeAll, Strikes: data.Exactly(16), Killed: data.AtLeast(66)}},
	})
}

func TestExportCommandXLSX(t *testing.T) {
	db := exportTestStore(t)
	out := filepath.Join(t.TempDir(), "all.xlsx")
	code, stdout, stderr := runCLI(t, "export", "--db", db, "--out", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if want := "Exported 3 incidents, 1 statements, 1 tallies to " + out; !strings.Contains(stdout, want) {
		t.Errorf("stdout %q, want %q", stdout, want)
	}
	f, err := excelize.OpenFile(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := strings.Join(f.GetSheetList(), ","); got != "Incidents,Statements,Tallies" {
		t.Fatalf("sheets %s", got)
	}
	rows, err := f.GetRows("Incidents")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 4 || rows[1][0] != "C-1" || rows[3][0] != "P-1" {
		t.Errorf("incident rows %v", rows)
	}
	if v, _ := f.GetCellValue("Incidents", "N2"); v != "'=cmd|' /C calc'!A0" {
		t.Errorf("source N2 = %q, want it neutralised", v)
	}
	if v, _ := f.GetCellValue("Statements", "H2"); v != "'+unacceptable" {
		t.Errorf("quote H2 = %q, want it neutralised", v)
	}
}

func TestExportCommandCSVAndFilters(t *testing.T) {
	db := exportTestStore(t)
	dir := t.TempDir()
	tests := []struct {
		name string
		args []string
		ids  []string
	}{
		{"all incidents", []string{"--kind", "incidents"}, []string{"C-1", "C-2", "P-1"}},
		{"theatre", []string{"--kind", "incidents", "--theatre", "Eastern Pacific"}, []string{"P-1"}},
		{"two theatres", []string{"--kind", "incidents", "--theatre", "Eastern Pacific", "--theatre", "caribbean"}, []string{"C-1", "C-2", "P-1"}},
		{"from", []string{"--kind", "incidents", "--from", "2025-10"}, []string{"C-2", "P-1"}},
		{"to", []string{"--kind", "incidents", "--to", "2025-10-03"}, []string{"C-1", "C-2"}},
		{"statements", []string{"--kind", "statements"}, []string{"S-1"}},
		{"tallies by theatre", []string{"--kind", "tallies", "--theatre", "Caribbean"}, []string{"T-1"}},
		{"tallies out of range", []string{"--kind", "tallies", "--to", "2025-10"}, nil},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := filepath.Join(dir, strings.ReplaceAll(tt.name, " ", "_")+".csv")
			code, _, stderr := runCLI(t, append([]string{"export", "--db", db, "--out", out}, tt.args...)...)
			if code != 0 {
				t.Fatalf("case %d: exit %d: %s", i, code, stderr)
			}
			b, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\uFEFF")))).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, r := range recs[1:] {
				ids = append(ids, r[0])
			}
			if strings.Join(ids, ",") != strings.Join(tt.ids, ",") {
				t.Errorf("ids %v, want %v", ids, tt.ids)
			}
			if recs[0][0] != "id" {
				t.Errorf("header %v", recs[0])
			}
		})
	}
}

func TestExportCommandErrors(t *testing.T) {
	db := exportTestStore(t)
	dir := t.TempDir()
	existing := filepath.Join(dir, "old.xlsx")
	os.WriteFile(existing, []byte("keep"), 0o644)
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"no out", []string{"--db", db}, 2, "--out FILE is required"},
		{"bad extension", []string{"--db", db, "--out", filepath.Join(dir, "x.txt")}, 2, "must end in .xlsx or .csv"},
		{"csv without kind", []string{"--db", db, "--out", filepath.Join(dir, "x.csv")}, 2, "add --kind"},
		{"unknown kind", []string{"--db", db, "--out", filepath.Join(dir, "x.xlsx"), "--kind", "boats"}, 2, `--kind "boats"`},
		{"bad date", []string{"--db", db, "--out", filepath.Join(dir, "x.xlsx"), "--from", "9/2/2025"}, 2, "--from"},
		{"reversed dates", []string{"--db", db, "--out", filepath.Join(dir, "x.xlsx"), "--from", "2025-10", "--to", "2025-09"}, 2, "before --from"},
		{"no store", []string{"--db", filepath.Join(dir, "none.db"), "--out", filepath.Join(dir, "x.xlsx")}, 1, "no store at"},
		{"existing file", []string{"--db", db, "--out", existing}, 1, "already exists"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runCLI(t, append([]string{"export"}, tt.args...)...)
			if code != tt.code || !strings.Contains(stderr, tt.stderr) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, stderr, tt.code, tt.stderr)
			}
		})
	}
	if b, _ := os.ReadFile(existing); string(b) != "keep" {
		t.Errorf("existing file changed")
	}
	if _, err := os.Stat(filepath.Join(dir, "none.db")); err == nil {
		t.Errorf("export created a store")
	}
}

// TestExportThenImport runs `sitrep export` and then `sitrep import` of the file into an
// empty store: the records are the same.
func TestExportThenImport(t *testing.T) {
	db := exportTestStore(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "all.xlsx")
	if code, _, stderr := runCLI(t, "export", "--db", db, "--out", out); code != 0 {
		t.Fatalf("export: exit %d: %s", code, stderr)
	}
	db2 := filepath.Join(dir, "copy.db")
	if code, stdout, stderr := runCLI(t, "import", "--db", db2, out); code != 0 {
		t.Fatalf("import: exit %d: %s\n%s", code, stderr, stdout)
	}
	a, err := data.Open(db, data.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := data.Open(db2, data.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	strip := func(v any) string {
		j, _ := json.Marshal(v)
		var m []map[string]any
		json.Unmarshal(j, &m)
		for _, r := range m {
			delete(r, "provenance")
		}
		j, _ = json.Marshal(m)
		return string(j)
	}
	ia, _ := a.Incidents(data.Filter{})
	ib, _ := b.Incidents(data.Filter{})
	sa, _ := a.Statements(data.Filter{})
	sb, _ := b.Statements(data.Filter{})
	ta, _ := a.Tallies(data.Filter{})
	tb, _ := b.Tallies(data.Filter{})
	for _, c := range []struct {
		what      string
		got, want any
	}{{"incidents", ib, ia}, {"statements", sb, sa}, {"tallies", tb, ta}} {
		if g, w := strip(c.got), strip(c.want); g != w || g == "null" {
			t.Errorf("%s after export and import:\n got %s\nwant %s", c.what, g, w)
		}
	}
}

func TestExportSaysDemoData(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "demo.db")
	loadDemo(t, db)
	code, stdout, stderr := runCLI(t, "export", "--db", db, "--out", filepath.Join(dir, "d.xlsx"))
	if code != 0 {
		t.Fatalf("export: exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "Exported 17 incidents, 8 statements, 4 tallies") || !strings.Contains(stdout, "demo data") {
		t.Errorf("stdout %q: want the counts and a demo-data note", stdout)
	}
	code, stdout, _ = runCLI(t, "export", "--db", exportTestStore(t), "--out", filepath.Join(dir, "n.xlsx"))
	if code != 0 || strings.Contains(stdout, "demo data") {
		t.Errorf("exit %d, stdout %q: no demo-data note for a store without it", code, stdout)
	}
}

func TestExportPositionsCLI(t *testing.T) {
	db := demotest.StatementStore(t, demotest.Statements(t), "demo")
	out := filepath.Join(t.TempDir(), "positions.xlsx")
	code, _, stderr := runCLI(t, "export", "--db", db, "--kind", "positions", "--out", out, "--as-of", "2025-11-12", "--since", "2025-11-01")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	f, err := excelize.OpenFile(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := strings.Join(f.GetSheetList(), "|"); got != importers.PositionsSheet+"|"+importers.PositionsStatementsSheet+"|"+importers.PositionsChangesSheet {
		t.Errorf("sheets = %s", got)
	}
	v, _ := f.GetCellValue(importers.PositionsSheet, "B5")
	if !strings.HasPrefix(v, "defends") || !strings.Contains(v, "Pete Hegseth") {
		t.Errorf("B5 = %q", v)
	}
	caption, _ := f.GetCellValue(importers.PositionsSheet, "A2")
	if !strings.Contains(caption, "Demo data") {
		t.Errorf("caption = %q", caption)
	}
}

// TestExportOneFlagSet: -h lists the options of every kind (positions included), and an
// option of one kind given to another is a usage error.
func TestExportOneFlagSet(t *testing.T) {
	code, stdout, _ := runCLI(t, "export", "-h")
	if code != 0 {
		t.Fatalf("export -h: exit %d", code)
	}
	for _, opt := range []string{"-kind", "-out", "-force", "-from", "-to", "-theatre", "-actor", "-topic", "-confidence",
		"-search", "-title", "-as-of", "-since", "-max-actors", "-db", "-known-on"} {
		if !strings.Contains(stdout, "  "+opt+" ") && !strings.Contains(stdout, "  "+opt+"\n") {
			t.Errorf("export -h does not list %s:\n%s", opt, stdout)
		}
	}
	if !strings.Contains(stdout, "incidents|positions|statements|store|tallies") {
		t.Errorf("export -h does not name the kinds:\n%s", stdout)
	}
	db := exportTestStore(t)
	dir := t.TempDir()
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--kind", "incidents", "--as-of", "2025-11-01", "--out", filepath.Join(dir, "a.csv")}, "--as-of does not apply"},
		{[]string{"--title", "T", "--out", filepath.Join(dir, "b.xlsx")}, "--title does not apply"},
		{[]string{"--kind", "positions", "--theatre", "Caribbean", "--out", filepath.Join(dir, "c.xlsx")}, "--theatre does not apply to --kind positions"},
		{[]string{"--kind", "positions", "--out", filepath.Join(dir, "d.csv")}, "must end in .xlsx"},
	}
	for _, tt := range tests {
		code, _, stderr := runCLI(t, append([]string{"export", "--db", db}, tt.args...)...)
		if code != 2 || !strings.Contains(stderr, tt.want) {
			t.Errorf("%q: exit %d, stderr %q; want 2 and %q", tt.args, code, stderr, tt.want)
		}
	}
}
