package app

import (
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"io"
	"sort"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"sitrep/data"
)

// positionSource is what the Positions screen reads.
type positionSource interface {
	LatestStatements(asOf data.Date, f data.Filter) ([]data.Statement, error)
	Vocabulary() (data.Vocabulary, error)
	Statements(f data.Filter) ([]data.Statement, error)
}

// PositionsExporter draws and exports the positions grid; main adapts the charts and
// importers packages to it.
type PositionsExporter interface {
	// PNG writes the grid of the latest stances as of asOf for actors x topics.
	PNG(ctx context.Context, asOf data.Date, actors, topics []string, width, height int, w io.Writer) error
	// XLSX writes the same grid as a workbook, with quotes and sources.
	XLSX(ctx context.Context, asOf data.Date, actors, topics []string, w io.Writer) error
	// StanceChart draws the stances of actors on topic over time at width x height pixels.
	StanceChart(ctx context.Context, actors []string, topic string, asOf data.Date, width, height int) (image.Image, error)
}

// cell is one actor x topic position.
type cell struct {
	st      *data.Statement // nil: no statement
	changed bool            // the stance differs from the one as of the compare date
	before  *data.Statement
}

// positionsScreen is the side-by-side matrix of the latest stance per actor and topic.
type positionsScreen struct {
	u       *UI
	src     positionSource
	asOf    *widget.Entry
	compare *widget.Entry
	actors  *widget.CheckGroup
	topic   *widget.Select
	table   *widget.Table
	detail  *widget.Label
	status  *widget.Label
	raster  *canvas.Raster
	pngB    *widget.Button
	wordsB  *widget.Button
	xlsxB   *widget.Button

	vocab     data.Vocabulary
	allActors []string
	allTopics []string
	rowActors []string
	colTopics []string
	cells     map[[2]string]cell
	selected  *cell
	content   fyne.CanvasObject
	gen       generation
	// latestDate is the date of the newest statement shown (the default as-of date).
	latestDate data.Date
}

const allTopics = "(all topics)"

