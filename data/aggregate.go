package data

import (
	"fmt"
	"slices"
	"strings"

	bolt "go.etcd.io/bbolt"
)

// rollupAnswers reports whether the rollup alone can answer f: every filter but Search is a
// field of the rollup key (Topics do not apply to incidents, see Filter.MatchesIncident).
func rollupAnswers(f Filter) bool { return strings.TrimSpace(f.Search) == "" }

// matchesRollup is Filter.MatchesIncident for a rollup entry: the entry's first and last day
// are the incident's, so the date test is exactly MatchesDates.
func matchesRollup(f Filter, re rollupEntry) bool {
	if re.prec == PrecisionNone {
		if !f.From.IsZero() || !f.To.IsZero() {
			return false
		}
	} else {
		if !f.From.IsZero() && re.last < f.From.DayNumber() {
			return false
		}
		if !f.To.IsZero() && re.first > f.To.LastDayNumber() {
			return false
		}
	}
	return matchAny(f.Theatres, re.theatre) && matchAny(f.Actors, re.actor) &&
		matchAny(f.Confidences, re.conf)
}

// incidentTotals walks the totals of the incidents f selects, grouped as finely as the
// source allows: from the rollup (one call per distinct day, theatre, actor, confidence)
// when it can answer f, else by scanning the incidents (one call per incident).
func (s *Store) incidentTotals(f Filter, fn func(d Date, theatre, actor string, t Totals)) error {
	if rollupAnswers(f) {
		each := func(re rollupEntry, t Totals) {
			if matchesRollup(f, re) {
				fn(re.date(), re.theatre, re.actor, t)
			}
		}
		if !f.KnownOn.IsZero() {
			return s.knownRollup(f.KnownOn, each)
		}
		return s.forRollup(each)
	}
	return s.knownStored(KindIncident, f, func(r record) bool { return f.MatchesIncident(r.(*Incident)) },
		func(r record) error {
			x := r.(*Incident)
			fn(x.Date, x.Theatre, x.Actor, totalsOf(x))
			return nil
		})
}

// PlaceLevel is the level of places incidents are grouped by: the theatre (the default; an
// import gives an incident without one its country, else its admin1, else its admin2), the
// country, the first or second administrative level, or the location text.
type PlaceLevel string

// The place levels.
const (
	ByTheatre  PlaceLevel = "theatre"
	ByCountry  PlaceLevel = "country"
	ByAdmin1   PlaceLevel = "admin1"
	ByAdmin2   PlaceLevel = "admin2"
	ByLocation PlaceLevel = "location"
)

// PlaceLevels lists the levels, broadest first, for help texts and drop-downs.
var PlaceLevels = []PlaceLevel{ByTheatre, ByCountry, ByAdmin1, ByAdmin2, ByLocation}

// ParsePlaceLevel reads a level: theatre, country, admin1 (or province, state, region,
// governorate, departamento), admin2 (or district, county, municipio) or location (or place,
// locality). "" is the theatre.
func ParsePlaceLevel(s string) (PlaceLevel, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "theatre", "theater":
		return ByTheatre, nil
	case "country":
		return ByCountry, nil
	case "admin1", "admin 1", "adm1", "province", "state", "region", "governorate", "departamento", "department":
		return ByAdmin1, nil
	case "admin2", "admin 2", "adm2", "district", "county", "municipio", "municipality":
		return ByAdmin2, nil
	case "location", "place", "locality":
		return ByLocation, nil
	}
	return "", fmt.Errorf("place level %q: want theatre, country, admin1, admin2 or location", s)
}

// Of returns the incident's place at this level.
func (l PlaceLevel) Of(r *Incident) string {
	switch l {
	case ByCountry:
		return r.Country
	case ByAdmin1:
		return r.Admin1
	case ByAdmin2:
		return r.Admin2
	case ByLocation:
		return r.Location
	}
	return r.Theatre
}

// incidentTotalsBy is incidentTotals grouped by a place level instead of the theatre: the
// rollup answers the theatre level, other levels scan the incidents.
func (s *Store) incidentTotalsBy(f Filter, by PlaceLevel, fn func(d Date, place, actor string, t Totals)) error {
	if by == "" || by == ByTheatre {
		return s.incidentTotals(f, fn)
	}
	return s.knownStored(KindIncident, f, func(r record) bool { return f.MatchesIncident(r.(*Incident)) },
		func(r record) error {
			x := r.(*Incident)
			fn(x.Date, by.Of(x), x.Actor, totalsOf(x))
			return nil
		})
}

