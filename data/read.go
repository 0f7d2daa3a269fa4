package data

import (
	"bytes"
	"fmt"
	"slices"
	"strings"

	bolt "go.etcd.io/bbolt"
)

// pageSize is how many date-index entries a streaming read takes per read transaction.
var pageSize = 10000

func (s *Store) get(k Kind, id string) (record, error) {
	var r record
	err := s.view(func(tx *bolt.Tx) error {
		kb, err := kindOf(tx, k)
		if err != nil {
			return err
		}
		val, _ := newView(tx).current(kb, id)
		if val == nil {
			return fmt.Errorf("%s %q: %w", singular(k), id, ErrNotFound)
		}
		r, err = decodeAny(k, val)
		if err != nil {
			return fmt.Errorf("%s %q: %w", singular(k), id, err)
		}
		return nil
	})
	return r, err
}

// Incident returns the current version of the incident with that id, or ErrNotFound.
func (s *Store) Incident(id string) (Incident, error) {
	r, err := s.get(KindIncident, id)
	if err != nil {
		return Incident{}, err
	}
	return *r.(*Incident), nil
}

// Statement returns the current version of the statement with that id, or ErrNotFound.
func (s *Store) Statement(id string) (Statement, error) {
	r, err := s.get(KindStatement, id)
	if err != nil {
		return Statement{}, err
	}
	return *r.(*Statement), nil
}

// Tally returns the current version of the tally with that id, or ErrNotFound.
func (s *Store) Tally(id string) (Tally, error) {
	r, err := s.get(KindTally, id)
	if err != nil {
		return Tally{}, err
	}
	return *r.(*Tally), nil
}

func recDate(r record) Date { d, _ := r.span(); return d }

func compareRecords(a, b record) int {
	if c := recDate(a).Compare(recDate(b)); c != 0 {
		return c
	}
	return strings.Compare(a.recID(), b.recID())
}

