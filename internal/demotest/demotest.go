// Package demotest reads the bundled demo tables (assets/demo) into records, for tests that
// need the demo data without going through the importer (the importer's own tests, and
// fakes that must not depend on it). The tables have the canonical columns, so a plain CSV
// read is enough.
package demotest

import (
	"encoding/csv"
	"path/filepath"
	"strconv"
	"testing"

	"sitrep/assets"
	"sitrep/data"
)

// table is one demo CSV: its rows by header name, with their 1-based row numbers.
type table struct {
	t    testing.TB
	name string
	col  map[string]int
	rows [][]string
}

func read(t testing.TB, name string) table {
	t.Helper()
	f, err := assets.Demo().Open(name)
	if err != nil {
		t.Fatalf("demo table %s: %v", name, err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil || len(rows) == 0 {
		t.Fatalf("demo table %s: %v (%d rows)", name, err, len(rows))
	}
	tb := table{t: t, name: name, col: map[string]int{}, rows: rows[1:]}
	for i, h := range rows[0] {
		tb.col[h] = i
	}
	return tb
}

func (tb table) get(r []string, k string) string {
	i, ok := tb.col[k]
	if !ok || i >= len(r) {
		return ""
	}
	return r[i]
}

func (tb table) date(r []string, k string) data.Date {
	d, err := data.ParseDate(tb.get(r, k))
	if err != nil {
		tb.t.Fatalf("demo table %s, column %s: %v", tb.name, k, err)
	}
	return d
}

func (tb table) num(r []string, k string) (int, bool) {
	v := tb.get(r, k)
	if v == "" {
		return 0, false
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		tb.t.Fatalf("demo table %s, column %s: %q is not a number", tb.name, k, v)
	}
	return n, true
}

// count reads a min/max column pair (the same column twice for a single figure); a blank end
// is unknown.
func (tb table) count(r []string, lo, hi string) data.Count {
	var c data.Count
	c.Min, c.MinKnown = tb.num(r, lo)
	c.Max, c.MaxKnown = tb.num(r, hi)
	return c
}

func (tb table) prov(i int) data.Provenance {
	return data.Provenance{File: tb.name, Row: i + 2}
}

// Incidents returns the 17 demo incidents in file order.
func Incidents(t testing.TB) []data.Incident {
	t.Helper()
	tb := read(t, "incidents.csv")
	out := make([]data.Incident, 0, len(tb.rows))
	for i, r := range tb.rows {
		out = append(out, data.Incident{ID: tb.get(r, "id"), Date: tb.date(r, "date"), Theatre: tb.get(r, "theatre"),
			Location: tb.get(r, "location"), Actor: tb.get(r, "actor"), Target: tb.get(r, "target"),
			Vessels: tb.count(r, "vessels", "vessels"), AllegedAffiliation: tb.get(r, "alleged_affiliation"),
			Killed: tb.count(r, "killed_min", "killed_max"), Survivors: tb.count(r, "survivors", "survivors"),
			AnnouncedBy: tb.get(r, "announced_by"), Confidence: tb.get(r, "confidence"), Source: tb.get(r, "source"),
			Notes: tb.get(r, "notes"), Provenance: tb.prov(i)})
	}
	return out
}

// Statements returns the 8 demo statements in file order.
func Statements(t testing.TB) []data.Statement {
	t.Helper()
	tb := read(t, "statements.csv")
	out := make([]data.Statement, 0, len(tb.rows))
	for i, r := range tb.rows {
		out = append(out, data.Statement{ID: tb.get(r, "id"), Date: tb.date(r, "date"), Actor: tb.get(r, "actor"),
			Speaker: tb.get(r, "speaker"), Role: tb.get(r, "role"), Topic: tb.get(r, "topic"), Stance: tb.get(r, "stance"),
			Quote: tb.get(r, "quote"), Channel: tb.get(r, "channel"), Source: tb.get(r, "source"), Notes: tb.get(r, "notes"),
			Provenance: tb.prov(i)})
	}
	return out
}

// Tallies returns the 4 demo tallies in file order.
func Tallies(t testing.TB) []data.Tally {
	t.Helper()
	tb := read(t, "tallies.csv")
	out := make([]data.Tally, 0, len(tb.rows))
	for i, r := range tb.rows {
		out = append(out, data.Tally{ID: tb.get(r, "id"), AsOf: tb.date(r, "as_of"), Claimant: tb.get(r, "claimant"),
			Scope: tb.get(r, "scope"), Strikes: tb.count(r, "strikes_min", "strikes_max"),
			Killed: tb.count(r, "killed_min", "killed_max"), Survivors: tb.count(r, "survivors", "survivors"),
			Source: tb.get(r, "source"), Notes: tb.get(r, "notes"), Provenance: tb.prov(i)})
	}
	return out
}

// Records are what Store imports: some of each kind.
type Records struct {
	Incidents  []data.Incident
	Statements []data.Statement
	Tallies    []data.Tally
}

// Store creates a store file in a temporary folder holding recs, imported as one import from
// the given source ("demo" marks it as demo data), and returns its path.
func Store(t testing.TB, source string, recs Records) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "sitrep.db")
	st, err := data.Open(path, data.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	b, err := st.BeginImport(data.ImportInfo{File: "records.csv", Source: source})
	if err != nil {
		t.Fatal(err)
	}
	for i := range recs.Incidents {
		if err := b.PutIncident(&recs.Incidents[i]); err != nil {
			t.Fatal(err)
		}
	}
	for i := range recs.Statements {
		if err := b.PutStatement(&recs.Statements[i]); err != nil {
			t.Fatal(err)
		}
	}
	for i := range recs.Tallies {
		if err := b.PutTally(&recs.Tallies[i]); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := b.Commit(); err != nil {
		t.Fatal(err)
	}
	return path
}

// StatementStore is Store with statements only.
func StatementStore(t testing.TB, stmts []data.Statement, source string) string {
	t.Helper()
	return Store(t, source, Records{Statements: stmts})
}
