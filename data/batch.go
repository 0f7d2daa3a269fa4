package data

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/maphash"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"
)

// chunkSize is how many records an import writes per bbolt transaction.
var chunkSize = 10000

// testStopBeforeCleanup makes Commit return before filing replaced versions, as if the
// process died right after the commit transaction. Tests only.
var testStopBeforeCleanup = false

// ImportInfo describes an import when it begins.
type ImportInfo struct {
	File   string // the file imported, as the user named it
	SHA256 string // hex digest of the file, to recognise a re-import
	Source string // "file", "demo" or "edit"
	// DryRun computes what the import would do and writes nothing.
	DryRun bool
}

// Import statuses.
const (
	StatusPending   = "pending" // being written; invisible to readers
	StatusCommitted = "committed"
	StatusUndone    = "undone"
	StatusFailed    = "failed" // aborted, or interrupted and rolled back
)

// Counts say what an import did with its records.
type Counts struct {
	Inserted  int `json:"inserted"`
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
}

// Total is Inserted + Updated + Unchanged.
func (c Counts) Total() int { return c.Inserted + c.Updated + c.Unchanged }

// ImportResult counts an import's records by kind and by sheet (Provenance.Sheet; "" for a
// CSV file or records with no sheet).
type ImportResult struct {
	ByKind  map[Kind]Counts   `json:"by_kind"`
	BySheet map[string]Counts `json:"by_sheet"`
}

// Total sums the counts over every kind.
func (r ImportResult) Total() Counts {
	var t Counts
	for _, c := range r.ByKind {
		t.Inserted += c.Inserted
		t.Updated += c.Updated
		t.Unchanged += c.Unchanged
	}
	return t
}

// ImportLog is one entry of the import log.
type ImportLog struct {
	ID       string       `json:"id"`
	File     string       `json:"file"`
	SHA256   string       `json:"sha256"`
	Source   string       `json:"source"`
	Started  time.Time    `json:"started"`
	Finished time.Time    `json:"finished"`
	Status   string       `json:"status"`
	Result   ImportResult `json:"result"`
}

// importEntry is the stored form of an ImportLog: it adds the range of record sequence
// numbers the import wrote, which rollback and undo work from.
type importEntry struct {
	ImportLog
	FirstSeq uint64 `json:"first_seq"`
	LastSeq  uint64 `json:"last_seq"`
}

func getEntry(tx *bolt.Tx, n uint64) (importEntry, error) {
	var e importEntry
	v := tx.Bucket(bktImports).Get(u64(n))
	if v == nil {
		return e, fmt.Errorf("import %s: %w", importIDOf(n), ErrNotFound)
	}
	if err := json.Unmarshal(v, &e); err != nil {
		return e, fmt.Errorf("import log entry %s: %w (%v)", importIDOf(n), ErrCorrupt, err)
	}
	return e, nil
}

func putEntry(tx *bolt.Tx, n uint64, e importEntry) error {
	b, err := json.Marshal(e)
	if err != nil {
		return err
	}
	return tx.Bucket(bktImports).Put(u64(n), b)
}

// Batch is an import in progress. Records put into it are written in chunks but stay
// invisible until Commit, and Abort (or a crash) removes them all. A Batch is not safe for
// concurrent use; only one non-dry-run Batch can be open on a Store at a time.
type Batch struct {
	s        *Store
	info     ImportInfo
	n        uint64 // import number; 0 for a dry run
	id       string
	firstSeq uint64
	buf      []pendingRec
	spare    []pendingRec // the other buffer, while buf fills
	scratch  enc          // used by prepare only: at most one chunk is prepared at a time
	newIDs   [3]newIDs    // ids inserted, by kind index; written by the writer goroutine
	inflight chan error   // the chunk being written, if any
	seen     [3]u64set    // hashes of the ids put, by kind index
	counts   [3]Counts
	sheets   map[string]*Counts
	seed     maphash.Seed
	delta    map[string]Totals // rollup changes, applied at Commit
	done     bool
	err      error // a failed chunk write: the batch can only be aborted
}

