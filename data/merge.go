package data

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"reflect"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"
)

// # Merging stores
//
// Merge brings another store's records into this one with their revisions, provenance and
// deletions. Versions are recognised by their body (the record's fields, provenance aside), so
// a record is the same in both stores when its current bodies are equal, and one store is
// behind the other on a record when its current body appears in the other's history:
//
//   - a record only the other store has is added, with its revisions;
//   - when this store's current version is in the other's history, the other moved on: its
//     later versions come over and its current one (or its deletion) becomes current here;
//   - when the other's current version is in this store's history, this one moved on: nothing;
//   - otherwise both changed it since they last shared a version (or they never shared one):
//     a conflict. Both versions are kept, the newer (by when each was made) is current, and
//     the conflict is listed (Conflicts) until someone settles it (ResolveConflict).
//
// Because the rules depend only on the two histories and the versions' own times, merging
// the same store twice adds nothing, and merging A into B or B into A gives the same records.
// A merge is an import (BeginImport, Source "merge", File the other store's path): written a
// chunk of records per transaction, so its memory does not grow with the other store's size,
// yet all or nothing. Until its commit, everything it wrote is invisible: its new versions
// and ids as an import's are; the revisions it brings are tagged with its pending import
// number (readers skip them); the versions it replaces or deletes are marked in sup (a
// deletion with newseq 0, flagged 'd'), and cleanup files them after the commit; the conflicts
// it finds are staged (bktConflictsNew) and filed into bktConflicts after the commit. An
// interrupted merge is rolled back like an import (rollbackMerge, also at Open after a
// crash), taking its revisions, staged conflicts and merge_seen entries with it. The other
// store is read in one read transaction, a chunk of records at a time, in id order. Versions that come over are tagged with the merge's
// import number, so known-on reads see them from the merge on, never earlier: what this store
// knew before the merge stays what it knew. Their provenance keeps the other store's import,
// file, sheet and row and gains the other store's id and name (Provenance.Store) and, in At,
// when the version was made there.

// SourceMerge is the ImportLog.Source of a merge.
const SourceMerge = "merge"

// bktConflicts holds the conflicts merges found, until they are settled:
// kind 0x00 id -> JSON Conflict.
var bktConflicts = []byte("conflicts")

// bktSeen remembers the other stores' deletions a merge weighed and did not follow (our later
// edit won), so that the next merge of the same store does not raise them again:
// kind 0x00 id 0x00 sha256(deleted body)[:16] -> the merge's import number (u64; empty in
// stores written before merges were chunked).
var bktSeen = []byte("merge_seen")

func seenKey(k Kind, id string, body []byte) []byte {
	h := sha256.Sum256(body)
	return append(append(conflictKey(k, id), 0), h[:16]...)
}

func (m *merger) seenDeletion(k Kind, id string, body []byte) bool {
	b := m.tx.Bucket(bktSeen)
	return b != nil && b.Get(seenKey(k, id, body)) != nil
}

// markDeletion remembers their deletion of id as weighed; the value names the merge, so that
// rolling the merge back removes what it added.
func (m *merger) markDeletion(k Kind, id string, body []byte) error {
	b, err := m.tx.CreateBucketIfNotExists(bktSeen)
	if err != nil {
		return err
	}
	return b.Put(seenKey(k, id, body), u64(m.b.n))
}

// MergeOptions tune Merge.
type MergeOptions struct {
	// File names the other store in the import log (its path, as the user gave it).
	File string
	// DryRun works out what the merge would do and writes nothing.
	DryRun bool
	// only, when set, limits the merge to these records (export of a subset).
	only map[Kind]map[string]bool
	// export: this store is being written as a part of the other (ExportStore): its
	// versions are the other store's own, so they get no origin.
	export bool
	// Tests: fail (failAfter) or die, leaving the merge pending as a crash would (dieAfter),
	// after that many chunks; or die after the flip, before the clean-up (dieAfterFlip).
	failAfter, dieAfter int
	dieAfterFlip        bool
}

// MergeConflict is a record both stores changed since they last shared a version.
type MergeConflict struct {
	Kind   Kind     `json:"kind"`
	ID     string   `json:"id"`
	Fields []string `json:"fields"`
}

