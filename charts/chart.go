package charts

import (
	"image/color"
	"math"
	"slices"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Drawer draws into a canvas; *plot.Plot is one. A chart whose body is not a gonum plot
// (a positions grid, for instance) sets Chart.Body to its own Drawer and keeps the house
// title, legend and caption.
type Drawer interface {
	Draw(c draw.Canvas)
}

// LegendKind is how a legend entry is drawn.
type LegendKind int

// Legend entry kinds: a filled square (bars), a line, a band (filled area), a glyph.
const (
	LegendSwatch LegendKind = iota
	LegendLine
	LegendBand
	LegendGlyph
)

// LegendEntry is one item of the legend row under the title.
type LegendEntry struct {
	Label string
	Color color.Color
	Kind  LegendKind
	// Shape is the glyph of a LegendGlyph entry.
	Shape draw.GlyphDrawer
}

// Annotation is a marker at a date on a time chart with a short label ("United Kingdom:
// defers"). Labels sit in a lane above the data, stacked so that none overlap.
type Annotation struct {
	// X is the position on the time axis (a day number; use DayX(date) + 0.5 for the middle
	// of the day).
	X     float64
	Label string
	// Colors are the marker colours: one dot each (several stances of one actor on one day).
	// None gives one dot in the foreground colour.
	Colors []color.Color
}

// Layer is one series as the chart draws it, kept for tests and for callers that want the
// numbers: X are day numbers (the start of each period, or the point's date), Y the values.
type Layer struct {
	Name string
	X, Y []float64
}

// Chart is a built chart: a title, a legend row, the plot, annotations and a caption, in
// the house style. Render it at any size with Render or Image. Drawing does not change the
// chart, but gonum's Plot.Draw is not safe for concurrent use: draw one chart from one
// goroutine at a time.
type Chart struct {
	Style Style
	Kind  Kind
	Title string
	// Legend entries are drawn in one or more rows under the title.
	Legend []LegendEntry
	// Plot is the body of the chart.
	Plot *plot.Plot
	// Body, when set, is drawn instead of Plot.
	Body Drawer
	// Annotations mark dates on Plot's time axis.
	Annotations []Annotation
	// MaxAnnotationRows caps the label lane; further labels are counted in a "+N more" note.
	// 0 is 6.
	MaxAnnotationRows int
	// Message is drawn over the middle of the data area (an empty chart says why).
	Message string
	// Caption is the note under the chart.
	Caption Caption
	// Layers are the numbers drawn, for tests and tables.
	Layers []Layer

	points *LabelledPoints // the tallies, if any
}

// tallyPoints returns the labelled points of a tallies chart.
func (ch *Chart) tallyPoints() []LabelledPoint {
	if ch.points == nil {
		return nil
	}
	return ch.points.Points
}

// Layout constants, in points.
const (
	marginPt    = 20
	gapPt       = 10
	swatchRatio = 0.75
)

// Draw lays the chart out on c: title, legend, annotation lane, plot, caption.
func (ch *Chart) Draw(c draw.Canvas) {
	s := ch.Style
	c.SetColor(s.Background)
	c.Fill(c.Rectangle.Path())

	area := draw.Crop(c, marginPt, -marginPt, marginPt, -marginPt)
	width := area.Max.X - area.Min.X
	top := area.Max.Y

	if ch.Title != "" {
		ts := s.Text(SizeTitle, s.Foreground, true)
		for _, line := range wrap(ts, ch.Title, width) {
			top -= ts.Height(line)
			area.FillText(ts, vg.Point{X: area.Min.X, Y: top + ts.FontExtents().Descent}, line)
		}
		top -= gapPt
	}
	if len(ch.Legend) > 0 {
		top = ch.drawLegend(area, top) - gapPt
	}

	// Caption, from the bottom up.
	bottom := area.Min.Y
	capLines := ch.captionLines(width)
	if len(capLines) > 0 {
		var h vg.Length
		for _, l := range capLines {
			h += l.style.Height(l.text) * 1.2
		}
		y := bottom + h
		for _, l := range capLines {
			y -= l.style.Height(l.text) * 1.2
			area.FillText(l.style, vg.Point{X: area.Min.X, Y: y + l.style.FontExtents().Descent}, l.text)
		}
		bottom += h + gapPt
		// A hairline between the chart and its caption.
		c.StrokeLine2(s.Line(s.Grid, 1), area.Min.X, bottom-gapPt/2, area.Max.X, bottom-gapPt/2)
	}
	if top <= bottom {
		return
	}
	body := draw.Canvas{Canvas: c.Canvas, Rectangle: vg.Rectangle{Min: vg.Point{X: area.Min.X, Y: bottom}, Max: vg.Point{X: area.Max.X, Y: top}}}
	if ch.Body != nil {
		ch.Body.Draw(body)
		return
	}
	if ch.Plot == nil {
		return
	}
	lane := ch.placeAnnotations(body)
	if lane.height > 0 && lane.height < (top-bottom)/2 {
		body.Max.Y -= lane.height
	} else {
		lane = annotationLane{}
	}
	dc := ch.Plot.DataCanvas(body)
	// Marker lines go under the plot: data and point labels stay on top of them.
	dash := draw.LineStyle{Color: s.Axis, Width: 1, Dashes: []vg.Length{4, 3}}
	for _, l := range lane.labels {
		dc.StrokeLine2(dash, l.x, dc.Min.Y, l.x, dc.Max.Y)
	}
	ch.Plot.Draw(body)
	ch.drawAnnotations(body, dc, lane)
	if ch.Message != "" {
		ms := s.Text(SizeMessage, s.Muted, false)
		ms.XAlign, ms.YAlign = draw.XCenter, draw.YCenter
		dc.FillText(ms, dc.Center(), ch.Message)
	}
}

type styledLine struct {
	text  string
	style text.Style
}

func (ch *Chart) captionLines(width vg.Length) []styledLine {
	s := ch.Style
	var out []styledLine
	for _, l := range ch.Caption.Lines() {
		st := s.Text(SizeCaption, s.Muted, false)
		if l == DemoNote+"." {
			st = s.Text(SizeCaption, s.Foreground, true)
		}
		for _, w := range wrap(st, l, width) {
			out = append(out, styledLine{w, st})
		}
	}
	return out
}

// drawLegend draws the legend entries in rows from top down and returns the new top.
func (ch *Chart) drawLegend(area draw.Canvas, top vg.Length) vg.Length {
	s := ch.Style
	ts := s.Text(SizeLegend, s.Foreground, false)
	h := ts.Height("Xg")
	sw := h * swatchRatio
	x := area.Min.X
	top -= h
	for _, e := range ch.Legend {
		w := sw*1.6 + 6 + ts.Width(e.Label)
		if x > area.Min.X && x+w > area.Max.X {
			x = area.Min.X
			top -= h * 1.3
		}
		cy := textMiddle(ts, top)
		switch e.Kind {
		case LegendLine:
			area.StrokeLine2(s.Line(e.Color, 3), x, cy, x+sw*1.6, cy)
		case LegendGlyph:
			area.DrawGlyphNoClip(draw.GlyphStyle{Color: e.Color, Radius: sw / 2, Shape: e.Shape}, vg.Point{X: x + sw*0.8, Y: cy})
		default:
			var p vg.Path
			p.Move(vg.Point{X: x, Y: cy - sw/2})
			p.Line(vg.Point{X: x + sw*1.6, Y: cy - sw/2})
			p.Line(vg.Point{X: x + sw*1.6, Y: cy + sw/2})
			p.Line(vg.Point{X: x, Y: cy + sw/2})
			p.Close()
			area.SetColor(e.Color)
			area.Fill(p)
		}
		area.FillText(ts, vg.Point{X: x + sw*1.6 + 6, Y: top + ts.FontExtents().Descent}, e.Label)
		x += w + ts.Width("M")*1.5
	}
	return top
}

// annotationLane is where annotation labels go: one row per level.
type annotationLane struct {
	height vg.Length
	labels []placedLabel
	more   int
	rowH   vg.Length
}

type placedLabel struct {
	a          Annotation
	x          vg.Length // canvas x of the marker
	row        int
	leftX      vg.Length
	rightAlign bool
}

// placeAnnotations stacks the labels greedily: in date order, each label goes into the
// lowest row where it does not overlap the labels already there.
func (ch *Chart) placeAnnotations(body draw.Canvas) annotationLane {
	if len(ch.Annotations) == 0 {
		return annotationLane{}
	}
	s := ch.Style
	ts := s.Text(SizeNote, s.Foreground, false)
	dc := ch.Plot.DataCanvas(body)
	trX, _ := ch.Plot.Transforms(&dc)
	anns := slices.Clone(ch.Annotations)
	slices.SortStableFunc(anns, func(a, b Annotation) int {
		switch {
		case a.X < b.X:
			return -1
		case a.X > b.X:
			return 1
		}
		return 0
	})
	maxRows := ch.MaxAnnotationRows
	if maxRows <= 0 {
		maxRows = 6
	}
	dot := ts.Height("X") * 0.35
	pad := ts.Width(" ") * 1.5
	var rowsEnd []vg.Length
	lane := annotationLane{rowH: ts.Height("Xg") * 1.25}
	for _, a := range anns {
		x := trX(a.X)
		if x < dc.Min.X-1 || x > dc.Max.X+1 {
			continue
		}
		w := dotsWidth(a, dot) + 4 + ts.Width(a.Label)
		left, right := x-dot, x-dot+w
		rightAlign := false
		if right > body.Max.X {
			left, right = x+dot-w, x+dot
			rightAlign = true
		}
		row := -1
		for r, end := range rowsEnd {
			if end+pad <= left {
				row = r
				break
			}
		}
		if row < 0 {
			if len(rowsEnd) >= maxRows {
				lane.more++
				continue
			}
			rowsEnd = append(rowsEnd, 0)
			row = len(rowsEnd) - 1
		}
		rowsEnd[row] = right
		lane.labels = append(lane.labels, placedLabel{a: a, x: x, row: row, leftX: left, rightAlign: rightAlign})
	}
	if len(rowsEnd) == 0 {
		return lane
	}
	lane.height = vg.Length(len(rowsEnd))*lane.rowH + gapPt
	if lane.more > 0 {
		// The "+N more" note takes a row of its own only when the last row is full.
		lane.height += lane.rowH
	}
	return lane
}

// drawAnnotations draws the marker lines through the data area and the labels in the lane
// above it (lowest row nearest the data).
func (ch *Chart) drawAnnotations(body, dc draw.Canvas, lane annotationLane) {
	if len(lane.labels) == 0 {
		return
	}
	s := ch.Style
	ts := s.Text(SizeNote, s.Foreground, false)
	dot := ts.Height("X") * 0.35
	base := body.Max.Y + gapPt/2
	rowY := func(r int) vg.Length { return base + vg.Length(r)*lane.rowH }
	// Leader lines first, so labels and their background knock them out.
	for _, l := range lane.labels {
		dc.StrokeLine2(s.Line(s.Axis, 1.5), l.x, dc.Max.Y, l.x, rowY(l.row)+lane.rowH*0.4)
	}
	for _, l := range lane.labels {
		y := rowY(l.row)
		dw := dotsWidth(l.a, dot)
		w := dw + 4 + ts.Width(l.a.Label)
		var bg vg.Path
		bg.Move(vg.Point{X: l.leftX - 2, Y: y})
		bg.Line(vg.Point{X: l.leftX + w + 2, Y: y})
		bg.Line(vg.Point{X: l.leftX + w + 2, Y: y + lane.rowH*0.95})
		bg.Line(vg.Point{X: l.leftX - 2, Y: y + lane.rowH*0.95})
		bg.Close()
		body.SetColor(s.Background)
		body.Fill(bg)
		cy := y + lane.rowH*0.4
		cols := l.a.Colors
		if len(cols) == 0 {
			cols = []color.Color{s.Foreground}
		}
		// The first dot sits on the marker line; the others follow away from it.
		for i, c := range cols {
			dx := vg.Length(i) * dot * 2.4
			if l.rightAlign {
				dx = -dx
			}
			body.DrawGlyphNoClip(draw.GlyphStyle{Color: c, Radius: dot, Shape: draw.CircleGlyph{}}, vg.Point{X: l.x + dx, Y: cy})
		}
		tx := l.leftX + dw + 4
		if l.rightAlign {
			tx = l.leftX
		}
		body.FillText(ts, vg.Point{X: tx, Y: cy - (textMiddle(ts, 0))}, l.a.Label)
	}
	if lane.more > 0 {
		ms := s.Italic(SizeNote, s.Muted)
		ms.XAlign = draw.XRight
		rows := 0
		for _, l := range lane.labels {
			rows = max(rows, l.row+1)
		}
		body.FillText(ms, vg.Point{X: body.Max.X, Y: rowY(rows) + lane.rowH*0.2},
			"+"+FormatInt(lane.more)+" more not labelled")
	}
}

// dotsWidth is the width the marker dots of an annotation take.
func dotsWidth(a Annotation, dot vg.Length) vg.Length {
	n := max(len(a.Colors), 1)
	return 2*dot + vg.Length(n-1)*dot*2.4
}

// textMiddle returns the height of the middle of lower-case letters of text drawn with
// FillText at y (bottom aligned).
func textMiddle(ts text.Style, y vg.Length) vg.Length {
	ext := ts.FontExtents()
	return y + ext.Descent + ts.Font.Size - ext.Ascent + ts.Font.Size*0.3
}

func colorOr(c, def color.Color) color.Color {
	if c == nil {
		return def
	}
	return c
}

// wrap breaks s into lines no wider than width in style st.
func wrap(st text.Style, s string, width vg.Length) []string {
	words := strings.Fields(s)
	if len(words) == 0 {
		return nil
	}
	var lines []string
	cur := words[0]
	for _, w := range words[1:] {
		if st.Width(cur+" "+w) <= width {
			cur += " " + w
			continue
		}
		lines = append(lines, cur)
		cur = w
	}
	return append(lines, cur)
}

// NewPlot returns a gonum plot in the house style: embedded font, themed colours, integer
// y ticks with thousands separators, a time x axis (day numbers, see DayX), no y axis line,
// horizontal grid lines. Charts that are not over time replace X.Tick.Marker.
func NewPlot(s Style) *plot.Plot {
	p := plot.New()
	p.BackgroundColor = nil
	p.TextHandler = s.Handler
	for _, ax := range []*plot.Axis{&p.X, &p.Y} {
		ax.Label.TextStyle = s.Text(SizeLabel, s.Foreground, false)
		ax.Label.TextStyle.XAlign = draw.XCenter
		ax.Label.Padding = 6
		ax.Tick.Label = s.Text(SizeTick, s.Muted, false)
		ax.LineStyle = s.Line(s.Axis, 1)
		ax.Tick.LineStyle = s.Line(s.Axis, 1)
		ax.Tick.Length = 6
		ax.Padding = 4
	}
	p.X.Tick.Label.XAlign, p.X.Tick.Label.YAlign = draw.XCenter, draw.YTop
	p.Y.Tick.Label.XAlign, p.Y.Tick.Label.YAlign = draw.XRight, draw.YCenter
	p.X.Tick.Marker = TimeTicks{}
	p.Y.Tick.Marker = IntTicks{}
	p.Y.LineStyle.Width = 0
	p.Y.Tick.Length = 0
	p.Y.Padding = 0
	p.X.Padding = 0
	p.Add(&gridLines{color: s.Grid})
	return p
}

// gridLines draws horizontal lines at the labelled y ticks.
type gridLines struct{ color color.Color }

func (g *gridLines) Plot(c draw.Canvas, p *plot.Plot) {
	_, trY := p.Transforms(&c)
	for _, t := range p.Y.Tick.Marker.Ticks(p.Y.Min, p.Y.Max) {
		if t.IsMinor() {
			continue
		}
		y := trY(t.Value)
		if y < c.Min.Y-0.5 || y > c.Max.Y+0.5 {
			continue
		}
		c.StrokeLine2(draw.LineStyle{Color: g.color, Width: 1}, c.Min.X, y, c.Max.X, y)
	}
}

// finite guards against NaN and infinities reaching the canvas.
func finite(v float64) float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0
	}
	return v
}