// Aggregate sums the incidents f selects per period (day, ISO week or month). The series has
// one bucket per period from the first to the last matching incident, empty periods included,
// with the running sum in Cumulative and a split by theatre; Theatres lists the theatres by
// incident count (most first, then by name); Undated counts matching incidents with no date.
// It reads the rollup bucket, not the incidents, unless the filter has a Search text.
func (s *Store) Aggregate(f Filter, p Period) (Series, error) { return s.AggregateBy(f, p, ByTheatre) }

// AggregateBy is Aggregate with the split (ByTheatre, Theatres) by another place level.
func (s *Store) AggregateBy(f Filter, p Period, by PlaceLevel) (Series, error) {
	return s.aggregate(f, p, func(fn func(d Date, group, actor string, t Totals)) error {
		return s.incidentTotalsBy(f, by, fn)
	})
}

// Groups of AggregateCategories for deaths no category accounts for.
const (
	// CategoryOther holds what an incident's figure counts beyond its categories.
	CategoryOther = "other (not in a category)"
	// CategoryNone holds the incidents whose source gave no categories.
	CategoryNone = "not split by the source"
)

// AggregateCategories is Aggregate with the split (ByTheatre, Theatres) by casualty category
// of a measure instead of by theatre: each incident's figures per category (deaths of
// civilians, of side A...), what its figure counts beyond them under CategoryOther, and the
// incidents without categories under CategoryNone. Only the killed (or other measure) figures
// and the incident counts of the groups are meaningful: an incident counts once in each of
// its groups.
func (s *Store) AggregateCategories(f Filter, p Period, measure string) (Series, error) {
	return s.aggregate(f, p, func(fn func(d Date, group, actor string, t Totals)) error {
		return s.knownStored(KindIncident, f, func(r record) bool { return f.MatchesIncident(r.(*Incident)) },
			func(r record) error {
				x := r.(*Incident)
				for group, t := range categoryTotals(x, measure) {
					fn(x.Date, group, x.Actor, t)
				}
				return nil
			})
	})
}

// categoryTotals splits one incident's figure of a measure by its categories.
func categoryTotals(x *Incident, measure string) map[string]Totals {
	fig := x.Killed
	switch measure {
	case MeasureInjured:
		fig = x.Injured
	case MeasureMissing:
		fig = x.Missing
	case MeasureSurvivors:
		fig = x.Survivors
	}
	one := func(c Count) Totals {
		t := Totals{Incidents: 1, Strikes: x.Strikes()}
		switch measure {
		case MeasureInjured:
			t.InjuredMin, t.InjuredMax = c.Low(), c.High()
		case MeasureSurvivors:
			t.SurvivorsMin, t.SurvivorsMax = c.Low(), c.High()
		default:
			t.KilledMin, t.KilledMax = c.Low(), c.High()
		}
		if !c.Known() {
			t.KilledUnknown = 1
		}
		return t
	}
	out := map[string]Totals{}
	lo, hi := 0, 0
	for _, c := range x.Casualties {
		if c.Measure != measure || c.Estimate || !c.Count.Known() {
			continue
		}
		t := out[c.Category]
		t.Merge(one(c.Count))
		out[c.Category] = t
		lo, hi = lo+c.Count.Low(), hi+c.Count.High()
	}
	if len(out) == 0 {
		out[CategoryNone] = one(fig)
		return out
	}
	rest := Count{Min: max(fig.Low()-lo, 0), MinKnown: true, Max: max(fig.High()-hi, 0), MaxKnown: true}
	rest.Min = min(rest.Min, rest.Max)
	if rest.High() > 0 {
		out[CategoryOther] = one(rest)
	}
	return out
}

