package data

import (
	"fmt"
	"slices"
	"strings"

	bolt "go.etcd.io/bbolt"
)

// Ref names one stored version of a record (its sequence number). A table over a million
// records keeps a Ref per row instead of the record, and reads the few records it shows with
// ReadRefs. A Ref read from the current records stays valid until the store changes (an
// import, an undo, an edit); after a change, scan again.
type Ref uint64

// matcher returns the filter test for records of kind k.
func matcher(k Kind, f Filter) (func(record) bool, error) {
	switch k {
	case KindIncident:
		return func(r record) bool { return f.MatchesIncident(r.(*Incident)) }, nil
	case KindStatement:
		return func(r record) bool { return f.MatchesStatement(r.(*Statement)) }, nil
	case KindTally:
		return func(r record) bool { return f.MatchesTally(r.(*Tally)) }, nil
	}
	return nil, fmt.Errorf("unknown record kind %q", k)
}

// newRecord returns an empty record of kind k.
func newRecord(k Kind) record {
	switch k {
	case KindIncident:
		return &Incident{}
	case KindStatement:
		return &Statement{}
	case KindTally:
		return &Tally{}
	}
	return nil
}

// decodeBorrowed decodes the stored version v into r (reset first) without copying: r's
// strings point into v, so r is only valid while v is (inside the read transaction). The
// provenance is left empty. A million records decode this way without one allocation each.
func decodeBorrowed(k Kind, v []byte, r record) error {
	ver, err := splitVersion(v)
	if err != nil {
		return err
	}
	d := dec{b: ver.body, owned: true}
	switch x := r.(type) {
	case *Incident:
		*x = Incident{}
		decodeIncidentBody(&d, x)
	case *Statement:
		*x = Statement{}
		decodeStatementBody(&d, x)
	case *Tally:
		*x = Tally{}
		decodeTallyBody(&d, x)
	default:
		return fmt.Errorf("unknown kind %q", k)
	}
	if d.err != nil {
		return fmt.Errorf("%s record: %w", k, d.err)
	}
	return nil
}

// peekIDDates reads the id, the date and (for an incident) the end date of the stored
// version v without decoding the rest; the id is borrowed from v. Every kind's body starts
// with its id and date (codec.go).
func peekIDDates(k Kind, v []byte) (id string, d, end Date, err error) {
	ver, err := splitVersion(v)
	if err != nil {
		return "", Date{}, Date{}, err
	}
	dc := dec{b: ver.body, owned: true}
	id = dc.str()
	d = dc.date()
	if k == KindIncident {
		end = dc.date()
	}
	return id, d, end, dc.err
}

