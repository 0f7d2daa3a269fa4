package charts

import (
	"cmp"
	"fmt"
	"image/color"
	"math"
	"slices"
	"strconv"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"sitrep/data"
	"sitrep/geo"
)

// MapView is the body of a map chart (Chart.Body): it draws the outlines, the shaded areas,
// the points, labels, a graticule, a scale bar and a size key into whatever rectangle the
// chart gives it, fitting Extent to the rectangle's shape. The GUI pans and zooms by
// changing Extent, steps through time with Until, and finds the point under the mouse with
// PointAt. Like a Chart, draw it from one goroutine at a time: Draw records the transform
// PointAt uses.
type MapView struct {
	Style Style
	Atlas *geo.Atlas
	// Extent is the region shown (see geo.AutoExtent and geo.ParseExtent).
	Extent geo.Rect
	Points []MapPoint
	Areas  []MapArea
	Groups []MapGroup
	// Unit shades the areas by strikes (the default) or deaths.
	Unit Unit
	// Count is the counting rule of the dots' sizes.
	Count CountRule
	// Until, when not zero, shows only the incidents dated on or before this day number
	// (undated ones always show).
	Until int

	last mapTransform
}

// mapTransform maps plane coordinates to the canvas of the last draw.
type mapTransform struct {
	frame geo.Frame
	rect  vg.Rectangle
	scale float64 // canvas points per plane unit
	ok    bool
	// drawn points, in canvas coordinates, for PointAt
	drawn []drawnPoint
}

type drawnPoint struct {
	at vg.Point
	r  vg.Length
	i  int
}

func (t *mapTransform) to(x, y float64) vg.Point {
	return vg.Point{X: t.rect.Min.X + vg.Length((x-t.frame.X0)*t.scale), Y: t.rect.Min.Y + vg.Length((y-t.frame.Y0)*t.scale)}
}

func (t *mapTransform) project(p geo.Point) vg.Point {
	x, y := t.frame.Proj.Forward(p)
	return t.to(x, y)
}

// mapColors are the base colours of a map in one theme.
type mapColors struct {
	water, land, border, graticule, halo color.NRGBA
}

func (m *MapView) colors() mapColors {
	if m.Style.Theme == ThemeDark {
		return mapColors{water: rgb(0x1C2530), land: rgb(0x2E2E32), border: rgb(0x55555C), graticule: rgb(0x2A3542), halo: m.Style.Background}
	}
	return mapColors{water: rgb(0xE4EEF6), land: rgb(0xF6F4EF), border: rgb(0xB9B4A8), graticule: rgb(0xCFDDE9), halo: m.Style.Background}
}

// visible reports whether an incident of day d shows at the current Until.
func (m *MapView) visible(d int) bool { return m.Until == 0 || d <= m.Until }

// Frame returns the plane window the last Draw showed, and false before any draw.
func (m *MapView) Frame() (geo.Frame, bool) { return m.last.frame, m.last.ok }

