// Package table is the model behind Sitrep's record tables: it shows a million records
// without holding them. A Model keeps, per row, only the record's data.Ref (8 bytes); the
// rows on screen are read from the store a page at a time and kept in a small cache. Sorting
// by a column reads that column once, ranks its values into a compact key (4 bytes a row,
// dropped once the order is built) and keeps only the resulting row order (4 bytes a row),
// so a second sort by the same column, either way, costs nothing. A text search reads the
// rows once and keeps the matching positions; it never changes the loaded rows, so clearing
// it is instant.
//
// Every method that reads the whole table (Load, Sort, Search) takes a context and returns
// a new immutable View; the caller shows it when it is still wanted. Only View.Row reads the
// store on the caller's goroutine, and only the page it needs (64 records).
package table

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"sitrep/data"
)

// Source is what a Model reads: a *data.Store.
type Source interface {
	ScanRefs(k data.Kind, f data.Filter, fn func(refs []data.Ref) error) error
	ReadRefs(k data.Kind, refs []data.Ref, fn func(i int, rec any) error) error
	ViewRefs(k data.Kind, refs []data.Ref, fn func(i int, rec any) error) error
}

// releaser is a Source that can drop the pages a whole-table read mapped in (data.Store).
type releaser interface{ ReleaseMapped() }

// released tells the source, when it can, that a read of the whole table is over.
func (m *Model[R]) released() {
	if r, ok := m.src.(releaser); ok {
		r.ReleaseMapped()
	}
}

// Column says how a column sorts: by its Text (case-insensitively), by its Int, or, when
// Natural is set, in the order the store lists records (date, then id).
type Column[R any] struct {
	Text    func(r *R) string
	Int     func(r *R) int64
	Natural bool
}

// releaseEvery is how many records a whole-table read reads between two drops of the store's
// mapped pages (data.Store.ReleaseMapped): about 30 MB of file.
const releaseEvery = 100000

// pageRows is how many rows View.Row reads at once.
const pageRows = 64

// cacheRows bounds the records a Model keeps for display.
const cacheRows = 4096

// FirstRows is how many rows a Load shows before it has read everything.
const FirstRows = 200

// Model is a table over the records of one kind that a filter selects. Its methods are safe
// for concurrent use; the views they return are immutable.
type Model[R any] struct {
	src  Source
	kind data.Kind
	cols []Column[R]

	mu    sync.Mutex
	base  []data.Ref          // the loaded rows, in store order
	perms map[int][]uint32    // per column: base positions in ascending order
	cache map[data.Ref]*R     // records read for display
	fifo  []data.Ref          // cache keys, oldest first
	match map[string][]uint32 // search text -> matching base positions, in base order
}

// New returns an empty model of kind k (whose records are *R) with the given columns.
func New[R any](src Source, k data.Kind, cols []Column[R]) *Model[R] {
	return &Model[R]{src: src, kind: k, cols: cols, perms: map[int][]uint32{}, cache: map[data.Ref]*R{},
		match: map[string][]uint32{}}
}

// View is one state of the table: which rows, in which order. It is immutable; Row reads
// through the model's cache.
type View[R any] struct {
	m    *Model[R]
	base []data.Ref
	// rows lists base positions in display order; nil means base order.
	rows []uint32
	// Col and Desc are the sort column (-1: store order) and direction.
	Col  int
	Desc bool
	// Search is the search text the rows match ("" for all).
	Search string
	// Complete is false for the first rows a Load shows while it reads on.
	Complete bool
}

// Len is the number of rows.
func (v *View[R]) Len() int {
	if v == nil {
		return 0
	}
	if v.rows != nil {
		return len(v.rows)
	}
	return len(v.base)
}

// pos is the base position shown at row i.
func (v *View[R]) pos(i int) int {
	if v.rows != nil {
		return int(v.rows[i])
	}
	return i
}

// Ref is the reference of the record at row i.
func (v *View[R]) Ref(i int) data.Ref { return v.base[v.pos(i)] }

