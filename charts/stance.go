package charts

import (
	"fmt"
	"image"
	"image/color"
	"io"
	"math"
	"slices"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

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
}

func (o StanceOptions) size() (w, h vg.Length, dpi int) {
	return PositionsOptions{Width: o.Width, Height: o.Height, DPI: o.DPI}.size()
}

// stanceActorColors is the Okabe-Ito palette, in an order that keeps the first colours far
// apart and leaves yellow (hard to see on white) for last.
var stanceActorColors = []color.RGBA{
	{R: 0x00, G: 0x72, B: 0xB2, A: 255}, // blue
	{R: 0xD5, G: 0x5E, B: 0x00, A: 255}, // vermillion
	{R: 0x00, G: 0x9E, B: 0x73, A: 255}, // bluish green
	{R: 0xCC, G: 0x79, B: 0xA7, A: 255}, // reddish purple
	{R: 0xE6, G: 0x9F, B: 0x00, A: 255}, // orange
	{R: 0x56, G: 0xB4, B: 0xE9, A: 255}, // sky blue
	{R: 0x00, G: 0x00, B: 0x00, A: 255}, // black
	{R: 0xF0, G: 0xE4, B: 0x42, A: 255}, // yellow
}

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

// stanceBands shades each score's band with its stance colour, faintly, so the chart reads
// like the positions grid.
type stanceBands struct{ vocab data.Vocabulary }

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
		clr = color.RGBA{R: uint8(int(clr.R)*30/255 + 225), G: uint8(int(clr.G)*30/255 + 225), B: uint8(int(clr.B)*30/255 + 225), A: 255}
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
	wd, ht, _ := opts.size()
	s := vg.Length(math.Min(float64(wd/960), float64(ht/540)))
	p := plot.New()
	sans := func(size vg.Length) font.Font {
		return font.Font{Typeface: "Liberation", Variant: "Sans", Size: size * s}
	}
	p.X.Tick.Label.Font = sans(13)
	p.Y.Tick.Label.Font = sans(13)
	p.X.Label.TextStyle.Font = sans(14)
	p.Y.Label.TextStyle.Font = sans(14)
	p.X.Tick.Marker = plot.TimeTicks{Format: "2 Jan 2006"}
	p.Y.Tick.Marker = stanceTicks{vocab}
	p.Y.Min, p.Y.Max = -2.5, 2.5
	p.X.Padding, p.Y.Padding = 0, 0
	p.Add(stanceBands{vocab})
	grid := plotter.NewGrid()
	grid.Vertical.Color = color.Transparent
	grid.Horizontal.Color = color.RGBA{R: 0xff, G: 0xff, B: 0xff, A: 255}
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
	span := math.Max(xmax-xmin, 7*86400)
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
	s := vg.Length(math.Min(float64(W/960), float64(H/540)))
	margin := 22 * s
	x0, x1 := c.Min.X+margin, c.Max.X-margin
	top := c.Max.Y - margin
	posFill(c, c.Rectangle, color.White)

	topics := stanceTopics(tls)
	title := opts.Title
	if title == "" {
		title = "Stance over time: " + strings.Join(topics, ", ")
	}
	titleSty := posText(24*s, true, false, posDark)
	tx1 := x1
	if opts.Demo {
		tag := posText(13*s, true, false, color.White)
		tw := tag.Width("DEMO DATA") + 14*s
		posFill(c, vg.Rectangle{Min: vg.Point{X: x1 - tw, Y: top - 22*s}, Max: vg.Point{X: x1, Y: top}}, posDemo)
		c.FillText(tag, vg.Point{X: x1 - tw + 7*s, Y: top - 4*s}, "DEMO DATA")
		tx1 = x1 - tw - 10*s
	}
	y := posLines(c, titleSty, x0, top, posClip(titleSty, posWrap(titleSty, title, tx1-x0), 1, tx1-x0))
	subSty := posText(13*s, false, false, posMuted)
	y = posLines(c, subSty, x0, y-2*s, []string{"Each point is a statement; a line holds a stance until the actor's next statement."})

	// Caption.
	capSty := posText(11*s, false, false, posMuted)
	var parts []string
	var sources, unscored []string
	var changes int
	for _, tl := range tls {
		changes += len(tl.Changes)
		for _, pt := range tl.Points {
			if src := strings.TrimSpace(pt.Source); src != "" && !slices.Contains(sources, src) {
				sources = append(sources, src)
			}
			if pt.State == data.CellUnscored && !slices.Contains(unscored, pt.Stance) {
				unscored = append(unscored, pt.Stance)
			}
		}
	}
	if len(sources) > 0 {
		parts = append(parts, "Sources: "+strings.Join(sources, "; ")+".")
	}
	parts = append(parts, fmt.Sprintf("%d changes of position.", changes))
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
	if opts.Demo {
		parts = append(parts, "Demo data: an approximate reconstruction of press reports, unverified.")
	}
	capLines := posClip(capSty, posWrap(capSty, strings.Join(parts, " "), x1-x0), 4, x1-x0)
	capTop := c.Min.Y + margin + vg.Length(len(capLines))*capSty.Font.Size*1.22
	posLines(c, capSty, x0, capTop, capLines)

	// Legend on the right: one entry per line, and the no-comment ring.
	legSty := posText(13*s, false, false, posDark)
	legW := 190 * s
	ly := y - 30*s
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
	c.DrawGlyph(draw.GlyphStyle{Color: posDark, Radius: 6 * s, Shape: ringGlyph{width: 2.5 * s}}, vg.Point{X: lx + 15*s, Y: ly - 8*s})
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
func RenderStance(w io.Writer, format string, tls []data.Timeline, vocab data.Vocabulary, opts StanceOptions) error {
	wd, ht, dpi := opts.size()
	c, err := posCanvas(format, wd, ht, dpi)
	if err != nil {
		return err
	}
	if err := DrawStance(draw.New(c), tls, vocab, opts); err != nil {
		return err
	}
	if _, err := c.WriteTo(w); err != nil {
		return fmt.Errorf("writing the stance chart: %w", err)
	}
	return nil
}

// StanceImage draws the stance chart into an image of opts' pixel size, for the GUI.
func StanceImage(tls []data.Timeline, vocab data.Vocabulary, opts StanceOptions) (image.Image, error) {
	wd, ht, dpi := opts.size()
	c := vgimg.NewWith(vgimg.UseWH(wd, ht), vgimg.UseDPI(dpi), vgimg.UseBackgroundColor(color.White))
	if err := DrawStance(draw.New(c), tls, vocab, opts); err != nil {
		return nil, err
	}
	return c.Image(), nil
}
