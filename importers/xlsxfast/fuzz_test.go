package xlsxfast

import (
	"bytes"
	"errors"
	"testing"

	"github.com/xuri/excelize/v2"
)

// FuzzDifferential builds a workbook from fuzzed worksheet XML and feeds
// both readers the same bytes: when excelize reads the sheet without error,
// xlsxfast must return the same rows, or stop with ErrUnsupported after a
// prefix of them. Neither may panic.
//
//	go test -run '^$' -fuzz FuzzDifferential -fuzztime 60s -fuzzminimizetime 50x ./importers/xlsxfast/
//
// (a short minimize time keeps the loaded 2-core machine fuzzing instead of
// minimizing for a minute per new input).
func FuzzDifferential(f *testing.F) {
	seeds := []string{
		`<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>2</v></c><c r="C1" t="inlineStr"><is><t>x</t></is></c></row>`,
		`<row><c><v>1</v></c><c t="b"><v>1</v></c><c t="e"><v>#N/A</v></c></row><row r="5"><c r="C5"><f>A1</f><v>3</v></c></row>`,
		`<row r="2"><c r="B2" t="str"><v>a&amp;b&#x41;<![CDATA[<c>]]></v></c><c t="d"><v>2021-01-01</v></c></row><row/>`,
		`<x:row x:r="3"><x:c r="A3" t="inlineStr"><x:is><x:r><x:t>ri</x:t></x:r><x:r><x:t>ch_x000D_</x:t></x:r></x:is></x:c></x:row>`,
		"<row r='1' spans=\"1:2\"><c s=\"1\" r='A1'><v>1</v></c><!-- c --><c><f t=\"shared\" si=\"0\"/></c></row>",
		`<row r="1"><c r="C1"><v>c</v></c><c r="A1"><v>a</v></c></row><row r="1"><c><v>dup</v></c></row>`,
	}
	for _, s := range seeds {
		f.Add([]byte(wsHead + s + wsTail))
	}
	f.Add([]byte(`<?xml version="1.0"?><x:worksheet xmlns:x="` + nsMain + `"><x:sheetData><x:row><x:c><x:v>1</x:v></x:c></x:row></x:sheetData></x:worksheet>`))
	f.Fuzz(func(t *testing.T, ws []byte) {
		data := buildXLSX([]rawSheet{{"Sheet1", string(ws)}}, testSST)
		path := writeTemp(t, "fuzz.xlsx", data)
		want, werr := func() ([]row, error) {
			xf, err := excelize.OpenReader(bytes.NewReader(data))
			if err != nil {
				return nil, err
			}
			defer xf.Close()
			return excelizeRows(xf, "Sheet1")
		}()
		wb, err := Open(path, Options{})
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		defer wb.Close()
		got, gerr := fastRows(wb, "Sheet1")
		if werr != nil {
			return // excelize refuses: anything but a panic is fine
		}
		if gerr != nil {
			if !errors.Is(gerr, ErrUnsupported) && !errors.Is(gerr, ErrTooLarge) {
				t.Fatalf("xlsxfast error %v (excelize read %d rows)", gerr, len(want))
			}
			if len(got) > len(want) {
				t.Fatalf("xlsxfast delivered %d rows before %v, excelize only %d", len(got), gerr, len(want))
			}
			want = want[:len(got)]
		}
		if d := firstDiff(want, got); d != "" {
			t.Fatalf("%s\nxml: %q", d, ws)
		}
	})
}

// FuzzSharedStrings fuzzes the shared-strings part under a fixed sheet that
// references its first items; same contract as FuzzDifferential.
func FuzzSharedStrings(f *testing.F) {
	f.Add([]byte(testSST))
	f.Add([]byte(`<x:sst xmlns:x="` + nsMain + `"><x:si><x:t>a_x000D_b</x:t></x:si><x:si><x:r><x:t>r</x:t></x:r></x:si></x:sst>`))
	ws := wsHead + `<row><c t="s"><v>0</v></c><c t="s"><v>1</v></c><c t="s"><v>2</v></c><c t="s"><v>3</v></c><c t="s"><v>4</v></c></row>` + wsTail
	f.Fuzz(func(t *testing.T, sst []byte) {
		if len(sst) == 0 {
			return // no part: both read an empty table (tested elsewhere)
		}
		data := buildXLSX([]rawSheet{{"Sheet1", ws}}, string(sst))
		path := writeTemp(t, "fuzz.xlsx", data)
		want, werr := func() ([]row, error) {
			xf, err := excelize.OpenReader(bytes.NewReader(data))
			if err != nil {
				return nil, err
			}
			defer xf.Close()
			return excelizeRows(xf, "Sheet1")
		}()
		wb, err := Open(path, Options{})
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		defer wb.Close()
		got, gerr := fastRows(wb, "Sheet1")
		if werr != nil {
			return
		}
		if gerr != nil {
			if !errors.Is(gerr, ErrUnsupported) && !errors.Is(gerr, ErrTooLarge) {
				t.Fatalf("xlsxfast error %v (excelize read %d rows)", gerr, len(want))
			}
			return
		}
		if d := firstDiff(want, got); d != "" {
			t.Fatalf("%s\nsst: %q", d, sst)
		}
	})
}