// Row returns the record shown at row i, reading its page from the store when it is not
// cached. The record must not be modified.
func (v *View[R]) Row(i int) (*R, error) {
	if v == nil || i < 0 || i >= v.Len() {
		return nil, fmt.Errorf("row %d: out of range", i)
	}
	ref := v.Ref(i)
	m := v.m
	m.mu.Lock()
	r, ok := m.cache[ref]
	m.mu.Unlock()
	if ok {
		return r, nil
	}
	// Read the page of rows around i that is not cached yet.
	lo := i / pageRows * pageRows
	hi := min(lo+pageRows, v.Len())
	var refs []data.Ref
	m.mu.Lock()
	for j := lo; j < hi; j++ {
		if _, ok := m.cache[v.Ref(j)]; !ok {
			refs = append(refs, v.Ref(j))
		}
	}
	m.mu.Unlock()
	got := make([]*R, len(refs))
	err := m.src.ReadRefs(m.kind, refs, func(j int, rec any) error {
		x, ok := rec.(*R)
		if !ok {
			return fmt.Errorf("table: record %T, want %T", rec, x)
		}
		got[j] = x
		return nil
	})
	if err != nil {
		return nil, err
	}
	m.remember(refs, got)
	for j, rf := range refs {
		if rf == ref {
			return got[j], nil
		}
	}
	return nil, fmt.Errorf("row %d: not read", i)
}

// RowOf returns the row that shows ref, or -1.
func (v *View[R]) RowOf(ref data.Ref) int {
	for i := range v.Len() {
		if v.Ref(i) == ref {
			return i
		}
	}
	return -1
}

func (m *Model[R]) remember(refs []data.Ref, recs []*R) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for j, rf := range refs {
		if _, ok := m.cache[rf]; ok {
			continue
		}
		m.cache[rf] = recs[j]
		m.fifo = append(m.fifo, rf)
	}
	if over := len(m.fifo) - cacheRows; over > 0 {
		for _, rf := range m.fifo[:over] {
			delete(m.cache, rf)
		}
		m.fifo = slices.Delete(m.fifo, 0, over)
	}
}

// Load reads the rows f selects (f.Search is ignored: see Search) in store order and returns
// a complete view in that order. As soon as the first FirstRows rows are read (or all of
// them, if fewer) it calls first, when not nil, with a view of those rows, so a screen can
// show them while the rest loads; progress, when not nil, gets the count read every 100,000
// rows. A Load forgets the sort orders and searches of the previous one.
func (m *Model[R]) Load(ctx context.Context, f data.Filter, first func(*View[R]), progress func(n int)) (*View[R], error) {
	f.Search = ""
	refs := make([]data.Ref, 0, 1024)
	sent := false
	reported := 0
	err := m.src.ScanRefs(m.kind, f, func(page []data.Ref) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		refs = append(refs, page...)
		if len(refs)/releaseEvery != (len(refs)-len(page))/releaseEvery {
			m.released() // the pages read so far
		}
		if !sent && len(refs) >= FirstRows {
			sent = true
			if first != nil {
				v := &View[R]{m: m, base: slices.Clone(refs[:FirstRows]), Col: -1}
				if _, err := v.Row(0); err != nil { // read the first page while the scan goes on
					return err
				}
				first(v)
			}
		}
		if progress != nil && len(refs)/100000 > reported {
			reported = len(refs) / 100000
			progress(len(refs))
		}
		return nil
	})
	m.released()
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", m.kind, err)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	refs = slices.Clip(refs)
	m.mu.Lock()
	m.base = refs
	m.perms = map[int][]uint32{}
	m.match = map[string][]uint32{}
	m.mu.Unlock()
	return &View[R]{m: m, base: refs, Col: -1, Complete: true}, nil
}

// Forget empties the display cache: call it when the store changed and the rows are about to
// be loaded again, so that a record read before the change is not shown after it.
func (m *Model[R]) Forget() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.cache = map[data.Ref]*R{}
	m.fifo = nil
}

// Arrange returns a view of the loaded rows that match search (case-insensitively, any text
// field), sorted by column col (-1: store order), descending when desc. Ties keep the store
// order (reversed when desc). It reads the store when the column has not been sorted since
// the last Load, or the search is new; otherwise it only filters and orders kept positions.
func (m *Model[R]) Arrange(ctx context.Context, col int, desc bool, search string) (*View[R], error) {
	return m.ArrangeFirst(ctx, col, desc, search, nil)
}

