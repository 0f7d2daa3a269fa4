package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"sitrep/data"
)

func TestTemplateCommand(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("SITREP_DB", filepath.Join(dir, "no-store.db")) // never the user's own store
	good := filepath.Join(dir, "entry.xlsx")
	existing := filepath.Join(dir, "mine.xlsx")
	if err := os.WriteFile(existing, []byte("my work"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		args     []string
		code     int
		stderr   string
		keepFile string // a file that must be left as it was
	}{
		{"writes", []string{"template", "--out", good}, 0, "", ""},
		{"no out", []string{"template"}, 2, "--out FILE is required", ""},
		{"csv", []string{"template", "--out", filepath.Join(dir, "t.csv")}, 2, "must end in .xlsx", ""},
		{"stray argument", []string{"template", "--out", good, "extra"}, 2, "unexpected argument", ""},
		{"existing", []string{"template", "--out", existing}, 1, "already exists", existing},
		{"missing folder", []string{"template", "--out", filepath.Join(dir, "no", "t.xlsx")}, 1, "sitrep: template: writing", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := Run(tt.args, &stdout, &stderr)
			if code != tt.code || !strings.Contains(stderr.String(), tt.stderr) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, stderr.String(), tt.code, tt.stderr)
			}
			if tt.keepFile != "" {
				if b, _ := os.ReadFile(tt.keepFile); string(b) != "my work" {
					t.Errorf("%s was changed", tt.keepFile)
				}
			}
		})
	}
	f, err := excelize.OpenFile(good)
	if err != nil {
		t.Fatalf("reading the template: %v", err)
	}
	defer f.Close()
	if got := strings.Join(f.GetSheetList(), ","); got != "Incidents,Statements,Tallies,Read me" {
		t.Errorf("sheets %s", got)
	}
	var stdout, stderr bytes.Buffer
	if code := Run([]string{"template", "--force", "--out", existing}, &stdout, &stderr); code != 0 {
		t.Fatalf("--force: exit %d: %s", code, stderr.String())
	}
	if _, err := excelize.OpenFile(existing); err != nil {
		t.Errorf("--force did not write a workbook: %v", err)
	}
}

func TestTemplateUsesStoreVocabulary(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "sitrep.db")
	st, err := data.Open(db, data.Options{})
	if err != nil {
		t.Fatal(err)
	}
	v := data.Vocabulary{
		{Word: "backs", Score: 2, Color: "#364B9A"},
		{Word: "objects", Score: -2, Color: "#A50026"},
	}
	if err := st.SetVocabulary(v); err != nil {
		t.Fatal(err)
	}
	st.Close()
	out := filepath.Join(dir, "t.xlsx")
	var stdout, stderr bytes.Buffer
	if code := Run([]string{"template", "--db", db, "--out", out}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	if !strings.Contains(stdout.String(), "stance words from "+db) {
		t.Errorf("stdout %q", stdout.String())
	}
	f, err := excelize.OpenFile(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	dvs, err := f.GetDataValidations("Statements")
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, dv := range dvs {
		found = found || dv.Formula1 == `"backs,objects"`
	}
	if !found {
		t.Errorf("no stance drop-down with the store's words")
	}
}

// TestTemplateFilledInImports fills in a template as a user would (a real date typed in a
// date cell, a theatre not in the list, a blank toll) and imports it.
func TestTemplateFilledInImports(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "sitrep.db")
	path := filepath.Join(dir, "entry.xlsx")
	var stdout, stderr bytes.Buffer
	if code := Run([]string{"template", "--db", db, "--out", path}, &stdout, &stderr); code != 0 {
		t.Fatalf("template: exit %d: %s", code, stderr.String())
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	day := data.MustDate("2025-09-02").Time()
	for _, c := range []struct {
		sheet, cell string
		v           any
	}{
		{"Incidents", "A2", "X-1"}, {"Incidents", "B2", day}, {"Incidents", "C2", "Southern Caribbean"},
		{"Incidents", "I2", 3}, {"Incidents", "J2", 5}, {"Incidents", "M2", "corroborated"},
		{"Incidents", "A3", "X-2"}, {"Incidents", "B3", "2025-10"}, {"Incidents", "C3", "Caribbean"},
		{"Statements", "A2", "S-1"}, {"Statements", "B2", day}, {"Statements", "C2", "United Nations"},
		{"Statements", "G2", "condemns"},
		{"Tallies", "A2", "T-1"}, {"Tallies", "B2", day}, {"Tallies", "C2", "Tracker"},
		{"Tallies", "D2", "All theatres"}, {"Tallies", "G2", 71},
	} {
		if err := f.SetCellValue(c.sheet, c.cell, c.v); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.Save(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	stdout.Reset()
	stderr.Reset()
	if code := Run([]string{"import", "--db", db, path}, &stdout, &stderr); code != 0 {
		t.Fatalf("import: exit %d: %s\n%s", code, stderr.String(), stdout.String())
	}
	st, err := data.Open(db, data.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	x1, err := st.Incident("X-1")
	if err != nil {
		t.Fatal(err)
	}
	if x1.Date != data.MustDate("2025-09-02") || x1.Theatre != "Southern Caribbean" ||
		x1.Killed != data.Between(3, 5) || x1.Confidence != "corroborated" || x1.Survivors.Known() {
		t.Errorf("X-1 = %+v", x1)
	}
	x2, err := st.Incident("X-2")
	if err != nil || x2.Date != data.MustDate("2025-10") || x2.Killed.Known() {
		t.Errorf("X-2 = %+v (%v): want a month-precision date and an unknown toll", x2, err)
	}
	if s, err := st.Statement("S-1"); err != nil || s.Stance != "condemns" || s.Date != data.MustDate("2025-09-02") {
		t.Errorf("S-1 = %+v (%v)", s, err)
	}
	if ta, err := st.Tally("T-1"); err != nil || ta.Killed != data.AtLeast(71) || ta.Scope != data.ScopeAll {
		t.Errorf("T-1 = %+v (%v)", ta, err)
	}
}
