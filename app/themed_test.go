package app

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
)

// TestThemedRectFollowsTheTheme: a card background switches colour with the theme.
func TestThemedRectFollowsTheTheme(t *testing.T) {
	a := test.NewTempApp(t)
	w := a.NewWindow("cards")
	r := newThemedRect(theme.ColorNameInputBackground, 6)
	w.SetContent(r)
	w.Resize(fyne.NewSize(200, 100))
	for _, th := range []string{themeLight, themeDark, themeLight} {
		applyTheme(a, th)
		w.Content().Refresh()
		if got, want := r.rect.FillColor, theme.Color(theme.ColorNameInputBackground); got != want {
			t.Errorf("%s: card %v, want the theme's %v", th, got, want)
		}
	}
	applyTheme(a, themeLight)
	light := r.rect.FillColor
	applyTheme(a, themeDark)
	w.Content().Refresh()
	if r.rect.FillColor == light {
		t.Error("the card kept its light colour in the dark theme")
	}
}
