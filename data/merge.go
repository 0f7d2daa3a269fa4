package data

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"os"
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
// A merge is one transaction (all or nothing) and one entry in the import log (Source
// "merge", File the other store's path). Versions that come over are tagged with the merge's
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
// kind 0x00 id 0x00 sha256(deleted body)[:16] -> empty.
var bktSeen = []byte("merge_seen")

func seenKey(k Kind, id string, body []byte) []byte {
	h := sha256.Sum256(body)
	return append(append(conflictKey(k, id), 0), h[:16]...)
}

func (m *merger) seenDeletion(k Kind, id string, body []byte) bool {
	b := m.tx.Bucket(bktSeen)
	return b != nil && b.Get(seenKey(k, id, body)) != nil
}

func (m *merger) markDeletion(k Kind, id string, body []byte) error {
	b, err := m.tx.CreateBucketIfNotExists(bktSeen)
	if err != nil {
		return err
	}
	return b.Put(seenKey(k, id, body), []byte{})
}

// MergeOptions tune Merge.
type MergeOptions struct {
	// File names the other store in the import log (its path, as the user gave it).
	File string
	// DryRun works out what the merge would do and writes nothing.
	DryRun bool
	// only, when set, limits the merge to these records (export of a subset).
	only map[Kind]map[string]bool
	// keepIdentity: the other store is this store's lineage (a subset export): no origin tag.
	sameLineage bool
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

// newerThan says whether version a wins over b in a conflict: made later, or, made at the
// same instant, the greater body (so both merge directions pick the same).
func (a *cver) newerThan(b *cver) bool {
	if !a.made.Equal(b.made) {
		return a.made.After(b.made)
	}
	return bytes.Compare(a.body, b.body) > 0
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
	if from.ID != "" && from.ID == here.ID {
		opts.sameLineage = true
	}
	// The other store's histories, read in one transaction.
	theirs := map[Kind]map[string]*chain{}
	err = other.view(func(tx *bolt.Tx) error {
		h, err := loadHistory(tx)
		if err != nil {
			return err
		}
		v := newView(tx)
		for _, k := range Kinds {
			kb, err := kindOf(tx, k)
			if err != nil {
				return err
			}
			ids := map[string]bool{}
			if err := kb.id.ForEach(func(id, _ []byte) error { ids[string(id)] = true; return nil }); err != nil {
				return err
			}
			rc := kb.rev.Cursor()
			for key, _ := rc.First(); key != nil; key, _ = rc.Next() {
				if len(key) >= 9 && key[len(key)-9] == 0 {
					ids[string(key[:len(key)-9])] = true
				}
			}
			m := map[string]*chain{}
			for id := range ids {
				if opts.only != nil && !opts.only[k][id] {
					continue
				}
				c, err := readChain(kb, v, h, id)
				if err != nil {
					return fmt.Errorf("%s %q: %w", singular(k), id, err)
				}
				if c != nil {
					m[id] = c
				}
			}
			theirs[k] = m
		}
		return nil
	})
	if err != nil {
		return MergeResult{}, fmt.Errorf("%s: reading it: %w", what, err)
	}
	if !opts.DryRun {
		if err := s.lockEdit(what); err != nil {
			return MergeResult{}, err
		}
		defer s.wmu.Unlock()
	}
	res := MergeResult{From: from, Conflicts: []MergeConflict{}}
	update := s.update
	if opts.DryRun {
		update = s.view
	}
	err = update(func(tx *bolt.Tx) error {
		m := &merger{s: s, tx: tx, opts: opts, from: from, res: &res, now: s.Now().UTC()}
		return m.run(theirs)
	})
	if err != nil && !errors.Is(err, errDryRun) {
		return MergeResult{}, fmt.Errorf("%s: %w (nothing was changed)", what, err)
	}
	if opts.DryRun {
		res.ImportID = ""
	}
	return res, nil
}

// merger is one merge transaction at work.
type merger struct {
	s    *Store
	tx   *bolt.Tx
	opts MergeOptions
	from Identity
	res  *MergeResult
	now  time.Time
	n    uint64 // the merge's import number
	h    *history
	v    *view
	seq  uint64
	meta *bolt.Bucket
}

func (m *merger) run(theirs map[Kind]map[string]*chain) error {
	var err error
	if m.h, err = loadHistory(m.tx); err != nil {
		return err
	}
	m.v = newView(m.tx)
	m.meta = m.tx.Bucket(bktMeta)
	noteEventTime(m.tx, m.now)
	if !m.opts.DryRun {
		if p := getU64(m.meta, keyPending); p != 0 {
			return fmt.Errorf("import %s is still pending", importIDOf(p))
		}
		m.n = getU64(m.meta, keyImportN) + 1
		if err := putU64(m.meta, keyImportN, m.n); err != nil {
			return err
		}
		m.res.ImportID = importIDOf(m.n)
	}
	m.seq = getU64(m.meta, keySeq)
	firstSeq := m.seq + 1
	counts := ImportResult{ByKind: map[Kind]Counts{}, BySheet: map[string]Counts{}}
	for _, k := range Kinds {
		kb, err := kindOf(m.tx, k)
		if err != nil {
			return err
		}
		ids := make([]string, 0, len(theirs[k]))
		for id := range theirs[k] {
			ids = append(ids, id)
		}
		slices.SortFunc(ids, CompareIDs)
		de := newDateEdits()
		var kc Counts
		for _, id := range ids {
			outcome, err := m.record(k, kb, de, id, theirs[k][id])
			if err != nil {
				return fmt.Errorf("%s %q: %w", singular(k), id, err)
			}
			switch outcome {
			case "added":
				m.res.Added++
				kc.Inserted++
			case "updated", "conflict":
				m.res.Updated++
				kc.Updated++
			case "unchanged":
				m.res.Unchanged++
				kc.Unchanged++
			}
		}
		if kc.Total() > 0 {
			counts.ByKind[k] = kc
		}
		if !m.opts.DryRun {
			if err := de.apply(kb.date); err != nil {
				return err
			}
		}
	}
	if m.opts.DryRun {
		return errDryRun
	}
	if err := putU64(m.meta, keySeq, m.seq); err != nil {
		return err
	}
	e := importEntry{ImportLog: ImportLog{ID: importIDOf(m.n), File: m.opts.File, Source: SourceMerge,
		Started: m.now, Finished: m.now, Status: StatusCommitted, Result: counts}, FirstSeq: firstSeq, LastSeq: m.seq}
	if m.seq < firstSeq {
		e.FirstSeq, e.LastSeq = 0, 0
	}
	return putEntry(m.tx, m.n, e)
}

// record merges one record and says what happened: added, updated, conflict, unchanged or
// skipped (deleted there and never here).
func (m *merger) record(k Kind, kb kindBuckets, de *dateEdits, id string, there *chain) (string, error) {
	here, err := readChain(kb, m.v, m.h, id)
	if err != nil {
		return "", err
	}
	theirState := there.state()
	if here == nil {
		if theirState == nil {
			return "skipped", nil
		}
		return "added", m.bring(k, kb, de, id, there.vers, nil, true)
	}
	ourState := here.state()
	if theirState == nil && ourState != nil && m.seenDeletion(k, id, there.last().body) {
		// A deletion an earlier merge already weighed (and kept our later version over).
		return "unchanged", nil
	}
	switch {
	case bytes.Equal(ourState, theirState) && (ourState == nil) == (theirState == nil):
		return "unchanged", nil
	case theirState != nil && here.has(theirState) >= 0:
		// We have had their current version and moved on (or deleted it since).
		return "unchanged", nil
	case ourState != nil:
		if j := there.has(ourState); j >= 0 {
			// They moved on from our current version: take their later versions, and their
			// deletion if that is where they ended.
			if err := m.bring(k, kb, de, id, there.vers[j+1:], here, true); err != nil {
				return "", err
			}
			if theirState == nil {
				return "updated", m.remove(k, kb, de, here)
			}
			return "updated", nil
		}
	}
	// Both changed it since the last version they shared: a conflict.
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
	c := Conflict{MergeConflict: MergeConflict{Kind: k, ID: id}, Merge: importIDOf(m.n), At: m.now, From: m.from, Kept: "this"}
	if theyWin {
		c.Kept = "other"
	}
	var a, b record
	if ours != nil {
		if a, err = decodeAny(k, ours.val); err != nil {
			return "", err
		}
		c.This, _ = json.Marshal(plain(a))
	}
	if theirsV != nil {
		if b, err = decodeAny(k, theirsV.val); err != nil {
			return "", err
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
	m.res.Conflicts = append(m.res.Conflicts, c.MergeConflict)
	if m.opts.DryRun {
		return "conflict", nil
	}
	vers := there.vers[shared+1:]
	if theirState == nil && !theyWin {
		if err := m.markDeletion(k, id, there.last().body); err != nil {
			return "", err
		}
	}
	if !theyWin {
		// Their versions are kept as revisions only.
		if err := m.bring(k, kb, de, id, vers, here, false); err != nil {
			return "", err
		}
	} else {
		if err := m.bring(k, kb, de, id, vers, here, true); err != nil {
			return "", err
		}
		if theirState == nil && ourState != nil {
			if err := m.remove(k, kb, de, here); err != nil {
				return "", err
			}
		}
	}
	cb, err := m.tx.CreateBucketIfNotExists(bktConflicts)
	if err != nil {
		return "", err
	}
	js, err := json.Marshal(c)
	if err != nil {
		return "", err
	}
	return "conflict", cb.Put(conflictKey(k, id), js)
}

func conflictKey(k Kind, id string) []byte { return append(append([]byte(k), 0), id...) }

// bring writes their versions vers of id here: all but the last as revisions (with the
// times they had there: before the merge, so known-on reads never see them), and the last
// as the current version when makeCurrent (retiring ours, if any), else as a revision too.
// A deleted last version is filed as a revision.
func (m *merger) bring(k Kind, kb kindBuckets, de *dateEdits, id string, vers []cver, here *chain, makeCurrent bool) error {
	if m.opts.DryRun || len(vers) == 0 {
		return nil
	}
	rollup := m.tx.Bucket(bktRollup)
	for i, cv := range vers {
		val, r, err := m.localVersion(k, cv.val)
		if err != nil {
			return err
		}
		m.seq++
		last := i == len(vers)-1
		if last && makeCurrent && cv.end.IsZero() {
			if here != nil && here.current {
				cur := here.last()
				if err := retire(kb, rollup, de, k, u64(cur.seq), cur.val, importIDOf(m.n), m.now); err != nil {
					return err
				}
			}
			first, lastDay, _ := spanOf(r)
			if first != minDayNumber && uint64(lastDay-first) > getU64(m.meta, keySpan(k)) {
				if err := putU64(m.meta, keySpan(k), uint64(lastDay-first)); err != nil {
					return err
				}
			}
			if err := place(kb, rollup, de, u64(m.seq), val, r); err != nil {
				return err
			}
			continue
		}
		end, by := cv.end, cv.by
		if end.IsZero() || end.After(m.now) {
			end, by = m.now, importIDOf(m.n)
		}
		if err := kb.rev.Put(revKey(id, m.seq), encodeRev(end, by, val)); err != nil {
			return err
		}
	}
	return nil
}

// remove deletes our current version as their deletion did (a revision by "delete", so
// that Restore can bring it back).
func (m *merger) remove(k Kind, kb kindBuckets, de *dateEdits, here *chain) error {
	if m.opts.DryRun || !here.current {
		return nil
	}
	cur := here.last()
	return retire(kb, m.tx.Bucket(bktRollup), de, k, u64(cur.seq), cur.val, ByDelete, m.now)
}

// localVersion re-encodes a version from the other store as this merge's: tagged with the
// merge's import number, its provenance naming the other store and when it was made there.
func (m *merger) localVersion(k Kind, val []byte) ([]byte, record, error) {
	r, err := decodeAny(k, val)
	if err != nil {
		return nil, nil, err
	}
	p := r.prov()
	if p.Store == "" && !m.opts.sameLineage {
		p.Store, p.StoreName = m.from.ID, m.from.Name
	}
	return encodeRecord(r, m.n), r, nil
}

// Conflicts returns the merge conflicts not settled yet, by kind then id.
func (s *Store) Conflicts() ([]Conflict, error) {
	out := []Conflict{}
	err := s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bktConflicts)
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, v []byte) error {
			var c Conflict
			if err := json.Unmarshal(v, &c); err != nil {
				return fmt.Errorf("conflict %q: %w (%v)", k, ErrCorrupt, err)
			}
			out = append(out, c)
			return nil
		})
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
		return dst.Merge(s, MergeOptions{File: s.path, only: only})
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