// MergeResult says what a merge did, counted in records.
type MergeResult struct {
	ImportID  string          `json:"import_id,omitempty"`
	From      Identity        `json:"from"`
	Added     int             `json:"added"`
	Updated   int             `json:"updated"`
	Unchanged int             `json:"unchanged"`
	Conflicts []MergeConflict `json:"conflicts"`
	// Note, when set, is something the user should know about this merge: the other store
	// is a copy of this one (same store id), so the origin its records name is this store's
	// id, told apart only by the copy's name.
	Note string `json:"note,omitempty"`
}

// Conflict is a merge conflict waiting to be settled.
type Conflict struct {
	MergeConflict
	// Merge is the import id of the merge that found it, At its time, From the other store.
	Merge string    `json:"merge"`
	At    time.Time `json:"at"`
	From  Identity  `json:"from"`
	// Kept says which version is current: "this" (this store's) or "other".
	Kept string `json:"kept"`
	// This and Other are the two versions (Incident, Statement or Tally; nil: deleted).
	This  json.RawMessage `json:"this"`
	Other json.RawMessage `json:"other"`
}

var errDryRun = errors.New("dry run")

// cver is one version of a record in a chain: its stored bytes, when it stopped being
// current (zero: it is current) and what ended it.
type cver struct {
	seq  uint64
	val  []byte
	body []byte
	end  time.Time
	by   string
	made time.Time // when it was made, in its own store
}

// chain is a record's history in one store, oldest first; deleted says the record's last
// version was deleted (and it has no current one).
type chain struct {
	vers    []cver
	current bool // the last version is current
	deleted bool
}

func (c *chain) has(body []byte) int {
	for i := len(c.vers) - 1; i >= 0; i-- {
		if bytes.Equal(c.vers[i].body, body) {
			return i
		}
	}
	return -1
}

// state is the record's current body, or nil when it has none (deleted).
func (c *chain) state() []byte {
	if c == nil || !c.current || len(c.vers) == 0 {
		return nil
	}
	return c.vers[len(c.vers)-1].body
}

func (c *chain) last() *cver { return &c.vers[len(c.vers)-1] }

// readChain reads the history of id from a read transaction.
func readChain(kb kindBuckets, v *view, h *history, id string) (*chain, error) {
	c := &chain{}
	prefix := revPrefix(id)
	rc := kb.rev.Cursor()
	var prevEnd time.Time
	var prevBy string
	for k, val := rc.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix) && len(k) == len(prefix)+8; k, val = rc.Next() {
		when, by, old, err := decodeRev(val)
		if err != nil {
			return nil, err
		}
		if v.pending != 0 && versionG(old) == v.pending {
			continue // brought by a merge in progress
		}
		cv, err := newCver(binaryU64(k[len(prefix):]), old, h, prevEnd, prevBy)
		if err != nil {
			return nil, err
		}
		cv.end, cv.by = when, by
		c.vers = append(c.vers, cv)
		prevEnd, prevBy = when, by
	}
	if val, seq := v.current(kb, id); val != nil {
		cv, err := newCver(binaryU64(seq), val, h, prevEnd, prevBy)
		if err != nil {
			return nil, err
		}
		c.vers = append(c.vers, cv)
		c.current = true
	} else if len(c.vers) > 0 && c.last().by == ByDelete {
		c.deleted = true
	}
	if len(c.vers) == 0 {
		return nil, nil
	}
	return c, nil
}

func newCver(seq uint64, val []byte, h *history, prevEnd time.Time, prevBy string) (cver, error) {
	val = bytes.Clone(val)
	ver, err := splitVersion(val)
	if err != nil {
		return cver{}, err
	}
	cv := cver{seq: seq, val: val, body: ver.body}
	pd := dec{b: ver.rest}
	if p := decodeProv(&pd); !p.At.IsZero() {
		cv.made = p.At
	} else {
		cv.made = h.start(seq, val, prevEnd, prevBy)
	}
	return cv, nil
}

