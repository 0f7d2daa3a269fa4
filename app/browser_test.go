package app

import (
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"sitrep/data"
)

// fakeHost stands in for the window around a record screen: whether it has painted and
// whether the screen is on screen are set by the test; Reload counts the changes and calls
// onReload (the screen's own reload, as the window's subscription would).
type fakeHost struct {
	painted  bool
	onScreen bool
	reloads  int
	onReload func()
}

func (h *fakeHost) ready() bool         { return h.painted }
func (h *fakeHost) showing(string) bool { return h.onScreen }
func (h *fakeHost) Reload() {
	h.reloads++
	if h.onReload != nil {
		h.onReload()
	}
}

// recordRig is a record screen built from its dependencies only: no window, no UI.
type recordRig struct {
	store *memStore
	dlg   *fakeDialogs
	host  *fakeHost
	deps  browserDeps
	lock  sync.Mutex
}

func newRecordRig(t *testing.T) *recordRig {
	t.Helper()
	test.NewTempApp(t)
	st := newMemStore(filepath.Join(t.TempDir(), "s.db"))
	st.load("demo", "demo", demoIncidents(), demoStatements())
	r := &recordRig{store: st, dlg: &fakeDialogs{t: t, confirm: true}, host: &fakeHost{}}
	r.deps = browserDeps{work: &worker{uiMu: &r.lock}, dlg: r.dlg, host: r.host, filters: newFilterState(),
		forms: &editForms{dlg: r.dlg}}
	t.Cleanup(r.deps.work.jobs.Wait)
	return r
}

// act runs fn holding the lock the background updates take (see harness.act).
func (r *recordRig) act(fn func()) {
	r.lock.Lock()
	defer r.lock.Unlock()
	fn()
}

func (r *recordRig) wait() { r.deps.work.jobs.Wait() }

// TestRecordScreensFromTheirDependencies builds the Incidents and Statements screens with
// only what they get from the window (worker, dialogs, host, filters, edit forms) and a store,
// and drives loading, the detail panel, editing, deleting and undoing.
func TestRecordScreensFromTheirDependencies(t *testing.T) {
	tests := []struct {
		name     string
		build    func(d browserDeps, st *memStore) *browser
		rows     int
		first    string // id of the first row (date order)
		detail   string // text the first row's detail shows
		field    string // an edit-form field
		value    string // typed into it
		stored   func(st *memStore, id string) string
		afterDel int
	}{
		{
			name:  "incidents",
			build: func(d browserDeps, st *memStore) *browser { return newIncidentsScreen(d, st).browser },
			rows:  4, first: "US-01", detail: "Statements about this incident",
			field: "Theatre", value: "Western Pacific",
			stored:   func(st *memStore, id string) string { r, _ := st.Incident(id); return r.Theatre },
			afterDel: 3,
		},
		{
			name:  "statements",
			build: func(d browserDeps, st *memStore) *browser { return newStatementsScreen(d, st).browser },
			rows:  5, first: "ST-01", detail: "Linked incidents",
			field: "Topic", value: "Ceasefire",
			stored:   func(st *memStore, id string) string { r, _ := st.Statement(id); return r.Topic },
			afterDel: 4,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := newRecordRig(t)
			var b *browser
			r.act(func() { b = tc.build(r.deps, r.store) })
			r.host.onReload = b.reload

			// Before the first frame, and while hidden, a reload only notes that one is due.
			r.act(b.reload)
			r.wait()
			if b.table.rows() != 0 || !b.dirty {
				t.Fatalf("read %d rows before being shown (dirty %v)", b.table.rows(), b.dirty)
			}
			r.host.painted = true
			r.act(b.reload)
			r.wait()
			if b.table.rows() != 0 || !b.dirty {
				t.Fatalf("read %d rows while hidden", b.table.rows())
			}
			r.host.onScreen = true
			r.act(b.reloadIfDirty)
			r.wait()
			if b.table.rows() != tc.rows || b.dirty {
				t.Fatalf("rows = %d, want %d (dirty %v)", b.table.rows(), tc.rows, b.dirty)
			}
			if !strings.HasPrefix(b.status.Text, data.Thousands(tc.rows)+" ") {
				t.Errorf("status = %q", b.status.Text)
			}

			r.act(func() { b.table.table.Select(widget.TableCellID{Row: 0, Col: 0}) })
			if b.selected != tc.first {
				t.Fatalf("selected %q, want %q", b.selected, tc.first)
			}
			if text := detailText(b); !strings.Contains(text, tc.detail) || !strings.Contains(text, "No earlier versions") {
				t.Errorf("detail lacks %q:\n%s", tc.detail, text)
			}

			// Edit: the form opens through the edit-form opener; a save tells the host.
			r.act(func() { test.Tap(b.editBtn) })
			form := r.deps.forms.last
			if form == nil {
				t.Fatal("no edit form opened")
			}
			r.act(func() { form.entry(tc.field).SetText(tc.value) })
			r.act(func() { test.Tap(form.save) })
			r.wait()
			if got := tc.stored(r.store, tc.first); got != tc.value {
				t.Fatalf("stored %s = %q, want %q (%s)", tc.field, got, tc.value, form.msg.Text)
			}
			if r.host.reloads != 1 {
				t.Errorf("host told of %d changes after a save, want 1", r.host.reloads)
			}
			if text := detailText(b); !strings.Contains(text, "History (1 earlier version)") {
				t.Errorf("history not shown after the edit:\n%s", text)
			}

			// Delete asks through the dialogs, then tells the host; undo restores.
			r.act(func() { test.Tap(b.delBtn) })
			r.wait()
			if len(r.dlg.asked) != 1 || b.table.rows() != tc.afterDel || !b.undoBtn.Visible() {
				t.Fatalf("after delete: asked %v, rows %d, undo shown %v", r.dlg.asked, b.table.rows(), b.undoBtn.Visible())
			}
			r.act(func() { test.Tap(b.undoBtn) })
			r.wait()
			if b.table.rows() != tc.rows || b.undoBtn.Visible() || r.host.reloads != 3 {
				t.Fatalf("after undo: rows %d, undo shown %v, changes %d", b.table.rows(), b.undoBtn.Visible(), r.host.reloads)
			}
			if len(r.dlg.errors) != 0 {
				t.Errorf("errors shown: %v", r.dlg.errors)
			}
		})
	}
}

// TestRecordScreenSharedFilters: a change of the shared filters reloads the screen (it
// listens to the filter state it was given), and the count says which filter applies.
func TestRecordScreenSharedFilters(t *testing.T) {
	r := newRecordRig(t)
	r.host.painted, r.host.onScreen = true, true
	var s *statementsScreen
	r.act(func() { s = newStatementsScreen(r.deps, r.store) })
	r.act(s.reload)
	r.wait()
	all := s.table.rows()
	f := data.Filter{Actors: []string{"United Kingdom"}}
	want, _ := r.store.Statements(f)
	r.act(func() { r.deps.filters.set(f, nil) })
	r.wait()
	if got := s.table.rows(); got != len(want) || got == 0 || got >= all {
		t.Fatalf("rows with the actor filter = %d, want %d (all %d)", got, len(want), all)
	}
	if !strings.Contains(s.status.Text, "United Kingdom") {
		t.Errorf("status does not name the filter: %q", s.status.Text)
	}
}
