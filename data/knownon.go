package data

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
)

// # As known on T
//
// A known-on read answers with the records the store held at an instant T: the versions
// current then, deletions and undone imports respected. It is worked out from what the
// store keeps rather than from a copy of every state:
//
//   - A version's end is in its revision (rev: the time and the import or edit that replaced
//     or deleted it); a current version has none.
//   - A version's start is its import's commit time (the import log) when an import wrote it;
//     for an edit, the time in its provenance (Provenance.At); for an edit made before Sitrep
//     kept that time, the end of the record's previous version, and when there is none, the
//     commit of the last import before it (its sequence number tells which).
//   - The past bucket (one per kind) keeps what Restore and UndoImport erase: a restored
//     record was absent from its deletion to its restoration; an undone import's versions
//     were current from its commit to the undo. An entry covers [from, to) and, where entries
//     nest, the one that starts last wins.
//
// So the state at T differs from the current one only for versions that started or ended
// after T. knownDelta finds those: the versions written after the last import committed by
// T (a seek by sequence number), the revisions that ended after T, and the past entries
// covering T. Queries then read the current data (or the rollup) and correct it with the
// delta, which costs in proportion to what changed after T, not to the store's size.

var bktPast = []byte("past")

// pastKey is the id, a zero byte, the start (unix nanoseconds, sign bit flipped so keys sort
// by time) and the sequence number of the version concerned.
func pastKey(id string, from time.Time, seq uint64) []byte {
	k := make([]byte, 0, len(id)+17)
	k = append(k, id...)
	k = append(k, 0)
	k = append(k, u64(uint64(from.UnixNano())^(1<<63))...)
	return append(k, u64(seq)...)
}

// putPast records that from from to to, record id of kind k was at the stored version val
// (nil: absent), a state that the store's other buckets no longer show. by says what ended it.
func putPast(tx *bolt.Tx, k Kind, id string, from, to time.Time, seq uint64, by string, val []byte) error {
	kb := tx.Bucket([]byte(k))
	if kb == nil {
		return fmt.Errorf("unknown record kind %q", k)
	}
	pb, err := kb.CreateBucketIfNotExists(bktPast)
	if err != nil {
		return err
	}
	e := enc{b: make([]byte, 0, len(val)+24)}
	e.varint(to.UnixNano())
	e.str(by)
	if val == nil {
		e.byte1(0)
	} else {
		e.byte1(1)
		e.b = append(e.b, val...)
	}
	return pb.Put(pastKey(id, from, seq), e.b)
}

type pastEntry struct {
	id       string
	from, to time.Time
	by       string
	val      []byte // nil: the record was absent
}

func decodePast(k, v []byte) (pastEntry, error) {
	if len(k) < 17 || k[len(k)-17] != 0 {
		return pastEntry{}, errDecode
	}
	p := pastEntry{id: string(k[:len(k)-17])}
	p.from = time.Unix(0, int64(binaryU64(k[len(k)-16:len(k)-8])^(1<<63))).UTC()
	d := dec{b: v}
	p.to = time.Unix(0, d.varint()).UTC()
	p.by = d.str()
	if d.byte1() == 1 {
		p.val = d.b
	}
	return p, d.err
}

// never is the start of a version whose import never committed.
var never = time.Unix(1<<40, 0).UTC()

// history is what known-on reads need of the import log.
type history struct {
	pending uint64
	entries map[uint64]importEntry
	// fin is when each committed (or later undone) import or undo committed.
	fin map[uint64]time.Time
	// imports are the committed (or later undone) imports, by LastSeq.
	imports []importEntry
}

func loadHistory(tx *bolt.Tx) (*history, error) {
	h := &history{pending: getU64(tx.Bucket(bktMeta), keyPending), entries: map[uint64]importEntry{},
		fin: map[uint64]time.Time{}}
	err := tx.Bucket(bktImports).ForEach(func(k, v []byte) error {
		if len(k) != 8 {
			return nil
		}
		n := binaryU64(k)
		e, err := getEntry(tx, n)
		if err != nil {
			return err
		}
		h.entries[n] = e
		if n != h.pending && (e.Status == StatusCommitted || e.Status == StatusUndone) {
			h.fin[n] = e.Finished
		}
		if e.Source != sourceUndo && e.LastSeq > 0 && (e.Status == StatusCommitted || e.Status == StatusUndone) {
			h.imports = append(h.imports, e)
		}
		return nil
	})
	slices.SortFunc(h.imports, func(a, b importEntry) int {
		return cmpU64(a.LastSeq, b.LastSeq)
	})
	return h, err
}

