// Package chartbench measures how long Sitrep takes to draw a deaths-per-week chart from a
// million incidents, and writes the same data for the matplotlib comparison in
// ../chart_mpl.py. Run both with ../chart.sh; results are in ../CHARTS.md.
package chartbench

import (
	"bufio"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"sync"
	"syscall"
	"testing"
	"time"

	"sitrep/charts"
	"sitrep/data"
)

// N is the number of synthetic incidents.
const N = 1_000_000

// firstDay is Monday 4 January 2016; the incidents spread over ten years from it.
var firstDay = data.MustDate("2016-01-04").DayNumber()

const spanDays = 3650

var theatres = []string{"Caribbean", "Eastern Pacific", "Atlantic"}

// rec is a compact synthetic incident (1M full data.Incident values would take ~400 MB).
type rec struct {
	day              int32
	lo, hi           int16
	loKnown, hiKnown bool
	theatre          uint8
}

// synth returns N incidents in date order, the same on every run: tolls are exact (70%),
// a range (20%), open-ended "at least" (8%) or unknown (2%).
func synth() []rec {
	r := rand.New(rand.NewPCG(1, 2))
	out := make([]rec, N)
	for i := range out {
		day := int32(firstDay + i*spanDays/N)
		k := int16(r.IntN(12))
		rc := rec{day: day, lo: k, hi: k, loKnown: true, hiKnown: true}
		switch p := r.IntN(100); {
		case p < 20:
			rc.hi = k + int16(1+r.IntN(4))
		case p < 28:
			rc.hiKnown = false
		case p < 30:
			rc = rec{day: day}
		}
		switch p := r.IntN(100); {
		case p < 55:
			rc.theatre = 0
		case p < 90:
			rc.theatre = 1
		default:
			rc.theatre = 2
		}
		out[i] = rc
	}
	return out
}

func (r rec) incident(i int) data.Incident {
	var killed data.Count
	if r.loKnown {
		killed.Min, killed.MinKnown = int(r.lo), true
	}
	if r.hiKnown {
		killed.Max, killed.MaxKnown = int(r.hi), true
	}
	return data.Incident{
		ID: fmt.Sprintf("S-%07d", i), Date: data.DateFromDayNumber(int(r.day)), Theatre: theatres[r.theatre],
		Actor: "United States", Vessels: data.Exactly(1), Killed: killed, Confidence: data.ConfidenceOfficial,
		Source: fmt.Sprintf("Synthetic source %d", i%9),
	}
}

// aggSource is a charts.Source over the synthetic incidents with the weekly aggregation
// computed once up front, so the benchmark measures the chart, not the aggregation (the
// store keeps a rollup for that).
type aggSource struct {
	recs   []rec
	series map[data.Period]data.Series
	stats  data.Stats
}

func newAggSource(recs []rec) *aggSource {
	s := &aggSource{recs: recs, series: map[data.Period]data.Series{}}
	s.stats.ByTheatre = map[string]data.Totals{}
	s.series[data.PeriodWeek] = aggregate(recs, data.PeriodWeek)
	for i, r := range recs {
		inc := r.incident(i)
		s.stats.Add(&inc)
	}
	s.stats.FirstDate = data.DateFromDayNumber(int(recs[0].day))
	s.stats.LastDate = data.DateFromDayNumber(int(recs[len(recs)-1].day))
	return s
}

// aggregate sums the records per period the way data.Store.Aggregate documents it.
func aggregate(recs []rec, p data.Period) data.Series {
	ser := data.Series{Period: p}
	var cur *data.Bucket
	var cum data.Totals
	count := map[string]int{}
	flush := func() {
		if cur != nil {
			cum.Merge(cur.Totals)
			cur.Cumulative = cum
			ser.Buckets = append(ser.Buckets, *cur)
		}
	}
	for i, r := range recs {
		inc := r.incident(i)
		start := p.Start(inc.Date)
		for cur == nil || cur.Start != start {
			next := start
			if cur != nil {
				next = p.Next(cur.Start)
				flush()
			}
			cur = &data.Bucket{Start: next, End: data.DateFromDayNumber(p.Next(next).DayNumber() - 1), ByTheatre: map[string]data.Totals{}}
		}
		cur.Add(&inc)
		t := cur.ByTheatre[inc.Theatre]
		t.Add(&inc)
		cur.ByTheatre[inc.Theatre] = t
		count[inc.Theatre]++
	}
	flush()
	ser.Theatres = []string{"Caribbean", "Eastern Pacific", "Atlantic"}
	return ser
}

