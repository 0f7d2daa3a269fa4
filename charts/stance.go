package charts

import (
	"fmt"
	"image"
	"image/color"
	"io"
	"math"
	"slices"
	"strings"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"sitrep/data"
)

// StanceOptions controls the stance-over-time chart.
type StanceOptions struct {
	// Width, Height (pixels) and DPI as in PositionsOptions; zero gives a 1920x1080 slide.
	Width, Height, DPI int
	// Title replaces the default "Stance over time: <topic>".
	Title string
	// AsOf, when set, extends each actor's last stance to this date (the chart's right edge).
	AsOf data.Date
	// Demo marks the chart as drawn from demo data.
	Demo bool
	// Note is added to the caption.
	Note string
	// Theme is light or dark ("" is light): the app's preview follows its own theme.
	Theme Theme
	// Compact leaves out the subtitle and the caption: the app's small preview, whose
	// caption is in the exports.
	Compact bool
	// MinScale, when set, keeps the text at least this fraction of its slide size (1: 12 px
	// type at 960x540), so that a small preview stays readable; exports leave it at zero.
	MinScale float64
}

// style is the house style of the chart's theme.
func (o StanceOptions) style() Style {
	if o.Theme == ThemeDark {
		return NewStyle(ThemeDark)
	}
	return posStyle
}

// scale is how much the text and the layout scale for a W x H picture.
func (o StanceOptions) scale(W, H vg.Length) vg.Length {
	return vg.Length(math.Max(math.Min(float64(W/960), float64(H/540)), o.MinScale))
}

func (o StanceOptions) size() Size { return positionsSize(o.Width, o.Height, o.DPI) }

// stanceActorColors are the actors' line colours: the house Palette (Okabe-Ito), in order.
var stanceActorColors = Palette

// stanceGlyphs vary the (filled) point shape by actor too, for print in grey and for
// colour-blind eyes; the open ring is kept for "no comment".
var stanceGlyphs = []draw.GlyphDrawer{
	draw.CircleGlyph{}, draw.BoxGlyph{}, draw.PyramidGlyph{}, diamondGlyph{}, downGlyph{},
	draw.CircleGlyph{}, draw.BoxGlyph{}, draw.PyramidGlyph{},
}

// diamondGlyph is a filled diamond.
type diamondGlyph struct{}

// DrawGlyph implements draw.GlyphDrawer.
func (diamondGlyph) DrawGlyph(c *draw.Canvas, sty draw.GlyphStyle, pt vg.Point) {
	r := sty.Radius * 1.25
	c.FillPolygon(sty.Color, []vg.Point{{X: pt.X, Y: pt.Y + r}, {X: pt.X + r, Y: pt.Y}, {X: pt.X, Y: pt.Y - r}, {X: pt.X - r, Y: pt.Y}})
}

// ringGlyph is an open ring with a stroke thick enough to see on a slide: "no comment".
type ringGlyph struct{ width vg.Length }

// DrawGlyph implements draw.GlyphDrawer.
func (g ringGlyph) DrawGlyph(c *draw.Canvas, sty draw.GlyphStyle, pt vg.Point) {
	var p vg.Path
	p.Move(vg.Point{X: pt.X + sty.Radius, Y: pt.Y})
	p.Arc(pt, sty.Radius, 0, 2*math.Pi)
	p.Close()
	c.SetColor(color.White) // white inside, so the ring reads as open over the bands and lines
	c.Fill(p)
	c.SetLineStyle(draw.LineStyle{Color: sty.Color, Width: g.width})
	c.Stroke(p)
}

// downGlyph is a filled triangle pointing down.
type downGlyph struct{}

// DrawGlyph implements draw.GlyphDrawer.
func (downGlyph) DrawGlyph(c *draw.Canvas, sty draw.GlyphStyle, pt vg.Point) {
	r := sty.Radius * 1.2
	c.FillPolygon(sty.Color, []vg.Point{{X: pt.X - r, Y: pt.Y + r*0.7}, {X: pt.X + r, Y: pt.Y + r*0.7}, {X: pt.X, Y: pt.Y - r}})
}

