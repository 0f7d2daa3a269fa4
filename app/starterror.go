package app

import (
	"errors"
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"sitrep/data"
)

// ShowStartError explains, in a window, why the store could not be opened (typically: it is
// open in another Sitrep window), instead of hanging or vanishing.
func ShowStartError(w fyne.Window, path string, err error) {
	msg := widget.NewLabel(startErrorText(path, err))
	msg.Wrapping = fyne.TextWrapWord
	quit := widget.NewButton("Quit", func() { w.Close() })
	w.SetContent(container.NewPadded(container.NewBorder(nil, container.NewCenter(quit), nil, nil, msg)))
	w.Resize(fyne.NewSize(560, 220))
	w.ShowAndRun()
}

// startErrorText says in plain words why the app could not start on path.
func startErrorText(path string, err error) string {
	switch {
	case errors.Is(err, data.ErrLocked):
		return fmt.Sprintf("This store is open in another Sitrep window:\n%s\n\n"+
			"Switch to that window, or close it and start Sitrep again. "+
			"To work on another store, start Sitrep with SITREP_DB=/path/to/other.db.", path)
	case errors.Is(err, data.ErrSchemaTooNew):
		return fmt.Sprintf("This store was written by a newer version of Sitrep:\n%s\n\nUpdate Sitrep to open it. The file was not changed.", path)
	case errors.Is(err, data.ErrCorrupt):
		return fmt.Sprintf("This file is not a Sitrep store, or it is damaged:\n%s\n\nIt was left untouched. "+
			"Start Sitrep with SITREP_DB=/path/to/another.db to use another file.", path)
	}
	return fmt.Sprintf("Sitrep could not open its data file\n%s\n\n%v", path, err)
}
