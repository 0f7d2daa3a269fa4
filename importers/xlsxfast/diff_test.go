package xlsxfast

import (
	"errors"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// sharedDataDir returns the folder of real-world files described in its
// README.md: $SITREP_SHARED_DATA, or ../shared/data next to the repository
// (main checkout or worktree).
func sharedDataDir() string {
	if d := os.Getenv("SITREP_SHARED_DATA"); d != "" {
		return d
	}
	for _, d := range []string{"../../../shared/data", "../../../../shared/data"} {
		if _, err := os.Stat(d); err == nil {
			return d
		}
	}
	return "../../../shared/data"
}

// randomValue returns a cell value of a random kind.
func randomValue(rng *rand.Rand) any {
	words := []string{"Afghanistan ", "Yemen", "drone strike", "<b>&amp;</b>", `"quoted" 'single'`,
		"naïve café", "Ελλάδα", "空袭", "😀 emoji", "line1\nline2", "tab\there", "  padded  ",
		"_x000D_ literal", "ctrl\x01char", "=not a formula", "-", "unkn", "10+", "2-4", "",
		strings.Repeat("long ", 300)}
	switch rng.IntN(9) {
	case 0, 1, 2:
		return words[rng.IntN(len(words))]
	case 3:
		return rng.IntN(100000) - 500
	case 4:
		return rng.Float64() * 1e6
	case 5:
		return rng.IntN(2) == 0
	case 6:
		return time.Date(1990+rng.IntN(40), time.Month(1+rng.IntN(12)), 1+rng.IntN(28), rng.IntN(24), rng.IntN(60), 0, 0, time.UTC)
	case 7:
		return nil
	default:
		return rng.Int64()
	}
}

// generateWorkbooks writes workbooks with excelize covering the value kinds
// the importer meets and returns their paths.
func generateWorkbooks(t *testing.T) []string {
	t.Helper()
	dir := t.TempDir()
	var paths []string
	save := func(name string, f *excelize.File) {
		p := filepath.Join(dir, name)
		if err := f.SaveAs(p); err != nil {
			t.Fatal(err)
		}
		f.Close()
		paths = append(paths, p)
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}

	// 1. Every value kind through SetCellValue, sparse and wide rows, rich
	// text, formulas, several sheets.
	f := excelize.NewFile()
	rng := rand.New(rand.NewPCG(1, 2))
	for r := 1; r <= 60; r++ {
		if r%7 == 0 {
			continue // empty row
		}
		row := r
		if r > 50 {
			row = r * 97 // sparse rows far down
		}
		for c := 1; c <= 12; c++ {
			if rng.IntN(5) == 0 {
				continue
			}
			cell, _ := excelize.CoordinatesToCellName(c, row)
			must(f.SetCellValue("Sheet1", cell, randomValue(rng)))
		}
	}
	must(f.SetCellValue("Sheet1", "ZZ3", "wide"))
	must(f.SetCellValue("Sheet1", "XFD4", "widest"))
	must(f.SetCellRichText("Sheet1", "B70", []excelize.RichTextRun{
		{Text: "bold ", Font: &excelize.Font{Bold: true}}, {Text: "and _x0041_ italic", Font: &excelize.Font{Italic: true}}}))
	must(f.SetCellFormula("Sheet1", "C70", "SUM(A1:A10)"))
	must(f.SetCellFormula("Sheet1", "D70", `"a"&"b"`))
	must(f.SetCellBool("Sheet1", "E70", true))
	must(f.SetCellStr("Sheet1", "F70", "   "))
	must(f.SetCellDefault("Sheet1", "G70", "1.50"))
	_, err := f.NewSheet("Other sheet")
	must(err)
	must(f.SetSheetRow("Other sheet", "A1", &[]any{"Date", "Killed", "Country"}))
	must(f.SetSheetRow("Other sheet", "B3", &[]any{12, "Somalia", 3.5}))
	_, err = f.NewSheet("Empty")
	must(err)
	save("kinds.xlsx", f)

	// 2. StreamWriter: inline strings, styles, numbers as dates.
	f = excelize.NewFile()
	sw, err := f.NewStreamWriter("Sheet1")
	must(err)
	style, err := f.NewStyle(&excelize.Style{NumFmt: 14})
	must(err)
	for r := 1; r <= 300; r++ {
		if r%50 == 0 {
			continue
		}
		vals := make([]any, 0, 11)
		for c := 0; c < 11; c++ {
			switch {
			case c == 0:
				vals = append(vals, excelize.Cell{StyleID: style, Value: 40000 + r})
			case rng.IntN(6) == 0:
				vals = append(vals, nil)
			default:
				vals = append(vals, randomValue(rng))
			}
		}
		cell, _ := excelize.CoordinatesToCellName(1, r)
		must(sw.SetRow(cell, vals))
	}
	must(sw.Flush())
	save("stream.xlsx", f)

	// 3. Many random small workbooks.
	for i := range 20 {
		f = excelize.NewFile()
		r := rand.New(rand.NewPCG(uint64(i), 7))
		for n := r.IntN(200); n > 0; n-- {
			cell, _ := excelize.CoordinatesToCellName(1+r.IntN(30), 1+r.IntN(300))
			must(f.SetCellValue("Sheet1", cell, randomValue(r)))
		}
		save("random"+string(rune('a'+i))+".xlsx", f)
	}
	return paths
}

// TestDifferentialGenerated compares both readers on generated workbooks.
func TestDifferentialGenerated(t *testing.T) {
	for _, p := range generateWorkbooks(t) {
		res, err := diffFile(t, p)
		if err != nil {
			t.Fatalf("excelize cannot open its own %s: %v", p, err)
		}
		for _, r := range res {
			if r.Unsupported != nil {
				t.Errorf("%s: sheet %q: unexpected fallback: %v", filepath.Base(p), r.Sheet, r.Unsupported)
			}
		}
	}
}

// TestDifferentialSharedData compares both readers on every .xlsx/.xlsm
// file of the shared real-world data.
func TestDifferentialSharedData(t *testing.T) {
	dir := sharedDataDir()
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("shared data folder %s not present: %v", dir, err)
	}
	var files []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if ext := strings.ToLower(filepath.Ext(p)); !d.IsDir() && (ext == ".xlsx" || ext == ".xlsm") {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Skip("no .xlsx files in the shared data folder")
	}
	for _, p := range files {
		t.Run(filepath.Base(p), func(t *testing.T) {
			res, err := diffFile(t, p)
			if err != nil {
				// excelize refuses the file: xlsxfast must refuse it too.
				wb, ferr := Open(p, Options{})
				if ferr == nil {
					defer wb.Close()
					for _, s := range wb.Sheets() {
						if rows, rerr := fastRows(wb, s); rerr == nil && len(rows) > 0 {
							t.Errorf("excelize refuses (%v) but xlsxfast reads %d rows of %q", err, len(rows), s)
						}
					}
				}
				t.Logf("both refuse: excelize: %v; xlsxfast: %v", err, ferr)
				return
			}
			for _, r := range res {
				if r.Unsupported != nil {
					t.Logf("sheet %q: falls back to excelize after %d rows: %v", r.Sheet, r.Rows, r.Unsupported)
				} else {
					t.Logf("sheet %q: %d rows identical", r.Sheet, r.Rows)
				}
			}
		})
	}
}

// TestErrorsWrap checks the sentinels callers test for.
func TestErrorsWrap(t *testing.T) {
	p := writeTemp(t, "notzip.xlsx", []byte("this is not a zip file"))
	if _, err := Open(p, Options{}); !errors.Is(err, ErrNotWorkbook) || !strings.Contains(err.Error(), p) {
		t.Errorf("Open(not a zip) = %v, want ErrNotWorkbook naming the file", err)
	}
}