// stanceX is a statement's x: the day it is known by (see data.KnownBy), in Unix seconds, so a
// point sits where the positions matrix starts showing it.
func stanceX(d data.Date) float64 {
	k, _ := data.KnownBy(d)
	return float64(k) * 86400
}

// stanceOffset spreads actors a little around their score so that equal stances do not hide
// each other: at most ±0.12 of a step.
func stanceOffset(i, n int) float64 {
	if n <= 1 {
		return 0
	}
	return 0.24 * (float64(i)/float64(n-1) - 0.5)
}

// stanceTicks labels the y axis with the vocabulary's words at their scores.
type stanceTicks struct{ vocab data.Vocabulary }

// Ticks returns one tick per score from -2 to +2, labelled with the words of that score.
func (t stanceTicks) Ticks(min, max float64) []plot.Tick {
	var ticks []plot.Tick
	for score := 2; score >= -2; score-- {
		var words []string
		for _, d := range t.vocab {
			if d.Score == score && !d.NoComment {
				words = append(words, d.Word)
			}
		}
		label := fmt.Sprintf("%+d", score)
		if score == 0 {
			label = "0"
		}
		if len(words) > 0 {
			label = strings.Join(words, " / ") + "  " + label
		}
		ticks = append(ticks, plot.Tick{Value: float64(score), Label: label})
	}
	return ticks
}

// stanceTimeTicks puts x ticks on whole days (every 1, 2, 3, 7 or 14 days) or on the first
// of months (every 1, 2, 3, 6 or 12), whichever gives at most 6 labels, so that no two labels
// name the same day and they do not run into each other. The year is written on the first
// label and where it changes ("30 Dec 2025, 1 Jan 2026"), not on every label.
type stanceTimeTicks struct{}

// Ticks returns the labelled ticks between min and max (Unix seconds).
func (stanceTimeTicks) Ticks(min, max float64) []plot.Tick {
	const day = 86400.0
	const most = 6
	var times []time.Time
	withDay := true
	first, last := math.Ceil(min/day), math.Floor(max/day)
	for _, step := range []float64{1, 2, 3, 7, 14} {
		if (last-first)/step < most {
			for d := first; d <= last; d += step {
				times = append(times, time.Unix(int64(d*day), 0).UTC())
			}
			break
		}
	}
	if times == nil {
		withDay = false
		t0 := time.Unix(int64(min), 0).UTC()
		start := time.Date(t0.Year(), t0.Month(), 1, 0, 0, 0, 0, time.UTC)
		if float64(start.Unix()) < min {
			start = start.AddDate(0, 1, 0)
		}
		for _, months := range []int{1, 2, 3, 6, 12, 24, 60} {
			if months >= 12 && start.Month() != time.January {
				start = time.Date(start.Year()+1, time.January, 1, 0, 0, 0, 0, time.UTC)
			}
			times = times[:0]
			for t := start; float64(t.Unix()) <= max; t = t.AddDate(0, months, 0) {
				times = append(times, t)
			}
			if len(times) <= most {
				break
			}
		}
	}
	ticks := make([]plot.Tick, len(times))
	for i, t := range times {
		var label string
		switch {
		case !withDay && isYearStep(times):
			label = t.Format("2006")
		case !withDay:
			label = t.Format("Jan")
			if i == 0 || times[i-1].Year() != t.Year() {
				label = t.Format("Jan 2006")
			}
		default:
			label = t.Format("2 Jan")
			if i == 0 || times[i-1].Year() != t.Year() {
				label = t.Format("2 Jan 2006")
			}
		}
		ticks[i] = plot.Tick{Value: float64(t.Unix()), Label: label}
	}
	return ticks
}

