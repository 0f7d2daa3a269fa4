package geo

import (
	"bytes"
	"fmt"
	"math"
	"strings"
	"sync"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"sitrep/assets"
	"sitrep/geo/mapfile"
)

// Point, Rect, Polygon and Feature are the map file's types.
type (
	Point   = mapfile.Point
	Rect    = mapfile.Rect
	Polygon = mapfile.Polygon
	Feature = mapfile.Feature
)

// NoRect is the empty box that Rect.Extend starts from.
var NoRect = mapfile.NoRect

// Atlas is the world map: countries at two levels of detail and named seas, with name
// lookups. It is read-only and safe for concurrent use.
type Atlas struct {
	// Countries are the 1:50m outlines (for regional maps and for point-in-country tests).
	Countries []Feature
	// Coarse are the 1:110m outlines (for world maps), in no particular order.
	Coarse []Feature
	// Seas are the named seas.
	Seas []Feature

	names    map[string]*Feature // normalized names and codes of countries and seas
	text     map[string]*Feature // names good for finding in free text
	maxWords int
	anchors  sync.Map // *Feature -> Point
	seaOff   sync.Map // *Feature -> *Feature
}

var (
	worldOnce sync.Once
	world     *Atlas
)

// World returns the atlas decoded from the embedded map data, decoding it on first use
// (about 30 ms).
func World() *Atlas {
	worldOnce.Do(func() {
		a, err := Load(assets.WorldMap())
		if err != nil {
			panic(fmt.Errorf("geo: embedded map data: %w", err)) // fixed at build time, tested
		}
		world = a
	})
	return world
}

// Load decodes map data written by mapfile.Encode with the layers countries-110m,
// countries-50m and seas.
func Load(data []byte) (*Atlas, error) {
	layers, err := mapfile.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	a := &Atlas{names: map[string]*Feature{}, text: map[string]*Feature{}}
	for _, l := range layers {
		switch l.Name {
		case "countries-110m":
			a.Coarse = l.Features
		case "countries-50m":
			a.Countries = l.Features
		case "seas":
			a.Seas = l.Features
		}
	}
	for _, l := range [][]Feature{a.Countries, a.Coarse} {
		for i := range l {
			splitAntimeridian(&l[i])
		}
	}
	if len(a.Countries) == 0 || len(a.Seas) == 0 {
		return nil, fmt.Errorf("map data without countries or seas: %w", mapfile.ErrAtlas)
	}
	add := func(f *Feature, s string, inText bool) {
		k := Normalize(s)
		if k == "" {
			return
		}
		if _, taken := a.names[k]; !taken {
			a.names[k] = f
		}
		if inText && len(k) >= 4 {
			if _, taken := a.text[k]; !taken {
				a.text[k] = f
				a.maxWords = max(a.maxWords, strings.Count(k, " ")+1)
			}
		}
	}
	// Seas first: "Eastern Pacific" is a sea, not a country.
	for i := range a.Seas {
		f := &a.Seas[i]
		add(f, f.Name, true)
		for _, n := range f.Names {
			add(f, n, true)
		}
	}
	for i := range a.Countries {
		f := &a.Countries[i]
		add(f, f.Name, true)
		for _, n := range f.Names {
			add(f, n, true)
		}
		add(f, f.ISO2, false)
		add(f, f.ISO3, false)
	}
	return a, nil
}

// Normalize folds a place name for lookups: lower case, accents removed, punctuation as
// spaces, a leading "the" dropped ("  The Côte-d'Ivoire " gives "cote d ivoire").
func Normalize(s string) string {
	var b strings.Builder
	space := true
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(unicode.ToLower(r))
			space = false
		case r == '\'' || r == '’':
			continue
		default:
			if !space {
				b.WriteByte(' ')
				space = true
			}
		}
	}
	out := strings.TrimSpace(b.String())
	return strings.TrimPrefix(out, "the ")
}

// Lookup finds a country or sea by name, variant or ISO code ("Venezuela", "VEN", "VE",
// "Caribbean", "Eastern Pacific"); nil when none matches.
func (a *Atlas) Lookup(name string) *Feature {
	return a.names[Normalize(name)]
}

