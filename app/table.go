package app

import (
	"context"
	"slices"
	"sync/atomic"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// column is one column of a recordTable: how to show row i, and how to compare rows. cmp is
// called on the UI goroutine and returns a comparison over the rows as they are then (the
// screen's current slices), which the background sort may use while the screen installs newer
// rows.
type column struct {
	title string
	width float32
	text  func(i int) string
	cmp   func() func(a, b int) int
}

// recordTable is a virtualised table over rows held by a screen in a compact slice. Only the
// visible cells are built (widget.Table recycles them), so a million rows scroll like ten.
// Sorting builds a new index slice in a goroutine (a million rows take a while) and swaps it
// in through fyne.Do; a newer sort or newer rows cancel an older sort. The rows never move.
type recordTable struct {
	u       *UI
	cols    []column
	order   []int32
	sortCol int
	desc    bool
	table   *widget.Table
	// onSelect is called with the data index of the selected row.
	onSelect func(i int)
	// onSorting is called on the UI goroutine when a sort starts (true) and when its order is
	// shown (false).
	onSorting func(sorting bool)

	selIdx     int // data index of the selected row, -1 when none
	sortGen    atomic.Int64
	sortCancel context.CancelFunc
	sorting    bool
	// reselecting is set while the selection is moved to the selected row's new place.
	reselecting bool
}

func newRecordTable(u *UI, cols []column, onSelect func(int)) *recordTable {
	rt := &recordTable{u: u, cols: cols, onSelect: onSelect, selIdx: -1}
	rt.table = widget.NewTableWithHeaders(
		func() (int, int) { return len(rt.order), len(rt.cols) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(id widget.TableCellID, o fyne.CanvasObject) {
			if id.Row < 0 || id.Row >= len(rt.order) || id.Col >= len(rt.cols) {
				o.(*widget.Label).SetText("")
				return
			}
			o.(*widget.Label).SetText(rt.cols[id.Col].text(int(rt.order[id.Row])))
		})
	rt.table.ShowHeaderColumn = false
	rt.table.CreateHeader = func() fyne.CanvasObject {
		b := widget.NewButton("", nil)
		b.Alignment = widget.ButtonAlignLeading
		b.Importance = widget.LowImportance
		return b
	}
	rt.table.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		b := o.(*widget.Button)
		if id.Col < 0 || id.Col >= len(rt.cols) {
			b.SetText("")
			return
		}
		col := id.Col
		b.SetText(rt.cols[col].title)
		b.Icon = nil
		if col == rt.sortCol {
			if rt.desc {
				b.Icon = theme.MenuDropDownIcon()
			} else {
				b.Icon = theme.MenuDropUpIcon()
			}
		}
		b.OnTapped = func() { rt.SortBy(col) }
		b.Refresh()
	}
	for i, c := range cols {
		rt.table.SetColumnWidth(i, c.width)
	}
	rt.table.OnSelected = func(id widget.TableCellID) {
		if id.Row >= 0 && id.Row < len(rt.order) {
			if i := int(rt.order[id.Row]); i != rt.selIdx || !rt.reselecting {
				rt.selIdx = i
				if rt.onSelect != nil {
					rt.onSelect(i)
				}
			}
		}
	}
	return rt
}

// setRows shows n rows (data indices 0..n-1), first in the order read, then (once the
// background sort is done) in the current sort order.
func (rt *recordTable) setRows(n int) {
	order := make([]int32, n)
	for i := range order {
		order[i] = int32(i)
	}
	rt.order = order
	rt.selIdx = -1
	rt.table.UnselectAll()
	rt.table.Refresh()
	rt.startSort(n)
}

// SortBy sorts by column col; a second call on the same column reverses the order. The sort
// runs in the background; the table keeps its order until the new one is ready.
func (rt *recordTable) SortBy(col int) {
	if col == rt.sortCol {
		rt.desc = !rt.desc
	} else {
		rt.sortCol, rt.desc = col, false
	}
	rt.table.Refresh() // the header arrows
	rt.startSort(len(rt.order))
}

// Sorting reports whether a sort is running.
func (rt *recordTable) Sorting() bool { return rt.sorting }

// startSort sorts the n rows by the current column in a goroutine, cancelling a sort still
// running, and shows the order through fyne.Do if no newer sort or rows came meanwhile.
func (rt *recordTable) startSort(n int) {
	if rt.sortCancel != nil {
		rt.sortCancel()
		rt.sortCancel = nil
	}
	g := rt.sortGen.Add(1)
	if rt.sortCol < 0 || rt.sortCol >= len(rt.cols) || n < 2 {
		rt.setSorting(false)
		return
	}
	cmp := rt.cols[rt.sortCol].cmp()
	desc := rt.desc
	ctx, cancel := context.WithCancel(context.Background())
	rt.sortCancel = cancel
	rt.setSorting(true)
	run := func(fn func()) { fn() }
	if rt.u != nil {
		rt.u.jobs.Add(1)
		run = func(fn func()) {
			go func() {
				defer rt.u.jobs.Done()
				fn()
			}()
		}
	}
	run(func() {
		order, ok := sortedOrder(ctx, n, cmp, desc)
		if !ok {
			return
		}
		apply := func() {
			if rt.sortGen.Load() != g || len(rt.order) != n {
				return // newer rows or a newer sort
			}
			rt.sortCancel = nil
			rt.order = order
			rt.table.Refresh()
			if row := rt.rowOf(rt.selIdx); row >= 0 { // the selection follows its row
				rt.reselecting = true
				rt.table.Select(widget.TableCellID{Row: row, Col: 0})
				rt.table.ScrollTo(widget.TableCellID{Row: row, Col: 0})
				rt.reselecting = false
			} else {
				rt.table.UnselectAll()
			}
			rt.setSorting(false)
		}
		if rt.u != nil {
			rt.u.do(apply)
		} else {
			apply()
		}
	})
}

func (rt *recordTable) setSorting(on bool) {
	if rt.sorting == on {
		return
	}
	rt.sorting = on
	if rt.onSorting != nil {
		rt.onSorting(on)
	}
}

// sortedOrder returns the indices 0..n-1 sorted by cmp (reversed when desc), ties in index
// order. It gives up (false) once ctx is cancelled.
func sortedOrder(ctx context.Context, n int, cmp func(a, b int) int, desc bool) ([]int32, bool) {
	order := make([]int32, n)
	for i := range order {
		order[i] = int32(i)
	}
	calls := 0
	cancelled := false
	slices.SortFunc(order, func(a, b int32) int {
		if cancelled {
			return int(a - b) // finish quickly; the result is thrown away
		}
		if calls++; calls&0xFFF == 0 && ctx.Err() != nil {
			cancelled = true
		}
		c := cmp(int(a), int(b))
		if c == 0 {
			return int(a - b)
		}
		if desc {
			return -c
		}
		return c
	})
	return order, !cancelled && ctx.Err() == nil
}

// rowOf returns the table row showing data index i, or -1.
func (rt *recordTable) rowOf(i int) int {
	return slices.Index(rt.order, int32(i))
}

// cell returns the text shown at a table row and column (for tests and copying).
func (rt *recordTable) cell(row, col int) string {
	if row < 0 || row >= len(rt.order) {
		return ""
	}
	return rt.cols[col].text(int(rt.order[row]))
}

// newTextTable returns a read-only table of labels (cut with an ellipsis when too long) under
// bold column titles, with the given column widths. rows reports how many rows there are now;
// cell gives the text of a cell.
func newTextTable(titles []string, widths []float32, rows func() int, cell func(row, col int) string) *widget.Table {
	t := widget.NewTableWithHeaders(
		func() (int, int) { return rows(), len(titles) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(id widget.TableCellID, o fyne.CanvasObject) {
			if id.Row >= 0 && id.Row < rows() && id.Col >= 0 && id.Col < len(titles) {
				o.(*widget.Label).SetText(cell(id.Row, id.Col))
			}
		})
	t.ShowHeaderColumn = false
	t.CreateHeader = func() fyne.CanvasObject {
		return widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	t.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		if id.Col >= 0 && id.Col < len(titles) {
			o.(*widget.Label).SetText(titles[id.Col])
		}
	}
	for i, w := range widths {
		t.SetColumnWidth(i, w)
	}
	return t
}