// isYearStep reports whether consecutive times are a year or more apart (label by year).
func isYearStep(times []time.Time) bool {
	return len(times) > 1 && times[1].Sub(times[0]) >= 365*24*time.Hour
}

// stanceBands shades each score's band with its stance colour, faintly over the theme's
// background (light bands on a dark chart read as a picture pasted in), so the chart reads
// like the positions grid.
type stanceBands struct {
	vocab data.Vocabulary
	bg    color.Color
}

// Plot draws the bands.
func (b stanceBands) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	for score := -2; score <= 2; score++ {
		var clr color.RGBA
		found := false
		for _, d := range b.vocab {
			if d.Score == score && !d.NoComment {
				clr, found = posColor(d.Color)
				break
			}
		}
		if !found {
			continue
		}
		bg := color.RGBA{R: 255, G: 255, B: 255, A: 255}
		if b.bg != nil {
			bg = color.RGBAModel.Convert(b.bg).(color.RGBA)
		}
		faint := func(c, bg uint8) uint8 { return uint8(int(bg)*225/255 + int(c)*30/255) }
		clr = color.RGBA{R: faint(clr.R, bg.R), G: faint(clr.G, bg.G), B: faint(clr.B, bg.B), A: 255}
		y0, y1 := trY(float64(score)-0.5), trY(float64(score)+0.5)
		y0 = max(y0, c.Min.Y)
		y1 = min(y1, c.Max.Y)
		c.FillPolygon(clr, posRect(trX(p.X.Min), y0, trX(p.X.Max), y1))
	}
}

// NewStancePlot builds the stance-over-time plot: time on x, the score on y from -2 to +2
// labelled with the vocabulary's words, one step line per timeline (an actor holds a stance
// until its next statement) and every scored statement a point; "no comment" statements are
// open rings on the 0 line and do not join the line; unscored words are not plotted (the
// caption of RenderStance lists them).
func NewStancePlot(tls []data.Timeline, vocab data.Vocabulary, opts StanceOptions) (*plot.Plot, error) {
	if len(tls) == 0 {
		return nil, fmt.Errorf("stance chart: no statements to show: %w", ErrEmpty)
	}
	wd, ht := opts.size().Page()
	s := opts.scale(wd, ht)
	st := opts.style()
	p := NewPlot(st) // house fonts, colours and axes
	// The title, legend and caption scale with the picture (s); so do the axes' labels.
	for _, ax := range []*plot.Axis{&p.X, &p.Y} {
		ax.Tick.Label.Font.Size *= s
		ax.Label.TextStyle.Font.Size *= s
	}
	p.X.Tick.Marker = stanceTimeTicks{}
	p.Y.Tick.Marker = stanceTicks{vocab}
	p.Y.Min, p.Y.Max = -2.5, 2.5
	p.Add(stanceBands{vocab: vocab, bg: st.Background})
	grid := plotter.NewGrid()
	grid.Vertical.Color = color.Transparent
	grid.Horizontal.Color = st.Background
	grid.Horizontal.Width = 1.5 * s
	p.Add(grid)

	xmin, xmax := math.Inf(1), math.Inf(-1)
	for _, tl := range tls {
		for _, pt := range tl.Points {
			x := stanceX(pt.Date)
			xmin, xmax = math.Min(xmin, x), math.Max(xmax, x)
		}
	}
	if !opts.AsOf.IsZero() {
		xmax = math.Max(xmax, stanceX(opts.AsOf))
	}
	if xmax-xmin < 7*86400 { // at least a week, so a few days' statements are not spread thin
		xmin = xmax - 7*86400
	}
	span := xmax - xmin
	p.X.Min, p.X.Max = xmin-0.04*span, xmax+0.04*span

	for i, tl := range tls {
		clr := stanceActorColors[i%len(stanceActorColors)]
		glyph := stanceGlyphs[i%len(stanceGlyphs)]
		off := stanceOffset(i, len(tls))
		var line, pts, nc plotter.XYs
		for _, pt := range tl.Points {
			x := stanceX(pt.Date)
			switch pt.State {
			case data.CellStance:
				line = append(line, plotter.XY{X: x, Y: float64(pt.Def.Score) + off})
				pts = append(pts, plotter.XY{X: x, Y: float64(pt.Def.Score) + off})
			case data.CellNoComment:
				nc = append(nc, plotter.XY{X: x, Y: float64(pt.Def.Score) + off})
			}
		}
		if len(line) > 0 {
			end := line[len(line)-1]
			if !opts.AsOf.IsZero() && stanceX(opts.AsOf) > end.X {
				line = append(line, plotter.XY{X: stanceX(opts.AsOf), Y: end.Y})
			}
			l, err := plotter.NewLine(line)
			if err != nil {
				return nil, fmt.Errorf("stance chart, %s: %w", tl.Actor, err)
			}
			l.StepStyle = plotter.PostStep
			l.LineStyle = draw.LineStyle{Color: clr, Width: 3 * s}
			p.Add(l)
		}
		if len(pts) > 0 {
			sc, err := plotter.NewScatter(pts)
			if err != nil {
				return nil, fmt.Errorf("stance chart, %s: %w", tl.Actor, err)
			}
			sc.GlyphStyle = draw.GlyphStyle{Color: clr, Radius: 7 * s, Shape: glyph}
			p.Add(sc)
		}
		if len(nc) > 0 {
			sc, err := plotter.NewScatter(nc)
			if err != nil {
				return nil, fmt.Errorf("stance chart, %s: %w", tl.Actor, err)
			}
			sc.GlyphStyle = draw.GlyphStyle{Color: clr, Radius: 7 * s, Shape: ringGlyph{width: 2.5 * s}}
			p.Add(sc)
		}
	}
	return p, nil
}

