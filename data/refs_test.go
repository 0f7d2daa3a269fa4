package data

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// refsStore holds 120 incidents over 40 days, several a day (ids out of date order), with
// theatres of mixed case, one range over days and one month-precision date.
func refsStore(t *testing.T) *Store {
	t.Helper()
	s := openTestStore(t)
	b, err := s.BeginImport(ImportInfo{File: "refs.xlsx", Source: "file"})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Abort()
	for i := range 120 {
		r := Incident{
			ID:       fmt.Sprintf("R-%03d", (i*37)%120),
			Date:     Day(2025, 9, 1+i%30),
			Theatre:  []string{"Caribbean", "eastern pacific", "Eastern Pacific"}[i%3],
			Location: fmt.Sprintf("Place %d", i),
			Killed:   Exactly(i % 7),
		}
		switch i {
		case 5:
			r.DateEnd = Day(2025, 9, 20)
		case 7:
			r.Date = MonthOf(2025, 9)
		}
		if err := b.PutIncident(&r); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := b.Commit(); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestScanRefsMatchesIncidents(t *testing.T) {
	s := refsStore(t)
	tests := []struct {
		name string
		f    Filter
	}{
		{"everything (ids and dates only)", Filter{}},
		{"date range (light path)", Filter{From: Day(2025, 9, 10), To: Day(2025, 9, 12)}},
		{"theatre (full decode)", Filter{Theatres: []string{"Eastern Pacific"}}},
		{"search", Filter{Search: "place 1"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			want, err := s.Incidents(tc.f)
			if err != nil {
				t.Fatal(err)
			}
			var refs []Ref
			if err := s.ScanRefs(KindIncident, tc.f, func(page []Ref) error { refs = append(refs, page...); return nil }); err != nil {
				t.Fatal(err)
			}
			if len(refs) != len(want) || len(want) == 0 {
				t.Fatalf("%d refs, want %d (> 0)", len(refs), len(want))
			}
			got := make([]string, len(refs))
			if err := s.ReadRefs(KindIncident, refs, func(i int, rec any) error {
				got[i] = rec.(*Incident).ID
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			viewed := make([]string, len(refs))
			if err := s.ViewRefs(KindIncident, refs, func(i int, rec any) error {
				viewed[i] = strings.Clone(rec.(*Incident).ID) // borrowed: copy what is kept
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			for i, r := range want {
				if got[i] != r.ID || viewed[i] != r.ID {
					t.Fatalf("row %d: ReadRefs %s, ViewRefs %s, want %s", i, got[i], viewed[i], r.ID)
				}
			}
		})
	}
}

func TestReadRefsKeepsRecordsAndFindsStaleRefs(t *testing.T) {
	s := refsStore(t)
	var refs []Ref
	if err := s.ScanRefs(KindIncident, Filter{}, func(page []Ref) error { refs = append(refs, page...); return nil }); err != nil {
		t.Fatal(err)
	}
	// Out of order, with a repeat: each index gets its own record.
	pick := []Ref{refs[50], refs[3], refs[50], refs[119]}
	recs := make([]*Incident, len(pick))
	if err := s.ReadRefs(KindIncident, pick, func(i int, rec any) error { recs[i] = rec.(*Incident); return nil }); err != nil {
		t.Fatal(err)
	}
	all, _ := s.Incidents(Filter{})
	for i, want := range []int{50, 3, 50, 119} {
		if recs[i].ID != all[want].ID || recs[i].Location != all[want].Location {
			t.Errorf("pick %d: %s at %s, want %s at %s", i, recs[i].ID, recs[i].Location, all[want].ID, all[want].Location)
		}
	}
	// A ref past the last stored version is not found.
	err := s.ReadRefs(KindIncident, []Ref{slices.Max(refs) + 1000}, func(int, any) error { return nil })
	if !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown ref: %v, want ErrNotFound", err)
	}
	if err := s.ReadRefs(Kind("bogus"), refs[:1], func(int, any) error { return nil }); err == nil {
		t.Error("unknown kind read without error")
	}
}

func TestContainsLower(t *testing.T) {
	tests := []struct {
		s, q string
		want bool
	}{
		{"International Waters off VENEZUELA", "venezuela", true},
		{"Caribbean", "carib", true},
		{"Caribbean", "bean", true},
		{"Caribbean", "beans", false},
		{"", "a", false},
		{"Ürümqi statement", "ürüm", true},
		{"Plain ASCII", "ü", false},
		{"ab", "abc", false},
		{"aaab", "aab", true},
	}
	for _, tc := range tests {
		if got := containsLower(tc.s, tc.q); got != tc.want {
			t.Errorf("containsLower(%q, %q) = %v, want %v", tc.s, tc.q, got, tc.want)
		}
	}
}
