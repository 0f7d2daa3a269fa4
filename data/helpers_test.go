package data

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// openTestStore opens a new store in t.TempDir(). On cleanup it closes the store, runs
// bbolt's consistency check and the store's own invariants, and fails the test on any error.
// opts, when given, are the options to open it with.
func openTestStore(t *testing.T, opts ...Options) *Store {
	t.Helper()
	path := filepath.Join(t.TempDir(), "sub", "sitrep.db")
	var o Options
	if len(opts) > 0 {
		o = opts[0]
	}
	s, err := Open(path, o)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
		checkFile(t, path)
	})
	return s
}

// fixedClock returns a clock that reads at until the test moves it, for Options.Now.
func fixedClock(at time.Time) (cur *time.Time, now func() time.Time) {
	cur = &at
	return cur, func() time.Time { return *cur }
}

// checkFile runs bbolt's Check on a closed store file and verifies the store's invariants:
// no pending import or unfiled superseded versions, every id points at a version of that id,
// date index and records agree, and the rollup equals the sums of the current incidents.
func checkFile(t *testing.T, path string) {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		t.Errorf("consistency check: open: %v", err)
		return
	}
	defer db.Close()
	err = db.View(func(tx *bolt.Tx) error {
		for cerr := range tx.Check() {
			t.Errorf("bbolt check: %v", cerr)
		}
		if p := getU64(tx.Bucket(bktMeta), keyPending); p != 0 {
			t.Errorf("import %d still pending after close", p)
		}
		want := map[string]Totals{}
		for _, k := range Kinds {
			kb, err := kindOf(tx, k)
			if err != nil {
				return err
			}
			if kb.hasSup {
				t.Errorf("%s: superseded versions not filed as revisions", k)
			}
			nrec := kb.rec.Stats().KeyN
			indexed := map[uint64]int{} // seq -> day
			_ = kb.date.ForEach(func(day, v []byte) error {
				seqs, err := decodeSeqs(v)
				if err != nil || len(seqs) == 0 {
					t.Errorf("%s: date index day %x: %d seqs, %v", k, day, len(seqs), err)
				}
				for _, sq := range seqs {
					indexed[sq] = dayFromKey(day)
				}
				return nil
			})
			if len(indexed) != nrec {
				t.Errorf("%s: %d date index entries for %d records", k, len(indexed), nrec)
			}
			if n := kb.id.Stats().KeyN; n != nrec {
				t.Errorf("%s: %d ids for %d records", k, n, nrec)
			}
			_ = kb.id.ForEach(func(id, seq []byte) error {
				v := kb.rec.Get(seq)
				if v == nil {
					t.Errorf("%s %s: id points at missing version %x", k, id, seq)
					return nil
				}
				r, err := decodeAny(k, v)
				if err != nil {
					t.Errorf("%s %s: %v", k, id, err)
					return nil
				}
				if r.recID() != string(id) {
					t.Errorf("%s %s: id points at record %s", k, id, r.recID())
				}
				first, _, _ := spanOf(r)
				if day, ok := indexed[binaryU64(seq)]; !ok || day != first {
					t.Errorf("%s %s: no date index entry", k, id)
				}
				if inc, ok := r.(*Incident); ok {
					cur := want[string(rollupKey(inc))]
					cur.Add(inc)
					want[string(rollupKey(inc))] = cur
				}
				return nil
			})
		}
		got := map[string]Totals{}
		_ = tx.Bucket(bktRollup).ForEach(func(k, v []byte) error {
			tt, err := decodeTotals(v)
			if err != nil {
				t.Errorf("rollup %x: %v", k, err)
			}
			got[string(k)] = tt
			return nil
		})
		if len(got) != len(want) {
			t.Errorf("rollup has %d entries, records give %d", len(got), len(want))
		}
		for k, w := range want {
			if got[k] != w {
				t.Errorf("rollup %x = %+v, records give %+v", k, got[k], w)
			}
		}
		return nil
	})
	if err != nil {
		t.Errorf("consistency check: %v", err)
	}
}

// demo holds the demo data of assets/demo read into records.
type demo struct {
	incidents  []Incident
	statements []Statement
	tallies    []Tally
}

const demoDir = "../assets/demo" // the embedded demo tables, read from the source tree

func readCSV(t *testing.T, name string) (header []string, rows []map[string]string) {
	t.Helper()
	f, err := os.Open(filepath.Join(demoDir, name))
	if err != nil {
		t.Skipf("demo data not available: %v", err)
	}
	defer f.Close()
	all, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	header = all[0]
	for _, rec := range all[1:] {
		m := map[string]string{}
		for i, h := range header {
			if i < len(rec) {
				m[h] = strings.TrimSpace(rec[i])
			}
		}
		rows = append(rows, m)
	}
	return header, rows
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatalf("number %q: %v", s, err)
	}
	return n
}

// rangeOf reads a min/max column pair: both blank is unknown, only a min is "at least".
func rangeOf(t *testing.T, lo, hi string) Count {
	switch {
	case lo == "" && hi == "":
		return Unknown
	case hi == "":
		return AtLeast(atoi(t, lo))
	case lo == "":
		return Count{Max: atoi(t, hi), MaxKnown: true}
	}
	return Between(atoi(t, lo), atoi(t, hi))
}