// Draw implements Drawer.
func (m *MapView) Draw(c draw.Canvas) {
	r := c.Rectangle
	w, h := float64(r.Max.X-r.Min.X), float64(r.Max.Y-r.Min.Y)
	if w <= 1 || h <= 1 || m.Atlas == nil {
		return
	}
	ext := m.Extent
	if ext.Empty() || ext == (geo.Rect{}) {
		ext = geo.WorldExtent
	}
	proj := geo.ProjectionFor(ext)
	fr := geo.Fit(ext, proj, w/h)
	t := &mapTransform{frame: fr, rect: r, scale: w / fr.Width(), ok: true}
	m.last = *t
	col := m.colors()
	world := geo.IsWorld(ext) || ext.Max.Lon-ext.Min.Lon > 90
	view := ext
	if !world {
		view = fr.Extent()
	}

	// Water: the globe's outline on a world map, the whole frame otherwise.
	c.SetColor(m.Style.Background)
	c.Fill(r.Path())
	if world {
		var outline []geo.Point
		for lat := -90.0; lat <= 90; lat += 2 {
			outline = append(outline, geo.Point{Lon: proj.(geo.EqualEarth).Lon0 + 180 - 1e-9, Lat: lat})
		}
		for lat := 90.0; lat >= -90; lat -= 2 {
			outline = append(outline, geo.Point{Lon: proj.(geo.EqualEarth).Lon0 - 180 + 1e-9, Lat: lat})
		}
		fillRing(c, t, outline, col.water)
	} else {
		c.SetColor(col.water)
		c.Fill(r.Path())
	}

	// Shaded seas under the land, shaded countries over it.
	shades := m.areaShades(col)
	for i, a := range m.Areas {
		if a.Method == geo.BySea && shades[i].A != 0 && a.Feature.Bounds.Intersects(view) {
			fillFeature(c, t, a.Feature, shades[i], true)
		}
	}
	countries := m.Atlas.Countries
	if ext.Max.Lon-ext.Min.Lon > 50 {
		countries = m.Atlas.Coarse
	}
	for i := range countries {
		f := &countries[i]
		if f.Bounds.Intersects(view) && f.Bounds.Max.Lat > -60 {
			fillFeature(c, t, f, col.land, false)
		}
	}
	for i, a := range m.Areas {
		if a.Method == geo.ByCountry && shades[i].A != 0 && a.Feature.Bounds.Intersects(view) {
			fillFeature(c, t, a.Feature, shades[i], false)
		}
	}
	border := draw.LineStyle{Color: col.border, Width: 0.6}
	for i := range countries {
		f := &countries[i]
		if f.Bounds.Intersects(view) && f.Bounds.Max.Lat > -60 {
			strokeFeature(c, t, f, border)
		}
	}
	m.drawGraticule(c, t, ext, world, col)
	boxes := m.drawPoints(c, t)
	var avoid []vg.Rectangle
	avoid = append(avoid, m.drawKey(c, t, col)...)
	if sb, ok := m.drawScaleBar(c, t); ok {
		avoid = append(avoid, sb)
	}
	m.drawLabels(c, t, avoid, boxes)
	c.StrokeLines(draw.LineStyle{Color: m.Style.Axis, Width: 1}, []vg.Point{r.Min, {X: r.Max.X, Y: r.Min.Y}, r.Max, {X: r.Min.X, Y: r.Max.Y}, r.Min})
	m.last = *t
}

// projectRing projects a ring onto the canvas, dropping points closer than a quarter point
// to the last one kept.
func projectRing(t *mapTransform, ring []geo.Point) []vg.Point {
	out := make([]vg.Point, 0, len(ring))
	for _, p := range ring {
		q := t.project(p)
		if n := len(out); n > 0 {
			d := out[n-1]
			if math.Abs(float64(q.X-d.X)) < 0.25 && math.Abs(float64(q.Y-d.Y)) < 0.25 {
				continue
			}
		}
		out = append(out, q)
	}
	return out
}

// clipRing is Sutherland-Hodgman against the rectangle r (slightly enlarged).
func clipRing(pts []vg.Point, r vg.Rectangle) []vg.Point {
	r.Min.X, r.Min.Y, r.Max.X, r.Max.Y = r.Min.X-1, r.Min.Y-1, r.Max.X+1, r.Max.Y+1
	inside := true
	for _, p := range pts {
		if p.X < r.Min.X || p.X > r.Max.X || p.Y < r.Min.Y || p.Y > r.Max.Y {
			inside = false
			break
		}
	}
	if inside {
		return pts
	}
	type edge struct {
		in  func(vg.Point) bool
		cut func(a, b vg.Point) vg.Point
	}
	atX := func(x vg.Length) func(a, b vg.Point) vg.Point {
		return func(a, b vg.Point) vg.Point {
			t := (x - a.X) / (b.X - a.X)
			return vg.Point{X: x, Y: a.Y + t*(b.Y-a.Y)}
		}
	}
	atY := func(y vg.Length) func(a, b vg.Point) vg.Point {
		return func(a, b vg.Point) vg.Point {
			t := (y - a.Y) / (b.Y - a.Y)
			return vg.Point{X: a.X + t*(b.X-a.X), Y: y}
		}
	}
	edges := []edge{
		{func(p vg.Point) bool { return p.X >= r.Min.X }, atX(r.Min.X)},
		{func(p vg.Point) bool { return p.X <= r.Max.X }, atX(r.Max.X)},
		{func(p vg.Point) bool { return p.Y >= r.Min.Y }, atY(r.Min.Y)},
		{func(p vg.Point) bool { return p.Y <= r.Max.Y }, atY(r.Max.Y)},
	}
	out := pts
	for _, e := range edges {
		in := out
		out = nil
		if len(in) == 0 {
			return nil
		}
		prev := in[len(in)-1]
		for _, p := range in {
			pin, qin := e.in(p), e.in(prev)
			if pin != qin {
				out = append(out, e.cut(prev, p))
			}
			if pin {
				out = append(out, p)
			}
			prev = p
		}
	}
	return out
}

