package data

import (
	"reflect"
	"testing"
)

// TestRollupMatchesScan checks the rollup path of Aggregate and Stats against a brute-force
// count over Filter.MatchesIncident, on synthetic incidents with month-precision dates, date
// ranges, undated records and blank theatres, after inserts, updates and deletes.
func TestRollupMatchesScan(t *testing.T) {
	s := openTestStore(t, Options{ChunkSize: 100})
	all := synth(1500, "R")
	importAll(t, s, ImportInfo{File: "synth", Source: "file"}, demo{incidents: all})
	// Change a third of them through a second import, delete a few by edit.
	upd := make([]Incident, 0, 500)
	for i := 0; i < len(all); i += 3 {
		r := all[i]
		r.Killed = Between(r.Killed.Min+1, r.Killed.Max+2)
		r.Theatre = []string{"Gulf", "Caribbean"}[i%2]
		upd = append(upd, r)
		all[i] = r
	}
	importAll(t, s, ImportInfo{File: "synth2", Source: "file"}, demo{incidents: upd})
	for i := 5; i < len(all); i += 101 {
		if err := s.Delete(KindIncident, all[i].ID); err != nil {
			t.Fatal(err)
		}
		all[i].ID = "" // gone
	}
	filters := []Filter{
		{},
		{Theatres: []string{"gulf", ""}},
		{From: MustDate("2024-11-15"), To: MustDate("2025-01-31")},
		{From: MustDate("2025-01")},
		{To: MustDate("2024-10-03"), Actors: []string{"Colombia"}},
		{Confidences: []string{"disputed", "corroborated"}, Theatres: []string{"Caribbean"}},
		{Topics: []string{"ignored for incidents"}},
	}
	for _, p := range []Period{PeriodDay, PeriodWeek, PeriodMonth} {
		for _, f := range filters {
			want := bruteSeries(all, f, p)
			got, err := s.Aggregate(f, p)
			if err != nil {
				t.Fatal(err)
			}
			got.Filter = Filter{}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s %q: rollup and brute force differ: %d vs %d buckets, undated %d vs %d",
					p, f.Describe(), len(got.Buckets), len(want.Buckets), got.Undated, want.Undated)
			}
			// The scan path (forced by a Search matching every record) agrees too.
			sf := f
			sf.Search = "R"
			scanned, err := s.Aggregate(sf, p)
			if err != nil {
				t.Fatal(err)
			}
			scanned.Filter = Filter{}
			if !reflect.DeepEqual(scanned, want) {
				t.Errorf("%s %q: scan and brute force differ", p, f.Describe())
			}
		}
	}
}

func bruteSeries(all []Incident, f Filter, p Period) Series {
	out := Series{Period: p, Buckets: []Bucket{}, Theatres: []string{}}
	byStart := map[int]*Bucket{}
	count := map[string]int{}
	lo, hi := 0, 0
	for i := range all {
		r := &all[i]
		if r.ID == "" || !f.MatchesIncident(r) {
			continue
		}
		if r.Date.IsZero() {
			out.Undated++
			continue
		}
		st := p.Start(r.Date)
		k := st.DayNumber()
		b := byStart[k]
		if b == nil {
			b = newBucket(p, st)
			byStart[k] = b
			if len(byStart) == 1 || k < lo {
				lo = k
			}
			if len(byStart) == 1 || k > hi {
				hi = k
			}
		}
		b.Add(r)
		tt := b.ByTheatre[r.Theatre]
		tt.Add(r)
		b.ByTheatre[r.Theatre] = tt
		count[r.Theatre]++
	}
	if len(byStart) > 0 {
		var cum Totals
		for d := DateFromDayNumber(lo); d.DayNumber() <= hi; d = p.Next(d) {
			b := byStart[d.DayNumber()]
			if b == nil {
				b = newBucket(p, d)
			}
			cum.Merge(b.Totals)
			b.Cumulative = cum
			out.Buckets = append(out.Buckets, *b)
		}
	}
	for th := range count {
		out.Theatres = append(out.Theatres, th)
	}
	// most incidents first, then by name
	for i := 1; i < len(out.Theatres); i++ {
		for j := i; j > 0; j-- {
			a, b := out.Theatres[j-1], out.Theatres[j]
			if count[a] < count[b] || (count[a] == count[b] && a > b) {
				out.Theatres[j-1], out.Theatres[j] = b, a
			}
		}
	}
	return out
}
