package data

import (
	"bytes"
	"fmt"
	"slices"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
)

// # The rollup log
//
// Every write transaction that changes the incident rollup also appends what it changed to
// the rollup_log bucket, keyed by the instant the change became visible (an import's or an
// undo's commit, an edit's time) and a sequence number:
//
//	rollup_log   time(8, unix ns, sign bit flipped) seq(8) -> uvarint n, n x (str rollup key,
//	             str encodeTotals(change))
//	meta         rollup_log_from -> u64 unix ns: the log holds every change after this instant
//
// So the rollup as known on T is the current rollup minus the changes logged after T: a
// known-on chart or Stats reads a few thousand small entries per import since T instead of
// decoding every revised incident. Stores written before the log existed get rollup_log_from
// at their first read-write open; known-on reads before that instant take the slower path
// through the records (knownDelta), which gives the same answer.

var (
	bktRollupLog     = []byte("rollup_log")
	keyRollupLogFrom = []byte("rollup_log_from")
)

// rollupLogs holds, per write transaction, the rollup changes made so far and the instant
// they become visible (noteEventTime).
var rollupLogs sync.Map // *bolt.Tx -> *rollupChanges

type rollupChanges struct {
	at    time.Time
	delta map[string]Totals
}

// noteEventTime says when the changes of this transaction become visible to readers.
func noteEventTime(tx *bolt.Tx, t time.Time) {
	if c, ok := rollupLogs.Load(tx); ok {
		c.(*rollupChanges).at = t
	}
}

// logRollup records a rollup change made in b's transaction.
func logRollup(b *bolt.Bucket, key []byte, t Totals) {
	c, ok := rollupLogs.Load(b.Tx())
	if !ok {
		return
	}
	rc := c.(*rollupChanges)
	cur := rc.delta[string(key)]
	cur.Merge(t)
	rc.delta[string(key)] = cur
}

func timeKey(t time.Time) []byte { return u64(uint64(t.UnixNano()) ^ (1 << 63)) }

func timeOfKey(k []byte) time.Time { return time.Unix(0, int64(binaryU64(k)^(1<<63))).UTC() }

// withRollupLog runs fn in tx and then appends the rollup changes fn made to the log. A change
// with no noted time cannot be placed in time: the log then restarts after it.
func (s *Store) withRollupLog(tx *bolt.Tx, fn func(tx *bolt.Tx) error) error {
	rc := &rollupChanges{delta: map[string]Totals{}}
	rollupLogs.Store(tx, rc)
	defer rollupLogs.Delete(tx)
	if err := fn(tx); err != nil {
		return err
	}
	keys := make([]string, 0, len(rc.delta))
	for k, t := range rc.delta {
		if !t.isZero() {
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		return nil
	}
	meta := tx.Bucket(bktMeta)
	if meta == nil {
		return nil
	}
	if rc.at.IsZero() {
		return putU64(meta, keyRollupLogFrom, uint64(s.Now().UnixNano()))
	}
	slices.Sort(keys)
	lb, err := tx.CreateBucketIfNotExists(bktRollupLog)
	if err != nil {
		return err
	}
	n, err := lb.NextSequence()
	if err != nil {
		return err
	}
	e := enc{b: make([]byte, 0, 40*len(keys))}
	e.uvarint(uint64(len(keys)))
	for _, k := range keys {
		e.str(k)
		e.str(string(encodeTotals(rc.delta[k])))
	}
	return lb.Put(append(timeKey(rc.at), u64(n)...), e.b)
}

// ensureRollupLog starts the log of a store that has none yet: from now on it is complete.
func (s *Store) ensureRollupLog() error {
	var has bool
	if err := s.view(func(tx *bolt.Tx) error {
		has = tx.Bucket(bktMeta).Get(keyRollupLogFrom) != nil
		return nil
	}); err != nil || has {
		return err
	}
	return s.updateTx(func(tx *bolt.Tx) error {
		return putU64(tx.Bucket(bktMeta), keyRollupLogFrom, uint64(s.Now().UnixNano()))
	})
}

// loggedRollup returns the rollup as known on t from the current rollup and the log, and
// false when the log does not reach back to t.
func (s *Store) loggedRollup(t time.Time) (map[string]Totals, bool, error) {
	var sums map[string]Totals
	ok := false
	err := s.view(func(tx *bolt.Tx) error {
		from := tx.Bucket(bktMeta).Get(keyRollupLogFrom)
		if len(from) != 8 || t.UnixNano() < int64(binaryU64(from)) {
			return nil
		}
		ok = true
		sums = map[string]Totals{}
		err := tx.Bucket(bktRollup).ForEach(func(k, v []byte) error {
			tt, err := decodeTotals(v)
			if err != nil {
				return fmt.Errorf("rollup value at %x: %w", k, ErrCorrupt)
			}
			sums[string(k)] = tt
			return nil
		})
		if err != nil {
			return err
		}
		lb := tx.Bucket(bktRollupLog)
		if lb == nil {
			return nil
		}
		c := lb.Cursor()
		tk := timeKey(t)
		for k, v := c.Seek(tk); k != nil; k, v = c.Next() {
			if len(k) != 16 {
				return fmt.Errorf("rollup log key %x: %w", k, ErrCorrupt)
			}
			if bytes.Equal(k[:8], tk) {
				continue // visible at t itself
			}
			d := dec{b: v}
			n := d.uvarint()
			for range n {
				key := d.raw(d.uvarint())
				tt, err := decodeTotals(d.raw(d.uvarint()))
				if d.err != nil || err != nil {
					return fmt.Errorf("rollup log entry at %s: %w", timeOfKey(k), ErrCorrupt)
				}
				cur := sums[string(key)]
				cur.Merge(tt.negate())
				sums[string(key)] = cur
			}
		}
		return nil
	})
	return sums, ok, err
}
