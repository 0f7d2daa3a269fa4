package data

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// flipInFile changes one byte inside the only occurrence of marker in the file at path (the
// middle of a record's text): the kind of damage bbolt cannot see, as it has no checksums.
func flipInFile(t *testing.T, path, marker string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	i := bytes.Index(b, []byte(marker))
	if i < 0 || bytes.Index(b[i+1:], []byte(marker)) >= 0 {
		t.Fatalf("want exactly one %q in the file", marker)
	}
	at := int64(i + len(marker)/2)
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteAt([]byte{b[at] ^ 0x20}, at); err != nil {
		t.Fatal(err)
	}
}

// TestFlippedByteInARecordIsFound: a byte changed inside one incident's text is reported by
// the full check naming the incident, refused by a read of that incident and by the next
// import and backup (which check first), and the salvage copies every other record and names
// the damaged one. bbolt's own page check passes: only the checksum sees it.
func TestFlippedByteInARecordIsFound(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "sitrep.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	const n = 500
	b, err := s.BeginImport(ImportInfo{File: "a.csv", Source: "file"})
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		r := Incident{ID: fmt.Sprintf("F-%04d", i), Date: MustDate("2025-09-01"), Theatre: "Caribbean",
			Killed: Exactly(i % 5), Notes: fmt.Sprintf("note of incident number %04d, unique", i)}
		if err := b.PutIncident(&r); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := b.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := s.Check(); err != nil {
		t.Fatalf("sound store: %v", err)
	}
	sums, err := s.VerifyRecords()
	if err != nil || sums.Summed != n || sums.Versions != n {
		t.Fatalf("VerifyRecords = %+v, %v: want %d versions, all summed", sums, err, n)
	}
	// An edit files the replaced version as a revision: it is verified too.
	edited, err := s.Incident("F-0007")
	if err != nil {
		t.Fatal(err)
	}
	edited.Notes = "edited note"
	if err := s.SaveIncident(&edited); err != nil {
		t.Fatal(err)
	}
	if sums, err = s.VerifyRecords(); err != nil || sums.Versions <= n || sums.Summed != sums.Versions || sums.DamagedCount != 0 {
		t.Fatalf("after an edit, VerifyRecords = %+v, %v: want the revision counted, all summed", sums, err)
	}
	s.Close()

	flipInFile(t, path, "incident number 0123, unique")

	s, err = Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.CheckPages(); err != nil {
		t.Errorf("bbolt's page check should not see a byte inside a value: %v", err)
	}
	err = s.Check()
	if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), `incident "F-0123"`) {
		t.Errorf("Check = %v: want ErrCorrupt naming incident F-0123", err)
	}
	sums, err = s.VerifyRecords()
	if err != nil || sums.DamagedCount != 1 || len(sums.Damaged) != 1 || sums.Damaged[0].ID != "F-0123" {
		t.Errorf("VerifyRecords = %+v, %v: want F-0123 damaged", sums, err)
	}
	if _, err := s.Incident("F-0123"); !errors.Is(err, ErrCorrupt) {
		t.Errorf("reading the damaged incident: %v, want ErrCorrupt", err)
	}
	if r, err := s.Incident("F-0124"); err != nil || r.Notes != "note of incident number 0124, unique" {
		t.Errorf("reading an undamaged incident: %+v, %v", r, err)
	}
	var listErr error
	listErr = s.ForEachIncident(Filter{}, func(*Incident) error { return nil })
	if !errors.Is(listErr, ErrCorrupt) {
		t.Errorf("listing the incidents: %v, want ErrCorrupt (not garbled text)", listErr)
	}
	if _, err := BackupBeforeImport(s); !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "sitrep salvage") {
		t.Errorf("backup of a damaged store: %v", err)
	}
	if _, err := s.BeginImport(ImportInfo{File: "b.csv", Source: "file"}); !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "F-0123") {
		t.Errorf("import into a damaged store: %v", err)
	}
	s.Close()

	out := filepath.Join(dir, "salvaged.db")
	rep, err := Salvage(path, out)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Copied[KindIncident] != n-1 || rep.Unreadable[KindIncident] != 1 || len(rep.Damaged) != 1 || rep.Damaged[0].ID != "F-0123" {
		t.Fatalf("salvage report %+v: want %d copied and F-0123 named as damaged", rep, n-1)
	}
	ns, err := Open(out, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ns.Close()
	if err := ns.Check(); err != nil {
		t.Errorf("salvaged store: %v", err)
	}
	if r, err := ns.Incident("F-0499"); err != nil || r.Notes != "note of incident number 0499, unique" {
		t.Errorf("salvaged F-0499: %+v, %v", r, err)
	}
	if _, err := ns.Incident("F-0123"); !errors.Is(err, ErrNotFound) {
		t.Errorf("salvaged F-0123: %v, want ErrNotFound", err)
	}
}

// TestVersionWithoutChecksumStillDecodes: versions written before checksums existed (the
// same bytes without the trailing tag) decode as before and count as not summed; a version
// with a sum decodes to the same record; a changed sum byte is damage.
func TestVersionWithoutChecksumStillDecodes(t *testing.T) {
	r := &Incident{ID: "OLD-1", Date: MustDate("2024-02-03"), Theatre: "Red Sea", Killed: Between(2, 4),
		Notes: "written by an older Sitrep", Provenance: Provenance{ImportID: "7", File: "f.xlsx", Sheet: "S", Row: 12}}
	v := encodeRecord(r, 7)
	old := v[:len(v)-6]
	if v[len(v)-6] != provTagSum || v[len(v)-5] != 4 {
		t.Fatalf("a new version does not end with its checksum: % x", v[len(v)-6:])
	}
	tests := []struct {
		name    string
		v       []byte
		has     bool
		damaged bool
	}{
		{"with checksum", v, true, false},
		{"without (older Sitrep)", old, false, false},
		{"checksum byte changed", append(bytes.Clone(v[:len(v)-1]), v[len(v)-1]^1), true, true},
		{"import number changed (an undo rewrites it)", withHeader(v, 99), true, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			has, err := verifySum(tc.v)
			if has != tc.has || (err != nil) != tc.damaged {
				t.Fatalf("verifySum = %v, %v; want has=%v damaged=%v", has, err, tc.has, tc.damaged)
			}
			got, err := decodeAny(KindIncident, tc.v)
			if tc.damaged {
				if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "OLD-1") {
					t.Errorf("decodeAny = %v, want ErrCorrupt naming OLD-1", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			inc := got.(*Incident)
			if inc.Notes != r.Notes || inc.Provenance != r.Provenance || inc.Killed != r.Killed {
				t.Errorf("decoded %+v, want %+v", inc, r)
			}
		})
	}
	// Each byte of the protected part changed in turn: never decoded as a different record.
	for i := binary.PutUvarint(make([]byte, 10), 7); i < len(v); i++ {
		w := bytes.Clone(v)
		w[i] ^= 0x01
		got, err := decodeAny(KindIncident, w)
		if err == nil {
			inc := got.(*Incident)
			if inc.ID != r.ID || inc.Notes != r.Notes || inc.Provenance != r.Provenance {
				t.Errorf("byte %d changed: decoded as %+v without an error", i, inc)
			}
		}
	}
}