// ScanRefs calls fn with the Refs of the current records of kind k that f selects, in date
// order then id (the order of Incidents, Statements and Tallies), a page at a time (at most a
// few thousand refs; fn may keep the slice). It reads only what the order and the filter need,
// without keeping any record, so it runs through a million records quickly. fn runs outside
// any transaction; an error from fn stops the walk and is returned.
//
// With f.KnownOn, the refs are those of the records as known on that time: the current
// versions of the records that have not changed since, and, merged in order, refs to the
// versions they had then (knownRefBit), which ReadRefs and ViewRefs read from the known-on
// cache.
func (s *Store) ScanRefs(k Kind, f Filter, fn func(refs []Ref) error) error {
	match, err := matcher(k, f)
	if err != nil {
		return err
	}
	var changed map[string]*change
	var extra extraHeap
	if !f.KnownOn.IsZero() {
		if changed, err = s.delta(k, f.KnownOn); err != nil {
			return err
		}
		if extra, err = newExtraHeap(changed); err != nil {
			return err
		}
	}
	// Without field filters, the order and the dates need only the first fields of a record.
	light := len(f.Theatres) == 0 && len(f.Actors) == 0 && len(f.Topics) == 0 &&
		len(f.Confidences) == 0 && strings.TrimSpace(f.Search) == ""
	rec := newRecord(k)
	var page []Ref
	var group []refItem
	return s.walkDates(k, f.From, f.To, func(kb kindBuckets, v *view) func(int, []uint64) error {
		page = make([]Ref, 0, pageSize) // fn may keep the previous one
		rc := versionCursor{c: kb.rec.Cursor()}
		return func(_ int, seqs []uint64) error {
			group = group[:0]
			for _, sq := range seqs {
				rkey, rval := rc.seek(sq)
				if rkey == nil || !v.visible(kb, rkey, versionG(rval)) {
					continue
				}
				if light {
					id, d, end, err := peekIDDates(k, rval)
					if err != nil {
						return fmt.Errorf("%s at %d: %w", k, sq, err)
					}
					if _, ok := changed[id]; !ok && f.MatchesDates(d, end) {
						group = append(group, refItem{sq, d, id})
					}
					continue
				}
				if err := decodeBorrowed(k, rval, rec); err != nil {
					return fmt.Errorf("%s at %d: %w", k, sq, err)
				}
				if _, ok := changed[rec.recID()]; !ok && match(rec) {
					d, _ := rec.span()
					group = append(group, refItem{sq, d, rec.recID()})
				}
			}
			// One day's versions sit under one key, so a page never splits a day.
			slices.SortStableFunc(group, func(a, b refItem) int {
				if c := a.d.Compare(b.d); c != 0 {
					return c
				}
				return strings.Compare(a.id, b.id)
			})
			for _, it := range group {
				if extra != nil {
					var err error
					if page, err = extra.popBefore(page, match, it.d, it.id, false); err != nil {
						return err
					}
				}
				page = append(page, Ref(it.seq))
			}
			clear(group) // drop the borrowed strings
			return nil
		}
	}, func(last bool) error {
		if len(page) > 0 {
			if err := fn(page); err != nil {
				return err
			}
		}
		if !last || extra == nil {
			return nil
		}
		rest, err := extra.popBefore(nil, match, Date{}, "", true)
		if err != nil {
			return err
		}
		if len(rest) > 0 {
			return fn(rest)
		}
		return nil
	})
}

// popBefore adds to page the refs of the older versions that sort before (d, id) (all of
// them when all) and that match selects, taking them off the heap.
func (h *extraHeap) popBefore(page []Ref, match func(record) bool, d Date, id string, all bool) ([]Ref, error) {
	for len(*h) > 0 {
		top := (*h)[0]
		if !all {
			if c := top.date.Compare(d); c > 0 || (c == 0 && top.id >= id) {
				return page, nil
			}
		}
		it := h.pop()
		x, err := it.ch.thenRecord()
		if err != nil {
			return page, err
		}
		if match(x) {
			page = append(page, Ref(it.ch.thenSeq|knownRefBit))
		}
	}
	return page, nil
}

// refItem is a version ScanRefs selected in one day: its sequence number, date and id (the
// id borrowed from the read transaction).
type refItem struct {
	seq uint64
	d   Date
	id  string
}

// versionCursor finds stored versions by sequence number in a record bucket. The versions
// of one day are mostly close together, so it steps forward to them rather than search from
// the root each time.
type versionCursor struct {
	c          *bolt.Cursor
	key, value []byte
}

// seek returns the key and value of the version with sequence number sq, or nils when there
// is none.
func (rc *versionCursor) seek(sq uint64) (key, value []byte) {
	if rc.key == nil || binaryU64(rc.key) > sq || sq-binaryU64(rc.key) > 16 {
		rc.key, rc.value = rc.c.Seek(u64(sq))
	}
	for rc.key != nil && binaryU64(rc.key) < sq {
		rc.key, rc.value = rc.c.Next()
	}
	if rc.key == nil || binaryU64(rc.key) != sq {
		return nil, nil
	}
	return rc.key, rc.value
}

