package app

import (
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"io"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"sitrep/data"
)

// positionSource is what the Positions screen reads (and exports from).
type positionSource = data.PositionsSource

// PositionsExporter draws and exports the positions grid of a source: corePositions (data,
// charts and importers) is the real one.
type PositionsExporter interface {
	// PNG writes the grid data.NewMatrix builds with opts (as-of date, changed-since date,
	// actor columns in order, topic rows) as a width x height PNG.
	PNG(ctx context.Context, src data.PositionsSource, opts data.MatrixOptions, width, height int, w io.Writer) error
	// XLSX writes the same grid as a workbook, with quotes, sources and changes.
	XLSX(ctx context.Context, src data.PositionsSource, opts data.MatrixOptions, w io.Writer) error
	// StanceChart draws the stances of actors on topic over time at width x height pixels,
	// in the dark theme when dark, with text readable at a preview's size.
	StanceChart(ctx context.Context, src data.PositionsSource, actors []string, topic string, asOf data.Date, width, height int, dark bool) (image.Image, error)
}

// positionsScreen is the side-by-side matrix of the latest stance per topic (rows) and actor
// (columns), built by data.NewMatrix exactly as the CLI, the PNG and the xlsx build it.
type positionsScreen struct {
	// settings say which theme the stance chart follows.
	settings fyne.Settings
	work     *worker
	dlg      Dialogs
	exporter PositionsExporter // nil: the exports and the stance chart are not available
	// progress runs an export behind a progress dialog (UI.runWithProgress); words opens
	// the stance words dialog.
	progress func(title, message string, work func(ctx context.Context, progress func(float64, string)) (string, error))
	words    func()
	src      positionSource
	// filters holds the shared "As known on" time; knownOnBar shows it.
	filters    *filterState
	knownOnBar *filterBar
	asOf       *widget.Entry
	compare    *widget.Entry
	actors     *widget.CheckGroup
	topic      *widget.Select
	table      *widget.Table
	detail     *widget.Label
	status     *widget.Label
	raster     *canvas.Raster
	pngB       *widget.Button
	wordsB     *widget.Button
	xlsxB      *widget.Button
	leftB      *widget.Button
	rightB     *widget.Button

	// stmts and vocab are what the store held at the last reload.
	stmts  []data.Statement
	vocab  data.Vocabulary
	loaded bool
	// allActors are every actor with a statement as of the date (most statements first);
	// allTopics every topic likewise.
	allActors []string
	allTopics []string
	// order is the user's choice of actor columns, in order (nil: the default choice).
	order []string
	// matrix is the grid shown: matrix.Actors are the columns, matrix.Topics the rows.
	matrix data.Matrix
	// selActor and selTopic are the selected cell ("" when none).
	selActor, selTopic string
	content            fyne.CanvasObject
	gen                generation
	mgen               generation
	updating           bool
}

const allTopics = "(all topics)"

// Cell geometry of the positions grid.
const (
	posColWidth  = 240
	posRowHeight = 132
)

func newPositionsScreen(u *UI) *positionsScreen {
	p := &positionsScreen{work: u.worker, dlg: u.dlg, exporter: u.opts.Positions, progress: u.runWithProgress,
		words: u.showVocabulary, src: u.store, filters: u.filters, settings: u.app.Settings()}
	return p.build(u.opts.Since)
}

