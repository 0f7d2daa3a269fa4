package data

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestIdentity(t *testing.T) {
	s := openTestStore(t)
	id, err := s.Identity()
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^[0-9a-f]{32}$`).MatchString(id.ID) {
		t.Fatalf("store id %q is not 32 hex characters", id.ID)
	}
	if id.Name != "" {
		t.Errorf("new store has name %q", id.Name)
	}
	tests := []struct {
		name, want string
		bad        bool
	}{
		{"  Alice's laptop ", "Alice's laptop", false},
		{"Équipe Caraïbes", "Équipe Caraïbes", false},
		{"two\nlines", "", true},
		{strings.Repeat("x", MaxNameLength+1), "", true},
		{"", "", false},
	}
	for _, tc := range tests {
		err := s.SetName(tc.name)
		if tc.bad {
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("SetName(%q) = %v, want ErrInvalid", tc.name, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("SetName(%q): %v", tc.name, err)
		}
		got, _ := s.Identity()
		if got.Name != tc.want || got.ID != id.ID {
			t.Errorf("after SetName(%q): %+v, want name %q and id %s", tc.name, got, tc.want, id.ID)
		}
	}
}

// A copy of the file (a backup, a hand-over) keeps the id: it names the lineage.
func TestIdentitySurvivesReopenAndCopy(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "a.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetName("Team A"); err != nil {
		t.Fatal(err)
	}
	want, _ := s.Identity()
	f, err := os.Create(filepath.Join(dir, "copy.db"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Backup(f); err != nil {
		t.Fatal(err)
	}
	f.Close()
	s.Close()
	for _, p := range []string{path, filepath.Join(dir, "copy.db")} {
		for _, ro := range []bool{false, true} {
			s, err := Open(p, Options{ReadOnly: ro})
			if err != nil {
				t.Fatal(err)
			}
			got, err := s.Identity()
			s.Close()
			if err != nil || got != want {
				t.Errorf("%s (read-only %v): %+v, %v; want %+v", filepath.Base(p), ro, got, err, want)
			}
		}
	}
	if want.String() != "Team A (store "+want.ID[:8]+")" {
		t.Errorf("String() = %q", want.String())
	}
}
