package tablebench

import (
	"cmp"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"testing"

	"sitrep/data"
)

// The "before" of the table engine: what the Incidents screen did at commit 633cf11, kept
// here (compressed) to measure against. It read every incident through ForEachIncident into a
// ~100-byte row (an id string, seven interned text columns, dates and counts), and sorted with
// a comparison over those rows; a search re-read the store with the search in the filter.

type legacyRow struct {
	id     string
	text   [7]uint32
	day    int32
	killed int64
}

type legacyTable struct {
	rows []legacyRow
	strs []string
	rank []uint32
}

func legacyLoad(st *data.Store, f data.Filter) (*legacyTable, error) {
	idx := map[string]uint32{}
	t := &legacyTable{}
	get := func(s string) uint32 {
		if v, ok := idx[s]; ok {
			return v
		}
		n := uint32(len(t.strs))
		idx[s] = n
		t.strs = append(t.strs, s)
		return n
	}
	err := st.ForEachIncident(f, func(r *data.Incident) error {
		t.rows = append(t.rows, legacyRow{id: r.ID, text: [7]uint32{get(r.Theatre), get(r.Location), get(r.Actor),
			get(r.Target), get(r.Confidence), get(r.AnnouncedBy), get(r.Source)},
			day: int32(r.Date.DayNumber()), killed: CountKey(r.Killed)})
		return nil
	})
	order := make([]int, len(t.strs))
	lower := make([]string, len(t.strs))
	for i, s := range t.strs {
		order[i], lower[i] = i, strings.ToLower(s)
	}
	slices.SortStableFunc(order, func(a, b int) int { return strings.Compare(lower[a], lower[b]) })
	t.rank = make([]uint32, len(t.strs))
	for p, i := range order {
		t.rank[i] = uint32(p)
	}
	return t, err
}

func (t *legacyTable) sort(cmpRows func(a, b *legacyRow) int) []int32 {
	order := make([]int32, len(t.rows))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int {
		if c := cmpRows(&t.rows[a], &t.rows[b]); c != 0 {
			return -c
		}
		return int(a - b)
	})
	return order
}

// BenchmarkLegacy1M measures the 633cf11 table on the same store: the whole load before
// the first row shows, a sort by location and by killed, a search (a new load with the search
// text), and the memory held with the rows loaded.
func BenchmarkLegacy1M(b *testing.B) {
	st := benchStore(b)
	b.Run("load", func(b *testing.B) {
		var c cpu
		for b.Loop() {
			c.start()
			t, err := legacyLoad(st, data.Filter{})
			if err != nil || len(t.rows) != N {
				b.Fatal(err, len(t.rows))
			}
			c.stop()
			debug.FreeOSMemory()
			rss(b)
			runtime.KeepAlive(t)
		}
		c.report(b)
	})
	t, err := legacyLoad(st, data.Filter{})
	if err != nil {
		b.Fatal(err)
	}
	sorts := map[string]func(a, b *legacyRow) int{
		"sort_location": func(a, b *legacyRow) int { return cmp.Compare(t.rank[a.text[1]], t.rank[b.text[1]]) },
		"sort_killed":   func(a, b *legacyRow) int { return cmp.Compare(a.killed, b.killed) },
		"sort_id":       func(a, b *legacyRow) int { return strings.Compare(a.id, b.id) },
	}
	for _, name := range []string{"sort_id", "sort_location", "sort_killed"} {
		b.Run(name, func(b *testing.B) {
			var c cpu
			for b.Loop() {
				c.start()
				t.sort(sorts[name])
				c.stop()
			}
			c.report(b)
		})
	}
	b.Run("search_venezuela", func(b *testing.B) {
		var c cpu
		for b.Loop() {
			c.start()
			if _, err := legacyLoad(st, data.Filter{Search: "venezuela"}); err != nil {
				b.Fatal(err)
			}
			c.stop()
		}
		c.report(b)
	})
}