// build makes the screen's widgets; since is the first "Changed since" date (Options.Since).
func (p *positionsScreen) build(since string) *positionsScreen {
	p.asOf = widget.NewEntry()
	p.asOf.SetPlaceHolder("latest (YYYY-MM-DD)")
	p.asOf.OnChanged = func(string) { p.rebuild() }
	p.compare = widget.NewEntry()
	p.compare.SetPlaceHolder("YYYY-MM-DD (optional)")
	p.compare.SetText(since)
	p.compare.OnChanged = func(string) { p.rebuild() }
	p.actors = widget.NewCheckGroup(nil, func(sel []string) {
		if p.updating {
			return
		}
		p.setOrder(sel)
	})
	p.actors.Horizontal = true
	p.topic = widget.NewSelect([]string{allTopics}, func(string) {
		if !p.updating {
			p.rebuild()
		}
	})
	p.topic.SetSelected(allTopics)
	p.status = widget.NewLabel("")
	p.status.Wrapping = fyne.TextWrapWord
	p.detail = widget.NewLabel("Select a cell to read the full quote, who said it, when, and the source.")
	p.detail.Wrapping = fyne.TextWrapWord
	p.detail.Selectable = true
	p.table = p.newGrid()
	p.raster = canvas.NewRaster(p.drawChart)
	p.wordsB = widget.NewButtonWithIcon("Stance words…", theme.SettingsIcon(), func() { p.words() })
	p.pngB = widget.NewButtonWithIcon("Export PNG…", theme.DocumentSaveIcon(), p.exportPNG)
	p.xlsxB = widget.NewButtonWithIcon("Export xlsx…", theme.DocumentSaveIcon(), p.exportXLSX)
	p.leftB = widget.NewButtonWithIcon("Move column left", theme.NavigateBackIcon(), func() { p.moveSelected(-1) })
	p.rightB = widget.NewButtonWithIcon("Move column right", theme.NavigateNextIcon(), func() { p.moveSelected(+1) })
	p.rightB.IconPlacement = widget.ButtonIconTrailingText
	p.leftB.Disable()
	p.rightB.Disable()
	if p.exporter == nil {
		p.pngB.Disable()
		p.xlsxB.Disable()
	}
	var knownRow fyne.CanvasObject = layoutSpacer()
	if p.filters != nil {
		p.knownOnBar = newFilterBar(p.filters, "knownon")
		p.filters.listeners = append(p.filters.listeners, p.reload)
		knownRow = p.knownOnBar.content
	}
	controls := container.NewVBox(
		knownRow,
		container.NewHBox(widget.NewLabel("As of"), container.NewGridWrap(fyne.NewSize(170, p.asOf.MinSize().Height), p.asOf),
			widget.NewLabel("Changed since"), container.NewGridWrap(fyne.NewSize(190, p.compare.MinSize().Height), p.compare),
			widget.NewLabel("Topic"), p.topic, layoutSpacer(), p.wordsB, p.pngB, p.xlsxB),
		container.NewBorder(nil, nil, widget.NewLabel("Actors (columns)"), container.NewHBox(p.leftB, p.rightB), container.NewHScroll(p.actors)),
	)
	var bottom fyne.CanvasObject = container.NewVScroll(p.detail)
	if p.exporter != nil {
		chartBox := container.NewStack(canvas.NewRectangle(color.White), p.raster)
		split := container.NewHSplit(bottom, chartBox)
		split.Offset = 0.4
		bottom = split
	}
	main := container.NewVSplit(p.table, bottom)
	main.Offset = 0.6
	legend := widget.NewLabel("Each cell: the latest stance on or before the as-of date (a statement dated only to the month counts from the month's end). " +
		"\"no statement\" (blank, italic) means nothing is on record; \"no comment\" means the actor declined to comment. " +
		"● marks a stance that changed since the \"Changed since\" date, with the earlier stance. Select a column's cell, then move the column left or right.")
	legend.Wrapping = fyne.TextWrapWord
	p.content = container.NewBorder(controls, container.NewVBox(legend, p.status), nil, nil, main)
	return p
}

