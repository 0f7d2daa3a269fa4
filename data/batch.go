package data

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/maphash"
	"slices"

	bolt "go.etcd.io/bbolt"
)

// ImportInfo describes an import when it begins.
type ImportInfo struct {
	File   string // the file imported, as the user named it
	SHA256 string // hex digest of the file, to recognise a re-import
	Source string // "file", "demo" or "edit"
	// DryRun computes what the import would do and writes nothing.
	DryRun bool
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
	// delta holds the rollup changes, applied at Commit, in compact form: an import of a
	// million incidents may touch nearly as many rollup keys.
	delta map[string]rollupDelta
	done  bool
	err   error // a failed chunk write: the batch can only be aborted
	// atCommit, when set, makes more writes in the commit transaction (a merge's spans).
	atCommit func(tx *bolt.Tx) error
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
	rkey  string // incidents: rollup key (their totals are computed from inc when written)
}

// BeginImport starts an import. It returns ErrBusy while another import is open on s.
func (s *Store) BeginImport(info ImportInfo) (*Batch, error) {
	b := &Batch{s: s, info: info, seed: maphash.MakeSeed(),
		sheets: map[string]*Counts{}, delta: map[string]rollupDelta{}}
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
			SHA256: info.SHA256, Source: info.Source, Started: s.Now().UTC(), Status: StatusPending,
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
	// Encoding and the rollup key are left to prepare, on the writer goroutine (the totals are
	// computed from inc when the record is written): the caller's goroutine (the importer's parser) only validates and checks the id.
	if inc, ok := r.(*Incident); ok {
		b.buf = append(b.buf, pendingRec{kind: k, id: id, inc: *inc, isInc: true, sheet: p.Sheet, prov: *p})
	} else {
		b.buf = append(b.buf, pendingRec{kind: k, id: id, rec: copyRecord(r), sheet: p.Sheet, prov: *p})
	}
	if len(b.buf) >= b.s.chunk {
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
		}
		pr.rec, pr.isInc = nil, false
	}
}

// chunkKind is what a chunk writes for one kind of record: versions (rec), superseded
// versions (sup), date index edits and the longest date span.
type chunkKind struct {
	kb       kindBuckets
	rec, sup []kv
	dates    *dateEdits
	span     uint64
	used     bool
}

// open readies w for the first record of kind k in a chunk of n records.
func (w *chunkKind) open(tx *bolt.Tx, k Kind, n int) error {
	if w.used {
		return nil
	}
	kb, err := kindOf(tx, k)
	if err != nil {
		return err
	}
	// Versions are keyed by an ever-growing sequence number: appended, never inserted
	// between, so full pages (not bbolt's default half-full splits) halve the pages to write
	// and the file's size.
	kb.rec.FillPercent = 1.0
	*w = chunkKind{kb: kb, dates: newDateEdits(), span: getU64(tx.Bucket(bktMeta), keySpan(k)), used: true,
		rec: make([]kv, 0, n)}
	return nil
}