// Merge brings the records of other into s (see the package notes above). It returns
// ErrBusy while an import is open, and refuses to merge a store with itself.
func (s *Store) Merge(other *Store, opts MergeOptions) (MergeResult, error) {
	what := "merge " + other.path
	if opts.File == "" {
		opts.File = other.path
	}
	if other.path == s.path {
		return MergeResult{}, fmt.Errorf("%s: it is this store", what)
	}
	from, err := other.Identity()
	if err != nil {
		return MergeResult{}, fmt.Errorf("%s: %w", what, err)
	}
	here, err := s.Identity()
	if err != nil {
		return MergeResult{}, fmt.Errorf("%s: %w", what, err)
	}
	res := MergeResult{From: from, Conflicts: []MergeConflict{}}
	if from.ID != "" && from.ID == here.ID && !opts.export {
		res.Note = sameLineageNote(opts.File, from, here)
	}
	b, err := s.BeginImport(ImportInfo{File: opts.File, Source: SourceMerge, DryRun: opts.DryRun})
	if err != nil {
		return MergeResult{}, fmt.Errorf("%s: %w", what, err)
	}
	m := &merger{s: s, b: b, opts: opts, from: from, res: &res, now: s.Now().UTC()}
	b.atCommit = m.writeSpans
	// One read transaction on the other store for the whole merge: a consistent picture of
	// it, read a chunk of records at a time.
	err = other.view(m.run)
	if errors.Is(err, errDie) {
		return MergeResult{}, err // a test's simulated crash: the merge stays pending
	}
	if err == nil && !opts.DryRun {
		if _, err = m.b.commit(); err == nil {
			// Committed: from here on an error leaves the merge in place.
			if opts.dieAfterFlip {
				return MergeResult{}, errDie // a test's crash after the flip, before the clean-up
			}
			err = m.cleanup()
			m.sortConflicts()
			res.ImportID = b.ID()
			return res, err
		}
	}
	if err != nil {
		if aerr := b.AbortBecause(err); aerr != nil {
			return MergeResult{}, fmt.Errorf("%s: %w; and rolling it back failed: %v", what, err, aerr)
		}
		return MergeResult{}, fmt.Errorf("%s: %w (nothing was changed)", what, err)
	}
	m.sortConflicts() // a dry run
	return res, nil
}

func (m *merger) sortConflicts() {
	slices.SortFunc(m.res.Conflicts, func(a, b MergeConflict) int {
		if c := slices.Index(Kinds, a.Kind) - slices.Index(Kinds, b.Kind); c != 0 {
			return c
		}
		return CompareIDs(a.ID, b.ID)
	})
}

// sameLineageNote explains why records merged from a copy of this store name an origin with
// this store's own id.
func sameLineageNote(file string, from, here Identity) string {
	note := fmt.Sprintf("%s is a copy of this store (both have store id %s: a store id names a lineage, and a byte copy keeps it). "+
		"The records merged from it name it by that id", file, shortID(from.ID))
	if from.Name != "" {
		note += fmt.Sprintf(" and its name (%q)", from.Name)
	}
	if from.Name == here.Name {
		return note + ", which is also how this store is named, so they cannot be told apart from records made here by their origin; " +
			"give each copy its own name (sitrep rename, or File > Name this store…) before merging"
	}
	return note + "."
}

func shortID(id string) string {
	if len(id) > 8 {
		return id[:8]
	}
	return id
}

// errDie and errInjected serve the tests: a merge that dies midway (the process ends with the
// merge pending) and one that fails midway (an error at a chunk).
var (
	errDie      = errors.New("merge died (test)")
	errInjected = errors.New("injected failure (test)")
)

// merger is one merge at work: an import batch (BeginImport) that the merge writes a chunk
// of records at a time, each chunk one transaction, invisible until the batch commits.
type merger struct {
	s      *Store
	b      *Batch
	opts   MergeOptions
	from   Identity
	res    *MergeResult
	now    time.Time
	chunks int       // chunks written so far
	spans  [3]uint64 // the longest date span of the versions made current, by kind index
	// Per chunk, in its transaction:
	tx   *bolt.Tx
	h    *history
	v    *view
	seq  uint64
	meta *bolt.Bucket
	w    *chunkKind
	ki   int
}