// newGrid makes the positions grid: a row per topic, a column per actor, a cell per stance;
// selecting a cell shows its statement.
func (p *positionsScreen) newGrid() *widget.Table {
	t := widget.NewTableWithHeaders(
		func() (int, int) { return len(p.matrix.Topics), len(p.matrix.Actors) },
		newPositionCell,
		func(id widget.TableCellID, o fyne.CanvasObject) {
			c, ok := p.cellAt(id.Row, id.Col)
			if !ok {
				return
			}
			updatePositionCell(o, cellLook(c), posColWidth)
		})
	t.CreateHeader = func() fyne.CanvasObject {
		l := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		l.Wrapping = fyne.TextWrapWord
		return l
	}
	t.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		l := o.(*widget.Label)
		switch {
		case id.Row < 0 && id.Col >= 0 && id.Col < len(p.matrix.Actors):
			l.SetText(p.matrix.Actors[id.Col])
		case id.Col < 0 && id.Row >= 0 && id.Row < len(p.matrix.Topics):
			l.SetText(p.matrix.Topics[id.Row])
		default:
			l.SetText("")
		}
	}
	t.OnSelected = func(id widget.TableCellID) {
		if c, ok := p.cellAt(id.Row, id.Col); ok {
			p.selActor, p.selTopic = c.Actor, c.Topic
			p.showCell(c)
			p.updateMoveButtons()
		}
	}
	return t
}

// cellAt returns the matrix cell at a table row (topic) and column (actor).
func (p *positionsScreen) cellAt(row, col int) (data.Cell, bool) {
	if row < 0 || row >= len(p.matrix.Cells) || col < 0 || col >= len(p.matrix.Cells[row]) {
		return data.Cell{}, false
	}
	return p.matrix.Cells[row][col], true
}

// cell returns the shown cell of an actor and topic.
func (p *positionsScreen) cell(actor, topic string) (data.Cell, bool) {
	return p.matrix.Cell(actor, topic)
}

// positionLook is how one grid cell is drawn.
type positionLook struct {
	lines      []string // stance word first, then speaker and role, date, quote, source, change
	fill, ink  color.Color
	bold, ital bool
	changed    bool
}

// cellLook describes a cell: "no statement" is blank and italic, "no comment" has the
// vocabulary's colour and its own word, a stance has its word and colour, an unscored word
// is shown as written, marked unscored, on a neutral fill.
func cellLook(c data.Cell) positionLook {
	var l positionLook
	switch c.State {
	case data.CellNoStatement:
		l.lines = []string{c.Label(), "nothing on record"}
		if c.Later {
			l.lines[1] = "nothing on record by this date"
		}
		l.fill, l.ink, l.ital = color.Transparent, theme.Color(theme.ColorNameDisabled), true
	case data.CellUnscored:
		l.lines = []string{c.Label() + " (" + data.UnscoredLabel + ")"}
		l.fill, l.ink, l.bold = color.NRGBA{R: 0xE0, G: 0xE0, B: 0xE0, A: 0xFF}, color.Black, true
	default:
		fill := color.NRGBA{R: 0x80, G: 0x80, B: 0x80, A: 0xFF}
		if n, ok := parseHex(c.Color()); ok {
			fill = n
		}
		l.fill, l.ink, l.bold = fill, color.Black, true
		if luminance(fill) < 0.45 {
			l.ink = color.White
		}
		l.lines = []string{c.Label()}
		l.ital = c.State == data.CellNoComment
	}
	if c.State != data.CellNoStatement {
		who := strings.TrimSpace(c.Speaker)
		if r := strings.TrimSpace(c.Role); r != "" {
			if who != "" {
				who += ", " + r
			} else {
				who = r
			}
		}
		l.lines = append(l.lines, orDash(who), c.Date.Label())
		if q := c.ShortQuote(80); q != "" {
			l.lines = append(l.lines, "“"+q+"”")
		} else {
			l.lines = append(l.lines, "(no quote)")
		}
		l.lines = append(l.lines, "Source: "+orDash(c.Source))
	}
	if c.ChangedFrom != nil {
		l.changed = true
		l.lines[0] = "● " + l.lines[0]
		if c.ChangedFrom.State == data.CellNoStatement {
			l.lines = append(l.lines, "● new (no statement then)")
		} else {
			l.lines = append(l.lines, "● was: "+c.ChangedFrom.Label())
		}
	}
	return l
}