type pendingRec struct {
	kind Kind
	id   string
	rec  record // a copy of the record put (statements, tallies), until prepare encodes it into val
	// inc holds a copy of an incident put (isInc), in the recycled chunk buffer rather than
	// in an allocation per record: imports are mostly incidents, a million at a time.
	inc   Incident
	isInc bool
	val   []byte
	first int
	last  int
	sheet string
	prov  Provenance
	rkey  string // incidents: rollup key
	tot   Totals // incidents: their totals
}

// BeginImport starts an import. It returns ErrBusy while another import is open on s.
func (s *Store) BeginImport(info ImportInfo) (*Batch, error) {
	b := &Batch{s: s, info: info, seed: maphash.MakeSeed(),
		sheets: map[string]*Counts{}, delta: map[string]Totals{}}
	if info.DryRun {
		b.id = "dry-run"
		return b, nil
	}
	if s.readOnly {
		return nil, fmt.Errorf("import %s: %s: %w", info.File, s.path, ErrReadOnly)
	}
	if !s.lockWriter() {
		return nil, fmt.Errorf("import %s: %w; wait for it to finish", info.File, ErrBusy)
	}
	s.importing.Store(true)
	if err := s.checkOnce(); err != nil { // a damaged store is refused for writing (check.go)
		s.unlockImport()
		return nil, fmt.Errorf("import %s: %w", info.File, err)
	}
	err := s.updateTx(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bktMeta)
		if p := getU64(meta, keyPending); p != 0 {
			return fmt.Errorf("import %s is still pending", importIDOf(p))
		}
		b.n = getU64(meta, keyImportN) + 1
		b.id = importIDOf(b.n)
		b.firstSeq = getU64(meta, keySeq) + 1
		if err := putU64(meta, keyImportN, b.n); err != nil {
			return err
		}
		if err := putU64(meta, keyPending, b.n); err != nil {
			return err
		}
		return putEntry(tx, b.n, importEntry{ImportLog: ImportLog{ID: b.id, File: info.File,
			SHA256: info.SHA256, Source: info.Source, Started: Now().UTC(), Status: StatusPending,
			Result: b.resultNow()}, FirstSeq: b.firstSeq})
	})
	if err != nil {
		s.unlockImport()
		return nil, fmt.Errorf("begin import of %s: %w", info.File, err)
	}
	return b, nil
}

// ID returns the import id ("imp-000012"; "dry-run" for a dry run). Records put into the
// batch carry it in Provenance.ImportID.
func (b *Batch) ID() string { return b.id }

// PutIncident adds an incident to the batch. It returns an error wrapping ErrInvalid for a
// record the store cannot keep, and ErrDuplicateID when the batch already has that id.
func (b *Batch) PutIncident(r *Incident) error { return b.put(r) }

// PutStatement adds a statement to the batch; errors as PutIncident.
func (b *Batch) PutStatement(r *Statement) error { return b.put(r) }

// PutTally adds a tally to the batch; errors as PutIncident.
func (b *Batch) PutTally(r *Tally) error { return b.put(r) }

func singular(k Kind) string {
	switch k {
	case KindIncident:
		return "incident"
	case KindStatement:
		return "statement"
	case KindTally:
		return "tally"
	}
	return string(k)
}

func (b *Batch) put(r record) error {
	if b.done {
		return fmt.Errorf("import %s is already finished", b.id)
	}
	if b.err != nil {
		return fmt.Errorf("import %s failed earlier: %w", b.id, b.err)
	}
	if err := r.validate(); err != nil {
		return err
	}
	p := r.prov()
	p.ImportID = b.id
	k, id := r.kind(), r.recID()
	h := maphash.String(b.seed, id)
	if !b.seen[kindIndex(k)].add(h) {
		// A 64-bit hash collision between two different ids is possible in theory (about
		// one in 10^7 for a million ids); we accept reporting it as a duplicate.
		where := b.firstSeen(k, id)
		return fmt.Errorf("%s %q appears more than once in this import%s: %w", singular(k), id, where, ErrDuplicateID)
	}
	// Encoding, the rollup key and the totals are left to prepare, on the writer goroutine:
	// the caller's goroutine (the importer's parser) only validates and checks the id.
	if inc, ok := r.(*Incident); ok {
		b.buf = append(b.buf, pendingRec{kind: k, id: id, inc: *inc, isInc: true, sheet: p.Sheet, prov: *p})
	} else {
		b.buf = append(b.buf, pendingRec{kind: k, id: id, rec: copyRecord(r), sheet: p.Sheet, prov: *p})
	}
	if len(b.buf) >= chunkSize {
		if err := b.handOff(); err != nil {
			b.err = err
			return err
		}
	}
	return nil
}

