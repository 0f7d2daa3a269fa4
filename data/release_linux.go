package data

import (
	"syscall"
	"unsafe"

	bolt "go.etcd.io/bbolt"
)

// ReleaseMapped drops the store file's pages from this process's resident memory after a
// read of the whole store (a table sorted or searched over a million records touches every
// page of the memory-mapped file). The pages stay in the system's file cache, so the next
// read finds them without going to disk; they only stop counting as this process's memory.
// It is safe while other reads run: a page read again is mapped again. It does nothing when
// the system refuses.
func (s *Store) ReleaseMapped() {
	_ = s.view(func(tx *bolt.Tx) error {
		// Inside a read transaction bbolt cannot remap the file, so the mapping is stable.
		info := s.db.Info()
		size := int(tx.Size())
		if info == nil || size <= 0 {
			return nil
		}
		base := *(*unsafe.Pointer)(unsafe.Pointer(&info.Data)) // mapped file, not Go memory
		_ = syscall.Madvise(unsafe.Slice((*byte)(base), size), syscall.MADV_DONTNEED)
		return nil
	})
}
