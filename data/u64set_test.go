package data

import (
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
