package tablebench

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"

	"sitrep/data"
	"sitrep/table"
)

// N is the number of incidents in the benchmark store.
const N = 1_000_000

var (
	storeOnce sync.Once
	storePath string
	storeErr  error
)

// benchStore opens the 1M store read-only: $TABLEBENCH_DB (bench/out/table_1m.db in run.sh),
// written first when it does not hold the incidents yet, else one in a temporary folder.
func benchStore(b *testing.B) *data.Store {
	b.Helper()
	storeOnce.Do(func() {
		storePath = os.Getenv("TABLEBENCH_DB")
		if storePath == "" {
			dir, err := os.MkdirTemp("", "tablebench")
			if err != nil {
				storeErr = err
				return
			}
			storePath = filepath.Join(dir, "table_1m.db")
		}
		storeErr = WriteStore(storePath, N)
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

// columns are the Incidents screen's sortable columns, as app/incidents.go declares them.
var columns = []table.Column[data.Incident]{
	{Natural: true}, // Date
	{Text: func(r *data.Incident) string { return r.ID }},
	{Text: func(r *data.Incident) string { return r.Theatre }},
	{Int: func(r *data.Incident) int64 { return CountKey(r.Killed) }},
	{Text: func(r *data.Incident) string { return r.Location }},
	{Text: func(r *data.Incident) string { return r.Source }},
}

var columnNames = []string{"date", "id", "theatre", "killed", "location", "source"}

// CountKey orders counts unknown first, then by low and high bound.
func CountKey(c data.Count) int64 {
	if !c.Known() {
		return -1
	}
	return int64(c.Low())<<31 | int64(min(c.High(), 1<<31-1))
}

// cpuTime is the user+system CPU time this process has used: on a shared machine a steadier
// figure than wall time.
func cpuTime() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}

// cpu measures the CPU seconds of the timed part of a benchmark loop.
type cpu struct {
	total, from float64
}

func (c *cpu) start() { c.from = cpuTime() }
func (c *cpu) stop()  { c.total += cpuTime() - c.from }
func (c *cpu) report(b *testing.B) {
	b.ReportMetric(c.total/float64(b.N), "cpu-s/op")
}

// rss reports the process's resident memory in MB: all of it, the Go heap and stacks
// (anonymous) and the store's memory-mapped file pages.
func rss(b *testing.B) {
	raw, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return
	}
	for _, line := range strings.Split(string(raw), "\n") {
		for _, name := range []string{"VmRSS", "RssAnon", "RssFile"} {
			if v, ok := strings.CutPrefix(line, name+":"); ok {
				kb, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
				b.ReportMetric(float64(kb)/1024, name+"-MB")
			}
		}
	}
}

// BenchmarkFirstPage1M: from nothing to the first screenful (40 rows' records) of the
// Incidents table on the 1M store; the rest of the load is then cancelled.
func BenchmarkFirstPage1M(b *testing.B) {
	st := benchStore(b)
	var c cpu
	for b.Loop() {
		c.start()
		m := table.New(st, data.KindIncident, columns)
		ctx, cancel := context.WithCancel(context.Background())
		shown := make(chan *table.View[data.Incident], 1)
		done := make(chan struct{})
		go func() {
			defer close(done)
			m.Load(ctx, data.Filter{}, func(v *table.View[data.Incident]) { shown <- v }, nil)
		}()
		v := <-shown
		for i := range 40 {
			if _, err := v.Row(i); err != nil {
				b.Fatal(err)
			}
		}
		c.stop()
		cancel()
		<-done
	}
	c.report(b)
}

func loaded(b *testing.B, st *data.Store) (*table.Model[data.Incident], *table.View[data.Incident]) {
	m := table.New(st, data.KindIncident, columns)
	v, err := m.Load(context.Background(), data.Filter{}, nil, nil)
	if err != nil {
		b.Fatal(err)
	}
	if v.Len() != N {
		b.Fatalf("loaded %d rows, want %d", v.Len(), N)
	}
	return m, v
}

// BenchmarkLoad1M reads the refs of all 1M rows (in the background, after the first page).
func BenchmarkLoad1M(b *testing.B) {
	st := benchStore(b)
	var c cpu
	for b.Loop() {
		c.start()
		loaded(b, st)
		c.stop()
	}
	c.report(b)
}

// BenchmarkSort1M sorts the loaded 1M rows by each column, the first time (the model reads the
// column and builds its order), and shows the first row.
func BenchmarkSort1M(b *testing.B) {
	st := benchStore(b)
	for col, name := range columnNames {
		b.Run(name, func(b *testing.B) {
			var c cpu
			for b.Loop() {
				b.StopTimer()
				m, _ := loaded(b, st)
				b.StartTimer()
				c.start()
				v, err := m.Arrange(context.Background(), col, true, "")
				if err != nil {
					b.Fatal(err)
				}
				if _, err := v.Row(0); err != nil {
					b.Fatal(err)
				}
				c.stop()
			}
			c.report(b)
		})
	}
}

// BenchmarkSortFirstScreen1M: a sort by a column of a million distinct texts shows its first
// screenful before the whole order is built; this is the time to that screenful.
func BenchmarkSortFirstScreen1M(b *testing.B) {
	st := benchStore(b)
	for _, col := range []int{1, 4, 5} {
		b.Run(columnNames[col], func(b *testing.B) {
			var c cpu
			for b.Loop() {
				b.StopTimer()
				m, _ := loaded(b, st)
				b.StartTimer()
				c.start()
				ctx, cancel := context.WithCancel(context.Background())
				shown := make(chan *table.View[data.Incident], 1)
				done := make(chan struct{})
				go func() {
					defer close(done)
					m.ArrangeFirst(ctx, col, true, "", func(v *table.View[data.Incident]) { shown <- v })
				}()
				v := <-shown
				if _, err := v.Row(0); err != nil {
					b.Fatal(err)
				}
				c.stop()
				b.StopTimer()
				cancel()
				<-done
				b.StartTimer()
			}
			c.report(b)
		})
	}
}

// BenchmarkSearch1M searches the loaded 1M rows for a common and a rare text.
func BenchmarkSearch1M(b *testing.B) {
	st := benchStore(b)
	for _, q := range []string{"venezuela", "item 777777"} {
		b.Run(strings.ReplaceAll(q, " ", "_"), func(b *testing.B) {
			var c cpu
			for b.Loop() {
				b.StopTimer()
				m, _ := loaded(b, st)
				b.StartTimer()
				c.start()
				v, err := m.Arrange(context.Background(), -1, false, q)
				if err != nil {
					b.Fatal(err)
				}
				if v.Len() == 0 {
					b.Fatalf("no row matches %q", q)
				}
				c.stop()
			}
			c.report(b)
		})
	}
}

// BenchmarkMemory1M loads the table, sorts it by every column with a search on, and reports
// the resident memory then (after a GC that returns freed memory to the system, as the Go
// runtime does on its own within minutes): the Go heap (RssAnon) and the store's pages
// mapped into memory (RssFile, shared with the page cache).
func BenchmarkMemory1M(b *testing.B) {
	st := benchStore(b)
	for b.Loop() {
		m, _ := loaded(b, st)
		for c := range columns {
			if _, err := m.Arrange(context.Background(), c, false, "venezuela"); err != nil {
				b.Fatal(err)
			}
		}
		debug.FreeOSMemory()
		rss(b)
		runtime.KeepAlive(m)
	}
}