func newPositionsScreen(u *UI) *positionsScreen {
	p := &positionsScreen{u: u, src: u.store, cells: map[[2]string]cell{}}
	p.asOf = widget.NewEntry()
	p.asOf.SetPlaceHolder("latest")
	p.asOf.OnChanged = func(string) { p.reload() }
	p.compare = widget.NewEntry()
	p.compare.SetPlaceHolder("YYYY-MM-DD (optional)")
	p.compare.OnChanged = func(string) { p.reload() }
	p.actors = widget.NewCheckGroup(nil, func([]string) { p.rebuild() })
	p.actors.Horizontal = true
	p.topic = widget.NewSelect([]string{allTopics}, func(string) { p.rebuild() })
	p.topic.SetSelected(allTopics)
	p.status = widget.NewLabel("")
	p.status.Wrapping = fyne.TextWrapWord
	p.detail = widget.NewLabel("Select a cell to read the full quote, who said it, when, and the source.")
	p.detail.Wrapping = fyne.TextWrapWord
	p.detail.Selectable = true
	p.table = widget.NewTableWithHeaders(
		func() (int, int) { return len(p.rowActors), len(p.colTopics) },
		func() fyne.CanvasObject {
			bg := canvas.NewRectangle(color.Transparent)
			t := canvas.NewText("", color.Black)
			t.TextStyle = fyne.TextStyle{Bold: true}
			d := canvas.NewText("", color.Black)
			d.TextSize = theme.TextSize() * 0.85
			return container.NewStack(bg, container.NewPadded(container.NewVBox(t, d)))
		},
		func(id widget.TableCellID, o fyne.CanvasObject) {
			if id.Row < 0 || id.Row >= len(p.rowActors) || id.Col < 0 || id.Col >= len(p.colTopics) {
				return
			}
			st := o.(*fyne.Container)
			bg := st.Objects[0].(*canvas.Rectangle)
			box := st.Objects[1].(*fyne.Container).Objects[0].(*fyne.Container)
			t, d := box.Objects[0].(*canvas.Text), box.Objects[1].(*canvas.Text)
			c := p.cells[[2]string{p.rowActors[id.Row], p.colTopics[id.Col]}]
			word, sub, fill, ink := cellLook(c, p.vocab)
			bg.FillColor = fill
			t.Text, t.Color = word, ink
			d.Text, d.Color = sub, ink
			t.TextStyle = fyne.TextStyle{Bold: c.st != nil, Italic: c.st == nil}
			bg.Refresh()
			t.Refresh()
			d.Refresh()
		})
	p.table.CreateHeader = func() fyne.CanvasObject {
		l := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		l.Truncation = fyne.TextTruncateEllipsis
		return l
	}
	p.table.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		l := o.(*widget.Label)
		switch {
		case id.Row < 0 && id.Col >= 0 && id.Col < len(p.colTopics):
			l.SetText(p.colTopics[id.Col])
		case id.Col < 0 && id.Row >= 0 && id.Row < len(p.rowActors):
			l.SetText(p.rowActors[id.Row])
		default:
			l.SetText("")
		}
	}
	p.table.OnSelected = func(id widget.TableCellID) {
		if id.Row >= 0 && id.Row < len(p.rowActors) && id.Col >= 0 && id.Col < len(p.colTopics) {
			p.showCell(p.rowActors[id.Row], p.colTopics[id.Col])
		}
	}
	p.raster = canvas.NewRaster(p.drawChart)
	p.wordsB = widget.NewButtonWithIcon("Stance words…", theme.SettingsIcon(), u.showVocabulary)
	p.pngB = widget.NewButtonWithIcon("Export PNG…", theme.DocumentSaveIcon(), p.exportPNG)
	p.xlsxB = widget.NewButtonWithIcon("Export xlsx…", theme.DocumentSaveIcon(), p.exportXLSX)
	if u.opts.Positions == nil {
		p.pngB.Disable()
		p.xlsxB.Disable()
	}
	controls := container.NewVBox(
		container.NewHBox(widget.NewLabel("As of"), container.NewGridWrap(fyne.NewSize(130, p.asOf.MinSize().Height), p.asOf),
			widget.NewLabel("Changed since"), container.NewGridWrap(fyne.NewSize(190, p.compare.MinSize().Height), p.compare),
			widget.NewLabel("Topic"), p.topic, layoutSpacer(), p.wordsB, p.pngB, p.xlsxB),
		container.NewBorder(nil, nil, widget.NewLabel("Actors"), nil, container.NewHScroll(p.actors)),
	)
	var bottom fyne.CanvasObject = container.NewVScroll(p.detail)
	if u.opts.Positions != nil {
		chartBox := container.NewStack(canvas.NewRectangle(color.White), p.raster)
		split := container.NewHSplit(bottom, chartBox)
		split.Offset = 0.4
		bottom = split
	}
	main := container.NewVSplit(p.table, bottom)
	main.Offset = 0.55
	legend := widget.NewLabel("A cell shows the latest stance on or before the as-of date. \"no statement\" (blank) means nothing was said; \"no comment\" means the actor declined. ● marks a change since the compare date.")
	legend.Wrapping = fyne.TextWrapWord
	p.content = container.NewBorder(controls, container.NewVBox(legend, p.status), nil, nil, main)
	return p
}

// cellLook returns the cell's text, second line, fill and ink colours.
func cellLook(c cell, v data.Vocabulary) (string, string, color.Color, color.Color) {
	if c.st == nil {
		return "no statement", "", color.Transparent, theme.Color(theme.ColorNameDisabled)
	}
	fill := stanceColor(v, c.st.Stance)
	ink := color.Color(color.Black)
	if n, ok := fill.(color.NRGBA); ok && luminance(n) < 0.45 {
		ink = color.White
	}
	word := c.st.Stance
	if c.changed {
		word = "● " + word
	}
	return word, c.st.Date.Label(), fill, ink
}

func luminance(c color.NRGBA) float64 {
	return (0.299*float64(c.R) + 0.587*float64(c.G) + 0.114*float64(c.B)) / 255
}

