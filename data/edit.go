package data

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Revision.By values for changes made in Sitrep rather than by an import.
const (
	ByEdit   = "edit"
	ByDelete = "delete"
)

// edit runs fn on kind's buckets in one write transaction, holding the writer lock, and
// wraps its error with what ("delete incident \"X\"").
func (s *Store) edit(what string, kind Kind, fn func(tx *bolt.Tx, kb kindBuckets) error) error {
	if err := s.lockEdit(what); err != nil {
		return err
	}
	defer s.wmu.Unlock()
	err := s.updateTx(func(tx *bolt.Tx) error {
		kb, err := kindOf(tx, kind)
		if err != nil {
			return err
		}
		return fn(tx, kb)
	})
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

// latestRevision returns the key and value of id's latest revision in rev (nil when none).
func latestRevision(kb kindBuckets, id string) (key, val []byte) {
	prefix := revPrefix(id)
	c := kb.rev.Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix) && len(k) == len(prefix)+8; k, v = c.Next() {
		key, val = k, v
	}
	return key, val
}

// lockEdit takes the writer lock for an edit, or says why it cannot.
func (s *Store) lockEdit(what string) error {
	if s.readOnly {
		return fmt.Errorf("%s: %s: %w", what, s.path, ErrReadOnly)
	}
	if !s.lockWriter() {
		return fmt.Errorf("%s: %w; try again when it has finished", what, ErrBusy)
	}
	return nil
}

// lockWriter takes the writer lock: it waits while another edit holds it (edits are short)
// and gives up, returning false, while an import holds it.
func (s *Store) lockWriter() bool {
	for {
		if s.wmu.TryLock() {
			return true
		}
		if s.importing.Load() {
			return false
		}
		time.Sleep(time.Millisecond)
	}
}

// unlockImport releases the writer lock an import batch held.
func (s *Store) unlockImport() {
	s.importing.Store(false)
	s.wmu.Unlock()
}

// SaveIncident stores r as an edit: a new record, or a new version of an existing one whose
// previous version is kept as a revision (By "edit"). Saving an unchanged record does nothing.
// r.Provenance.ImportID is set to "edit" and r.Provenance.At to the time of the edit.
func (s *Store) SaveIncident(r *Incident) error { return s.save(r) }

// SaveStatement stores r as an edit, like SaveIncident.
func (s *Store) SaveStatement(r *Statement) error { return s.save(r) }

// SaveTally stores r as an edit, like SaveIncident.
func (s *Store) SaveTally(r *Tally) error { return s.save(r) }

func (s *Store) save(r record) error {
	if err := r.validate(); err != nil {
		return err
	}
	what := fmt.Sprintf("save %s %q", singular(r.kind()), r.recID())
	now := s.Now().UTC()
	p := r.prov()
	p.ImportID, p.At, p.Store, p.StoreName = ByEdit, now, "", ""
	val := encodeRecord(r, 0)
	k, id := r.kind(), r.recID()
	return s.edit(what, k, func(tx *bolt.Tx, kb kindBuckets) error {
		noteEventTime(tx, now)
		meta := tx.Bucket(bktMeta)
		rollup := tx.Bucket(bktRollup)
		de := newDateEdits()
		curVal, curSeq := newView(tx).current(kb, id)
		if curVal != nil {
			old, err := splitVersion(curVal)
			if err != nil {
				return err
			}
			nv, _ := splitVersion(val)
			if bytes.Equal(old.body, nv.body) {
				return nil
			}
			if err := retire(kb, rollup, de, k, curSeq, curVal, ByEdit, now); err != nil {
				return err
			}
		}
		seq := getU64(meta, keySeq) + 1
		if err := putU64(meta, keySeq, seq); err != nil {
			return err
		}
		first, last, _ := spanOf(r)
		if first != minDayNumber && uint64(last-first) > getU64(meta, keySpan(k)) {
			if err := putU64(meta, keySpan(k), uint64(last-first)); err != nil {
				return err
			}
		}
		if err := place(kb, rollup, de, u64(seq), val, r); err != nil {
			return err
		}
		return de.apply(kb.date)
	})
}

// retire removes the current version at seq from the record, date and id indexes and the
// rollup, and files it as a revision by by at when.
func retire(kb kindBuckets, rollup *bolt.Bucket, de *dateEdits, k Kind, seq, val []byte, by string, when time.Time) error {
	seq = bytes.Clone(seq)
	val = bytes.Clone(val)
	r, err := decodeAny(k, val)
	if err != nil {
		return err
	}
	if err := kb.rev.Put(revKey(r.recID(), binaryU64(seq)), encodeRev(when.UTC(), by, val)); err != nil {
		return err
	}
	first, _, _ := spanOf(r)
	de.remove(first, binaryU64(seq))
	if err := kb.rec.Delete(seq); err != nil {
		return err
	}
	if err := kb.id.Delete([]byte(r.recID())); err != nil {
		return err
	}
	if inc, ok := r.(*Incident); ok {
		return addRollup(rollup, rollupKey(inc), totalsOf(inc).negate())
	}
	return nil
}

