package xlsxfast

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/xuri/excelize/v2"
)

// benchRows is the size of the benchmark workbook: issue 7 measures 100k
// rows of 11 columns; XLSXFAST_BENCH_ROWS overrides it (e.g. 1000000).
var benchRows = func() int {
	if n, err := atoi([]byte(os.Getenv("XLSXFAST_BENCH_ROWS"))); err == nil && n > 0 {
		return n
	}
	return 100_000
}()

var benchOnce sync.Once
var benchPath string
var benchErr error

// incidentWorkbook returns the path of a benchRows-row, 11-column incident
// workbook written with excelize's StreamWriter (inline strings, dates as
// serial numbers with a date style, numbers), cached in os.TempDir.
func incidentWorkbook(tb testing.TB) string {
	tb.Helper()
	benchOnce.Do(func() {
		p := filepath.Join(os.TempDir(), fmt.Sprintf("sitrep-xlsxfast-bench-%d-v1.xlsx", benchRows))
		if _, err := os.Stat(p); err == nil {
			benchPath = p
			return
		}
		tmp := strings.TrimSuffix(p, ".xlsx") + fmt.Sprintf(".tmp%d.xlsx", os.Getpid())
		benchErr = writeIncidentWorkbook(tmp, benchRows)
		if benchErr == nil {
			benchErr = os.Rename(tmp, p)
		}
		benchPath = p
	})
	if benchErr != nil {
		tb.Fatal(benchErr)
	}
	return benchPath
}

// writeIncidentWorkbook writes an incident workbook of n data rows.
func writeIncidentWorkbook(path string, n int) error {
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		return err
	}
	dateStyle, err := f.NewStyle(&excelize.Style{NumFmt: 14})
	if err != nil {
		return err
	}
	header := []any{"ID", "Date", "Country", "Location", "Latitude", "Longitude",
		"Minimum killed", "Maximum killed", "Injured", "Source", "Notes"}
	if err := sw.SetRow("A1", header); err != nil {
		return err
	}
	countries := []string{"Afghanistan", "Pakistan", "Somalia", "Yemen", "Syria", "Iraq", "Libya"}
	places := []string{"Kabul", "Datta Khel", "Mogadishu", "Marib", "Idlib", "Mosul", "Sirte", "Jilib"}
	sources := []string{"TBIJ", "Airwars", "ACLED", "New America", "local media"}
	rng := rand.New(rand.NewPCG(42, 7))
	row := make([]any, 11)
	for i := 0; i < n; i++ {
		lo := rng.IntN(20)
		row[0] = fmt.Sprintf("INC%07d", i+1)
		row[1] = excelize.Cell{StyleID: dateStyle, Value: 40000 + rng.IntN(5000)}
		row[2] = countries[rng.IntN(len(countries))]
		row[3] = places[rng.IntN(len(places))]
		row[4] = 25 + rng.Float64()*15
		row[5] = 40 + rng.Float64()*30
		row[6] = lo
		row[7] = lo + rng.IntN(10)
		row[8] = rng.IntN(50)
		row[9] = sources[rng.IntN(len(sources))]
		row[10] = strings.Repeat("strike reported near the market; ", 1+rng.IntN(3))
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, row); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return f.SaveAs(path)
}

