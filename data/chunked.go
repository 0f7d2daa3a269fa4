package data

import (
	"bytes"

	bolt "go.etcd.io/bbolt"
)

// chunkWalk is a pass over one bucket of one kind that does its work in chunks: each chunk
// is one read-write transaction that collects up to Store.chunk matching entries and hands
// them to apply, and the next transaction resumes at the first key not looked at. Rollback,
// clean-up and undo are such passes, so that none of them writes a million keys in one
// transaction.
type chunkWalk struct {
	kind Kind
	// bucket picks the bucket to walk from the kind's buckets.
	bucket func(kindBuckets) *bolt.Bucket
	// from is the first key to look at; nil means the bucket's first.
	from []byte
	// last, when not nil, ends the walk before the first key it rejects.
	last func(key []byte) bool
	// begin, when not nil, runs at the start of each chunk's transaction (to read what
	// match needs).
	begin func(tx *bolt.Tx)
	// match says whether an entry is work.
	match func(key, val []byte) bool
	// apply does a chunk's work in its transaction; the entries are copies. The date
	// edits it makes are applied to the kind's date index after it.
	apply func(tx *bolt.Tx, kb kindBuckets, de *dateEdits, work []kv) error
}

// walkChunks runs w until the bucket is done. Entries that apply deletes are not seen again;
// entries it writes behind the resume key are.
func (s *Store) walkChunks(w chunkWalk) error {
	from := w.from
	for {
		var next []byte
		err := s.updateTx(func(tx *bolt.Tx) error {
			kb, err := kindOf(tx, w.kind)
			if err != nil {
				return err
			}
			if w.begin != nil {
				w.begin(tx)
			}
			var work []kv
			c := w.bucket(kb).Cursor()
			key, val := c.First()
			if from != nil {
				key, val = c.Seek(from)
			}
			for ; key != nil && (w.last == nil || w.last(key)); key, val = c.Next() {
				if len(work) >= s.chunk {
					next = bytes.Clone(key)
					break
				}
				if w.match(key, val) {
					work = append(work, kv{bytes.Clone(key), bytes.Clone(val)})
				}
			}
			de := newDateEdits()
			if err := w.apply(tx, kb, de, work); err != nil {
				return err
			}
			return de.apply(kb.date)
		})
		if err != nil || next == nil {
			return err
		}
		from = next
	}
}

func recBucket(kb kindBuckets) *bolt.Bucket { return kb.rec }
func supBucket(kb kindBuckets) *bolt.Bucket { return kb.sup }
