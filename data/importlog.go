package data

import (
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Import statuses.
const (
	StatusPending   = "pending" // being written; invisible to readers
	StatusCommitted = "committed"
	StatusUndone    = "undone"
	StatusFailed    = "failed" // aborted, or interrupted and rolled back
)

// Counts say what an import did with its records.
type Counts struct {
	Inserted  int `json:"inserted"`
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
}

// Total is Inserted + Updated + Unchanged.
func (c Counts) Total() int { return c.Inserted + c.Updated + c.Unchanged }

// ImportResult counts an import's records by kind and by sheet (Provenance.Sheet; "" for a
// CSV file or records with no sheet).
type ImportResult struct {
	ByKind  map[Kind]Counts   `json:"by_kind"`
	BySheet map[string]Counts `json:"by_sheet"`
}

// Total sums the counts over every kind.
func (r ImportResult) Total() Counts {
	var t Counts
	for _, c := range r.ByKind {
		t.Inserted += c.Inserted
		t.Updated += c.Updated
		t.Unchanged += c.Unchanged
	}
	return t
}

// ImportLog is one entry of the import log.
type ImportLog struct {
	ID       string       `json:"id"`
	File     string       `json:"file"`
	SHA256   string       `json:"sha256"`
	Source   string       `json:"source"`
	Started  time.Time    `json:"started"`
	Finished time.Time    `json:"finished"`
	Status   string       `json:"status"`
	Result   ImportResult `json:"result"`
	// Error says why a failed import failed (absent for others, and for imports that failed
	// before Sitrep kept the reason).
	Error string `json:"error,omitempty"`
}

// importEntry is the stored form of an ImportLog: it adds the range of record sequence
// numbers the import wrote, which rollback and undo work from.
type importEntry struct {
	ImportLog
	FirstSeq uint64 `json:"first_seq"`
	LastSeq  uint64 `json:"last_seq"`
}

func getEntry(tx *bolt.Tx, n uint64) (importEntry, error) {
	var e importEntry
	v := tx.Bucket(bktImports).Get(u64(n))
	if v == nil {
		return e, fmt.Errorf("import %s: %w", importIDOf(n), ErrNotFound)
	}
	if err := json.Unmarshal(v, &e); err != nil {
		return e, fmt.Errorf("import log entry %s: %w (%v)", importIDOf(n), ErrCorrupt, err)
	}
	return e, nil
}

func putEntry(tx *bolt.Tx, n uint64, e importEntry) error {
	b, err := json.Marshal(e)
	if err != nil {
		return err
	}
	return tx.Bucket(bktImports).Put(u64(n), b)
}

// Imports returns the import log, newest first.
func (s *Store) Imports() ([]ImportLog, error) {
	var out []ImportLog
	err := s.view(func(tx *bolt.Tx) error {
		c := tx.Bucket(bktImports).Cursor()
		for k, v := c.Last(); k != nil; k, v = c.Prev() {
			var e importEntry
			if err := json.Unmarshal(v, &e); err != nil {
				return fmt.Errorf("import log entry %x: %w (%v)", k, ErrCorrupt, err)
			}
			if e.Source != sourceUndo {
				out = append(out, e.ImportLog)
			}
		}
		return nil
	})
	return out, err
}

// HasDemoData reports whether a committed, not undone, demo import exists.
func (s *Store) HasDemoData() (bool, error) {
	logs, err := s.Imports()
	if err != nil {
		return false, err
	}
	for _, l := range logs {
		if l.Source == "demo" && l.Status == StatusCommitted {
			return true, nil
		}
	}
	return false, nil
}
