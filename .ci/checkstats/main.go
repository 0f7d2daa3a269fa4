// Command checkstats checks the `sitrep stats --json` output of the CI smoke test against the
// demo data's known totals (../shared/demo/README.md).
package main

import (
	"encoding/json"
	"fmt"
	"os"
)

type totals struct {
	Incidents int `json:"incidents"`
	KilledMin int `json:"killed_min"`
	KilledMax int `json:"killed_max"`
}

type stats struct {
	totals
	Statements   int               `json:"statements"`
	Tallies      int               `json:"tallies"`
	SurvivorsMin int               `json:"survivors_min"`
	FirstDate    string            `json:"first_date"`
	LastDate     string            `json:"last_date"`
	ByTheatre    map[string]totals `json:"by_theatre"`
}

func main() {
	b, err := os.ReadFile(os.Args[1])
	if err != nil {
		fail("%v", err)
	}
	var s stats
	if err := json.Unmarshal(b, &s); err != nil {
		fail("stats output is not the expected JSON: %v", err)
	}
	checks := []struct {
		what      string
		got, want any
	}{
		{"incidents", s.Incidents, 17},
		{"killed_min", s.KilledMin, 79},
		{"killed_max", s.KilledMax, 79},
		{"survivors_min", s.SurvivorsMin, 3},
		{"statements", s.Statements, 8},
		{"tallies", s.Tallies, 4},
		{"first_date", s.FirstDate, "2025-09-02"},
		{"last_date", s.LastDate, "2025-11-10"},
		{"Caribbean incidents", s.ByTheatre["Caribbean"].Incidents, 11},
		{"Eastern Pacific incidents", s.ByTheatre["Eastern Pacific"].Incidents, 6},
	}
	bad := 0
	for _, c := range checks {
		if c.got != c.want {
			fmt.Fprintf(os.Stderr, "checkstats: %s = %v, want %v\n", c.what, c.got, c.want)
			bad++
		}
	}
	if bad > 0 {
		os.Exit(1)
	}
	fmt.Println("checkstats: demo totals as expected")
}

func fail(format string, a ...any) {
	fmt.Fprintf(os.Stderr, "checkstats: "+format+"\n", a...)
	os.Exit(1)
}