// ArrangeFirst is Arrange that, when a sort has to read a column of many distinct texts (the
// slow case: a million places or sources), first calls first, when not nil, with a view of
// only the first FirstRows rows in the order asked for (picked without sorting everything),
// so that a screen can show them while the full order is built. Without a search only.
func (m *Model[R]) ArrangeFirst(ctx context.Context, col int, desc bool, search string, first func(*View[R])) (*View[R], error) {
	m.mu.Lock()
	base := m.base
	m.mu.Unlock()
	search = strings.TrimSpace(search)
	var early func(lo, hi []uint32)
	if first != nil && search == "" {
		early = func(lo, hi []uint32) {
			rows := lo
			if desc {
				rows = hi
			}
			first(&View[R]{m: m, base: base, rows: rows, Col: col, Desc: desc})
		}
	}
	var perm []uint32
	if col >= 0 && col < len(m.cols) && !m.cols[col].Natural {
		var err error
		if perm, err = m.perm(ctx, base, col, early); err != nil {
			return nil, err
		}
	} else {
		col = -1
	}
	var matches []uint32
	if search != "" {
		var err error
		if matches, err = m.search(ctx, base, search); err != nil {
			return nil, err
		}
	}
	v := &View[R]{m: m, base: base, Col: col, Desc: desc, Search: search, Complete: true}
	switch {
	case perm == nil && matches == nil:
		if desc {
			v.rows = make([]uint32, len(base))
			for i := range v.rows {
				v.rows[i] = uint32(len(base) - 1 - i)
			}
		}
	case perm == nil:
		v.rows = slices.Clone(matches)
		if desc {
			slices.Reverse(v.rows)
		}
	case matches == nil:
		v.rows = perm
		if desc {
			v.rows = slices.Clone(perm)
			slices.Reverse(v.rows)
		}
	default:
		in := make([]uint64, (len(base)+63)/64)
		for _, p := range matches {
			in[p/64] |= 1 << (p % 64)
		}
		v.rows = make([]uint32, 0, len(matches))
		for _, p := range perm {
			if in[p/64]&(1<<(p%64)) != 0 {
				v.rows = append(v.rows, p)
			}
		}
		if desc {
			slices.Reverse(v.rows)
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return v, nil
}

// perm returns the base positions in ascending order of column col, building it once.
func (m *Model[R]) perm(ctx context.Context, base []data.Ref, col int, early func(lo, hi []uint32)) ([]uint32, error) {
	m.mu.Lock()
	p, ok := m.perms[col]
	m.mu.Unlock()
	if ok {
		return p, nil
	}
	c := m.cols[col]
	var err error
	switch {
	case c.Int != nil:
		var ranks []uint32
		if ranks, err = rankInts(ctx, m, base, c.Int); err == nil {
			p = orderByRank(ranks)
		}
	case c.Text != nil:
		p, err = sortTexts(ctx, m, base, c.Text, early)
	default:
		return nil, fmt.Errorf("table: column %d has no sort key", col)
	}
	if err != nil {
		return nil, err
	}
	m.mu.Lock()
	if sameBase(m.base, base) {
		m.perms[col] = p
	}
	m.mu.Unlock()
	return p, nil
}

func sameBase(a, b []data.Ref) bool {
	return len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0])
}

// orderByRank returns the positions 0..n-1 sorted by rank, ties by position: rank and
// position packed into one uint64 each, so the sort compares integers only.
func orderByRank(ranks []uint32) []uint32 {
	keys := make([]uint64, len(ranks))
	for i, r := range ranks {
		keys[i] = uint64(r)<<32 | uint64(i)
	}
	slices.Sort(keys)
	out := make([]uint32, len(keys))
	for i, k := range keys {
		out[i] = uint32(k)
	}
	return out
}

// parts is how many goroutines read and sort a column: the machines Sitrep runs on have
// at least two cores, and reading a million records is most of the work.
const parts = 2

// split divides n rows into parts ranges whose bounds are multiples of 64 (so that bitsets
// of different parts never share a word); small tables get one range.
func split(n int) [][2]int {
	if n < 20000 {
		return [][2]int{{0, n}}
	}
	var out [][2]int
	step := (n/parts + 63) / 64 * 64
	for lo := 0; lo < n; lo += step {
		out = append(out, [2]int{lo, min(lo+step, n)})
	}
	return out
}