func ringPath(pts []vg.Point, p *vg.Path) {
	if len(pts) < 3 {
		return
	}
	p.Move(pts[0])
	for _, q := range pts[1:] {
		p.Line(q)
	}
	p.Close()
}

func fillRing(c draw.Canvas, t *mapTransform, ring []geo.Point, col color.Color) {
	var p vg.Path
	ringPath(clipRing(projectRing(t, ring), t.rect), &p)
	if len(p) > 0 {
		c.SetColor(col)
		c.Fill(p)
	}
}

// fillFeature fills every polygon of f (holes by the non-zero rule: they run the other
// way). seams strokes the fill in its own colour, hiding the hairlines between the pieces a
// sea is cut into.
func fillFeature(c draw.Canvas, t *mapTransform, f *geo.Feature, col color.Color, seams bool) {
	for _, poly := range f.Polygons {
		var p vg.Path
		for _, ring := range poly {
			ringPath(clipRing(projectRing(t, ring), t.rect), &p)
		}
		if len(p) == 0 {
			continue
		}
		c.SetColor(col)
		c.Fill(p)
		if seams {
			c.Stroke(p)
		}
	}
}

func strokeFeature(c draw.Canvas, t *mapTransform, f *geo.Feature, ls draw.LineStyle) {
	var p vg.Path
	for _, poly := range f.Polygons {
		for _, ring := range poly {
			ringPath(clipRing(projectRing(t, ring), t.rect), &p)
		}
	}
	if len(p) > 0 {
		c.SetLineStyle(ls)
		c.Stroke(p)
	}
}

// areaShades returns the fill of each area: its main group's colour, the more saturated
// the more strikes (or deaths) it holds; transparent when nothing in it is visible.
func (m *MapView) areaShades(col mapColors) []color.NRGBA {
	vals := make([]float64, len(m.Areas))
	main := make([]int, len(m.Areas))
	vmax := 0.0
	for i, a := range m.Areas {
		counts := map[int]int{}
		for _, inc := range a.Incidents {
			if !m.visible(inc.Day) {
				continue
			}
			counts[inc.Group]++
			if m.Unit == UnitDeaths {
				vals[i] += float64(countValue(inc.Killed, m.Count))
			} else {
				vals[i]++
			}
		}
		best := -1
		for g, n := range counts {
			if best < 0 || n > counts[best] || n == counts[best] && g < best {
				best = g
			}
		}
		main[i] = best
		vmax = math.Max(vmax, vals[i])
	}
	out := make([]color.NRGBA, len(m.Areas))
	for i, a := range m.Areas {
		if main[i] < 0 || (vals[i] == 0 && m.Unit != UnitDeaths) {
			continue
		}
		base := col.water
		if a.Method == geo.ByCountry {
			base = col.land
		}
		share := 0.0
		if vmax > 0 {
			share = math.Sqrt(vals[i] / vmax)
		}
		out[i] = Mix(base, m.Groups[main[i]].Color, 0.25+0.5*share)
	}
	return out
}

// countValue is the figure a dot's size or an area's shade counts under rule r.
func countValue(c data.Count, r CountRule) int {
	if r == CountMax {
		return c.High()
	}
	return c.Low()
}

// dotRadii returns the radius of a dot of v deaths: its area proportional to v, from rmin
// (no death or unknown) up to rmax at vmax.
func dotRadius(v, vmax int, rmin, rmax vg.Length) vg.Length {
	if v <= 0 || vmax <= 0 {
		return rmin
	}
	return max(rmin, rmax*vg.Length(math.Sqrt(float64(v)/float64(vmax))))
}

func (m *MapView) dotSizes() (vmax int, rmin, rmax vg.Length) {
	n := 0
	for _, p := range m.Points {
		if !m.visible(p.Day) {
			continue
		}
		n++
		v := countValue(p.Killed, m.Count)
		if m.Count == CountRange {
			v = p.Killed.High()
		}
		vmax = max(vmax, v)
	}
	switch {
	case n > 20000:
		return vmax, 1.2, 7
	case n > 2000:
		return vmax, 1.6, 10
	}
	return vmax, 2.5, 16
}

