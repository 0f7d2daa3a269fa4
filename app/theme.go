package app

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Theme choices of View > Theme.
const (
	themeSystem = "system"
	themeLight  = "light"
	themeDark   = "dark"
)

// fixedVariant is the default theme forced to one variant (light or dark).
type fixedVariant struct {
	fyne.Theme
	v fyne.ThemeVariant
}

func (f fixedVariant) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	return f.Theme.Color(n, f.v)
}

// applyTheme follows the system (the default theme reads the variant from the OS) or forces
// light or dark.
func applyTheme(a fyne.App, choice string) {
	switch choice {
	case themeLight:
		a.Settings().SetTheme(fixedVariant{theme.DefaultTheme(), theme.VariantLight})
	case themeDark:
		a.Settings().SetTheme(fixedVariant{theme.DefaultTheme(), theme.VariantDark})
	default:
		a.Settings().SetTheme(theme.DefaultTheme())
	}
}

// setTheme applies and remembers a theme choice.
func (u *UI) setTheme(choice string) {
	u.app.Preferences().SetString(prefTheme, choice)
	applyTheme(u.app, choice)
	for _, bg := range u.overview.cardBGs { // Fyne refreshes widgets on a theme change; be sure
		bg.Refresh()
	}
	u.charts.refreshPreview()
	u.positions.refreshChart()
}

// newBanner is an amber strip holding text in black, readable in light and dark themes.
func newBanner(text *canvas.Text) *fyne.Container {
	bg := canvas.NewRectangle(color.NRGBA{R: 0xFF, G: 0xC1, B: 0x07, A: 0xFF})
	text.Color = color.Black
	text.TextStyle = fyne.TextStyle{Bold: true}
	return container.NewStack(bg, container.NewPadded(text))
}

// heading is a bold label.
func heading(s string) *widget.Label {
	return widget.NewLabelWithStyle(s, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
}

// darkTheme reports whether the app shows the dark theme now (chosen, or the system's).
func darkTheme(st fyne.Settings) bool {
	if th, ok := st.Theme().(fixedVariant); ok {
		return th.v == theme.VariantDark
	}
	return st.ThemeVariant() == theme.VariantDark
}