// run reads the other store's records (in otx) in id order, a chunk at a time, and merges
// each chunk in one transaction of this store.
func (m *merger) run(otx *bolt.Tx) error {
	oh, err := loadHistory(otx)
	if err != nil {
		return fmt.Errorf("reading it: %w", err)
	}
	ov := newView(otx)
	for ki, k := range Kinds {
		okb, err := kindOf(otx, k)
		if err != nil {
			return fmt.Errorf("reading it: %w", err)
		}
		ids := newIDWalk(okb)
		for {
			var work []theirRecord
			for len(work) < m.s.chunk {
				id := ids.next()
				if id == nil {
					break
				}
				if m.opts.only != nil && !m.opts.only[k][string(id)] {
					continue
				}
				c, err := readChain(okb, ov, oh, string(id))
				if err != nil {
					return fmt.Errorf("reading its %s %q: %w", singular(k), id, err)
				}
				if c != nil {
					work = append(work, theirRecord{string(id), c})
				}
			}
			if len(work) == 0 {
				break
			}
			if err := m.chunk(ki, work); err != nil {
				return err
			}
		}
	}
	return nil
}

// theirRecord is a record of the other store with its history there.
type theirRecord struct {
	id    string
	there *chain
}

// idWalk lists the ids of one kind of a store in byte order, once each: those with a current
// version (the id index) and those deleted there (known from their revisions only).
type idWalk struct {
	ic, rc *bolt.Cursor
	ik, rk []byte
}

func newIDWalk(kb kindBuckets) *idWalk {
	w := &idWalk{ic: kb.id.Cursor(), rc: kb.rev.Cursor()}
	w.ik, _ = w.ic.First()
	k, _ := w.rc.First()
	w.rk = w.revID(k)
	return w
}

// revID returns the id of a rev key, skipping keys that are not "id 0x00 seq(8)".
func (w *idWalk) revID(k []byte) []byte {
	for ; k != nil; k, _ = w.rc.Next() {
		if len(k) >= 9 && k[len(k)-9] == 0 {
			return k[:len(k)-9]
		}
	}
	return nil
}

// next returns the next id (a copy), or nil at the end.
func (w *idWalk) next() []byte {
	var id []byte
	switch {
	case w.ik == nil && w.rk == nil:
		return nil
	case w.rk == nil || (w.ik != nil && bytes.Compare(w.ik, w.rk) <= 0):
		id = bytes.Clone(w.ik)
	default:
		id = bytes.Clone(w.rk)
	}
	if w.ik != nil && bytes.Equal(w.ik, id) {
		w.ik, _ = w.ic.Next()
	}
	for w.rk != nil && bytes.Equal(w.rk, id) {
		k, _ := w.rc.Next()
		w.rk = w.revID(k)
	}
	return id
}

// chunk merges a chunk of the other store's records of kind Kinds[ki] in one transaction
// (a read transaction for a dry run).
func (m *merger) chunk(ki int, work []theirRecord) error {
	k := Kinds[ki]
	dry := m.b.n == 0
	var counts Counts
	var conflicts []MergeConflict
	fn := func(tx *bolt.Tx) error {
		counts, conflicts = Counts{}, conflicts[:0]
		var err error
		if m.h, err = loadHistory(tx); err != nil {
			return err
		}
		m.tx, m.v, m.meta, m.ki = tx, newView(tx), tx.Bucket(bktMeta), ki
		m.seq = getU64(m.meta, keySeq)
		m.w = &chunkKind{}
		if err := m.w.open(tx, k, len(work)); err != nil {
			return err
		}
		for _, r := range work {
			outcome, c, err := m.record(k, r.id, r.there)
			if err != nil {
				return fmt.Errorf("%s %q: %w", singular(k), r.id, err)
			}
			switch outcome {
			case "added":
				counts.Inserted++
			case "updated", "conflict":
				counts.Updated++
			case "unchanged":
				counts.Unchanged++
			}
			if c != nil {
				conflicts = append(conflicts, *c)
			}
		}
		if dry {
			return nil
		}
		if err := m.w.write(m.meta, k); err != nil {
			return err
		}
		return putU64(m.meta, keySeq, m.seq)
	}
	var err error
	if dry {
		err = m.s.view(fn)
	} else {
		err = m.s.updateTx(fn)
	}
	m.tx, m.v, m.meta, m.w = nil, nil, nil, nil
	if err != nil {
		return fmt.Errorf("write chunk: %w", err)
	}
	if !dry {
		m.b.newIDs[ki].closeRun()
	}
	m.b.counts[ki].Inserted += counts.Inserted
	m.b.counts[ki].Updated += counts.Updated
	m.b.counts[ki].Unchanged += counts.Unchanged
	m.res.Added += counts.Inserted
	m.res.Updated += counts.Updated
	m.res.Unchanged += counts.Unchanged
	m.res.Conflicts = append(m.res.Conflicts, conflicts...)
	m.chunks++
	switch m.chunks {
	case m.opts.dieAfter:
		return errDie
	case m.opts.failAfter:
		return errInjected
	}
	return nil
}

