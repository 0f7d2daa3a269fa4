package xlsxfast

import (
	"strings"
	"testing"
)

// A cell that refers to a shared string the table does not have reads as empty, as excelize
// reads it, but Damage names it (issue 14: it used to vanish without a word in the audit).
func TestSharedStringIndexOutOfRange(t *testing.T) {
	tests := []struct {
		name, idx string
	}{
		{"past the end", "6"},
		{"far past the end", "99999"},
		{"negative", "-1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ws := wsHead + `<row r="1"><c r="A1" t="s"><v>0</v></c></row>` +
				`<row r="2"><c r="A2" t="s"><v>1</v></c><c r="B2" t="s"><v>` + tt.idx + `</v></c></row>` + wsTail
			path := writeTemp(t, "sst.xlsx", buildXLSX([]rawSheet{{"Sheet1", ws}}, testSST))
			wb, err := Open(path, Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer wb.Close()
			fr, err := wb.Rows("Sheet1")
			if err != nil {
				t.Fatal(err)
			}
			rs := WithFallback(fr, nil, nil)
			rows, err := collect(rs)
			if err != nil || len(rows) != 2 || len(rows[1].Cells) != 1 {
				t.Fatalf("rows %v, %v", rows, err)
			}
			d := rs.(interface{ Damage() []string }).Damage()
			if len(d) != 1 || !strings.Contains(d[0], "cell B2") || !strings.Contains(d[0], "shared string "+tt.idx) {
				t.Errorf("Damage() = %q, want cell B2 and index %s named", d, tt.idx)
			}
		})
	}
}
