// Package storetest holds what the store's tests and the command line's tests both need to
// make a damaged store file. It imports nothing of Sitrep's, so that package data's own tests
// can use it.
package storetest

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"os"
)

// pageSize is bbolt's page size on the machines the tests run on.
const pageSize = 4096

// leafPage is bbolt's page flag of a leaf page (the flags sit at byte 8 of a page header).
const leafPage = 0x02

// DamageLeaf overwrites the page type of one leaf page of the bbolt file at path that holds
// the text marker, the middle one of those pages (away from the first and the last), with an
// unknown type, so that bbolt's check (and any read of that page) fails. It needs at least
// three such pages, so that the damage is inside the data rather than at its ends.
func DamageLeaf(path, marker string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("damage %s: %w", path, err)
	}
	var leaves []int
	for off := 2 * pageSize; off+pageSize <= len(b); off += pageSize {
		if binary.LittleEndian.Uint16(b[off+8:]) == leafPage && bytes.Contains(b[off:off+pageSize], []byte(marker)) {
			leaves = append(leaves, off)
		}
	}
	if len(leaves) < 3 {
		return fmt.Errorf("damage %s: only %d leaf pages hold %q, want 3 or more", path, len(leaves), marker)
	}
	off := leaves[len(leaves)/2]
	binary.LittleEndian.PutUint16(b[off+8:], 0x7777) // an unknown page type
	if err := os.WriteFile(path, b, 0o600); err != nil {
		return fmt.Errorf("damage %s: %w", path, err)
	}
	return nil
}
