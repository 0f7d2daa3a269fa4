package importers

import (
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

func TestScanMergesAcrossReads(t *testing.T) {
	xml := `<worksheet><dimension ref="A1:K100001"/><sheetData><row r="1"><c r="A1"/></row></sheetData>` +
		`<mergeCells count="3"><mergeCell ref="B2:B4"/><x:mergeCell ref="AH173:AI173"/><mergeCell ref="C1"/></mergeCells></worksheet>`
	for name, r := range map[string]io.Reader{
		"whole":       strings.NewReader(xml),
		"byte a time": iotest.OneByteReader(strings.NewReader(xml)),
		"half":        iotest.HalfReader(strings.NewReader(xml)),
	} {
		got, last, err := scanMerges(r)
		if err != nil || len(got) != 3 || last != 100001 {
			t.Fatalf("%s: %d ranges, last row %d, %v", name, len(got), last, err)
		}
		if m := got[0]; m.c1 != 2 || m.r1 != 1 || m.c2 != 2 || m.r2 != 1 {
			t.Errorf("%s: first (by row) = %+v, want C1", name, *m)
		}
		if m := got[1]; m.c1 != 1 || m.r1 != 2 || m.c2 != 1 || m.r2 != 4 {
			t.Errorf("%s: second = %+v, want B2:B4", name, *m)
		}
		if m := got[2]; m.c1 != 33 || m.c2 != 34 || m.r1 != 173 {
			t.Errorf("%s: third = %+v, want AH173:AI173", name, *m)
		}
	}
}

// rowsOf is a SheetRows over fixed rows.
type rowsOf struct {
	rows [][]string
	nums []int
	i    int
}

func (r *rowsOf) Next() bool           { r.i++; return r.i <= len(r.rows) }
func (r *rowsOf) Row() (int, []string) { return r.nums[r.i-1], r.rows[r.i-1] }
func (r *rowsOf) Err() error           { return nil }
func (r *rowsOf) Close() error         { return nil }
func (r *rowsOf) all(src SheetRows) string {
	var b strings.Builder
	for src.Next() {
		n, cells := src.Row()
		b.WriteString(strings.Join(cells, "|"))
		b.WriteString("@")
		b.WriteByte(byte('0' + n))
		b.WriteString(";")
	}
	return b.String()
}

func TestMergeFill(t *testing.T) {
	src := &rowsOf{
		rows: [][]string{{"h1", "h2", "h3"}, {"d", "x"}, {"", "y"}, {"", "z", "w"}, {"e", "v"}},
		nums: []int{1, 2, 3, 5, 6},
	}
	// A2:A5 is one date merged down; B6:C6 one value merged across.
	ranges := []*mergeRange{{c1: 0, r1: 2, c2: 0, r2: 5}, {c1: 1, r1: 6, c2: 2, r2: 6}}
	got := src.all(newMergeFill(src, ranges))
	want := "h1|h2|h3@1;d|x@2;d|y@3;d|z|w@5;e|v|v@6;"
	if got != want {
		t.Errorf("merged rows = %q, want %q", got, want)
	}
}