// asOfDate is the date typed, else the date of the latest statement, else today.
func (p *positionsScreen) asOfDate() data.Date {
	if t := strings.TrimSpace(p.asOf.Text); t != "" {
		if d, err := data.ParseDate(t); err == nil {
			return d
		}
	}
	if !p.latestDate.IsZero() {
		return p.latestDate
	}
	return data.DateOf(time.Now())
}

type positionsData struct {
	vocab           data.Vocabulary
	latest, earlier []data.Statement
	hasCompare      bool
	err             error
}

// reload reads the latest statements as of the chosen dates.
func (p *positionsScreen) reload() {
	asOf := data.DateOf(time.Now())
	if t := strings.TrimSpace(p.asOf.Text); t != "" {
		asOf = p.asOfDate()
	}
	cmpText := strings.TrimSpace(p.compare.Text)
	cmpDate, cmpErr := data.ParseDate(cmpText)
	if cmpText == "" || cmpDate.IsZero() {
		cmpErr = errors.New("no compare date")
	}
	g := p.gen.next()
	p.u.background(func(ctx context.Context) {
		var d positionsData
		d.vocab, d.err = p.src.Vocabulary()
		if d.err == nil {
			d.latest, d.err = p.src.LatestStatements(asOf, data.Filter{})
		}
		if d.err == nil && cmpErr == nil {
			d.hasCompare = true
			d.earlier, d.err = p.src.LatestStatements(cmpDate, data.Filter{})
		}
		p.u.do(func() {
			if p.gen.current(g) {
				p.show(d)
			}
		})
	})
}

func (p *positionsScreen) show(d positionsData) {
	if d.err != nil {
		p.status.SetText("Could not read the statements: " + plainError(d.err))
		return
	}
	p.vocab = d.vocab
	before := map[[2]string]*data.Statement{}
	for i := range d.earlier {
		s := &d.earlier[i]
		before[[2]string{s.Actor, s.Topic}] = s
	}
	p.cells = map[[2]string]cell{}
	p.latestDate = data.Date{}
	for _, s := range d.latest {
		if p.latestDate.IsZero() || p.latestDate.Compare(s.Date) < 0 {
			p.latestDate = s.Date
		}
	}
	actors, topics := map[string]bool{}, map[string]bool{}
	for i := range d.latest {
		s := &d.latest[i]
		k := [2]string{s.Actor, s.Topic}
		c := cell{st: s}
		if d.hasCompare {
			b := before[k]
			c.before = b
			c.changed = b == nil || !strings.EqualFold(b.Stance, s.Stance)
		}
		p.cells[k] = c
		actors[s.Actor], topics[s.Topic] = true, true
	}
	p.allActors, p.allTopics = sortedKeys(actors), sortedKeys(topics)
	prev := p.actors.Selected
	p.actors.Options = p.allActors
	if len(prev) == 0 {
		p.actors.Selected = append([]string(nil), p.allActors...)
	} else {
		var keep []string
		for _, a := range prev {
			if actors[a] {
				keep = append(keep, a)
			}
		}
		p.actors.Selected = keep
	}
	p.actors.Refresh()
	cur := p.topic.Selected
	p.topic.Options = append([]string{allTopics}, p.allTopics...)
	if !containsString(p.topic.Options, cur) {
		cur = allTopics
	}
	p.topic.Selected = cur
	p.topic.Refresh()
	p.rebuild()
	how := ""
	if strings.TrimSpace(p.asOf.Text) == "" {
		how = " (the latest statement)"
	}
	p.status.SetText(fmt.Sprintf("%d actors × %d topics, as of %s%s", len(p.allActors), len(p.allTopics), p.asOfDate().Label(), how))
}