// stanceTopics returns the distinct topics of the timelines, in order.
func stanceTopics(tls []data.Timeline) []string {
	var out []string
	for _, tl := range tls {
		if !slices.Contains(out, tl.Topic) {
			out = append(out, tl.Topic)
		}
	}
	return out
}

// DrawStance draws the stance chart with its title, actor legend and caption on c.
func DrawStance(c draw.Canvas, tls []data.Timeline, vocab data.Vocabulary, opts StanceOptions) error {
	p, err := NewStancePlot(tls, vocab, opts)
	if err != nil {
		return err
	}
	W, H := c.Max.X-c.Min.X, c.Max.Y-c.Min.Y
	s := opts.scale(W, H)
	st := opts.style()
	margin := 22 * s
	x0, x1 := c.Min.X+margin, c.Max.X-margin
	top := c.Max.Y - margin
	posFill(c, c.Rectangle, st.Background)

	topics := stanceTopics(tls)
	title := opts.Title
	if title == "" {
		title = "Stance over time: " + strings.Join(topics, ", ")
	}
	titleSty := posText(SizeTitle*s, true, false, st.Foreground)
	y := posLines(c, titleSty, x0, top, posClip(titleSty, posWrap(titleSty, title, x1-x0), 1, x1-x0))
	if !opts.Compact {
		subSty := posText(SizeNote*s, false, false, st.Muted)
		y = posLines(c, subSty, x0, y-2*s, []string{"Each point is a statement; a line holds a stance until the actor's next statement."})
	}

	// Caption, in the house layout (see drawPosCaption).
	var parts []string
	var sources, unscored []string
	var changes int
	for _, tl := range tls {
		changes += len(tl.Changes)
		for _, pt := range tl.Points {
			if src := strings.TrimSpace(pt.Source); src != "" && !slices.Contains(sources, src) {
				sources = append(sources, src)
			}
			if pt.State == data.CellUnscored && !slices.Contains(unscored, pt.Label()) {
				unscored = append(unscored, pt.Label())
			}
		}
	}
	switch changes {
	case 0:
		parts = append(parts, "No change of position.")
	case 1:
		parts = append(parts, "1 change of position.")
	default:
		parts = append(parts, fmt.Sprintf("%d changes of position.", changes))
	}
	if len(unscored) > 0 {
		parts = append(parts, "Not plotted (stance word not in the vocabulary): "+strings.Join(unscored, ", ")+".")
	}
	if len(tls) > 1 {
		parts = append(parts, "Lines are offset slightly so equal stances stay visible.")
	}
	if !opts.AsOf.IsZero() {
		parts = append(parts, "As of "+opts.AsOf.Label()+".")
	}
	parts = append(parts, "Statements dated only to a month are placed at the end of that month.")
	if opts.Note != "" {
		parts = append(parts, opts.Note)
	}
	srcLine := ""
	if len(sources) > 0 {
		srcLine = "Sources: " + strings.Join(sources, "; ") + "."
	}
	capTop := c.Min.Y + margin - 12*s
	if !opts.Compact {
		capTop = drawPosCaptionIn(c, st, x0, x1, c.Min.Y+margin, s, strings.Join(parts, " "), srcLine, opts.Demo)
	}

	// Legend on the right: one entry per line, and the no-comment ring.
	legSty := posText(SizeLegend*s, false, false, st.Foreground)
	legW := 190 * s
	ly := y - 30*s
	if opts.Compact {
		ly = y - 6*s
	}
	lx := x1 - legW + 8*s
	for i, tl := range tls {
		clr := stanceActorColors[i%len(stanceActorColors)]
		label := tl.Actor
		if len(topics) > 1 {
			label += " — " + tl.Topic
		}
		c.StrokeLine2(draw.LineStyle{Color: clr, Width: 3 * s}, lx, ly-8*s, lx+30*s, ly-8*s)
		c.DrawGlyph(draw.GlyphStyle{Color: clr, Radius: 6 * s, Shape: stanceGlyphs[i%len(stanceGlyphs)]}, vg.Point{X: lx + 15*s, Y: ly - 8*s})
		lines := posClip(legSty, posWrap(legSty, label, legW-48*s), 2, legW-48*s)
		ly = posLines(c, legSty, lx+38*s, ly, lines) - 8*s
	}
	c.DrawGlyph(draw.GlyphStyle{Color: st.Foreground, Radius: 6 * s, Shape: ringGlyph{width: 2.5 * s}}, vg.Point{X: lx + 15*s, Y: ly - 8*s})
	posLines(c, legSty, lx+38*s, ly, []string{"no comment"})

	plotArea := draw.Canvas{Canvas: c.Canvas, Rectangle: vg.Rectangle{
		Min: vg.Point{X: x0, Y: capTop + 12*s},
		Max: vg.Point{X: x1 - legW, Y: y - 10*s},
	}}
	p.Draw(plotArea)
	return nil
}

// RenderStance writes the stance-over-time chart of the timelines (one line per timeline,
// normally one topic and several actors) in format "png", "jpg", "svg" or "pdf".
func RenderStance(w io.Writer, f Format, tls []data.Timeline, vocab data.Vocabulary, opts StanceOptions) error {
	if len(tls) == 0 {
		return fmt.Errorf("stance chart: no statements to show: %w", ErrEmpty)
	}
	return posRender(w, f, opts.size(), func(c draw.Canvas) error { return DrawStance(c, tls, vocab, opts) })
}

// StanceImage draws the stance chart into an image of opts' pixel size, for the GUI.
func StanceImage(tls []data.Timeline, vocab data.Vocabulary, opts StanceOptions) (image.Image, error) {
	img, err := posImage(opts.size(), func(c draw.Canvas) error { return DrawStance(c, tls, vocab, opts) })
	if err != nil {
		return nil, err
	}
	return img, nil
}
