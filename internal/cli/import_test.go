package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sitrep/data"
)

func writeCSV(t *testing.T, dir, name, body string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestImportCommand(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "s.db")
	good := writeCSV(t, dir, "strikes.csv", "id,date,location,killed\nA,2025-09-02,Sea,3\nB,2025-09-03,Bay,dozens\nC,soon,Bay,1\n")
	bad := writeCSV(t, dir, "old.xls", "just text, not a workbook\n")

	code, out, errOut := runCLI(t, "import", "--db", db, good)
	if code != 0 {
		t.Fatalf("exit %d: %s%s", code, out, errOut)
	}
	for _, want := range []string{
		good + ": imported, import imp-",
		"rows: incidents, header row 1, 3 rows read: 2 inserted, 0 updated, 0 unchanged, 1 rejected",
		good + `: row 4, column B (date): value "soon": not a date`,
		good + `: row 3, column D (killed): value "dozens": note: read "dozens" as at least 24`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}

	// Re-import: nothing new, everything unchanged; flags may follow the file.
	code, out, _ = runCLI(t, "import", good, "--db", db, "--json")
	if code != 0 {
		t.Fatalf("re-import exit %d: %s", code, out)
	}
	var rep struct {
		Files []struct {
			Path   string `json:"path"`
			Status string `json:"status"`
			Sheets []struct {
				Name      string            `json:"name"`
				Kind      string            `json:"kind"`
				HeaderRow int               `json:"header_row"`
				Mapping   map[string]string `json:"mapping"`
				Rows      int               `json:"rows"`
				Inserted  int               `json:"inserted"`
				Unchanged int               `json:"unchanged"`
				Rejected  int               `json:"rejected"`
				Problems  []struct {
					Row     int    `json:"row"`
					Column  string `json:"column"`
					Header  string `json:"header"`
					Value   string `json:"value"`
					Message string `json:"message"`
				} `json:"problems"`
			} `json:"sheets"`
		} `json:"files"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("--json output: %v\n%s", err, out)
	}
	f := rep.Files[0]
	if f.Status != "unchanged" || f.Sheets[0].Unchanged != 2 || f.Sheets[0].Inserted != 0 || f.Sheets[0].Rejected != 1 ||
		f.Sheets[0].Mapping["killed"] != "killed" || f.Sheets[0].HeaderRow != 1 || f.Sheets[0].Problems[0].Column == "" {
		t.Errorf("re-import report = %+v", f)
	}

	// A refused file: exit 1, one stderr line naming the file, the others still imported.
	other := writeCSV(t, dir, "more.csv", "id,date,killed\nD,2025-10-01,4\n")
	code, out, errOut = runCLI(t, "import", "--db", db, bad, other)
	if code != 1 || !strings.Contains(errOut, "sitrep: import: 1 of 2 files could not be imported") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
	if !strings.Contains(out, "old.xls is truncated or corrupt") || !strings.Contains(out, other+": imported") {
		t.Errorf("output:\n%s", out)
	}

	// --strict rejects the whole file; --dry-run writes nothing.
	strict := writeCSV(t, dir, "strict.csv", "id,date,killed\nE,2025-10-01,4\nF,never,1\n")
	if code, _, errOut = runCLI(t, "import", "--db", db, "--strict", strict); code != 1 || !strings.Contains(errOut, "--strict") {
		t.Errorf("--strict: exit %d, %q", code, errOut)
	}
	dry := writeCSV(t, dir, "dry.csv", "id,date,killed\nG,2025-10-01,4\n")
	if code, out, _ = runCLI(t, "import", "--db", db, "--dry-run", dry); code != 0 || !strings.Contains(out, "dry run: nothing written") || !strings.Contains(out, "1 inserted") {
		t.Errorf("--dry-run: exit %d\n%s", code, out)
	}
	st, err := data.Open(db, data.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for _, id := range []string{"E", "G"} {
		if _, err := st.Incident(id); err == nil {
			t.Errorf("incident %s was written", id)
		}
	}
	if _, err := st.Incident("D"); err != nil {
		t.Errorf("incident D: %v", err)
	}
}

func TestImportCommandMapAndUsage(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "s.db")
	f := writeCSV(t, dir, "odd.csv", "Day,Spot,Toll\n2025-09-02,Sea,3\n")
	code, out, errOut := runCLI(t, "import", "--db", db, "--map", "date=Day", "--map", "location=Spot", "--map", "killed=Toll", f)
	if code != 0 || !strings.Contains(out, `killed="Toll"`) {
		t.Fatalf("exit %d: %s%s", code, out, errOut)
	}
	// The mapping is remembered for that header layout.
	f2 := writeCSV(t, dir, "odd2.csv", "Day,Spot,Toll\n2025-09-03,Bay,5\n")
	if code, out, _ = runCLI(t, "import", "--db", db, f2); code != 0 || !strings.Contains(out, `mapping (remembered from an earlier import of this layout): date="Day", killed="Toll", location="Spot"`) {
		t.Errorf("remembered mapping not used: %s", out)
	}
	for _, args := range [][]string{
		{"import", "--db", db},
		{"import", "--db", db, "--day-first", "--month-first", f},
		{"import", "--db", db, "--map", "bogus=Toll", f},
		{"import", "--db", db, "--map", "nofield", f},
	} {
		if code, _, errOut := runCLI(t, args...); code != 2 || !strings.HasPrefix(errOut, "sitrep import: ") {
			t.Errorf("%v: exit %d, stderr %q; want a usage error", args[3:], code, errOut)
		}
	}
}
