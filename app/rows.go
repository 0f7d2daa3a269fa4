package app

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"sitrep/data"
	"sitrep/table"
)

// rowColumn is one column of a record table over records of type R: its title, the text of
// a cell, how it sorts, and the width it may take.
type rowColumn[R any] struct {
	title string
	text  func(r *R) string
	sort  table.Column[R]
	// min and max bound the width sized to the content (min 0: the title's width).
	min, max float32
}

// rowView is one state of a record table (rows and order), whatever the record type.
type rowView interface {
	Len() int
	// text is the text of row i, column col ("" when it cannot be read).
	text(i, col int) string
	// ref and id name the record of row i.
	ref(i int) data.Ref
	id(i int) string
	// rowOf returns the row that shows ref, or -1.
	rowOf(ref data.Ref) int
	complete() bool
}

// rowModel is a table.Model behind the non-generic face the browser uses.
type rowModel interface {
	titles() []string
	// load reads the rows f selects; first, when not nil, gets the first screenful early.
	load(ctx context.Context, f data.Filter, first func(rowView), progress func(n int)) (rowView, error)
	// arrange orders and filters the loaded rows; first, when not nil, may get the first
	// screenful of the order early (a sort by a column of many distinct texts).
	arrange(ctx context.Context, col int, desc bool, search string, first func(rowView)) (rowView, error)
	// natural reports whether column col is the store's own order (sorting by it is free).
	natural(col int) bool
	// widths sizes the columns to the content of v's first rows.
	widths(v rowView) []float32
	forget()
}

// models is the rowModel of records of type R.
type models[R any] struct {
	m    *table.Model[R]
	cols []rowColumn[R]
	id   func(*R) string
}

func newRowModel[R any](src table.Source, k data.Kind, cols []rowColumn[R], id func(*R) string) *models[R] {
	tc := make([]table.Column[R], len(cols))
	for i, c := range cols {
		tc[i] = c.sort
	}
	return &models[R]{m: table.New(src, k, tc), cols: cols, id: id}
}

func (m *models[R]) titles() []string {
	out := make([]string, len(m.cols))
	for i, c := range m.cols {
		out[i] = c.title
	}
	return out
}

func (m *models[R]) natural(col int) bool {
	return col >= 0 && col < len(m.cols) && m.cols[col].sort.Natural
}

func (m *models[R]) forget() { m.m.Forget() }

func (m *models[R]) load(ctx context.Context, f data.Filter, first func(rowView), progress func(int)) (rowView, error) {
	var early func(*table.View[R])
	if first != nil {
		early = func(v *table.View[R]) { first(&views[R]{v: v, m: m}) }
	}
	v, err := m.m.Load(ctx, f, early, progress)
	if err != nil {
		return nil, err
	}
	return &views[R]{v: v, m: m}, nil
}

func (m *models[R]) arrange(ctx context.Context, col int, desc bool, search string, first func(rowView)) (rowView, error) {
	var early func(*table.View[R])
	if first != nil {
		early = func(v *table.View[R]) { first(&views[R]{v: v, m: m}) }
	}
	v, err := m.m.ArrangeFirst(ctx, col, desc, search, early)
	if err != nil {
		return nil, err
	}
	return &views[R]{v: v, m: m}, nil
}

// widths measures the title and the first rows' text of each column, within the column's
// bounds, so that short columns (dates, ids, counts) are as wide as their content and long
// ones stop at their maximum (their text is then cut in the middle; see middleCut).
func (m *models[R]) widths(v rowView) []float32 {
	size := theme.TextSize()
	pad := 2*theme.InnerPadding() + 8
	out := make([]float32, len(m.cols))
	n := min(v.Len(), 200)
	for c, col := range m.cols {
		w := fyne.MeasureText(col.title, size, fyne.TextStyle{Bold: true}).Width + 24 // the sort arrow
		for i := range n {
			if t := v.text(i, c); t != "" {
				w = max(w, fyne.MeasureText(t, size, fyne.TextStyle{}).Width)
			}
		}
		w += pad
		if col.min > 0 {
			w = max(w, col.min)
		}
		if col.max > 0 {
			w = min(w, col.max)
		}
		out[c] = w
	}
	return out
}