// newPositionCell is the template of a grid cell: a coloured background, a change frame and
// up to 7 lines of text.
func newPositionCell() fyne.CanvasObject {
	bg := canvas.NewRectangle(color.Transparent)
	frame := canvas.NewRectangle(color.Transparent)
	frame.StrokeWidth = 3
	box := container.NewVBox()
	for i := 0; i < 7; i++ {
		t := canvas.NewText("", color.Black)
		if i > 0 {
			t.TextSize = theme.TextSize() * 0.85
		}
		box.Add(t)
	}
	return container.NewStack(bg, frame, container.NewPadded(box))
}

// updatePositionCell draws look into a cell made by newPositionCell, cutting each line to the
// cell's width so nothing spills into the next column.
func updatePositionCell(o fyne.CanvasObject, l positionLook, width float32) {
	st := o.(*fyne.Container)
	bg := st.Objects[0].(*canvas.Rectangle)
	frame := st.Objects[1].(*canvas.Rectangle)
	box := st.Objects[2].(*fyne.Container).Objects[0].(*fyne.Container)
	bg.FillColor = l.fill
	frame.StrokeColor = color.Transparent
	if l.changed {
		frame.StrokeColor = theme.Color(theme.ColorNamePrimary)
	}
	room := width - 4*theme.Padding()
	for i, obj := range box.Objects {
		t := obj.(*canvas.Text)
		t.Text = ""
		if i < len(l.lines) {
			t.TextStyle = fyne.TextStyle{Bold: i == 0 && l.bold, Italic: l.ital && i == 0 || strings.HasPrefix(l.lines[i], "“")}
			t.Text = fitText(l.lines[i], room, t.TextSize, t.TextStyle)
		}
		t.Color = l.ink
		t.Refresh()
	}
	bg.Refresh()
	frame.Refresh()
}

