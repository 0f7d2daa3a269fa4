package charts

import (
	"cmp"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"sitrep/data"
	"sitrep/internal/demotest"
)

// testNow is the clock of the fake source and of the test stores, so captions ("Chart made
// ...") and goldens do not depend on the day the tests run.
func testNow() time.Time { return time.Date(2025, 11, 12, 9, 0, 0, 0, time.UTC) }

// fakeSource is an in-memory Source: it aggregates a slice of incidents the way the store
// documents Aggregate (one bucket per period from the first to the last matching incident,
// empty periods included, running totals, theatres by incident count).
type fakeSource struct {
	incidents  []data.Incident
	statements []data.Statement
	tallies    []data.Tally
	demo       bool
}

func (f *fakeSource) HasDemoData() (bool, error) { return f.demo, nil }

// Now is the fake's clock (ClockSource).
func (f *fakeSource) Now() time.Time { return testNow() }

func (f *fakeSource) ForEachIncident(flt data.Filter, fn func(*data.Incident) error) error {
	for i := range f.incidents {
		if flt.MatchesIncident(&f.incidents[i]) {
			if err := fn(&f.incidents[i]); err != nil {
				return err
			}
		}
	}
	return nil
}

func (f *fakeSource) Statements(flt data.Filter) ([]data.Statement, error) {
	var out []data.Statement
	for i := range f.statements {
		if flt.MatchesStatement(&f.statements[i]) {
			out = append(out, f.statements[i])
		}
	}
	return out, nil
}

func (f *fakeSource) Tallies(flt data.Filter) ([]data.Tally, error) {
	var out []data.Tally
	for i := range f.tallies {
		if flt.MatchesTally(&f.tallies[i]) {
			out = append(out, f.tallies[i])
		}
	}
	slices.SortStableFunc(out, func(a, b data.Tally) int { return a.AsOf.Compare(b.AsOf) })
	return out, nil
}

func (f *fakeSource) Stats(flt data.Filter) (data.Stats, error) {
	st := data.Stats{ByTheatre: map[string]data.Totals{}}
	_ = f.ForEachIncident(flt, func(r *data.Incident) error {
		st.Add(r)
		t := st.ByTheatre[r.Theatre]
		t.Add(r)
		st.ByTheatre[r.Theatre] = t
		if !r.Date.IsZero() {
			if st.FirstDate.IsZero() || r.Date.Before(st.FirstDate) {
				st.FirstDate = r.Date
			}
			if st.LastDate.IsZero() || st.LastDate.Before(r.Date) {
				st.LastDate = r.Date
			}
		}
		return nil
	})
	// Like the store, the dates span the incidents only; statements and tallies are counted.
	sts, _ := f.Statements(flt)
	st.Statements = len(sts)
	ts, _ := f.Tallies(flt)
	st.Tallies = len(ts)
	return st, nil
}

func (f *fakeSource) Aggregate(flt data.Filter, p data.Period) (data.Series, error) {
	ser := data.Series{Period: p, Filter: flt}
	byStart := map[int]*data.Bucket{}
	count := map[string]int{}
	first, last := 0, 0
	_ = f.ForEachIncident(flt, func(r *data.Incident) error {
		if r.Date.IsZero() {
			ser.Undated++
			return nil
		}
		start := p.Start(r.Date)
		k := start.DayNumber()
		b := byStart[k]
		if b == nil {
			b = &data.Bucket{Start: start, ByTheatre: map[string]data.Totals{}}
			byStart[k] = b
		}
		b.Add(r)
		t := b.ByTheatre[r.Theatre]
		t.Add(r)
		b.ByTheatre[r.Theatre] = t
		if len(byStart) == 1 || k < first {
			first = k
		}
		if len(byStart) == 1 || k > last {
			last = k
		}
		count[r.Theatre]++
		return nil
	})
	if len(byStart) == 0 {
		return ser, nil
	}
	var cum data.Totals
	for d := data.DateFromDayNumber(first); d.DayNumber() <= last; d = p.Next(d) {
		b := byStart[d.DayNumber()]
		if b == nil {
			b = &data.Bucket{Start: d, ByTheatre: map[string]data.Totals{}}
		}
		b.End = data.DateFromDayNumber(p.Next(d).DayNumber() - 1)
		cum.Merge(b.Totals)
		b.Cumulative = cum
		ser.Buckets = append(ser.Buckets, *b)
	}
	for th := range count {
		ser.Theatres = append(ser.Theatres, th)
	}
	slices.SortFunc(ser.Theatres, func(a, b string) int {
		if c := cmp.Compare(count[b], count[a]); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	return ser, nil
}

// demoSource loads the demo tables into a fakeSource.
func demoSource(t testing.TB) *fakeSource {
	t.Helper()
	f := &fakeSource{demo: true, incidents: demotest.Incidents(t), statements: demotest.Statements(t),
		tallies: demotest.Tallies(t)}
	if len(f.incidents) != 17 || len(f.statements) != 8 || len(f.tallies) != 4 {
		t.Fatalf("demo data: %d incidents, %d statements, %d tallies; want 17, 8, 4",
			len(f.incidents), len(f.statements), len(f.tallies))
	}
	return f
}

// lookDir, when set, is where TestLook writes PNGs for a person to look at.
var lookDir = os.Getenv("CHARTS_LOOK_DIR")

func TestLook(t *testing.T) {
	if lookDir == "" {
		t.Skip("set CHARTS_LOOK_DIR to write sample charts")
	}
	src := demoSource(t)
	for _, k := range Kinds {
		for _, th := range []Theme{ThemeLight, ThemeDark} {
			for _, sz := range []Size{SizeSlide, SizeSocial} {
				ch, err := Build(src, Spec{Kind: k, Theme: th, Annotate: true})
				if err != nil {
					t.Fatal(err)
				}
				name := filepath.Join(lookDir, strings.Join([]string{string(k), string(th), strconv.Itoa(sz.Width)}, "-")+".png")
				fh, err := os.Create(name)
				if err != nil {
					t.Fatal(err)
				}
				if err := ch.Render(fh, FormatPNG, sz); err != nil {
					t.Fatal(err)
				}
				fh.Close()
			}
		}
	}
}
