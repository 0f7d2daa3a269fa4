package xlsxfast

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// row is one row as both readers report it.
type row struct {
	Num   int
	Cells []string
}

func (r row) String() string { return fmt.Sprintf("%d:%q", r.Num, r.Cells) }

// rawSheet is a worksheet given as raw XML for buildXLSX.
type rawSheet struct {
	Name string
	XML  string
}

// buildXLSX writes a minimal workbook package with the given worksheets and
// shared-strings part (omitted when sst is "").
func buildXLSX(sheets []rawSheet, sst string) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	add := func(name, body string) {
		w, err := zw.Create(name)
		if err != nil {
			panic(err)
		}
		if _, err := w.Write([]byte(body)); err != nil {
			panic(err)
		}
	}
	var ct, wbSheets, rels strings.Builder
	ct.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>`)
	for i, s := range sheets {
		fmt.Fprintf(&ct, `<Override PartName="/xl/worksheets/sheet%d.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`, i+1)
		fmt.Fprintf(&wbSheets, `<sheet name="%s" sheetId="%d" r:id="rId%d"/>`, s.Name, i+1, i+1)
		fmt.Fprintf(&rels, `<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet%d.xml"/>`, i+1, i+1)
	}
	if sst != "" {
		ct.WriteString(`<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>`)
		fmt.Fprintf(&rels, `<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>`, len(sheets)+1)
	}
	ct.WriteString(`</Types>`)
	add("[Content_Types].xml", ct.String())
	add("_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`)
	add("xl/workbook.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><workbookPr/><sheets>`+wbSheets.String()+`</sheets></workbook>`)
	add("xl/_rels/workbook.xml.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`+rels.String()+`</Relationships>`)
	for i, s := range sheets {
		add(fmt.Sprintf("xl/worksheets/sheet%d.xml", i+1), s.XML)
	}
	if sst != "" {
		add("xl/sharedStrings.xml", sst)
	}
	if err := zw.Close(); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

// writeTemp writes data to a file in t's temporary directory.
func writeTemp(t testing.TB, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// excelizeRows reads a sheet the way the importer's excelize row source
// (importers/rowsource.go) does: f.Rows, Columns with RawCellValue, row
// number = number of Next calls, rows without a non-empty cell skipped.
func excelizeRows(f *excelize.File, sheet string) ([]row, error) {
	rows, err := f.Rows(sheet)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []row
	n := 0
	for rows.Next() {
		n++
		cells, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return out, err
		}
		if hasValue(cells) {
			out = append(out, row{n, cells})
		}
	}
	if err := rows.Error(); err != nil {
		return out, err
	}
	return out, nil
}

// fastRows reads a sheet with this package.
func fastRows(wb *Workbook, sheet string) ([]row, error) {
	rs, err := wb.Rows(sheet)
	if err != nil {
		return nil, err
	}
	defer rs.Close()
	return collect(rs)
}

// collect drains a SheetRows.
func collect(rs SheetRows) ([]row, error) {
	var out []row
	for rs.Next() {
		n, c := rs.Row()
		out = append(out, row{n, c})
	}
	return out, rs.Err()
}

// firstDiff describes the first difference between two row lists, or "".
func firstDiff(want, got []row) string {
	for i := 0; i < len(want) || i < len(got); i++ {
		switch {
		case i >= len(want):
			return fmt.Sprintf("extra row %v (excelize had %d rows)", got[i], len(want))
		case i >= len(got):
			return fmt.Sprintf("missing row %v (got %d rows)", want[i], len(got))
		}
		if want[i].Num != got[i].Num || len(want[i].Cells) != len(got[i].Cells) {
			return fmt.Sprintf("row %d: excelize %v, xlsxfast %v", i, want[i], got[i])
		}
		for j := range want[i].Cells {
			if want[i].Cells[j] != got[i].Cells[j] {
				return fmt.Sprintf("row %d col %d: excelize %q, xlsxfast %q", want[i].Num, j, want[i].Cells[j], got[i].Cells[j])
			}
		}
	}
	return ""
}

// diffResult is the outcome of comparing both readers on one sheet.
type diffResult struct {
	Sheet       string
	Rows        int
	Unsupported error // xlsxfast refused (after Rows rows that matched)
}

// diffFile compares both readers on every sheet of the file at path. It
// fails t on any difference. It returns per-sheet results, or skip=true
// when excelize cannot open the file.
func diffFile(t *testing.T, path string) (res []diffResult, excelizeErr error) {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	wb, err := Open(path, Options{})
	if err != nil {
		if errors.Is(err, ErrUnsupported) {
			return []diffResult{{Unsupported: err}}, nil
		}
		t.Fatalf("%s: excelize opens it, xlsxfast.Open: %v", path, err)
	}
	defer wb.Close()
	if got, want := wb.Sheets(), f.GetSheetList(); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("%s: sheets %q, excelize %q", path, got, want)
	}
	for _, sheet := range f.GetSheetList() {
		want, werr := excelizeRows(f, sheet)
		got, gerr := fastRows(wb, sheet)
		r := diffResult{Sheet: sheet, Rows: len(got)}
		if werr != nil {
			// excelize refuses the sheet: xlsxfast must refuse it too.
			if gerr == nil {
				t.Errorf("%s: sheet %q: excelize fails (%v) but xlsxfast reads %d rows", path, sheet, werr, len(got))
			}
			res = append(res, r)
			continue
		}
		if gerr != nil {
			if !errors.Is(gerr, ErrUnsupported) {
				t.Errorf("%s: sheet %q: xlsxfast: %v", path, sheet, gerr)
			}
			r.Unsupported = gerr
			want = want[:min(len(want), len(got))]
		}
		if d := firstDiff(want, got); d != "" {
			t.Errorf("%s: sheet %q: %s", path, sheet, d)
		}
		res = append(res, r)
	}
	return res, nil
}

// hasValue reports whether a row has a non-empty cell.
func hasValue(cells []string) bool {
	for _, c := range cells {
		if c != "" {
			return true
		}
	}
	return false
}
