package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"sitrep/data"
)

// runChanges implements `sitrep changes --since DATETIME [--until DATETIME] [--json]`: what
// changed in the store between two known-on times (the What changed view's twin).
func runChanges(e *env, args []string) error {
	fs := e.flags()
	db := dbFlag(fs)
	since := fs.String("since", "", "from the store as known on this time (required): YYYY-MM-DD (the end of that day), 'YYYY-MM-DD HH:MM' or RFC 3339")
	until := fs.String("until", "", "to the store as known on this time (default: now)")
	asJSON := fs.Bool("json", false, "print JSON: {since, until, added, changed, removed, before, after}")
	if err := e.parseNoArgs(fs, args); err != nil {
		return err
	}
	if *since == "" {
		return usageError("--since is required")
	}
	t1, err := parseKnownOn(*since)
	if err != nil {
		return usageError("--since: %v", strings.TrimPrefix(err.Error(), errUsage.Error()+": --known-on: "))
	}
	t2, err := parseKnownOn(*until)
	if err != nil {
		return usageError("--until: %v", strings.TrimPrefix(err.Error(), errUsage.Error()+": --known-on: "))
	}
	if !t2.IsZero() && t2.Before(t1) {
		return usageError("--until %s is before --since %s", data.KnownOnLabel(t2), data.KnownOnLabel(t1))
	}
	st, err := openStore(db(), true)
	if err != nil {
		return err
	}
	defer st.Close()
	rep, err := st.Changes(t1, t2)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(e.out)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	return writeChanges(e.out, rep)
}

// writeChanges prints a change report for people.
func writeChanges(w io.Writer, rep data.ChangeReport) error {
	until := "now"
	if !rep.Until.IsZero() {
		until = "as known on " + data.KnownOnLabel(rep.Until)
	}
	fmt.Fprintf(w, "Changes from the store as known on %s to the store %s\n\n", data.KnownOnLabel(rep.Since), until)
	b, a := rep.Before, rep.After
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "  TOTAL\tBEFORE\tAFTER\tCHANGE")
	row := func(name string, lo0, hi0, lo1, hi1 int) {
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", name, rangeText(lo0, hi0), rangeText(lo1, hi1), signed(lo1-lo0, hi1-hi0))
	}
	row("Incidents", b.Incidents, b.Incidents, a.Incidents, a.Incidents)
	row("Killed", b.KilledMin, b.KilledMax, a.KilledMin, a.KilledMax)
	row("Survivors", b.SurvivorsMin, b.SurvivorsMax, a.SurvivorsMin, a.SurvivorsMax)
	row("Statements", b.Statements, b.Statements, a.Statements, a.Statements)
	row("Tallies", b.Tallies, b.Tallies, a.Tallies, a.Tallies)
	tw.Flush()
	section := func(title string, rs []data.RecordChange) {
		fmt.Fprintf(w, "\n%s: %d\n", title, len(rs))
		for _, r := range rs {
			fmt.Fprintf(w, "  %s %s  by %s\n", singularKind(r.Kind), r.ID, causes(r.By))
			for _, f := range r.Fields {
				fmt.Fprintf(w, "      %s: %s -> %s\n", f.Field, orBlank(f.Before), orBlank(f.After))
			}
		}
	}
	section("Added", rep.Added)
	section("Changed", rep.Changed)
	section("Removed", rep.Removed)
	return nil
}

func singularKind(k data.Kind) string {
	switch k {
	case data.KindIncident:
		return "incident"
	case data.KindStatement:
		return "statement"
	case data.KindTally:
		return "tally"
	}
	return string(k)
}

func causes(cs []data.Cause) string {
	if len(cs) == 0 {
		return "?"
	}
	parts := make([]string, len(cs))
	for i, c := range cs {
		parts[i] = c.String()
	}
	return strings.Join(parts, ", then ")
}

func orBlank(s string) string {
	if s == "" {
		return "(blank)"
	}
	return s
}

// signed formats a change of a range: "+4", "-1", "0", "+4/+5".
func signed(lo, hi int) string { return data.SignedChange(lo, hi) }
