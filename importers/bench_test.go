package importers

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strconv"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"sitrep/data"
)

// writeIncidentWorkbook generates an 11-column incident workbook of n rows with excelize's
// stream writer.
func writeIncidentWorkbook(path string, n int) error {
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		return err
	}
	if err := sw.SetRow("A1", []any{"id", "date", "theatre", "location", "actor", "target", "vessels",
		"killed_min", "killed_max", "survivors", "source"}); err != nil {
		return err
	}
	for i := 0; i < n; i++ {
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, []any{"X-" + strconv.Itoa(i), 45000 + i%2000, "Caribbean", fmt.Sprintf("Place %d", i%500),
			"United States", "Boat", 1, i % 7, i%7 + 2, 0, "Press reports"}); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return f.SaveAs(path)
}

// BenchmarkImport measures Inspect and Run of a 10,000-row workbook into a real store
// (a temporary bbolt file). SITREP_BENCH_ROWS changes the row count.
func BenchmarkImport(b *testing.B) {
	n := 10000
	if v, err := strconv.Atoi(os.Getenv("SITREP_BENCH_ROWS")); err == nil && v > 0 {
		n = v
	}
	dir := b.TempDir()
	path := filepath.Join(dir, "incidents.xlsx")
	if err := writeIncidentWorkbook(path, n); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		st, err := data.Open(filepath.Join(dir, fmt.Sprintf("s%d.db", i)), data.Options{})
		if err != nil {
			b.Fatal(err)
		}
		plan, err := Inspect(path, Options{})
		if err != nil {
			b.Fatal(err)
		}
		batch, err := st.BeginImport(data.ImportInfo{File: path, SHA256: plan.SHA256(), Source: "file"})
		if err != nil {
			b.Fatal(err)
		}
		rep, err := Run(context.Background(), plan, batch, nil)
		if err != nil || rep.Sheets[0].Inserted != n {
			b.Fatalf("%v: %+v", err, rep.Sheets[0])
		}
		plan.Close()
		st.Close()
	}
	b.ReportMetric(float64(n), "rows/op")
}

// BenchmarkImportFile imports the workbook named by SITREP_BENCH_FILE (for example one made
// by `go run ./bench/gen -rows 100000 -out FILE.xlsx`) into a fresh store: the whole
// `sitrep import` path, for profiling with -cpuprofile/-memprofile. Skipped without the variable.
func BenchmarkImportFile(b *testing.B) {
	path := os.Getenv("SITREP_BENCH_FILE")
	if path == "" {
		b.Skip("set SITREP_BENCH_FILE to a workbook")
	}
	dir := b.TempDir()
	for i := 0; i < b.N; i++ {
		st, err := data.Open(filepath.Join(dir, fmt.Sprintf("s%d.db", i)), data.Options{})
		if err != nil {
			b.Fatal(err)
		}
		plan, err := Inspect(path, Options{})
		if err != nil {
			b.Fatal(err)
		}
		batch, err := st.BeginImport(data.ImportInfo{File: path, SHA256: plan.SHA256(), Source: "file"})
		if err != nil {
			b.Fatal(err)
		}
		stop := make(chan struct{})
		if heap := os.Getenv("SITREP_BENCH_HEAP"); heap != "" {
			// A heap profile whenever the live heap (at the last GC) reaches a new peak.
			go func() {
				var peak uint64
				var ms runtime.MemStats
				for {
					select {
					case <-stop:
						b.Logf("peak live heap %d MB", peak>>20)
						return
					case <-time.After(100 * time.Millisecond):
					}
					runtime.ReadMemStats(&ms)
					if ms.HeapAlloc > peak+(8<<20) {
						peak = ms.HeapAlloc
						if f, err := os.Create(heap); err == nil {
							pprof.WriteHeapProfile(f)
							f.Close()
						}
					}
				}
			}()
		}
		rep, err := Run(context.Background(), plan, batch, nil)
		close(stop)
		if err != nil {
			b.Fatalf("%v: %+v", err, rep)
		}
		b.ReportMetric(float64(rep.Sheets[0].Rows), "rows/op")
		plan.Close()
		st.Close()
	}
}