// each reads every base row once, calling fn with the part number, the row's base position
// and the record borrowed from the store (fn must copy what it keeps). The parts of split
// run in their own goroutines, each in storage order; fn is never called concurrently for
// the same part. It checks ctx every few thousand rows.
func (m *Model[R]) each(ctx context.Context, base []data.Ref, fn func(part, pos int, r *R)) error {
	ranges := split(len(base))
	errs := make([]error, len(ranges))
	var wg sync.WaitGroup
	for p, rg := range ranges {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n := 0
			// In slices, dropping the mapped pages after each, so that reading a million
			// records never holds the whole file in memory at once.
			for lo := rg[0]; lo < rg[1] && errs[p] == nil; lo += releaseEvery {
				hi := min(lo+releaseEvery, rg[1])
				errs[p] = m.src.ViewRefs(m.kind, base[lo:hi], func(i int, rec any) error {
					if n++; n&0xFFF == 0 {
						if err := ctx.Err(); err != nil {
							return err
						}
					}
					x, ok := rec.(*R)
					if !ok {
						return fmt.Errorf("table: record %T, want %T", rec, x)
					}
					fn(p, lo+i, x)
					return nil
				})
				m.released()
			}
		}()
	}
	wg.Wait()
	m.released()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return ctx.Err()
}

// rankInts ranks each row's number among the distinct numbers of the column.
func rankInts[R any](ctx context.Context, m *Model[R], base []data.Ref, key func(*R) int64) ([]uint32, error) {
	vals := make([]int64, len(base))
	if err := m.each(ctx, base, func(_, i int, r *R) { vals[i] = key(r) }); err != nil {
		return nil, err
	}
	distinct := slices.Clone(vals)
	slices.Sort(distinct)
	distinct = slices.Compact(distinct)
	ranks := make([]uint32, len(vals))
	for i, v := range vals {
		j, _ := slices.BinarySearch(distinct, v)
		ranks[i] = uint32(j)
	}
	return ranks, nil
}

// maxKey is how many bytes of a text a sort compares: enough to order any real column, and
// it bounds the memory a sort takes (a million long notes would otherwise be copied whole).
const maxKey = 128 // fits textKeys.lens

// maxDistinct is how many distinct texts a column may have to be sorted through a dictionary.
const maxDistinct = 4096

// textKeys is the sort text of the rows of one part, lower-cased, in one byte slice.
type textKeys struct {
	lo    int      // base position of the part's first row
	arena []byte   // the texts, one after the other (in storage order)
	offs  []uint32 // offs[i-lo] is where row i's text starts
	lens  []uint8  // and lens[i-lo] its length (at most maxKey)
}

func (t *textKeys) text(pos int) []byte {
	j := pos - t.lo
	return t.arena[t.offs[j] : t.offs[j]+uint32(t.lens[j])]
}

