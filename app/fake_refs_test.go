package app

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"sitrep/data"
)

// The record tables read through refs (data.Store.ScanRefs, ReadRefs, ViewRefs). The fake
// hands out a ref per record copy it lists, kept in an append-only log, so that a ref names
// the version that was current when it was listed, as the store's sequence numbers do.

func (s *memStore) refRecord(ref data.Ref) (any, bool) {
	if ref == 0 || int(ref) > len(s.refLog) {
		return nil, false
	}
	return s.refLog[ref-1], true
}

func (s *memStore) ScanRefs(k data.Kind, f data.Filter, fn func([]data.Ref) error) error {
	s.mu.Lock()
	var refs []data.Ref
	add := func(r any) {
		s.refLog = append(s.refLog, r)
		refs = append(refs, data.Ref(len(s.refLog)))
	}
	switch k {
	case data.KindIncident:
		for _, r := range s.sortedIncidents(f) {
			r := r
			add(&r)
		}
	case data.KindStatement:
		for _, r := range s.sortedStatements(f) {
			r := r
			add(&r)
		}
	case data.KindTally:
		for _, r := range s.sortedTallies(f) {
			r := r
			add(&r)
		}
	default:
		s.mu.Unlock()
		return fmt.Errorf("unknown kind %q", k)
	}
	s.mu.Unlock()
	if len(refs) == 0 {
		return nil
	}
	return fn(refs)
}

func (s *memStore) ReadRefs(k data.Kind, refs []data.Ref, fn func(int, any) error) error {
	for i, ref := range refs {
		s.mu.Lock()
		r, ok := s.refRecord(ref)
		s.mu.Unlock()
		if !ok {
			return fmt.Errorf("%s ref %d: %w", k, ref, errNotFound)
		}
		if err := fn(i, r); err != nil {
			return err
		}
	}
	return nil
}

func (s *memStore) ViewRefs(k data.Kind, refs []data.Ref, fn func(int, any) error) error {
	return s.ReadRefs(k, refs, fn)
}

// TallyChecks sums the fake's incidents per tally as data.Store.TallyChecks does.
func (s *memStore) TallyChecks(f data.Filter) ([]data.TallyCheck, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []data.TallyCheck
	for _, t := range s.tallies {
		if !f.MatchesTally(&t) {
			continue
		}
		c := data.TallyCheck{Tally: t}
		for _, r := range s.incidents {
			if !data.AllScopes(t.Scope) && !strings.EqualFold(strings.TrimSpace(r.Theatre), strings.TrimSpace(t.Scope)) {
				continue
			}
			if !t.AsOf.IsZero() && r.Date.DayNumber() > t.AsOf.LastDayNumber() {
				continue
			}
			c.Records.Add(&r)
		}
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool {
		if c := out[i].Tally.AsOf.Compare(out[j].Tally.AsOf); c != 0 {
			return c < 0
		}
		return out[i].Tally.ID < out[j].Tally.ID
	})
	return out, nil
}

func (s *memStore) Tally(id string) (data.Tally, error) {
	return getRecord(s, s.tallies, "tally", id)
}

// SaveTally keeps the replaced version as a revision with no time (the tally tests do not
// show it).
func (s *memStore) SaveTally(r *data.Tally) error {
	saveRecord(s, s.tallies, data.KindTally, r.ID, *r, time.Time{})
	return nil
}