// aggregate buckets what walk reports per period, split by the group it names.
func (s *Store) aggregate(f Filter, p Period, walk func(fn func(d Date, group, actor string, t Totals)) error) (Series, error) {
	if _, err := ParsePeriod(string(p)); err != nil {
		return Series{}, fmt.Errorf("aggregate: %w", err)
	}
	byStart := map[int]*Bucket{}
	theatreCount := map[string]int{}
	undated := 0
	err := walk(func(d Date, theatre, _ string, t Totals) {
		if d.IsZero() {
			undated += t.Incidents
			return
		}
		start := p.Start(d)
		key := start.DayNumber()
		b := byStart[key]
		if b == nil {
			b = newBucket(p, start)
			byStart[key] = b
		}
		b.Totals.Merge(t)
		bt := b.ByTheatre[theatre]
		bt.Merge(t)
		b.ByTheatre[theatre] = bt
		theatreCount[theatre] += t.Incidents
	})
	if err != nil {
		return Series{}, fmt.Errorf("aggregate: %w", err)
	}
	out := Series{Period: p, Filter: f, Buckets: []Bucket{}, Theatres: []string{}, Undated: undated}
	if len(byStart) > 0 {
		keys := make([]int, 0, len(byStart))
		for k := range byStart {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		last := keys[len(keys)-1]
		var cum Totals
		for start := DateFromDayNumber(keys[0]); start.DayNumber() <= last; start = p.Next(start) {
			b := byStart[start.DayNumber()]
			if b == nil {
				b = newBucket(p, start)
			}
			cum.Merge(b.Totals)
			b.Cumulative = cum
			out.Buckets = append(out.Buckets, *b)
		}
	}
	for th := range theatreCount {
		out.Theatres = append(out.Theatres, th)
	}
	slices.SortFunc(out.Theatres, func(a, b string) int {
		if c := theatreCount[b] - theatreCount[a]; c != 0 {
			return c
		}
		return strings.Compare(a, b)
	})
	return out, nil
}

func newBucket(p Period, start Date) *Bucket {
	return &Bucket{Start: start, End: DateFromDayNumber(p.Next(start).DayNumber() - 1),
		ByTheatre: map[string]Totals{}}
}

// Stats summarises the records f selects: incident totals, by theatre and by actor (from the
// rollup when it can answer f), the number of statements and tallies, statements per actor,
// and the first and last date of the selected incidents (the span a chart of them covers).
func (s *Store) Stats(f Filter) (Stats, error) { return s.StatsBy(f, ByTheatre) }

// StatsBy is Stats with ByTheatre keyed by another place level (ByAdmin1: per province).
func (s *Store) StatsBy(f Filter, by PlaceLevel) (Stats, error) {
	st := Stats{ByTheatre: map[string]Totals{}, ByActor: map[string]ActorSummary{}}
	seeDate := func(d Date) {
		if d.IsZero() {
			return
		}
		if st.FirstDate.IsZero() || d.Compare(st.FirstDate) < 0 {
			st.FirstDate = d
		}
		if st.LastDate.IsZero() || d.Compare(st.LastDate) > 0 {
			st.LastDate = d
		}
	}
	err := s.incidentTotalsBy(f, by, func(d Date, theatre, actor string, t Totals) {
		st.Totals.Merge(t)
		bt := st.ByTheatre[theatre]
		bt.Merge(t)
		st.ByTheatre[theatre] = bt
		a := st.ByActor[actor]
		a.Incidents += t.Incidents
		st.ByActor[actor] = a
		seeDate(d)
	})
	if err != nil {
		return Stats{}, fmt.Errorf("stats: %w", err)
	}
	err = s.scanKnown(KindStatement, f,
		func(r record) bool { return f.MatchesStatement(r.(*Statement)) },
		func(r record) error {
			x := r.(*Statement)
			st.Statements++
			a := st.ByActor[x.Actor]
			a.Statements++
			st.ByActor[x.Actor] = a
			return nil
		})
	if err != nil {
		return Stats{}, fmt.Errorf("stats: %w", err)
	}
	err = s.scanKnown(KindTally, f,
		func(r record) bool { return f.MatchesTally(r.(*Tally)) },
		func(r record) error {
			st.Tallies++
			return nil
		})
	if err != nil {
		return Stats{}, fmt.Errorf("stats: %w", err)
	}
	return st, nil
}

// count returns the number of current records of a kind, for tests and diagnostics.
func (s *Store) count(k Kind) (int, error) {
	n := 0
	err := s.view(func(tx *bolt.Tx) error {
		kb, err := kindOf(tx, k)
		if err != nil {
			return err
		}
		v := newView(tx)
		return kb.rec.ForEach(func(seq, val []byte) error {
			if v.visible(kb, seq, versionG(val)) {
				n++
			}
			return nil
		})
	})
	return n, err
}
