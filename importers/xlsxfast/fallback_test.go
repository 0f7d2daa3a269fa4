package xlsxfast

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// excelizeSource is the reference SheetRows over excelize, as the importer
// builds it.
type excelizeSource struct {
	f     *excelize.File
	rows  *excelize.Rows
	n     int
	num   int
	cells []string
	err   error
}

func openExcelizeSource(path, sheet string) (SheetRows, error) {
	f, err := excelize.OpenFile(path)
	if err != nil {
		return nil, err
	}
	rows, err := f.Rows(sheet)
	if err != nil {
		f.Close()
		return nil, err
	}
	return &excelizeSource{f: f, rows: rows}, nil
}

func (s *excelizeSource) Next() bool {
	for s.err == nil && s.rows.Next() {
		s.n++
		cells, err := s.rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			s.err = err
			return false
		}
		if hasValue(cells) {
			s.num, s.cells = s.n, cells
			return true
		}
	}
	if s.err == nil {
		s.err = s.rows.Error()
	}
	return false
}

func (s *excelizeSource) Row() (int, []string) { return s.num, s.cells }
func (s *excelizeSource) Err() error           { return s.err }
func (s *excelizeSource) Close() error {
	err := s.rows.Close()
	if cerr := s.f.Close(); err == nil {
		err = cerr
	}
	return err
}

// TestWithFallback checks that a sheet the fast reader gives up on midway
// is completed by excelize without losing or repeating a row.
func TestWithFallback(t *testing.T) {
	ws := wsHead + `<row r="1"><c t="s"><v>0</v></c></row><row r="2"><c><v>2</v></c></row>` +
		`<row r="3"><c r="A3"><extLst/><v>3</v></c></row><row r="5"><c r="B5" t="s"><v>2</v></c></row>` + wsTail
	path := writeTemp(t, "fb.xlsx", buildXLSX([]rawSheet{{"Sheet1", ws}}, testSST))
	wb, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer wb.Close()
	rs, err := wb.Rows("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	var logs []string
	src := WithFallback(rs, func() (SheetRows, error) { return openExcelizeSource(path, "Sheet1") },
		func(format string, args ...any) { logs = append(logs, fmt.Sprintf(format, args...)) })
	got, err := collect(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := src.Close(); err != nil {
		t.Fatal(err)
	}
	want := []row{{1, []string{"zero"}}, {2, []string{"2"}}, {3, []string{"3"}}, {5, []string{"", "rich text"}}}
	if d := firstDiff(want, got); d != "" {
		t.Fatal(d)
	}
	if len(logs) != 1 || !strings.Contains(logs[0], "after 2 rows") || !strings.Contains(logs[0], "extLst") {
		t.Errorf("logs %q", logs)
	}

	// When the slow reader cannot be opened, that error ends the rows.
	rs, err = wb.Rows("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	opened := false
	src = WithFallback(Prefetch(rs, 2), func() (SheetRows, error) { opened = true; return nil, errors.New("no") }, nil)
	got, err = collect(src)
	if err == nil || !opened || len(got) != 2 {
		t.Fatalf("fallback that cannot open: %d rows, err %v, opened %v", len(got), err, opened)
	}
	src.Close()
}

// TestWithFallbackNotNeeded checks that the slow reader is not opened when
// the fast one reads the whole sheet.
func TestWithFallbackNotNeeded(t *testing.T) {
	path := writeTemp(t, "ok.xlsx", buildXLSX([]rawSheet{{"Sheet1", wsHead + `<row><c><v>1</v></c></row>` + wsTail}}, testSST))
	wb, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer wb.Close()
	rs, err := wb.Rows("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	src := WithFallback(rs, func() (SheetRows, error) { t.Fatal("slow reader opened"); return nil, nil }, nil)
	defer src.Close()
	if got, err := collect(src); err != nil || len(got) != 1 {
		t.Fatalf("%v, %v", got, err)
	}
}