// views is a table.View behind the rowView face.
type views[R any] struct {
	v *table.View[R]
	m *models[R]
}

func (v *views[R]) Len() int { return v.v.Len() }

func (v *views[R]) text(i, col int) string {
	r, err := v.v.Row(i)
	if err != nil || col < 0 || col >= len(v.m.cols) {
		return ""
	}
	return oneLineText(v.m.cols[col].text(r))
}

func (v *views[R]) ref(i int) data.Ref { return v.v.Ref(i) }

func (v *views[R]) id(i int) string {
	r, err := v.v.Row(i)
	if err != nil {
		return ""
	}
	return v.m.id(r)
}

func (v *views[R]) rowOf(ref data.Ref) int { return v.v.RowOf(ref) }
func (v *views[R]) complete() bool         { return v.v.Complete }

// emptyView is a view with no rows, shown before the first load.
type emptyView struct{}

func (emptyView) Len() int             { return 0 }
func (emptyView) text(int, int) string { return "" }
func (emptyView) ref(int) data.Ref     { return 0 }
func (emptyView) id(int) string        { return "" }
func (emptyView) rowOf(data.Ref) int   { return -1 }
func (emptyView) complete() bool       { return false }

func textWidth(s string) float32 {
	return fyne.MeasureText(s, theme.TextSize(), fyne.TextStyle{}).Width
}

// middleCut shortens s to fit width by cutting out its middle ("International wa…3 N 70.1 W"),
// so that both the start and the end of an id, a place or a source stay readable.
func middleCut(s string, width float32) string {
	if width <= 0 || textWidth(s) <= width {
		return s
	}
	rs := []rune(s)
	n := len(rs)
	room := width - textWidth("…")
	// The longest cut that fits, keeping a little more of the start than of the end.
	lo, hi := 0, n
	for lo < hi {
		k := (lo + hi + 1) / 2
		head := (k + 1) / 2
		if textWidth(string(rs[:head]))+textWidth(string(rs[n-(k-head):])) <= room {
			lo = k
		} else {
			hi = k - 1
		}
	}
	if lo == 0 {
		return "…"
	}
	head := (lo + 1) / 2
	return string(rs[:head]) + "…" + string(rs[n-(lo-head):])
}

// cellLabel is a table cell that cuts its text in the middle to fit and shows the full text
// in a small pop-up while the pointer rests on it.
type cellLabel struct {
	widget.Label
	full  string
	width float32
	tip   *widget.PopUp
}

var _ desktop.Hoverable = (*cellLabel)(nil)

func newCellLabel() *cellLabel {
	c := &cellLabel{}
	c.ExtendBaseWidget(c)
	return c
}

// set shows text in a cell of the given width.
func (c *cellLabel) set(text string, width float32) {
	c.full, c.width = text, width
	c.SetText(middleCut(text, width-2*theme.InnerPadding()))
}

// MouseIn shows the full text when the cell shows less of it.
func (c *cellLabel) MouseIn(e *desktop.MouseEvent) {
	if c.full == c.Text || c.full == "" {
		return
	}
	cv := fyne.CurrentApp().Driver().CanvasForObject(c)
	if cv == nil {
		return
	}
	l := widget.NewLabel(c.full)
	l.Wrapping = fyne.TextWrapWord
	w := min(max(textWidth(c.full)+4*theme.InnerPadding(), 120), 520)
	l.Resize(fyne.NewSize(w, 0))
	c.tip = widget.NewPopUp(l, cv)
	c.tip.Resize(fyne.NewSize(w, l.MinSize().Height))
	pos := e.AbsolutePosition.Add(fyne.NewPos(12, 18))
	if cs := cv.Size(); pos.X+w > cs.Width {
		pos.X = max(0, cs.Width-w)
	}
	c.tip.ShowAtPosition(pos)
}

// MouseMoved does nothing: the pop-up stays where it opened.
func (c *cellLabel) MouseMoved(*desktop.MouseEvent) {}

// MouseOut hides the pop-up.
func (c *cellLabel) MouseOut() {
	if c.tip != nil {
		c.tip.Hide()
		c.tip = nil
	}
}