// firstSeen says where the earlier record with the same id came from, when it can tell.
func (b *Batch) firstSeen(k Kind, id string) string {
	for _, p := range b.buf {
		if p.kind == k && p.id == id {
			return " (first at " + p.prov.String() + ")"
		}
	}
	if b.n == 0 {
		return ""
	}
	where := ""
	_ = b.s.view(func(tx *bolt.Tx) error {
		kb, err := kindOf(tx, k)
		if err != nil {
			return err
		}
		seq := kb.id.Get([]byte(id))
		if seq == nil {
			return nil
		}
		v := kb.rec.Get(seq)
		if s := kb.sup.Get(seq); s != nil && versionG(s[8:]) == b.n {
			v = kb.rec.Get(s[:8])
		}
		if v == nil || versionG(v) != b.n {
			return nil
		}
		if r, err := decodeAny(k, v); err == nil {
			where = " (first at " + r.prov().String() + ")"
		}
		return nil
	})
	return where
}

type kv struct{ k, v []byte }

func sortKV(s []kv) { slices.SortFunc(s, func(a, b kv) int { return bytes.Compare(a.k, b.k) }) }

// flush writes (or, for a dry run, only counts) the buffered records in one transaction.
// handOff passes the full buffer to a writer goroutine, so that the caller (an importer
// parsing a workbook) keeps working on one core while the chunk is written on the other. At
// most one chunk is in flight; an error writing it surfaces at the next hand-off or Commit.
func (b *Batch) handOff() error {
	if err := b.wait(); err != nil {
		return err
	}
	chunk := b.buf
	b.buf, b.spare = b.spare[:0], nil
	b.inflight = make(chan error, 1)
	go func() {
		err := b.flush(chunk)
		b.spare = chunk[:0]
		b.inflight <- err
	}()
	return nil
}

// wait waits for the chunk in flight, if any, and returns its error.
func (b *Batch) wait() error {
	if b.inflight == nil {
		return nil
	}
	err := <-b.inflight
	b.inflight = nil
	return err
}

// copyRecord returns a shallow copy of r, so that the batch keeps what was put even if the
// caller reuses its record.
func copyRecord(r record) record {
	switch x := r.(type) {
	case *Incident:
		c := *x
		return &c
	case *Statement:
		c := *x
		return &c
	case *Tally:
		c := *x
		return &c
	}
	return r
}

// prepare encodes the records of a chunk, with their date span and, for incidents, their
// rollup key and totals. It runs on the writer goroutine (or in Commit, after it).
func (b *Batch) prepare(chunk []pendingRec) {
	for i := range chunk {
		pr := &chunk[i]
		rec := pr.rec
		if pr.isInc {
			rec = &pr.inc
		}
		if rec == nil {
			continue
		}
		pr.val = encodeRecordScratch(rec, b.n, &b.scratch)
		pr.first, pr.last, _ = spanOf(rec)
		if inc, ok := rec.(*Incident); ok {
			pr.rkey = string(rollupKey(inc))
			pr.tot = totalsOf(inc)
		}
		pr.rec, pr.isInc = nil, false
	}
}