func (s *aggSource) Aggregate(f data.Filter, p data.Period) (data.Series, error) {
	ser, ok := s.series[p]
	if !ok {
		return data.Series{}, fmt.Errorf("period %s not precomputed", p)
	}
	return ser, nil
}

func (s *aggSource) Stats(data.Filter) (data.Stats, error) { return s.stats, nil }

func (s *aggSource) ForEachIncident(f data.Filter, fn func(*data.Incident) error) error {
	for i, r := range s.recs {
		inc := r.incident(i)
		if err := fn(&inc); err != nil {
			return err
		}
	}
	return nil
}

func (s *aggSource) Statements(data.Filter) ([]data.Statement, error) { return nil, nil }
func (s *aggSource) Tallies(data.Filter) ([]data.Tally, error)        { return nil, nil }
func (s *aggSource) HasDemoData() (bool, error)                       { return false, nil }

var (
	once sync.Once
	src  *aggSource
)

func source() *aggSource {
	once.Do(func() { src = newAggSource(synth()) })
	return src
}

// cpuTime returns the CPU time the process has used (user + system). On this shared
// machine wall time depends on the other sessions' load; CPU time much less.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// loop runs fn in b.Loop and reports the CPU milliseconds per run next to the wall time.
func loop(b *testing.B, fn func() error) {
	c0 := cpuTime()
	n := 0
	for b.Loop() {
		if err := fn(); err != nil {
			b.Fatal(err)
		}
		n++
	}
	if n > 0 {
		b.ReportMetric(float64(cpuTime()-c0)/float64(time.Millisecond)/float64(n), "cpu-ms/op")
	}
}

var spec = charts.Spec{Kind: charts.KindDeaths, Period: data.PeriodWeek, Count: charts.CountRange}

// BenchmarkDeathsPerWeek1M builds and renders the deaths-per-week chart of 1M incidents
// (522 weekly bars with their min-max range) to a 1920x1080 PNG.
func BenchmarkDeathsPerWeek1M(b *testing.B) {
	s := source()
	b.Run("build+png", func(b *testing.B) {
		loop(b, func() error {
			ch, err := charts.Build(s, spec)
			if err != nil {
				return err
			}
			return ch.Render(io.Discard, charts.FormatPNG, charts.SizeSlide)
		})
	})
	ch, err := charts.Build(s, spec)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("build", func(b *testing.B) {
		loop(b, func() error { _, err := charts.Build(s, spec); return err })
	})
	b.Run("raster", func(b *testing.B) {
		loop(b, func() error { _, err := ch.RenderImage(charts.SizeSlide); return err })
	})
	b.Run("png", func(b *testing.B) {
		loop(b, func() error { return ch.Render(io.Discard, charts.FormatPNG, charts.SizeSlide) })
	})
}

// BenchmarkAggregate1MInMemory is the weekly aggregation of the 1M records in memory,
// without a store: the work a rollup saves.
func BenchmarkAggregate1MInMemory(b *testing.B) {
	s := source()
	loop(b, func() error { aggregate(s.recs, data.PeriodWeek); return nil })
}

// TestWriteBenchData writes the synthetic incidents and their weekly sums as CSV for the
// matplotlib comparison, and the Go chart as PNG, into $CHARTBENCH_OUT.
func TestWriteBenchData(t *testing.T) {
	dir := os.Getenv("CHARTBENCH_OUT")
	if dir == "" {
		t.Skip("set CHARTBENCH_OUT to write the benchmark data")
	}
	s := source()
	write := func(name string, fn func(w *bufio.Writer)) {
		fh, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		w := bufio.NewWriter(fh)
		fn(w)
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
		if err := fh.Close(); err != nil {
			t.Fatal(err)
		}
	}
	// Unknown ends are -1: numpy reads plain integers fastest.
	write("chart_incidents.csv", func(w *bufio.Writer) {
		fmt.Fprintln(w, "day,theatre,killed_min,killed_max")
		for _, r := range s.recs {
			lo, hi := int(r.lo), int(r.hi)
			if !r.loKnown {
				lo = -1
			}
			if !r.hiKnown {
				hi = -1
			}
			fmt.Fprintf(w, "%d,%d,%d,%d\n", r.day, r.theatre, lo, hi)
		}
	})
	write("chart_weekly.csv", func(w *bufio.Writer) {
		fmt.Fprintln(w, "start_day,killed_min,killed_max")
		for _, bk := range s.series[data.PeriodWeek].Buckets {
			fmt.Fprintf(w, "%d,%d,%d\n", bk.Start.DayNumber(), bk.KilledMin, bk.KilledMax)
		}
	})
	ch, err := charts.Build(s, spec)
	if err != nil {
		t.Fatal(err)
	}
	fh, err := os.Create(filepath.Join(dir, "chart_go.png"))
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	if err := ch.Render(fh, charts.FormatPNG, charts.SizeSlide); err != nil {
		t.Fatal(err)
	}
}

