package geo

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Projection maps longitude and latitude to a plane: x grows east, y north, in units of
// about one degree of latitude near the projection's centre.
type Projection interface {
	Forward(p Point) (x, y float64)
	Inverse(x, y float64) Point
	// Name says which projection it is, for a caption.
	Name() string
	// KmPerUnit is the ground distance of one plane unit near the centre, for a scale bar; 0
	// when the scale varies too much across the map for one bar (a world map).
	KmPerUnit() float64
}

// kmPerDegree is a degree of latitude (the mean of the meridian's).
const kmPerDegree = 111.2

// Equirect is the equirectangular projection with its standard parallel at Lat0: degrees
// of longitude shrink by cos(Lat0), so shapes near the centre keep their proportions. It
// suits a region up to a few thousand kilometres across.
type Equirect struct{ Lon0, Lat0 float64 }

// Forward implements Projection.
func (e Equirect) Forward(p Point) (float64, float64) {
	return (p.Lon - e.Lon0) * math.Cos(e.Lat0*math.Pi/180), p.Lat
}

// Inverse implements Projection.
func (e Equirect) Inverse(x, y float64) Point {
	return Point{Lon: x/math.Cos(e.Lat0*math.Pi/180) + e.Lon0, Lat: y}
}

// Name implements Projection.
func (e Equirect) Name() string {
	return fmt.Sprintf("equirectangular projection, true to scale at %s", FormatLat(math.Round(e.Lat0)))
}

// KmPerUnit implements Projection.
func (e Equirect) KmPerUnit() float64 { return kmPerDegree }

// EqualEarth is the Equal Earth projection (Šavrič, Patterson and Jenny, 2018): equal-area,
// with straight parallels, for the world or a continent.
type EqualEarth struct{ Lon0 float64 }

const (
	eeA1, eeA2, eeA3, eeA4 = 1.340264, -0.081106, 0.000893, 0.003796
	eeScale                = 180 / math.Pi
)

var eeM = math.Sqrt(3) / 2

// Forward implements Projection.
func (e EqualEarth) Forward(p Point) (float64, float64) {
	lam := wrapLon(p.Lon-e.Lon0) * math.Pi / 180
	th := math.Asin(eeM * math.Sin(p.Lat*math.Pi/180))
	t2 := th * th
	t6 := t2 * t2 * t2
	d := 9*eeA4*t6*t2 + 7*eeA3*t6 + 3*eeA2*t2 + eeA1
	x := 2 * math.Sqrt(3) * lam * math.Cos(th) / (3 * d)
	y := th * (eeA1 + eeA2*t2 + t6*(eeA3+eeA4*t2))
	return x * eeScale, y * eeScale
}

// Inverse implements Projection (Newton's method on the parametric latitude).
func (e EqualEarth) Inverse(x, y float64) Point {
	x, y = x/eeScale, y/eeScale
	th := y
	for range 12 {
		t2 := th * th
		t6 := t2 * t2 * t2
		f := th*(eeA1+eeA2*t2+t6*(eeA3+eeA4*t2)) - y
		fp := eeA1 + 3*eeA2*t2 + t6*(7*eeA3+9*eeA4*t2)
		d := f / fp
		th -= d
		if math.Abs(d) < 1e-12 {
			break
		}
	}
	t2 := th * th
	t6 := t2 * t2 * t2
	fp := eeA1 + 3*eeA2*t2 + t6*(7*eeA3+9*eeA4*t2)
	lam := 3 * x * fp / (2 * math.Sqrt(3) * math.Cos(th))
	s := math.Sin(th) / eeM
	s = math.Max(-1, math.Min(1, s))
	return Point{Lon: e.Lon0 + lam*180/math.Pi, Lat: math.Asin(s) * 180 / math.Pi}
}

// Name implements Projection.
func (e EqualEarth) Name() string { return "Equal Earth projection" }

// KmPerUnit implements Projection: 0, a world map gets a graticule and no scale bar.
func (e EqualEarth) KmPerUnit() float64 { return 0 }

func wrapLon(l float64) float64 {
	for l > 180 {
		l -= 360
	}
	for l < -180 {
		l += 360
	}
	return l
}

// WorldExtent is the extent of a world map: every longitude, from 58°S (Antarctica left
// out) to 84°N.
var WorldExtent = Rect{Min: Point{Lon: -180, Lat: -58}, Max: Point{Lon: 180, Lat: 84}}

// IsWorld reports whether r is the world extent.
func IsWorld(r Rect) bool { return r == WorldExtent }