// flush writes (or, for a dry run, only counts) a chunk of records in one transaction.
func (b *Batch) flush(chunk []pendingRec) error {
	if len(chunk) == 0 {
		return nil
	}
	b.prepare(chunk)
	type perKind struct {
		kb       kindBuckets
		rec, sup []kv
		dates    *dateEdits
		span     uint64
		used     bool
	}
	fn := func(tx *bolt.Tx) error {
		meta := tx.Bucket(bktMeta)
		v := newView(tx)
		seq := getU64(meta, keySeq)
		var pk [3]perKind
		var lastSheet string
		var sc *Counts
		for _, p := range chunk {
			ki := kindIndex(p.kind)
			w := &pk[ki]
			if !w.used {
				kb, err := kindOf(tx, p.kind)
				if err != nil {
					return err
				}
				// Versions are keyed by an ever-growing sequence number: appended, never
				// inserted between, so full pages (not bbolt's default half-full splits) halve
				// the pages to write and the file's size.
				kb.rec.FillPercent = 1.0
				*w = perKind{kb: kb, dates: newDateEdits(), span: getU64(meta, keySpan(p.kind)), used: true,
					rec: make([]kv, 0, len(chunk))}
			}
			kc := &b.counts[ki]
			if sc == nil || p.sheet != lastSheet {
				lastSheet = p.sheet
				if sc = b.sheets[p.sheet]; sc == nil {
					sc = &Counts{}
					b.sheets[p.sheet] = sc
				}
			}
			curVal, curSeq := v.current(w.kb, p.id)
			if curVal != nil {
				old, err := splitVersion(curVal)
				if err != nil {
					return fmt.Errorf("%s %s: %w", singular(p.kind), p.id, err)
				}
				nv, _ := splitVersion(p.val)
				if bytes.Equal(old.body, nv.body) {
					kc.Unchanged++
					sc.Unchanged++
					continue
				}
				kc.Updated++
				sc.Updated++
				if b.n == 0 {
					continue
				}
				seq++
				w.rec = append(w.rec, kv{u64(seq), p.val})
				w.dates.insert(p.first, seq)
				w.sup = append(w.sup, kv{bytes.Clone(curSeq), binary.AppendUvarint(u64(seq), b.n)})
				if p.kind == KindIncident {
					oldInc, err := decodeIncident(curVal)
					if err != nil {
						return fmt.Errorf("incident %s: %w", p.id, err)
					}
					b.addDelta(string(rollupKey(&oldInc)), totalsOf(&oldInc).negate())
					b.addDelta(p.rkey, p.tot)
				}
			} else {
				kc.Inserted++
				sc.Inserted++
				if b.n == 0 {
					continue
				}
				seq++
				w.rec = append(w.rec, kv{u64(seq), p.val})
				w.dates.insert(p.first, seq)
				b.newIDs[ki].add(p.id, seq)
				if p.kind == KindIncident {
					b.addDelta(p.rkey, p.tot)
				}
			}
			if s := uint64(p.last - p.first); p.first != minDayNumber && s > w.span {
				w.span = s
			}
		}
		if b.n == 0 {
			return nil
		}
		for ki := range pk {
			w := &pk[ki]
			if !w.used {
				continue
			}
			sortKV(w.sup)
			for _, set := range []struct {
				b  *bolt.Bucket
				kv []kv
			}{{w.kb.rec, w.rec}, {w.kb.sup, w.sup}} {
				for _, e := range set.kv {
					if err := set.b.Put(e.k, e.v); err != nil {
						return err
					}
				}
			}
			if err := w.dates.apply(w.kb.date); err != nil {
				return err
			}
			if err := putU64(meta, keySpan(Kinds[ki]), w.span); err != nil {
				return err
			}
		}
		return putU64(meta, keySeq, seq)
	}
	var err error
	if b.n == 0 {
		err = b.s.view(fn)
	} else {
		err = b.s.updateTx(fn)
	}
	if err != nil {
		return fmt.Errorf("import %s: write chunk: %w", b.id, err)
	}
	for ki := range b.newIDs {
		b.newIDs[ki].closeRun()
	}
	return nil
}

func kindIndex(k Kind) int {
	switch k {
	case KindStatement:
		return 1
	case KindTally:
		return 2
	}
	return 0
}

// resultNow assembles the ImportResult from the batch's counters.
func (b *Batch) resultNow() ImportResult {
	r := ImportResult{ByKind: map[Kind]Counts{}, BySheet: map[string]Counts{}}
	for i, c := range b.counts {
		if c.Total() > 0 {
			r.ByKind[Kinds[i]] = c
		}
	}
	for sh, c := range b.sheets {
		r.BySheet[sh] = *c
	}
	return r
}

