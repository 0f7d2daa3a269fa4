package xlsxfast

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// randomSheetXML writes a worksheet from random but plausible pieces: rows
// and cells with and without r attributes (sometimes out of order), every
// cell type, formulas, inline and rich strings, entities, character
// references, CDATA, comments, namespace prefixes, odd whitespace and
// quoting.
func randomSheetXML(rng *rand.Rand) string {
	pre := ""
	if rng.IntN(4) == 0 {
		pre = "x:"
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<?xml version="1.0" encoding="UTF-8"?>`+"\n"+`<%sworksheet xmlns%s="%s">`, pre, strings.TrimSuffix(":"+pre, ":"), nsMain)
	if pre != "" {
		b.Reset()
		fmt.Fprintf(&b, `<?xml version="1.0"?><x:worksheet xmlns:x="%s">`, nsMain)
	}
	fmt.Fprintf(&b, `<%sdimension ref="A1:C3"/><%ssheetViews><%ssheetView workbookViewId="0"/></%ssheetViews><%ssheetData>`, pre, pre, pre, pre, pre)
	texts := []string{"plain", "a &amp; b", "&lt;tag&gt;", "&#233;t&#xE9;", "<![CDATA[cd & <x>]]>", "line\r\nbreak", " sp ",
		"_x000D_", "_x005F_x0041_", "&quot;q&apos;", "üñí€😀", "", "12", "-3.5E+2", "#N/A", "TRUE", "2021-01-01T00:00:00"}
	text := func() string { return texts[rng.IntN(len(texts))] }
	// quote quotes v with a random quote character.
	quote := func(v any) string {
		if rng.IntN(3) == 0 {
			return fmt.Sprintf("'%v'", v)
		}
		return fmt.Sprintf(`"%v"`, v)
	}
	row, prev := 0, 0
	for range rng.IntN(40) {
		kind := rng.IntN(6)
		row = prev + 1 + rng.IntN(3)
		if kind == 0 {
			row = prev + 1 // a row without r follows the previous one
		} else if rng.IntN(300) == 0 && row > 2 {
			row -= 2 // out of order: excelize merges, xlsxfast refuses
		}
		prev = row
		ws := []string{"", " ", "\n  ", "\t"}[rng.IntN(4)]
		b.WriteString(ws)
		switch kind {
		case 0:
			fmt.Fprintf(&b, "<%srow>", pre)
		case 1:
			fmt.Fprintf(&b, "<%srow r=%s spans=\"1:5\"/>", pre, quote(row))
			continue
		default:
			fmt.Fprintf(&b, "<%srow r=%s ht=\"15\">", pre, quote(row))
		}
		col := 0
		for range rng.IntN(8) {
			col += 1 + rng.IntN(3)
			ref := ""
			if rng.IntN(4) != 0 {
				name, _ := excelize.CoordinatesToCellName(col, max(row, 1))
				ref = " r=" + quote(name)
			}
			if rng.IntN(8) == 0 {
				b.WriteString("<!-- note -->")
			}
			style := ""
			if rng.IntN(3) == 0 {
				style = fmt.Sprintf(" s=\"%d\"", rng.IntN(5))
			}
			switch rng.IntN(9) {
			case 0:
				fmt.Fprintf(&b, "<%sc%s%s t=\"s\"><%sv>%d</%sv></%sc>", pre, ref, style, pre, rng.IntN(7)-1, pre, pre)
			case 1:
				space := []string{"", ` xml:space="preserve"`, " xml:space='preserve' ", ` a="&amp;"`}[rng.IntN(4)]
				fmt.Fprintf(&b, "<%sc%s t=\"inlineStr\"%s><%sis><%st%s>%s</%st></%sis></%sc>", pre, ref, style, pre, pre, space, text(), pre, pre, pre)
			case 2:
				fmt.Fprintf(&b, "<%sc%s t=\"inlineStr\"><%sis><%sr><%st>%s</%st></%sr><%sr><%st xml:space=\"preserve\">%s</%st></%sr></%sis></%sc>",
					pre, ref, pre, pre, pre, text(), pre, pre, pre, pre, text(), pre, pre, pre, pre)
			case 3:
				fmt.Fprintf(&b, "<%sc%s%s><%sf>SUM(A1:A2)</%sf><%sv>%s</%sv></%sc>", pre, ref, style, pre, pre, pre, text(), pre, pre)
			case 4:
				fmt.Fprintf(&b, "<%sc%s><%sf t=\"shared\" si=\"0\"/></%sc>", pre, ref, pre, pre)
			case 5:
				fmt.Fprintf(&b, "<%sc%s t=%s><%sv>%s</%sv></%sc>", pre, ref, quote([]string{"b", "e", "str", "d", "n", "x"}[rng.IntN(6)]), pre, text(), pre, pre)
			case 6:
				fmt.Fprintf(&b, "<%sc%s%s/>", pre, ref, style)
			case 7:
				fmt.Fprintf(&b, "<%sc%s%s ><%sv >%s</%sv ></%sc >", pre, style, ref, pre, text(), pre, pre)
			default:
				fmt.Fprintf(&b, "<%sc%s><%sv>%d.%d</%sv></%sc>", pre, ref, pre, rng.IntN(1000), rng.IntN(100), pre, pre)
			}
		}
		fmt.Fprintf(&b, "</%srow>", pre)
	}
	fmt.Fprintf(&b, "</%ssheetData><%smergeCells count=\"1\"><%smergeCell ref=\"A1:B1\"/></%smergeCells></%sworksheet>", pre, pre, pre, pre, pre)
	return b.String()
}

// TestDifferentialRandomSheets compares both readers on many random
// worksheets; xlsxfast may only refuse a sheet with ErrUnsupported after a
// prefix of excelize's rows.
func TestDifferentialRandomSheets(t *testing.T) {
	rng := rand.New(rand.NewPCG(2026, 11))
	n := 300
	if testing.Short() {
		n = 50
	}
	refused := 0
	for i := range n {
		ws := randomSheetXML(rng)
		data := buildXLSX([]rawSheet{{"Sheet1", ws}}, testSST)
		xf, err := excelize.OpenReader(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		want, werr := excelizeRows(xf, "Sheet1")
		xf.Close()
		if werr != nil {
			continue
		}
		path := writeTemp(t, fmt.Sprintf("r%d.xlsx", i), data)
		wb, err := Open(path, Options{BufferSize: 512 + rng.IntN(2048)})
		if err != nil {
			t.Fatal(err)
		}
		got, gerr := fastRows(wb, "Sheet1")
		wb.Close()
		if gerr != nil {
			if !errors.Is(gerr, ErrUnsupported) {
				t.Fatalf("sheet %d: %v\n%s", i, gerr, ws)
			}
			refused++
			if refused <= 5 {
				t.Logf("refused: %v", gerr)
			}
			want = want[:min(len(want), len(got))]
		}
		if d := firstDiff(want, got); d != "" {
			t.Fatalf("sheet %d: %s\n%s", i, d, ws)
		}
	}
	if refused > n/4 {
		t.Errorf("%d of %d random sheets refused", refused, n)
	}
	t.Logf("%d sheets, %d refused (rows out of order)", n, refused)
}
