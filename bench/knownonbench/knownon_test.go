// Package knownonbench measures known-on reads on a million-incident store with a year of
// revisions: one import of N incidents, then 52 weekly re-imports that each revise 1% of them
// (N/100 new figures), plus edits and deletions every week: about 520,000 revisions at 1M.
// The store's clock (Options.Now) moves a week per import, so "as known on" week 26 sits in
// the middle of the history.
//
//	go test ./bench/knownonbench -bench . -benchtime 3x -timeout 30m
//
// SITREP_BENCH_N changes N (default 1,000,000). SITREP_KNOWNON_DB=FILE keeps the store in FILE
// and reuses it on the next run (building it takes about two minutes at 1M). Results are in
// bench/KNOWNON.md.
package knownonbench

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"sitrep/charts"
	"sitrep/data"
)

var benchN = 1_000_000

func init() {
	if v, err := strconv.Atoi(os.Getenv("SITREP_BENCH_N")); err == nil && v > 0 {
		benchN = v
	}
}

const weeks = 52

var start = time.Date(2025, 1, 6, 9, 0, 0, 0, time.UTC)

func incident(i, week int) data.Incident {
	h := uint32(i) * 2654435761
	return data.Incident{
		ID:         fmt.Sprintf("B-%07d", i),
		Date:       data.DateFromDayNumber(20089 + int(h%365)), // 2025
		Theatre:    []string{"Caribbean", "Eastern Pacific", "Gulf of Aden", "Red Sea"}[h%4],
		Location:   "International waters",
		Actor:      []string{"United States", "United Kingdom", "Houthis"}[(h>>3)%3],
		Vessels:    data.Exactly(1 + int(h>>5)%2),
		Killed:     data.Between(int(h>>7)%4+week, int(h>>7)%4+int(h>>9)%3+week),
		Survivors:  data.Exactly(int(h>>11) % 2),
		Confidence: data.Confidences[(h>>13)%3],
		Source:     "Press reports",
		Provenance: data.Provenance{File: fmt.Sprintf("week-%02d.xlsx", week), Row: i + 2},
	}
}

var shared struct {
	once  sync.Once
	dir   string
	s     *data.Store
	clock time.Time
	err   error
	revs  int
}

// store builds the store once: N incidents, then a year of weekly revisions.
func store(b *testing.B) *data.Store {
	b.Helper()
	shared.once.Do(func() {
		shared.clock = start
		now := func() time.Time { return shared.clock }
		path := os.Getenv("SITREP_KNOWNON_DB")
		if path != "" {
			if _, err := os.Stat(path); err == nil {
				shared.s, shared.err = data.Open(path, data.Options{Now: now})
				shared.clock = start.AddDate(1, 0, 0)
				return
			}
		} else {
			if shared.dir, shared.err = os.MkdirTemp("", "sitrep-knownon"); shared.err != nil {
				return
			}
			path = filepath.Join(shared.dir, "bench.db")
		}
		s, err := data.Open(path, data.Options{Now: now})
		if err != nil {
			shared.err = err
			return
		}
		shared.s = s
		t0 := time.Now()
		put := func(week int, ids func(yield func(int))) error {
			bt, err := s.BeginImport(data.ImportInfo{File: fmt.Sprintf("week-%02d.xlsx", week), Source: "file"})
			if err != nil {
				return err
			}
			defer bt.Abort()
			var perr error
			ids(func(i int) {
				if perr == nil {
					r := incident(i, week)
					perr = bt.PutIncident(&r)
				}
			})
			if perr != nil {
				return perr
			}
			_, err = bt.Commit()
			return err
		}
		if shared.err = put(0, func(y func(int)) {
			for i := range benchN {
				y(i)
			}
		}); shared.err != nil {
			return
		}
		rev := benchN / 100
		for w := 1; w <= weeks; w++ {
			shared.clock = start.AddDate(0, 0, 7*w)
			first := (w * rev * 7) % benchN
			if shared.err = put(w, func(y func(int)) {
				for k := range rev {
					y((first + k) % benchN)
				}
			}); shared.err != nil {
				return
			}
			shared.revs += rev
			// A few edits and deletions a day later.
			shared.clock = shared.clock.Add(24 * time.Hour)
			for k := range 20 {
				id := fmt.Sprintf("B-%07d", (first+rev+k*97)%benchN)
				r, err := s.Incident(id)
				if err != nil {
					continue
				}
				r.Notes = "checked week " + strconv.Itoa(w)
				if shared.err = s.SaveIncident(&r); shared.err != nil {
					return
				}
				shared.revs++
			}
			for k := range 5 {
				if err := s.Delete(data.KindIncident, fmt.Sprintf("B-%07d", (first+rev+5000+k*131)%benchN)); err == nil {
					shared.revs++
				}
			}
		}
		shared.clock = start.AddDate(1, 0, 0)
		fmt.Fprintf(os.Stderr, "built %d incidents with %d revisions over %d weeks in %s\n", benchN, shared.revs, weeks, time.Since(t0).Round(time.Second))
	})
	if shared.err != nil {
		b.Fatal(shared.err)
	}
	return shared.s
}