// place makes val (record r) the current version at seq.
func place(kb kindBuckets, rollup *bolt.Bucket, de *dateEdits, seq, val []byte, r record) error {
	first, _, _ := spanOf(r)
	if err := kb.rec.Put(seq, val); err != nil {
		return err
	}
	de.insert(first, binaryU64(seq))
	if err := kb.id.Put([]byte(r.recID()), seq); err != nil {
		return err
	}
	if inc, ok := r.(*Incident); ok {
		return addRollup(rollup, rollupKey(inc), totalsOf(inc))
	}
	return nil
}

// Delete removes the record; its last version is kept as a revision (By "delete") so that
// Restore can bring it back. It returns ErrNotFound when there is no such record.
func (s *Store) Delete(kind Kind, id string) error {
	what := fmt.Sprintf("delete %s %q", singular(kind), id)
	return s.edit(what, kind, func(tx *bolt.Tx, kb kindBuckets) error {
		curVal, curSeq := newView(tx).current(kb, id)
		if curVal == nil {
			return ErrNotFound
		}
		de := newDateEdits()
		now := s.Now().UTC()
		noteEventTime(tx, now)
		if err := retire(kb, tx.Bucket(bktRollup), de, kind, curSeq, curVal, ByDelete, now); err != nil {
			return err
		}
		return de.apply(kb.date)
	})
}

// Restore undoes the last Delete of a record: the deleted version becomes current again and
// its "delete" revision is dropped. It fails when the record exists or was not deleted.
func (s *Store) Restore(kind Kind, id string) error {
	what := fmt.Sprintf("restore %s %q", singular(kind), id)
	return s.edit(what, kind, func(tx *bolt.Tx, kb kindBuckets) error {
		if cur, _ := newView(tx).current(kb, id); cur != nil {
			return fmt.Errorf("it exists (it is not deleted)")
		}
		prefix := revPrefix(id)
		lastKey, lastVal := latestRevision(kb, id)
		if lastKey == nil {
			return ErrNotFound
		}
		deleted, by, old, err := decodeRev(lastVal)
		if err != nil {
			return err
		}
		if by != ByDelete {
			return fmt.Errorf("its last change was not a deletion: %w", ErrNotFound)
		}
		// The deletion's revision goes, so keep what it said for known-on reads: the record
		// was absent from its deletion until now.
		now := s.Now().UTC()
		noteEventTime(tx, now)
		if err := putPast(tx, kind, id, deleted, now, binaryU64(lastKey[len(prefix):]), ByDelete, nil); err != nil {
			return err
		}
		old = bytes.Clone(old)
		seq := bytes.Clone(lastKey[len(prefix):])
		r, err := decodeAny(kind, old)
		if err != nil {
			return err
		}
		if err := kb.rev.Delete(bytes.Clone(lastKey)); err != nil {
			return err
		}
		de := newDateEdits()
		if err := place(kb, tx.Bucket(bktRollup), de, seq, old, r); err != nil {
			return err
		}
		return de.apply(kb.date)
	})
}

func changeWord(by string) string {
	switch by {
	case ByDelete:
		return "deleted"
	case ByEdit:
		return "edited"
	}
	return "replaced"
}

// Vocabulary returns the stance vocabulary: DefaultVocabulary until one is set.
func (s *Store) Vocabulary() (Vocabulary, error) {
	var v Vocabulary
	err := s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bktMeta).Get(keyVocab)
		if b == nil {
			v = DefaultVocabulary()
			return nil
		}
		if err := json.Unmarshal(b, &v); err != nil {
			return fmt.Errorf("stored stance vocabulary: %w (%v)", ErrCorrupt, err)
		}
		return nil
	})
	return v, err
}

// SetVocabulary validates and stores the stance vocabulary.
func (s *Store) SetVocabulary(v Vocabulary) error {
	if err := v.Validate(); err != nil {
		return err
	}
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return s.update(func(tx *bolt.Tx) error { return tx.Bucket(bktMeta).Put(keyVocab, b) })
}

// Setting returns a stored setting (column mappings, window state...) and whether it is set.
func (s *Store) Setting(key string) ([]byte, bool, error) {
	var out []byte
	var ok bool
	err := s.view(func(tx *bolt.Tx) error {
		if v := tx.Bucket(bktSettings).Get([]byte(key)); v != nil {
			out, ok = bytes.Clone(v), true
		}
		return nil
	})
	return out, ok, err
}

// SetSetting stores a setting; a nil value deletes it.
func (s *Store) SetSetting(key string, value []byte) error {
	if key == "" {
		return fmt.Errorf("setting: empty key")
	}
	return s.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bktSettings)
		if value == nil {
			return b.Delete([]byte(key))
		}
		return b.Put([]byte(key), bytes.Clone(value))
	})
}

// Backup writes a consistent copy of the whole store file to w and returns its size. The
// copy is itself a store that Open reads (an import pending at the time is rolled back when
// the copy is opened).
func (s *Store) Backup(w io.Writer) (int64, error) {
	var n int64
	err := s.view(func(tx *bolt.Tx) error {
		var err error
		n, err = tx.WriteTo(w)
		return err
	})
	if err != nil {
		return n, fmt.Errorf("back up %s: %w", s.path, err)
	}
	return n, nil
}