// drawPoints draws the dots, largest first so small ones stay on top, and records them for
// PointAt.
func (m *MapView) drawPoints(c draw.Canvas, t *mapTransform) []vg.Rectangle {
	vmax, rmin, rmax := m.dotSizes()
	type dot struct {
		at     vg.Point
		r, out vg.Length
		i      int
	}
	dots := make([]dot, 0, len(m.Points))
	for i, p := range m.Points {
		if !m.visible(p.Day) {
			continue
		}
		q := t.project(p.P)
		if q.X < t.rect.Min.X || q.X > t.rect.Max.X || q.Y < t.rect.Min.Y || q.Y > t.rect.Max.Y {
			continue
		}
		r := dotRadius(countValue(p.Killed, m.Count), vmax, rmin, rmax)
		out := vg.Length(0)
		if m.Count == CountRange && p.Killed.High() > p.Killed.Low() {
			out = dotRadius(p.Killed.High(), vmax, rmin, rmax)
		}
		dots = append(dots, dot{q, r, out, i})
	}
	slices.SortStableFunc(dots, func(a, b dot) int { return cmp.Compare(max(b.r, b.out), max(a.r, a.out)) })
	many := len(dots) > 2000
	edge := draw.LineStyle{Color: m.Style.Background, Width: 0.6}
	t.drawn = make([]drawnPoint, 0, len(dots))
	var boxes []vg.Rectangle
	painter, raster := newDotPainter(c)
	for _, d := range dots {
		g := m.Groups[m.Points[d.i].Group].Color
		fill := color.Color(g)
		if many {
			fill = color.NRGBA{R: g.R, G: g.G, B: g.B, A: 0xB0}
		}
		rr := max(d.r, d.out)
		t.drawn = append(t.drawn, drawnPoint{at: d.at, r: rr, i: d.i})
		if many && raster {
			painter.disc(d.at, d.r, fill.(color.NRGBA))
			if d.out > 0 {
				painter.ring(d.at, d.out, vg.Length(math.Min(1.4, float64(d.r)*0.5)), g)
			}
			continue
		}
		circle := circlePath(d.at, d.r)
		c.SetColor(fill)
		c.Fill(circle)
		if !many {
			c.SetLineStyle(edge)
			c.Stroke(circle)
		}
		if d.out > 0 {
			c.SetLineStyle(draw.LineStyle{Color: g, Width: vg.Length(math.Min(1.4, float64(d.r)*0.5))})
			c.Stroke(circlePath(d.at, d.out))
		}
		if len(dots) <= 2000 {
			boxes = append(boxes, vg.Rectangle{Min: vg.Point{X: d.at.X - rr, Y: d.at.Y - rr}, Max: vg.Point{X: d.at.X + rr, Y: d.at.Y + rr}})
		}
	}
	return boxes
}

// circlePath is a circle of radius r around p as four cubic Béziers (cheaper to fill than
// an arc at 100,000 dots, and identical at these sizes).
func circlePath(p vg.Point, r vg.Length) vg.Path {
	const k = 0.5522847498
	kr := r * k
	var path vg.Path
	path.Move(vg.Point{X: p.X + r, Y: p.Y})
	path.CubeTo(vg.Point{X: p.X + r, Y: p.Y + kr}, vg.Point{X: p.X + kr, Y: p.Y + r}, vg.Point{X: p.X, Y: p.Y + r})
	path.CubeTo(vg.Point{X: p.X - kr, Y: p.Y + r}, vg.Point{X: p.X - r, Y: p.Y + kr}, vg.Point{X: p.X - r, Y: p.Y})
	path.CubeTo(vg.Point{X: p.X - r, Y: p.Y - kr}, vg.Point{X: p.X - kr, Y: p.Y - r}, vg.Point{X: p.X, Y: p.Y - r})
	path.CubeTo(vg.Point{X: p.X + kr, Y: p.Y - r}, vg.Point{X: p.X + r, Y: p.Y - kr}, vg.Point{X: p.X + r, Y: p.Y})
	path.Close()
	return path
}

// circleGlyph is a filled circle for the legend.
type circleGlyph struct{}

// DrawGlyph implements draw.GlyphDrawer.
func (circleGlyph) DrawGlyph(c *draw.Canvas, sty draw.GlyphStyle, pt vg.Point) {
	c.SetColor(sty.Color)
	c.Fill(circlePath(pt, sty.Radius))
}

