package data

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// checkpoint is a byte copy of the store taken at a known instant.
type checkpoint struct {
	name string
	at   time.Time
	path string
}

// takeCheckpoint copies the store file as it is now; the clock then moves on a minute, so
// that nothing written later shares the checkpoint's instant.
func takeCheckpoint(t *testing.T, s *Store, clock *time.Time, name string) checkpoint {
	t.Helper()
	path := filepath.Join(t.TempDir(), name+".db")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Backup(f); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	cp := checkpoint{name, *clock, path}
	*clock = clock.Add(time.Minute)
	return cp
}

// knownOnViews are the reads compared between a copy and the live store asked "as known on".
func knownOnViews(t *testing.T, s *Store, at time.Time) map[string]any {
	t.Helper()
	filters := map[string]Filter{
		"all":       {},
		"caribbean": {Theatres: []string{"Caribbean"}},
		"search":    {Search: "a"},
		"dates":     {From: MustDate("2025-09-15"), To: MustDate("2025-10-31")},
		"actor":     {Actors: []string{"United States"}, Topics: []string{"Legality of the strikes"}},
	}
	out := map[string]any{}
	for name, f := range filters {
		f.KnownOn = at
		add := func(what string, v any, err error) {
			if err != nil {
				t.Fatalf("%s %s: %v", what, name, err)
			}
			out[what+" "+name] = v
		}
		inc, err := s.Incidents(f)
		add("incidents", inc, err)
		sts, err := s.Statements(f)
		add("statements", sts, err)
		tls, err := s.Tallies(f)
		add("tallies", tls, err)
		st, err := s.Stats(f)
		add("stats", st, err)
		for _, p := range []Period{PeriodDay, PeriodWeek, PeriodMonth} {
			se, err := s.Aggregate(f, p)
			se.Filter = Filter{}
			add("aggregate "+string(p), se, err)
		}
		latest, err := s.LatestStatements(MustDate("2026"), f)
		add("latest", latest, err)
		byCountry, err := s.StatsBy(f, ByCountry)
		add("stats by country", byCountry, err)
		cats, err := s.AggregateCategories(f, PeriodWeek, MeasureKilled)
		cats.Filter = Filter{}
		add("aggregate categories", cats, err)
		// The tables' path: refs in order, then the records they name.
		for _, k := range Kinds {
			var refs []Ref
			err := s.ScanRefs(k, f, func(rs []Ref) error { refs = append(refs, rs...); return nil })
			recs := make([]any, len(refs))
			if err == nil {
				err = s.ReadRefs(k, refs, func(i int, rec any) error { recs[i] = plain(rec.(record)); return nil })
			}
			add("refs "+string(k), recs, err)
		}
	}
	return out
}

