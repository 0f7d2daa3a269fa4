package data

import (
	"fmt"
	"strings"
)

// TallyCheck is a published tally beside what the incident records add up to for the same
// scope up to the same date: the sum a reader compares the claim with.
type TallyCheck struct {
	Tally Tally
	// Records sums the current incidents in the tally's scope (its theatre, or every theatre
	// for ScopeAll or a blank scope) dated on or before the tally's as-of date. A tally with no
	// as-of date is compared with every incident in its scope.
	Records Totals
}

// Killed is the difference between the published death toll and the records' sum, as a
// range (published minus recorded: positive when the claim is higher). ok is false when the
// tally gives no death toll.
func (c TallyCheck) Killed() (diff Count, ok bool) {
	return rangeDiff(c.Tally.Killed, c.Records.KilledMin, c.Records.KilledMax)
}

// Strikes is the difference between the published number of strikes and the number of
// incident records, as Killed is for deaths.
func (c TallyCheck) Strikes() (diff Count, ok bool) {
	return rangeDiff(c.Tally.Strikes, c.Records.Incidents, c.Records.Incidents)
}

// rangeDiff is the published range minus the recorded one, {pub.Low - recMax, pub.High -
// recMin}: every difference the two ranges allow.
func rangeDiff(pub Count, recMin, recMax int) (Count, bool) {
	if !pub.Known() {
		return Count{}, false
	}
	return Between(pub.Low()-recMax, pub.High()-recMin), true
}

// AllScopes reports whether a tally scope covers every theatre.
func AllScopes(scope string) bool {
	scope = strings.TrimSpace(scope)
	return scope == "" || strings.EqualFold(scope, ScopeAll)
}

// TallyChecks returns the tallies f selects, in as-of order, each beside the sum of the
// incident records for its scope up to its as-of date (read from the rollup, not the records).
func (s *Store) TallyChecks(f Filter) ([]TallyCheck, error) {
	ts, err := s.Tallies(f)
	if err != nil {
		return nil, err
	}
	out := make([]TallyCheck, 0, len(ts))
	for _, t := range ts {
		sel := Filter{To: t.AsOf, KnownOn: f.KnownOn}
		if !AllScopes(t.Scope) {
			sel.Theatres = []string{t.Scope}
		}
		var sum Totals
		if err := s.incidentTotals(sel, func(_ Date, _, _ string, x Totals) { sum.Merge(x) }); err != nil {
			return nil, fmt.Errorf("summing incidents for tally %s: %w", t.ID, err)
		}
		out = append(out, TallyCheck{Tally: t, Records: sum})
	}
	return out, nil
}
