package app

import (
	"fyne.io/fyne/v2"
	"github.com/go-gl/glfw/v3.3/glfw"
)

// ScreenArea returns the usable area of the primary screen (without task bars and docks) in
// Fyne's units, or a zero size when it cannot tell. Call it on the main goroutine once the
// window exists and before it runs (gui.go does, for Options.Screen): GLFW is then set up and
// its calls are allowed there.
func ScreenArea() (area fyne.Size) {
	defer func() {
		if recover() != nil { // GLFW not initialised (no display): size unknown
			area = fyne.Size{}
		}
	}()
	m := glfw.GetPrimaryMonitor()
	if m == nil {
		return fyne.Size{}
	}
	_, _, w, h := m.GetWorkarea()
	if w <= 0 || h <= 0 {
		if vm := m.GetVideoMode(); vm != nil {
			w, h = vm.Width, vm.Height
		}
	}
	scale, _ := m.GetContentScale()
	if scale < 1 {
		scale = 1
	}
	return fyne.NewSize(float32(w)/scale, float32(h)/scale)
}

// Window sizes.
var (
	defaultWindow = fyne.NewSize(1280, 800)
	minWindow     = fyne.NewSize(800, 520)
)

// windowFrame is room left for the window's title bar and borders, which the window manager
// adds around the size asked for.
var windowFrame = fyne.NewSize(16, 48)

// fitWindow returns the size to open the window at: want (the size the user left it at, or
// the default) made to fit area, the screen's usable area, less room for the window's frame.
// A zero area (unknown screen) leaves want as it is.
func fitWindow(want, area fyne.Size) fyne.Size {
	if want.Width <= 0 || want.Height <= 0 {
		want = defaultWindow
	}
	if area.Width <= 0 || area.Height <= 0 {
		return want
	}
	room := fyne.NewSize(area.Width-windowFrame.Width, area.Height-windowFrame.Height)
	return fyne.NewSize(
		max(min(want.Width, room.Width), min(minWindow.Width, room.Width)),
		max(min(want.Height, room.Height), min(minWindow.Height, room.Height)))
}