// cleanup is what follows the commit, as after an import: the versions the merge replaced
// or deleted are filed as revisions and its conflicts join the list. Should it fail, the
// merge stays (it is committed) and Open finishes the job.
func (m *merger) cleanup() error {
	defer m.s.unlockImport()
	if err := m.s.cleanup(); err != nil {
		return fmt.Errorf("merge %s is done, but filing the versions it replaced failed (retried when the store is next opened): %w", m.b.ID(), err)
	}
	return nil
}

// writeSpans raises the kinds' longest date spans to those of the versions the merge made
// current, in its commit transaction.
func (m *merger) writeSpans(tx *bolt.Tx) error {
	meta := tx.Bucket(bktMeta)
	for ki, k := range Kinds {
		if m.spans[ki] > getU64(meta, keySpan(k)) {
			if err := putU64(meta, keySpan(k), m.spans[ki]); err != nil {
				return err
			}
		}
	}
	return nil
}

// record merges one record and says what happened (added, updated, conflict, unchanged or
// skipped: deleted there and never here) and, for a conflict, which.
func (m *merger) record(k Kind, id string, there *chain) (string, *MergeConflict, error) {
	kb := m.w.kb
	here, err := readChain(kb, m.v, m.h, id)
	if err != nil {
		return "", nil, err
	}
	theirState := there.state()
	if here == nil {
		if theirState == nil {
			return "skipped", nil, nil
		}
		return "added", nil, m.bring(k, id, there.vers, nil, true)
	}
	ourState := here.state()
	if theirState == nil && ourState != nil && m.seenDeletion(k, id, there.last().body) {
		// A deletion an earlier merge already weighed (and kept our later version over).
		return "unchanged", nil, nil
	}
	switch {
	case bytes.Equal(ourState, theirState) && (ourState == nil) == (theirState == nil):
		return "unchanged", nil, nil
	case theirState != nil && here.has(theirState) >= 0:
		// We have had their current version and moved on (or deleted it since).
		return "unchanged", nil, nil
	case ourState != nil:
		if j := there.has(ourState); j >= 0 {
			// They moved on from our current version: take their later versions, and their
			// deletion if that is where they ended.
			if err := m.bring(k, id, there.vers[j+1:], here, true); err != nil {
				return "", nil, err
			}
			if theirState == nil {
				return "updated", nil, m.remove(k, here)
			}
			return "updated", nil, nil
		}
	}
	c, err := m.conflict(k, id, here, there)
	if err != nil {
		return "", nil, err
	}
	return "conflict", c, nil
}

