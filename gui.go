package main

import (
	"io"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/widget"
)

// runGUI opens the desktop app and returns its exit status when the window closes.
func runGUI(stderr io.Writer) int {
	a := fyneapp.NewWithID("org.sitrep.app")
	w := a.NewWindow("Sitrep")
	w.SetContent(widget.NewLabel("Sitrep"))
	w.Resize(fyne.NewSize(1280, 800))
	w.ShowAndRun()
	return 0
}
