package xlsxfast

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

const wsHead = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><dimension ref="A1"/><sheetData>`
const wsTail = `</sheetData><mergeCells count="0"/></worksheet>`

const testSST = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="6" uniqueCount="6">` +
	`<si><t>zero</t></si>` +
	`<si><t xml:space="preserve"> one &amp; &lt;1&gt; </t></si>` +
	`<si><r><rPr><b/><sz val="11"/></rPr><t>rich</t></r><r><t xml:space="preserve"> text</t></r></si>` +
	`<si><t>ABC_x000D_&#10;DEF</t></si>` +
	`<si><t/></si>` +
	`<si><t>x</t><r><t>y</t></r><rPh sb="0" eb="1"><t>PHONETIC</t></rPh><phoneticPr fontId="1"/></si>` +
	`</sst>`

// TestReaderCases checks hand-written worksheet XML against expected rows
// and against excelize.
func TestReaderCases(t *testing.T) {
	cases := []struct {
		name string
		xml  string // inside sheetData unless full is set
		full bool
		want []row
	}{
		{"shared strings", `<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c></row>`, false,
			[]row{{1, []string{"zero", " one & <1> ", "rich text"}}}},
		{"escapes and phonetic runs", `<row r="1"><c r="A1" t="s"><v>3</v></c><c r="B1" t="s"><v>5</v></c></row>`, false,
			[]row{{1, []string{"ABC\r\nDEF", "xy"}}}},
		{"empty shared string and bad index", `<row r="2"><c r="A2" t="s"><v>4</v></c><c r="B2" t="s"><v>99</v></c><c r="C2" t="s"><v> 1 </v></c><c r="D2" t="s"><v>x</v></c></row>`, false,
			[]row{{2, []string{"", "", " one & <1> ", "zero"}}}},
		{"numbers booleans errors dates", `<row r="3"><c r="A3"><v>42.5</v></c><c r="B3" t="b"><v>1</v></c><c r="C3" t="e"><v>#N/A</v></c><c r="D3" t="d"><v>2021-01-01T10:10:10</v></c><c r="E3" t="n"><v>1E-3</v></c><c r="F3" t="b"><v>0</v></c></row>`, false,
			[]row{{3, []string{"42.5", "1", "#N/A", "2021-01-01T10:10:10", "1E-3", "0"}}}},
		{"formulas with and without cached values", `<row r="1"><c r="A1"><f>1+1</f><v>2</v></c><c r="C1" t="str"><f>"a"&amp;"b"</f><v>ab</v></c><c r="E1"><f t="shared" si="0" ref="E1:E2"/></c><c r="F1" t="e"><f>1/0</f><v>#DIV/0!</v></c></row>`, false,
			[]row{{1, []string{"2", "", "ab", "", "", "#DIV/0!"}}}},
		{"rows of formulas without cached values only are skipped", `<row r="1"><c r="A1"><f>A2</f></c><c r="B1"><f>A3</f><v></v></c></row><row r="2"><c r="B2"><f>1</f></c><c r="C2"><v>x</v></c></row>`, false,
			[]row{{2, []string{"", "", "x"}}}},
		{"inline strings and inline rich text", `<row r="1"><c r="A1" t="inlineStr"><is><t>inline &quot;q&quot; &apos;a&apos;</t></is></c><c r="B1" t="inlineStr"><is><r><t>in</t></r><r><t>line</t></r></is></c><c r="C1" t="inlineStr"><v>from v</v></c><c r="D1" t="str"><is><t>ignored</t></is><v>str v</v></c></row>`, false,
			[]row{{1, []string{`inline "q" 'a'`, "inline", "from v", "str v"}}}},
		{"sparse and empty rows, trailing empty cells", `<row r="1"><c r="B1"><v>1</v></c><c r="C1"/><c r="D1" s="3"/></row><row r="2"/><row r="3"><c r="A3" s="1"/></row><row r="7" spans="1:3"><c r="C7"><v>7</v></c></row>`, false,
			[]row{{1, []string{"", "1"}}, {7, []string{"", "", "7"}}}},
		{"rows and cells without r", `<row><c><v>a</v></c><c><v>b</v></c></row><row><c/><c><v>c</v></c></row><row r="10"><c><v>d</v></c><c r="D10"><v>e</v></c><c><v>f</v></c></row><row><c t="inlineStr"><is><t>g</t></is></c></row>`, false,
			[]row{{1, []string{"a", "b"}}, {2, []string{"", "c"}}, {10, []string{"d", "", "", "e", "f"}}, {11, []string{"g"}}}},
		{"cells out of column order are appended", `<row r="1"><c r="C1"><v>c</v></c><c r="A1"><v>a</v></c></row>`, false,
			[]row{{1, []string{"", "", "c", "a"}}}},
		{"lower-case and absolute cell references", `<row r="1"><c r="b1"><v>b</v></c><c r="$D$1"><v>d</v></c></row>`, false,
			[]row{{1, []string{"", "b", "", "d"}}}},
		{"entities, character references, CDATA, CRLF", "<row r=\"1\"><c t=\"str\"><v>a&#x41;&#66;&amp;&gt;</v></c><c t=\"str\"><v><![CDATA[<raw> & ]]></v></c><c t=\"str\"><v>l1\r\nl2\rl3&#13;</v></c><c t=\"str\"><v>é€😀</v></c></row>", false,
			[]row{{1, []string{"aAB&>", "<raw> & ", "l1\nl2\nl3\r", "é€😀"}}}},
		{"attribute order and quoting, spaces", "<row  spans='1:2' r = '4' ><c t='s' s=\"0\" r='B4' ><v >0</v ></c ></row>", false,
			[]row{{4, []string{"", "zero"}}}},
		{"comments and processing instructions", `<!-- c --><row r="1"><?pi x?><c r="A1"><!-- in cell --><v>1<!-- in value -->2</v></c></row>`, false,
			[]row{{1, []string{"12"}}}},
		{"namespace prefixes", `<?xml version="1.0" encoding="utf-8"?>` + "\ufeff" + `<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData><x:row x:r="2"><x:c r="A2" t="s"><x:v>0</x:v></x:c><x:c r="B2" t="inlineStr"><x:is><x:t>ns</x:t></x:is></x:c></x:row></x:sheetData></x:worksheet>`, true,
			[]row{{2, []string{"zero", "ns"}}}},
		{"no sheetData", `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetPr/></worksheet>`, true, nil},
		{"self-closing sheetData", `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData/></worksheet>`, true, nil},
		{"stops at the end of sheetData", `<worksheet><sheetData><row><c><v>1</v></c></row></sheetData><junk><<<</worksheet>`, true,
			[]row{{1, []string{"1"}}}},
		{"bstr escapes only in strings", `<row r="1"><c t="str"><v>_x0041_</v></c><c t="inlineStr"><is><t>_x0041__x005F_x0041__xD800_z_x12_</t></is></c></row>`, false,
			[]row{{1, []string{"_x0041_", "A_x0041_z_x12_"}}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ws := tc.xml
			if !tc.full {
				ws = wsHead + ws + wsTail
			}
			path := writeTemp(t, "case.xlsx", buildXLSX([]rawSheet{{"Sheet1", ws}}, testSST))
			wb, err := Open(path, Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer wb.Close()
			got, err := fastRows(wb, "sheet1")
			if err != nil {
				t.Fatalf("xlsxfast: %v", err)
			}
			if !reflect.DeepEqual(got, tc.want) && !(len(got) == 0 && len(tc.want) == 0) {
				t.Errorf("xlsxfast rows\n got %v\nwant %v", got, tc.want)
			}
			f, err := excelize.OpenFile(path)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			ref, err := excelizeRows(f, "Sheet1")
			if err != nil {
				t.Fatalf("excelize: %v", err)
			}
			if d := firstDiff(ref, got); d != "" {
				t.Errorf("differs from excelize: %s", d)
			}
		})
	}
}

// TestUnsupported checks that XML outside the supported subset stops the
// reader with ErrUnsupported, after the rows that came before.
func TestUnsupported(t *testing.T) {
	cases := []struct {
		name     string
		xml      string
		wantRows int
	}{
		{"doctype", `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">]><worksheet><sheetData><row><c><v>&lol;</v></c></row></sheetData></worksheet>`, 0},
		{"undeclared entity", wsHead + `<row r="1"><c><v>1</v></c></row><row r="2"><c><v>&lol;</v></c></row>` + wsTail, 1},
		{"rows out of order", wsHead + `<row r="5"><c><v>1</v></c></row><row r="3"><c><v>2</v></c></row>` + wsTail, 0},
		{"duplicate row", wsHead + `<row r="5"><c><v>1</v></c></row><row r="5"><c><v>2</v></c></row>` + wsTail, 0},
		{"cell between rows", wsHead + `<row r="1"><c><v>1</v></c></row><c><v>2</v></c>` + wsTail, 0},
		{"row beyond Excel's limit", wsHead + `<row r="1048577"><c><v>1</v></c></row>` + wsTail, 0},
		{"invalid row number", wsHead + `<row r="x"><c><v>1</v></c></row>` + wsTail, 0},
		{"invalid cell reference", wsHead + `<row><c r="1A"><v>1</v></c></row>` + wsTail, 0},
		{"other encoding", `<?xml version="1.0" encoding="ISO-8859-1"?><worksheet><sheetData/></worksheet>`, 0},
		{"unknown element in a cell", wsHead + `<row><c><x/><v>1</v></c></row>` + wsTail, 0},
		{"control character", wsHead + "<row><c><v>\x01</v></c></row>" + wsTail, 0},
		{"invalid UTF-8", wsHead + "<row><c><v>\xff</v></c></row>" + wsTail, 0},
		{"mismatched end tag", wsHead + `<row><c><v>1</x></c></row>` + wsTail, 0},
		{"truncated", wsHead + `<row><c><v>1</v></c></row><row><c><v>2`, 1},
		{"unquoted attribute", wsHead + `<row r=1><c><v>1</v></c></row>` + wsTail, 0},
		{"row outside sheetData", `<worksheet><row><c><v>1</v></c></row><sheetData/></worksheet>`, 0},
		{"invalid formula index", wsHead + `<row><c><f si="x"/><v>1</v></c></row>` + wsTail, 0},
		{"two inline strings", wsHead + `<row><c t="inlineStr"><is><t>a</t></is><is><t>b</t></is></c></row>` + wsTail, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := writeTemp(t, "u.xlsx", buildXLSX([]rawSheet{{"Sheet1", tc.xml}}, testSST))
			wb, err := Open(path, Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer wb.Close()
			got, err := fastRows(wb, "Sheet1")
			if !errors.Is(err, ErrUnsupported) {
				t.Fatalf("error %v, want ErrUnsupported", err)
			}
			if !strings.Contains(err.Error(), `sheet "Sheet1"`) {
				t.Errorf("error %q does not name the sheet", err)
			}
			if len(got) != tc.wantRows {
				t.Errorf("%d rows before the error, want %d", len(got), tc.wantRows)
			}
		})
	}
}

// TestSharedStringsUnsupported checks a shared-strings part with a DOCTYPE.
func TestSharedStringsUnsupported(t *testing.T) {
	sst := `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><sst xmlns="` + nsMain + `"><si><t>&a;</t></si></sst>`
	path := writeTemp(t, "s.xlsx", buildXLSX([]rawSheet{{"Sheet1", wsHead + wsTail}}, sst))
	wb, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer wb.Close()
	if _, err := wb.Rows("Sheet1"); !errors.Is(err, ErrUnsupported) {
		t.Fatalf("Rows: %v, want ErrUnsupported", err)
	}
}

// TestLimits checks the size bounds.
func TestLimits(t *testing.T) {
	ws := wsHead + `<row><c t="str"><v>` + strings.Repeat("x", 5000) + `</v></c></row>` + wsTail
	path := writeTemp(t, "l.xlsx", buildXLSX([]rawSheet{{"Sheet1", ws}}, testSST))
	for _, tc := range []struct {
		name string
		opts Options
	}{
		{"part size", Options{MaxPartSize: 1000}},
		{"token size", Options{BufferSize: 512, MaxTokenSize: 1024}},
		{"shared strings size", Options{MaxSharedStringsSize: 10}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wb, err := Open(path, tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			defer wb.Close()
			_, err = fastRows(wb, "Sheet1")
			if !errors.Is(err, ErrTooLarge) {
				t.Fatalf("error %v, want ErrTooLarge", err)
			}
		})
	}
	// A small buffer that must grow and refill many times still reads it.
	wb, err := Open(path, Options{BufferSize: 512})
	if err != nil {
		t.Fatal(err)
	}
	defer wb.Close()
	got, err := fastRows(wb, "Sheet1")
	if err != nil || len(got) != 1 || len(got[0].Cells[0]) != 5000 {
		t.Fatalf("got %d rows, err %v", len(got), err)
	}
}

// TestWorkbookMeta checks sheet lists, lookup, states and the 1904 flag.
func TestWorkbookMeta(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	if _, err := f.NewSheet("Données 2"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.NewSheet("Hidden"); err != nil {
		t.Fatal(err)
	}
	if err := f.SetSheetVisible("Hidden", false); err != nil {
		t.Fatal(err)
	}
	if err := f.SetWorkbookProps(&excelize.WorkbookPropsOptions{Date1904: boolPtr(true)}); err != nil {
		t.Fatal(err)
	}
	path := t.TempDir() + "/meta.xlsx"
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	wb, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer wb.Close()
	if got := wb.Sheets(); fmt.Sprint(got) != fmt.Sprint([]string{"Sheet1", "Données 2", "Hidden"}) {
		t.Errorf("Sheets() = %q", got)
	}
	if !wb.Date1904() {
		t.Error("Date1904() = false")
	}
	if st, err := wb.SheetState("hidden"); err != nil || st != "hidden" {
		t.Errorf("SheetState(hidden) = %q, %v", st, err)
	}
	if _, err := wb.Rows("Nope"); !errors.Is(err, ErrSheetNotFound) {
		t.Errorf("Rows(Nope): %v, want ErrSheetNotFound", err)
	}
	if _, err := Open(t.TempDir()+"/missing.xlsx", Options{}); !errors.Is(err, ErrNotWorkbook) {
		t.Errorf("Open(missing): %v, want ErrNotWorkbook", err)
	}
}

func boolPtr(b bool) *bool { return &b }

// TestCellStyles checks Rows.Styles against excelize's GetCellStyle.
func TestCellStyles(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	date, err := f.NewStyle(&excelize.Style{NumFmt: 14})
	if err != nil {
		t.Fatal(err)
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		t.Fatal(err)
	}
	for r := 1; r <= 5; r++ {
		for c, v := range []any{"id", 45000 + r, 3.5, "x"} {
			cell, _ := excelize.CoordinatesToCellName(c+1, r)
			if err := f.SetCellValue("Sheet1", cell, v); err != nil {
				t.Fatal(err)
			}
		}
		if err := f.SetCellStyle("Sheet1", fmt.Sprintf("B%d", r), fmt.Sprintf("B%d", r), date); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.SetCellStyle("Sheet1", "D2", "D3", bold); err != nil {
		t.Fatal(err)
	}
	path := t.TempDir() + "/styles.xlsx"
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	wb, err := Open(path, Options{CellStyles: true})
	if err != nil {
		t.Fatal(err)
	}
	defer wb.Close()
	rs, err := wb.Rows("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	defer rs.Close()
	rows := 0
	for rs.Next() {
		num, cells := rs.Row()
		styles := rs.Styles()
		if len(styles) != len(cells) {
			t.Fatalf("row %d: %d styles for %d cells", num, len(styles), len(cells))
		}
		for c := range cells {
			cell, _ := excelize.CoordinatesToCellName(c+1, num)
			want, err := f.GetCellStyle("Sheet1", cell)
			if err != nil {
				t.Fatal(err)
			}
			if styles[c] != want {
				t.Errorf("%s: style %d, excelize %d", cell, styles[c], want)
			}
		}
		if styles[1] != date {
			t.Errorf("row %d: date column style %d, want %d", num, styles[1], date)
		}
		rows++
	}
	if rows != 5 || rs.Err() != nil {
		t.Fatalf("%d rows, %v", rows, rs.Err())
	}
}
