package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// themedRect is a rounded rectangle filled with a colour of the current theme. Unlike a bare
// canvas.Rectangle, which keeps the colour it was made with, it reads the colour again
// whenever it is refreshed, and Fyne refreshes every widget when the theme changes: the
// Overview cards follow a switch to the dark theme instead of keeping light backgrounds
// under white text.
type themedRect struct {
	widget.BaseWidget
	color  fyne.ThemeColorName
	radius float32
	rect   *canvas.Rectangle
}

func newThemedRect(c fyne.ThemeColorName, radius float32) *themedRect {
	r := &themedRect{color: c, radius: radius}
	r.ExtendBaseWidget(r)
	return r
}

// CreateRenderer draws the rectangle.
func (r *themedRect) CreateRenderer() fyne.WidgetRenderer {
	r.rect = canvas.NewRectangle(theme.Color(r.color))
	r.rect.CornerRadius = r.radius
	return &themedRectRenderer{r: r}
}

type themedRectRenderer struct{ r *themedRect }

func (t *themedRectRenderer) Layout(s fyne.Size)           { t.r.rect.Resize(s) }
func (t *themedRectRenderer) MinSize() fyne.Size           { return fyne.NewSize(0, 0) }
func (t *themedRectRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{t.r.rect} }
func (t *themedRectRenderer) Destroy()                     {}
func (t *themedRectRenderer) Refresh() {
	t.r.rect.FillColor = theme.Color(t.r.color)
	t.r.rect.Refresh()
}
