package data

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// rollback removes everything import n wrote (its records have sequence numbers from
// firstSeq on) in chunked transactions, then marks it failed. Until the last transaction the
// import stays pending, so readers never see a half-removed import.
func (s *Store) rollback(n, firstSeq uint64, why string) error {
	if err := s.rollbackWrites(n, firstSeq); err != nil {
		return fmt.Errorf("roll back import %s: %w", importIDOf(n), err)
	}
	return s.markFailed(n, why)
}

// rollbackWrites is rollback without the last step: it removes import n's versions, ids and
// sup entries, in chunks.
func (s *Store) rollbackWrites(n, firstSeq uint64) error {
	for _, k := range Kinds {
		// The import's versions, from its first sequence number on.
		err := s.walkChunks(chunkWalk{kind: k, bucket: recBucket, from: u64(firstSeq),
			match: func(_, val []byte) bool { return versionG(val) == n },
			apply: func(_ *bolt.Tx, kb kindBuckets, de *dateEdits, work []kv) error {
				for _, w := range work {
					r, err := decodeAny(k, w.v)
					if err != nil {
						return fmt.Errorf("%s at %x: %w", k, w.k, err)
					}
					first, _, _ := spanOf(r)
					de.remove(first, binaryU64(w.k))
					if cur := kb.id.Get([]byte(r.recID())); bytes.Equal(cur, w.k) {
						if err := kb.id.Delete([]byte(r.recID())); err != nil {
							return err
						}
					}
					if err := kb.rec.Delete(w.k); err != nil {
						return err
					}
				}
				return nil
			}})
		if err == nil {
			// Then the import's entries in sup.
			err = s.walkChunks(chunkWalk{kind: k, bucket: supBucket,
				match: func(_, val []byte) bool { return len(val) > 8 && versionG(val[8:]) == n },
				apply: func(_ *bolt.Tx, kb kindBuckets, _ *dateEdits, work []kv) error {
					for _, w := range work {
						if err := kb.sup.Delete(w.k); err != nil {
							return err
						}
					}
					return nil
				}})
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// interruptedWhy is the import log's reason for an import that a crash or a kill interrupted.
const interruptedWhy = "interrupted: Sitrep stopped before the import finished; rolled back when the store was next opened"

// markFailed ends the pending import (or undo) n as failed, once its writes are rolled back,
// saying why in its log entry.
func (s *Store) markFailed(n uint64, why string) error {
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
		e.Status, e.Finished = StatusFailed, s.Now().UTC()
		if e.Error == "" {
			e.Error = why
		}
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
		if !s.hasSuperseded(k) {
			continue // nothing to file: no write transaction (opening writes nothing)
		}
		var pending uint64
		err := s.walkChunks(chunkWalk{kind: k, bucket: supBucket,
			begin: func(tx *bolt.Tx) { pending = getU64(tx.Bucket(bktMeta), keyPending) },
			match: func(_, val []byte) bool { return len(val) > 8 && versionG(val[8:]) != pending },
			apply: func(tx *bolt.Tx, kb kindBuckets, de *dateEdits, work []kv) error {
				finishedAt := func(g uint64) (time.Time, error) {
					when, ok := finished[g]
					if !ok {
						e, err := getEntry(tx, g)
						if err != nil {
							return when, err
						}
						when = e.Finished
						finished[g] = when
					}
					return when, nil
				}
				for _, w := range work {
					g := versionG(w.v[8:])
					when, err := finishedAt(g)
					if err != nil {
						return err
					}
					if isDeleteSup(w.v) {
						if err := fileDeletion(kb, de, k, w, when); err != nil {
							return err
						}
						continue
					}
					if isUndoSup(w.v) {
						var imported time.Time
						if val := kb.rec.Get(w.k); val != nil {
							if imported, err = finishedAt(versionG(val)); err != nil {
								return err
							}
						}
						if err := finishUndo(tx, kb, de, k, w.k, w.v, imported, when); err != nil {
							return err
						}
						continue
					}
					if err := fileRevision(kb, de, k, w, g, when); err != nil {
						return err
					}
				}
				return nil
			}})
		if err != nil {
			return err
		}
	}
	if s.hasStagedConflicts() {
		return s.fileConflicts()
	}
	return nil
}

// fileRevision is cleanup's work for one sup entry w of a committed import g (finished at
// when): the superseded version moves from rec to rev, and the id points at its successor.
func fileRevision(kb kindBuckets, de *dateEdits, k Kind, w kv, g uint64, when time.Time) error {
	old := kb.rec.Get(w.k)
	if old == nil {
		return kb.sup.Delete(w.k)
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
	return kb.sup.Delete(w.k)
}

// hasSuperseded reports whether kind k has versions in its sup bucket.
func (s *Store) hasSuperseded(k Kind) bool {
	has := true // when in doubt, walk
	_ = s.view(func(tx *bolt.Tx) error {
		kb, err := kindOf(tx, k)
		if err == nil {
			has = kb.hasSup
		}
		return nil
	})
	return has
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
	switch source {
	case sourceUndo:
		return s.rollbackUndo(pending)
	case SourceMerge:
		return s.rollbackMerge(pending, firstSeq, interruptedWhy)
	}
	return s.rollback(pending, firstSeq, interruptedWhy)
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
