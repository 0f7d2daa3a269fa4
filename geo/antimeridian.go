package geo

import "math"

// splitAntimeridian cuts the polygons of f that cross the antimeridian (an edge longer
// than 180 degrees of longitude, as in Russia, Fiji or the Aleutians in Natural Earth's
// spherical outlines) into a part east and a part west of it, so that a flat map draws
// them without a stripe across the world.
func splitAntimeridian(f *Feature) {
	var out []Polygon
	changed := false
	for _, poly := range f.Polygons {
		if len(poly) == 0 || !crosses(poly[0]) || polar(poly[0]) {
			out = append(out, poly)
			continue
		}
		changed = true
		var east, west Polygon
		for _, ring := range poly {
			u := unwrap(ring)
			// u runs continuously, past 180 or below -180 by up to 180 degrees.
			a := clipLon(u, -540, 180)
			b := clipLon(u, 180, 540)
			c := clipLon(u, -540, -180)
			d := clipLon(u, -180, 540)
			if len(b) >= 3 {
				east, west = appendRing(east, a), appendRing(west, shift(b, -360))
			} else {
				east, west = appendRing(east, d), appendRing(west, shift(c, 360))
			}
		}
		if len(east) > 0 {
			out = append(out, east)
		}
		if len(west) > 0 {
			out = append(out, west)
		}
	}
	if changed {
		f.Polygons = out
	}
}

func appendRing(p Polygon, r []Point) Polygon {
	if len(r) >= 3 {
		return append(p, r)
	}
	return p
}

func crosses(r []Point) bool {
	for i := 1; i < len(r); i++ {
		if math.Abs(r[i].Lon-r[i-1].Lon) > 180 {
			return true
		}
	}
	return false
}

// polar reports whether a ring goes round a pole (Antarctica): unwrapped, it ends 360
// degrees from where it began.
func polar(r []Point) bool {
	u := unwrap(r)
	return math.Abs(u[len(u)-1].Lon-u[0].Lon) > 180
}

func unwrap(r []Point) []Point {
	out := make([]Point, len(r))
	off := 0.0
	for i, p := range r {
		if i > 0 {
			d := p.Lon + off - out[i-1].Lon
			if d > 180 {
				off -= 360
			} else if d < -180 {
				off += 360
			}
		}
		out[i] = Point{Lon: p.Lon + off, Lat: p.Lat}
	}
	return out
}

func shift(r []Point, d float64) []Point {
	out := make([]Point, len(r))
	for i, p := range r {
		out[i] = Point{Lon: p.Lon + d, Lat: p.Lat}
	}
	return out
}

// clipLon is Sutherland-Hodgman against the band lo <= lon <= hi.
func clipLon(r []Point, lo, hi float64) []Point {
	cut := func(in []Point, keep func(Point) bool, at float64) []Point {
		if len(in) == 0 {
			return nil
		}
		var out []Point
		prev := in[len(in)-1]
		for _, p := range in {
			if keep(p) != keep(prev) {
				t := (at - prev.Lon) / (p.Lon - prev.Lon)
				out = append(out, Point{Lon: at, Lat: prev.Lat + t*(p.Lat-prev.Lat)})
			}
			if keep(p) {
				out = append(out, p)
			}
			prev = p
		}
		return out
	}
	out := cut(r, func(p Point) bool { return p.Lon >= lo }, lo)
	return cut(out, func(p Point) bool { return p.Lon <= hi }, hi)
}
