package charts

import (
	"fmt"
	"strings"

	"sitrep/data"
)

// KindMap is the map of where incidents happened: points for incidents with coordinates,
// shaded countries and seas for the others. It is built by Build like the time charts but
// is not in Kinds (the list of charts over time).
const KindMap Kind = "map"

// Grouping is the field that colours the points of a map.
type Grouping string

// The groupings of a map.
const (
	GroupTheatre    Grouping = "theatre"
	GroupCountry    Grouping = "country"
	GroupActor      Grouping = "actor"
	GroupConfidence Grouping = "confidence"
	GroupPlacement  Grouping = "placement"
)

// Groupings lists the groupings, in menu order.
var Groupings = []Grouping{GroupTheatre, GroupCountry, GroupActor, GroupConfidence, GroupPlacement}

// ParseGrouping reads a grouping name ("" is theatre).
func ParseGrouping(s string) (Grouping, error) {
	g := Grouping(strings.ToLower(strings.TrimSpace(s)))
	if g == "" {
		return GroupTheatre, nil
	}
	for _, v := range Groupings {
		if g == v {
			return g, nil
		}
	}
	return "", fmt.Errorf("grouping %q: want theatre, country, actor, confidence or placement: %w", s, ErrSpec)
}

// groupOf is the value of grouping g in r ("" when the record has none).
func groupOf(g Grouping, r *data.Incident, placement string) string {
	switch g {
	case GroupCountry:
		return strings.TrimSpace(r.Country)
	case GroupActor:
		return strings.TrimSpace(r.Actor)
	case GroupConfidence:
		return strings.TrimSpace(r.Confidence)
	case GroupPlacement:
		return placement
	}
	return strings.TrimSpace(r.Theatre)
}
