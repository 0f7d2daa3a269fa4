package importers

import (
	"strconv"

	"sitrep/geo"
)

// Swapped coordinates. Some files put the longitude in the latitude column (the Pakistan
// drone-strike list does in its last 14 rows). The importer swaps a pair back, and says so
// in the audit, when
//   - the latitude is beyond ±90 and the longitude is not: "69.6, 32.1" cannot be read
//     the other way round;
//   - or the point falls outside the country the row names, and the swapped point inside it;
//   - or, for rows that name no country, outside the country most of the sheet's first
//     points fall in, and the swapped point inside it.
//
// The test costs a bounding-box check per row; the point-in-country test runs only for the
// first sampleSize points of a sheet (to find its main country) and for suspect rows.

const (
	// nearDeg is how far outside its country's 1:50m outline a point still counts as in it
	// (about 30 km): coastal towns fall just offshore, border villages just across.
	nearDeg    = 0.3
	sampleSize = 200 // points a sheet's main country is read from
	minMain    = 5   // points in that country needed before it counts
	mainShare  = 0.6 // and its share of the sampled points
)

// coordCheck is the per-sheet state of the swap test.
type coordCheck struct {
	atlas   *geo.Atlas
	sampled int
	counts  map[*geo.Feature]int
	main    *geo.Feature
}

func (sh *sheetParser) coordChecker() *coordCheck {
	if sh.cc == nil {
		sh.cc = &coordCheck{atlas: geo.World(), counts: map[*geo.Feature]int{}}
	}
	return sh.cc
}

// swappedPair returns the pair read the other way round when lat is beyond ±90 and lon is
// a valid latitude.
func swappedPair(lat, lon float64) (float64, float64, bool) {
	if (lat < -90 || lat > 90) && lat >= -180 && lat <= 180 && lon >= -90 && lon <= 90 {
		return lon, lat, true
	}
	return lat, lon, false
}

// noteSwapped puts the audit note of a swapped pair.
func (sh *sheetParser) noteSwapped(r *rowResult, col int, lat, lon float64, why string) {
	sh.problem(r, col, fmtCoord(lon)+", "+fmtCoord(lat), LevelNote,
		"latitude and longitude swapped (%s); read as latitude %s, longitude %s", why, fmtCoord(lat), fmtCoord(lon))
}

func fmtCoord(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// checkSwap tests a valid pair against the row's country (or the sheet's main country) and
// returns it swapped, with a note, when only the swapped point lies in that country.
func (sh *sheetParser) checkSwap(r *rowResult, col int, country string, lat, lon float64) (float64, float64) {
	cc := sh.coordChecker()
	p := geo.Point{Lon: lon, Lat: lat}
	var want *geo.Feature
	if country != "" {
		want = cc.atlas.Country(country)
	}
	if want == nil {
		if cc.sampled < sampleSize {
			cc.sampled++
			if f := cc.atlas.CountryAt(p); f != nil {
				cc.counts[f]++
				if n := cc.counts[f]; n >= minMain && float64(n) >= mainShare*float64(cc.sampled) {
					cc.main = f
				} else if cc.main == f && float64(n) < mainShare*float64(cc.sampled) {
					cc.main = nil
				}
			}
		}
		want = cc.main
	}
	if want == nil {
		return lat, lon
	}
	if geo.Near(want, p, nearDeg) {
		return lat, lon
	}
	sw := geo.Point{Lon: lat, Lat: lon}
	if lon < -90 || lon > 90 || !geo.Contains(want, sw) {
		return sh.checkSign(r, col, country, want, lat, lon)
	}
	why := fmtCoord(lat) + ", " + fmtCoord(lon) + " is outside " + want.Name
	if at := cc.atlas.CountryAt(p); at != nil {
		why = fmtCoord(lat) + ", " + fmtCoord(lon) + " is in " + at.Name + ", not " + want.Name
	}
	if country == "" {
		why += ", where most of this sheet's points are"
	}
	sh.noteSwapped(r, col, lon, lat, why)
	return lon, lat
}

// coordCol is the column coordinates are read from, for the audit: the latitude column, else
// the "lat,long" column.
func (sh *sheetParser) coordCol() int {
	if c, ok := sh.col[FieldLat]; ok {
		return c
	}
	if c, ok := sh.col[FieldLatLon]; ok {
		return c
	}
	return -1
}

// checkSign handles a point outside the country it should be in whose swap is not in it
// either: a flipped sign ("-42.99" for 42.99 east, common in hand-typed files) is put right
// when the mirrored point lies well inside the country; otherwise, when the row names its
// country and the point lies in another one, the audit says so and the point is kept.
func (sh *sheetParser) checkSign(r *rowResult, col int, country string, want *geo.Feature, lat, lon float64) (float64, float64) {
	for _, m := range [][2]float64{{lat, -lon}, {-lat, lon}, {-lat, -lon}} {
		q := geo.Point{Lon: m[1], Lat: m[0]}
		// Well inside, not just near: a mirrored point must not land on a border by chance.
		if geo.Contains(want, q) && !geo.Near(want, geo.Point{Lon: lon, Lat: lat}, 1) {
			sh.problem(r, col, fmtCoord(lat)+", "+fmtCoord(lon), LevelNote,
				"the sign of the coordinates looks flipped (%s, %s is outside %s, %s, %s inside it); read as latitude %s, longitude %s",
				fmtCoord(lat), fmtCoord(lon), want.Name, fmtCoord(m[0]), fmtCoord(m[1]), fmtCoord(m[0]), fmtCoord(m[1]))
			return m[0], m[1]
		}
	}
	if country == "" {
		return lat, lon
	}
	// A point at sea may well be "off" the country the row names (a boat strike); a point in
	// another country is worth a look.
	if at := sh.coordChecker().atlas.CountryAt(geo.Point{Lon: lon, Lat: lat}); at != nil && at != want {
		sh.problem(r, col, fmtCoord(lat)+", "+fmtCoord(lon), LevelNote,
			"the coordinates are in %s, not in %s (the country column); kept as written", at.Name, want.Name)
	}
	return lat, lon
}

// nullIsland reports the pair 0, 0: the usual placeholder for an unknown position.
func nullIsland(lat, lon float64) bool { return lat == 0 && lon == 0 }
