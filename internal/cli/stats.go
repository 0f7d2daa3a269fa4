package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"

	"sitrep/data"
)

func runStats(e *env, args []string) error {
	out := e.out
	fs := e.flags()
	db := dbFlag(fs)
	asJSON := fs.Bool("json", false, "print JSON")
	filter := addFilterFlags(fs, "")
	byFlag := fs.String("by", "", "group incidents by: theatre (default), country, admin1, admin2 or location")
	if err := e.parseNoArgs(fs, args); err != nil {
		return err
	}
	f, err := filter.filter()
	if err != nil {
		return err
	}
	by, err := data.ParsePlaceLevel(*byFlag)
	if err != nil {
		return usageError("--by: %v", err)
	}
	st, err := openStore(db(), true)
	if err != nil {
		return err
	}
	defer st.Close()
	s, err := st.StatsBy(f, by)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		return enc.Encode(s)
	}
	writeStats(out, s, f, by)
	return nil
}

// writeStats prints stats as a short report for people. A measure no incident reported is
// "unknown", never 0; survivors and vessels are left out when no incident has them, and a
// strike count appears when rows stand for several strikes.
func writeStats(out io.Writer, s data.Stats, f data.Filter, by data.PlaceLevel) {
	if d := f.Describe(); d != "" {
		fmt.Fprintf(out, "Filter: %s\n", d)
	}
	span := "no dated incidents"
	if !s.FirstDate.IsZero() {
		span = s.FirstDate.Label() + " to " + s.LastDate.Label()
	}
	fmt.Fprintf(out, "Incidents:  %d (%s)\n", s.Incidents, span)
	if s.Strikes != s.Incidents {
		fmt.Fprintf(out, "Strikes:    %s (rows that stand for several strikes or events count each)\n", groupThousands(s.Strikes))
	}
	measure := func(label string, lo, hi, unknown int, noun string) {
		fmt.Fprintf(out, "%-12s", label+":")
		if unknown >= s.Incidents && s.Incidents > 0 {
			fmt.Fprintln(out, "unknown (no incident reported it)")
			return
		}
		fmt.Fprint(out, rangeText(lo, hi))
		if unknown > 0 {
			fmt.Fprintf(out, " (%s unknown for %s)", noun, plural(unknown, "incident"))
		}
		fmt.Fprintln(out)
	}
	measure("Killed", s.KilledMin, s.KilledMax, s.KilledUnknown, "toll")
	if s.InjuredKnown() {
		measure("Injured", s.InjuredMin, s.InjuredMax, s.InjuredUnknown, "figure")
	}
	if s.SurvivorsKnown() {
		measure("Survivors", s.SurvivorsMin, s.SurvivorsMax, s.SurvivorsUnknown, "figure")
	}
	if s.VesselsKnown() {
		fmt.Fprintf(out, "Vessels:    %s\n", rangeText(s.VesselsMin, s.VesselsMax))
	}
	fmt.Fprintf(out, "Statements: %d from %s\n", s.Statements, plural(countStatementActors(s), "actor"))
	fmt.Fprintf(out, "Tallies:    %d\n", s.Tallies)
	if len(s.ByTheatre) > 0 {
		level := string(by)
		if level == "" {
			level = string(data.ByTheatre)
		}
		fmt.Fprintf(out, "\nBy %s:\n", level)
		tw := tabwriter.NewWriter(out, 2, 4, 2, ' ', 0)
		fmt.Fprintf(tw, "  %s\tINCIDENTS\tKILLED\n", strings.ToUpper(level))
		for _, name := range sortedKeys(s.ByTheatre, func(t data.Totals) int { return t.Incidents }) {
			t := s.ByTheatre[name]
			if name == "" {
				name = "(no " + level + ")"
			}
			killed := rangeText(t.KilledMin, t.KilledMax)
			if !t.KilledKnown() {
				killed = "unknown"
			}
			fmt.Fprintf(tw, "  %s\t%d\t%s\n", name, t.Incidents, killed)
		}
		tw.Flush()
	}
	if countStatementActors(s) > 0 {
		fmt.Fprintln(out, "\nStatements by actor:")
		tw := tabwriter.NewWriter(out, 2, 4, 2, ' ', 0)
		for _, name := range sortedKeys(s.ByActor, func(a data.ActorSummary) int { return a.Statements }) {
			if a := s.ByActor[name]; a.Statements > 0 {
				fmt.Fprintf(tw, "  %s\t%d\n", name, a.Statements)
			}
		}
		tw.Flush()
	}
}

// plural formats n with its noun: "1 incident", "2 incidents".
func plural(n int, noun string) string { return data.Plural(n, noun) }

func countStatementActors(s data.Stats) int {
	n := 0
	for _, a := range s.ByActor {
		if a.Statements > 0 {
			n++
		}
	}
	return n
}

// rangeText formats a min-max sum: "79" or "66–71".
func rangeText(lo, hi int) string {
	if lo == hi {
		return groupThousands(lo)
	}
	return groupThousands(lo) + "–" + groupThousands(hi)
}

// groupThousands formats n with comma thousands separators.
func groupThousands(n int) string { return data.Thousands(n) }

// sortedKeys returns m's keys, largest weight first, then by name.
func sortedKeys[V any](m map[string]V, weight func(V) int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		wi, wj := weight(m[keys[i]]), weight(m[keys[j]])
		if wi != wj {
			return wi > wj
		}
		return keys[i] < keys[j]
	})
	return keys
}