// write puts the kind's versions, superseded marks and date edits into its buckets and
// records its span in meta.
func (w *chunkKind) write(meta *bolt.Bucket, k Kind) error {
	if !w.used {
		return nil
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
	return putU64(meta, keySpan(k), w.span)
}

// flush writes (or, for a dry run, only counts) a chunk of records in one transaction.
func (b *Batch) flush(chunk []pendingRec) error {
	if len(chunk) == 0 {
		return nil
	}
	b.prepare(chunk)
	fn := func(tx *bolt.Tx) error {
		meta := tx.Bucket(bktMeta)
		v := newView(tx)
		seq := getU64(meta, keySeq)
		var pk [3]chunkKind
		var lastSheet string
		var sc *Counts
		for _, p := range chunk {
			ki := kindIndex(p.kind)
			w := &pk[ki]
			if err := w.open(tx, p.kind, len(chunk)); err != nil {
				return err
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
			} else {
				kc.Inserted++
				sc.Inserted++
			}
			if b.n == 0 {
				continue
			}
			seq++
			w.rec = append(w.rec, kv{u64(seq), p.val})
			w.dates.insert(p.first, seq)
			if curVal != nil {
				// The current version is superseded by this one (cleanup files it as a revision).
				w.sup = append(w.sup, kv{bytes.Clone(curSeq), binary.AppendUvarint(u64(seq), b.n)})
				if p.kind == KindIncident {
					oldInc, err := decodeIncident(curVal)
					if err != nil {
						return fmt.Errorf("incident %s: %w", p.id, err)
					}
					b.addDelta(string(rollupKey(&oldInc)), totalsOf(&oldInc).negate())
				}
			} else {
				b.newIDs[ki].add(p.id, seq)
			}
			if p.kind == KindIncident {
				b.addDelta(p.rkey, totalsOf(&p.inc))
			}
			if s := uint64(p.last - p.first); p.first != minDayNumber && s > w.span {
				w.span = s
			}
		}
		if b.n == 0 {
			return nil
		}
		for ki := range pk {
			if err := pk[ki].write(meta, Kinds[ki]); err != nil {
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
	d := b.delta[key]
	d.add(t)
	b.delta[key] = d
}

// Commit makes the whole import visible at once and returns what it did. After a failed
// chunk write, Commit rolls the batch back and returns the error.
func (b *Batch) Commit() (ImportResult, error) {
	res, err := b.commit()
	if err != nil || b.n == 0 {
		return res, err
	}
	defer b.s.unlockImport()
	if err := b.s.cleanup(); err != nil {
		return res, fmt.Errorf("import %s is committed, but filing the replaced versions as revisions failed (retried at next open): %w", b.id, err)
	}
	return res, nil
}

// commit is Commit up to the transaction that makes the import visible: it leaves the
// versions the import replaced for cleanup to file, and the writer lock held when there is
// one (b.n != 0).
func (b *Batch) commit() (ImportResult, error) {
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
		for k, d := range b.delta {
			if d != (rollupDelta{}) {
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
				if err := addRollup(rollup, []byte(k), b.delta[k].totals()); err != nil {
					return err
				}
			}
			meta := tx.Bucket(bktMeta)
			e, err := getEntry(tx, b.n)
			if err != nil {
				return err
			}
			e.Status = StatusCommitted
			e.Finished = s.Now().UTC()
			noteEventTime(tx, e.Finished)
			e.Result = b.resultNow()
			e.LastSeq = getU64(meta, keySeq)
			if b.atCommit != nil {
				if err := b.atCommit(tx); err != nil {
					return err
				}
			}
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
	return b.resultNow(), nil
}

// Abort discards the batch: nothing of it stays in the store. Abort after Commit does
// nothing, so callers may defer it. The import log keeps the import as failed (with the write
// error as the reason, when a write failed); AbortBecause says why.
func (b *Batch) Abort() error {
	return b.AbortBecause(nil)
}

// AbortBecause is Abort with the reason the import failed, kept in its import log entry
// (ImportLog.Error) so that the Imports list can say why; with why nil, the write error the
// batch met, if any, is the reason.
func (b *Batch) AbortBecause(why error) error {
	if b.done {
		return nil
	}
	b.done = true
	werr := b.wait() // the batch is being discarded: a write error is only the reason now
	if b.n == 0 {
		return nil
	}
	reason := "abandoned before it was committed"
	switch {
	case why != nil:
		reason = why.Error()
	case b.err != nil:
		reason = b.err.Error()
	case werr != nil:
		reason = werr.Error()
	}
	defer b.s.unlockImport()
	if b.info.Source == SourceMerge {
		return b.s.rollbackMerge(b.n, b.firstSeq, reason)
	}
	return b.s.rollback(b.n, b.firstSeq, reason)
}
