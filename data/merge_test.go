package data

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
	"time"
)

// openNamed opens a new store named name, on the shared test clock.
func openNamed(t *testing.T, dir, name string, now func() time.Time) *Store {
	t.Helper()
	path := filepath.Join(dir, name+".db")
	s, err := Open(path, Options{Now: now})
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

// copyStore copies s to a new file and opens the copy read-write (same lineage id).
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
	c, err := Open(path, Options{Now: now})
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

func TestMergeDivergingStores(t *testing.T) {
	clock, now := fixedClock(time.Date(2025, 11, 1, 9, 0, 0, 0, time.UTC))
	tick := func() { *clock = clock.Add(time.Minute) }
	dir := t.TempDir()
	a := openNamed(t, dir, "Alice", now)
	d := loadDemo(t)
	importAll(t, a, ImportInfo{File: "demo.xlsx", Source: "file"}, d)
	total := len(d.incidents) + len(d.statements) + len(d.tallies)
	tick()
	b := openNamed(t, dir, "Bob", now)
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
	tick()
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
	res = mergeInto(t, b, a, MergeOptions{})
	want := mergeCounts{Added: 1, Updated: 4, Unchanged: total - 4 - 2, Conflicts: []MergeConflict{
		{KindIncident, "US-2025-07", []string{"killed", "notes"}},
		{KindIncident, "US-2025-08", []string{"deleted there"}},
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
	if err != nil || len(cs) != 2 || cs[0].ID != "US-2025-07" || cs[0].Kept != "this" || cs[0].From.Name != "Alice" {
		t.Fatalf("conflicts: %+v, %v", cs, err)
	}
	other, err := cs[0].ConflictVersion("other")
	if err != nil || other.(*Incident).Killed != Exactly(70) {
		t.Errorf("the other side of the conflict: %+v, %v", other, err)
	}
	// As known on before the merge, Bob's store is what it was.
	st, _ := b.Stats(Filter{KnownOn: beforeMerge})
	st0, _ := b0.Stats(Filter{})
	if !reflect.DeepEqual(st, st0) {
		t.Errorf("Bob as known before the merge:\n got %+v\nwant %+v", st, st0)
	}
	_ = bBefore

	// Merging the same store again adds nothing.
	again := mergeInto(t, b, a, MergeOptions{})
	if again.Added != 0 || again.Updated != 0 || len(again.Conflicts) != 0 {
		t.Errorf("second merge: %+v", countsOf(again))
	}
	// The other way round, from the stores as they were: the same records.
	resBA := mergeInto(t, a0, b0, MergeOptions{})
	if len(resBA.Conflicts) != 2 {
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
	if cs, _ := b.Conflicts(); len(cs) != 1 {
		t.Errorf("%d conflicts left, want 1", len(cs))
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
