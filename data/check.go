package data

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"

	bolt "go.etcd.io/bbolt"
)

// maxCheckErrors bounds how many of bbolt's findings Check reports.
const maxCheckErrors = 5

// Check is the full check of the store (`sitrep check`): bbolt's consistency check over the
// whole file (page tree, freelist, no page referenced twice), then the checksum of every stored
// version (VerifyRecords), since bbolt has no checksums and cannot see a changed byte inside
// a record. A finding gives an error wrapping ErrCorrupt that names the file and the first few
// problems (a damaged record by its kind, id and sequence number); nil means the file is sound.
func (s *Store) Check() error {
	if err := s.CheckPages(); err != nil {
		return err
	}
	sums, err := s.VerifyRecords()
	if err != nil {
		return fmt.Errorf("check %s: %w", s.path, err)
	}
	if len(sums.Damaged) > 0 {
		return fmt.Errorf("%s: %w (%s)", s.path, ErrCorrupt, sums.Describe())
	}
	return nil
}

// CheckPages runs only bbolt's consistency check (Tx.Check) in one read transaction: the page
// tree, the freelist, no page referenced twice; not the records' checksums.
func (s *Store) CheckPages() error {
	var found []error
	err := s.view(func(tx *bolt.Tx) error {
		for cerr := range tx.Check() {
			if len(found) < maxCheckErrors {
				found = append(found, cerr)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("check %s: %w", s.path, err)
	}
	if len(found) > 0 {
		return fmt.Errorf("%s: %w (consistency check: %v)", s.path, ErrCorrupt, errors.Join(found...))
	}
	return nil
}

// DamagedRecord is a stored version whose checksum does not match its bytes.
type DamagedRecord struct {
	Kind Kind
	// ID is the record's id as far as the damaged bytes still tell it ("" when they do not).
	ID string
	// Seq is the version's sequence number (the key of the record bucket, or of the
	// revision).
	Seq uint64
	// Revision says the version is a kept revision (a replaced or deleted state, or one kept
	// for known-on reads), not one of the record bucket.
	Revision bool
}

// String names the damaged version for a message.
func (d DamagedRecord) String() string {
	what := "stored version"
	if d.Revision {
		what = "revision"
	}
	if d.ID == "" {
		return fmt.Sprintf("%s at %s %d (id unreadable)", singular(d.Kind), what, d.Seq)
	}
	return fmt.Sprintf("%s %q (%s %d)", singular(d.Kind), d.ID, what, d.Seq)
}

// RecordSums is what VerifyRecords found.
type RecordSums struct {
	// Versions counts the stored versions read: records, versions not yet filed, revisions.
	Versions int
	// Summed counts those that carry a checksum (versions written before checksums existed
	// have none and cannot be verified).
	Summed int
	// Damaged lists the first maxCheckErrors versions whose checksum does not match or
	// whose structure is broken; DamagedCount counts them all.
	Damaged      []DamagedRecord
	DamagedCount int
}

// Describe says which records are damaged, for a message.
func (r RecordSums) Describe() string {
	if r.DamagedCount == 0 {
		return "every record's checksum matches"
	}
	names := make([]string, len(r.Damaged))
	for i, d := range r.Damaged {
		names[i] = d.String()
	}
	more := ""
	if r.DamagedCount > len(r.Damaged) {
		more = fmt.Sprintf(" and %d more", r.DamagedCount-len(r.Damaged))
	}
	return fmt.Sprintf("%s damaged (a byte changed on disk: the checksum does not match): %s%s",
		Plural(r.DamagedCount, "stored record"), strings.Join(names, ", "), more)
}

// VerifyRecords reads every stored version of every kind (the record bucket, the kept
// revisions and the states kept for known-on reads) in one read transaction and checks its checksum. It reads the whole file's
// records: on a store of a million incidents it takes about as long as bbolt's page check
// (see /work/notes/issue-14-s2.md).
func (s *Store) VerifyRecords() (RecordSums, error) {
	var r RecordSums
	err := s.view(func(tx *bolt.Tx) error {
		r = RecordSums{}
		for _, k := range Kinds {
			kb := tx.Bucket([]byte(k))
			if kb == nil {
				continue
			}
			if rec := kb.Bucket(bktRec); rec != nil {
				c := rec.Cursor()
				for key, v := c.First(); key != nil; key, v = c.Next() {
					r.verify(k, v, key, false)
				}
			}
			if rev := kb.Bucket(bktRev); rev != nil {
				c := rev.Cursor()
				for key, v := c.First(); key != nil; key, v = c.Next() {
					_, _, old, err := decodeRev(v)
					if err != nil {
						old = nil
					}
					r.verify(k, old, key, true)
				}
			}
			if past := kb.Bucket(bktPast); past != nil {
				c := past.Cursor()
				for key, v := c.First(); key != nil; key, v = c.Next() {
					p, err := decodePast(key, v)
					switch {
					case err != nil:
						r.verify(k, nil, key, true)
					case p.val != nil:
						r.verify(k, p.val, key, true)
					}
				}
			}
		}
		return nil
	})
	return r, err
}

// verify checks one stored version (v nil: it could not even be found in its revision).
func (r *RecordSums) verify(k Kind, v, key []byte, revision bool) {
	r.Versions++
	var has bool
	err := errDecode
	if v != nil {
		has, err = verifySum(v)
	}
	if has {
		r.Summed++
	}
	if err == nil {
		return
	}
	r.DamagedCount++
	if len(r.Damaged) >= maxCheckErrors {
		return
	}
	d := DamagedRecord{Kind: k, Revision: revision}
	if len(key) >= 8 {
		d.Seq = binary.BigEndian.Uint64(key[len(key)-8:])
	}
	if revision {
		if i := bytes.IndexByte(key, 0); i > 0 { // rev and past keys: id 0x00 ...
			d.ID = string(key[:i])
		}
	} else if v != nil {
		if rec, err := decodeUnchecked(k, v); err == nil {
			d.ID = rec.recID()
		}
	}
	r.Damaged = append(r.Damaged, d)
}

// CheckForWrite is the check that runs before every import writes and before every automatic
// backup: the full Check (bbolt's page check and every record's checksum). A damaged store is
// refused for writing, so that neither the import nor its backup spreads the damage (the
// backup would rotate a good one away); `sitrep check` says what is wrong and `sitrep salvage`
// copies every readable record to a new store. Measured on a store of a million incidents
// (BenchmarkCheck1M): 0.16 s for the pages and 0.07 s for the checksums on an idle machine,
// warm cache (/work/notes/issue-14-s2.md), so the whole check runs every time.
func (s *Store) CheckForWrite() error {
	if err := s.Check(); err != nil {
		return fmt.Errorf("%w; the store was not changed: run \"sitrep check\" for details and \"sitrep salvage --out NEW.db\" to copy every readable record to a new store", err)
	}
	return nil
}

// checkOnce runs CheckForWrite unless the store passed it and nothing was written since (the
// automatic backup checks right before the import begins: one check serves both).
func (s *Store) checkOnce() error {
	var txid int
	if err := s.view(func(tx *bolt.Tx) error { txid = tx.ID(); return nil }); err != nil {
		return err
	}
	if s.checkedTx.Load() == int64(txid) {
		return nil
	}
	if err := s.CheckForWrite(); err != nil {
		return err
	}
	s.checkedTx.Store(int64(txid))
	return nil
}