// sortTexts returns the base positions ordered by the column's text, case-insensitively,
// ties in base order. Each row's text is copied, lower-cased, into one byte slice per part
// (no string per row), each row gets its first 8 bytes as an integer, and the sort compares
// the integers, going to the bytes only when they are equal. The two halves are sorted in
// parallel, then merged.
func sortTexts[R any](ctx context.Context, m *Model[R], base []data.Ref, key func(*R) string, early func(lo, hi []uint32)) ([]uint32, error) {
	ranges := split(len(base))
	keys := make([]textKeys, len(ranges))
	for p, rg := range ranges {
		keys[p] = textKeys{lo: rg[0], offs: make([]uint32, rg[1]-rg[0]), lens: make([]uint8, rg[1]-rg[0])}
	}
	items := make([]item, len(base))
	// Columns with few distinct texts (theatre, actor, confidence) are ranked through a
	// dictionary per part instead: comparing equal texts byte by byte is what costs.
	dicts := make([]map[string]uint32, len(ranges))
	for p := range dicts {
		dicts[p] = map[string]uint32{}
	}
	ids := make([]uint32, len(base))
	var distinct [parts][]string
	err := m.each(ctx, base, func(p, i int, r *R) {
		if d := dicts[p]; d != nil {
			s := key(r)
			id, ok := d[s]
			if !ok {
				if len(d) >= maxDistinct {
					dicts[p] = nil // too many: the bytes below decide
				} else {
					id = uint32(len(distinct[p]))
					s = strings.Clone(s)
					d[s] = id
					distinct[p] = append(distinct[p], s)
				}
			}
			ids[i] = id
		}
		t := &keys[p]
		start := len(t.arena)
		text := key(r)
		if t.arena == nil {
			// Room for the part's texts, guessed from the first one, so that the arena is
			// seldom copied while it grows (each copy touches fresh pages).
			t.arena = make([]byte, 0, (min(len(text), maxKey)+16)*len(t.offs))
		}
		t.arena = appendLower(t.arena, text)
		if len(t.arena)-start > maxKey {
			t.arena = t.arena[:start+maxKey]
		}
		t.offs[i-t.lo] = uint32(start)
		t.lens[i-t.lo] = uint8(len(t.arena) - start)
		pre, clen := chunk(t.arena[start:], 0)
		items[i] = item{pre, uint32(i), clen}
	})
	if err != nil {
		return nil, err
	}
	if !slices.ContainsFunc(dicts, func(d map[string]uint32) bool { return d == nil }) {
		// One rank per distinct text across the parts, then an integer sort.
		var all []string
		seen := map[string]uint32{}
		for p := range ranges {
			for _, s := range distinct[p] {
				if _, ok := seen[s]; !ok {
					seen[s] = uint32(len(all))
					all = append(all, s)
				}
			}
		}
		rank := rankStrings(all)
		for p, rg := range ranges {
			for i := rg[0]; i < rg[1]; i++ {
				ids[i] = rank[seen[distinct[p][ids[i]]]]
			}
		}
		return orderByRank(ids), nil
	}
	ids = nil
	textOf := func(pos uint32) []byte {
		for p := len(keys) - 1; p >= 0; p-- {
			if int(pos) >= keys[p].lo {
				return keys[p].text(int(pos))
			}
		}
		return nil
	}
	cmpItems := func(a, b item) int {
		switch {
		case a.prefix < b.prefix:
			return -1
		case a.prefix > b.prefix:
			return 1
		}
		ta, tb := textOf(a.pos), textOf(b.pos)
		if len(ta) > 8 || len(tb) > 8 {
			if c := bytes.Compare(ta[min(8, len(ta)):], tb[min(8, len(tb)):]); c != 0 {
				return c
			}
		}
		return cmp.Compare(a.pos, b.pos)
	}
	if early != nil {
		// The first and the last rows of the order, picked in one pass: the screen shows them
		// while the whole order is sorted. Each part picks its own ends in its goroutine; the
		// ends of the whole are among them.
		partLo, partHi := make([][]item, len(ranges)), make([][]item, len(ranges))
		var wg sync.WaitGroup
		for p, rg := range ranges {
			wg.Add(1)
			go func() {
				defer wg.Done()
				partLo[p], partHi[p] = pickEnds(items[rg[0]:rg[1]], FirstRows, cmpItems)
			}()
		}
		wg.Wait()
		lo, hi := slices.Concat(partLo...), slices.Concat(partHi...)
		slices.SortFunc(lo, cmpItems)
		slices.SortFunc(hi, func(a, b item) int { return cmpItems(b, a) })
		lo, hi = lo[:min(len(lo), FirstRows)], hi[:min(len(hi), FirstRows)]
		los, his := make([]uint32, len(lo)), make([]uint32, len(hi))
		for i := range lo {
			los[i] = lo[i].pos
		}
		for i := range hi {
			his[i] = hi[i].pos
		}
		early(los, his)
	}
	// Split the rows in two by their first 8 bytes (all of one prefix on one side), sort
	// the sides in parallel and put them end to end; when the prefixes do not split
	// evenly, sort each part's rows in parallel and merge them instead.
	if cut, ok := splitByPrefix(items); ok && len(ranges) > 1 {
		var wg sync.WaitGroup
		for _, run := range [][]item{items[:cut], items[cut:]} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				sortChunks(run, 0, textOf)
			}()
		}
		wg.Wait()
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		out := make([]uint32, len(items))
		for k, it := range items {
			out[k] = it.pos
		}
		return out, nil
	}
	var wg sync.WaitGroup
	for _, rg := range ranges {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sortChunks(items[rg[0]:rg[1]], 0, textOf)
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	out := make([]uint32, 0, len(items))
	runs := make([][]item, len(ranges))
	for p, rg := range ranges {
		runs[p] = items[rg[0]:rg[1]]
	}
	// The chunk sort left each item's prefix at the offset its run was settled: compare
	// whole texts here.
	cmpTexts := func(a, b item) int {
		if c := bytes.Compare(textOf(a.pos), textOf(b.pos)); c != 0 {
			return c
		}
		return cmp.Compare(a.pos, b.pos)
	}
	for {
		best := -1
		for p, run := range runs {
			if len(run) > 0 && (best < 0 || cmpTexts(run[0], runs[best][0]) < 0) {
				best = p
			}
		}
		if best < 0 {
			break
		}
		out = append(out, runs[best][0].pos)
		runs[best] = runs[best][1:]
	}
	return out, nil
}

