package main

import (
	"context"
	"encoding/csv"
	"fmt"
	"strconv"
	"strings"

	"sitrep/assets"
	"sitrep/data"
)

// loadDemoCSV loads the bundled demo tables (canonical columns, see assets/demo/README.md)
// into s as one import with source "demo", so the app can mark and undo it as a whole.
func loadDemoCSV(ctx context.Context, s *data.Store) error {
	b, err := s.BeginImport(data.ImportInfo{File: "Sitrep demo data", Source: "demo"})
	if err != nil {
		return err
	}
	if err := putDemo(ctx, b); err != nil {
		b.Abort()
		return err
	}
	_, err = b.Commit()
	return err
}

func putDemo(ctx context.Context, b *data.Batch) error {
	for _, name := range assets.DemoFiles {
		f, err := assets.Demo().Open(name)
		if err != nil {
			return err
		}
		rows, err := csv.NewReader(f).ReadAll()
		f.Close()
		if err != nil {
			return fmt.Errorf("demo %s: %w", name, err)
		}
		if len(rows) == 0 {
			continue
		}
		col := map[string]int{}
		for i, h := range rows[0] {
			col[h] = i
		}
		for i, row := range rows[1:] {
			if err := ctx.Err(); err != nil {
				return err
			}
			r := demoRow{name: name, row: i + 2, cells: row, col: col}
			if err := r.put(b); err != nil {
				return err
			}
		}
	}
	return nil
}

type demoRow struct {
	name  string
	row   int
	cells []string
	col   map[string]int
	err   error
}

func (r *demoRow) get(k string) string {
	i, ok := r.col[k]
	if !ok || i >= len(r.cells) {
		return ""
	}
	return strings.TrimSpace(r.cells[i])
}

func (r *demoRow) date(k string) data.Date {
	d, err := data.ParseDate(r.get(k))
	if err != nil && r.err == nil {
		r.err = fmt.Errorf("demo %s row %d column %s: %w", r.name, r.row, k, err)
	}
	return d
}

func (r *demoRow) num(k string) (int, bool) {
	v := r.get(k)
	if v == "" {
		return 0, false
	}
	n, err := strconv.Atoi(v)
	if err != nil && r.err == nil {
		r.err = fmt.Errorf("demo %s row %d column %s: %q is not a number", r.name, r.row, k, v)
	}
	return n, err == nil
}

func (r *demoRow) count(lo, hi string) data.Count {
	var c data.Count
	c.Min, c.MinKnown = r.num(lo)
	c.Max, c.MaxKnown = r.num(hi)
	return c
}

func (r *demoRow) put(b *data.Batch) error {
	prov := data.Provenance{File: "demo/" + r.name, Row: r.row}
	var err error
	switch r.name {
	case "incidents.csv":
		err = b.PutIncident(&data.Incident{ID: r.get("id"), Date: r.date("date"), Theatre: r.get("theatre"),
			Location: r.get("location"), Actor: r.get("actor"), Target: r.get("target"), Vessels: r.count("vessels", "vessels"),
			AllegedAffiliation: r.get("alleged_affiliation"), Killed: r.count("killed_min", "killed_max"),
			Survivors: r.count("survivors", "survivors"), AnnouncedBy: r.get("announced_by"), Confidence: r.get("confidence"),
			Source: r.get("source"), Notes: r.get("notes"), Provenance: prov})
	case "statements.csv":
		err = b.PutStatement(&data.Statement{ID: r.get("id"), Date: r.date("date"), Actor: r.get("actor"),
			Speaker: r.get("speaker"), Role: r.get("role"), Topic: r.get("topic"), Stance: r.get("stance"),
			Quote: r.get("quote"), Channel: r.get("channel"), Source: r.get("source"), Notes: r.get("notes"), Provenance: prov})
	case "tallies.csv":
		err = b.PutTally(&data.Tally{ID: r.get("id"), AsOf: r.date("as_of"), Claimant: r.get("claimant"), Scope: r.get("scope"),
			Strikes: r.count("strikes_min", "strikes_max"), Killed: r.count("killed_min", "killed_max"),
			Survivors: r.count("survivors", "survivors"), Source: r.get("source"), Notes: r.get("notes"), Provenance: prov})
	}
	if r.err != nil {
		return r.err
	}
	return err
}