// conflict handles a record both stores changed since the last version they shared: both
// versions are kept, the newer one is current, and the conflict is staged for the list.
func (m *merger) conflict(k Kind, id string, here, there *chain) (*MergeConflict, error) {
	ourState, theirState := here.state(), there.state()
	shared := -1
	for i := len(there.vers) - 1; i >= 0; i-- {
		if here.has(there.vers[i].body) >= 0 {
			shared = i
			break
		}
	}
	var ours, theirsV *cver
	if ourState != nil {
		ours = here.last()
	}
	if theirState != nil {
		theirsV = there.last()
	}
	// The newer side wins; a deletion counts from when it was made.
	ourTime, theirTime := here.last().made, there.last().made
	if ourState == nil {
		ourTime = here.last().end
	}
	if theirState == nil {
		theirTime = there.last().end
	}
	theyWin := theirTime.After(ourTime)
	if theirTime.Equal(ourTime) {
		theyWin = bytes.Compare(theirState, ourState) > 0
	}
	c := Conflict{MergeConflict: MergeConflict{Kind: k, ID: id}, Merge: m.b.ID(), At: m.now, From: m.from, Kept: "this"}
	if theyWin {
		c.Kept = "other"
	}
	var a, b record
	var err error
	if ours != nil {
		if a, err = decodeAny(k, ours.val); err != nil {
			return nil, err
		}
		c.This, _ = json.Marshal(plain(a))
	}
	if theirsV != nil {
		if b, err = decodeAny(k, theirsV.val); err != nil {
			return nil, err
		}
		c.Other, _ = json.Marshal(plain(b))
	}
	switch {
	case a == nil:
		c.Fields = []string{"deleted here"}
	case b == nil:
		c.Fields = []string{"deleted there"}
	default:
		for _, f := range diffFields(plain(a), plain(b)) {
			c.Fields = append(c.Fields, f.Field)
		}
	}
	if m.b.n == 0 {
		return &c.MergeConflict, nil
	}
	vers := there.vers[shared+1:]
	if theirState == nil && !theyWin {
		if err := m.markDeletion(k, id, there.last().body); err != nil {
			return nil, err
		}
	}
	// Their versions come over: as revisions only when ours stays current.
	if err := m.bring(k, id, vers, here, theyWin); err != nil {
		return nil, err
	}
	if theyWin && theirState == nil && ourState != nil {
		if err := m.remove(k, here); err != nil {
			return nil, err
		}
	}
	return &c.MergeConflict, m.stageConflict(c)
}

func conflictKey(k Kind, id string) []byte { return append(append([]byte(k), 0), id...) }

// bring writes their versions vers of id here: all but the last as revisions (with the
// times they had there: before the merge, so known-on reads never see them), and the last
// as the current version when makeCurrent (superseding ours, if any: cleanup files it as a
// revision after the commit), else as a revision too. A deleted last version is filed as a
// revision. The new current version and its id stay invisible until the merge commits.
func (m *merger) bring(k Kind, id string, vers []cver, here *chain, makeCurrent bool) error {
	if m.b.n == 0 || len(vers) == 0 {
		return nil
	}
	for i, cv := range vers {
		val, r, err := m.localVersion(k, cv.val)
		if err != nil {
			return err
		}
		m.seq++
		if i == len(vers)-1 && makeCurrent && cv.end.IsZero() {
			m.place(k, id, val, r, here)
			continue
		}
		end, by := cv.end, cv.by
		if end.IsZero() || end.After(m.now) {
			end, by = m.now, m.b.ID()
		}
		if err := m.w.kb.rev.Put(revKey(id, m.seq), encodeRev(end, by, val)); err != nil {
			return err
		}
	}
	return nil
}

// place writes val (record r) at m.seq as the record's new current version, the way an
// import does (Batch.flush): a version in rec and the date index, a sup entry for the one it
// replaces or the id kept for publishing, and the rollup change kept for the commit.
func (m *merger) place(k Kind, id string, val []byte, r record, here *chain) {
	w := m.w
	w.rec = append(w.rec, kv{u64(m.seq), val})
	first, last, _ := spanOf(r)
	w.dates.insert(first, m.seq)
	if s := uint64(last - first); first != minDayNumber && s > m.spans[m.ki] {
		m.spans[m.ki] = s // written at the commit (writeSpans): a rollback leaves meta as it was
	}
	if here != nil && here.current {
		cur := here.last()
		w.sup = append(w.sup, kv{u64(cur.seq), supValue(m.seq, m.b.n, false)})
		m.dropTotals(k, cur.val)
	} else {
		m.b.newIDs[m.ki].add(id, m.seq)
	}
	if inc, ok := r.(*Incident); ok {
		m.b.addDelta(string(rollupKey(inc)), totalsOf(inc))
	}
}

