package data

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

func TestU64Set(t *testing.T) {
	var s u64set
	r := rand.New(rand.NewPCG(1, 2))
	keys := make([]uint64, 50000)
	for i := range keys {
		keys[i] = r.Uint64()
	}
	keys[7] = 0 // the empty-slot marker must still be a member like any other
	for i, k := range keys {
		if !s.add(k) {
			t.Fatalf("key %d (%x) reported present before it was added", i, k)
		}
	}
	for i, k := range keys {
		if s.add(k) {
			t.Fatalf("key %d (%x) reported absent after it was added", i, k)
		}
	}
	if s.n != len(keys) || s.n*5 > len(s.keys)*4 {
		t.Errorf("%d members in %d slots", s.n, len(s.keys))
	}
}

// TestNewIDsSortedMergesRuns checks that ids added chunk by chunk, each chunk sorted by
// closeRun, come out of sorted in id order, every one once.
func TestNewIDsSortedMergesRuns(t *testing.T) {
	for _, tc := range []struct{ n, chunk int }{{0, 10}, {1, 10}, {25, 10}, {1000, 7}, {5000, 5000}, {3000, 1}} {
		r := rand.New(rand.NewPCG(uint64(tc.n), uint64(tc.chunk)))
		var ids newIDs
		want := map[string]uint64{}
		for i := 0; i < tc.n; i++ {
			id := fmt.Sprintf("inc-%016x", r.Uint64())
			if _, dup := want[id]; dup {
				continue
			}
			want[id] = uint64(i)
			ids.add(id, uint64(i))
			if (i+1)%tc.chunk == 0 {
				ids.closeRun()
			}
		}
		got := ids.sorted()
		if len(got) != len(want) {
			t.Fatalf("n=%d chunk=%d: %d entries, want %d", tc.n, tc.chunk, len(got), len(want))
		}
		for i, e := range got {
			id := string(ids.id(e))
			if want[id] != e.seq {
				t.Fatalf("n=%d chunk=%d: %s has seq %d, want %d", tc.n, tc.chunk, id, e.seq, want[id])
			}
			if i > 0 && string(ids.id(got[i-1])) >= id {
				t.Fatalf("n=%d chunk=%d: %s after %s", tc.n, tc.chunk, id, ids.id(got[i-1]))
			}
		}
	}
}