// drawGraticule draws lines of latitude and longitude at a round step with their labels
// along the left and bottom edges.
func (m *MapView) drawGraticule(c draw.Canvas, t *mapTransform, ext geo.Rect, world bool, col mapColors) {
	view := ext
	if !world {
		view = t.frame.Extent()
	}
	step := geo.GraticuleStep(math.Max(view.Max.Lon-view.Min.Lon, (view.Max.Lat-view.Min.Lat)*1.5))
	if world {
		step = 30
	}
	ls := draw.LineStyle{Color: col.graticule, Width: 0.8}
	ts := m.Style.Text(SizeTick-3, m.Style.Muted, false)
	r := t.rect
	line := func(pts []geo.Point) {
		var prev vg.Point
		for i, p := range pts {
			q := t.project(p)
			if i > 0 {
				if a, b, ok := clipSegment(prev, q, r); ok {
					c.StrokeLine2(ls, a.X, a.Y, b.X, b.Y)
				}
			}
			prev = q
		}
	}
	latLo, latHi := math.Max(view.Min.Lat, -85), math.Min(view.Max.Lat, 85)
	if world {
		latLo, latHi = -90, 90
	}
	for lon := math.Ceil(view.Min.Lon/step) * step; lon <= view.Max.Lon; lon += step {
		var pts []geo.Point
		for lat := latLo; lat <= latHi+1e-9; lat += (latHi - latLo) / 36 {
			pts = append(pts, geo.Point{Lon: lon, Lat: lat})
		}
		line(pts)
		if !world {
			q := t.project(geo.Point{Lon: lon, Lat: view.Min.Lat})
			if q.X > r.Min.X+20 && q.X < r.Max.X-20 {
				st := ts
				st.XAlign, st.YAlign = draw.XCenter, draw.YTop
				c.FillText(st, vg.Point{X: q.X, Y: r.Max.Y - 3}, geo.FormatLon(lon))
			}
		}
	}
	for lat := math.Ceil(latLo/step) * step; lat <= latHi; lat += step {
		var pts []geo.Point
		for lon := view.Min.Lon; lon <= view.Max.Lon+1e-9; lon += (view.Max.Lon - view.Min.Lon) / 36 {
			pts = append(pts, geo.Point{Lon: lon, Lat: lat})
		}
		line(pts)
		q := t.project(geo.Point{Lon: view.Min.Lon, Lat: lat})
		if world {
			q = t.project(geo.Point{Lon: t.frame.Proj.(geo.EqualEarth).Lon0 - 180, Lat: lat})
			if q.X < r.Min.X {
				q.X = r.Min.X
			}
		}
		// Not in the bottom band, where the scale bar and the key sit.
		if q.Y > r.Min.Y+44 && q.Y < r.Max.Y-20 {
			st := ts
			st.YAlign = draw.YCenter
			c.FillText(st, vg.Point{X: max(q.X, r.Min.X) + 3, Y: q.Y}, geo.FormatLat(lat))
		}
	}
}

// clipSegment is Liang-Barsky: the part of a-b inside r.
func clipSegment(a, b vg.Point, r vg.Rectangle) (vg.Point, vg.Point, bool) {
	t0, t1 := 0.0, 1.0
	dx, dy := float64(b.X-a.X), float64(b.Y-a.Y)
	for _, e := range [][2]float64{
		{-dx, float64(a.X - r.Min.X)}, {dx, float64(r.Max.X - a.X)},
		{-dy, float64(a.Y - r.Min.Y)}, {dy, float64(r.Max.Y - a.Y)},
	} {
		p, q := e[0], e[1]
		if p == 0 {
			if q < 0 {
				return a, b, false
			}
			continue
		}
		u := q / p
		if p < 0 {
			t0 = math.Max(t0, u)
		} else {
			t1 = math.Min(t1, u)
		}
		if t0 > t1 {
			return a, b, false
		}
	}
	at := func(u float64) vg.Point {
		return vg.Point{X: a.X + vg.Length(u*dx), Y: a.Y + vg.Length(u*dy)}
	}
	return at(t0), at(t1), true
}

