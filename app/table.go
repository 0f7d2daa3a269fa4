package app

import (
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// column is one column of a recordTable: how to show and how to compare row i.
type column struct {
	title string
	width float32
	text  func(i int) string
	cmp   func(a, b int) int
}

// recordTable is a virtualised table over rows held by a screen in a compact slice. Only the
// visible cells are built (widget.Table recycles them), so a million rows scroll like ten.
// Sorting reorders an index slice; the rows themselves never move.
type recordTable struct {
	cols    []column
	order   []int32
	sortCol int
	desc    bool
	table   *widget.Table
	// onSelect is called with the data index of the selected row.
	onSelect func(i int)
}

func newRecordTable(cols []column, onSelect func(int)) *recordTable {
	rt := &recordTable{cols: cols, onSelect: onSelect}
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
		if id.Row >= 0 && id.Row < len(rt.order) && rt.onSelect != nil {
			rt.onSelect(int(rt.order[id.Row]))
		}
	}
	return rt
}

// setRows shows n rows (data indices 0..n-1) in the current sort order.
func (rt *recordTable) setRows(n int) {
	order := make([]int32, n)
	for i := range order {
		order[i] = int32(i)
	}
	rt.order = order
	rt.sort()
	rt.table.UnselectAll()
	rt.table.Refresh()
}

// SortBy sorts by column col; a second call on the same column reverses the order.
func (rt *recordTable) SortBy(col int) {
	if col == rt.sortCol {
		rt.desc = !rt.desc
	} else {
		rt.sortCol, rt.desc = col, false
	}
	rt.sort()
	rt.table.UnselectAll()
	rt.table.Refresh()
}

func (rt *recordTable) sort() {
	if rt.sortCol < 0 || rt.sortCol >= len(rt.cols) {
		return
	}
	cmp := rt.cols[rt.sortCol].cmp
	desc := rt.desc
	slices.SortStableFunc(rt.order, func(a, b int32) int {
		c := cmp(int(a), int(b))
		if c == 0 {
			c = int(a - b)
			return c
		}
		if desc {
			return -c
		}
		return c
	})
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
