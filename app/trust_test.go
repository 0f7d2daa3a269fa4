package app

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"sitrep/data"
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