// sheetPartSize returns the uncompressed size of the first worksheet part.
func sheetPartSize(tb testing.TB, path string) int64 {
	zr, err := zip.OpenReader(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer zr.Close()
	for _, f := range zr.File {
		if f.Name == "xl/worksheets/sheet1.xml" {
			return int64(f.UncompressedSize64)
		}
	}
	tb.Fatal("no sheet1.xml")
	return 0
}

// countCells drains rs and returns the number of rows and cells.
func countCells(tb testing.TB, rs SheetRows) (rows, cells int) {
	for rs.Next() {
		_, c := rs.Row()
		rows++
		cells += len(c)
	}
	if err := rs.Err(); err != nil {
		tb.Fatal(err)
	}
	if err := rs.Close(); err != nil {
		tb.Fatal(err)
	}
	return rows, cells
}

// BenchmarkRead reads every cell of the 100k-row incident workbook
// (open included) with excelize's Rows+Columns(RawCellValue), with
// xlsxfast, with xlsxfast behind Prefetch, and measures the floor: inflating
// the worksheet part to io.Discard. SetBytes is the uncompressed worksheet
// size, so MB/s is XML throughput.
//
//	go test -run '^$' -bench Read -benchtime 3x -benchmem ./importers/xlsxfast/
func BenchmarkRead(b *testing.B) {
	path := incidentWorkbook(b)
	size := sheetPartSize(b, path)
	report := func(b *testing.B, rows int) {
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(rows), "ns/row")
	}
	b.Run("unzip", func(b *testing.B) {
		b.SetBytes(size)
		b.ReportAllocs()
		for b.Loop() {
			zr, err := zip.OpenReader(path)
			if err != nil {
				b.Fatal(err)
			}
			for _, f := range zr.File {
				if f.Name != "xl/worksheets/sheet1.xml" {
					continue
				}
				rc, err := f.Open()
				if err != nil {
					b.Fatal(err)
				}
				if _, err := io.Copy(io.Discard, rc); err != nil {
					b.Fatal(err)
				}
				rc.Close()
			}
			zr.Close()
		}
		report(b, benchRows+1)
	})
	b.Run("excelize", func(b *testing.B) {
		b.SetBytes(size)
		b.ReportAllocs()
		for b.Loop() {
			f, err := excelize.OpenFile(path)
			if err != nil {
				b.Fatal(err)
			}
			rows, err := f.Rows("Sheet1")
			if err != nil {
				b.Fatal(err)
			}
			n := 0
			for rows.Next() {
				if _, err := rows.Columns(excelize.Options{RawCellValue: true}); err != nil {
					b.Fatal(err)
				}
				n++
			}
			rows.Close()
			f.Close()
			if n != benchRows+1 {
				b.Fatalf("%d rows", n)
			}
		}
		report(b, benchRows+1)
	})
	fast := func(b *testing.B, prefetch bool, opts Options) {
		b.SetBytes(size)
		b.ReportAllocs()
		for b.Loop() {
			wb, err := Open(path, opts)
			if err != nil {
				b.Fatal(err)
			}
			rs, err := wb.Rows("Sheet1")
			if err != nil {
				b.Fatal(err)
			}
			var src SheetRows = rs
			if prefetch {
				src = Prefetch(rs, 1024)
			}
			if n, _ := countCells(b, src); n != benchRows+1 {
				b.Fatalf("%d rows", n)
			}
			wb.Close()
		}
		report(b, benchRows+1)
	}
	b.Run("xlsxfast", func(b *testing.B) { fast(b, false, Options{}) })
	b.Run("xlsxfast-serial", func(b *testing.B) { fast(b, false, Options{SerialInflate: true}) })
	b.Run("xlsxfast-prefetch", func(b *testing.B) { fast(b, true, Options{}) })
}

// TestBenchWorkbookIdentical checks, on a smaller incident workbook of the
// benchmark's shape, that both readers agree.
func TestBenchWorkbookIdentical(t *testing.T) {
	p := filepath.Join(t.TempDir(), "incidents.xlsx")
	if err := writeIncidentWorkbook(p, 3000); err != nil {
		t.Fatal(err)
	}
	res, err := diffFile(t, p)
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 1 || res[0].Rows != 3001 || res[0].Unsupported != nil {
		t.Fatalf("results %+v", res)
	}
}

// BenchmarkScanMemory scans the benchmark worksheet from memory (no
// decompression), to separate the scanner's cost from inflating.
func BenchmarkScanMemory(b *testing.B) {
	path := incidentWorkbook(b)
	zr, err := zip.OpenReader(path)
	if err != nil {
		b.Fatal(err)
	}
	var xmlData []byte
	for _, f := range zr.File {
		if f.Name == "xl/worksheets/sheet1.xml" {
			rc, _ := f.Open()
			xmlData, _ = io.ReadAll(rc)
			rc.Close()
		}
	}
	zr.Close()
	b.SetBytes(int64(len(xmlData)))
	b.ReportAllocs()
	for b.Loop() {
		rs := &Rows{sc: newScanner(bytes.NewReader(xmlData), "sheet1.xml", 64<<10, 64<<20), wb: &Workbook{}}
		if n, _ := countCells(b, rs); n != benchRows+1 {
			b.Fatalf("%d rows", n)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(benchRows+1), "ns/row")
}