// rebuild lays out the rows and columns from the choosers.
func (p *positionsScreen) rebuild() {
	if p.table == nil {
		return
	}
	p.rowActors = nil
	for _, a := range p.allActors {
		if containsString(p.actors.Selected, a) {
			p.rowActors = append(p.rowActors, a)
		}
	}
	if p.topic.Selected == "" || p.topic.Selected == allTopics {
		p.colTopics = p.allTopics
	} else {
		p.colTopics = []string{p.topic.Selected}
	}
	width := float32(150)
	for _, a := range p.rowActors {
		if w := fyne.MeasureText(a, theme.TextSize(), fyne.TextStyle{Bold: true}).Width + 24; w > width {
			width = w
		}
	}
	p.table.SetColumnWidth(-1, width)
	for i, t := range p.colTopics {
		w := fyne.MeasureText(t, theme.TextSize(), fyne.TextStyle{Bold: true}).Width + 24
		p.table.SetColumnWidth(i, max(w, 170))
	}
	for i := range p.rowActors {
		p.table.SetRowHeight(i, 52)
	}
	p.table.Refresh()
	p.refreshChart()
}

func (p *positionsScreen) showCell(actor, topic string) {
	c, ok := p.cells[[2]string{actor, topic}]
	p.selected = &c
	if !ok || c.st == nil {
		p.detail.SetText(fmt.Sprintf("%s has no statement on %q on or before %s.", actor, topic, p.asOfDate().Label()))
		return
	}
	s := c.st
	text := fmt.Sprintf("%s — %s\n%s, %s (%s), via %s:\n\n“%s”\n\nStance: %s\nSource: %s\nStatement %s; imported from %s",
		s.Actor, s.Topic, s.Date.Label(), orDash(s.Speaker), orDash(s.Role), orDash(s.Channel), s.Quote, s.Stance,
		orDash(s.Source), s.ID, provenanceText(s.Provenance))
	if c.changed {
		if c.before != nil {
			text += fmt.Sprintf("\n\nChanged since the compare date: was %q (%s).", c.before.Stance, c.before.Date.Label())
		} else {
			text += "\n\nNew since the compare date: no statement before it."
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
	if p.selected != nil && p.selected.st != nil {
		return p.selected.st.Topic
	}
	return ""
}

func (p *positionsScreen) drawChart(w, h int) image.Image {
	if p.u.opts.Positions == nil || w < 10 || h < 10 || len(p.rowActors) == 0 {
		return image.NewUniform(color.White)
	}
	img, err := p.u.opts.Positions.StanceChart(context.Background(), p.rowActors, p.chartTopic(), p.asOfDate(), w, h)
	if err != nil || img == nil {
		return image.NewUniform(color.White)
	}
	return img
}

func (p *positionsScreen) exportPNG() {
	if p.u.opts.Positions == nil {
		return
	}
	asOf := p.asOfDate()
	actors, topics := append([]string(nil), p.rowActors...), append([]string(nil), p.colTopics...)
	p.u.dlg.SaveFile(prefExportDir, "sitrep-positions-"+asOf.String()+".png", func(w io.WriteCloser, path string) {
		p.u.runWithProgress("Exporting positions", "Drawing the grid…", func(ctx context.Context, _ func(float64, string)) (string, error) {
			defer w.Close()
			if err := p.u.opts.Positions.PNG(ctx, asOf, actors, topics, 1920, 1080, w); err != nil {
				return "", err
			}
			return "Saved the positions grid to\n" + path, nil
		})
	})
}

func (p *positionsScreen) exportXLSX() {
	if p.u.opts.Positions == nil {
		return
	}
	asOf := p.asOfDate()
	actors, topics := append([]string(nil), p.rowActors...), append([]string(nil), p.colTopics...)
	p.u.dlg.SaveFile(prefExportDir, "sitrep-positions-"+asOf.String()+".xlsx", func(w io.WriteCloser, path string) {
		p.u.runWithProgress("Exporting positions", "Writing the workbook…", func(ctx context.Context, _ func(float64, string)) (string, error) {
			defer w.Close()
			if err := p.u.opts.Positions.XLSX(ctx, asOf, actors, topics, w); err != nil {
				return "", err
			}
			return "Saved the positions workbook to\n" + path, nil
		})
	})
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
