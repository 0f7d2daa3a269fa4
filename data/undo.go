package data

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"slices"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// sourceUndo marks the import-log entry of an undo in progress; Imports does not list them.
const sourceUndo = "undo"

// supUndo ends a sup value written by an undo (see undo.go): the superseding "version" is the
// one the undone import had replaced (newseq is its old sequence number), or nothing at all
// (newseq 0) for a record the import had inserted.
const supUndo = 'u'

func supValue(newSeq, g uint64, undo bool) []byte {
	v := binary.AppendUvarint(u64(newSeq), g)
	if undo {
		v = append(v, supUndo)
	}
	return v
}

func isUndoSup(v []byte) bool {
	if len(v) <= 8 {
		return false
	}
	_, n := binary.Uvarint(v[8:])
	return n > 0 && len(v) > 8+n && v[8+n] == supUndo
}

// withHeader returns a stored version with its import number replaced by g.
func withHeader(val []byte, g uint64) []byte {
	_, n := binary.Uvarint(val)
	return append(binary.AppendUvarint(make([]byte, 0, len(val)+4), g), val[n:]...)
}

// UndoImport takes back a committed import: records it inserted are removed, and records it
// updated get back the versions it replaced. It refuses, naming the records, when a later
// import or an edit has changed or deleted any record of the import since (undo that first).
//
// An undo runs like an import, in chunks and all or nothing: it is pending until one small
// transaction flips it. While pending, the replaced versions are written back (tagged with
// the undo's own number, so readers skip them) and the import's versions are marked as
// superseded by them, or by nothing for inserted records. The flip makes the change visible
// at once; then the undone versions are deleted and the restored ones get back their original
// bytes, in chunks, as after an import. A crash before the flip is rolled back at Open.
func (s *Store) UndoImport(id string) error {
	n, ok := importNumOf(id)
	if !ok {
		return fmt.Errorf("undo import %q: %w", id, ErrNotFound)
	}
	what := "undo import " + id
	if err := s.lockEdit(what); err != nil {
		return err
	}
	s.importing.Store(true)
	defer s.unlockImport()
	p, err := s.writeUndo(id, n)
	if err != nil {
		return err
	}
	if err := p.flip(); err != nil {
		return err
	}
	if err := s.cleanup(); err != nil {
		return fmt.Errorf("%s: done, but tidying up failed (retried at next open): %w", what, err)
	}
	return nil
}

// pendingUndo is an undo written but not yet visible: u is its own import number, n the
// import it undoes, delta the rollup change that the flip applies.
type pendingUndo struct {
	s     *Store
	what  string
	n, u  uint64
	delta map[string]Totals
}