// drawScaleBar draws a bar of a round number of kilometres in the bottom left corner when
// the projection has one scale across the map.
func (m *MapView) drawScaleBar(c draw.Canvas, t *mapTransform) (vg.Rectangle, bool) {
	kmu := t.frame.Proj.KmPerUnit()
	if kmu == 0 {
		return vg.Rectangle{}, false
	}
	r := t.rect
	ptsPerKm := t.scale / kmu
	target := float64(r.Max.X-r.Min.X) / 6 / ptsPerKm
	km := niceKm(target)
	length := vg.Length(km * ptsPerKm)
	x0, y0 := r.Min.X+14, r.Min.Y+26
	ts := m.Style.Text(SizeTick-2, m.Style.Foreground, false)
	label := FormatInt(int(km)) + " km"
	box := vg.Rectangle{Min: vg.Point{X: x0 - 6, Y: y0 - 6}, Max: vg.Point{X: x0 + length + 8 + ts.Width(label), Y: y0 + ts.Height(label) + 4}}
	c.SetColor(withAlpha(m.Style.Background, 0xC8))
	c.Fill(box.Path())
	ls := draw.LineStyle{Color: m.Style.Foreground, Width: 1.5}
	c.StrokeLine2(ls, x0, y0, x0+length, y0)
	c.StrokeLine2(ls, x0, y0-3, x0, y0+4)
	c.StrokeLine2(ls, x0+length, y0-3, x0+length, y0+4)
	c.FillText(ts, vg.Point{X: x0 + length + 6, Y: y0 - 2}, label)
	return box, true
}

func niceKm(v float64) float64 {
	if v <= 1 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, f := range []float64{5, 2, 1} {
		if f*p <= v {
			return f * p
		}
	}
	return p
}

func withAlpha(c color.NRGBA, a uint8) color.NRGBA {
	c.A = a
	return c
}

// drawKey draws the size key of the dots (and the shade key of the areas) in the bottom
// right corner and returns the boxes it took.
func (m *MapView) drawKey(c draw.Canvas, t *mapTransform, col mapColors) []vg.Rectangle {
	vmax, rmin, rmax := m.dotSizes()
	hasDots := false
	for _, p := range m.Points {
		if m.visible(p.Day) {
			hasDots = true
			break
		}
	}
	ts := m.Style.Text(SizeTick-2, m.Style.Foreground, false)
	lh := ts.Height("Xg")
	var rows []func(x, y vg.Length)
	var widths []vg.Length
	var heights []vg.Length
	if hasDots {
		vals := keyValues(vmax)
		title := "Deaths per incident"
		widths = append(widths, ts.Width(title))
		heights = append(heights, lh*1.2)
		rows = append(rows, func(x, y vg.Length) { c.FillText(ts, vg.Point{X: x, Y: y - lh}, title) })
		var w vg.Length
		for _, v := range vals {
			w += 2*dotRadius(v, vmax, rmin, rmax) + 6 + ts.Width(FormatInt(v)) + 10
		}
		big := 2 * dotRadius(vals[0], vmax, rmin, rmax)
		widths = append(widths, w)
		heights = append(heights, max(big, lh)+6)
		rows = append(rows, func(x, y vg.Length) {
			cy := y - max(big, lh)/2 - 3
			for _, v := range vals {
				rr := dotRadius(v, vmax, rmin, rmax)
				c.SetColor(m.Style.Muted)
				c.Fill(circlePath(vg.Point{X: x + rr, Y: cy}, rr))
				x += 2*rr + 4
				st := ts
				st.YAlign = draw.YCenter
				c.FillText(st, vg.Point{X: x, Y: cy}, FormatInt(v))
				x += ts.Width(FormatInt(v)) + 10
			}
		})
		if m.Count == CountRange {
			note := "ring: highest reported figure"
			widths = append(widths, ts.Width(note)+20)
			heights = append(heights, lh*1.3)
			rows = append(rows, func(x, y vg.Length) {
				cy := y - lh*0.65
				c.SetLineStyle(draw.LineStyle{Color: m.Style.Muted, Width: 1.2})
				c.Stroke(circlePath(vg.Point{X: x + 7, Y: cy}, 6))
				c.SetColor(m.Style.Muted)
				c.Fill(circlePath(vg.Point{X: x + 7, Y: cy}, 3))
				st := ts
				st.YAlign = draw.YCenter
				c.FillText(st, vg.Point{X: x + 18, Y: cy}, note)
			})
		}
	}
	if len(m.Areas) > 0 {
		what := "strikes"
		if m.Unit == UnitDeaths {
			what = "deaths"
		}
		note := "Shaded: placed by country or sea; darker, more " + what
		widths = append(widths, ts.Width(note)+34)
		heights = append(heights, lh*1.4)
		rows = append(rows, func(x, y vg.Length) {
			cy := y - lh*0.7
			for i, s := range []float64{0.3, 0.55, 0.75} {
				sw := vg.Rectangle{Min: vg.Point{X: x + vg.Length(i)*9, Y: cy - 5}, Max: vg.Point{X: x + vg.Length(i)*9 + 9, Y: cy + 5}}
				c.SetColor(Mix(col.water, m.Style.Ink, s))
				c.Fill(sw.Path())
			}
			st := ts
			st.YAlign = draw.YCenter
			c.FillText(st, vg.Point{X: x + 34, Y: cy}, note)
		})
	}
	if len(rows) == 0 {
		return nil
	}
	var w, h vg.Length
	for i := range rows {
		w = max(w, widths[i])
		h += heights[i]
	}
	r := t.rect
	pad := vg.Length(6)
	box := vg.Rectangle{Min: vg.Point{X: r.Max.X - w - 2*pad - 8, Y: r.Min.Y + 8}, Max: vg.Point{X: r.Max.X - 8, Y: r.Min.Y + 8 + h + 2*pad}}
	c.SetColor(withAlpha(m.Style.Background, 0xE0))
	c.Fill(box.Path())
	y := box.Max.Y - pad
	for i, row := range rows {
		row(box.Min.X+pad, y)
		y -= heights[i]
	}
	return []vg.Rectangle{box}
}

