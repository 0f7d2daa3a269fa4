package charts

import (
	"cmp"
	"image/color"
	"math"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// BarSegment is one layer of stacked period bars: a name, a colour and a value per period.
type BarSegment struct {
	Name   string
	Color  color.Color
	Values []float64
}

// PeriodBars draws one bar per period, from the period's first day to its last, with the
// segments stacked bottom up. Unlike plotter.BarChart, bar widths follow the calendar (a
// February bar is narrower than a March bar), so bars line up with a time axis.
type PeriodBars struct {
	// Start and End are the day numbers where each period starts and ends (End exclusive).
	Start, End []float64
	Segments   []BarSegment
	// Gap is the share of each period left blank between bars (0.2 unless set); it is
	// dropped when bars get thinner than four points, where gaps only make a moiré.
	Gap float64
}

// Plot implements plot.Plotter.
func (b *PeriodBars) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	gap := b.Gap
	if gap == 0 {
		gap = 0.2
	}
	y0 := trY(0)
	for i := range b.Start {
		x0, x1 := trX(b.Start[i]), trX(b.End[i])
		if x1 < c.Min.X || x0 > c.Max.X {
			continue
		}
		if w := x1 - x0; w > 4 {
			g := w * vg.Length(gap) / 2
			x0, x1 = x0+g, x1-g
		} else if w < 0.6 {
			// keep very thin bars visible
			m := (x0 + x1) / 2
			x0, x1 = m-0.3, m+0.3
		}
		x0, x1 = max(x0, c.Min.X), min(x1, c.Max.X)
		sum := 0.0
		bottom := y0
		for _, s := range b.Segments {
			v := s.Values[i]
			if v <= 0 {
				continue
			}
			sum += v
			top := trY(sum)
			var path vg.Path
			path.Move(vg.Point{X: x0, Y: bottom})
			path.Line(vg.Point{X: x1, Y: bottom})
			path.Line(vg.Point{X: x1, Y: top})
			path.Line(vg.Point{X: x0, Y: top})
			path.Close()
			c.SetColor(s.Color)
			c.Fill(path)
			bottom = top
		}
	}
}

// DataRange implements plot.DataRanger.
func (b *PeriodBars) DataRange() (xmin, xmax, ymin, ymax float64) {
	if len(b.Start) == 0 {
		return math.Inf(1), math.Inf(-1), 0, 0
	}
	xmin, xmax = b.Start[0], b.End[len(b.End)-1]
	for i := range b.Start {
		sum := 0.0
		for _, s := range b.Segments {
			sum += max(0, s.Values[i])
		}
		ymax = max(ymax, sum)
	}
	return xmin, xmax, 0, ymax
}

// LabelledPoint is a point with a label, optionally with a vertical range (YHigh > Y).
type LabelledPoint struct {
	X, Y, YHigh float64
	Label       string
	Color       color.Color
	Shape       draw.GlyphDrawer
}

// LabelledPoints draws points with labels placed so that they do not overlap each other or
// the points: each label tries the right of its point, then the left, then steps up and
// down, with a leader line when it moved.
type LabelledPoints struct {
	Points []LabelledPoint
	Text   text.Style
	// Background knocks out lines behind the labels.
	Background color.Color
	Radius     vg.Length
	// Avoid are lines (in data coordinates) that labels must not cover, such as the running
	// total the points are compared with.
	Avoid []plotter.XYs
}

// DiamondGlyph is a filled diamond.
type DiamondGlyph struct{}

// DrawGlyph implements draw.GlyphDrawer.
func (DiamondGlyph) DrawGlyph(c *draw.Canvas, sty draw.GlyphStyle, pt vg.Point) {
	c.SetColor(sty.Color)
	r := sty.Radius * 1.2
	var p vg.Path
	p.Move(vg.Point{X: pt.X, Y: pt.Y + r})
	p.Line(vg.Point{X: pt.X + r, Y: pt.Y})
	p.Line(vg.Point{X: pt.X, Y: pt.Y - r})
	p.Line(vg.Point{X: pt.X - r, Y: pt.Y})
	p.Close()
	c.Fill(p)
}

// segmentHitsBox reports whether the segment a-b crosses the box [x0,x1]x[y0,y1].
func segmentHitsBox(a, b vg.Point, x0, y0, x1, y1 vg.Length) bool {
	inside := func(p vg.Point) bool { return p.X >= x0 && p.X <= x1 && p.Y >= y0 && p.Y <= y1 }
	if inside(a) || inside(b) {
		return true
	}
	// Sample the segment: boxes are large against the steps used here.
	const n = 16
	for i := 1; i < n; i++ {
		t := vg.Length(i) / n
		if inside(vg.Point{X: a.X + (b.X-a.X)*t, Y: a.Y + (b.Y-a.Y)*t}) {
			return true
		}
	}
	return false
}

