// Package storebench benchmarks the store at a million incidents: imports, re-imports,
// undo, aggregation and scans, on synthetic records (benchIncident). SITREP_BENCH_N changes
// the count, CHUNK the records per transaction, SITREP_BENCH_RANDOM_IDS=1 the id order.
//
//	go test ./bench/storebench -bench . -benchtime 1x
package storebench

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"sitrep/data"
)

var benchN = 1_000_000

// benchIncident makes the i-th of a million plausible incidents: ids in import order, dates
// scattered over six years (so the date index and rollup see random days), four theatres,
// three actors, the standard confidences and some free text.
func benchIncident(i int) data.Incident {
	h := uint32(i) * 2654435761 // Knuth's multiplicative hash: a cheap scatter
	d := data.DateFromDayNumber(18262 + int(h%2190))
	return data.Incident{
		ID:                 benchID(i, h),
		Date:               d,
		Theatre:            []string{"Caribbean", "Eastern Pacific", "Gulf of Aden", "Red Sea"}[h%4],
		Location:           "International waters off the coast",
		Actor:              []string{"United States", "United Kingdom", "Houthis"}[(h>>3)%3],
		Target:             "Boat",
		Vessels:            data.Exactly(1 + int(h>>5)%2),
		AllegedAffiliation: "Unknown",
		Killed:             data.Between(int(h>>7)%4, int(h>>7)%4+int(h>>9)%3),
		Survivors:          data.Exactly(int(h>>11) % 2),
		AnnouncedBy:        "Secretary of War (X)",
		Confidence:         data.Confidences[(h>>13)%3],
		Source:             "Press reports of the announcement",
		Notes:              "Synthetic benchmark record",
		Provenance:         data.Provenance{File: "bench.xlsx", Sheet: "Strikes", Row: i + 2},
	}
}

// randomIDs (SITREP_BENCH_RANDOM_IDS=1) gives ids in no particular order, as a spreadsheet
// sorted by date rather than by id would.
var randomIDs = os.Getenv("SITREP_BENCH_RANDOM_IDS") != ""

func benchID(i int, h uint32) string {
	if randomIDs {
		return fmt.Sprintf("B-%08x-%d", h, i)
	}
	return fmt.Sprintf("B-%07d", i)
}

// cpuTime is the user+system CPU time this process has used: on a shared machine it is a
// steadier figure than wall time, which the benchmarks report too.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func reportCPU(b *testing.B, since time.Duration) {
	b.ReportMetric((cpuTime()-since).Seconds()/float64(b.N), "cpu-s/op")
}

func fill(tb testing.TB, s *data.Store, n int) {
	tb.Helper()
	if got := importBench(tb, s, n).Inserted; got != n {
		tb.Fatalf("inserted %d, want %d", got, n)
	}
}

// importBench imports the first n benchIncidents into s as one import and returns its counts.
func importBench(tb testing.TB, s *data.Store, n int) data.Counts {
	tb.Helper()
	b, err := s.BeginImport(data.ImportInfo{File: "bench.xlsx", Source: "file"})
	if err != nil {
		tb.Fatal(err)
	}
	defer b.Abort()
	for i := range n {
		r := benchIncident(i)
		if err := b.PutIncident(&r); err != nil {
			tb.Fatal(err)
		}
	}
	res, err := b.Commit()
	if err != nil {
		tb.Fatal(err)
	}
	return res.ByKind[data.KindIncident]
}

// BenchmarkInsert1M imports a million incidents through BeginImport, PutIncident and Commit
// into a new store.
func BenchmarkInsert1M(b *testing.B) {
	var cpu time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		s, err := data.Open(filepath.Join(b.TempDir(), fmt.Sprintf("bench%d.db", i)), storeOptions())
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		c0 := cpuTime()
		fill(b, s, benchN)
		cpu += cpuTime() - c0
		b.StopTimer()
		s.Close()
	}
	b.ReportMetric(float64(benchN)*float64(b.N)/b.Elapsed().Seconds(), "records/s")
	b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
}

var shared struct {
	once sync.Once
	dir  string
	s    *data.Store
	err  error
}

// benchStore returns a store with benchN incidents, built once and shared by the read
// benchmarks (TestMain removes it).
func benchStore(b *testing.B) *data.Store {
	b.Helper()
	shared.once.Do(func() {
		if shared.dir, shared.err = os.MkdirTemp("", "sitrep-bench"); shared.err != nil {
			return
		}
		if shared.s, shared.err = data.Open(filepath.Join(shared.dir, "bench.db"), storeOptions()); shared.err != nil {
			return
		}
		fill(b, shared.s, benchN)
	})
	if shared.err != nil {
		b.Fatal(shared.err)
	}
	return shared.s
}

