package importers

import "math/bits"

// idTable maps 64-bit id hashes to where each id was first read. It is an open-addressing
// table with linear probing, sized to the expected number of ids rather than to a power of
// two: at a million records it holds 16 bytes of value and 8 of key per slot at a load of
// 0.8, about 30 MB, where two Go maps (ids, and natural-key occurrences) held about 90 MB.
type idTable struct {
	keys []uint64 // 0 marks an empty slot; a hash of 0 is stored as 1
	vals []seenID
	n    int
}

func newIDTable(hint int) *idTable {
	t := &idTable{}
	t.alloc(max(hint+hint/4, 64))
	return t
}

func (t *idTable) alloc(size int) {
	t.keys = make([]uint64, size)
	t.vals = make([]seenID, size)
}

// home is the first slot probed for h: h mixed, then mapped onto [0, len) by multiplication.
func (t *idTable) home(h uint64) int {
	hi, _ := bits.Mul64(h*0x9e3779b97f4a7c15, uint64(len(t.keys)))
	return int(hi)
}

// get returns the value stored for h.
func (t *idTable) get(h uint64) (seenID, bool) {
	if h == 0 {
		h = 1
	}
	for i := t.home(h); ; i++ {
		if i == len(t.keys) {
			i = 0
		}
		switch t.keys[i] {
		case h:
			return t.vals[i], true
		case 0:
			return seenID{}, false
		}
	}
}

// put stores v for h, which must not be stored yet.
func (t *idTable) put(h uint64, v seenID) {
	if h == 0 {
		h = 1
	}
	if (t.n+1)*5 > len(t.keys)*4 {
		keys, vals := t.keys, t.vals
		t.alloc(len(keys) * 2)
		for i, k := range keys {
			if k != 0 {
				t.insert(k, vals[i])
			}
		}
	}
	t.insert(h, v)
	t.n++
}

func (t *idTable) insert(h uint64, v seenID) {
	i := t.home(h)
	for t.keys[i] != 0 {
		i++
		if i == len(t.keys) {
			i = 0
		}
	}
	t.keys[i], t.vals[i] = h, v
}
