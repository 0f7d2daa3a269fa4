package data

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// openNamed opens a new store named name, on the shared test clock; chunk, when not 0, is
// its Options.ChunkSize.
func openNamed(t *testing.T, dir, name string, now func() time.Time, chunk ...int) *Store {
	t.Helper()
	path := filepath.Join(dir, name+".db")
	s, err := Open(path, Options{Now: now, ChunkSize: firstOr(chunk, 0)})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetName(name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		s.Close()
		checkFile(t, path)
	})
	return s
}

func firstOr(v []int, def int) int {
	if len(v) > 0 {
		return v[0]
	}
	return def
}

// copyStore copies s to a new file and opens the copy read-write (same lineage id), with the
// chunk size of s.
func copyStore(t *testing.T, s *Store, name string, now func() time.Time) *Store {
	t.Helper()
	path := filepath.Join(t.TempDir(), name+".db")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Backup(f); err != nil {
		t.Fatal(err)
	}
	f.Close()
	c, err := Open(path, Options{Now: now, ChunkSize: s.chunk})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// bodies maps every current record of s to its body, provenance aside: what "the same
// records" means across stores.
func bodies(t *testing.T, s *Store) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, k := range Kinds {
		err := s.scan(k, Date{}, Date{}, nil, func(r record) error {
			var e enc
			r.encodeBody(&e)
			out[string(k)+"/"+r.recID()] = string(e.b)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return out
}

func mergeInto(t *testing.T, dst, src *Store, opts MergeOptions) MergeResult {
	t.Helper()
	res, err := dst.Merge(src, opts)
	if err != nil {
		t.Fatalf("merge %s into %s: %v", filepath.Base(src.Path()), filepath.Base(dst.Path()), err)
	}
	return res
}

type mergeCounts struct {
	Added, Updated, Unchanged int
	Conflicts                 []MergeConflict
}

func countsOf(r MergeResult) mergeCounts {
	return mergeCounts{r.Added, r.Updated, r.Unchanged, r.Conflicts}
}

// diverged is two stores that share the demo records and then diverged (see divergedStores).
type diverged struct {
	a, b  *Store // Alice and Bob
	clock *time.Time
	now   func() time.Time
	tick  func()
	d     demo
	total int // the demo's records
}

// divergedStores makes Alice's store with the demo, merges it into Bob's, then changes both:
// disjoint additions (A-1, B-1), the same edit in both (US-2025-06), different edits
// (US-2025-07, Bob's later), a deletion by Alice and a later edit by Bob (US-2025-08), an edit
// by Bob and a later deletion by Alice (US-2025-11), an edit by Alice only (US-2025-10) and a
// deletion by Alice only (US-2025-09). chunk is the stores' chunk size (0: the default).
func divergedStores(t *testing.T, chunk int) diverged {
	t.Helper()
	clock, now := fixedClock(time.Date(2025, 11, 1, 9, 0, 0, 0, time.UTC))
	tick := func() { *clock = clock.Add(time.Minute) }
	dir := t.TempDir()
	a := openNamed(t, dir, "Alice", now, chunk)
	d := loadDemo(t)
	importAll(t, a, ImportInfo{File: "demo.xlsx", Source: "file"}, d)
	total := len(d.incidents) + len(d.statements) + len(d.tallies)
	tick()
	b := openNamed(t, dir, "Bob", now, chunk)
	res := mergeInto(t, b, a, MergeOptions{})
	if res.Added != total || res.Updated != 0 || len(res.Conflicts) != 0 {
		t.Fatalf("first merge into an empty store: %+v", countsOf(res))
	}
	aID, _ := a.Identity()
	got, _ := b.Incident("US-2025-04")
	if got.Provenance.Store != aID.ID || got.Provenance.StoreName != "Alice" || got.Provenance.File != d.incidents[3].Provenance.File || got.Provenance.ImportID != "imp-000001" {
		t.Errorf("merged provenance: %+v", got.Provenance)
	}
	if !reflect.DeepEqual(bodies(t, a), bodies(t, b)) {
		t.Fatal("after the first merge the stores differ")
	}
	edit := func(s *Store, id string, fn func(*Incident)) {
		t.Helper()
		tick()
		r, err := s.Incident(id)
		if err != nil {
			t.Fatal(err)
		}
		fn(&r)
		if err := s.SaveIncident(&r); err != nil {
			t.Fatal(err)
		}
	}
	del := func(s *Store, id string) {
		t.Helper()
		tick()
		if err := s.Delete(KindIncident, id); err != nil {
			t.Fatal(err)
		}
	}
	// Disjoint additions.
	tick()
	if err := a.SaveIncident(&Incident{ID: "A-1", Date: MustDate("2025-11-01"), Theatre: "Caribbean", Killed: Exactly(3)}); err != nil {
		t.Fatal(err)
	}
	tick()
	importAll(t, b, ImportInfo{File: "bob.xlsx", Source: "file"}, demo{incidents: []Incident{{ID: "B-1", Date: MustDate("2025-11-02"), Theatre: "Eastern Pacific", Killed: Exactly(2)}}})
	// The same edit in both.
	edit(a, "US-2025-06", func(r *Incident) { r.Notes = "same" })
	edit(b, "US-2025-06", func(r *Incident) { r.Notes = "same" })
	// Different edits: Bob's is the later.
	edit(a, "US-2025-07", func(r *Incident) { r.Killed = Exactly(70) })
	edit(b, "US-2025-07", func(r *Incident) { r.Killed = Exactly(71); r.Notes = "71 per SOUTHCOM" })
	// Deleted by Alice, then edited by Bob: the edit is the later.
	del(a, "US-2025-08")
	edit(b, "US-2025-08", func(r *Incident) { r.Survivors = Exactly(1) })
	// Edited by Alice only, deleted by Alice only.
	edit(a, "US-2025-10", func(r *Incident) { r.Location = "off Trinidad" })
	del(a, "US-2025-09")
	// Edited by Bob, then deleted by Alice: the deletion is the later.
	edit(b, "US-2025-11", func(r *Incident) { r.Notes = "Bob checked" })
	del(a, "US-2025-11")
	tick()
	return diverged{a: a, b: b, clock: clock, now: now, tick: tick, d: d, total: total}
}

func TestMergeDivergingStores(t *testing.T) {
	for _, chunk := range []int{0, 3} {
		t.Run(fmt.Sprintf("chunk=%d", chunk), func(t *testing.T) { testMergeDiverging(t, chunk) })
	}
}

// testMergeDiverging merges the diverged stores both ways, twice, and settles a conflict.
func testMergeDiverging(t *testing.T, chunk int) {
	dv := divergedStores(t, chunk)
	a, b, clock, now, tick, total := dv.a, dv.b, dv.clock, dv.now, dv.tick, dv.total
	beforeMerge := *clock
	bBefore := bodies(t, b)
	b0 := copyStore(t, b, "bob-before", now)
	a0 := copyStore(t, a, "alice-before", now)
	tick()

	// A dry run writes nothing and says what the merge will do.
	raw, _ := os.ReadFile(b.Path())
	dry, err := b.Merge(a, MergeOptions{DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	assertUnchanged(t, b.Path(), raw)
	res := mergeInto(t, b, a, MergeOptions{})
	want := mergeCounts{Added: 1, Updated: 5, Conflicts: []MergeConflict{
		{KindIncident, "US-2025-07", []string{"killed", "notes"}},
		{KindIncident, "US-2025-08", []string{"deleted there"}},
		{KindIncident, "US-2025-11", []string{"deleted there"}},
	}}
	// total records of Alice now: total + A-1 - 2 deleted (still known to her, as deletions).
	want.Unchanged = total + 1 - want.Added - want.Updated
	if got := countsOf(res); !reflect.DeepEqual(got, want) {
		t.Errorf("merge Alice into Bob:\n got %+v\nwant %+v", got, want)
	}
	if !reflect.DeepEqual(countsOf(dry), want) {
		t.Errorf("dry run: %+v", countsOf(dry))
	}
	checks := []struct {
		id   string
		want func(r Incident, err error) bool
	}{
		{"A-1", func(r Incident, err error) bool { return err == nil && r.Killed == Exactly(3) }},
		{"B-1", func(r Incident, err error) bool { return err == nil }},
		{"US-2025-06", func(r Incident, err error) bool { return r.Notes == "same" }},
		{"US-2025-07", func(r Incident, err error) bool { return r.Killed == Exactly(71) }},
		{"US-2025-08", func(r Incident, err error) bool { return err == nil && r.Survivors == Exactly(1) }},
		{"US-2025-09", func(r Incident, err error) bool { return err != nil }},
		{"US-2025-10", func(r Incident, err error) bool { return r.Location == "off Trinidad" }},
		{"US-2025-11", func(r Incident, err error) bool { return errors.Is(err, ErrNotFound) }},
	}
	for _, c := range checks {
		r, err := b.Incident(c.id)
		if !c.want(r, err) {
			t.Errorf("Bob's %s after the merge: %+v, %v", c.id, r, err)
		}
	}
	// Both versions of the conflict are kept; the losing one as a revision.
	revs, _ := b.Revisions(KindIncident, "US-2025-07")
	if !slices.ContainsFunc(revs, func(r Revision) bool { return r.Record.(Incident).Killed == Exactly(70) }) {
		t.Errorf("Alice's version of US-2025-07 is not among Bob's revisions: %+v", revs)
	}
	cs, err := b.Conflicts()
	if err != nil || len(cs) != 3 || cs[0].ID != "US-2025-07" || cs[0].Kept != "this" || cs[0].From.Name != "Alice" {
		t.Fatalf("conflicts: %+v, %v", cs, err)
	}
	other, err := cs[0].ConflictVersion("other")
	if err != nil || other.(*Incident).Killed != Exactly(70) {
		t.Errorf("the other side of the conflict: %+v, %v", other, err)
	}
	diffs, err := cs[0].Differences()
	wantDiffs := []FieldChange{{Field: "killed", Before: "71", After: "70"}, {Field: "notes", Before: "71 per SOUTHCOM", After: ""}}
	if err != nil || !reflect.DeepEqual(diffs, wantDiffs) {
		t.Errorf("differences: %+v, %v; want %+v", diffs, err, wantDiffs)
	}
	if d, err := cs[1].Differences(); err != nil || d != nil {
		t.Errorf("differences of a conflict with a deletion: %+v, %v", d, err)
	}
	// As known on before the merge, Bob's store is what it was.
	st, _ := b.Stats(Filter{KnownOn: beforeMerge})
	st0, _ := b0.Stats(Filter{})
	if !reflect.DeepEqual(st, st0) {
		t.Errorf("Bob as known before the merge:\n got %+v\nwant %+v", st, st0)
	}
	_ = bBefore
	// What changed since then names the merge (this store's import, with the other store's
	// file) as the cause, not the import of the other store that the provenance names: A-1
	// was made by an edit in Alice's store, US-2025-10 by an edit too.
	rep, err := b.Changes(beforeMerge, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	for _, list := range [][]RecordChange{rep.Added, rep.Changed} {
		for _, rc := range list {
			if rc.ID != "A-1" && rc.ID != "US-2025-10" {
				continue
			}
			if len(rc.By) == 0 || rc.By[len(rc.By)-1].By != res.ImportID || rc.By[len(rc.By)-1].File != a.Path() {
				t.Errorf("what changed %s: %+v, want the merge %s (%s)", rc.ID, rc.By, res.ImportID, a.Path())
			}
		}
	}

	// Merging the same store again adds nothing.
	again := mergeInto(t, b, a, MergeOptions{})
	if again.Added != 0 || again.Updated != 0 || len(again.Conflicts) != 0 {
		t.Errorf("second merge: %+v", countsOf(again))
	}
	// The other way round, from the stores as they were: the same records.
	resBA := mergeInto(t, a0, b0, MergeOptions{})
	if len(resBA.Conflicts) != 3 {
		t.Errorf("merge Bob into Alice: %+v", countsOf(resBA))
	}
	if ga, gb := bodies(t, a0), bodies(t, b); !reflect.DeepEqual(ga, gb) {
		for k := range ga {
			if ga[k] != gb[k] {
				t.Errorf("A<-B and B<-A differ on %s", k)
			}
		}
		for k := range gb {
			if _, ok := ga[k]; !ok {
				t.Errorf("A<-B lacks %s", k)
			}
		}
	}
	// And merging back and forth once more changes nothing.
	for _, pair := range [][2]*Store{{a, b}, {b, a}, {a, b}} {
		mergeInto(t, pair[0], pair[1], MergeOptions{})
	}
	if !reflect.DeepEqual(bodies(t, a), bodies(t, b)) {
		t.Error("after merging both ways the stores differ")
	}
	for _, pair := range [][2]*Store{{a, b}, {b, a}} {
		r := mergeInto(t, pair[0], pair[1], MergeOptions{})
		if r.Added+r.Updated+len(r.Conflicts) != 0 {
			t.Errorf("a merge of stores already merged: %+v", countsOf(r))
		}
	}
	// Settling a conflict: keep Alice's version.
	if err := b.ResolveConflict(KindIncident, "US-2025-07", other); err != nil {
		t.Fatal(err)
	}
	if r, _ := b.Incident("US-2025-07"); r.Killed != Exactly(70) {
		t.Errorf("after keeping Alice's version: %v", r.Killed)
	}
	if cs, _ := b.Conflicts(); len(cs) != 2 {
		t.Errorf("%d conflicts left, want 2", len(cs))
	}
	if err := b.ResolveConflict(KindIncident, "US-2025-07", nil); err == nil {
		t.Error("settling a settled conflict succeeded")
	}
	// A merge is not undone: its backup is restored instead.
	logs, _ := b.Imports()
	if logs[0].Source != SourceMerge {
		t.Fatalf("newest log entry: %+v", logs[0])
	}
	if err := b.UndoImport(logs[0].ID); err == nil {
		t.Error("undo of a merge succeeded")
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Merge(a, MergeOptions{}); err == nil {
		t.Error("merging a store into itself succeeded")
	}
	js, _ := json.Marshal(res)
	var keys map[string]any
	_ = json.Unmarshal(js, &keys)
	for _, k := range []string{"added", "updated", "unchanged", "conflicts"} {
		if _, ok := keys[k]; !ok {
			t.Errorf("merge JSON lacks %q: %s", k, js)
		}
	}
}

func TestExportStoreSubset(t *testing.T) {
	clock, now := fixedClock(time.Date(2025, 11, 1, 9, 0, 0, 0, time.UTC))
	dir := t.TempDir()
	a := openNamed(t, dir, "Alice", now)
	d := loadDemo(t)
	importAll(t, a, ImportInfo{File: "demo.xlsx", Source: "file"}, d)
	*clock = clock.Add(time.Minute)
	r, _ := a.Incident("US-2025-04")
	r.Killed = Exactly(5)
	if err := a.SaveIncident(&r); err != nil {
		t.Fatal(err)
	}
	f := Filter{Theatres: []string{"Caribbean"}}
	want, _ := a.Stats(f)
	path := filepath.Join(dir, "handover.db")
	if _, err := a.ExportStore(path, f); err != nil {
		t.Fatal(err)
	}
	if _, err := a.ExportStore(path, f); err == nil {
		t.Error("export over an existing file succeeded")
	}
	if _, err := a.ExportStore(filepath.Join(dir, "x.db"), Filter{KnownOn: *clock}); err == nil {
		t.Error("store export as known on a date succeeded")
	}
	h, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	got, _ := h.Stats(Filter{})
	if got.Incidents != want.Incidents || got.KilledMin != want.KilledMin || got.Statements != want.Statements || got.Tallies != want.Tallies {
		t.Errorf("handed-over store: %+v, want %+v", got.Totals, want.Totals)
	}
	// The hand-over store is a part of Alice's: its records name no other store.
	if hr, err := h.Incident("US-2025-04"); err != nil || hr.Provenance.Store != "" {
		t.Errorf("US-2025-04 in the hand-over store: %+v, %v", hr.Provenance, err)
	}
	aID, _ := a.Identity()
	if hID, _ := h.Identity(); hID != aID {
		t.Errorf("handed-over store identity %+v, want Alice's %+v", hID, aID)
	}
	b := openNamed(t, dir, "Bob", now)
	res := mergeInto(t, b, h, MergeOptions{})
	if res.Added != want.Incidents+want.Statements+want.Tallies {
		t.Errorf("merge of the handed-over store: %+v", countsOf(res))
	}
	r4, _ := b.Incident("US-2025-04")
	revs, _ := b.Revisions(KindIncident, "US-2025-04")
	if r4.Killed != Exactly(5) || len(revs) != 1 || r4.Provenance.Store != aID.ID || !r4.Provenance.At.Equal(*clock) {
		t.Errorf("US-2025-04 handed over: %v, %d revisions, provenance %+v", r4.Killed, len(revs), r4.Provenance)
	}
	// Handing over and merging the full store afterwards adds only what the subset lacked.
	res = mergeInto(t, b, a, MergeOptions{})
	if res.Added != len(d.incidents)-want.Incidents || res.Updated != 0 || len(res.Conflicts) != 0 {
		t.Errorf("merge of the full store after the subset: %+v", countsOf(res))
	}
}

// Merging a byte copy of this store (the same store id: a lineage id) names the copy as the
// origin of what comes over, by that id and the copy's name, and the report says why the id
// is this store's own; when the names are the same too, it says they cannot be told apart.
func TestMergeCopyOfThisStoreNamesOrigin(t *testing.T) {
	for _, tc := range []struct {
		name      string // the copy's name
		wantNote  []string
		wantApart bool // the note says the copies cannot be told apart
	}{
		{"Ben", []string{"is a copy of this store", `"Ben"`}, false},
		{"Alice", []string{"is a copy of this store", "cannot be told apart", "sitrep rename"}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clock, now := fixedClock(time.Date(2025, 11, 1, 9, 0, 0, 0, time.UTC))
			a := openNamed(t, t.TempDir(), "Alice", now)
			importAll(t, a, ImportInfo{File: "demo.xlsx", Source: "file"}, loadDemo(t))
			c := copyStore(t, a, "copy", now)
			if err := c.SetName(tc.name); err != nil {
				t.Fatal(err)
			}
			*clock = clock.Add(time.Minute)
			r, _ := c.Incident("US-2025-04")
			r.Killed = Exactly(12)
			if err := c.SaveIncident(&r); err != nil {
				t.Fatal(err)
			}
			res := mergeInto(t, a, c, MergeOptions{})
			if res.Updated != 1 || res.Added != 0 || len(res.Conflicts) != 0 {
				t.Errorf("merge of the copy: %+v", countsOf(res))
			}
			for _, w := range tc.wantNote {
				if !strings.Contains(res.Note, w) {
					t.Errorf("note %q lacks %q", res.Note, w)
				}
			}
			if strings.Contains(res.Note, "cannot be told apart") != tc.wantApart {
				t.Errorf("note %q: told apart?", res.Note)
			}
			id, _ := a.Identity()
			got, _ := a.Incident("US-2025-04")
			if got.Killed != Exactly(12) || got.Provenance.Store != id.ID || got.Provenance.StoreName != tc.name {
				t.Errorf("merged from the copy: killed %v, provenance %+v", got.Killed, got.Provenance)
			}
			if !strings.Contains(got.Provenance.String(), "from "+tc.name+" (store "+id.ID[:8]) {
				t.Errorf("provenance reads %q", got.Provenance.String())
			}
			// A store of another lineage gets no note.
			other := openNamed(t, t.TempDir(), "Carol", now)
			if res := mergeInto(t, other, a, MergeOptions{}); res.Note != "" {
				t.Errorf("note on a merge of another store: %q", res.Note)
			}
		})
	}
}