func TestMain(m *testing.M) {
	code := m.Run()
	if shared.s != nil {
		shared.s.Close()
	}
	if shared.dir != "" {
		os.RemoveAll(shared.dir)
	}
	os.Exit(code)
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// loop runs fn b.N times, each on a fresh known-on cache (a settings write in between, not
// timed, so that no run reuses the previous one's work), and reports CPU seconds too.
func loop(b *testing.B, s *data.Store, fn func() error) {
	var cpu time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		if err := s.SetSetting("bench", []byte(strconv.Itoa(i))); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		c0 := cpuTime()
		if err := fn(); err != nil {
			b.Fatal(err)
		}
		cpu += cpuTime() - c0
	}
	b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
}

// BenchmarkKnownOnChart1M builds and renders (PNG, 1920x1080) the deaths-per-week chart as
// known on the middle of the year: the figure the issue asks to stay under 2 s.
func BenchmarkKnownOnChart1M(b *testing.B) {
	s := store(b)
	spec := charts.Spec{Kind: charts.KindDeaths, Period: data.PeriodWeek,
		Filter: data.Filter{KnownOn: start.AddDate(0, 0, 7*26+3)}}
	loop(b, s, func() error {
		ch, err := charts.Build(s, spec)
		if err != nil {
			return err
		}
		return ch.Render(io.Discard, charts.FormatPNG, charts.SizeSlide)
	})
}

// BenchmarkCurrentChart1M is the same chart of the current data, for comparison.
func BenchmarkCurrentChart1M(b *testing.B) {
	s := store(b)
	spec := charts.Spec{Kind: charts.KindDeaths, Period: data.PeriodWeek}
	loop(b, s, func() error {
		ch, err := charts.Build(s, spec)
		if err != nil {
			return err
		}
		return ch.Render(io.Discard, charts.FormatPNG, charts.SizeSlide)
	})
}

// BenchmarkKnownOnStats1M: stats as known on a week into the year (nearly every revision
// comes after it: the worst case).
func BenchmarkKnownOnStats1M(b *testing.B) {
	s := store(b)
	loop(b, s, func() error {
		st, err := s.Stats(data.Filter{KnownOn: start.Add(time.Hour)})
		if err == nil && st.Incidents != benchN {
			err = fmt.Errorf("as known on the first import: %d incidents, want %d", st.Incidents, benchN)
		}
		return err
	})
}

// BenchmarkChangesWeek1M: what changed in one week (week 30 to week 31).
func BenchmarkChangesWeek1M(b *testing.B) {
	s := store(b)
	t1 := start.AddDate(0, 0, 7*30+3)
	loop(b, s, func() error {
		rep, err := s.Changes(t1, t1.AddDate(0, 0, 7))
		if err == nil && len(rep.Changed) < benchN/100 {
			err = fmt.Errorf("%d changed in a week, want at least %d", len(rep.Changed), benchN/100)
		}
		return err
	})
}
