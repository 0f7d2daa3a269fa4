package data

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// What a merge writes besides an import's versions, and how it is made visible at the
// commit or taken back (merge.go has the rules).

// bktConflictsNew holds the conflicts a merge found, staged until it commits and cleanup
// files them into bktConflicts: merge import number(8) kind 0x00 id -> JSON Conflict.
// Conflicts reads the entries of committed merges too, so they show from the commit on.
var bktConflictsNew = []byte("conflicts_new")

// supMergeDelete ends a sup value written by a merge that deletes the version (newseq 0):
// the other store's deletion won. Cleanup files the version as a revision by "delete".
const supMergeDelete = 'd'

// errStop ends a ForEach early.
var errStop = errors.New("stop")

func deleteSupValue(g uint64) []byte {
	return append(binary.AppendUvarint(u64(0), g), supMergeDelete)
}

func isDeleteSup(v []byte) bool {
	if len(v) <= 8 {
		return false
	}
	_, n := binary.Uvarint(v[8:])
	return n > 0 && len(v) > 8+n && v[8+n] == supMergeDelete
}

// stageConflict writes c for the list, visible once the merge commits.
func (m *merger) stageConflict(c Conflict) error {
	b, err := m.tx.CreateBucketIfNotExists(bktConflictsNew)
	if err != nil {
		return err
	}
	js, err := json.Marshal(c)
	if err != nil {
		return err
	}
	return b.Put(append(u64(m.b.n), conflictKey(c.Kind, c.ID)...), js)
}

// forStagedConflicts calls fn with every staged conflict of a committed merge (every merge
// but the pending one: a failed merge's entries are removed before it is marked failed), in
// merge order, so a later merge's conflict on a record comes after an earlier one's.
func forStagedConflicts(tx *bolt.Tx, pending uint64, fn func(key, val []byte) error) error {
	b := tx.Bucket(bktConflictsNew)
	if b == nil {
		return nil
	}
	return b.ForEach(func(k, v []byte) error {
		if len(k) < 8 || binaryU64(k) == pending {
			return nil
		}
		return fn(k, v)
	})
}

// fileConflicts moves the staged conflicts of committed merges into the conflict list, in
// chunks (each one a consistent step: Conflicts reads both buckets).
func (s *Store) fileConflicts() error {
	for {
		more := false
		err := s.updateTx(func(tx *bolt.Tx) error {
			sb := tx.Bucket(bktConflictsNew)
			if sb == nil {
				return nil
			}
			pending := getU64(tx.Bucket(bktMeta), keyPending)
			var work []kv
			err := forStagedConflicts(tx, pending, func(k, v []byte) error {
				if len(work) >= s.chunk {
					more = true
					return errStop
				}
				work = append(work, kv{bytes.Clone(k), bytes.Clone(v)})
				return nil
			})
			if err != nil && !errors.Is(err, errStop) {
				return err
			}
			if len(work) == 0 {
				return nil
			}
			cb, err := tx.CreateBucketIfNotExists(bktConflicts)
			if err != nil {
				return err
			}
			for _, w := range work {
				if err := cb.Put(w.k[8:], w.v); err != nil {
					return err
				}
				if err := sb.Delete(w.k); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("file merge conflicts: %w", err)
		}
		if !more {
			return nil
		}
	}
}

// hasStagedConflicts says whether any conflict waits to be filed (so that opening a store
// writes nothing when none does).
func (s *Store) hasStagedConflicts() bool {
	has := false
	_ = s.view(func(tx *bolt.Tx) error {
		if b := tx.Bucket(bktConflictsNew); b != nil {
			k, _ := b.Cursor().First()
			has = k != nil
		}
		return nil
	})
	return has
}

// fileDeletion is cleanup's work for a sup entry w of a committed merge g (finished at
// when) that deleted the version: it moves from rec to rev as deleted, and the id goes.
func fileDeletion(kb kindBuckets, de *dateEdits, k Kind, w kv, when time.Time) error {
	old := kb.rec.Get(w.k)
	if old == nil {
		return kb.sup.Delete(w.k)
	}
	old = bytes.Clone(old)
	r, err := decodeAny(k, old)
	if err != nil {
		return err
	}
	if err := kb.rev.Put(revKey(r.recID(), binaryU64(w.k)), encodeRev(when, ByDelete, old)); err != nil {
		return err
	}
	first, _, _ := spanOf(r)
	de.remove(first, binaryU64(w.k))
	if err := kb.rec.Delete(w.k); err != nil {
		return err
	}
	if cur := kb.id.Get([]byte(r.recID())); bytes.Equal(cur, w.k) {
		if err := kb.id.Delete([]byte(r.recID())); err != nil {
			return err
		}
	}
	return kb.sup.Delete(w.k)
}

// rollbackMerge takes back a merge that did not commit (n, writing from firstSeq): what an
// import writes (rollbackWrites), then the revisions it brought, the conflicts it staged and
// the deletions it remembered, each in chunks; then it marks the merge failed, saying why.
// Until then the merge is pending, so none of it is ever visible.
func (s *Store) rollbackMerge(n, firstSeq uint64, why string) error {
	what := "roll back merge " + importIDOf(n)
	if err := s.rollbackWrites(n, firstSeq); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	for _, k := range Kinds {
		err := s.walkChunks(chunkWalk{kind: k, bucket: revBucket,
			match: func(key, val []byte) bool {
				if len(key) < 9 || binaryU64(key[len(key)-8:]) < firstSeq {
					return false
				}
				_, _, old, err := decodeRev(val)
				return err == nil && versionG(old) == n
			},
			apply: func(_ *bolt.Tx, kb kindBuckets, _ *dateEdits, work []kv) error {
				for _, w := range work {
					if err := kb.rev.Delete(w.k); err != nil {
						return err
					}
				}
				return nil
			}})
		if err != nil {
			return fmt.Errorf("%s: its revisions: %w", what, err)
		}
	}
	staged := func(k, _ []byte) bool { return len(k) >= 8 && binaryU64(k) == n }
	if err := s.deleteChunked(bktConflictsNew, u64(n), staged); err != nil {
		return fmt.Errorf("%s: its conflicts: %w", what, err)
	}
	seen := func(_, v []byte) bool { return len(v) == 8 && binaryU64(v) == n }
	if err := s.deleteChunked(bktSeen, nil, seen); err != nil {
		return fmt.Errorf("%s: the deletions it weighed: %w", what, err)
	}
	return s.markFailed(n, why)
}

func revBucket(kb kindBuckets) *bolt.Bucket { return kb.rev }

// deleteChunked deletes the entries of the top-level bucket name that match, from the key
// from on (nil: the first), at most Store.chunk per transaction.
func (s *Store) deleteChunked(name, from []byte, match func(k, v []byte) bool) error {
	for {
		var next []byte
		err := s.updateTx(func(tx *bolt.Tx) error {
			b := tx.Bucket(name)
			if b == nil {
				return nil
			}
			var work [][]byte
			c := b.Cursor()
			k, v := c.First()
			if from != nil {
				k, v = c.Seek(from)
			}
			for ; k != nil; k, v = c.Next() {
				if len(work) >= s.chunk {
					next = bytes.Clone(k)
					break
				}
				if match(k, v) {
					work = append(work, bytes.Clone(k))
				}
			}
			for _, k := range work {
				if err := b.Delete(k); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil || next == nil {
			return err
		}
		from = next
	}
}