// TestMain removes the shared store after the benchmarks.
func TestMain(m *testing.M) {
	code := m.Run()
	closeBenchStore()
	os.Exit(code)
}

func closeBenchStore() {
	if shared.s != nil {
		shared.s.Close()
	}
	if shared.dir != "" {
		os.RemoveAll(shared.dir)
	}
}

// BenchmarkAggregateWeek1M sums deaths per ISO week over a million incidents (the rollup
// path), and checks the sum against the incident count.
func BenchmarkAggregateWeek1M(b *testing.B) {
	s := benchStore(b)
	b.ResetTimer()
	defer reportCPU(b, cpuTime())
	for i := 0; i < b.N; i++ {
		ser, err := s.Aggregate(data.Filter{}, data.PeriodWeek)
		if err != nil {
			b.Fatal(err)
		}
		if last := ser.Buckets[len(ser.Buckets)-1].Cumulative; last.Incidents != benchN {
			b.Fatalf("cumulative incidents %d", last.Incidents)
		}
	}
}

// BenchmarkAggregateWeekScan1M is the same with a Search filter, which the rollup cannot
// answer: a full scan and decode of a million incidents.
func BenchmarkAggregateWeekScan1M(b *testing.B) {
	s := benchStore(b)
	b.ResetTimer()
	defer reportCPU(b, cpuTime())
	for i := 0; i < b.N; i++ {
		ser, err := s.Aggregate(data.Filter{Search: "synthetic"}, data.PeriodWeek)
		if err != nil {
			b.Fatal(err)
		}
		if last := ser.Buckets[len(ser.Buckets)-1].Cumulative; last.Incidents != benchN {
			b.Fatalf("cumulative incidents %d", last.Incidents)
		}
	}
}

// chunk is Options.ChunkSize for the benchmarks' stores (CHUNK; zero is the store's default).
var chunk int

// storeOptions are the options the benchmarks open their stores with.
func storeOptions() data.Options { return data.Options{ChunkSize: chunk} }

func init() {
	if v := os.Getenv("CHUNK"); v != "" {
		chunk, _ = strconv.Atoi(v)
	}
	if v := os.Getenv("SITREP_BENCH_N"); v != "" {
		benchN, _ = strconv.Atoi(v)
	}
}

// BenchmarkForEachIncident1M streams a million incidents in date order through the date
// index, decoding each.
func BenchmarkForEachIncident1M(b *testing.B) {
	s := benchStore(b)
	b.ResetTimer()
	defer reportCPU(b, cpuTime())
	for i := 0; i < b.N; i++ {
		n := 0
		if err := s.ForEachIncident(data.Filter{}, func(*data.Incident) error { n++; return nil }); err != nil {
			b.Fatal(err)
		}
		if n != benchN {
			b.Fatalf("%d incidents", n)
		}
	}
}

// BenchmarkStats1M is Stats over a million incidents with a theatre and date filter.
func BenchmarkStats1M(b *testing.B) {
	s := benchStore(b)
	f := data.Filter{Theatres: []string{"Red Sea"}, From: data.MustDate("2021-01-01"), To: data.MustDate("2022-12-31")}
	b.ResetTimer()
	defer reportCPU(b, cpuTime())
	for i := 0; i < b.N; i++ {
		st, err := s.Stats(f)
		if err != nil {
			b.Fatal(err)
		}
		if st.Incidents == 0 {
			b.Fatal("no incidents")
		}
	}
}

// BenchmarkReimportUnchanged1M imports the same million incidents again: every record is
// looked up and compared, and nothing is written.
func BenchmarkReimportUnchanged1M(b *testing.B) {
	s := benchStore(b)
	b.ResetTimer()
	defer reportCPU(b, cpuTime())
	for i := 0; i < b.N; i++ {
		if got := importBench(b, s, benchN).Unchanged; got != benchN {
			b.Fatalf("unchanged %d, want %d", got, benchN)
		}
	}
}

// BenchmarkUndoImport1M undoes an import of a million incidents (one transaction).
func BenchmarkUndoImport1M(b *testing.B) {
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		s, err := data.Open(filepath.Join(b.TempDir(), fmt.Sprintf("undo%d.db", i)), storeOptions())
		if err != nil {
			b.Fatal(err)
		}
		fill(b, s, benchN)
		logs, _ := s.Imports()
		b.StartTimer()
		c0 := cpuTime()
		if err := s.UndoImport(logs[0].ID); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric((cpuTime() - c0).Seconds(), "cpu-s/op")
		b.StopTimer()
		if st, _ := s.Stats(data.Filter{}); st.Incidents != 0 {
			b.Fatalf("%d incidents left", st.Incidents)
		}
		s.Close()
	}
}
