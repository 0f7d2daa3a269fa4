package app

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"sitrep/data"
	"sitrep/importers"
)

// TestThemeSwitchRepaintsOverviewCards: switching the theme while the app runs repaints the
// Overview cards in the new theme's colours (they kept the light background under the dark
// theme's white text).
func TestThemeSwitchRepaintsOverviewCards(t *testing.T) {
	h := demoHarness(t, nil)
	h.show(ScreenOverview)
	o := h.ui.overview
	if len(o.cardBGs) != 5 {
		t.Fatalf("%d card backgrounds", len(o.cardBGs))
	}
	var light = o.cardBGs[0].rect.FillColor
	h.act(func() { h.ui.setTheme(themeLight) })
	light = o.cardBGs[0].rect.FillColor
	h.act(func() { h.ui.setTheme(themeDark) })
	for i, bg := range o.cardBGs {
		if got, want := bg.rect.FillColor, theme.Color(theme.ColorNameInputBackground); got != want || got == light {
			t.Errorf("card %d in the dark theme: %v, want %v (light was %v)", i, got, want, light)
		}
	}
}

// TestOverviewLastIncidentLeavesOutEmptyFields: a record with only a date and a toll reads
// as a sentence, without dashes for what it does not give.
func TestOverviewLastIncidentLeavesOutEmptyFields(t *testing.T) {
	st := newMemStore(filepath.Join(t.TempDir(), "s.db"))
	st.load("file", "f.xlsx", []data.Incident{
		{ID: "A", Date: data.Day(2025, 9, 2), Theatre: "Caribbean", Actor: "United States", Target: "Boat", Killed: data.Exactly(3), Source: "Press"},
		{ID: "B", Date: data.Day(2025, 10, 5), Killed: data.Between(2, 4)},
	}, nil)
	h := newHarness(t, st, nil)
	h.show(ScreenOverview)
	got := h.ui.overview.last.Text
	if got != "5 Oct 2025: killed 2–4." {
		t.Errorf("last incident: %q", got)
	}
	if strings.Contains(got, "—") {
		t.Errorf("dash for an empty field: %q", got)
	}
}

// TestPositionsAsOfKeepsActorsNotYetSpoken: as of a date before the UN first spoke, the UN
// keeps its column and check box, its cells say "no statement yet", the detail pane follows
// the as-of date, the check boxes are in the order of the columns, and the status line counts
// in the singular when there is one.
func TestPositionsAsOfKeepsActorsNotYetSpoken(t *testing.T) {
	h := demoHarness(t, nil)
	p := h.ui.positions
	h.wait()
	before := slices.Clone(p.matrix.Actors)
	if !slices.Contains(before, "United Nations") {
		t.Fatalf("actors %v", before)
	}
	// Select the UN's legality cell (ST-02, 31 Oct), then go back to 1 Oct.
	h.act(func() {
		p.table.Select(widget.TableCellID{Row: slices.Index(p.matrix.Topics, "Legality of the strikes"), Col: slices.Index(p.matrix.Actors, "United Nations")})
	})
	if !strings.Contains(p.detail.Text, "United Nations") || !strings.Contains(p.detail.Text, "31 Oct 2025") {
		t.Fatalf("detail before: %q", p.detail.Text)
	}
	h.act(func() { p.asOf.SetText("2025-10-01") })
	h.wait()
	if !slices.Equal(p.matrix.Actors, before) {
		t.Fatalf("as of 1 Oct the columns are %v, want %v (actors not yet spoken kept)", p.matrix.Actors, before)
	}
	if !slices.Contains(p.actors.Options, "United Nations") || !slices.Contains(p.actors.Selected, "United Nations") {
		t.Fatalf("UN check box gone: options %v, ticked %v", p.actors.Options, p.actors.Selected)
	}
	c, _ := p.cell("United Nations", "Legality of the strikes")
	if c.Label() != data.NoStatementYetLabel {
		t.Fatalf("UN cell as of 1 Oct: %q", c.Label())
	}
	if strings.Contains(p.detail.Text, "31 Oct") || !strings.Contains(p.detail.Text, "No statement yet") {
		t.Fatalf("detail pane kept a quote from after the as-of date: %q", p.detail.Text)
	}
	// The check boxes follow the column order: move the UN to the front.
	h.act(func() { p.actors.SetSelected(nil) })
	h.act(func() { p.actors.SetSelected([]string{"United Nations"}) })
	h.act(func() { p.actors.SetSelected([]string{"United Nations", "United States"}) })
	h.wait()
	if !slices.Equal(p.matrix.Actors, []string{"United Nations", "United States"}) {
		t.Fatalf("columns %v", p.matrix.Actors)
	}
	if !slices.Equal(p.actors.Options[:2], p.matrix.Actors) {
		t.Fatalf("check boxes %v do not follow the columns %v", p.actors.Options, p.matrix.Actors)
	}
	h.act(func() { p.actors.SetSelected([]string{"United Nations"}) })
	h.act(func() { p.topic.SetSelected("Legality of the strikes") })
	h.wait()
	if !strings.Contains(p.status.Text, "1 actor × 1 topic,") {
		t.Fatalf("status %q", p.status.Text)
	}
}