// dropTotals takes our replaced incident version's totals out of the rollup at the commit.
func (m *merger) dropTotals(k Kind, val []byte) {
	if k != KindIncident {
		return
	}
	if inc, err := decodeIncident(val); err == nil {
		m.b.addDelta(string(rollupKey(&inc)), totalsOf(&inc).negate())
	}
}

// remove deletes our current version as their deletion did: a sup entry that, once the
// merge commits, hides it, and that cleanup files as a revision by "delete" (so that Restore
// can bring it back).
func (m *merger) remove(k Kind, here *chain) error {
	if m.b.n == 0 || !here.current {
		return nil
	}
	cur := here.last()
	m.w.sup = append(m.w.sup, kv{u64(cur.seq), deleteSupValue(m.b.n)})
	m.dropTotals(k, cur.val)
	return nil
}

// localVersion re-encodes a version from the other store as this merge's: tagged with the
// merge's import number, its provenance naming the store it was made in (the other store,
// unless it came there from a third one) and, in At, when it was made there.
func (m *merger) localVersion(k Kind, val []byte) ([]byte, record, error) {
	r, err := decodeAny(k, val)
	if err != nil {
		return nil, nil, err
	}
	p := r.prov()
	if p.Store == "" && !m.opts.export {
		p.Store, p.StoreName = m.from.ID, m.from.Name
	}
	return encodeRecord(r, m.b.n), r, nil
}

// Conflicts returns the merge conflicts not settled yet, by kind then id: those filed, and
// those a committed merge staged that cleanup has not filed yet (they replace a filed one).
func (s *Store) Conflicts() ([]Conflict, error) {
	out := []Conflict{}
	err := s.view(func(tx *bolt.Tx) error {
		byKey := map[string]int{}
		add := func(key, v []byte) error {
			var c Conflict
			if err := json.Unmarshal(v, &c); err != nil {
				return fmt.Errorf("conflict %q: %w (%v)", key, ErrCorrupt, err)
			}
			if i, ok := byKey[string(key)]; ok {
				out[i] = c
				return nil
			}
			byKey[string(key)] = len(out)
			out = append(out, c)
			return nil
		}
		if b := tx.Bucket(bktConflicts); b != nil {
			if err := b.ForEach(add); err != nil {
				return err
			}
		}
		pending := getU64(tx.Bucket(bktMeta), keyPending)
		return forStagedConflicts(tx, pending, func(key, v []byte) error { return add(key[8:], v) })
	})
	slices.SortFunc(out, func(a, b Conflict) int {
		if c := slices.Index(Kinds, a.Kind) - slices.Index(Kinds, b.Kind); c != 0 {
			return c
		}
		return CompareIDs(a.ID, b.ID)
	})
	return out, err
}

// ResolveConflict settles a merge conflict. keep, when not nil, is the version to keep (an
// *Incident, *Statement or *Tally: one of the two, or the user's own edit); it is saved as an
// edit. With keep nil the current version stays. Either way the conflict leaves the list.
func (s *Store) ResolveConflict(k Kind, id string, keep any) error {
	if keep != nil {
		var err error
		switch r := keep.(type) {
		case *Incident:
			err = s.SaveIncident(r)
		case *Statement:
			err = s.SaveStatement(r)
		case *Tally:
			err = s.SaveTally(r)
		default:
			err = fmt.Errorf("cannot keep a %T", keep)
		}
		if err != nil {
			return fmt.Errorf("settle conflict on %s %q: %w", singular(k), id, err)
		}
	}
	if err := s.fileConflicts(); err != nil {
		return fmt.Errorf("settle conflict on %s %q: %w", singular(k), id, err)
	}
	return s.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bktConflicts)
		if b == nil || b.Get(conflictKey(k, id)) == nil {
			return fmt.Errorf("settle conflict on %s %q: %w", singular(k), id, ErrNotFound)
		}
		return b.Delete(conflictKey(k, id))
	})
}

