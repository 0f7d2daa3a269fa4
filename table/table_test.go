package table

import (
	"cmp"
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"sitrep/data"
)

// testStore returns a store with n incidents: locations unique (long shared prefixes, mixed
// case, some non-ASCII), theatres from a few values in mixed case, killed counts with
// unknowns, several incidents a day.
func testStore(t *testing.T, n int) *data.Store {
	t.Helper()
	s, err := data.Open(filepath.Join(t.TempDir(), "t.db"), data.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	b, err := s.BeginImport(data.ImportInfo{File: "t.xlsx", Source: "file"})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Abort()
	for i := range n {
		h := uint32(i) * 2654435761
		r := data.Incident{
			ID:       fmt.Sprintf("T-%06d", (i*7919)%n),
			Date:     data.DateFromDayNumber(20000 + int(h%97)),
			Theatre:  []string{"Caribbean", "caribbean", "Eastern Pacific", "Gulf of Mexico", "Ñuble coast"}[h%5],
			Location: fmt.Sprintf("International waters off %s, %d N", []string{"Venezuela", "mexico", "Ecuador"}[(h>>3)%3], h%100000),
			Killed:   data.Exactly(int(h>>5) % 9),
		}
		if h%11 == 0 {
			r.Killed = data.Count{}
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

func killedKey(r *data.Incident) int64 {
	if !r.Killed.Known() {
		return -1
	}
	return int64(r.Killed.Low())
}

var cols = []Column[data.Incident]{
	{Natural: true},
	{Text: func(r *data.Incident) string { return r.ID }},
	{Text: func(r *data.Incident) string { return r.Theatre }},
	{Text: func(r *data.Incident) string { return r.Location }},
	{Int: killedKey},
}

// want is the reference order: the store's order, filtered, stably sorted by the column.
func want(all []data.Incident, col int, desc bool, search string) []string {
	rows := slices.Clone(all)
	if search != "" {
		f := data.Filter{Search: search}
		rows = slices.DeleteFunc(rows, func(r data.Incident) bool { return !f.MatchesIncident(&r) })
	}
	if col > 0 {
		slices.SortStableFunc(rows, func(a, b data.Incident) int {
			switch col {
			case 1:
				return strings.Compare(strings.ToLower(a.ID), strings.ToLower(b.ID))
			case 2:
				return strings.Compare(strings.ToLower(a.Theatre), strings.ToLower(b.Theatre))
			case 3:
				return strings.Compare(strings.ToLower(a.Location), strings.ToLower(b.Location))
			}
			return cmp.Compare(killedKey(&a), killedKey(&b))
		})
	}
	ids := make([]string, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	if desc {
		slices.Reverse(ids)
	}
	return ids
}

func idsOf(t *testing.T, v *View[data.Incident]) []string {
	t.Helper()
	out := make([]string, v.Len())
	for i := range out {
		r, err := v.Row(i)
		if err != nil {
			t.Fatal(err)
		}
		out[i] = r.ID
	}
	return out
}

func TestArrangeSortsAndSearches(t *testing.T) {
	for _, n := range []int{500, 25000} { // 25,000 rows are read and sorted in two parts
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			s := testStore(t, n)
			all, err := s.Incidents(data.Filter{})
			if err != nil {
				t.Fatal(err)
			}
			m := New(s, data.KindIncident, cols)
			var first *View[data.Incident]
			v, err := m.Load(context.Background(), data.Filter{Search: "ignored by Load"}, func(v *View[data.Incident]) { first = v }, nil)
			if err != nil {
				t.Fatal(err)
			}
			if v.Len() != len(all) || !v.Complete {
				t.Fatalf("loaded %d rows (complete %v), want %d", v.Len(), v.Complete, len(all))
			}
			if first == nil || first.Len() != FirstRows || first.Complete {
				t.Fatalf("first view: %v", first)
			}
			if got, w := idsOf(t, first), want(all, -1, false, "")[:FirstRows]; !slices.Equal(got, w) {
				t.Fatalf("first rows differ from the store's order: %v... want %v...", got[:3], w[:3])
			}
			tests := []struct {
				col    int
				desc   bool
				search string
			}{
				{-1, false, ""}, {0, true, ""}, {1, false, ""}, {1, true, ""},
				{2, false, ""}, {2, true, "venezuela"}, {3, false, ""}, {3, true, ""},
				{4, false, ""}, {4, true, "ÑUBLE"}, {-1, false, "MEXICO"}, {3, false, "no such text"},
			}
			for _, tc := range tests {
				got, err := m.Arrange(context.Background(), tc.col, tc.desc, tc.search)
				if err != nil {
					t.Fatal(err)
				}
				w := want(all, tc.col, tc.desc, tc.search)
				if ids := idsOf(t, got); !slices.Equal(ids, w) {
					i := 0
					for i < min(len(ids), len(w)) && ids[i] == w[i] {
						i++
					}
					t.Errorf("col %d desc %v search %q: %d rows, want %d; first difference at row %d",
						tc.col, tc.desc, tc.search, len(ids), len(w), i)
				}
			}
		})
	}
}

func TestLoadFiltersAndCancels(t *testing.T) {
	s := testStore(t, 300)
	m := New(s, data.KindIncident, cols)
	f := data.Filter{Theatres: []string{"caribbean"}}
	v, err := m.Load(context.Background(), f, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	all, _ := s.Incidents(f)
	if got := idsOf(t, v); !slices.Equal(got, want(all, -1, false, "")) {
		t.Errorf("filtered load: %d rows, want %d in store order", len(got), len(all))
	}
	// A search on a filtered load searches only the loaded rows.
	sv, err := m.Arrange(context.Background(), 2, false, "gulf")
	if err != nil || sv.Len() != 0 {
		t.Errorf("search outside the filter: %d rows, %v", sv.Len(), err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := m.Load(ctx, data.Filter{}, nil, nil); err == nil {
		t.Error("cancelled load returned no error")
	}
	if _, err := m.Arrange(ctx, 3, false, "x"); err == nil {
		t.Error("cancelled arrange returned no error")
	}
}

func TestViewRowAndRowOf(t *testing.T) {
	s := testStore(t, 200)
	m := New(s, data.KindIncident, cols)
	v, err := m.Load(context.Background(), data.Filter{}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.Row(v.Len()); err == nil {
		t.Error("row past the end read without error")
	}
	if _, err := v.Row(-1); err == nil {
		t.Error("row -1 read without error")
	}
	r, err := v.Row(137)
	if err != nil {
		t.Fatal(err)
	}
	if got := v.RowOf(v.Ref(137)); got != 137 {
		t.Errorf("RowOf(Ref(137)) = %d", got)
	}
	m.Forget()
	r2, err := v.Row(137)
	if err != nil || r2.ID != r.ID || r2 == r {
		t.Errorf("after Forget, row 137 = %v (%v), want a fresh read of %s", r2, err, r.ID)
	}
	var nilView *View[data.Incident]
	if nilView.Len() != 0 {
		t.Error("nil view has rows")
	}
}

func TestSplitBounds(t *testing.T) {
	for _, n := range []int{0, 1, 19999, 20000, 20001, 1_000_000} {
		rs := split(n)
		at := 0
		for _, r := range rs {
			if r[0] != at || r[1] <= r[0] && n > 0 || (r[0]%64 != 0) {
				t.Errorf("split(%d) = %v", n, rs)
			}
			at = r[1]
		}
		if at != n {
			t.Errorf("split(%d) covers %d rows", n, at)
		}
	}
}

// TestArrangeFirstShowsTheFirstRows: sorting by a column of distinct texts shows the first
// rows of the order (either way) before the whole order, and they agree with it.
func TestArrangeFirstShowsTheFirstRows(t *testing.T) {
	s := testStore(t, 25000)
	m := New(s, data.KindIncident, cols)
	if _, err := m.Load(context.Background(), data.Filter{}, nil, nil); err != nil {
		t.Fatal(err)
	}
	for _, desc := range []bool{false, true} {
		if _, err := m.Load(context.Background(), data.Filter{}, nil, nil); err != nil { // forgets the order
			t.Fatal(err)
		}
		var early *View[data.Incident]
		v, err := m.ArrangeFirst(context.Background(), 3, desc, "", func(e *View[data.Incident]) { early = e })
		if err != nil {
			t.Fatal(err)
		}
		if early == nil || early.Len() != FirstRows || early.Complete {
			t.Fatalf("desc %v: early view %v", desc, early)
		}
		full := idsOf(t, v)
		if got := idsOf(t, early); !slices.Equal(got, full[:FirstRows]) {
			t.Errorf("desc %v: early rows differ from the full order's first rows", desc)
		}
	}
	// Once the order is built, no early view is needed.
	called := false
	if _, err := m.ArrangeFirst(context.Background(), 3, false, "", func(*View[data.Incident]) { called = true }); err != nil || called {
		t.Errorf("second sort: early view %v, %v", called, err)
	}
}

// TestSortChunksOrdersTexts sorts texts through the chunk sort (and the split by first
// bytes) and compares with a byte-wise sort, ties by position: texts that begin others,
// equal texts, texts sharing long beginnings, bytes that are zero, empty texts.
func TestSortChunksOrdersTexts(t *testing.T) {
	long := strings.Repeat("international waters off ", 4)
	tests := []struct {
		name  string
		texts func(i int) string
		n     int
	}{
		{"prefixes and equal texts", func(i int) string {
			return []string{"ab", "abc", "ab\x00", "", "abcdefgh", "abcdefghi", "abcdefgh\x00", "ab"}[i%8]
		}, 64},
		{"long shared beginnings", func(i int) string { return fmt.Sprintf("%s%d", long, (i*7919)%1000) }, 3000},
		{"ids", func(i int) string { return fmt.Sprintf("gen-%07d", (i*104729)%50000) }, 50000},
		{"few beginnings, split in two", func(i int) string {
			return fmt.Sprintf("%s, %d n", []string{"caribbean sea", "off ecuador", "north of aruba", "windward"}[i%4], (i*31)%997)
		}, 40000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			texts := make([][]byte, tt.n)
			items := make([]item, tt.n)
			for i := range texts {
				texts[i] = []byte(tt.texts(i))
				pre, clen := chunk(texts[i], 0)
				items[i] = item{pre, uint32(i), clen}
			}
			textOf := func(pos uint32) []byte { return texts[pos] }
			want := make([]uint32, tt.n)
			for i := range want {
				want[i] = uint32(i)
			}
			slices.SortStableFunc(want, func(a, b uint32) int { return strings.Compare(string(texts[a]), string(texts[b])) })
			var runs [][]item
			if cut, ok := splitByPrefix(items); ok {
				runs = [][]item{items[:cut], items[cut:]}
			} else {
				runs = [][]item{items}
			}
			for _, run := range runs {
				sortChunks(run, 0, textOf)
			}
			for k, it := range items {
				if it.pos != want[k] {
					t.Fatalf("row %d: got %d (%q), want %d (%q)", k, it.pos, texts[it.pos], want[k], texts[want[k]])
				}
			}
		})
	}
}
