package geo

import (
	"fmt"
	"strconv"
	"strings"

	"sitrep/data"
	"sitrep/geo/mapfile"
)

// Method says how an incident was placed on the map.
type Method uint8

// The ways an incident is placed, finest first.
const (
	// Unplaced: nothing in the record names a place the atlas knows.
	Unplaced Method = iota
	// ByCoords: the record's own latitude and longitude.
	ByCoords
	// ByCountry: the whole of a country, from its country, location or theatre.
	ByCountry
	// BySea: the whole of a named sea, from its location or theatre ("Caribbean",
	// "off Venezuela").
	BySea
)

// String says the method in the words the detail view and the caption use.
func (m Method) String() string {
	switch m {
	case ByCoords:
		return "coordinates from the file"
	case ByCountry:
		return "placed by country"
	case BySea:
		return "placed by sea"
	}
	return "not placed"
}

// Placement is where an incident goes on the map.
type Placement struct {
	Method Method
	// Point is the position of a ByCoords placement.
	Point Point
	// Area is the country or sea of a ByCountry or BySea placement.
	Area *Feature
	// Field is the field the place was read from ("country", "location", "theatre"), and
	// Text its value.
	Field, Text string
}

// Describe says how the incident was placed, for a detail view: "coordinates from the
// file (10.4500, -66.9000)", "placed by sea: Caribbean Sea (from the theatre
// "Caribbean")".
func (p Placement) Describe() string {
	switch p.Method {
	case ByCoords:
		return fmt.Sprintf("%s (%s, %s)", p.Method, strconv.FormatFloat(p.Point.Lat, 'f', 4, 64), strconv.FormatFloat(p.Point.Lon, 'f', 4, 64))
	case ByCountry, BySea:
		s := p.Method.String() + ": " + p.Area.Name
		if p.Field != "" {
			s += fmt.Sprintf(" (from the %s %q)", p.Field, p.Text)
		}
		return s
	}
	return "not placed: no coordinates, and no country or sea Sitrep knows in its country, location or theatre"
}

// offWords introduce the land a sea place is named after: "off Venezuela", "waters of
// Yemen", "frente a Colombia", "au large du Venezuela".
var offWords = [][]string{{"off"}, {"waters", "of"}, {"coast", "of"}, {"frente", "a"}, {"au", "large", "du"}, {"au", "large", "de"}, {"au", "large", "des"}}

// Place says where r goes: its coordinates when it has them; else a sea named in its
// location ("Eastern Pacific off Colombia"), the sea off a country named there ("off
// Venezuela"), its country, a country named in its location, then a sea or a country
// named in its theatre.
func (a *Atlas) Place(r *data.Incident) Placement {
	if r.HasCoords {
		return Placement{Method: ByCoords, Point: Point{Lon: r.Lon, Lat: r.Lat}}
	}
	if f, _, _ := a.find(r.Location, mapfile.KindSea, 0); f != nil {
		return Placement{Method: BySea, Area: f, Field: "location", Text: r.Location}
	}
	if c := a.offCountry(r.Location); c != nil {
		if s := a.SeaOff(c); s != nil {
			return Placement{Method: BySea, Area: s, Field: "location", Text: r.Location}
		}
	}
	if c := a.Country(r.Country); c != nil {
		return Placement{Method: ByCountry, Area: c, Field: "country", Text: r.Country}
	}
	if f, _, _ := a.find(r.Location, mapfile.KindCountry, 0); f != nil {
		return Placement{Method: ByCountry, Area: f, Field: "location", Text: r.Location}
	}
	if c := a.Country(r.Country); c == nil && strings.TrimSpace(r.Country) != "" {
		if f := a.FindIn(r.Country); f != nil && f.Kind == mapfile.KindCountry {
			return Placement{Method: ByCountry, Area: f, Field: "country", Text: r.Country}
		}
	}
	if f := a.Lookup(r.Theatre); f != nil {
		return a.areaPlacement(f, "theatre", r.Theatre)
	}
	if f := a.FindIn(r.Theatre); f != nil {
		return a.areaPlacement(f, "theatre", r.Theatre)
	}
	return Placement{}
}

func (a *Atlas) areaPlacement(f *Feature, field, text string) Placement {
	m := ByCountry
	if f.Kind == mapfile.KindSea {
		m = BySea
	}
	return Placement{Method: m, Area: f, Field: field, Text: text}
}

// offCountry returns the country after "off", "waters of" and the like in text.
func (a *Atlas) offCountry(text string) *Feature {
	words := strings.Fields(Normalize(text))
	for i := range words {
		for _, ow := range offWords {
			if i+len(ow) > len(words) || !equalWords(words[i:i+len(ow)], ow) {
				continue
			}
			rest := strings.Join(words[i+len(ow):], " ")
			if f, at, _ := a.find(rest, mapfile.KindCountry, 0); f != nil && at <= 1 {
				return f
			}
		}
	}
	return nil
}

func equalWords(a, b []string) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
