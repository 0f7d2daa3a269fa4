package charts

import (
	"errors"
	"fmt"
	"image/color"
	"strings"

	"sitrep/data"
	"sitrep/geo"
)

// ErrSpec is wrapped by errors about a chart spec: an unknown kind, rule, unit or theme.
var ErrSpec = errors.New("bad chart spec")

// Kind names a chart.
type Kind string

// The charts Build makes.
const (
	// KindStrikes is strikes (or vessels) per period, stacked by theatre.
	KindStrikes Kind = "strikes"
	// KindDeaths is deaths per period as bars, showing the min-max range.
	KindDeaths Kind = "deaths"
	// KindCumulative is the running total of deaths (or strikes, or vessels) as a line with
	// a min-max band.
	KindCumulative Kind = "cumulative"
	// KindTallies is the running total of the incident records next to the tallies that
	// officials and trackers published.
	KindTallies Kind = "tallies"
)

// Kinds lists the kinds Build makes, in menu order.
var Kinds = []Kind{KindStrikes, KindDeaths, KindCumulative, KindTallies}

// ParseKind reads a kind name.
func ParseKind(s string) (Kind, error) {
	k := Kind(strings.ToLower(strings.TrimSpace(s)))
	for _, v := range Kinds {
		if k == v {
			return k, nil
		}
	}
	if k == KindMap {
		return k, nil
	}
	return "", fmt.Errorf("chart kind %q: want strikes, deaths, cumulative, tallies or map: %w", s, ErrSpec)
}

// CountRule says how disputed figures (a range {min, max}) are counted.
type CountRule string

// The counting rules.
const (
	// CountRange shows both: the minimum, and how far the maximum goes above it.
	CountRange CountRule = "range"
	// CountMin counts every figure at its lower bound.
	CountMin CountRule = "min"
	// CountMax counts every figure at its upper bound (an open-ended "at least 6" counts 6).
	CountMax CountRule = "max"
)

// ParseCountRule reads "min", "max" or "range" ("" is range).
func ParseCountRule(s string) (CountRule, error) {
	switch r := CountRule(strings.ToLower(strings.TrimSpace(s))); r {
	case "", CountRange:
		return CountRange, nil
	case CountMin, CountMax:
		return r, nil
	}
	return "", fmt.Errorf("counting rule %q: want min, max or range: %w", s, ErrSpec)
}

// Describe says the rule in plain words for a caption.
func (r CountRule) Describe(what string) string {
	switch r {
	case CountMin:
		return what + " counted at the lowest reported figure"
	case CountMax:
		return what + " counted at the highest reported figure (an open-ended \"at least\" counts as its lower bound)"
	}
	return what + " shown as a range: the solid part is the lowest reported figure, the lighter part reaches the highest"
}

// Unit is what a chart counts.
type Unit string

// The units. Which ones a kind accepts: strikes: strikes, vessels; deaths: deaths;
// cumulative: deaths, strikes, vessels; tallies: deaths, strikes.
const (
	UnitStrikes Unit = "strikes"
	UnitVessels Unit = "vessels"
	UnitDeaths  Unit = "deaths"
)

// ParseUnit reads "strikes", "vessels" or "deaths" ("" leaves the kind's default).
func ParseUnit(s string) (Unit, error) {
	switch u := Unit(strings.ToLower(strings.TrimSpace(s))); u {
	case "", UnitStrikes, UnitVessels, UnitDeaths:
		return u, nil
	}
	return "", fmt.Errorf("unit %q: want strikes, vessels or deaths: %w", s, ErrSpec)
}

// Event is an annotation that is not a statement: a marker at a date with a short label.
type Event struct {
	Date  data.Date
	Label string
	// Color of the marker; nil is the style's foreground.
	Color color.Color
}

// Spec says which chart to build.
type Spec struct {
	Kind Kind
	// Period of the bars (strikes, deaths) or the resolution of the running totals
	// (cumulative, tallies). "" is a week for bars and a day for running totals.
	Period data.Period
	// Filter selects the incidents, statements and tallies shown.
	Filter data.Filter
	// Count is the counting rule for ranges; "" is CountRange.
	Count CountRule
	// Unit is what is counted; "" is the kind's default (strikes for KindStrikes, deaths
	// otherwise).
	Unit Unit
	// Annotate marks the statements the filter selects on the time axis.
	Annotate bool
	// Events are further annotations.
	Events []Event
	// Title replaces the default title.
	Title string
	// Theme is light or dark; "" is light.
	Theme Theme
	// By colours the points of a map ("" is by theatre).
	By Grouping
	// SplitDeaths stacks the deaths chart by the groups of the source's series (its
	// ByTheatre: theatres, another place level, or casualty categories) instead of drawing one
	// bar of deaths per period. The bars count the lowest reported figures (the highest with
	// CountMax).
	SplitDeaths bool
	// Extent is the region a map shows: "auto" (or "") zooms to the data with a little
	// context, "world" shows the world, "LAT1,LON1,LAT2,LON2" a box (see geo.ParseExtent).
	Extent string
}

// Normalize returns the spec with its defaults filled in, or an error wrapping ErrSpec when
// a field is unknown or the unit does not suit the kind.
func (s Spec) Normalize() (Spec, error) {
	k, err := ParseKind(string(s.Kind))
	if err != nil {
		return s, err
	}
	s.Kind = k
	if s.Count, err = ParseCountRule(string(s.Count)); err != nil {
		return s, err
	}
	if s.Theme, err = ParseTheme(string(s.Theme)); err != nil {
		return s, err
	}
	if s.Unit, err = ParseUnit(string(s.Unit)); err != nil {
		return s, err
	}
	if s.Period == "" {
		s.Period = data.PeriodWeek
		if s.Kind == KindCumulative || s.Kind == KindTallies {
			s.Period = data.PeriodDay
		}
	} else if s.Period, err = data.ParsePeriod(string(s.Period)); err != nil {
		return s, fmt.Errorf("%w: %w", err, ErrSpec)
	}
	if s.By, err = ParseGrouping(string(s.By)); err != nil {
		return s, err
	}
	if _, _, err := geo.ParseExtent(s.Extent); err != nil {
		return s, fmt.Errorf("%w: %w", err, ErrSpec)
	}
	allowed := map[Kind][]Unit{
		KindMap:        {UnitStrikes, UnitDeaths},
		KindStrikes:    {UnitStrikes, UnitVessels},
		KindDeaths:     {UnitDeaths},
		KindCumulative: {UnitDeaths, UnitStrikes, UnitVessels},
		KindTallies:    {UnitDeaths, UnitStrikes},
	}[s.Kind]
	if s.Unit == "" {
		s.Unit = allowed[0]
	}
	for _, u := range allowed {
		if u == s.Unit {
			return s, nil
		}
	}
	names := make([]string, len(allowed))
	for i, u := range allowed {
		names[i] = string(u)
	}
	return s, fmt.Errorf("a %s chart counts %s, not %s: %w", s.Kind, strings.Join(names, " or "), s.Unit, ErrSpec)
}
