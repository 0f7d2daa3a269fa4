package app

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"sitrep/data"
)

// conflictPair makes "mine" and Ana's store from one import, then changes both so that a
// merge of Ana's into mine finds two conflicts: S-1 (both changed the toll, mine later: mine
// shown) and S-2 (mine edited, Ana deleted it later: the deletion shown). It merges and
// returns mine.
func conflictPair(t *testing.T) *data.Store {
	t.Helper()
	clock := time.Date(2025, 11, 4, 9, 0, 0, 0, time.UTC)
	now := func() time.Time { return clock }
	dir := t.TempDir()
	open := func(name string) *data.Store {
		s, err := data.Open(filepath.Join(dir, name+".db"), data.Options{Now: now})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		if err := s.SetName(name); err != nil {
			t.Fatal(err)
		}
		return s
	}
	base := []data.Incident{
		{ID: "S-1", Date: data.Day(2025, 10, 1), Theatre: "Caribbean", Killed: data.Exactly(3)},
		{ID: "S-2", Date: data.Day(2025, 10, 2), Theatre: "Caribbean", Killed: data.Exactly(2)},
	}
	ana := open("Ana")
	importInto(t, ana, "base.xlsx", base...)
	mine := open("Ben")
	clock = clock.Add(time.Minute)
	if _, err := mine.Merge(ana, data.MergeOptions{}); err != nil {
		t.Fatal(err)
	}
	save := func(s *data.Store, id string, killed int) {
		t.Helper()
		clock = clock.Add(time.Minute)
		r, err := s.Incident(id)
		if err != nil {
			t.Fatal(err)
		}
		r.Killed = data.Exactly(killed)
		if err := s.SaveIncident(&r); err != nil {
			t.Fatal(err)
		}
	}
	save(ana, "S-1", 6)
	save(mine, "S-1", 5)
	save(mine, "S-2", 4)
	clock = clock.Add(time.Minute)
	if err := ana.Delete(data.KindIncident, "S-2"); err != nil {
		t.Fatal(err)
	}
	clock = clock.Add(time.Minute)
	res, err := mine.Merge(ana, data.MergeOptions{})
	if err != nil || len(res.Conflicts) != 2 {
		t.Fatalf("merge: %+v, %v", res, err)
	}
	clock = clock.Add(time.Minute)
	return mine
}

// The conflict list's Edit… opens the record's edit form filled with the version shown (or,
// when that is a deletion, with the other version); saving settles the conflict with the
// edit, a new version kept in the record's history.
func TestConflictListEditSettles(t *testing.T) {
	mine := conflictPair(t)
	u, dlg, act := storeUI(t, mine)
	act(func() { u.ShowConflicts("") })
	u.Wait()
	// The list shows both sides' values of the fields that differ.
	var texts []string
	act(func() {
		for _, o := range test.LaidOutObjects(u.conflicts.content) {
			if l, ok := o.(*widget.Label); ok {
				texts = append(texts, l.Text)
			}
		}
	})
	for _, want := range []string{"killed: this store 5 · Ana 6", "One side deleted the record."} {
		if !strings.Contains(strings.Join(texts, "\n"), want) {
			t.Errorf("the conflict list lacks %q: %q", want, texts)
		}
	}
	for _, tc := range []struct {
		id         string
		wantFilled string // the form's Killed when it opens
		typed      string
		wantTitle  string
		wantBy     string // what ended the version the edit started from
		wantLeft   int
	}{
		{"S-1", "5", "7", "edit the version shown", data.ByEdit, 1},
		{"S-2", "4", "9", "the version shown deletes it; edit this store's version", data.ByDelete, 0},
	} {
		var edit *widget.Button
		act(func() {
			for _, o := range test.LaidOutObjects(u.conflicts.content) {
				if b, ok := o.(*widget.Button); ok && b.Text == "Edit…" && edit == nil {
					edit = b // the list is by id: the first is the first unsettled one
				}
			}
		})
		if edit == nil {
			t.Fatalf("%s: no Edit… button in the conflict list", tc.id)
		}
		act(func() { test.Tap(edit) })
		form := u.forms.last
		if form == nil {
			t.Fatalf("%s: no edit form opened", tc.id)
		}
		if title := dlg.customs[len(dlg.customs)-1]; !strings.Contains(title, tc.id) || !strings.Contains(title, tc.wantTitle) {
			t.Errorf("%s: form title %q lacks %q", tc.id, title, tc.wantTitle)
		}
		if got := form.entry("Killed").Text; got != tc.wantFilled {
			t.Errorf("%s: the form opens with killed %q, want the shown version's %q", tc.id, got, tc.wantFilled)
		}
		act(func() {
			form.entry("Killed").SetText(tc.typed)
			test.Tap(form.save)
		})
		u.Wait()
		r, err := mine.Incident(tc.id)
		if err != nil || r.Killed.String() != tc.typed || r.Provenance.ImportID != data.ByEdit {
			t.Errorf("%s after the edit: killed %v, provenance %+v, %v", tc.id, r.Killed, r.Provenance, err)
		}
		// The version the edit started from stays in the history (replaced by the edit, or
		// deleted by the merge).
		revs, _ := mine.Revisions(data.KindIncident, tc.id)
		kept := false
		for _, rv := range revs {
			if rec, ok := rv.Record.(data.Incident); ok && rec.Killed.String() == tc.wantFilled && rv.By == tc.wantBy {
				kept = true
			}
		}
		if !kept {
			t.Errorf("%s: the history lacks the version edited (killed %s, ended by %s): %+v", tc.id, tc.wantFilled, tc.wantBy, revs)
		}
		if cs, _ := mine.Conflicts(); len(cs) != tc.wantLeft {
			t.Errorf("%s: %d conflicts left, want %d", tc.id, len(cs), tc.wantLeft)
		}
		var status string
		act(func() { status = u.conflicts.status.Text })
		if !strings.Contains(status, "Settled incident "+tc.id) {
			t.Errorf("%s: status %q", tc.id, status)
		}
	}
	var rest string
	act(func() {
		for _, o := range test.LaidOutObjects(u.conflicts.content) {
			if l, ok := o.(*widget.Label); ok && strings.Contains(l.Text, "No conflicts left") {
				rest = l.Text
			}
		}
	})
	if rest == "" {
		t.Error("the list does not say that no conflicts are left")
	}
}