// writeUndo is UndoImport of import n (id) up to the flip: it files the undo as pending and
// writes it in chunks. The caller holds the writer lock.
func (s *Store) writeUndo(id string, n uint64) (*pendingUndo, error) {
	what := "undo import " + id
	if err := s.cleanup(); err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	var e importEntry
	var u uint64
	err := s.updateTx(func(tx *bolt.Tx) error {
		var err error
		if e, err = getEntry(tx, n); err != nil {
			return err
		}
		switch {
		case e.Source == sourceUndo:
			return fmt.Errorf("it is not an import: %w", ErrNotFound)
		case e.Source == SourceMerge:
			return fmt.Errorf("it is a merge, which cannot be undone: restore the backup taken before it")
		case e.Status == StatusUndone:
			return fmt.Errorf("it is already undone")
		case e.Status != StatusCommitted:
			return fmt.Errorf("it is %s, so it has nothing to undo", e.Status)
		}
		if err := undoConflicts(tx, e); err != nil {
			return err
		}
		meta := tx.Bucket(bktMeta)
		if p := getU64(meta, keyPending); p != 0 {
			return fmt.Errorf("import %s is still pending", importIDOf(p))
		}
		u = getU64(meta, keyImportN) + 1
		if err := putU64(meta, keyImportN, u); err != nil {
			return err
		}
		if err := putU64(meta, keyPending, u); err != nil {
			return err
		}
		return putEntry(tx, u, importEntry{ImportLog: ImportLog{ID: importIDOf(u), File: id,
			Source: sourceUndo, Started: s.Now().UTC(), Status: StatusPending}, FirstSeq: getU64(meta, keySeq) + 1})
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	p := &pendingUndo{s: s, what: what, n: n, u: u, delta: map[string]Totals{}}
	if err := s.undoChunks(e, n, u, p.delta); err != nil {
		return nil, p.fail(err)
	}
	return p, nil
}

// fail rolls the pending undo back after err.
func (p *pendingUndo) fail(err error) error {
	if rerr := p.s.rollbackUndo(p.u); rerr != nil {
		return fmt.Errorf("%s: %w; and rolling the undo back failed (retried at next open): %v", p.what, err, rerr)
	}
	return fmt.Errorf("%s: %w (nothing was changed)", p.what, err)
}

// flip makes the pending undo visible in one transaction: the rollup changes, the import is
// marked undone and the undo committed.
func (p *pendingUndo) flip() error {
	err := p.s.updateTx(func(tx *bolt.Tx) error {
		keys := make([]string, 0, len(p.delta))
		for k, t := range p.delta {
			if !t.isZero() {
				keys = append(keys, k)
			}
		}
		slices.Sort(keys)
		rollup := tx.Bucket(bktRollup)
		for _, k := range keys {
			if err := addRollup(rollup, []byte(k), p.delta[k]); err != nil {
				return err
			}
		}
		ge, err := getEntry(tx, p.n)
		if err != nil {
			return err
		}
		ge.Status = StatusUndone
		if err := putEntry(tx, p.n, ge); err != nil {
			return err
		}
		ue, err := getEntry(tx, p.u)
		if err != nil {
			return err
		}
		ue.Status, ue.Finished = StatusCommitted, p.s.Now().UTC()
		noteEventTime(tx, ue.Finished)
		if err := putEntry(tx, p.u, ue); err != nil {
			return err
		}
		return tx.Bucket(bktMeta).Delete(keyPending)
	})
	if err != nil {
		return p.fail(err)
	}
	return nil
}

// undoConflicts refuses when a version the import wrote has since been replaced or deleted:
// it then sits in rev under its sequence number.
func undoConflicts(tx *bolt.Tx, e importEntry) error {
	var conflicts []string
	for _, k := range Kinds {
		kb, err := kindOf(tx, k)
		if err != nil {
			return err
		}
		err = kb.rev.ForEach(func(key, val []byte) error {
			if len(key) < 9 {
				return nil
			}
			if seq := binaryU64(key[len(key)-8:]); seq < e.FirstSeq || seq > e.LastSeq {
				return nil
			}
			_, by, _, err := decodeRev(val)
			if err != nil {
				return err
			}
			if len(conflicts) < 5 {
				conflicts = append(conflicts, fmt.Sprintf("%s %s (%s by %s)", singular(k), key[:len(key)-9], changeWord(by), by))
			} else if len(conflicts) == 5 {
				conflicts = append(conflicts, "...")
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	if len(conflicts) > 0 {
		return fmt.Errorf("records were changed since; undo those changes first: %s", strings.Join(conflicts, ", "))
	}
	return nil
}

// undoChunks writes the pending undo u of import n, Store.chunk versions per transaction.
func (s *Store) undoChunks(e importEntry, n, u uint64, delta map[string]Totals) error {
	add := func(key string, t Totals) {
		cur := delta[key]
		cur.Merge(t)
		delta[key] = cur
	}
	for _, k := range Kinds {
		err := s.walkChunks(chunkWalk{kind: k, bucket: recBucket, from: u64(e.FirstSeq),
			last:  func(key []byte) bool { return binaryU64(key) <= e.LastSeq },
			match: func(_, val []byte) bool { return versionG(val) == n },
			apply: func(_ *bolt.Tx, kb kindBuckets, de *dateEdits, mine []kv) error {
				for _, m := range mine {
					if err := undoVersion(kb, de, k, m, e.ID, u, add); err != nil {
						return err
					}
				}
				return nil
			}})
		if err != nil {
			return err
		}
	}
	return nil
}

// undoVersion is undoChunks' work for one version m of the undone import (id): it writes
// back the version m replaced, if any, tagged with the undo's number u, and marks m as
// superseded by it (or by nothing). add collects the rollup change.
func undoVersion(kb kindBuckets, de *dateEdits, k Kind, m kv, id string, u uint64, add func(string, Totals)) error {
	r, err := decodeAny(k, m.v)
	if err != nil {
		return err
	}
	if inc, ok := r.(*Incident); ok {
		add(string(rollupKey(inc)), totalsOf(inc).negate())
	}
	// The version this import replaced, if any, is the record's latest revision.
	prefix := revPrefix(r.recID())
	lastKey, lastVal := latestRevision(kb, r.recID())
	var prevSeq uint64
	if lastKey != nil {
		_, by, old, err := decodeRev(lastVal)
		if err != nil {
			return err
		}
		if by == id {
			prevSeq = binaryU64(lastKey[len(prefix):])
			if kb.rec.Get(u64(prevSeq)) != nil {
				return fmt.Errorf("%s %s: sequence %d is taken", singular(k), r.recID(), prevSeq)
			}
			prev, err := decodeAny(k, old)
			if err != nil {
				return err
			}
			if err := kb.rec.Put(u64(prevSeq), withHeader(old, u)); err != nil {
				return err
			}
			first, _, _ := spanOf(prev)
			de.insert(first, prevSeq)
			if inc, ok := prev.(*Incident); ok {
				add(string(rollupKey(inc)), totalsOf(inc))
			}
		}
	}
	return kb.sup.Put(m.k, supValue(prevSeq, u, true))
}

// rollbackUndo removes what the pending undo u wrote, in chunks, then marks it failed.
func (s *Store) rollbackUndo(u uint64) error {
	for _, k := range Kinds {
		err := s.walkChunks(chunkWalk{kind: k, bucket: supBucket,
			match: func(_, val []byte) bool { return isUndoSup(val) && versionG(val[8:]) == u },
			apply: func(_ *bolt.Tx, kb kindBuckets, de *dateEdits, work []kv) error {
				for _, w := range work {
					if prev := binaryU64(w.v[:8]); prev != 0 {
						if val := kb.rec.Get(w.v[:8]); val != nil && versionG(val) == u {
							r, err := decodeAny(k, val)
							if err != nil {
								return err
							}
							first, _, _ := spanOf(r)
							de.remove(first, prev)
							if err := kb.rec.Delete(w.v[:8]); err != nil {
								return err
							}
						}
					}
					if err := kb.sup.Delete(w.k); err != nil {
						return err
					}
				}
				return nil
			}})
		if err != nil {
			return fmt.Errorf("roll back undo: %w", err)
		}
	}
	return s.markFailed(u, interruptedWhy)
}

// finishUndo is cleanup's work for one sup entry an undo wrote: the undone version at seq is
// deleted and the restored one (if any) gets back its original bytes from its revision.
//
// The undone version was current from its import's commit (imported) to the undo's (undone):
// that period is filed in the past bucket, which keeps it for known-on reads.
func finishUndo(tx *bolt.Tx, kb kindBuckets, de *dateEdits, k Kind, seq, supVal []byte, imported, undone time.Time) error {
	if val := kb.rec.Get(seq); val != nil {
		r, err := decodeAny(k, val)
		if err != nil {
			return err
		}
		if err := putPast(tx, k, r.recID(), imported, undone, binaryU64(seq), "undo of "+importIDOf(versionG(val)), bytes.Clone(val)); err != nil {
			return err
		}
		first, _, _ := spanOf(r)
		de.remove(first, binaryU64(seq))
		if err := kb.rec.Delete(seq); err != nil {
			return err
		}
		id := []byte(r.recID())
		prev := bytes.Clone(supVal[:8])
		if binaryU64(prev) == 0 {
			if bytes.Equal(kb.id.Get(id), seq) {
				if err := kb.id.Delete(id); err != nil {
					return err
				}
			}
		} else {
			rk := revKey(r.recID(), binaryU64(prev))
			if rv := kb.rev.Get(rk); rv != nil {
				_, _, old, err := decodeRev(rv)
				if err != nil {
					return err
				}
				if err := kb.rec.Put(prev, bytes.Clone(old)); err != nil {
					return err
				}
				if err := kb.rev.Delete(rk); err != nil {
					return err
				}
			}
			if err := kb.id.Put(id, prev); err != nil {
				return err
			}
		}
	}
	return kb.sup.Delete(seq)
}