func cmpU64(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// finished is when import (or undo) g committed; ok is false when it never did.
func (h *history) finished(g uint64) (time.Time, bool) {
	t, ok := h.fin[g]
	return t, ok
}

// watermark is the last sequence number written by an import committed at or before t:
// every version with a number up to it was written at or before t (imports and edits take
// numbers in turn, and no edit runs while an import is open).
func (h *history) watermark(t time.Time) uint64 {
	var w uint64
	for _, e := range h.imports {
		if !e.Finished.After(t) && e.LastSeq > w {
			w = e.LastSeq
		}
	}
	return w
}

// after is the commit time of the last import that wrote numbers below seq: the earliest an
// edit at seq can have been made, for edits that did not record their time.
func (h *history) after(seq uint64) time.Time {
	i, _ := slices.BinarySearchFunc(h.imports, seq, func(e importEntry, s uint64) int { return cmpU64(e.LastSeq, s) })
	var t time.Time
	for _, e := range h.imports[:i] {
		if e.Finished.After(t) {
			t = e.Finished
		}
	}
	return t
}

// change is one record whose state at T differs from its current one.
type change struct {
	kind     Kind
	id       string
	nowVal   []byte
	thenVal  []byte
	thenSeq  uint64 // the sequence number thenVal was stored under (Refs name it: knownRef)
	nowSet   bool
	thenSet  bool
	override bool
	overFrom time.Time
}

// start returns when the stored version val (at seq, of record id) became current. prevEnd
// and prevBy describe the record's previous version, if known (prevEnd zero: unknown).
func (h *history) start(seq uint64, val []byte, prevEnd time.Time, prevBy string) time.Time {
	return h.startDel(seq, val, prevEnd, prevBy == ByDelete)
}

// startDel is start with the previous version's end cause reduced to "was it a deletion".
func (h *history) startDel(seq uint64, val []byte, prevEnd time.Time, prevDeleted bool) time.Time {
	if g := versionG(val); g != 0 {
		if t, ok := h.finished(g); ok {
			return t
		}
		return never
	}
	if ver, err := splitVersion(val); err == nil {
		pd := dec{b: ver.rest}
		if p := decodeProv(&pd); pd.err == nil && !p.At.IsZero() {
			return p.At
		}
	}
	if !prevEnd.IsZero() && !prevDeleted {
		return prevEnd
	}
	return h.after(seq)
}

// bodyID returns the id at the start of a stored version's body (every kind begins with it).
func bodyID(val []byte) string {
	ver, err := splitVersion(val)
	if err != nil {
		return ""
	}
	d := dec{b: ver.body}
	return d.str()
}

// prevRev returns the end and cause of the revision of id just before seq, if any.
func prevRev(kb kindBuckets, id string, seq uint64) (time.Time, string) {
	prefix := revPrefix(id)
	c := kb.rev.Cursor()
	k, v := c.Seek(revKey(id, seq))
	if k == nil {
		k, v = c.Last()
	} else {
		k, v = c.Prev()
	}
	if k == nil || !bytes.HasPrefix(k, prefix) || len(k) != len(prefix)+8 {
		return time.Time{}, ""
	}
	when, by, _, err := decodeRev(v)
	if err != nil {
		return time.Time{}, ""
	}
	return when, by
}

// knownDelta returns, for kind k, the records whose state at t differs from their current
// state, keyed by id.
func (s *Store) knownDelta(k Kind, t time.Time) (map[string]*change, error) {
	out := map[string]*change{}
	err := s.view(func(tx *bolt.Tx) error {
		kb, err := kindOf(tx, k)
		if err != nil {
			return err
		}
		h, err := loadHistory(tx)
		if err != nil {
			return err
		}
		v := newView(tx)
		get := func(id string) *change {
			c := out[id]
			if c == nil {
				c = &change{kind: k, id: id}
				out[id] = c
			}
			return c
		}
		setThen := func(id string, val []byte, seq uint64) {
			c := get(id)
			if !c.override {
				c.thenVal, c.thenSet, c.thenSeq = bytes.Clone(val), true, seq
			}
		}
		committedSup := func(seq []byte) []byte {
			if !kb.hasSup {
				return nil
			}
			if sv := kb.sup.Get(seq); sv != nil && versionG(sv[8:]) != v.pending {
				return sv
			}
			return nil
		}
		// Versions written after the watermark that are current and started after t.
		c := kb.rec.Cursor()
		for key, val := c.Seek(u64(h.watermark(t) + 1)); key != nil; key, val = c.Next() {
			g := versionG(val)
			if g != 0 {
				if g == v.pending {
					continue
				}
				if st, ok := h.fin[g]; ok && !st.After(t) {
					continue // most versions: written by an import committed by t
				}
			}
			if committedSup(key) != nil {
				continue
			}
			id := bodyID(val)
			var prevEnd time.Time
			var prevBy string
			if g == 0 {
				prevEnd, prevBy = prevRev(kb, id, binaryU64(key))
			}
			if st := h.start(binaryU64(key), val, prevEnd, prevBy); st.After(t) {
				ch := get(id)
				ch.nowVal, ch.nowSet = bytes.Clone(val), true
			}
		}
		// Versions superseded by a committed import or undo whose filing is not done yet.
		if kb.hasSup {
			err := kb.sup.ForEach(func(key, sv []byte) error {
				sg := versionG(sv[8:])
				if sg == v.pending {
					return nil
				}
				end, _ := h.finished(sg)
				if val := kb.rec.Get(key); val != nil {
					id := bodyID(val)
					prevEnd, prevBy := prevRev(kb, id, binaryU64(key))
					if st := h.start(binaryU64(key), val, prevEnd, prevBy); !st.After(t) && end.After(t) {
						setThen(id, val, binaryU64(key))
					}
				}
				if isUndoSup(sv) && binaryU64(sv[:8]) != 0 {
					if val := kb.rec.Get(sv[:8]); val != nil && end.After(t) {
						ch := get(bodyID(val))
						ch.nowVal, ch.nowSet = bytes.Clone(val), true
					}
				}
				return nil
			})
			if err != nil {
				return err
			}
		}
		// Revisions that ended after t and had started by then.
		// Read without allocating: a year of revisions is hundreds of thousands of entries,
		// most of which ended before t.
		var prevID []byte
		var prevEndNS int64
		var prevDeleted, hasPrev bool
		tNS := t.UnixNano()
		rc := kb.rev.Cursor()
		for key, val := rc.First(); key != nil; key, val = rc.Next() {
			if len(key) < 9 || key[len(key)-9] != 0 {
				continue
			}
			id := key[:len(key)-9]
			d := dec{b: val}
			whenNS := d.varint()
			by := d.raw(d.uvarint())
			if d.err != nil {
				return fmt.Errorf("%s revision %q: %w", k, id, d.err)
			}
			if !bytes.Equal(id, prevID) {
				hasPrev = false
			}
			if whenNS > tNS {
				var prevEnd time.Time
				if hasPrev {
					prevEnd = time.Unix(0, prevEndNS).UTC()
				}
				if st := h.startDel(binaryU64(key[len(key)-8:]), d.b, prevEnd, prevDeleted); !st.After(t) {
					setThen(string(id), d.b, binaryU64(key[len(key)-8:]))
				}
			}
			prevID, prevEndNS, prevDeleted, hasPrev = id, whenNS, string(by) == ByDelete, true
		}
		// What Restore and UndoImport erased: the latest-starting entry covering t wins.
		if pb := tx.Bucket([]byte(k)).Bucket(bktPast); pb != nil {
			err := pb.ForEach(func(key, val []byte) error {
				p, err := decodePast(key, val)
				if err != nil {
					return fmt.Errorf("%s past entry %x: %w", k, key, err)
				}
				if p.from.After(t) || !p.to.After(t) {
					return nil
				}
				ch := get(p.id)
				if ch.override && ch.overFrom.After(p.from) {
					return nil
				}
				ch.override, ch.overFrom = true, p.from
				ch.thenVal, ch.thenSet, ch.thenSeq = bytes.Clone(p.val), true, binaryU64(key[len(key)-8:])
				return nil
			})
			if err != nil {
				return err
			}
		}
		// The current state of every record found, and the decoded versions.
		for id, ch := range out {
			if !ch.nowSet {
				if val, _ := v.current(kb, id); val != nil {
					ch.nowVal = bytes.Clone(val)
				}
				ch.nowSet = true
			}
			if sameBody(ch.nowVal, ch.thenVal) {
				delete(out, id)
				continue
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("%s as known on %s: %w", k, KnownOnLabel(t), err)
	}
	return out, nil
}

// nowRecord decodes the record's current version (nil when it has none), and thenRecord
// its version at the known-on time. Deltas are cached and shared, so each call decodes anew.
func (c *change) nowRecord() (record, error) { return c.decode(c.nowVal) }

func (c *change) thenRecord() (record, error) { return c.decode(c.thenVal) }

func (c *change) decode(val []byte) (record, error) {
	if val == nil {
		return nil, nil
	}
	r, err := decodeAny(c.kind, val)
	if err != nil {
		return nil, fmt.Errorf("%s %q: %w", singular(c.kind), c.id, err)
	}
	return r, nil
}

// extraHeap orders the delta's versions as of the known-on time by date then id (the order
// scans emit), so that a scan merges them in without sorting them all: a scan that stops
// early (a chart naming the sources of its first incidents) pays only for what it reads.
type extraHeap []extraItem

type extraItem struct {
	date Date
	id   string
	ch   *change
}

func (h extraHeap) less(i, j int) bool {
	if c := h[i].date.Compare(h[j].date); c != 0 {
		return c < 0
	}
	return h[i].id < h[j].id
}

func (h extraHeap) down(i int) {
	for {
		l, m := 2*i+1, i
		if l < len(h) && h.less(l, m) {
			m = l
		}
		if r := l + 1; r < len(h) && h.less(r, m) {
			m = r
		}
		if m == i {
			return
		}
		h[i], h[m] = h[m], h[i]
		i = m
	}
}

func (h *extraHeap) pop() extraItem {
	old := *h
	top := old[0]
	old[0] = old[len(old)-1]
	*h = old[:len(old)-1]
	if len(*h) > 0 {
		h.down(0)
	}
	return top
}

// newExtraHeap reads the id and first date of each version as of t (every kind's body
// begins with them) without decoding the rest.
func newExtraHeap(d map[string]*change) (extraHeap, error) {
	h := make(extraHeap, 0, len(d))
	for _, ch := range d {
		if ch.thenVal == nil {
			continue
		}
		ver, err := splitVersion(ch.thenVal)
		if err != nil {
			return nil, err
		}
		bd := dec{b: ver.body}
		bd.raw(bd.uvarint())
		date := bd.date()
		if bd.err != nil {
			return nil, fmt.Errorf("%s %q: %w", singular(ch.kind), ch.id, bd.err)
		}
		h = append(h, extraItem{date, ch.id, ch})
	}
	for i := len(h)/2 - 1; i >= 0; i-- {
		h.down(i)
	}
	return h, nil
}

func sameBody(a, b []byte) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	va, err1 := splitVersion(a)
	vb, err2 := splitVersion(b)
	return err1 == nil && err2 == nil && bytes.Equal(va.body, vb.body)
}

// knownCache keeps the last deltas computed, until the store changes.
type knownCache struct {
	mu   sync.Mutex
	gen  uint64
	byAt map[knownKey]map[string]*change
	// rollups are known-on rollups read from the rollup log (nil map: the log does not
	// reach back that far).
	rollups map[int64]map[string]Totals
	// seqs index each cached delta's older versions by sequence number (knownVal).
	seqs map[knownKey]map[uint64]*change
}

type knownKey struct {
	kind Kind
	at   int64
}

// delta returns knownDelta(k, t), from the cache when the store has not changed since.
func (s *Store) delta(k Kind, t time.Time) (map[string]*change, error) {
	gen := s.gen.Load()
	key := knownKey{k, t.UnixNano()}
	s.known.mu.Lock()
	if s.known.gen == gen && s.known.byAt != nil {
		if d, ok := s.known.byAt[key]; ok {
			s.known.mu.Unlock()
			return d, nil
		}
	}
	s.known.mu.Unlock()
	d, err := s.knownDelta(k, t)
	if err != nil {
		return nil, err
	}
	s.known.mu.Lock()
	defer s.known.mu.Unlock()
	if s.known.gen != gen || s.known.byAt == nil || len(s.known.byAt) > 16 {
		s.known.gen, s.known.byAt, s.known.rollups = gen, map[knownKey]map[string]*change{}, map[int64]map[string]Totals{}
		s.known.seqs = map[knownKey]map[uint64]*change{}
	}
	s.known.byAt[key] = d
	idx := make(map[uint64]*change, len(d))
	for _, ch := range d {
		if ch.thenVal != nil {
			idx[ch.thenSeq] = ch
		}
	}
	s.known.seqs[key] = idx
	return d, nil
}

// scanKnown is scan for a filter that may ask for a known-on time: the current records not
// in the delta, merged in date-then-id order with the delta's records as they were then.
func (s *Store) scanKnown(k Kind, f Filter, match func(record) bool, fn func(record) error) error {
	if f.KnownOn.IsZero() {
		return s.scan(k, f.From, f.To, match, fn)
	}
	d, err := s.delta(k, f.KnownOn)
	if err != nil {
		return err
	}
	extra, err := newExtraHeap(d)
	if err != nil {
		return err
	}
	// emitBefore emits the versions as of t that sort before r (all of them for r nil).
	emitBefore := func(r record) error {
		for len(extra) > 0 {
			if r != nil {
				top := extra[0]
				if c := top.date.Compare(recDate(r)); c > 0 || (c == 0 && top.id >= r.recID()) {
					return nil
				}
			}
			it := extra.pop()
			x, err := it.ch.thenRecord()
			if err != nil {
				return err
			}
			if match == nil || match(x) {
				if err := fn(x); err != nil {
					return err
				}
			}
		}
		return nil
	}
	err = s.scan(k, f.From, f.To, func(r record) bool {
		if _, changed := d[r.recID()]; changed {
			return false
		}
		return match == nil || match(r)
	}, func(r record) error {
		if err := emitBefore(r); err != nil {
			return err
		}
		return fn(r)
	})
	if err != nil {
		return err
	}
	return emitBefore(nil)
}

// knownRollup calls fn with the incident rollup as it was at t: the current rollup corrected
// by the delta, entries that fall to zero left out.
func (s *Store) knownRollup(t time.Time, fn func(rollupEntry, Totals)) error {
	gen := s.gen.Load()
	s.known.mu.Lock()
	sums, cached := s.known.rollups[t.UnixNano()]
	if s.known.gen != gen {
		cached = false
	}
	s.known.mu.Unlock()
	if !cached {
		var logged bool
		var err error
		if sums, logged, err = s.loggedRollup(t); err != nil {
			return err
		}
		if !logged {
			sums = nil
		}
		s.known.mu.Lock()
		if s.known.gen != gen || s.known.rollups == nil || len(s.known.rollups) > 16 {
			s.known.gen, s.known.byAt, s.known.rollups = gen, map[knownKey]map[string]*change{}, map[int64]map[string]Totals{}
			s.known.seqs = map[knownKey]map[uint64]*change{}
		}
		s.known.rollups[t.UnixNano()] = sums
		s.known.mu.Unlock()
	}
	if sums != nil {
		return eachRollup(sums, fn)
	}
	d, err := s.delta(KindIncident, t)
	if err != nil {
		return err
	}
	sums = map[string]Totals{}
	err = s.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bktRollup).ForEach(func(k, v []byte) error {
			tt, err := decodeTotals(v)
			if err != nil {
				return fmt.Errorf("rollup value at %x: %w", k, ErrCorrupt)
			}
			sums[string(k)] = tt
			return nil
		})
	})
	if err != nil {
		return err
	}
	add := func(r record, sign int) {
		inc, ok := r.(*Incident)
		if !ok || inc == nil {
			return
		}
		tt := totalsOf(inc)
		if sign < 0 {
			tt = tt.negate()
		}
		key := string(rollupKey(inc))
		cur := sums[key]
		cur.Merge(tt)
		sums[key] = cur
	}
	for _, ch := range d {
		then, err := ch.thenRecord()
		if err != nil {
			return err
		}
		if then != nil {
			add(then, 1)
		}
		now, err := ch.nowRecord()
		if err != nil {
			return err
		}
		if now != nil {
			add(now, -1)
		}
	}
	return eachRollup(sums, fn)
}

