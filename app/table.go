package app

import (
	"context"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"sitrep/data"
)

// recordTable is the Incidents and Statements table: a widget.Table over a rowView, which
// holds a ref per row and reads only the rows on screen (package table). Loading, sorting and
// searching run in the background and swap a new view in through fyne.Do; a newer request
// cancels an older one. The first screenful shows as soon as it is read, before the rest.
type recordTable struct {
	work   *worker
	dlg    Dialogs
	model  rowModel
	titles []string
	widths []float32
	view   rowView

	sortCol int // -1: the store's order (date, then id)
	desc    bool
	search  string
	table   *widget.Table

	// onSelect is called with the id of the selected record.
	onSelect func(id string)
	// onState is called on the UI goroutine when the table starts (busy) or finishes work.
	onState func(busy bool, what string)

	selRef      data.Ref // the selected record (0: none)
	gen         generation
	cancel      context.CancelFunc
	busy        bool
	sized       bool // columns sized to the content of the current load
	reselecting bool

	// trace, when set, gets when a load showed its first rows and all of them.
	trace     func(string)
	traceName string
	loadStart time.Time
	traced    bool
}

func newRecordTable(work *worker, dlg Dialogs, m rowModel, onSelect func(id string)) *recordTable {
	rt := &recordTable{work: work, dlg: dlg, model: m, titles: m.titles(), view: emptyView{}, sortCol: -1, onSelect: onSelect}
	rt.widths = make([]float32, len(rt.titles))
	for i, t := range rt.titles {
		rt.widths[i] = fyne.MeasureText(t, theme.TextSize(), fyne.TextStyle{Bold: true}).Width + 40
	}
	rt.table = widget.NewTableWithHeaders(
		func() (int, int) { return rt.view.Len(), len(rt.titles) },
		func() fyne.CanvasObject { return newCellLabel() },
		func(id widget.TableCellID, o fyne.CanvasObject) {
			c := o.(*cellLabel)
			if id.Row < 0 || id.Row >= rt.view.Len() || id.Col < 0 || id.Col >= len(rt.titles) {
				c.set("", 0)
				return
			}
			c.set(rt.view.text(id.Row, id.Col), rt.widths[id.Col])
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
		if id.Col < 0 || id.Col >= len(rt.titles) {
			b.SetText("")
			return
		}
		col := id.Col
		b.SetText(rt.titles[col])
		b.Icon = nil
		if col == rt.sortCol || (rt.sortCol < 0 && rt.model.natural(col)) {
			if rt.desc {
				b.Icon = theme.MenuDropDownIcon()
			} else {
				b.Icon = theme.MenuDropUpIcon()
			}
		}
		b.OnTapped = func() { rt.SortBy(col) }
		b.Refresh()
	}
	rt.applyWidths()
	rt.table.OnSelected = func(id widget.TableCellID) {
		if rt.reselecting || id.Row < 0 || id.Row >= rt.view.Len() {
			return
		}
		rt.selRef = rt.view.ref(id.Row)
		if rt.onSelect != nil {
			rt.onSelect(rt.view.id(id.Row))
		}
	}
	return rt
}

func (rt *recordTable) applyWidths() {
	for i, w := range rt.widths {
		rt.table.SetColumnWidth(i, w)
	}
}

// setModel makes the table read through m from now on (another store was opened): the rows
// read through the old model are dropped, and the next load reads through m.
func (rt *recordTable) setModel(m rowModel) {
	if rt.cancel != nil {
		rt.cancel() // a read still under way through the old model stops, and is dropped
	}
	rt.gen.next()
	rt.busy = false
	rt.model = m
	rt.view = emptyView{}
	rt.selRef = 0
	rt.sized = false
	rt.table.Refresh()
}

// rows is the number of rows shown.
func (rt *recordTable) rows() int { return rt.view.Len() }

// cell returns the text shown at a table row and column (for tests and copying).
func (rt *recordTable) cell(row, col int) string {
	if row < 0 || row >= rt.view.Len() {
		return ""
	}
	return rt.view.text(row, col)
}

// Sorting reports whether a load, sort or search is running.
func (rt *recordTable) Sorting() bool { return rt.busy }

// start cancels the work running and returns the context and generation of new work.
func (rt *recordTable) start(what string) (context.Context, int64) {
	if rt.cancel != nil {
		rt.cancel()
	}
	ctx, cancel := context.WithCancel(context.Background())
	rt.cancel = cancel
	g := rt.gen.next()
	rt.busy = true
	if rt.onState != nil {
		rt.onState(true, what)
	}
	return ctx, g
}

// finish ends work g (when it is still the newest).
func (rt *recordTable) finish(g int64) {
	if !rt.gen.current(g) {
		return
	}
	rt.busy = false
	if rt.onState != nil {
		rt.onState(false, "")
	}
}

// load reads the rows f selects (f.Search is the table's search) in the background: the first
// screenful is shown as soon as it is read, then all the rows in the current order. done is
// called on the UI goroutine with the complete view (or the error).
func (rt *recordTable) load(f data.Filter, progress func(n int), done func(v rowView, err error)) {
	search := strings.TrimSpace(f.Search)
	f.Search = ""
	rt.search = search
	ctx, g := rt.start("Loading")
	rt.loadStart, rt.traced = time.Now(), false
	col, desc := rt.sortCol, rt.desc
	rt.sized = false
	m := rt.model // setModel may replace it while this load runs
	m.forget()
	rt.work.background(func(context.Context) {
		first := func(v rowView) {
			if search != "" || col >= 0 || desc {
				return // the first rows in the store's order are not the rows asked for
			}
			rt.work.do(func() {
				if rt.gen.current(g) {
					rt.install(v)
				}
			})
		}
		v, err := m.load(ctx, f, first, func(n int) {
			rt.work.do(func() {
				if rt.gen.current(g) && progress != nil {
					progress(n)
				}
			})
		})
		if err == nil && (search != "" || col >= 0 || desc) {
			v, err = m.arrange(ctx, col, desc, search, nil)
		}
		rt.work.do(func() {
			if !rt.gen.current(g) {
				return
			}
			if err == nil {
				rt.install(v)
				if rt.trace != nil {
					rt.trace(fmt.Sprintf("%s: all %s rows shown %s after the screen asked for them",
						rt.traceName, thousands(v.Len()), time.Since(rt.loadStart).Round(time.Millisecond)))
				}
			}
			rt.finish(g)
			if ctx.Err() == nil || err == nil {
				done(v, err)
			}
		})
	})
}

// arrange re-orders and filters the loaded rows in the background.
func (rt *recordTable) arrange(what string) {
	ctx, g := rt.start(what)
	col, desc, search := rt.sortCol, rt.desc, rt.search
	began := time.Now()
	firstShown := false
	m := rt.model
	rt.work.background(func(context.Context) {
		v, err := m.arrange(ctx, col, desc, search, func(first rowView) {
			rt.work.do(func() {
				if rt.gen.current(g) {
					rt.install(first) // the first screenful while the rest is sorted
					if rt.trace != nil && !firstShown {
						firstShown = true
						rt.trace(fmt.Sprintf("%s: %s, first screenful shown after %s", rt.traceName, what, time.Since(began).Round(time.Millisecond)))
					}
				}
			})
		})
		rt.work.do(func() {
			if !rt.gen.current(g) {
				return
			}
			if err != nil && ctx.Err() == nil {
				showError(rt.dlg, "Could not sort or search the table", err)
			}
			if err == nil {
				rt.install(v)
				if rt.trace != nil {
					rt.trace(fmt.Sprintf("%s: %s (column %d, search %q): %s rows shown after %s", rt.traceName, what, col, search,
						thousands(v.Len()), time.Since(began).Round(time.Millisecond)))
				}
			}
			rt.finish(g)
		})
	})
}

// SortBy sorts by column col; a second call on the same column reverses the order. The sort
// runs in the background; the table keeps its order until the new one is ready.
func (rt *recordTable) SortBy(col int) {
	cur := rt.sortCol
	if cur < 0 {
		for i := range rt.titles {
			if rt.model.natural(i) {
				cur = i
			}
		}
	}
	if col == cur {
		rt.desc = !rt.desc
	} else {
		rt.desc = false
	}
	rt.sortCol = col
	if rt.model.natural(col) {
		rt.sortCol = -1
	}
	rt.table.Refresh() // the header arrows
	rt.arrange(fmt.Sprintf("Sorting %s", thousands(rt.view.Len())))
}

// setSearch shows only the loaded rows that match text (any text field).
func (rt *recordTable) setSearch(text string) {
	text = strings.TrimSpace(text)
	if text == rt.search {
		return
	}
	rt.search = text
	rt.arrange("Searching")
}

// install shows view v, keeping the selected record selected (and in sight) when it is there.
func (rt *recordTable) install(v rowView) {
	rt.view = v
	if rt.trace != nil && !rt.traced && v.Len() > 0 && !rt.loadStart.IsZero() {
		rt.traced = true
		rt.trace(fmt.Sprintf("%s: first rows shown %s after the screen asked for them",
			rt.traceName, time.Since(rt.loadStart).Round(time.Millisecond)))
	}
	if !rt.sized && v.Len() > 0 {
		rt.widths = rt.model.widths(v)
		rt.applyWidths()
		rt.sized = true
	}
	rt.table.Refresh()
	row := -1
	if rt.selRef != 0 {
		row = v.rowOf(rt.selRef)
	}
	rt.reselecting = true
	if row >= 0 {
		rt.table.Select(widget.TableCellID{Row: row, Col: 0})
		rt.table.ScrollTo(widget.TableCellID{Row: row, Col: 0})
	} else {
		rt.table.UnselectAll()
	}
	rt.reselecting = false
}

// selectID selects the record with that id among the first rows (for Options.Select).
func (rt *recordTable) selectID(id string) bool {
	for i := range min(rt.view.Len(), 10000) {
		if rt.view.id(i) == id {
			rt.selRef = rt.view.ref(i)
			rt.table.Select(widget.TableCellID{Row: i, Col: 0})
			rt.table.ScrollTo(widget.TableCellID{Row: i, Col: 0})
			return true
		}
	}
	return false
}

// selectedRow is the row of the selected record, or -1.
func (rt *recordTable) selectedRow() int {
	if rt.selRef == 0 {
		return -1
	}
	return rt.view.rowOf(rt.selRef)
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