func single(t *testing.T, s string) Count {
	if s == "" {
		return Unknown
	}
	return Exactly(atoi(t, s))
}

func loadDemo(t *testing.T) demo {
	t.Helper()
	var d demo
	_, rows := readCSV(t, "incidents.csv")
	for i, r := range rows {
		d.incidents = append(d.incidents, Incident{
			ID: r["id"], Date: MustDate(r["date"]), Theatre: r["theatre"], Location: r["location"],
			Actor: r["actor"], Target: r["target"], Vessels: single(t, r["vessels"]),
			AllegedAffiliation: r["alleged_affiliation"],
			Killed:             rangeOf(t, r["killed_min"], r["killed_max"]),
			Survivors:          single(t, r["survivors"]), AnnouncedBy: r["announced_by"],
			Confidence: r["confidence"], Source: r["source"], Notes: r["notes"],
			Provenance: Provenance{File: "incidents.csv", Sheet: "incidents", Row: i + 2},
		})
	}
	_, rows = readCSV(t, "statements.csv")
	for i, r := range rows {
		d.statements = append(d.statements, Statement{
			ID: r["id"], Date: MustDate(r["date"]), Actor: r["actor"], Speaker: r["speaker"],
			Role: r["role"], Topic: r["topic"], Stance: r["stance"], Quote: r["quote"],
			Channel: r["channel"], Source: r["source"], Notes: r["notes"],
			Provenance: Provenance{File: "statements.csv", Sheet: "statements", Row: i + 2},
		})
	}
	_, rows = readCSV(t, "tallies.csv")
	for i, r := range rows {
		d.tallies = append(d.tallies, Tally{
			ID: r["id"], AsOf: MustDate(r["as_of"]), Claimant: r["claimant"], Scope: r["scope"],
			Strikes:   rangeOf(t, r["strikes_min"], r["strikes_max"]),
			Killed:    rangeOf(t, r["killed_min"], r["killed_max"]),
			Survivors: single(t, r["survivors"]), Source: r["source"], Notes: r["notes"],
			Provenance: Provenance{File: "tallies.csv", Sheet: "tallies", Row: i + 2},
		})
	}
	return d
}

// importAll imports the records in one batch and commits it.
func importAll(t *testing.T, s *Store, info ImportInfo, d demo) (string, ImportResult) {
	t.Helper()
	b := putAll(t, s, info, d)
	defer b.Abort()
	res, err := b.Commit()
	if err != nil {
		t.Fatalf("Commit: %v", err)
	}
	return b.ID(), res
}

// importDiesBeforeCleanup imports the records as importAll does, but stops right after the
// commit transaction, as if the process died before filing the replaced versions.
func importDiesBeforeCleanup(t *testing.T, s *Store, info ImportInfo, d demo) (string, ImportResult) {
	t.Helper()
	b := putAll(t, s, info, d)
	defer b.Abort()
	res, err := b.commit()
	if err != nil {
		t.Fatalf("commit: %v", err)
	}
	s.unlockImport()
	return b.ID(), res
}

// putAll begins an import and puts the records into it.
func putAll(t *testing.T, s *Store, info ImportInfo, d demo) *Batch {
	t.Helper()
	b, err := s.BeginImport(info)
	if err != nil {
		t.Fatalf("BeginImport: %v", err)
	}
	for i := range d.incidents {
		r := d.incidents[i]
		if err := b.PutIncident(&r); err != nil {
			t.Fatalf("PutIncident %s: %v", r.ID, err)
		}
	}
	for i := range d.statements {
		r := d.statements[i]
		if err := b.PutStatement(&r); err != nil {
			t.Fatalf("PutStatement %s: %v", r.ID, err)
		}
	}
	for i := range d.tallies {
		r := d.tallies[i]
		if err := b.PutTally(&r); err != nil {
			t.Fatalf("PutTally %s: %v", r.ID, err)
		}
	}
	return b
}

// undoDies runs UndoImport as if the process died before the flip (flip false) or right
// after it, before tidying up (flip true).
func undoDies(s *Store, id string, flip bool) error {
	n, ok := importNumOf(id)
	if !ok {
		return ErrNotFound
	}
	if err := s.lockEdit("undo import " + id); err != nil {
		return err
	}
	s.importing.Store(true)
	defer s.unlockImport()
	p, err := s.writeUndo(id, n)
	if err != nil || !flip {
		return err
	}
	return p.flip()
}

func demoStore(t *testing.T, opts ...Options) (*Store, demo) {
	t.Helper()
	s := openTestStore(t, opts...)
	d := loadDemo(t)
	importAll(t, s, ImportInfo{File: "demo", Source: "demo"}, d)
	return s, d
}

// sameBytes reads a file for before/after comparisons.
func fileBytes(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func assertUnchanged(t *testing.T, path string, before []byte) {
	t.Helper()
	if after := fileBytes(t, path); !bytes.Equal(before, after) {
		t.Errorf("%s was modified (%d bytes before, %d after)", path, len(before), len(after))
	}
}
