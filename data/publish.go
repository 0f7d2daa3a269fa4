package data

import (
	"bytes"
	"fmt"
	"slices"

	bolt "go.etcd.io/bbolt"
)

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
		for part := range ids.sortedParts(idChunk*b.s.chunk, stop) {
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