// Extent limits.
const (
	// MinExtentDeg is the smallest extent shown: one strike alone still shows its region
	// (about 700 km across).
	MinExtentDeg = 6
	// padFrac is the context added around the data on every side, as a share of its span.
	padFrac = 0.15
)

// AutoExtent returns the extent that shows box (the data's bounds) with a little context
// around it: 15% of its span on every side, at least MinExtentDeg across, within the
// world; the world itself when the data spans more than half of it (or when box is empty).
func AutoExtent(box Rect) Rect {
	if box.Empty() || math.IsInf(box.Min.Lon, 0) {
		return WorldExtent
	}
	w, h := box.Max.Lon-box.Min.Lon, box.Max.Lat-box.Min.Lat
	padX, padY := math.Max(w*padFrac, 1), math.Max(h*padFrac, 1)
	r := Rect{Min: Point{Lon: box.Min.Lon - padX, Lat: box.Min.Lat - padY}, Max: Point{Lon: box.Max.Lon + padX, Lat: box.Max.Lat + padY}}
	if grow := MinExtentDeg - (r.Max.Lon - r.Min.Lon); grow > 0 {
		r.Min.Lon -= grow / 2
		r.Max.Lon += grow / 2
	}
	if grow := MinExtentDeg - (r.Max.Lat - r.Min.Lat); grow > 0 {
		r.Min.Lat -= grow / 2
		r.Max.Lat += grow / 2
	}
	if r.Max.Lon-r.Min.Lon >= 180 || r.Max.Lat-r.Min.Lat >= 100 {
		return WorldExtent
	}
	return clampRect(r)
}

func clampRect(r Rect) Rect {
	r.Min.Lon, r.Max.Lon = math.Max(r.Min.Lon, -180), math.Min(r.Max.Lon, 180)
	r.Min.Lat, r.Max.Lat = math.Max(r.Min.Lat, -85), math.Min(r.Max.Lat, 85)
	return r
}

// ProjectionFor returns the projection for an extent: Equal Earth for the world or a
// continent (more than 90 degrees of longitude), else equirectangular true to scale at its
// middle latitude.
func ProjectionFor(ext Rect) Projection {
	lon0 := (ext.Min.Lon + ext.Max.Lon) / 2
	if ext.Max.Lon-ext.Min.Lon > 90 {
		if IsWorld(ext) {
			lon0 = 0
		}
		return EqualEarth{Lon0: lon0}
	}
	return Equirect{Lon0: lon0, Lat0: (ext.Min.Lat + ext.Max.Lat) / 2}
}

// Frame is a window on the projected plane: what a map of a given aspect shows.
type Frame struct {
	Proj           Projection
	X0, Y0, X1, Y1 float64
}

// Fit returns the frame that holds all of ext under p, widened or heightened to the aspect
// (width over height) of the picture it is drawn in, keeping its centre.
func Fit(ext Rect, p Projection, aspect float64) Frame {
	f := Frame{Proj: p, X0: math.Inf(1), Y0: math.Inf(1), X1: math.Inf(-1), Y1: math.Inf(-1)}
	const n = 32
	for i := 0; i <= n; i++ {
		t := float64(i) / n
		for _, q := range []Point{
			{Lon: ext.Min.Lon + t*(ext.Max.Lon-ext.Min.Lon), Lat: ext.Min.Lat},
			{Lon: ext.Min.Lon + t*(ext.Max.Lon-ext.Min.Lon), Lat: ext.Max.Lat},
			{Lon: ext.Min.Lon, Lat: ext.Min.Lat + t*(ext.Max.Lat-ext.Min.Lat)},
			{Lon: ext.Max.Lon, Lat: ext.Min.Lat + t*(ext.Max.Lat-ext.Min.Lat)},
		} {
			x, y := p.Forward(q)
			f.X0, f.Y0, f.X1, f.Y1 = math.Min(f.X0, x), math.Min(f.Y0, y), math.Max(f.X1, x), math.Max(f.Y1, y)
		}
	}
	if aspect > 0 {
		w, h := f.X1-f.X0, f.Y1-f.Y0
		if w/h < aspect {
			grow := (h*aspect - w) / 2
			f.X0, f.X1 = f.X0-grow, f.X1+grow
		} else {
			grow := (w/aspect - h) / 2
			f.Y0, f.Y1 = f.Y0-grow, f.Y1+grow
		}
	}
	return f
}

// Width and Height are the frame's size in plane units.
func (f Frame) Width() float64  { return f.X1 - f.X0 }
func (f Frame) Height() float64 { return f.Y1 - f.Y0 }

