package app

import (
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/theme"

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