// ReadRefs reads the records of kind k that refs name and calls fn(i, rec) for each refs[i],
// in storage order (not in the order of refs): reading the record bucket in key order is the
// fastest way through it. rec is an *Incident, *Statement or *Tally that fn may keep. A Ref
// that names no stored version gives an error wrapping ErrNotFound (the store changed since
// the refs were read). It reads in transactions of a few thousand records, so fn runs
// outside any transaction.
func (s *Store) ReadRefs(k Kind, refs []Ref, fn func(i int, rec any) error) error {
	type item struct {
		i int
		r record
	}
	var page []item
	return s.readRefs(k, refs, func(int) { page = page[:0] },
		func(i int, v []byte) error {
			r, err := decodeAny(k, v)
			if err != nil {
				return err
			}
			page = append(page, item{i, r})
			return nil
		},
		func() error {
			for _, it := range page {
				if err := fn(it.i, it.r); err != nil {
					return err
				}
			}
			return nil
		})
}

// ViewRefs is ReadRefs for a caller that only looks: fn gets each record borrowed from the
// read transaction, decoded in place without a copy (and without its provenance). fn must not
// keep rec or any of its strings (copy what it keeps, e.g. with strings.Clone), and must not
// write to the store: it runs inside a read transaction. Reading a column or searching a
// million records this way allocates next to nothing.
func (s *Store) ViewRefs(k Kind, refs []Ref, fn func(i int, rec any) error) error {
	rec := newRecord(k)
	return s.readRefs(k, refs, nil, func(i int, v []byte) error {
		if err := decodeBorrowed(k, v, rec); err != nil {
			return err
		}
		return fn(i, rec)
	}, nil)
}

// readRefs walks the stored versions refs name in key order, pageSize per read transaction:
// begin before each transaction, each for every version (inside it), end after it.
func (s *Store) readRefs(k Kind, refs []Ref, begin func(n int), each func(i int, v []byte) error, end func() error) error {
	if newRecord(k) == nil {
		return fmt.Errorf("unknown record kind %q", k)
	}
	order := make([]int32, len(refs))
	for i := range order {
		order[i] = int32(i)
	}
	byRef := func(a, b int32) int {
		switch {
		case refs[a] < refs[b]:
			return -1
		case refs[a] > refs[b]:
			return 1
		}
		return 0
	}
	if !slices.IsSortedFunc(order, byRef) {
		slices.SortFunc(order, byRef)
	}
	for len(order) > 0 {
		chunk := order[:min(len(order), pageSize)]
		order = order[len(chunk):]
		if begin != nil {
			begin(len(chunk))
		}
		err := s.view(func(tx *bolt.Tx) error {
			kb, err := kindOf(tx, k)
			if err != nil {
				return err
			}
			c := kb.rec.Cursor()
			var key, val []byte
			for _, i := range chunk {
				want := uint64(refs[i])
				if want&knownRefBit != 0 {
					val := s.knownVal(k, refs[i])
					if val == nil {
						return fmt.Errorf("%s as known on a time: %w (the store changed; read it again)", singular(k), ErrNotFound)
					}
					if err := each(int(i), val); err != nil {
						return err
					}
					continue
				}
				// Step forward when the wanted key is close; seek when it is far or behind.
				if key == nil || binaryU64(key) > want || want-binaryU64(key) > 32 {
					key, val = c.Seek(u64(want))
				}
				for key != nil && binaryU64(key) < want {
					key, val = c.Next()
				}
				if key == nil || binaryU64(key) != want {
					return fmt.Errorf("%s at %d: %w (the store changed; read it again)", singular(k), want, ErrNotFound)
				}
				if err := each(int(i), val); err != nil {
					return fmt.Errorf("%s at %d: %w", singular(k), want, err)
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		if end != nil {
			if err := end(); err != nil {
				return err
			}
		}
	}
	return nil
}
