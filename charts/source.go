package charts

import (
	"time"

	"sitrep/data"
)

// Source is what charts read from: *data.Store satisfies it. Tests and benchmarks hand in
// fakes.
type Source interface {
	// Aggregate sums the incidents the filter selects per period.
	Aggregate(f data.Filter, p data.Period) (data.Series, error)
	// Stats summarises the incidents the filter selects (dates, totals).
	Stats(f data.Filter) (data.Stats, error)
	// ForEachIncident streams the incidents the filter selects in date order; returning an
	// error from fn stops the walk. Charts use it to name the sources of what they show.
	ForEachIncident(f data.Filter, fn func(*data.Incident) error) error
	// Statements returns the statements the filter selects, in date order.
	Statements(f data.Filter) ([]data.Statement, error)
	// Tallies returns the published tallies the filter selects, in as-of order.
	Tallies(f data.Filter) ([]data.Tally, error)
	// HasDemoData reports whether the demo data is loaded.
	HasDemoData() (bool, error)
}

// VocabularySource is a Source that also knows the stance vocabulary (the store does);
// without it, charts colour stances with data.DefaultVocabulary.
type VocabularySource interface {
	Vocabulary() (data.Vocabulary, error)
}

// DistinctSource is a Source that can list every value of a field (the store does). Charts
// use it to give theatres the same colour whatever the filter.
type DistinctSource interface {
	Distinct(field string) ([]string, error)
}

// DemoSource is a Source that can tell whether the records a chart draws include demo data
// (the store can): charts made from it carry the demo note only then. Without it, a chart
// carries the note whenever HasDemoData says the demo is loaded.
type DemoSource interface {
	DemoDrawn(k data.Kind, f data.Filter) (bool, error)
}

// demoDrawn reports whether the records of the kinds listed that f selects include demo
// data, as precisely as src can tell.
func demoDrawn(src Source, f data.Filter, kinds ...data.Kind) (bool, error) {
	ds, ok := src.(DemoSource)
	if !ok {
		return src.HasDemoData()
	}
	for _, k := range kinds {
		if demo, err := ds.DemoDrawn(k, f); err != nil || demo {
			return demo, err
		}
	}
	return false, nil
}

// ClockSource is a Source with its own clock (the store has one, data.Options.Now): charts
// made from it are dated by that clock; without it, by time.Now.
type ClockSource interface {
	Now() time.Time
}

// The store is the Source the app uses.
var (
	_ ClockSource      = (*data.Store)(nil)
	_ Source           = (*data.Store)(nil)
	_ VocabularySource = (*data.Store)(nil)
	_ DistinctSource   = (*data.Store)(nil)
	_ DemoSource       = (*data.Store)(nil)
)
