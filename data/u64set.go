package data

import "math/bits"

// u64set is a set of 64-bit hashes: open addressing with linear probing, 8 bytes a slot at a
// load of at most 0.8. A Batch keeps one per kind to catch duplicate ids; at a million ids it
// holds about 10 MB, where a Go map[uint64]struct{} held several times that while growing.
type u64set struct {
	keys []uint64 // 0 marks an empty slot; the hash 0 is stored as 1
	n    int
}

// add inserts h and reports whether it was absent.
func (s *u64set) add(h uint64) bool {
	if h == 0 {
		h = 1
	}
	if (s.n+1)*5 > len(s.keys)*4 {
		old := s.keys
		s.keys = make([]uint64, max(2*len(old), 1024))
		for _, k := range old {
			if k != 0 {
				s.insert(k)
			}
		}
	}
	if !s.insert(h) {
		return false
	}
	s.n++
	return true
}

// insert puts h in its slot; false when it is there already.
func (s *u64set) insert(h uint64) bool {
	hi, _ := bits.Mul64(h*0x9e3779b97f4a7c15, uint64(len(s.keys)))
	for i := int(hi); ; i++ {
		if i == len(s.keys) {
			i = 0
		}
		switch s.keys[i] {
		case h:
			return false
		case 0:
			s.keys[i] = h
			return true
		}
	}
}
