package importers

import (
	"fmt"

	"github.com/xuri/excelize/v2"
)

// SheetRows streams the rows of one sheet.
type SheetRows interface {
	Next() bool                     // advance to the next row that has at least one cell
	Row() (num int, cells []string) // 1-based row number as Excel shows it; cells indexed by 0-based column, ragged
	Err() error
	Close() error
}

var rawOpts = excelize.Options{RawCellValue: true}

// xlsxRows is the excelize-backed SheetRows: f.Rows with raw cell values. The cells slice of
// Row is valid until the next call to Next.
type xlsxRows struct {
	rows  *excelize.Rows
	num   int
	cells []string
	err   error
}

func newXLSXRows(f *excelize.File, sheet string) (*xlsxRows, error) {
	rows, err := f.Rows(sheet)
	if err != nil {
		return nil, err
	}
	return &xlsxRows{rows: rows}, nil
}

// Next implements SheetRows.
func (r *xlsxRows) Next() bool {
	if r.err != nil || r.rows == nil {
		return false
	}
	for r.rows.Next() {
		r.num++
		cells, err := r.rows.Columns(rawOpts)
		if err != nil {
			r.err = fmt.Errorf("row %d: %w", r.num, err)
			return false
		}
		if hasValue(cells) {
			r.cells = cells
			return true
		}
	}
	if err := r.rows.Error(); err != nil {
		r.err = err
	}
	return false
}

// Row implements SheetRows.
func (r *xlsxRows) Row() (int, []string) { return r.num, r.cells }

// Err implements SheetRows.
func (r *xlsxRows) Err() error { return r.err }

// Close implements SheetRows.
func (r *xlsxRows) Close() error {
	if r.rows == nil {
		return nil
	}
	err := r.rows.Close()
	r.rows = nil
	if err != nil && err == r.err {
		return nil
	}
	return err
}

func hasValue(cells []string) bool {
	for _, c := range cells {
		if c != "" {
			return true
		}
	}
	return false
}

// mergeRange is a merged range in 0-based columns and 1-based rows.
type mergeRange struct {
	c1, r1, c2, r2 int
	value          string
	seen           bool
}

// maxFillCols bounds how many columns a merged range is filled across.
const maxFillCols = 1024

// mergeFill wraps a SheetRows and copies the value of each merged range's top-left cell into
// the other cells of the range, so that a date merged down three rows dates all three. Rows
// that lie wholly inside a merged range and are otherwise empty stay skipped.
type mergeFill struct {
	SheetRows
	ranges []*mergeRange // sorted by r1
	active []*mergeRange
	next   int
	buf    []string
}

func newMergeFill(src SheetRows, ranges []*mergeRange) SheetRows {
	if len(ranges) == 0 {
		return src
	}
	return &mergeFill{SheetRows: src, ranges: ranges}
}

// Row implements SheetRows with merged values filled in.
func (m *mergeFill) Row() (int, []string) {
	num, cells := m.SheetRows.Row()
	// Retire ranges that ended, admit ranges that started.
	keep := m.active[:0]
	for _, r := range m.active {
		if r.r2 >= num {
			keep = append(keep, r)
		}
	}
	m.active = keep
	for m.next < len(m.ranges) && m.ranges[m.next].r1 <= num {
		if m.ranges[m.next].r2 >= num {
			m.active = append(m.active, m.ranges[m.next])
		}
		m.next++
	}
	if len(m.active) == 0 {
		return num, cells
	}
	m.buf = append(m.buf[:0], cells...)
	for _, r := range m.active {
		if !r.seen {
			r.seen = true
			if r.r1 == num && r.c1 < len(cells) {
				r.value = cells[r.c1]
			}
		}
		if r.value == "" {
			continue
		}
		c2 := min(r.c2, r.c1+maxFillCols)
		for len(m.buf) <= c2 {
			m.buf = append(m.buf, "")
		}
		for c := r.c1; c <= c2; c++ {
			if m.buf[c] == "" {
				m.buf[c] = r.value
			}
		}
	}
	return num, m.buf
}

// Damage forwards the damaged cells the underlying reader found (see xlsxfast.Rows.Damage).
func (m *mergeFill) Damage() []string {
	if d, ok := m.SheetRows.(interface{ Damage() []string }); ok {
		return d.Damage()
	}
	return nil
}