// Plot implements plot.Plotter.
func (lp *LabelledPoints) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	r := lp.Radius
	if r == 0 {
		r = 6
	}
	type box struct{ x0, y0, x1, y1 vg.Length }
	overlaps := func(a, b box) bool { return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1 }
	var taken []box
	pts := make([]vg.Point, len(lp.Points))
	for i, pt := range lp.Points {
		pts[i] = vg.Point{X: trX(pt.X), Y: trY(pt.Y)}
		taken = append(taken, box{pts[i].X - r, pts[i].Y - r, pts[i].X + r, pts[i].Y + r})
		if pt.YHigh > pt.Y {
			hi := trY(pt.YHigh)
			c.StrokeLine2(draw.LineStyle{Color: pt.Color, Width: 2}, pts[i].X, pts[i].Y, pts[i].X, hi)
			c.StrokeLine2(draw.LineStyle{Color: pt.Color, Width: 2}, pts[i].X-r, hi, pts[i].X+r, hi)
		}
	}
	var avoid [][]vg.Point
	for _, line := range lp.Avoid {
		pl := make([]vg.Point, len(line))
		for i, xy := range line {
			pl[i] = vg.Point{X: trX(xy.X), Y: trY(xy.Y)}
		}
		avoid = append(avoid, pl)
	}
	hitsLine := func(x0, y0, x1, y1 vg.Length) bool {
		for _, pl := range avoid {
			for i := 1; i < len(pl); i++ {
				a, b := pl[i-1], pl[i]
				if max(a.X, b.X) < x0 || min(a.X, b.X) > x1 || max(a.Y, b.Y) < y0 || min(a.Y, b.Y) > y1 {
					continue
				}
				if segmentHitsBox(a, b, x0, y0, x1, y1) {
					return true
				}
			}
		}
		return false
	}
	lh := lp.Text.Height("Xg")
	type placed struct {
		b      box
		leader bool
	}
	places := make([]placed, len(lp.Points))
	for i, pt := range lp.Points {
		w := lp.Text.Width(pt.Label) + 6
		var best box
		found, leader := false, false
		// Candidates: beside the point, or moved up or down by whole lines and further out
		// sideways; the nearest free one wins (moving down counts a little more than up:
		// running totals leave room above), with a leader line once moved.
		type cand struct {
			b    box
			cost vg.Length
		}
		var cands []cand
		for shift := 0; shift < 4; shift++ {
			off := vg.Length(shift) * w / 2
			for k := -20; k <= 20; k++ {
				dy := vg.Length(k) * lh * 1.05
				cost := off*off + dy*dy
				if k < 0 {
					cost *= 1.7
				}
				cy := pts[i].Y + dy
				cands = append(cands,
					cand{box{pts[i].X + r + 4 + off, cy - lh/2, pts[i].X + r + 4 + w + off, cy + lh/2}, cost},
					cand{box{pts[i].X - r - 4 - w - off, cy - lh/2, pts[i].X - r - 4 - off, cy + lh/2}, cost + 1})
			}
		}
		slices.SortStableFunc(cands, func(a, b cand) int { return cmp.Compare(a.cost, b.cost) })
		for _, cd := range cands {
			b := cd.b
			if b.x0 < c.Min.X || b.x1 > c.Max.X || b.y0 < c.Min.Y || b.y1 > c.Max.Y {
				continue
			}
			ok := !hitsLine(b.x0, b.y0, b.x1, b.y1)
			for _, t := range taken {
				if !ok {
					break
				}
				ok = !overlaps(b, t)
			}
			if ok {
				best, found, leader = b, true, cd.cost > 1
				break
			}
		}
		if !found {
			best = box{pts[i].X + r + 4, pts[i].Y - lh/2, pts[i].X + r + 4 + w, pts[i].Y + lh/2}
		}
		taken = append(taken, best)
		places[i] = placed{best, leader}
	}
	for i, pt := range lp.Points {
		pl := places[i]
		if pl.leader {
			ex := pl.b.x0
			if pl.b.x1 < pts[i].X {
				ex = pl.b.x1
			}
			c.StrokeLine2(draw.LineStyle{Color: pt.Color, Width: 1}, pts[i].X, pts[i].Y, ex, (pl.b.y0+pl.b.y1)/2)
		}
	}
	for i, pt := range lp.Points {
		pl := places[i]
		if lp.Background != nil {
			var bg vg.Path
			bg.Move(vg.Point{X: pl.b.x0, Y: pl.b.y0})
			bg.Line(vg.Point{X: pl.b.x1, Y: pl.b.y0})
			bg.Line(vg.Point{X: pl.b.x1, Y: pl.b.y1})
			bg.Line(vg.Point{X: pl.b.x0, Y: pl.b.y1})
			bg.Close()
			c.SetColor(lp.Background)
			c.Fill(bg)
		}
		shape := pt.Shape
		if shape == nil {
			shape = draw.CircleGlyph{}
		}
		c.DrawGlyphNoClip(draw.GlyphStyle{Color: pt.Color, Radius: r, Shape: shape}, pts[i])
		ts := lp.Text
		ts.YAlign = draw.YCenter
		c.FillText(ts, vg.Point{X: pl.b.x0 + 3, Y: (pl.b.y0 + pl.b.y1) / 2}, pt.Label)
	}
}

// DataRange implements plot.DataRanger.
func (lp *LabelledPoints) DataRange() (xmin, xmax, ymin, ymax float64) {
	xmin, xmax, ymin, ymax = math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	for _, p := range lp.Points {
		xmin, xmax = min(xmin, p.X), max(xmax, p.X)
		ymin, ymax = min(ymin, p.Y), max(ymax, p.Y, p.YHigh)
	}
	return
}