var (
	storeOnce sync.Once
	storePath string
	storeErr  error
)

// benchStore returns a store holding the N synthetic incidents: $CHARTBENCH_DB when it is
// set and already holds them (chart.sh keeps one in bench/out), else a new one there or in
// a temporary folder.
func benchStore(b testing.TB) *data.Store {
	b.Helper()
	storeOnce.Do(func() {
		storePath = os.Getenv("CHARTBENCH_DB")
		if storePath == "" {
			dir, err := os.MkdirTemp("", "chartbench")
			if err != nil {
				storeErr = err
				return
			}
			storePath = filepath.Join(dir, "bench.db")
		}
		st, err := data.Open(storePath, data.Options{})
		if err != nil {
			storeErr = err
			return
		}
		defer st.Close()
		stats, err := st.Stats(data.Filter{})
		if err != nil {
			storeErr = err
			return
		}
		if stats.Incidents == N {
			return
		}
		if stats.Incidents != 0 {
			storeErr = fmt.Errorf("%s holds %d incidents, not %d: remove it", storePath, stats.Incidents, N)
			return
		}
		start := time.Now()
		batch, err := st.BeginImport(data.ImportInfo{File: "synthetic", Source: "file"})
		if err != nil {
			storeErr = err
			return
		}
		for i, r := range source().recs {
			inc := r.incident(i)
			if err := batch.PutIncident(&inc); err != nil {
				storeErr = err
				return
			}
		}
		if _, err := batch.Commit(); err != nil {
			storeErr = err
			return
		}
		fmt.Fprintf(os.Stderr, "chartbench: imported %d incidents into %s in %.1f s\n", N, storePath, time.Since(start).Seconds())
	})
	if storeErr != nil {
		b.Fatal(storeErr)
	}
	st, err := data.Open(storePath, data.Options{ReadOnly: true})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	return st
}

// BenchmarkDeathsPerWeek1MStore is the same chart read from a real store of 1M incidents:
// the store's rollup aggregation, the caption's reads (at most 20,000 incidents for the
// sources), and the 1920x1080 PNG.
func BenchmarkDeathsPerWeek1MStore(b *testing.B) {
	st := benchStore(b)
	b.Run("build+png", func(b *testing.B) {
		loop(b, func() error {
			ch, err := charts.Build(st, spec)
			if err != nil {
				return err
			}
			return ch.Render(io.Discard, charts.FormatPNG, charts.SizeSlide)
		})
	})
	b.Run("build", func(b *testing.B) {
		loop(b, func() error { _, err := charts.Build(st, spec); return err })
	})
	b.Run("aggregate", func(b *testing.B) {
		loop(b, func() error { _, err := st.Aggregate(data.Filter{}, data.PeriodWeek); return err })
	})
}

// TestStoreChartMatchesFake checks that the 1M store and the in-memory aggregation give the
// same chart, so the two benchmarks draw the same thing.
func TestStoreChartMatchesFake(t *testing.T) {
	if os.Getenv("CHARTBENCH_DB") == "" {
		t.Skip("set CHARTBENCH_DB (chart.sh does) to compare with a 1M store")
	}
	st := benchStore(t)
	got, err := charts.Build(st, spec)
	if err != nil {
		t.Fatal(err)
	}
	want, err := charts.Build(source(), spec)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Layers, want.Layers) {
		t.Errorf("store and in-memory charts differ: %d and %d layers", len(got.Layers), len(want.Layers))
	}
	if g, w := got.Caption.Lines(), want.Caption.Lines(); !reflect.DeepEqual(g, w) {
		t.Errorf("captions differ:\nstore  %q\nmemory %q", g, w)
	}
}