func (b *Batch) addDelta(key string, t Totals) {
	cur := b.delta[key]
	cur.Merge(t)
	b.delta[key] = cur
}

// Commit makes the whole import visible at once and returns what it did. After a failed
// chunk write, Commit rolls the batch back and returns the error.
func (b *Batch) Commit() (ImportResult, error) {
	if b.done {
		return b.resultNow(), fmt.Errorf("import %s is already finished", b.id)
	}
	if b.err == nil {
		b.err = b.wait()
	}
	if b.err == nil {
		b.err = b.flush(b.buf)
		b.buf = b.buf[:0]
	}
	if b.err != nil {
		cause := b.err
		if err := b.Abort(); err != nil {
			return ImportResult{}, fmt.Errorf("%w; and rolling it back failed: %v", cause, err)
		}
		return ImportResult{}, fmt.Errorf("%w (nothing of it was kept)", cause)
	}
	if b.n == 0 {
		b.done = true
		return b.resultNow(), nil
	}
	s := b.s
	// The rollup keys to write are sorted while the ids are published.
	sortedKeys := make(chan []string, 1)
	go func() {
		keys := make([]string, 0, len(b.delta))
		for k, t := range b.delta {
			if !t.isZero() {
				keys = append(keys, k)
			}
		}
		slices.Sort(keys)
		sortedKeys <- keys
	}()
	err := b.publishIDs()
	keys := <-sortedKeys
	if err == nil {
		err = s.updateTx(func(tx *bolt.Tx) error {
			rollup := tx.Bucket(bktRollup)
			for _, k := range keys {
				if err := addRollup(rollup, []byte(k), b.delta[k]); err != nil {
					return err
				}
			}
			meta := tx.Bucket(bktMeta)
			e, err := getEntry(tx, b.n)
			if err != nil {
				return err
			}
			e.Status = StatusCommitted
			e.Finished = Now().UTC()
			e.Result = b.resultNow()
			e.LastSeq = getU64(meta, keySeq)
			if err := putEntry(tx, b.n, e); err != nil {
				return err
			}
			return meta.Delete(keyPending)
		})
	}
	if err != nil {
		b.err = err
		if aerr := b.Abort(); aerr != nil {
			return ImportResult{}, fmt.Errorf("commit import %s: %w; and rolling it back failed: %v", b.id, err, aerr)
		}
		return ImportResult{}, fmt.Errorf("commit import %s: %w (nothing of it was kept)", b.id, err)
	}
	b.done = true
	defer s.unlockImport()
	if testStopBeforeCleanup {
		return b.resultNow(), nil
	}
	if err := s.cleanup(); err != nil {
		return b.resultNow(), fmt.Errorf("import %s is committed, but filing the replaced versions as revisions failed (retried at next open): %w", b.id, err)
	}
	return b.resultNow(), nil
}

// Abort discards the batch: nothing of it stays in the store. Abort after Commit does
// nothing, so callers may defer it.
func (b *Batch) Abort() error {
	if b.done {
		return nil
	}
	b.done = true
	_ = b.wait() // the batch is being discarded: a write error no longer matters
	if b.n == 0 {
		return nil
	}
	defer b.s.unlockImport()
	return b.s.rollback(b.n, b.firstSeq)
}

// newIDs are the ids an import inserted, with the sequence numbers of their versions, kept
// in memory until Commit publishes them to the id index: one arena for the ids and a
// fixed-size entry each, about 25 MB for a million ids. Nothing on disk needs them before
// then (readers ignore the pending import, and duplicates are caught in memory); after a
// crash, rollback finds the import's versions by sequence number.
type newIDs struct {
	arena   []byte
	entries []idEntry
	runs    []int // ends of the sorted runs of entries (one per chunk), sorted by closeRun
}

type idEntry struct {
	off, n uint32
	seq    uint64
}

func (n *newIDs) add(id string, seq uint64) {
	n.entries = append(n.entries, idEntry{uint32(len(n.arena)), uint32(len(id)), seq})
	n.arena = append(n.arena, id...)
}