// TestKnownOnEqualsCopy is the proof of known-on reads: the store is copied at several
// instants while it goes on importing, editing, deleting, restoring and undoing; every read
// "as known on" an instant must give exactly what the copy taken then gives.
func TestKnownOnEqualsCopy(t *testing.T) {
	clock, now := fixedClock(time.Date(2025, 11, 1, 9, 0, 0, 0, time.UTC))
	s := openTestStore(t, Options{Now: now})
	d := loadDemo(t)
	var cps []checkpoint
	cps = append(cps, takeCheckpoint(t, s, clock, "empty"))
	importAll(t, s, ImportInfo{File: "demo", Source: "demo"}, d)
	cps = append(cps, takeCheckpoint(t, s, clock, "demo"))

	edit := func(id string, fn func(*Incident)) {
		t.Helper()
		r, err := s.Incident(id)
		if err != nil {
			t.Fatal(err)
		}
		fn(&r)
		if err := s.SaveIncident(&r); err != nil {
			t.Fatal(err)
		}
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	upd := demo{incidents: []Incident{d.incidents[3], {ID: "X-1", Date: MustDate("2025-10-20"), Theatre: "Caribbean", Actor: "United States", Killed: Exactly(2)}}}
	upd.incidents[0].Killed = Exactly(40)
	imp2, _ := importAll(t, s, ImportInfo{File: "upd.csv", Source: "file"}, upd)
	cps = append(cps, takeCheckpoint(t, s, clock, "reimport"))

	edit("US-2025-06", func(r *Incident) { r.Notes = "checked"; r.Killed = Between(2, 3) })
	cps = append(cps, takeCheckpoint(t, s, clock, "edit"))

	must(s.Delete(KindIncident, "US-2025-05"))
	must(s.Delete(KindStatement, d.statements[0].ID))
	cps = append(cps, takeCheckpoint(t, s, clock, "delete"))

	must(s.SaveIncident(&Incident{ID: "E-1", Date: MustDate("2025-10-02"), Theatre: "Eastern Pacific", Killed: AtLeast(3)}))
	cps = append(cps, takeCheckpoint(t, s, clock, "new-by-edit"))

	must(s.UndoImport(imp2))
	cps = append(cps, takeCheckpoint(t, s, clock, "undo"))

	must(s.Restore(KindIncident, "US-2025-05"))
	cps = append(cps, takeCheckpoint(t, s, clock, "restore"))

	tl := d.tallies[0]
	tl.Killed = Exactly(71)
	upd4 := demo{incidents: []Incident{{ID: "X-2", Date: MustDate("2025-11-02"), Theatre: "Eastern Pacific", Killed: Exactly(3)}}, tallies: []Tally{tl}}
	six, _ := s.Incident("US-2025-06")
	six.Killed = Exactly(6)
	upd4.incidents = append(upd4.incidents, six)
	importAll(t, s, ImportInfo{File: "upd4.csv", Source: "file"}, upd4)
	cps = append(cps, takeCheckpoint(t, s, clock, "import-after-undo"))

	must(s.Delete(KindIncident, "E-1"))
	edit("X-2", func(r *Incident) { r.Killed = Exactly(4) })
	cps = append(cps, takeCheckpoint(t, s, clock, "delete-edit"))

	must(s.Delete(KindIncident, "US-2025-04"))
	cps = append(cps, takeCheckpoint(t, s, clock, "deleted-again"))
	must(s.Restore(KindIncident, "US-2025-04"))
	edit("US-2025-04", func(r *Incident) { r.Theatre = "Gulf" })
	cps = append(cps, takeCheckpoint(t, s, clock, "restored-edited"))

	// Nested: an import's version deleted and restored, then the import undone.
	seven, _ := s.Incident("US-2025-07")
	seven.Killed = Exactly(70)
	imp6, _ := importAll(t, s, ImportInfo{File: "upd6.csv", Source: "file"}, demo{incidents: []Incident{seven}})
	cps = append(cps, takeCheckpoint(t, s, clock, "import6"))
	must(s.Delete(KindIncident, "US-2025-07"))
	cps = append(cps, takeCheckpoint(t, s, clock, "import6-deleted"))
	must(s.Restore(KindIncident, "US-2025-07"))
	cps = append(cps, takeCheckpoint(t, s, clock, "import6-restored"))
	must(s.UndoImport(imp6))
	cps = append(cps, takeCheckpoint(t, s, clock, "import6-undone"))
	edit("US-2025-07", func(r *Incident) { r.Notes = "after all that" })

	compareAll(t, s, cps, *clock)
	// Changes between any two checkpoints are exactly the records whose copies differ.
	copies := make([]map[string]string, len(cps))
	for i, cp := range cps {
		c, err := Open(cp.path, Options{ReadOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		copies[i] = bodies(t, c)
		c.Close()
	}
	for i := range cps {
		for j := i; j < len(cps); j++ {
			rep, err := s.Changes(cps[i].at, cps[j].at)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]string{}
			for what, rs := range map[string][]RecordChange{"added": rep.Added, "changed": rep.Changed, "removed": rep.Removed} {
				for _, r := range rs {
					got[string(r.Kind)+"/"+r.ID] = what
				}
			}
			want := map[string]string{}
			for k, b := range copies[j] {
				if a, ok := copies[i][k]; !ok {
					want[k] = "added"
				} else if a != b {
					want[k] = "changed"
				}
			}
			for k := range copies[i] {
				if _, ok := copies[j][k]; !ok {
					want[k] = "removed"
				}
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("changes from %s to %s:\n got %v\nwant %v", cps[i].name, cps[j].name, got, want)
			}
		}
	}
	// A store written before the rollup log existed answers from the records alone: the same.
	err := s.update(func(tx *bolt.Tx) error {
		return putU64(tx.Bucket(bktMeta), keyRollupLogFrom, uint64(clock.Add(time.Hour).UnixNano()))
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Run("without the rollup log", func(t *testing.T) { compareAll(t, s, cps, *clock) })
}

// compareAll checks every checkpoint's copy against the live store as known on its instant.
func compareAll(t *testing.T, s *Store, cps []checkpoint, now time.Time) {
	t.Helper()
	var prev map[string]any
	for i, cp := range cps {
		t.Run(cp.name, func(t *testing.T) {
			c, err := Open(cp.path, Options{ReadOnly: true})
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			want := knownOnViews(t, c, time.Time{})
			got := knownOnViews(t, s, cp.at)
			if len(got) != len(want) {
				t.Fatalf("%d views, want %d", len(got), len(want))
			}
			for k, w := range want {
				if !reflect.DeepEqual(got[k], w) {
					t.Errorf("%s as known on %s:\n got %s\nwant %s", k, cp.at.Format(time.TimeOnly), brief(got[k]), brief(w))
				}
			}
			if i > 0 && reflect.DeepEqual(want, prev) {
				t.Errorf("the copy reads like the one before: the step changed nothing")
			}
			prev = want
			// Half-way to the next step, nothing has changed yet.
			mid := knownOnViews(t, s, cp.at.Add(30*time.Second))
			if !reflect.DeepEqual(mid, want) {
				t.Errorf("30 s after the checkpoint, the store reads differently")
			}
		})
	}
	// Now (or later) is the current state.
	if !reflect.DeepEqual(knownOnViews(t, s, now.Add(time.Minute)), knownOnViews(t, s, time.Time{})) {
		t.Error("known on a later time differs from the current state")
	}
}

func brief(v any) string {
	s := fmt.Sprintf("%+v", v)
	if len(s) > 600 {
		s = s[:600] + "..."
	}
	return s
}

func TestParseKnownOn(t *testing.T) {
	tests := []struct {
		in    string
		want  time.Time
		label string
	}{
		{"2025-11-06", time.Date(2025, 11, 6, 23, 59, 59, 999999999, time.Local), "6 Nov 2025"},
		{"2025-11-06 18:00", time.Date(2025, 11, 6, 18, 0, 0, 0, time.Local), "6 Nov 2025, 18:00"},
		{"2025-11-06T18:00:05", time.Date(2025, 11, 6, 18, 0, 5, 0, time.Local), "6 Nov 2025, 18:00:05"},
		{"2025-11-06T18:00:00Z", time.Date(2025, 11, 6, 18, 0, 0, 0, time.UTC), "6 Nov 2025, 18:00"},
		{"2025-11-06T18:00:00+01:00", time.Date(2025, 11, 6, 17, 0, 0, 0, time.UTC), "6 Nov 2025, 18:00"},
	}
	for _, tc := range tests {
		got, err := ParseKnownOn(tc.in)
		if err != nil || !got.Equal(tc.want) {
			t.Errorf("ParseKnownOn(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
			continue
		}
		if l := KnownOnLabel(got); l != tc.label {
			t.Errorf("KnownOnLabel(%q) = %q, want %q", tc.in, l, tc.label)
		}
	}
	for _, bad := range []string{"", "yesterday", "2025-13-01", "6/11/2025"} {
		if _, err := ParseKnownOn(bad); err == nil {
			t.Errorf("ParseKnownOn(%q) succeeded", bad)
		}
	}
	f := Filter{Theatres: []string{"Caribbean"}, KnownOn: time.Date(2025, 11, 6, 18, 0, 0, 0, time.UTC)}
	if got := f.Describe(); got != "theatre: Caribbean; as known on 6 Nov 2025, 18:00" {
		t.Errorf("Describe = %q", got)
	}
}
