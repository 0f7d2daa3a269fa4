package xlsxfast

import (
	"errors"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// A cell that refers to a shared string the table does not have is refused with ErrDamaged and
// the cell's name (issue 14: it used to read as an empty cell without a word in the audit).
func TestSharedStringIndexOutOfRange(t *testing.T) {
	tests := []struct {
		name, idx, cell string
	}{
		{"past the end", "6", "B2"},
		{"far past the end", "99999", "B2"},
		{"negative", "-1", "B2"},
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
			rows, err := fastRows(wb, "Sheet1")
			if !errors.Is(err, ErrDamaged) {
				t.Fatalf("err = %v after %d rows, want ErrDamaged", err, len(rows))
			}
			if !strings.Contains(err.Error(), "cell "+tt.cell) || !strings.Contains(err.Error(), "shared string "+tt.idx) {
				t.Errorf("err = %q, want it to name cell %s and index %s", err, tt.cell, tt.idx)
			}
			// excelize's row iterator drops the cell without an error: the fast
			// reader, not a fallback to excelize, is what reads a sheet by default.
			xf, err := excelize.OpenFile(path)
			if err != nil {
				t.Fatal(err)
			}
			defer xf.Close()
			if xr, err := excelizeRows(xf, "Sheet1"); err == nil {
				t.Logf("excelize reads row 2 as %q", xr[len(xr)-1].Cells)
			}
		})
	}
}