// splitByPrefix moves the items whose first 8 bytes sort below a pivot (taken from a
// sample) before the others and returns where they end: every item on the left then sorts
// before every item on the right. ok is false, and items are left as they were, when no
// pivot leaves at least a quarter of the items on each side.
func splitByPrefix(items []item) (cut int, ok bool) {
	if len(items) < 20000 {
		return 0, false
	}
	const samples = 255
	sample := make([]uint64, samples)
	for k := range sample {
		sample[k] = items[k*(len(items)-1)/(samples-1)].prefix
	}
	slices.Sort(sample)
	pivots := []uint64{sample[samples/2]}
	if k, found := slices.BinarySearch(sample, sample[samples/2]+1); k < samples && (found || k > samples/2) {
		pivots = append(pivots, sample[k])
	}
	for _, pivot := range pivots {
		below := 0
		for _, it := range items {
			if it.prefix < pivot {
				below++
			}
		}
		if below < len(items)/4 || below > len(items)-len(items)/4 {
			continue
		}
		l, r := 0, len(items)-1
		for {
			for l < r && items[l].prefix < pivot {
				l++
			}
			for l < r && items[r].prefix >= pivot {
				r--
			}
			if l >= r {
				break
			}
			items[l], items[r] = items[r], items[l]
		}
		return below, true
	}
	return 0, false
}

// item is a row in a text sort: 8 bytes of its text (from the offset being sorted) as a
// big-endian integer, its base position, and how many text bytes are left from that offset
// (0-8, or 9 for more than 8).
type item struct {
	prefix uint64
	pos    uint32
	clen   uint8
}

// chunk returns the 8 bytes of t from offset off (zero-padded) as a big-endian integer,
// and how many bytes of t are left from off, capped at 9.
func chunk(t []byte, off int) (uint64, uint8) {
	t = t[min(off, len(t)):]
	var pre uint64
	for j := range 8 {
		pre <<= 8
		if j < len(t) {
			pre |= uint64(t[j])
		}
	}
	return pre, uint8(min(len(t), 9))
}

// cmpChunks orders items by chunk, then by how much text is left (a text sorts before the
// longer texts it begins), then by position.
func cmpChunks(a, b item) int {
	switch {
	case a.prefix != b.prefix:
		return cmp.Compare(a.prefix, b.prefix)
	case a.clen != b.clen:
		return cmp.Compare(a.clen, b.clen)
	}
	return cmp.Compare(a.pos, b.pos)
}

// sortChunks sorts items, whose texts all agree before offset off, by their texts, ties by
// position, comparing integers only: it sorts by the 8-byte chunk at off, and each run of
// items whose chunks agree and whose texts go on is sorted again from the first byte where
// one of its texts differs from the others or ends (found in one pass over the run). Texts
// that share long beginnings (IDs such as GEN-0000001, places such as "International
// waters off ...") thus cost an integer sort or two instead of a byte comparison in every
// compare.
func sortChunks(items []item, off int, textOf func(uint32) []byte) {
	if !slices.IsSortedFunc(items, cmpChunks) {
		slices.SortFunc(items, cmpChunks)
	}
	for lo := 0; lo < len(items); {
		hi := lo + 1
		for hi < len(items) && items[hi].prefix == items[lo].prefix && items[hi].clen == items[lo].clen {
			hi++
		}
		if hi-lo > 1 && items[lo].clen > 8 {
			run := items[lo:hi]
			first := textOf(run[0].pos)
			common := len(first)
			for _, it := range run[1:] {
				t := textOf(it.pos)
				n := min(common, len(t))
				k := off + 8
				for k < n && t[k] == first[k] {
					k++
				}
				common = k
			}
			for k := range run {
				run[k].prefix, run[k].clen = chunk(textOf(run[k].pos), common)
			}
			sortChunks(run, common, textOf)
		}
		lo = hi
	}
}