func (n *newIDs) id(e idEntry) []byte { return n.arena[e.off : e.off+e.n] }

func (n *newIDs) less(x, y idEntry) int { return bytes.Compare(n.id(x), n.id(y)) }

// closeRun sorts the entries added since the last run. The writer goroutine calls it after
// each chunk, so that Commit only merges sorted runs instead of sorting every id.
func (n *newIDs) closeRun() {
	start := 0
	if len(n.runs) > 0 {
		start = n.runs[len(n.runs)-1]
	}
	if len(n.entries) == start {
		return
	}
	slices.SortFunc(n.entries[start:], n.less)
	n.runs = append(n.runs, len(n.entries))
}

// sorted returns every entry in id order, merging the sorted runs (ids are unique in a batch).
func (n *newIDs) sorted() []idEntry {
	n.closeRun()
	if len(n.runs) <= 1 {
		return n.entries
	}
	out := make([]idEntry, 0, len(n.entries))
	n.merge(func(e idEntry) bool { out = append(out, e); return true })
	return out
}

// sortedParts sends every entry in id order, in parts of up to size entries, on the
// returned channel, merging the sorted runs in a goroutine so that the caller can write one
// part while the next is merged. Closing stop makes the goroutine give up early.
func (n *newIDs) sortedParts(size int, stop <-chan struct{}) <-chan []idEntry {
	n.closeRun()
	ch := make(chan []idEntry, 1)
	go func() {
		defer close(ch)
		part := make([]idEntry, 0, size)
		send := func() bool {
			select {
			case ch <- part:
				part = make([]idEntry, 0, size)
				return true
			case <-stop:
				return false
			}
		}
		if !n.merge(func(e idEntry) bool {
			part = append(part, e)
			return len(part) < size || send()
		}) {
			return
		}
		if len(part) > 0 {
			send()
		}
	}()
	return ch
}

// merge calls emit with every entry in id order, merging the sorted runs, until emit
// returns false (then merge returns false).
func (n *newIDs) merge(emit func(idEntry) bool) bool {
	type cursor struct{ i, end int }
	h := make([]cursor, 0, len(n.runs))
	start := 0
	for _, end := range n.runs {
		if end > start {
			h = append(h, cursor{start, end})
		}
		start = end
	}
	less := func(a, b int) bool { return n.less(n.entries[h[a].i], n.entries[h[b].i]) < 0 }
	down := func(i int) {
		for {
			l, m := 2*i+1, i
			if l < len(h) && less(l, m) {
				m = l
			}
			if r := l + 1; r < len(h) && less(r, m) {
				m = r
			}
			if m == i {
				return
			}
			h[i], h[m] = h[m], h[i]
			i = m
		}
	}
	for i := len(h)/2 - 1; i >= 0; i-- {
		down(i)
	}
	for len(h) > 0 {
		if !emit(n.entries[h[0].i]) {
			return false
		}
		if h[0].i++; h[0].i == h[0].end {
			h[0] = h[len(h)-1]
			h = h[:len(h)-1]
		}
		if len(h) > 0 {
			down(0)
		}
	}
	return true
}