// fitText cuts s with an ellipsis so that it is at most width wide.
func fitText(s string, width, size float32, style fyne.TextStyle) string {
	if fyne.MeasureText(s, size, style).Width <= width {
		return s
	}
	r := []rune(s)
	lo, hi := 0, len(r)
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if fyne.MeasureText(string(r[:mid])+"…", size, style).Width <= width {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return strings.TrimRight(string(r[:lo]), " ") + "…"
}

func luminance(c color.NRGBA) float64 {
	return (0.299*float64(c.R) + 0.587*float64(c.G) + 0.114*float64(c.B)) / 255
}

// asOfDate is the as-of date typed; zero (the latest statement) when none or unreadable.
func (p *positionsScreen) asOfDate() data.Date {
	if t := strings.TrimSpace(p.asOf.Text); t != "" {
		if d, err := data.ParseDate(t); err == nil {
			return d
		}
	}
	return data.Date{}
}

// sinceDate is the "changed since" date typed; zero when none or unreadable.
func (p *positionsScreen) sinceDate() data.Date {
	if t := strings.TrimSpace(p.compare.Text); t != "" {
		if d, err := data.ParseDate(t); err == nil {
			return d
		}
	}
	return data.Date{}
}

// shownAsOf is the as-of date of the grid shown (the latest statement's when none was typed).
func (p *positionsScreen) shownAsOf() data.Date {
	if d := p.asOfDate(); !d.IsZero() {
		return d
	}
	if !p.matrix.AsOf.IsZero() {
		return p.matrix.AsOf
	}
	return data.DateOf(time.Now())
}

// options are the matrix options the controls choose.
func (p *positionsScreen) options() data.MatrixOptions {
	o := data.MatrixOptions{AsOf: p.asOfDate(), Since: p.sinceDate(), Actors: append([]string(nil), p.order...), KnownOn: p.knownOn()}
	if p.topic.Selected != "" && p.topic.Selected != allTopics {
		o.Topics = []string{p.topic.Selected}
	}
	return o
}

// reload reads the statements and the vocabulary, then rebuilds the grid.
func (p *positionsScreen) reload() {
	g := p.gen.next()
	p.work.background(func(ctx context.Context) {
		vocab, err := p.src.Vocabulary()
		var stmts []data.Statement
		if err == nil {
			stmts, err = p.src.Statements(data.Filter{KnownOn: p.knownOn()})
		}
		p.work.do(func() {
			if !p.gen.current(g) {
				return
			}
			if err != nil {
				p.status.SetText("Could not read the statements: " + plainError(err))
				return
			}
			p.stmts, p.vocab, p.loaded = stmts, vocab, true
			p.rebuild()
		})
	})
}

// rebuild computes the grid from the statements read and the controls, in the background.
func (p *positionsScreen) rebuild() {
	if p.table == nil || !p.loaded {
		return
	}
	var problems []string
	if t := strings.TrimSpace(p.asOf.Text); t != "" && p.asOfDate().IsZero() {
		problems = append(problems, fmt.Sprintf("As of: %q is not a date (use YYYY-MM-DD); showing the latest.", t))
	}
	if t := strings.TrimSpace(p.compare.Text); t != "" && p.sinceDate().IsZero() {
		problems = append(problems, fmt.Sprintf("Changed since: %q is not a date (use YYYY-MM-DD).", t))
	}
	opts := p.options()
	noActors := p.order != nil && len(p.order) == 0 // every actor unticked
	if noActors {
		problems = append(problems, "No actor is ticked: tick the actors to compare (they become the columns, in the order ticked).")
	}
	stmts, vocab := p.stmts, p.vocab
	g := p.mgen.next()
	p.work.background(func(ctx context.Context) {
		// Every actor and topic ever on record, not only as of the date: an actor who has not
		// spoken yet keeps its column and check box, its cells saying "no statement yet".
		all, err := data.NewMatrix(stmts, vocab, data.MatrixOptions{})
		var m data.Matrix
		if err == nil {
			if len(opts.Actors) == 0 && !noActors {
				opts.Actors = all.Actors
			}
			if len(opts.Topics) == 0 {
				opts.Topics = all.Topics
			}
			m, err = data.NewMatrix(stmts, vocab, opts)
		}
		if errors.Is(err, data.ErrSinceAfterAsOf) {
			problems = append(problems, "Changed since is after the as-of date; no changes are marked.")
			opts.Since = data.Date{}
			m, err = data.NewMatrix(stmts, vocab, opts)
		}
		if noActors { // an empty Actors option means the default actors to NewMatrix
			m.Actors = nil
			for i := range m.Cells {
				m.Cells[i] = nil
			}
		}
		p.work.do(func() {
			if !p.mgen.current(g) {
				return
			}
			if err != nil {
				p.status.SetText("Could not build the grid: " + plainError(err))
				return
			}
			p.show(all, m, problems)
		})
	})
}

// show puts a computed grid on screen.
func (p *positionsScreen) show(all, m data.Matrix, problems []string) {
	p.allActors, p.allTopics = all.Actors, all.Topics
	p.matrix = m
	p.updating = true
	// The check boxes in the order of the columns (ticked first, as shown), then the others.
	opts := append([]string(nil), m.Actors...)
	for _, a := range p.allActors {
		if !containsString(opts, a) {
			opts = append(opts, a)
		}
	}
	p.actors.Options = opts
	p.actors.Selected = append([]string(nil), m.Actors...)
	p.actors.Refresh()
	cur := p.topic.Selected
	p.topic.Options = append([]string{allTopics}, p.allTopics...)
	if !containsString(p.topic.Options, cur) {
		cur = allTopics
	}
	p.topic.Selected = cur
	p.topic.Refresh()
	p.updating = false

	width := float32(170)
	for _, t := range m.Topics {
		if w := fyne.MeasureText(t, theme.TextSize(), fyne.TextStyle{Bold: true}).Width + 4*theme.Padding(); w > width {
			width = min(w, 260)
		}
	}
	p.table.SetColumnWidth(-1, width)
	for i := range m.Actors {
		p.table.SetColumnWidth(i, posColWidth)
	}
	for i := range m.Topics {
		p.table.SetRowHeight(i, posRowHeight)
	}
	p.table.Refresh()
	if c, ok := m.Cell(p.selActor, p.selTopic); ok && p.selActor != "" {
		p.showCell(c)
	}
	p.updateMoveButtons()
	p.refreshChart()
	if p.exporter != nil {
		if len(m.Actors) == 0 || len(m.Topics) == 0 { // nothing to export
			p.pngB.Disable()
			p.xlsxB.Disable()
		} else {
			p.pngB.Enable()
			p.xlsxB.Enable()
		}
	}

	how := ""
	if p.asOfDate().IsZero() {
		how = " (the latest statement)"
	}
	msg := fmt.Sprintf("%d %s × %d %s, as of %s%s", len(m.Actors), pluralWord(len(m.Actors), "actor", "actors"),
		len(m.Topics), pluralWord(len(m.Topics), "topic", "topics"), p.shownAsOf().Label(), how)
	if !m.Since.IsZero() {
		msg += fmt.Sprintf("; %d changed since %s", len(m.Changed()), m.Since.Label())
	}
	if len(m.Unscored) > 0 {
		msg += "; stance words not in the vocabulary: " + strings.Join(m.Unscored, ", ") + " (add them with Stance words…)"
	}
	if len(m.Undated) > 0 {
		msg += fmt.Sprintf("; %d statements have no date and are left out", len(m.Undated))
	}
	if len(problems) > 0 {
		msg = strings.Join(problems, " ") + "\n" + msg
	}
	p.status.SetText(msg)
}

// setOrder applies the actor check boxes: actors kept stay in their order, new ones go last.
func (p *positionsScreen) setOrder(sel []string) {
	cur := p.order
	if cur == nil {
		cur = p.matrix.Actors
	}
	var order []string
	for _, a := range cur {
		if containsString(sel, a) {
			order = append(order, a)
		}
	}
	for _, a := range p.actors.Options {
		if containsString(sel, a) && !containsString(order, a) {
			order = append(order, a)
		}
	}
	if order == nil {
		order = []string{}
	}
	p.order = order
	p.rebuild()
}

// SetActors chooses the actor columns, in order.
func (p *positionsScreen) SetActors(actors []string) {
	p.order = append([]string{}, actors...)
	p.rebuild()
}

// moveSelected moves the selected cell's actor column by delta places.
func (p *positionsScreen) moveSelected(delta int) {
	cols := append([]string(nil), p.matrix.Actors...)
	i := slices.Index(cols, p.selActor)
	j := i + delta
	if i < 0 || j < 0 || j >= len(cols) {
		return
	}
	cols[i], cols[j] = cols[j], cols[i]
	p.order = cols
	p.table.UnselectAll()
	p.rebuild()
}

func (p *positionsScreen) updateMoveButtons() {
	i := slices.Index(p.matrix.Actors, p.selActor)
	if i > 0 {
		p.leftB.Enable()
	} else {
		p.leftB.Disable()
	}
	if i >= 0 && i < len(p.matrix.Actors)-1 {
		p.rightB.Enable()
	} else {
		p.rightB.Disable()
	}
}

func (p *positionsScreen) showCell(c data.Cell) {
	var text string
	switch {
	case c.State == data.CellNoStatement && c.Later:
		text = fmt.Sprintf("No statement yet: %s had said nothing on record about %q on or before %s; it spoke on it later (move the as-of date to see it).",
			c.Actor, c.Topic, p.shownAsOf().Label())
	case c.State == data.CellNoStatement:
		text = fmt.Sprintf("No statement: %s has said nothing on record about %q on or before %s.", c.Actor, c.Topic, p.shownAsOf().Label())
	default:
		text = fmt.Sprintf("%s — %s\n%s, %s (%s), via %s:\n\n“%s”\n\nStance: %s",
			c.Actor, c.Topic, c.Date.Label(), orDash(c.Speaker), orDash(c.Role), orDash(c.Channel), c.Quote, c.Label())
		switch c.State {
		case data.CellNoComment:
			text += " (the actor declined to comment)"
		case data.CellUnscored:
			text += " (not in the stance vocabulary: add it with Stance words…)"
		}
		text += fmt.Sprintf("\nSource: %s\nStatement %s; imported from %s", orDash(c.Source), c.StatementID, provenanceText(c.Provenance))
	}
	if f := c.ChangedFrom; f != nil {
		if f.State == data.CellNoStatement {
			text += fmt.Sprintf("\n\nChanged since %s: there was no statement then.", p.matrix.Since.Label())
		} else {
			text += fmt.Sprintf("\n\nChanged since %s: was %q (%s, %s).", p.matrix.Since.Label(), f.Label(), f.Date.Label(), orDash(f.Speaker))
		}
	}
	p.detail.SetText(text)
	p.refreshChart()
}

func (p *positionsScreen) refreshChart() {
	if p.raster != nil {
		p.raster.Refresh()
	}
}

// chartTopic is the topic the stance-over-time chart shows: the selected one, else the
// topic of the selected cell, else "" (the exporter then picks the topic with most statements).
func (p *positionsScreen) chartTopic() string {
	if p.topic.Selected != "" && p.topic.Selected != allTopics {
		return p.topic.Selected
	}
	return p.selTopic
}

func (p *positionsScreen) drawChart(w, h int) image.Image {
	if p.exporter == nil || w < 10 || h < 10 || len(p.matrix.Actors) == 0 {
		return image.NewUniform(color.White)
	}
	var src data.PositionsSource = p.src
	if t := p.knownOn(); !t.IsZero() {
		src = knownOnSource{p.src, t}
	}
	img, err := p.exporter.StanceChart(context.Background(), src, p.matrix.Actors, p.chartTopic(), p.shownAsOf(), w, h,
		p.settings != nil && darkTheme(p.settings))
	if err != nil || img == nil {
		return image.NewUniform(color.White)
	}
	return img
}

// exportOptions are the options of the grid shown, for the exports: its as-of date, its
// changed-since date, its columns and rows.
func (p *positionsScreen) exportOptions() data.MatrixOptions {
	return data.MatrixOptions{AsOf: p.shownAsOf(), Since: p.matrix.Since, KnownOn: p.knownOn(),
		Actors: append([]string(nil), p.matrix.Actors...), Topics: append([]string(nil), p.matrix.Topics...)}
}

func (p *positionsScreen) exportPNG() {
	p.exportAs("png", "Drawing the grid…", "Saved the positions grid to\n",
		func(ctx context.Context, src data.PositionsSource, opts data.MatrixOptions, w io.Writer) error {
			return p.exporter.PNG(ctx, src, opts, 1920, 1080, w)
		})
}

func (p *positionsScreen) exportXLSX() {
	p.exportAs("xlsx", "Writing the workbook…", "Saved the positions workbook to\n",
		func(ctx context.Context, src data.PositionsSource, opts data.MatrixOptions, w io.Writer) error {
			return p.exporter.XLSX(ctx, src, opts, w)
		})
}

// exportAs asks where to save the grid shown as ext and writes it with write in the
// background, saying what it does (doing) and, when done, where it saved it (saved + path).
func (p *positionsScreen) exportAs(ext, doing, saved string, write func(ctx context.Context, src data.PositionsSource, opts data.MatrixOptions, w io.Writer) error) {
	if p.exporter == nil {
		return
	}
	opts := p.exportOptions()
	src := p.src
	p.dlg.SaveFile(prefExportDir, "sitrep-positions-"+opts.AsOf.String()+"."+ext, func(w io.WriteCloser, path string) {
		p.progress("Exporting positions", doing, func(ctx context.Context, _ func(float64, string)) (string, error) {
			defer w.Close()
			if err := write(ctx, src, opts, w); err != nil {
				return "", err
			}
			return saved + path, nil
		})
	})
}

// knownOn is the shared "As known on" time (zero: now).
func (p *positionsScreen) knownOn() time.Time {
	if p.filters == nil {
		return time.Time{}
	}
	return p.filters.f.KnownOn
}

// knownOnSource reads the statements as known on a time, for the services that read a
// data.PositionsSource themselves (the stance chart).
type knownOnSource struct {
	data.PositionsSource
	at time.Time
}

func (k knownOnSource) Statements(f data.Filter) ([]data.Statement, error) {
	f.KnownOn = k.at
	return k.PositionsSource.Statements(f)
}
