package data

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"
	"unicode/utf8"

	bolt "go.etcd.io/bbolt"
)

// Meta keys of the store's identity (see doc.go and /work/notes/codec.md).
var (
	keyStoreID   = []byte("store_id")
	keyStoreName = []byte("store_name")
)

// Identity names a store: ID is fixed when the store is created (or first opened read-write
// by a Sitrep that knows about identities) and is shared by every byte copy of the file (its
// backups, a copy on a USB stick): it names a lineage, not a file. Name is the analyst's or
// the team's name for the store, set on first start or with "sitrep rename"; it may be empty.
type Identity struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// String is "Name (id…)" or the id alone when the store has no name.
func (i Identity) String() string {
	short := i.ID
	if len(short) > 8 {
		short = short[:8]
	}
	if i.Name == "" {
		return "store " + short
	}
	return fmt.Sprintf("%s (store %s)", i.Name, short)
}

// newStoreID returns 16 random bytes in lower-case hex.
func newStoreID() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("make a store id: %w", err)
	}
	return hex.EncodeToString(b[:]), nil
}

// ensureIdentity gives a store opened read-write an id if it has none yet.
func (s *Store) ensureIdentity() error {
	var has bool
	if err := s.view(func(tx *bolt.Tx) error {
		has = len(tx.Bucket(bktMeta).Get(keyStoreID)) > 0
		return nil
	}); err != nil || has {
		return err
	}
	id, err := newStoreID()
	if err != nil {
		return err
	}
	return s.updateTx(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bktMeta)
		if len(meta.Get(keyStoreID)) > 0 {
			return nil
		}
		return meta.Put(keyStoreID, []byte(id))
	})
}

// Identity returns the store's id and name. A store last written by a Sitrep that did not
// know identities and opened read-only has an empty ID.
func (s *Store) Identity() (Identity, error) {
	var id Identity
	err := s.view(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bktMeta)
		id.ID = string(meta.Get(keyStoreID))
		id.Name = string(meta.Get(keyStoreName))
		return nil
	})
	return id, err
}

// MaxNameLength is the longest store name SetName accepts, in characters.
const MaxNameLength = 80

// SetName names the store (surrounding spaces are trimmed; an empty name clears it).
func (s *Store) SetName(name string) error {
	name = strings.TrimSpace(name)
	if !utf8.ValidString(name) || strings.ContainsAny(name, "\x00\n\r\t") {
		return fmt.Errorf("store name %q: use printable text on one line: %w", name, ErrInvalid)
	}
	if n := utf8.RuneCountInString(name); n > MaxNameLength {
		return fmt.Errorf("store name is %d characters long; at most %d: %w", n, MaxNameLength, ErrInvalid)
	}
	return s.update(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bktMeta)
		if name == "" {
			return meta.Delete(keyStoreName)
		}
		return meta.Put(keyStoreName, []byte(name))
	})
}
