package cli

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// demoDB returns a store in a temp folder loaded with the demo data through `sitrep demo`.
func demoDB(t *testing.T) string {
	t.Helper()
	db := filepath.Join(t.TempDir(), "demo.db")
	loadDemo(t, db)
	return db
}

// statsReportTotals and statsReport are the parts of `sitrep stats --json` the tests check.
type statsReportTotals struct {
	Incidents int `json:"incidents"`
	KilledMin int `json:"killed_min"`
	KilledMax int `json:"killed_max"`
}

type statsReport struct {
	statsReportTotals
	Statements   int                          `json:"statements"`
	Tallies      int                          `json:"tallies"`
	SurvivorsMin int                          `json:"survivors_min"`
	SurvivorsMax int                          `json:"survivors_max"`
	FirstDate    string                       `json:"first_date"`
	LastDate     string                       `json:"last_date"`
	ByTheatre    map[string]statsReportTotals `json:"by_theatre"`
	ByActor      map[string]struct {
		Statements int `json:"statements"`
	} `json:"by_actor"`
}

func TestStatsJSONOnDemo(t *testing.T) {
	db := demoDB(t)
	var got statsReport
	tests := []struct {
		name  string
		args  []string
		check func(t *testing.T)
	}{
		{"everything", nil, func(t *testing.T) {
			if got.Incidents != 17 || got.KilledMin != 79 || got.KilledMax != 79 || got.Statements != 8 ||
				got.Tallies != 4 || got.SurvivorsMin != 3 || got.SurvivorsMax != 3 {
				t.Errorf("totals = %+v", got)
			}
			if got.FirstDate != "2025-09-02" || got.LastDate != "2025-11-10" {
				t.Errorf("dates %s..%s", got.FirstDate, got.LastDate)
			}
			if got.ByTheatre["Caribbean"].Incidents != 11 || got.ByTheatre["Eastern Pacific"].Incidents != 6 ||
				got.ByTheatre["Eastern Pacific"].KilledMin != 31 {
				t.Errorf("by theatre = %+v", got.ByTheatre)
			}
			want := map[string]int{"United States": 3, "United Kingdom": 3, "United Nations": 1, "Venezuela": 1}
			for a, n := range want {
				if got.ByActor[a].Statements != n {
					t.Errorf("%s: %d statements, want %d", a, got.ByActor[a].Statements, n)
				}
			}
		}},
		// Hand-counted from assets/demo/incidents.csv: the Caribbean strikes in October are
		// US-2025-04, -05, -06, -07 and -10 (4+6+2+3+6 = 21 killed).
		{"theatre and month", []string{"--theatre", "Caribbean", "--from", "2025-10-01", "--to", "2025-10-31"}, func(t *testing.T) {
			if got.Incidents != 5 || got.KilledMin != 21 || len(got.ByTheatre) != 1 {
				t.Errorf("Caribbean in October = %+v", got)
			}
		}},
		{"month shorthand", []string{"--from", "2025-11", "--to", "2025-11"}, func(t *testing.T) {
			if got.Incidents != 5 || got.FirstDate != "2025-11-01" || got.LastDate != "2025-11-10" {
				t.Errorf("November = %+v", got)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, append([]string{"stats", "--db", db, "--json"}, tt.args...)...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			got = statsReport{}
			if err := json.Unmarshal([]byte(out), &got); err != nil {
				t.Fatalf("not JSON: %v\n%s", err, out)
			}
			tt.check(t)
		})
	}
}

func TestStatsText(t *testing.T) {
	db := demoDB(t)
	code, out, errOut := runCLI(t, "stats", "--db", db)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"Incidents:  17 (2 Sep 2025 to 10 Nov 2025)", "Killed:     79", "Statements: 8 from 4 actors",
		"Caribbean        11         48"} {
		if !strings.Contains(out, want) {
			t.Errorf("text report lacks %q:\n%s", want, out)
		}
	}
}

func TestCommandLineErrors(t *testing.T) {
	db := demoDB(t)
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"unknown command", []string{"frobnicate"}, 2, `sitrep: unknown command "frobnicate"`},
		{"bad date", []string{"stats", "--db", db, "--from", "2025-13-01"}, 2, "sitrep stats: --from:"},
		{"dates reversed", []string{"stats", "--db", db, "--from", "2025-11-01", "--to", "2025-10-01"}, 2, "is before --from"},
		{"unknown flag", []string{"stats", "--db", db, "--colour"}, 2, "sitrep stats: flag provided but not defined"},
		{"stray argument", []string{"stats", "--db", db, "extra"}, 2, `unexpected argument "extra"`},
		{"not a store", []string{"stats", "--db", filepath.Join("assets", "demo", "incidents.csv")}, 1, "sitrep: stats:"},
		{"help", []string{"help"}, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errOut := runCLI(t, tt.args...)
			if code != tt.code || !strings.Contains(errOut, tt.stderr) {
				t.Errorf("exit %d, stderr %q; want exit %d and %q", code, errOut, tt.code, tt.stderr)
			}
			if tt.code != 0 && strings.Count(strings.TrimSpace(errOut), "\n") != 0 {
				t.Errorf("stderr is more than one line: %q", errOut)
			}
		})
	}
}