// Country finds a country by name, variant or ISO code; nil when none matches.
func (a *Atlas) Country(name string) *Feature {
	if f := a.Lookup(name); f != nil && f.Kind == mapfile.KindCountry {
		return f
	}
	return nil
}

// Sea finds a named sea; nil when none matches.
func (a *Atlas) Sea(name string) *Feature {
	if f := a.Lookup(name); f != nil && f.Kind == mapfile.KindSea {
		return f
	}
	return nil
}

// find returns the first country or sea of the given kind named in free text, the longest
// name first at each word ("Papua New Guinea" before "Guinea"), and the index of the word
// after it. kind 0 accepts both.
func (a *Atlas) find(text string, kind mapfile.FeatureKind, from int) (*Feature, int, int) {
	words := strings.Fields(Normalize(text))
	for i := from; i < len(words); i++ {
		for n := min(a.maxWords, len(words)-i); n >= 1; n-- {
			f := a.text[strings.Join(words[i:i+n], " ")]
			if f != nil && (kind == 0 || f.Kind == kind) {
				return f, i, i + n
			}
		}
	}
	return nil, -1, -1
}

// FindIn returns the first country or sea named in free text ("International waters off
// Venezuela" names Venezuela); nil when there is none.
func (a *Atlas) FindIn(text string) *Feature {
	f, _, _ := a.find(text, 0, 0)
	return f
}

// CountryAt returns the country whose 1:50m outline holds p, or nil (at sea, or on a coast
// the outline cuts off).
func (a *Atlas) CountryAt(p Point) *Feature {
	for i := range a.Countries {
		f := &a.Countries[i]
		if f.Bounds.Contains(p) && Contains(f, p) {
			return f
		}
	}
	return nil
}

// SeaAt returns the named sea that holds p, or nil.
func (a *Atlas) SeaAt(p Point) *Feature {
	for i := range a.Seas {
		f := &a.Seas[i]
		if f.Bounds.Contains(p) && Contains(f, p) {
			return f
		}
	}
	return nil
}

// Contains reports whether p lies inside f (even-odd over each polygon's rings).
func Contains(f *Feature, p Point) bool {
	if !f.Bounds.Contains(p) {
		return false
	}
	for _, poly := range f.Polygons {
		in := false
		for _, ring := range poly {
			if ringContains(ring, p) {
				in = !in
			}
		}
		if in {
			return true
		}
	}
	return false
}

func ringContains(r []Point, p Point) bool {
	in := false
	for i, j := 0, len(r)-1; i < len(r); j, i = i, i+1 {
		a, b := r[i], r[j]
		if (a.Lat > p.Lat) != (b.Lat > p.Lat) && p.Lon < (b.Lon-a.Lon)*(p.Lat-a.Lat)/(b.Lat-a.Lat)+a.Lon {
			in = !in
		}
	}
	return in
}

// Anchor returns a point well inside f to hang its label on: of a grid of points over its
// largest polygon, the one farthest from the outline.
func (a *Atlas) Anchor(f *Feature) Point {
	if v, ok := a.anchors.Load(f); ok {
		return v.(Point)
	}
	p := anchor(f)
	a.anchors.Store(f, p)
	return p
}