// eachRollup calls fn for every entry of a rollup held in memory that counts incidents.
func eachRollup(sums map[string]Totals, fn func(rollupEntry, Totals)) error {
	for k, tt := range sums {
		if tt.Incidents <= 0 {
			continue
		}
		re, err := parseRollupKey([]byte(k))
		if err != nil {
			return fmt.Errorf("rollup key %x: %w", k, ErrCorrupt)
		}
		fn(re, tt)
	}
	return nil
}

// knownStored is scanStored for a filter that may ask for a known-on time (storage order).
func (s *Store) knownStored(k Kind, f Filter, match func(record) bool, fn func(record) error) error {
	if f.KnownOn.IsZero() {
		return s.scanStored(k, match, fn)
	}
	d, err := s.delta(k, f.KnownOn)
	if err != nil {
		return err
	}
	err = s.scanStored(k, func(r record) bool {
		if _, changed := d[r.recID()]; changed {
			return false
		}
		return match(r)
	}, fn)
	if err != nil {
		return err
	}
	ids := make([]string, 0, len(d))
	for id, ch := range d {
		if ch.thenVal != nil {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	for _, id := range ids {
		x, err := d[id].thenRecord()
		if err != nil {
			return err
		}
		if match(x) {
			if err := fn(x); err != nil {
				return err
			}
		}
	}
	return nil
}

// ParseKnownOn reads a known-on time: a day ("2025-11-06": the end of that day, local time),
// a day and a time ("2025-11-06 18:00", "2025-11-06T18:00:05", local time) or RFC 3339
// ("2025-11-06T18:00:00Z", "2025-11-06T18:00:00+01:00").
func ParseKnownOn(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, nil
	}
	if t, err := time.ParseInLocation("2006-01-02", s, time.Local); err == nil {
		return t.AddDate(0, 0, 1).Add(-time.Nanosecond), nil
	}
	for _, layout := range []string{"2006-01-02 15:04", "2006-01-02T15:04", "2006-01-02 15:04:05", "2006-01-02T15:04:05"} {
		if t, err := time.ParseInLocation(layout, s, time.Local); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("known-on time %q: want a day (2025-11-06, its end), a day and time (2025-11-06 18:00) or RFC 3339 (2025-11-06T18:00:00Z)", s)
}

// KnownOnLabel formats a known-on time for captions: "6 Nov 2025, 18:00", or "6 Nov 2025"
// for the end of a day (what ParseKnownOn makes of a day).
func KnownOnLabel(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	if end := time.Date(t.Year(), t.Month(), t.Day(), 23, 59, 59, 999999999, t.Location()); t.Equal(end) {
		return t.Format("2 Jan 2006")
	}
	if t.Second() != 0 || t.Nanosecond() != 0 {
		return t.Format("2 Jan 2006, 15:04:05")
	}
	return t.Format("2 Jan 2006, 15:04")
}

// stateAt returns the stored version of record id current at t (nil: absent), from the
// record's own history: its past entries, its revisions and its current version.
func stateAt(tx *bolt.Tx, kb kindBuckets, h *history, v *view, k Kind, id string, t time.Time) ([]byte, error) {
	prefix := revPrefix(id)
	if pb := tx.Bucket([]byte(k)).Bucket(bktPast); pb != nil {
		var best *pastEntry
		c := pb.Cursor()
		for key, val := c.Seek(prefix); key != nil && bytes.HasPrefix(key, prefix) && len(key) == len(prefix)+16; key, val = c.Next() {
			p, err := decodePast(key, val)
			if err != nil {
				return nil, err
			}
			if !p.from.After(t) && p.to.After(t) && (best == nil || p.from.After(best.from)) {
				best = &p
			}
		}
		if best != nil {
			return best.val, nil
		}
	}
	var prevEnd time.Time
	var prevBy string
	c := kb.rev.Cursor()
	for key, val := c.Seek(prefix); key != nil && bytes.HasPrefix(key, prefix) && len(key) == len(prefix)+8; key, val = c.Next() {
		when, by, old, err := decodeRev(val)
		if err != nil {
			return nil, err
		}
		if st := h.start(binaryU64(key[len(prefix):]), old, prevEnd, prevBy); !st.After(t) && when.After(t) {
			return old, nil
		}
		prevEnd, prevBy = when, by
	}
	if val, seq := v.current(kb, id); val != nil {
		if st := h.start(binaryU64(seq), val, prevEnd, prevBy); !st.After(t) {
			return val, nil
		}
	}
	return nil, nil
}

// windowChanges returns, for kind k, the records whose state as known on t1 differs from
// their state as known on t2 (zero: now), with both states: it looks only at versions that
// started or ended between the two, so a week's changes cost a week's work.
func (s *Store) windowChanges(k Kind, t1, t2 time.Time) (map[string][2][]byte, error) {
	out := map[string][2][]byte{}
	end := t2
	if end.IsZero() {
		end = never
	}
	in := func(t time.Time) bool { return t.After(t1) && !t.After(end) }
	err := s.view(func(tx *bolt.Tx) error {
		kb, err := kindOf(tx, k)
		if err != nil {
			return err
		}
		h, err := loadHistory(tx)
		if err != nil {
			return err
		}
		v := newView(tx)
		ids := map[string]bool{}
		// Revisions that started or ended in the window.
		var prevID []byte
		var prevEnd time.Time
		var prevBy string
		rc := kb.rev.Cursor()
		for key, val := rc.First(); key != nil; key, val = rc.Next() {
			if len(key) < 9 || key[len(key)-9] != 0 {
				continue
			}
			id := key[:len(key)-9]
			when, by, old, err := decodeRev(val)
			if err != nil {
				return err
			}
			if !bytes.Equal(id, prevID) {
				prevEnd, prevBy = time.Time{}, ""
			}
			if when.After(t1) {
				if in(when) || in(h.start(binaryU64(key[len(key)-8:]), old, prevEnd, prevBy)) {
					ids[string(id)] = true
				}
			}
			prevID, prevEnd, prevBy = id, when, by
		}
		// Current versions written after the last import committed by t1.
		c := kb.rec.Cursor()
		for key, val := c.Seek(u64(h.watermark(t1) + 1)); key != nil; key, val = c.Next() {
			g := versionG(val)
			if g != 0 && g == v.pending {
				continue
			}
			id := bodyID(val)
			var pe time.Time
			var pb string
			if g == 0 {
				pe, pb = prevRev(kb, id, binaryU64(key))
			}
			if in(h.start(binaryU64(key), val, pe, pb)) {
				ids[id] = true
			}
		}
		// States that Restore and UndoImport erased, beginning or ending in the window.
		if pb := tx.Bucket([]byte(k)).Bucket(bktPast); pb != nil {
			err := pb.ForEach(func(key, val []byte) error {
				p, err := decodePast(key, val)
				if err != nil {
					return err
				}
				if in(p.from) || in(p.to) {
					ids[p.id] = true
				}
				return nil
			})
			if err != nil {
				return err
			}
		}
		// Superseded versions not filed yet: their records, to be safe.
		if kb.hasSup {
			_ = kb.sup.ForEach(func(key, _ []byte) error {
				if val := kb.rec.Get(key); val != nil {
					ids[bodyID(val)] = true
				}
				return nil
			})
		}
		for id := range ids {
			a, err := stateAt(tx, kb, h, v, k, id, t1)
			if err != nil {
				return fmt.Errorf("%s %q: %w", singular(k), id, err)
			}
			var b []byte
			if t2.IsZero() {
				b, _ = v.current(kb, id)
			} else if b, err = stateAt(tx, kb, h, v, k, id, t2); err != nil {
				return fmt.Errorf("%s %q: %w", singular(k), id, err)
			}
			if !sameBody(a, b) {
				out[id] = [2][]byte{bytes.Clone(a), bytes.Clone(b)}
			}
		}
		return nil
	})
	return out, err
}

// knownRefBit marks a Ref that names a version as known on a time (a revision, or a state the
// past bucket keeps) rather than a current version: ScanRefs hands them out for a filter with
// KnownOn, and ReadRefs finds them in the known-on cache. Like every Ref they are valid until
// the store changes.
const knownRefBit = 1 << 63

// knownVal returns the version a known-on Ref names, from the deltas cached for kind k.
func (s *Store) knownVal(k Kind, ref Ref) []byte {
	seq := uint64(ref) &^ knownRefBit
	s.known.mu.Lock()
	defer s.known.mu.Unlock()
	if s.known.gen != s.gen.Load() {
		return nil
	}
	for key, idx := range s.known.seqs {
		if key.kind != k {
			continue
		}
		if ch := idx[seq]; ch != nil && ch.thenVal != nil {
			return ch.thenVal
		}
	}
	return nil
}
