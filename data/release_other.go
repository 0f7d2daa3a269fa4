//go:build !linux

package data

// ReleaseMapped drops the store file's pages from this process's resident memory after a
// read of the whole store. Outside Linux the system trims a process's working set of mapped
// file pages on its own, and this does nothing.
func (s *Store) ReleaseMapped() {}