func anchor(f *Feature) Point {
	var best Polygon
	bestArea := -1.0
	for _, poly := range f.Polygons {
		if len(poly) == 0 {
			continue
		}
		if ar := math.Abs(ringArea(poly[0])); ar > bestArea {
			best, bestArea = poly, ar
		}
	}
	if best == nil {
		return Point{Lon: (f.Bounds.Min.Lon + f.Bounds.Max.Lon) / 2, Lat: (f.Bounds.Min.Lat + f.Bounds.Max.Lat) / 2}
	}
	// Over every polygon of a sea (a sea is cut in pieces), over the largest of a country.
	polys := []Polygon{best}
	box := NoRect
	if f.Kind == mapfile.KindSea {
		polys = f.Polygons
		box = f.Bounds
	} else {
		for _, p := range best[0] {
			box = box.Extend(p)
		}
	}
	inside := func(p Point) bool {
		for _, poly := range polys {
			in := false
			for _, ring := range poly {
				if ringContains(ring, p) {
					in = !in
				}
			}
			if in {
				return true
			}
		}
		return false
	}
	var edges []Point
	for _, poly := range polys {
		for _, ring := range poly {
			edges = append(edges, ring...)
		}
	}
	step := max(1, len(edges)/400)
	cand := Point{Lon: (box.Min.Lon + box.Max.Lon) / 2, Lat: (box.Min.Lat + box.Max.Lat) / 2}
	bestD := -1.0
	const n = 24
	coslat := math.Cos(cand.Lat * math.Pi / 180)
	for i := range n {
		for j := range n {
			p := Point{Lon: box.Min.Lon + (float64(i)+0.5)*(box.Max.Lon-box.Min.Lon)/n, Lat: box.Min.Lat + (float64(j)+0.5)*(box.Max.Lat-box.Min.Lat)/n}
			if !inside(p) {
				continue
			}
			d := math.Inf(1)
			for k := 0; k < len(edges); k += step {
				dx, dy := (edges[k].Lon-p.Lon)*coslat, edges[k].Lat-p.Lat
				d = math.Min(d, dx*dx+dy*dy)
			}
			if d > bestD {
				cand, bestD = p, d
			}
		}
	}
	return cand
}

func ringArea(r []Point) float64 {
	var s float64
	for i := range r {
		j := (i + 1) % len(r)
		s += r[i].Lon*r[j].Lat - r[j].Lon*r[i].Lat
	}
	return s / 2
}

// SeaOff returns the named sea nearest a country (its coast within about 8 degrees), for
// places such as "off Venezuela"; nil when no named sea is near.
func (a *Atlas) SeaOff(country *Feature) *Feature {
	if v, ok := a.seaOff.Load(country); ok {
		return v.(*Feature)
	}
	c := a.Anchor(country)
	coslat := math.Cos(c.Lat * math.Pi / 180)
	var best *Feature
	bestD := 8.0 * 8.0
	for i := range a.Seas {
		s := &a.Seas[i]
		for _, poly := range s.Polygons {
			for _, ring := range poly {
				for _, p := range ring {
					dx, dy := (p.Lon-c.Lon)*coslat, p.Lat-c.Lat
					if d := dx*dx + dy*dy; d < bestD {
						best, bestD = s, d
					}
				}
			}
		}
	}
	a.seaOff.Store(country, best)
	return best
}

// Near reports whether p lies inside f or within tol degrees (about tol × 111 km) of its
// outline: a coastal town whose coordinates fall just offshore of a 1:50m coastline, or a
// village on a border, is near its country.
func Near(f *Feature, p Point, tol float64) bool {
	b := f.Bounds
	if p.Lon < b.Min.Lon-tol || p.Lon > b.Max.Lon+tol || p.Lat < b.Min.Lat-tol || p.Lat > b.Max.Lat+tol {
		return false
	}
	if Contains(f, p) {
		return true
	}
	k := math.Cos(p.Lat * math.Pi / 180)
	t2 := tol * tol
	for _, poly := range f.Polygons {
		for _, ring := range poly {
			for i := 1; i < len(ring); i++ {
				if segDist2(ring[i-1], ring[i], p, k) <= t2 {
					return true
				}
			}
		}
	}
	return false
}

// segDist2 is the squared distance from p to the segment a-b, longitudes scaled by k.
func segDist2(a, b, p Point, k float64) float64 {
	ax, ay := (a.Lon-p.Lon)*k, a.Lat-p.Lat
	bx, by := (b.Lon-p.Lon)*k, b.Lat-p.Lat
	dx, dy := bx-ax, by-ay
	t := 0.0
	if l := dx*dx + dy*dy; l > 0 {
		t = math.Max(0, math.Min(1, -(ax*dx+ay*dy)/l))
	}
	x, y := ax+t*dx, ay+t*dy
	return x*x + y*y
}