// pickEnds returns the k smallest items in ascending order and the k largest in descending
// order, in one pass: each item is compared with the worst kept so far, and only the few that
// beat it are inserted (a million items, a few thousand insertions).
func pickEnds[T any](items []T, k int, cmpf func(a, b T) int) (lo, hi []T) {
	lo = make([]T, 0, k+1)
	hi = make([]T, 0, k+1)
	for _, it := range items {
		if len(lo) < k || cmpf(it, lo[len(lo)-1]) < 0 {
			i, _ := slices.BinarySearchFunc(lo, it, cmpf)
			lo = slices.Insert(lo, i, it)
			if len(lo) > k {
				lo = lo[:k]
			}
		}
		if len(hi) < k || cmpf(it, hi[len(hi)-1]) > 0 {
			i, _ := slices.BinarySearchFunc(hi, it, func(a, b T) int { return -cmpf(a, b) })
			hi = slices.Insert(hi, i, it)
			if len(hi) > k {
				hi = hi[:k]
			}
		}
	}
	return lo, hi
}

// appendLower appends s lower-cased: ASCII in place, other text through strings.ToLower.
func appendLower(dst []byte, s string) []byte {
	start := len(dst)
	dst = append(dst, s...)
	b := dst[start:]
	for i, c := range b {
		switch {
		case c >= utf8.RuneSelf:
			return append(dst[:start], strings.ToLower(s)...)
		case 'A' <= c && c <= 'Z':
			b[i] = c + 'a' - 'A'
		}
	}
	return dst
}

// search returns the base positions whose record matches the search text, in base order.
func (m *Model[R]) search(ctx context.Context, base []data.Ref, q string) ([]uint32, error) {
	key := strings.ToLower(q)
	m.mu.Lock()
	got, ok := m.match[key]
	m.mu.Unlock()
	if ok {
		return got, nil
	}
	f := data.Filter{Search: q}
	in := make([]uint64, (len(base)+63)/64)
	err := m.each(ctx, base, func(_, i int, r *R) {
		if matches(f, r) {
			in[i/64] |= 1 << (i % 64)
		}
	})
	if err != nil {
		return nil, err
	}
	out := []uint32{}
	for i := range base {
		if in[i/64]&(1<<(i%64)) != 0 {
			out = append(out, uint32(i))
		}
	}
	m.mu.Lock()
	if sameBase(m.base, base) {
		if len(m.match) > 8 {
			m.match = map[string][]uint32{}
		}
		m.match[key] = out
	}
	m.mu.Unlock()
	return out, nil
}

// matches applies a search-only filter to a record of any kind.
func matches(f data.Filter, r any) bool {
	switch x := r.(type) {
	case *data.Incident:
		return f.MatchesIncident(x)
	case *data.Statement:
		return f.MatchesStatement(x)
	case *data.Tally:
		return f.MatchesTally(x)
	}
	return false
}

// rankStrings returns, for each string, its rank in case-insensitive order: strings that
// differ only in case share a rank (so their rows keep the store order, as in the byte path).
func rankStrings(strs []string) []uint32 {
	lower := make([]string, len(strs))
	order := make([]int, len(strs))
	for i, s := range strs {
		lower[i], order[i] = strings.ToLower(s), i
	}
	slices.SortFunc(order, func(a, b int) int { return strings.Compare(lower[a], lower[b]) })
	rank := make([]uint32, len(strs))
	r := uint32(0)
	for pos, i := range order {
		if pos > 0 && lower[i] != lower[order[pos-1]] {
			r++
		}
		rank[i] = r
	}
	return rank
}