// TestChartsPreviewFollowsTheStore: the preview is drawn again after every change of the
// store, whatever its path (an import, a delete, View > Reload), even with the same controls
// and size: it used to be cached by the controls and the size only, and kept showing the
// store as it was.
func TestChartsPreviewFollowsTheStore(t *testing.T) {
	h := demoHarness(t, nil)
	c := h.ui.charts
	draw := func() int {
		h.act(func() { c.draw(800, 450) })
		h.wait()
		h.act(func() { c.draw(800, 450) })
		return len(h.charts.renders)
	}
	n := draw()
	if again := draw(); again != n {
		t.Fatalf("unchanged store and controls rendered again (%d, %d)", n, again)
	}
	steps := []struct {
		name   string
		change func()
	}{
		{"import", func() {
			h.store.load("file", "more.xlsx", []data.Incident{{ID: "NEW-1", Date: data.Day(2025, 11, 20), Theatre: "Caribbean", Killed: data.Exactly(4)}}, nil)
			h.ui.Reload() // what the import flow does when it is done
		}},
		{"delete", func() { _ = h.store.Delete(data.KindIncident, "NEW-1"); h.ui.Reload() }},
		{"View > Reload", func() { h.ui.Reload() }},
	}
	for _, s := range steps {
		v := h.ui.StoreVersion()
		h.act(s.change)
		h.wait()
		if h.ui.StoreVersion() == v {
			t.Fatalf("%s: no store change notified", s.name)
		}
		got := draw()
		if got != n+1 {
			t.Fatalf("after %s: %d renders, want %d (the preview must be drawn from the store as it is now)", s.name, got, n+1)
		}
		n = got
	}
}

// TestTalliesScreen: each tally beside the incidents' sum for its scope up to its date, with
// the difference; edited, deleted and restored like the other records.
func TestTalliesScreen(t *testing.T) {
	st := newMemStore(filepath.Join(t.TempDir(), "s.db"))
	st.load("file", "f.xlsx", demoIncidents(), demoStatements())
	st.tallies["T-1"] = data.Tally{ID: "T-1", AsOf: data.Day(2025, 10, 31), Claimant: "Pentagon", Scope: data.ScopeAll,
		Strikes: data.Exactly(3), Killed: data.Exactly(17), Source: "Briefing"}
	h := newHarness(t, st, nil)
	h.show(ScreenTallies)
	s := h.ui.tallies
	if len(s.rows) != 1 {
		t.Fatalf("%d rows", len(s.rows))
	}
	// Up to 31 Oct: US-01 (11), US-02 (3), US-03 (2–4): 16–18 killed in 3 records.
	want := map[int]string{3: "17", 4: "16–18", 5: "−1 to +1", 6: "3", 7: "3", 8: "0"}
	for col, w := range want {
		if got := s.cell(0, col); got != w {
			t.Errorf("column %q = %q, want %q", tallyColumns[col].title, got, w)
		}
	}
	h.act(func() { s.table.Select(widget.TableCellID{Row: 0, Col: 0}) })
	h.act(func() { test.Tap(s.editBtn) })
	form := h.ui.forms.last
	h.act(func() { form.entry("Killed").SetText("20") })
	h.act(func() { test.Tap(form.save) })
	h.wait()
	if got := s.cell(0, 5); got != "+2 to +4" {
		t.Errorf("after the edit, difference %q", got)
	}
	h.act(func() { test.Tap(s.delBtn) })
	h.wait()
	if len(s.rows) != 0 || !s.undoBtn.Visible() {
		t.Fatalf("after delete: %d rows, undo visible %v", len(s.rows), s.undoBtn.Visible())
	}
	h.act(func() { test.Tap(s.undoBtn) })
	h.wait()
	if len(s.rows) != 1 || s.rows[0].Tally.Killed != data.Exactly(20) {
		t.Fatalf("after undo: %v", s.rows)
	}
}

