package xlsxfast

import (
	"errors"
	"fmt"
)

// fallbackRows reads from the fast reader and, when it stops with
// ErrUnsupported, switches to a slower reader of the same sheet, skipping
// the rows already delivered.
type fallbackRows struct {
	cur       SheetRows
	open      func() (SheetRows, error)
	logf      func(format string, args ...any)
	delivered int
	switched  bool
	err       error
	damage    []string
}

// WithFallback returns a SheetRows that reads fast (typically a *Rows) and,
// if it stops with ErrUnsupported, logs the reason with logf (when not nil),
// opens the slow reader of the same sheet (typically excelize's) and
// continues with it after skipping the rows fast already delivered. This is
// exact because fast only delivers rows that excelize delivers first, in the
// same order. Close closes whichever reader is open.
func WithFallback(fast SheetRows, slow func() (SheetRows, error), logf func(format string, args ...any)) SheetRows {
	return &fallbackRows{cur: fast, open: slow, logf: logf}
}

// Next advances to the next row.
func (f *fallbackRows) Next() bool {
	if f.err != nil {
		return false
	}
	if f.cur.Next() {
		if !f.switched {
			f.delivered++
		}
		return true
	}
	err := f.cur.Err()
	if f.switched || !errors.Is(err, ErrUnsupported) {
		f.err = err
		return false
	}
	if f.logf != nil {
		f.logf("xlsxfast: falling back to excelize after %d rows: %v", f.delivered, err)
	}
	f.switched = true
	f.Damage() // keep what the fast reader found
	if cerr := f.cur.Close(); cerr != nil && f.logf != nil {
		f.logf("xlsxfast: closing the fast reader: %v", cerr)
	}
	slow, oerr := f.open()
	if oerr != nil {
		f.err = fmt.Errorf("falling back to excelize: %w", oerr)
		f.cur = closedRows{}
		return false
	}
	f.cur = slow
	for i := 0; i < f.delivered; i++ {
		if !slow.Next() {
			f.err = slow.Err()
			if f.err == nil {
				f.err = fmt.Errorf("falling back to excelize: it has fewer than the %d rows already read", f.delivered)
			}
			return false
		}
	}
	return f.Next()
}

// Row returns the current row.
func (f *fallbackRows) Row() (int, []string) { return f.cur.Row() }

// Err returns the error that stopped the iteration.
func (f *fallbackRows) Err() error { return f.err }

// Close closes the current reader.
func (f *fallbackRows) Close() error { return f.cur.Close() }

// closedRows is an empty, closed SheetRows.
type closedRows struct{}

func (closedRows) Next() bool           { return false }
func (closedRows) Row() (int, []string) { return 0, nil }
func (closedRows) Err() error           { return nil }
func (closedRows) Close() error         { return nil }

// Damage forwards the fast reader's list of damaged cells (see Rows.Damage); after a switch
// to the slow reader, what the fast one found before stays.
func (f *fallbackRows) Damage() []string {
	if d, ok := f.cur.(interface{ Damage() []string }); ok {
		f.damage = d.Damage()
	}
	return f.damage
}
