package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A file with per-side deaths, admin levels and a strikes column: import --json says the
// casualty rule and the ignored headers; stats --json counts injured and strikes, groups by
// admin1 (the file has no theatre) or by another level with --by, and the text report says
// "unknown" for what no row reported and leaves out survivors and vessels.
func TestWorldFilesImportAndStats(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "s.db")
	csv := "Fecha,Departamento,Municipio,Ataques,Muertos civiles,Muertos militares,Heridos,Comentario\n" +
		"2024-01-02,ARAUCA,FORTUL,2,3,1,4,x\n" +
		"2024-01-09,ARAUCA,SARAVENA,1,2,,,y\n" +
		"2024-02-02,CAUCA,TORIBIO,3,0,5,1,z\n"
	path := filepath.Join(dir, "casos.csv")
	if err := os.WriteFile(path, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCLI(t, "import", "--db", db, "--json", path)
	if code != 0 {
		t.Fatalf("import: exit %d: %s %s", code, out, errOut)
	}
	var rep struct {
		Files []struct {
			Sheets []struct {
				CasualtyRule string   `json:"casualty_rule"`
				Ignored      []string `json:"ignored"`
				Mapping      map[string]string
			} `json:"sheets"`
		} `json:"files"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	sh := rep.Files[0].Sheets[0]
	if !strings.HasPrefix(sh.CasualtyRule, "killed = Muertos civiles + Muertos militares, summed (disjoint categories)") ||
		len(sh.Ignored) != 1 || sh.Ignored[0] != "Comentario" {
		t.Errorf("rule %q, ignored %q, mapping %v", sh.CasualtyRule, sh.Ignored, sh.Mapping)
	}
	var st struct {
		Incidents  int `json:"incidents"`
		Strikes    int `json:"strikes"`
		KilledMin  int `json:"killed_min"`
		InjuredMin int `json:"injured_min"`
		InjuredMax int `json:"injured_max"`
		ByTheatre  map[string]struct {
			Incidents int `json:"incidents"`
			KilledMin int `json:"killed_min"`
		} `json:"by_theatre"`
	}
	for _, tc := range []struct {
		by   []string
		want map[string]int // place -> killed
	}{
		{nil, map[string]int{"ARAUCA": 6, "CAUCA": 5}},
		{[]string{"--by", "admin2"}, map[string]int{"FORTUL": 4, "SARAVENA": 2, "TORIBIO": 5}},
	} {
		code, out, errOut = runCLI(t, append([]string{"stats", "--db", db, "--json"}, tc.by...)...)
		if code != 0 {
			t.Fatalf("stats: exit %d: %s", code, errOut)
		}
		st.ByTheatre = nil
		if err := json.Unmarshal([]byte(out), &st); err != nil {
			t.Fatal(err)
		}
		if st.Incidents != 3 || st.Strikes != 6 || st.KilledMin != 11 || st.InjuredMin != 5 || st.InjuredMax != 5 || len(st.ByTheatre) != len(tc.want) {
			t.Errorf("stats %v: %+v", tc.by, st)
		}
		for k, v := range tc.want {
			if st.ByTheatre[k].KilledMin != v {
				t.Errorf("stats %v: %s killed %d, want %d", tc.by, k, st.ByTheatre[k].KilledMin, v)
			}
		}
	}
	code, out, _ = runCLI(t, "stats", "--db", db)
	if code != 0 || !strings.Contains(out, "Strikes:    6") || !strings.Contains(out, "Injured:    5 (figure unknown for 1 incident)") ||
		strings.Contains(out, "Survivors") || strings.Contains(out, "Vessels") || !strings.Contains(out, "By theatre:") {
		t.Errorf("stats text:\n%s", out)
	}
	if code, _, errOut := runCLI(t, "stats", "--db", db, "--by", "galaxy"); code == 0 || !strings.Contains(errOut, "--by") {
		t.Errorf("--by galaxy: exit %d %s", code, errOut)
	}
	// --set gives the whole file a theatre.
	db2 := filepath.Join(dir, "s2.db")
	if code, out, errOut := runCLI(t, "import", "--db", db2, "--set", "theatre=Colombia", path); code != 0 {
		t.Fatalf("import --set: %d %s %s", code, out, errOut)
	}
	code, out, _ = runCLI(t, "stats", "--db", db2, "--json")
	st.ByTheatre = nil
	if err := json.Unmarshal([]byte(out), &st); code != 0 || err != nil || len(st.ByTheatre) != 1 || st.ByTheatre["Colombia"].KilledMin != 11 {
		t.Errorf("--set theatre: %v %s", err, out)
	}
	if code, _, errOut := runCLI(t, "import", "--db", db2, "--set", "actor=X", path); code == 0 || !strings.Contains(errOut, "only theatre, country, admin1") {
		t.Errorf("--set actor: exit %d %s", code, errOut)
	}
	// A killed figure nobody reported is unknown, not 0.
	db3 := filepath.Join(dir, "s3.db")
	places := filepath.Join(dir, "places.csv")
	_ = os.WriteFile(places, []byte("date,location\n2024-01-02,A\n2024-01-03,B\n"), 0o644)
	if code, _, errOut := runCLI(t, "import", "--db", db3, places); code != 0 {
		t.Fatal(errOut)
	}
	if _, out, _ = runCLI(t, "stats", "--db", db3); !strings.Contains(out, "Killed:     unknown (no incident reported it)") {
		t.Errorf("unknown toll:\n%s", out)
	}
	// chart --by splits bars by the level, or deaths by category.
	png := filepath.Join(dir, "c.png")
	for _, by := range []string{"admin2", "category"} {
		if code, out, errOut := runCLI(t, "chart", "--db", db, "--kind", "deaths", "--by", by, "--out", png); code != 0 {
			t.Errorf("chart --by %s: %d %s %s", by, code, out, errOut)
		}
	}
	if code, _, errOut := runCLI(t, "chart", "--db", db, "--kind", "strikes", "--by", "category", "--out", png); code != 2 || !strings.Contains(errOut, "--kind deaths only") {
		t.Errorf("strikes by category: %d %s", code, errOut)
	}
}