// TestChartExportTitleAndTheme: the export dialog lets the user set the title and the theme
// (as the CLI's --title and --theme do), its default title names the selection, and Cancel
// and Save are two buttons side by side.
func TestChartExportTitleAndTheme(t *testing.T) {
	h := demoHarness(t, nil)
	c := h.ui.charts
	h.act(func() { h.ui.filters.bars[0].theatre.SetSelected("Caribbean") })
	h.wait()
	h.act(func() { test.Tap(c.export) })
	e := c.exportDlg
	if !strings.HasSuffix(e.title.PlaceHolder, ", Caribbean") {
		t.Errorf("default title %q does not name the selection", e.title.PlaceHolder)
	}
	if e.cancel == nil || e.save == nil || e.cancel == e.save {
		t.Fatal("Cancel and Save are not two separate buttons")
	}
	h.act(func() { e.title.SetText("Strikes in the Caribbean, autumn 2025") })
	h.act(func() { e.theme.SetSelected("Dark") })
	h.act(func() { test.Tap(e.save) })
	h.wait()
	if len(h.charts.exportSpecs) != 1 {
		t.Fatalf("%d exports", len(h.charts.exportSpecs))
	}
	spec := h.charts.exportSpecs[0]
	if spec.Title != "Strikes in the Caribbean, autumn 2025" || spec.Theme != "dark" {
		t.Errorf("exported with title %q, theme %q", spec.Title, spec.Theme)
	}
}

// TestImportsShowsAPastImportsAudit: selecting a past import shows its audit (counts, what
// each sheet was read as, the column mapping and the rows not read); an import whose audit
// was not kept shows what the log says.
func TestImportsShowsAPastImportsAudit(t *testing.T) {
	st := newMemStore(filepath.Join(t.TempDir(), "s.db"))
	old := st.load("file", "old.xlsx", demoIncidents()[:1], nil)
	id := st.load("file", "strikes.xlsx", demoIncidents()[1:], nil)
	err := importers.SaveReport(st, &importers.FileReport{Path: "strikes.xlsx", ImportID: id, Status: importers.StatusImported,
		Sheets: []*importers.SheetReport{{Name: "Strikes", Kind: "incidents", HeaderRow: 1, Inserted: 3,
			Mapping:  map[string]string{"Date (MM-DD-YYYY)": "date", "Minimum people killed": "killed_min"},
			Problems: []importers.Problem{{Level: importers.LevelError, Row: 7, Column: "B", Value: "31-02-2025", Message: "not a date"}}}}})
	if err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, st, nil)
	h.show(ScreenImports)
	s := h.ui.imports
	row := func(id string) int {
		for i, e := range s.entries {
			if e.ID == id {
				return i
			}
		}
		t.Fatalf("no import %s", id)
		return -1
	}
	h.act(func() { s.table.Select(widget.TableCellID{Row: row(id), Col: 0}) })
	h.wait()
	for _, want := range []string{"3 inserted", "read as incidents from header row 1", `"Date (MM-DD-YYYY)" → date`, "1 problem"} {
		if !strings.Contains(s.detail.Text, want) {
			t.Errorf("audit lacks %q:\n%s", want, s.detail.Text)
		}
	}
	if len(s.problems) != 1 || s.problems[0].row != 7 || !strings.Contains(s.problems[0].why, "not a date") {
		t.Errorf("problems %+v", s.problems)
	}
	h.act(func() { s.table.Select(widget.TableCellID{Row: row(old), Col: 0}) })
	h.wait()
	if !strings.Contains(s.detail.Text, "old.xlsx: 1 inserted") || !strings.Contains(s.detail.Text, "were not kept") || len(s.problems) != 0 {
		t.Errorf("audit of an import without a kept audit:\n%s", s.detail.Text)
	}
}

// TestStanceChartFollowsTheTheme: the Positions screen's stance chart is asked for in the
// theme the app shows.
func TestStanceChartFollowsTheTheme(t *testing.T) {
	h := demoHarness(t, nil)
	p := h.ui.positions
	h.wait()
	for _, tc := range []struct {
		theme string
		dark  bool
	}{{themeDark, true}, {themeLight, false}} {
		h.act(func() { h.ui.setTheme(tc.theme) })
		h.act(func() { p.drawChart(600, 300) })
		if h.pos.dark != tc.dark {
			t.Errorf("theme %s: stance chart dark = %v", tc.theme, h.pos.dark)
		}
	}
}