// publishIDs writes the inserted ids to the id index, sorted, in chunks. Written in file
// order, chunk by chunk, they would touch pages all over the index in every chunk whenever
// ids are not in file order (a sheet sorted by date): three times the CPU and memory of
// sorted ids at a million records. Sorted, each chunk fills a run of neighbouring pages.
// The import is still pending, so readers ignore these entries until Commit flips it.
func (b *Batch) publishIDs() error {
	// Sorted ids touch few pages each, so a transaction takes several chunks' worth: fewer
	// commits (each rewrites the branch pages and syncs the file).
	const idChunk = 5
	for ki, k := range Kinds {
		ids := &b.newIDs[ki]
		if len(ids.entries) == 0 {
			continue
		}
		stop := make(chan struct{})
		for part := range ids.sortedParts(idChunk*chunkSize, stop) {
			err := b.s.updateTx(func(tx *bolt.Tx) error {
				kb, err := kindOf(tx, k)
				if err != nil {
					return err
				}
				if last, _ := kb.id.Cursor().Last(); last == nil || bytes.Compare(last, ids.id(part[0])) < 0 {
					// Every id of this part sorts after those stored (always so in a new
					// store): they are appended, so pages can be filled.
					kb.id.FillPercent = 1.0
				}
				for _, e := range part {
					if err := kb.id.Put(ids.id(e), u64(e.seq)); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				close(stop)
				return fmt.Errorf("publish ids: %w", err)
			}
		}
		*ids = newIDs{}
	}
	return nil
}

// rollback removes everything import n wrote (its records have sequence numbers from
// firstSeq on) in chunked transactions, then marks it failed. Until the last transaction the
// import stays pending, so readers never see a half-removed import.
func (s *Store) rollback(n, firstSeq uint64) error {
	for _, k := range Kinds {
		from := u64(firstSeq)
		for {
			var next []byte
			err := s.updateTx(func(tx *bolt.Tx) error {
				kb, err := kindOf(tx, k)
				if err != nil {
					return err
				}
				type victim struct {
					seq   []byte
					id    string
					first int
				}
				var vs []victim
				c := kb.rec.Cursor()
				for key, val := c.Seek(from); key != nil; key, val = c.Next() {
					if len(vs) >= chunkSize {
						next = bytes.Clone(key)
						break
					}
					if versionG(val) != n {
						continue
					}
					r, err := decodeAny(k, val)
					if err != nil {
						return fmt.Errorf("%s at %x: %w", k, key, err)
					}
					first, _, _ := spanOf(r)
					vs = append(vs, victim{bytes.Clone(key), r.recID(), first})
				}
				de := newDateEdits()
				for _, v := range vs {
					de.remove(v.first, binaryU64(v.seq))
					if cur := kb.id.Get([]byte(v.id)); bytes.Equal(cur, v.seq) {
						if err := kb.id.Delete([]byte(v.id)); err != nil {
							return err
						}
					}
					if err := kb.rec.Delete(v.seq); err != nil {
						return err
					}
				}
				if err := de.apply(kb.date); err != nil {
					return err
				}
				return nil
			})
			if err != nil {
				return fmt.Errorf("roll back import %s: %w", importIDOf(n), err)
			}
			if next == nil {
				break
			}
			from = next
		}
		// Then the import's entries in sup, a chunk at a time, resuming where the last stopped.
		from = nil
		for {
			var next []byte
			err := s.updateTx(func(tx *bolt.Tx) error {
				kb, err := kindOf(tx, k)
				if err != nil {
					return err
				}
				var sups [][]byte
				c := kb.sup.Cursor()
				key, val := c.First()
				if from != nil {
					key, val = c.Seek(from)
				}
				for ; key != nil; key, val = c.Next() {
					if len(sups) >= chunkSize {
						next = bytes.Clone(key)
						break
					}
					if len(val) > 8 && versionG(val[8:]) == n {
						sups = append(sups, bytes.Clone(key))
					}
				}
				for _, key := range sups {
					if err := kb.sup.Delete(key); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				return fmt.Errorf("roll back import %s: %w", importIDOf(n), err)
			}
			if next == nil {
				break
			}
			from = next
		}
	}
	return s.updateTx(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bktMeta)
		if getU64(meta, keyPending) == n {
			if err := meta.Delete(keyPending); err != nil {
				return err
			}
		}
		e, err := getEntry(tx, n)
		if err != nil {
			return err
		}
		e.Status = StatusFailed
		e.Finished = Now().UTC()
		return putEntry(tx, n, e)
	})
}

func binaryU64(b []byte) uint64 { return binary.BigEndian.Uint64(b) }

// cleanup files the versions that committed imports replaced as revisions, in chunks: it
// moves each superseded version from rec to rev and points the id index at its successor.
// Readers already treat superseded versions as gone, so every chunk leaves a consistent store.
func (s *Store) cleanup() error {
	finished := map[uint64]time.Time{}
	for _, k := range Kinds {
		for {
			moved := 0
			err := s.updateTx(func(tx *bolt.Tx) error {
				kb, err := kindOf(tx, k)
				if err != nil {
					return err
				}
				pending := getU64(tx.Bucket(bktMeta), keyPending)
				var work []kv
				c := kb.sup.Cursor()
				for key, val := c.First(); key != nil && len(work) < chunkSize; key, val = c.Next() {
					if len(val) > 8 && versionG(val[8:]) != pending {
						work = append(work, kv{bytes.Clone(key), bytes.Clone(val)})
					}
				}
				de := newDateEdits()
				for _, w := range work {
					if isUndoSup(w.v) {
						if err := finishUndo(kb, de, k, w.k, w.v); err != nil {
							return err
						}
						continue
					}
					g := versionG(w.v[8:])
					when, ok := finished[g]
					if !ok {
						e, err := getEntry(tx, g)
						if err != nil {
							return err
						}
						when = e.Finished
						finished[g] = when
					}
					old := kb.rec.Get(w.k)
					if old == nil {
						if err := kb.sup.Delete(w.k); err != nil {
							return err
						}
						continue
					}
					r, err := decodeAny(k, old)
					if err != nil {
						return err
					}
					if err := kb.rev.Put(revKey(r.recID(), binaryU64(w.k)), encodeRev(when, importIDOf(g), old)); err != nil {
						return err
					}
					first, _, _ := spanOf(r)
					de.remove(first, binaryU64(w.k))
					if err := kb.rec.Delete(w.k); err != nil {
						return err
					}
					if err := kb.id.Put([]byte(r.recID()), bytes.Clone(w.v[:8])); err != nil {
						return err
					}
					if err := kb.sup.Delete(w.k); err != nil {
						return err
					}
				}
				moved = len(work)
				return de.apply(kb.date)
			})
			if err != nil {
				return err
			}
			if moved == 0 {
				break
			}
		}
	}
	return nil
}

// recover finishes what a crash interrupted: filing revisions of a committed import, and
// rolling back an import that never committed.
func (s *Store) recover() error {
	if err := s.cleanup(); err != nil {
		return err
	}
	var pending, firstSeq uint64
	var source string
	err := s.view(func(tx *bolt.Tx) error {
		pending = getU64(tx.Bucket(bktMeta), keyPending)
		if pending == 0 {
			return nil
		}
		e, err := getEntry(tx, pending)
		if err != nil {
			return err
		}
		firstSeq, source = e.FirstSeq, e.Source
		return nil
	})
	if err != nil || pending == 0 {
		return err
	}
	if source == sourceUndo {
		return s.rollbackUndo(pending)
	}
	return s.rollback(pending, firstSeq)
}

// encodeRev encodes a revision: time (unix nanoseconds), who replaced it, the old version.
func encodeRev(when time.Time, by string, old []byte) []byte {
	e := enc{b: make([]byte, 0, len(old)+32)}
	e.varint(when.UnixNano())
	e.str(by)
	e.b = append(e.b, old...)
	return e.b
}

func decodeRev(v []byte) (when time.Time, by string, old []byte, err error) {
	d := dec{b: v}
	ns := d.varint()
	by = d.str()
	if d.err != nil {
		return time.Time{}, "", nil, d.err
	}
	return time.Unix(0, ns).UTC(), by, d.b, nil
}

// Imports returns the import log, newest first.
func (s *Store) Imports() ([]ImportLog, error) {
	var out []ImportLog
	err := s.view(func(tx *bolt.Tx) error {
		c := tx.Bucket(bktImports).Cursor()
		for k, v := c.Last(); k != nil; k, v = c.Prev() {
			var e importEntry
			if err := json.Unmarshal(v, &e); err != nil {
				return fmt.Errorf("import log entry %x: %w (%v)", k, ErrCorrupt, err)
			}
			if e.Source != sourceUndo {
				out = append(out, e.ImportLog)
			}
		}
		return nil
	})
	return out, err
}

// HasDemoData reports whether a committed, not undone, demo import exists.
func (s *Store) HasDemoData() (bool, error) {
	logs, err := s.Imports()
	if err != nil {
		return false, err
	}
	for _, l := range logs {
		if l.Source == "demo" && l.Status == StatusCommitted {
			return true, nil
		}
	}
	return false, nil
}