// walkDates walks the date index of kind k over the days whose records may overlap [from,
// to] (a zero date: no bound), in date order, a page at a time: each page is read in its own
// read transaction and ends with the day that brings it to pageSize versions (a day is never
// split between pages). For each page, open is called in the transaction with its buckets
// and view, and the function it returns is called for each day of the page with the day
// number and the sequence numbers of the versions dated that day; then, outside the
// transaction, done is called (last: no page follows). An error from any of them stops the
// walk and is returned.
func (s *Store) walkDates(k Kind, from, to Date, open func(kb kindBuckets, v *view) func(day int, seqs []uint64) error,
	done func(last bool) error) error {
	var start []byte
	first := true
	for {
		var next []byte
		err := s.view(func(tx *bolt.Tx) error {
			kb, err := kindOf(tx, k)
			if err != nil {
				return err
			}
			each := open(kb, newView(tx))
			if first {
				first = false
				if !from.IsZero() {
					span := int(getU64(tx.Bucket(bktMeta), keySpan(k)))
					start = dayKey(from.DayNumber() - span)
				}
			}
			last, hasTo := 0, !to.IsZero()
			if hasTo {
				last = to.LastDayNumber()
			}
			c := kb.date.Cursor()
			var key, val []byte
			if start == nil {
				key, val = c.First()
			} else {
				key, val = c.Seek(start)
			}
			n := 0
			for ; key != nil; key, val = c.Next() {
				if n >= pageSize {
					next = bytes.Clone(key)
					break
				}
				if len(key) != 4 {
					return fmt.Errorf("%s date index: %w", k, ErrCorrupt)
				}
				day := dayFromKey(key)
				if hasTo && day > last {
					break
				}
				seqs, err := decodeSeqs(val)
				if err != nil {
					return err
				}
				n += len(seqs)
				if err := each(day, seqs); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		if err := done(next == nil); err != nil {
			return err
		}
		if next == nil {
			return nil
		}
		start = next
	}
}

// scan streams the current records of kind k whose span may overlap [from, to], in date
// order then id, to fn. It reads the date index in pages of pageSize entries, each in its own
// read transaction (walkDates), so fn runs outside any transaction (it may even write to the
// store) and a scan of a million records holds little memory. A scan is therefore not one
// snapshot: records committed while it runs may or may not be seen.
func (s *Store) scan(k Kind, from, to Date, match func(record) bool, fn func(record) error) error {
	var group []record
	groupDay := 0
	emit := func() error {
		slices.SortStableFunc(group, compareRecords)
		for _, r := range group {
			if err := fn(r); err != nil {
				return err
			}
		}
		group = group[:0]
		return nil
	}
	type item struct {
		r   record
		day int
	}
	var page []item
	return s.walkDates(k, from, to, func(kb kindBuckets, v *view) func(int, []uint64) error {
		page = page[:0]
		return func(day int, seqs []uint64) error {
			for _, sq := range seqs {
				seq := u64(sq)
				val := kb.rec.Get(seq)
				if val == nil || !v.visible(kb, seq, versionG(val)) {
					continue
				}
				r, err := decodeAny(k, val)
				if err != nil {
					return fmt.Errorf("%s at %x: %w", k, seq, err)
				}
				if match == nil || match(r) {
					page = append(page, item{r, day})
				}
			}
			return nil
		}
	}, func(last bool) error {
		for _, it := range page {
			if len(group) > 0 && it.day != groupDay {
				if err := emit(); err != nil {
					return err
				}
			}
			groupDay = it.day
			group = append(group, it.r)
		}
		if last {
			return emit()
		}
		return nil
	})
}

// scanStored streams the current records of kind k that match to fn in storage order (not date
// order), reading the record bucket sequentially in pages of pageSize: the fastest full scan.
func (s *Store) scanStored(k Kind, match func(record) bool, fn func(record) error) error {
	var from []byte
	for {
		var page []record
		var next []byte
		err := s.view(func(tx *bolt.Tx) error {
			kb, err := kindOf(tx, k)
			if err != nil {
				return err
			}
			v := newView(tx)
			c := kb.rec.Cursor()
			var key, val []byte
			if from == nil {
				key, val = c.First()
			} else {
				key, val = c.Seek(from)
			}
			for n := 0; key != nil; key, val = c.Next() {
				if n >= pageSize {
					next = bytes.Clone(key)
					break
				}
				n++
				if !v.visible(kb, key, versionG(val)) {
					continue
				}
				r, err := decodeAny(k, val)
				if err != nil {
					return fmt.Errorf("%s at %x: %w", k, key, err)
				}
				if match == nil || match(r) {
					page = append(page, r)
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, r := range page {
			if err := fn(r); err != nil {
				return err
			}
		}
		if next == nil {
			return nil
		}
		from = next
	}
}

// ForEachIncident calls fn for every incident the filter selects, in date order then id,
// streaming: it never holds all incidents in memory, and fn runs outside any transaction.
// An error from fn stops the walk and is returned.
func (s *Store) ForEachIncident(f Filter, fn func(*Incident) error) error {
	return s.scanKnown(KindIncident, f,
		func(r record) bool { return f.MatchesIncident(r.(*Incident)) },
		func(r record) error { return fn(r.(*Incident)) })
}

// Incidents returns the incidents the filter selects, in date order then id.
func (s *Store) Incidents(f Filter) ([]Incident, error) {
	var out []Incident
	err := s.ForEachIncident(f, func(r *Incident) error { out = append(out, *r); return nil })
	return out, err
}

// Statements returns the statements the filter selects, in date order then id.
func (s *Store) Statements(f Filter) ([]Statement, error) {
	var out []Statement
	err := s.scanKnown(KindStatement, f,
		func(r record) bool { return f.MatchesStatement(r.(*Statement)) },
		func(r record) error { out = append(out, *r.(*Statement)); return nil })
	return out, err
}

// Tallies returns the tallies the filter selects, in as-of order then id.
func (s *Store) Tallies(f Filter) ([]Tally, error) {
	var out []Tally
	err := s.scanKnown(KindTally, f,
		func(r record) bool { return f.MatchesTally(r.(*Tally)) },
		func(r record) error { out = append(out, *r.(*Tally)); return nil })
	return out, err
}

func plain(r record) any {
	switch x := r.(type) {
	case *Incident:
		return *x
	case *Statement:
		return *x
	case *Tally:
		return *x
	}
	return r
}

// Revisions returns the earlier versions of a record, oldest first. Each Record is an
// Incident, Statement or Tally value. A record with no history gives an empty list.
func (s *Store) Revisions(kind Kind, id string) ([]Revision, error) {
	var out []Revision
	err := s.view(func(tx *bolt.Tx) error {
		kb, err := kindOf(tx, kind)
		if err != nil {
			return err
		}
		pending := newView(tx).pending
		prefix := revPrefix(id)
		c := kb.rev.Cursor()
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix) && len(k) == len(prefix)+8; k, v = c.Next() {
			when, by, old, err := decodeRev(v)
			if err != nil {
				return fmt.Errorf("revision of %s %q: %w", singular(kind), id, err)
			}
			if pending != 0 && versionG(old) == pending {
				continue // brought by a merge in progress
			}
			r, err := decodeAny(kind, old)
			if err != nil {
				return fmt.Errorf("revision of %s %q: %w", singular(kind), id, err)
			}
			out = append(out, Revision{Replaced: when, By: by, Record: plain(r)})
		}
		return nil
	})
	return out, err
}

// LatestStatements returns, for each (actor, topic) pair among the statements the filter
// selects, the latest statement dated on or before asOf (by Date.Compare; equal dates are
// broken by id, the last id winning). Actor and topic are compared ignoring case and
// surrounding spaces. The result is ordered by actor, then topic.
func (s *Store) LatestStatements(asOf Date, f Filter) ([]Statement, error) {
	all, err := s.Statements(f)
	if err != nil {
		return nil, err
	}
	latest := map[string]int{}
	var keys []string
	for i, st := range all {
		if st.Date.Compare(asOf) > 0 {
			continue
		}
		key := norm(st.Actor) + "\x00" + norm(st.Topic)
		j, ok := latest[key]
		if !ok {
			keys = append(keys, key)
			latest[key] = i
			continue
		}
		prev := all[j]
		if c := st.Date.Compare(prev.Date); c > 0 || (c == 0 && st.ID >= prev.ID) {
			latest[key] = i
		}
	}
	slices.Sort(keys)
	out := make([]Statement, 0, len(keys))
	for _, k := range keys {
		out = append(out, all[latest[k]])
	}
	return out, nil
}

// Distinct returns the values present for a field, sorted (case-insensitively), without
// blanks: "theatre" (of incidents), "actor" (of incidents and statements), "topic" (of
// statements), "confidence" (of incidents) or "claimant" (of tallies).
func (s *Store) Distinct(field string) ([]string, error) {
	set := map[string]bool{}
	add := func(v string) {
		if v = strings.TrimSpace(v); v != "" {
			set[v] = true
		}
	}
	switch field {
	case "theatre", "actor", "confidence":
		err := s.forRollup(func(re rollupEntry, _ Totals) {
			switch field {
			case "theatre":
				add(re.theatre)
			case "actor":
				add(re.actor)
			default:
				add(re.conf)
			}
		})
		if err != nil {
			return nil, err
		}
		if field == "actor" {
			sts, err := s.Statements(Filter{})
			if err != nil {
				return nil, err
			}
			for _, st := range sts {
				add(st.Actor)
			}
		}
	case "topic":
		sts, err := s.Statements(Filter{})
		if err != nil {
			return nil, err
		}
		for _, st := range sts {
			add(st.Topic)
		}
	case "claimant":
		ts, err := s.Tallies(Filter{})
		if err != nil {
			return nil, err
		}
		for _, t := range ts {
			add(t.Claimant)
		}
	default:
		return nil, fmt.Errorf("distinct: unknown field %q (want theatre, actor, topic, confidence or claimant)", field)
	}
	out := make([]string, 0, len(set))
	for v := range set {
		out = append(out, v)
	}
	slices.SortFunc(out, func(a, b string) int {
		if c := strings.Compare(strings.ToLower(a), strings.ToLower(b)); c != 0 {
			return c
		}
		return strings.Compare(a, b)
	})
	return out, nil
}

// forRollup calls fn for every entry of the incident rollup.
func (s *Store) forRollup(fn func(rollupEntry, Totals)) error {
	return s.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bktRollup).ForEach(func(k, v []byte) error {
			re, err := parseRollupKey(k)
			if err != nil {
				return fmt.Errorf("rollup key %x: %w", k, ErrCorrupt)
			}
			t, err := decodeTotals(v)
			if err != nil {
				return fmt.Errorf("rollup value at %x: %w", k, ErrCorrupt)
			}
			fn(re, t)
			return nil
		})
	})
}
