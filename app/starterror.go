package app

import (
	"errors"
	"fmt"
	"runtime"
	"strings"

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
			"To work on another store, start Sitrep with %s.", path, otherStoreHint("other.db"))
	case errors.Is(err, data.ErrStoreGone):
		return fmt.Sprintf("The store file is missing or empty, but backups of it lie beside it:\n%s\n\n"+
			"Restore one with: sitrep restore --db %s 1\nor start a new store anyway with: sitrep demo --new --db %s",
			path, quotePath(path), quotePath(path))
	case errors.Is(err, data.ErrSchemaTooNew):
		return fmt.Sprintf("This store was written by a newer version of Sitrep:\n%s\n\nUpdate Sitrep to open it. The file was not changed.", path)
	case errors.Is(err, data.ErrCorrupt):
		return fmt.Sprintf("This file is not a Sitrep store, or it is damaged:\n%s\n\nIt was left untouched. "+
			"Start Sitrep with %s to use another file, or check this one with: sitrep check --db %s", path, otherStoreHint("another.db"), quotePath(path))
	}
	return fmt.Sprintf("Sitrep could not open its data file\n%s\n\n%v", path, err)
}

// otherStoreHint is how to start Sitrep on another store, in the words and path style of the
// user's system: --db and a path ("C:\Users\you\Documents\other.db" on Windows).
func otherStoreHint(name string) string {
	if runtime.GOOS == "windows" {
		return `--db "C:\Users\you\Documents\` + name + `"`
	}
	return "--db /path/to/" + name
}

// quotePath quotes a path for a command line of the user's system when it needs quoting.
func quotePath(s string) string {
	if s != "" && !strings.ContainsAny(s, " \t\"'$&|;<>()*?[]#~`!{}") {
		return s
	}
	if runtime.GOOS == "windows" {
		return `"` + s + `"`
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
