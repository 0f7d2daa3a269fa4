package xlsxfast

import (
	"archive/zip"
	"io"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"
)

// cpuTime returns the process's user+system CPU time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// TestMeasure prints wall and CPU time per read of the benchmark workbook
// (100k rows, or XLSXFAST_BENCH_ROWS) for each reader, best of
// XLSXFAST_MEASURE_RUNS (default 3), and the process's peak RSS. CPU time
// is less disturbed than wall time on a shared machine. XLSXFAST_MEASURE
// selects the readers: "1" or "all", or "fast" (skips excelize, for 1M
// rows). It only runs when XLSXFAST_MEASURE is set:
//
//	XLSXFAST_MEASURE=1 go test -run Measure -v ./importers/xlsxfast/
//	XLSXFAST_BENCH_ROWS=1000000 XLSXFAST_MEASURE=fast go test -run Measure -v ./importers/xlsxfast/
func TestMeasure(t *testing.T) {
	mode := os.Getenv("XLSXFAST_MEASURE")
	if mode == "" {
		t.Skip("set XLSXFAST_MEASURE=1 to measure")
	}
	path := incidentWorkbook(t)
	runs := 3
	if s := os.Getenv("XLSXFAST_MEASURE_RUNS"); s != "" {
		if n, err := atoi([]byte(s)); err == nil && n > 0 {
			runs = n
		}
	}
	readers := []struct {
		name string
		read func() int
	}{
		{"unzip only", func() int {
			zr, err := zip.OpenReader(path)
			if err != nil {
				t.Fatal(err)
			}
			defer zr.Close()
			for _, f := range zr.File {
				if f.Name == "xl/worksheets/sheet1.xml" {
					rc, _ := f.Open()
					io.Copy(io.Discard, rc)
					rc.Close()
				}
			}
			return benchRows + 1
		}},
		{"excelize Rows+Columns", func() int {
			src, err := openExcelizeSource(path, "Sheet1")
			if err != nil {
				t.Fatal(err)
			}
			n, _ := countCells(t, src)
			return n
		}},
		{"xlsxfast", func() int { return fastCount(t, path, Options{}, false) }},
		{"xlsxfast serial inflate", func() int { return fastCount(t, path, Options{SerialInflate: true}, false) }},
		{"xlsxfast + Prefetch", func() int { return fastCount(t, path, Options{}, true) }},
	}
	for _, r := range readers {
		if mode == "fast" && strings.HasPrefix(r.name, "excelize") {
			continue
		}
		bestWall, bestCPU := time.Duration(1<<62), time.Duration(1<<62)
		rows := 0
		for range runs {
			w0, c0 := time.Now(), cpuTime()
			rows = r.read()
			bestWall = min(bestWall, time.Since(w0))
			bestCPU = min(bestCPU, cpuTime()-c0)
		}
		t.Logf("%-24s rows %d  wall %7.0f ms (%5.0f ns/row)  cpu %7.0f ms (%5.0f ns/row)", r.name, rows,
			float64(bestWall.Milliseconds()), float64(bestWall.Nanoseconds())/float64(rows),
			float64(bestCPU.Milliseconds()), float64(bestCPU.Nanoseconds())/float64(rows))
	}
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err == nil {
		t.Logf("peak RSS of the test process: %d MB", ru.Maxrss/1024)
	}
}

func fastCount(t *testing.T, path string, opts Options, prefetch bool) int {
	wb, err := Open(path, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer wb.Close()
	rs, err := wb.Rows("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	var src SheetRows = rs
	if prefetch {
		src = Prefetch(rs, 1024)
	}
	n, _ := countCells(t, src)
	return n
}
