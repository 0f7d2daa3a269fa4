package storetest

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// writeBolt writes a bbolt file with n values holding marker.
func writeBolt(t *testing.T, path, marker string, n int) {
	t.Helper()
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.Update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucket([]byte("b"))
		if err != nil {
			return err
		}
		for i := range n {
			if err := b.Put(fmt.Appendf(nil, "k%06d", i), []byte(marker+strings.Repeat("v", 200))); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// checkErrors returns what bbolt's consistency check finds in the file at path.
func checkErrors(t *testing.T, path string) (found []error) {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	defer func() {
		if r := recover(); r != nil { // bbolt may panic on a page of an unknown type
			found = append(found, fmt.Errorf("panic: %v", r))
		}
	}()
	db.View(func(tx *bolt.Tx) error {
		for err := range tx.Check() {
			found = append(found, err)
		}
		return nil
	})
	return found
}

func TestDamageLeaf(t *testing.T) {
	tests := []struct {
		name    string
		values  int
		marker  string
		wantErr string
	}{
		{"many leaf pages: one is damaged", 3000, "mark-", ""},
		{"too few pages hold the marker", 3, "mark-", "only 1 leaf pages hold"},
		{"the marker is nowhere", 3000, "", "only 0 leaf pages hold"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "s.db")
			writeBolt(t, path, "mark-", tc.values)
			if got := checkErrors(t, path); len(got) != 0 {
				t.Fatalf("fresh file fails the check: %v", got)
			}
			marker := tc.marker
			if marker == "" {
				marker = "absent-marker"
			}
			err := DamageLeaf(path, marker)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("DamageLeaf = %v, want an error saying %q", err, tc.wantErr)
				}
				if got := checkErrors(t, path); len(got) != 0 {
					t.Errorf("a refused damage changed the file: %v", got)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := checkErrors(t, path); len(got) == 0 {
				t.Error("the damaged file passes bbolt's check")
			}
		})
	}
	if err := DamageLeaf(filepath.Join(t.TempDir(), "none.db"), "x"); err == nil {
		t.Error("no error for a missing file")
	}
}