// Extent returns the longitude-latitude box the frame shows (sampled along its edges),
// for panning and zooming in the extent's own terms.
func (f Frame) Extent() Rect {
	r := NoRect
	const n = 16
	for i := 0; i <= n; i++ {
		t := float64(i) / n
		for _, q := range [][2]float64{
			{f.X0 + t*f.Width(), f.Y0}, {f.X0 + t*f.Width(), f.Y1},
			{f.X0, f.Y0 + t*f.Height()}, {f.X1, f.Y0 + t*f.Height()},
		} {
			p := f.Proj.Inverse(q[0], q[1])
			if !math.IsNaN(p.Lon) && !math.IsNaN(p.Lat) {
				r = r.Extend(p)
			}
		}
	}
	return clampRect(r)
}

// ErrExtent is wrapped by errors about an extent.
var ErrExtent = errors.New("bad extent")

// ParseExtent reads "auto" (or ""), "world", or a box "LAT1,LON1,LAT2,LON2" (two opposite
// corners, in decimal degrees). auto is true for "auto": the caller then uses AutoExtent
// over its data.
func ParseExtent(s string) (ext Rect, auto bool, err error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "auto":
		return Rect{}, true, nil
	case "world":
		return WorldExtent, false, nil
	}
	parts := strings.Split(s, ",")
	bad := fmt.Errorf("extent %q: want auto, world or LAT1,LON1,LAT2,LON2 in degrees: %w", s, ErrExtent)
	if len(parts) != 4 {
		return Rect{}, false, bad
	}
	var v [4]float64
	for i, p := range parts {
		f, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return Rect{}, false, bad
		}
		v[i] = f
	}
	lat1, lon1, lat2, lon2 := v[0], v[1], v[2], v[3]
	if math.Abs(lat1) > 90 || math.Abs(lat2) > 90 || math.Abs(lon1) > 180 || math.Abs(lon2) > 180 {
		return Rect{}, false, fmt.Errorf("extent %q: latitudes run from -90 to 90 and longitudes from -180 to 180: %w", s, ErrExtent)
	}
	if lat1 == lat2 || lon1 == lon2 {
		return Rect{}, false, fmt.Errorf("extent %q: the two corners must differ in latitude and in longitude: %w", s, ErrExtent)
	}
	return clampRect(Rect{Min: Point{Lon: math.Min(lon1, lon2), Lat: math.Min(lat1, lat2)}, Max: Point{Lon: math.Max(lon1, lon2), Lat: math.Max(lat1, lat2)}}), false, nil
}

// FormatLat writes a latitude as "15°N"; FormatLon a longitude as "80°W".
func FormatLat(v float64) string { return formatDeg(v, "N", "S") }

// FormatLon writes a longitude as "80°W".
func FormatLon(v float64) string { return formatDeg(wrapLon(v), "E", "W") }

func formatDeg(v float64, pos, neg string) string {
	if v == 0 {
		return "0°"
	}
	h := pos
	if v < 0 {
		h, v = neg, -v
	}
	if v == 0 {
		h = ""
	}
	return strconv.FormatFloat(v, 'f', -1, 64) + "°" + h
}

// GraticuleStep returns a round spacing in degrees that gives about four to eight lines
// across span degrees.
func GraticuleStep(span float64) float64 {
	for _, s := range []float64{0.25, 0.5, 1, 2, 5, 10, 15, 30} {
		if span/s <= 8 {
			return s
		}
	}
	return 30
}

// DataBox returns the box an automatic extent should hold for these points: all of them,
// unless a few (at most 2%, as a typo in a coordinate makes) lie far from the rest, more
// than half the span of the middle 98% (and at least 2 degrees) beyond it; those are left
// out, and the caller says how many points the map does not show.
func DataBox(pts []Point) Rect {
	box := NoRect
	for _, p := range pts {
		box = box.Extend(p)
	}
	if len(pts) < 50 {
		return box
	}
	lons := make([]float64, len(pts))
	lats := make([]float64, len(pts))
	for i, p := range pts {
		lons[i], lats[i] = p.Lon, p.Lat
	}
	slices.Sort(lons)
	slices.Sort(lats)
	lo, hi := len(pts)/100, len(pts)-1-len(pts)/100
	mx := math.Max((lons[hi]-lons[lo])/2, 2)
	my := math.Max((lats[hi]-lats[lo])/2, 2)
	region := Rect{Min: Point{Lon: lons[lo] - mx, Lat: lats[lo] - my}, Max: Point{Lon: lons[hi] + mx, Lat: lats[hi] + my}}
	core := NoRect
	out := 0
	for _, p := range pts {
		if region.Contains(p) {
			core = core.Extend(p)
		} else {
			out++
		}
	}
	if out == 0 || out*50 > len(pts) {
		return box
	}
	return core
}
