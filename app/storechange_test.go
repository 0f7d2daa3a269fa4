package app

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"sitrep/data"
)

// shown is what the screens show of the store: the Overview's cards, the rows of the
// Incidents, Statements and Imports screens, and how many times the Charts preview was drawn.
type shown struct {
	strikes, killed       string
	incidents, statements int
	imports               int
	renders               int
}

// look visits every screen (a hidden screen reads the store again when it is next shown),
// draws the Charts preview at a fixed size, and returns what they show.
func (h *harness) look() shown {
	h.t.Helper()
	var s shown
	for _, name := range []string{ScreenOverview, ScreenIncidents, ScreenStatements, ScreenImports, ScreenCharts} {
		h.show(name)
	}
	h.act(func() { h.ui.charts.draw(800, 450) })
	h.wait()
	h.act(func() {
		h.ui.charts.draw(800, 450)
		s.strikes = h.ui.overview.cards[cardStrikes].Text
		s.killed = h.ui.overview.cards[cardKilled].Text
		s.incidents = h.ui.incidents.table.rows()
		s.statements = h.ui.statements.table.rows()
		s.imports = len(h.ui.imports.entries)
		s.renders = len(h.charts.renders)
	})
	return s
}

// TestEveryScreenFollowsEveryChange: after a change of the store by any path the user has
// (undo an import, edit a record, delete one and undo the delete, restore a backup, load the
// demo), every screen shows the store as it is now, and the Charts preview is drawn again.
// TestChartsPreviewFollowsTheStore covers an import, a delete and View > Reload.
func TestEveryScreenFollowsEveryChange(t *testing.T) {
	extra := data.Incident{ID: "NEW-1", Date: data.Day(2025, 11, 20), Theatre: "Caribbean", Killed: data.Exactly(40)}
	tests := []struct {
		name   string
		setup  func(st *memStore) // the store before the change
		change func(h *harness)   // the change, through the screens
		want   func(before shown) shown
	}{
		{
			name:  "undo an import",
			setup: func(st *memStore) { st.load("file", "more.xlsx", []data.Incident{extra}, nil) },
			change: func(h *harness) {
				s := h.ui.imports
				h.act(func() { s.table.Select(widget.TableCellID{Row: 0, Col: 0}) })
				if s.entries[s.sel].File != "more.xlsx" {
					h.t.Fatalf("selected import %+v", s.entries[s.sel])
				}
				h.act(func() { test.Tap(s.undoB) })
			},
			want: func(b shown) shown {
				return shown{strikes: fmt.Sprint(len(demoIncidents())), killed: "22–24", incidents: b.incidents - 1,
					statements: b.statements, imports: b.imports}
			},
		},
		{
			name: "edit an incident",
			change: func(h *harness) {
				b := h.ui.incidents.browser
				h.act(func() { b.table.table.Select(widget.TableCellID{Row: 0, Col: 0}) })
				h.act(func() { test.Tap(b.editBtn) })
				form := h.ui.forms.last
				h.act(func() { form.entry("Killed").SetText("100") })
				h.act(func() { test.Tap(form.save) })
			},
			want: func(b shown) shown {
				return shown{strikes: b.strikes, killed: "111–113", incidents: b.incidents, statements: b.statements, imports: b.imports}
			},
		},
		{
			name: "delete an incident, then undo the delete",
			change: func(h *harness) {
				b := h.ui.incidents.browser
				h.act(func() { b.table.table.Select(widget.TableCellID{Row: 0, Col: 0}) })
				h.act(func() { test.Tap(b.delBtn) })
				h.wait()
				if got := h.look(); got.incidents != len(demoIncidents())-1 || got.strikes != fmt.Sprint(len(demoIncidents())-1) {
					h.t.Fatalf("after the delete, screens show %+v", got)
				}
				h.act(func() { test.Tap(b.undoBtn) })
			},
			want: func(b shown) shown { return b },
		},
		{
			name: "restore a backup",
			change: func(h *harness) {
				restored := newMemStore(h.store.path)
				restored.load("file", "old.xlsx", demoIncidents()[:1], nil)
				h.ui.opts.OpenStore = func(string) (Store, error) { return restored, nil }
				h.ui.opts.Backups = &fakeBackups{current: h.store, list: []data.BackupInfo{
					{N: 1, Path: h.store.path + ".backup-1", Size: 1 << 20, ModTime: time.Date(2026, 11, 26, 1, 2, 0, 0, time.Local)}}}
				h.act(h.ui.RestoreDialog)
				v := h.ui.opened.restore
				h.act(func() { v.list.Select(0) })
				h.act(func() { test.Tap(v.restoreB) })
			},
			want: func(shown) shown {
				return shown{strikes: "1", killed: "11", incidents: 1, statements: 0, imports: 1}
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st := newMemStore(filepath.Join(t.TempDir(), "s.db"))
			st.load("demo", "demo", demoIncidents(), demoStatements())
			if tc.setup != nil {
				tc.setup(st)
			}
			h := newHarness(t, st, nil)
			before := h.look()
			v := h.ui.StoreVersion()
			tc.change(h)
			h.wait()
			if h.ui.StoreVersion() == v {
				t.Fatal("the change was not notified to the screens")
			}
			got := h.look()
			want := tc.want(before)
			want.renders = got.renders
			if got != want {
				t.Errorf("screens show\n %+v\nwant\n %+v (before the change: %+v)", got, want, before)
			}
			if got.renders <= before.renders {
				t.Errorf("the Charts preview was not drawn again (%d renders before, %d after)", before.renders, got.renders)
			}
		})
	}
}

// TestEveryScreenFollowsTheDemo: loading the demo from the first-run screen fills every
// screen that showed the empty store.
func TestEveryScreenFollowsTheDemo(t *testing.T) {
	st := newMemStore(filepath.Join(t.TempDir(), "s.db"))
	h := newHarness(t, st, nil)
	before := h.look()
	if before.incidents != 0 || before.strikes != "0" {
		t.Fatalf("empty store shown as %+v", before)
	}
	h.act(func() { test.Tap(h.ui.firstRun.demoB) })
	h.wait()
	got := h.look()
	want := shown{strikes: fmt.Sprint(len(demoIncidents())), killed: "22–24", incidents: len(demoIncidents()),
		statements: len(demoStatements()), imports: 1, renders: got.renders}
	if got != want {
		t.Errorf("after the demo, screens show\n %+v\nwant\n %+v", got, want)
	}
	if got.renders <= before.renders {
		t.Errorf("the Charts preview was not drawn again (%d renders before, %d after)", before.renders, got.renders)
	}
}