// ConflictVersion decodes one side of a conflict ("this" or "other") as the record kind's
// type (*Incident, *Statement, *Tally), or nil when that side had deleted the record.
func (c Conflict) ConflictVersion(side string) (any, error) {
	raw := c.This
	if side == "other" {
		raw = c.Other
	}
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	var out any
	switch c.Kind {
	case KindIncident:
		out = &Incident{}
	case KindStatement:
		out = &Statement{}
	case KindTally:
		out = &Tally{}
	default:
		return nil, fmt.Errorf("conflict on unknown kind %q", c.Kind)
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return nil, fmt.Errorf("conflict on %s %q: %w", singular(c.Kind), c.ID, err)
	}
	return out, nil
}

// Differences lists the fields in which the two versions of a conflict differ, with this
// store's value as Before and the other store's as After; none when a side deleted the record.
func (c Conflict) Differences() ([]FieldChange, error) {
	a, err := c.ConflictVersion("this")
	if err != nil {
		return nil, err
	}
	b, err := c.ConflictVersion("other")
	if err != nil || a == nil || b == nil {
		return nil, err
	}
	return diffFields(reflect.ValueOf(a).Elem().Interface(), reflect.ValueOf(b).Elem().Interface()), nil
}

// ExportStore writes the records f selects (their current versions, with their revisions and
// provenance) to a new store file at path, to hand over for Merge. The new store carries this
// store's id and name: it is a part of this store's lineage, and merging it elsewhere names
// this store as the records' origin. Deleted records are not part of a subset. path must not
// exist; on failure nothing is left there.
func (s *Store) ExportStore(path string, f Filter) (MergeResult, error) {
	if !f.KnownOn.IsZero() {
		return MergeResult{}, fmt.Errorf("export a store: a store export holds the current records and their history, not the records as known on a date")
	}
	what := "export a store to " + path
	only := map[Kind]map[string]bool{}
	add := func(k Kind, id string) {
		if only[k] == nil {
			only[k] = map[string]bool{}
		}
		only[k][id] = true
	}
	err := s.ForEachIncident(f, func(r *Incident) error { add(KindIncident, r.ID); return nil })
	if err != nil {
		return MergeResult{}, fmt.Errorf("%s: %w", what, err)
	}
	sts, err := s.Statements(f)
	if err != nil {
		return MergeResult{}, fmt.Errorf("%s: %w", what, err)
	}
	for _, r := range sts {
		add(KindStatement, r.ID)
	}
	tls, err := s.Tallies(f)
	if err != nil {
		return MergeResult{}, fmt.Errorf("%s: %w", what, err)
	}
	for _, r := range tls {
		add(KindTally, r.ID)
	}
	if _, err := os.Stat(path); err == nil {
		return MergeResult{}, fmt.Errorf("%s: the file exists", what)
	}
	id, err := s.Identity()
	if err != nil {
		return MergeResult{}, fmt.Errorf("%s: %w", what, err)
	}
	dst, err := Open(path, Options{Now: s.now})
	if err != nil {
		return MergeResult{}, fmt.Errorf("%s: %w", what, err)
	}
	res, err := func() (MergeResult, error) {
		err := dst.update(func(tx *bolt.Tx) error {
			meta := tx.Bucket(bktMeta)
			if id.ID != "" {
				if err := meta.Put(keyStoreID, []byte(id.ID)); err != nil {
					return err
				}
			}
			if id.Name != "" {
				return meta.Put(keyStoreName, []byte(id.Name))
			}
			return nil
		})
		if err != nil {
			return MergeResult{}, err
		}
		return dst.Merge(s, MergeOptions{File: s.path, only: only, export: true})
	}()
	if cerr := dst.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return MergeResult{}, fmt.Errorf("%s: %w", what, err)
	}
	return res, nil
}

// MergeFile opens the store at path read-only and merges it into s (see Merge).
func (s *Store) MergeFile(path string, opts MergeOptions) (MergeResult, error) {
	other, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		return MergeResult{}, fmt.Errorf("merge %s: %w", path, err)
	}
	defer other.Close()
	if opts.File == "" {
		opts.File = path
	}
	return s.Merge(other, opts)
}