// keyValues picks up to three round figures for the size key, the largest first.
func keyValues(vmax int) []int {
	if vmax <= 1 {
		return []int{1}
	}
	top := int(niceKm(float64(vmax)))
	var out []int
	for _, v := range []int{top, top / 5, top / 25} {
		if v >= 1 && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

// label is a candidate label: text at an anchor, with the radius to keep clear of.
type mapLabel struct {
	text string
	at   vg.Point
	r    vg.Length
	rank float64
}

// drawLabels names the most affected places: every shaded area, and the places of the
// dots with the most deaths, each where it overlaps no other label, dot key or bar.
func (m *MapView) drawLabels(c draw.Canvas, t *mapTransform, avoid, dots []vg.Rectangle) {
	var cands []mapLabel
	for _, a := range m.Areas {
		n, lo, hi := 0, 0, 0
		for _, inc := range a.Incidents {
			if m.visible(inc.Day) {
				n++
				lo += inc.Killed.Low()
				hi += inc.Killed.High()
			}
		}
		if n == 0 {
			continue
		}
		at := t.project(m.Atlas.Anchor(a.Feature))
		cands = append(cands, mapLabel{text: a.Feature.Name + ": " + strikesKilled(n, lo, hi), at: at, rank: 1e12 + float64(hi)})
	}
	type agg struct {
		n, lo, hi int
		best      int
		bestV     int
	}
	places := map[string]*agg{}
	for i, p := range m.Points {
		if !m.visible(p.Day) || p.Place == "" {
			continue
		}
		a := places[p.Place]
		if a == nil {
			a = &agg{best: i, bestV: -1}
			places[p.Place] = a
		}
		a.n++
		a.lo += p.Killed.Low()
		a.hi += p.Killed.High()
		if v := p.Killed.High(); v > a.bestV {
			a.best, a.bestV = i, v
		}
	}
	_, rmin, _ := m.dotSizes()
	for name, a := range places {
		if a.hi == 0 && a.n < 2 {
			continue
		}
		q := t.project(m.Points[a.best].P)
		cands = append(cands, mapLabel{text: Shorten(name, 28) + ": " + strikesKilled(a.n, a.lo, a.hi), at: q, r: rmin + 4, rank: float64(a.hi)*1000 + float64(a.n)})
	}
	slices.SortStableFunc(cands, func(a, b mapLabel) int {
		if c := cmp.Compare(b.rank, a.rank); c != 0 {
			return c
		}
		return cmp.Compare(a.text, b.text)
	})
	ts := m.Style.Text(SizeNote-1, m.Style.Foreground, false)
	r := t.rect
	placed := slices.Clone(avoid)
	const maxLabels = 8
	shown := 0
	for _, l := range cands {
		if shown >= maxLabels {
			break
		}
		if l.at.X < r.Min.X || l.at.X > r.Max.X || l.at.Y < r.Min.Y || l.at.Y > r.Max.Y {
			continue
		}
		w, h := ts.Width(l.text)+6, ts.Height(l.text)+2
		off := l.r + 4
		var ok bool
		var box vg.Rectangle
		for _, o := range []vg.Point{{X: off, Y: -h / 2}, {X: -off - w, Y: -h / 2}, {X: -w / 2, Y: off}, {X: -w / 2, Y: -off - h}, {X: off, Y: off}, {X: off, Y: -off - h}, {X: -off - w, Y: off}, {X: -off - w, Y: -off - h}} {
			if l.r == 0 {
				o = vg.Point{X: -w / 2, Y: -h / 2}
			}
			box = vg.Rectangle{Min: vg.Point{X: l.at.X + o.X, Y: l.at.Y + o.Y}, Max: vg.Point{X: l.at.X + o.X + w, Y: l.at.Y + o.Y + h}}
			if box.Min.X < r.Min.X+2 || box.Max.X > r.Max.X-2 || box.Min.Y < r.Min.Y+2 || box.Max.Y > r.Max.Y-2 {
				if l.r == 0 {
					break
				}
				continue
			}
			if !overlapsAny(box, placed) && (l.r == 0 || !overlapsAnyDot(box, dots, l.at)) {
				ok = true
				break
			}
			if l.r == 0 {
				break
			}
		}
		if !ok {
			continue
		}
		placed = append(placed, box)
		shown++
		c.SetColor(withAlpha(m.Style.Background, 0xD8))
		c.Fill(box.Path())
		c.FillText(ts, vg.Point{X: box.Min.X + 3, Y: box.Min.Y + 1 + ts.FontExtents().Descent*0}, l.text)
	}
}

func overlapsAny(b vg.Rectangle, rs []vg.Rectangle) bool {
	for _, r := range rs {
		if b.Min.X < r.Max.X && r.Min.X < b.Max.X && b.Min.Y < r.Max.Y && r.Min.Y < b.Max.Y {
			return true
		}
	}
	return false
}

// overlapsAnyDot reports whether b covers a dot other than the one at own.
func overlapsAnyDot(b vg.Rectangle, dots []vg.Rectangle, own vg.Point) bool {
	for _, r := range dots {
		cx, cy := (r.Min.X+r.Max.X)/2, (r.Min.Y+r.Max.Y)/2
		if math.Abs(float64(cx-own.X)) < 0.5 && math.Abs(float64(cy-own.Y)) < 0.5 {
			continue
		}
		if b.Min.X < r.Max.X && r.Min.X < b.Max.X && b.Min.Y < r.Max.Y && r.Min.Y < b.Max.Y {
			return true
		}
	}
	return false
}

// strikesKilled is "10 strikes, 59–63 killed".
func strikesKilled(n, lo, hi int) string {
	s := FormatInt(n) + " " + plural(n, "strike", "strikes")
	switch {
	case hi == 0:
		return s
	case lo == hi:
		return s + ", " + FormatInt(lo) + " killed"
	}
	return s + ", " + FormatInt(lo) + "–" + FormatInt(hi) + " killed"
}

// PointAt returns the index in Points of the dot drawn under (x, y), in pixels from the
// top left of a w x h image made by Chart.Image(w, h) (the GUI's raster), and false when
// there is none within a few pixels. It uses the transform of the last Draw.
func (m *MapView) PointAt(x, y float64, w, h int) (int, bool) {
	if !m.last.ok {
		return -1, false
	}
	dpi := float64(Pixels(w, h).DPI)
	px := vg.Length(x * 72 / dpi)
	py := vg.Length((float64(h) - y) * 72 / dpi)
	best, bestD := -1, math.Inf(1)
	slack := vg.Length(4 * 72 / dpi)
	for _, d := range m.last.drawn {
		dist := math.Hypot(float64(d.at.X-px), float64(d.at.Y-py))
		if dist <= float64(d.r+slack) && dist < bestD {
			best, bestD = d.i, dist
		}
	}
	return best, best >= 0
}

// PanZoom returns the extent after moving the view by (dx, dy), a share of the picture's
// width and height (positive: the content moves right and up), and zooming by factor
// around the view's centre (2 shows half as much). It works from the last Draw's frame.
func (m *MapView) PanZoom(dx, dy, factor float64) geo.Rect {
	fr := m.last.frame
	if !m.last.ok {
		return m.Extent
	}
	if factor <= 0 {
		factor = 1
	}
	cx := (fr.X0+fr.X1)/2 - dx*fr.Width()
	cy := (fr.Y0+fr.Y1)/2 - dy*fr.Height()
	hw, hh := fr.Width()/2/factor, fr.Height()/2/factor
	nf := geo.Frame{Proj: fr.Proj, X0: cx - hw, Y0: cy - hh, X1: cx + hw, Y1: cy + hh}
	e := nf.Extent()
	if e.Max.Lon-e.Min.Lon >= 300 {
		return geo.WorldExtent
	}
	return e
}

var _ = strconv.Itoa
var _ = fmt.Sprint
