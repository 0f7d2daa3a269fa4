package data

import (
	"encoding/binary"
	"fmt"
	"slices"

	bolt "go.etcd.io/bbolt"
)

// The date index maps a day (dayKey, 4 bytes) to the sorted sequence numbers of the versions
// whose first day it is, packed as uvarint deltas. One key per day rather than one per record
// keeps the index about ten times smaller, and an import chunk rewrites each day it touches
// once: with per-record keys a chunk of records on random days dirtied most pages of the
// index in every transaction. A value starts with the largest sequence number (8 bytes,
// big-endian), so that the common case, appending newer versions, copies the old bytes and
// adds deltas without decoding the list.

func encodeSeqs(seqs []uint64) []byte {
	out := make([]byte, 8, 8+len(seqs)*3)
	binary.BigEndian.PutUint64(out, seqs[len(seqs)-1])
	return appendSeqs(out, 0, seqs)
}

// appendSeqs appends seqs (sorted, all above prev) as deltas.
func appendSeqs(out []byte, prev uint64, seqs []uint64) []byte {
	for _, s := range seqs {
		out = binary.AppendUvarint(out, s-prev)
		prev = s
	}
	return out
}

func decodeSeqs(b []byte) ([]uint64, error) {
	if len(b) == 0 {
		return nil, nil
	}
	if len(b) < 8 {
		return nil, fmt.Errorf("date index: %w", ErrCorrupt)
	}
	b = b[8:]
	out := make([]uint64, 0, len(b)/2)
	var prev uint64
	for len(b) > 0 {
		d, n := binary.Uvarint(b)
		if n <= 0 {
			return nil, fmt.Errorf("date index: %w", ErrCorrupt)
		}
		prev += d
		out = append(out, prev)
		b = b[n:]
	}
	return out, nil
}

// dateEdits collects additions to and removals from the date index, applied day by day.
type dateEdits struct {
	add, del map[int][]uint64
}

func newDateEdits() *dateEdits {
	return &dateEdits{add: map[int][]uint64{}, del: map[int][]uint64{}}
}

func (e *dateEdits) insert(day int, seq uint64) { e.add[day] = append(e.add[day], seq) }
func (e *dateEdits) remove(day int, seq uint64) { e.del[day] = append(e.del[day], seq) }

// apply writes the edits: for each day, (current ∪ added) minus removed.
func (e *dateEdits) apply(b *bolt.Bucket) error {
	days := make([]int, 0, len(e.add)+len(e.del))
	for d := range e.add {
		days = append(days, d)
	}
	for d := range e.del {
		if _, ok := e.add[d]; !ok {
			days = append(days, d)
		}
	}
	slices.Sort(days)
	for _, d := range days {
		key := dayKey(d)
		old := b.Get(key)
		add, del := e.add[d], e.del[d]
		slices.Sort(add)
		slices.Sort(del)
		if len(del) == 0 && len(old) >= 8 && add[0] > binary.BigEndian.Uint64(old) {
			// Appending newer versions: keep the old deltas, add the new ones.
			out := make([]byte, len(old), len(old)+3*len(add))
			copy(out, old)
			binary.BigEndian.PutUint64(out, add[len(add)-1])
			if err := b.Put(key, appendSeqs(out, binary.BigEndian.Uint64(old), add)); err != nil {
				return err
			}
			continue
		}
		cur, err := decodeSeqs(old)
		if err != nil {
			return err
		}
		merged := make([]uint64, 0, len(cur)+len(add))
		i, j := 0, 0
		for i < len(cur) || j < len(add) {
			var v uint64
			switch {
			case j >= len(add) || (i < len(cur) && cur[i] < add[j]):
				v = cur[i]
				i++
			case i >= len(cur) || add[j] < cur[i]:
				v = add[j]
				j++
			default: // equal
				v = cur[i]
				i++
				j++
			}
			if _, found := slices.BinarySearch(del, v); !found {
				merged = append(merged, v)
			}
		}
		if len(merged) == 0 {
			if err := b.Delete(key); err != nil {
				return err
			}
			continue
		}
		if err := b.Put(key, encodeSeqs(merged)); err != nil {
			return err
		}
	}
	clear(e.add)
	clear(e.del)
	return nil
}
