package app

import (
	"io"
	"os"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"
)

// Dialogs are the modal interactions the app needs. The default shows Fyne dialogs on the
// window; tests inject one that records messages and answers file choices.
type Dialogs interface {
	// Error reports a failure in plain words.
	Error(err error)
	// Info shows a message.
	Info(title, message string)
	// Confirm asks a yes/no question; fn gets the answer.
	Confirm(title, message string, fn func(ok bool))
	// OpenFiles asks for a file to read, starting in the folder remembered under key, with the
	// given extensions (".xlsx"); fn gets the path, or is not called when the user cancels.
	OpenFile(key string, exts []string, fn func(path string))
	// SaveFile asks where to write a file named name by default; fn gets a writer to the
	// chosen file (the caller closes it) and its path.
	SaveFile(key, name string, fn func(w io.WriteCloser, path string))
	// Custom shows content in a dialog with a dismiss button (none when dismiss is "") and
	// returns a function that hides it.
	Custom(title, dismiss string, content fyne.CanvasObject) (hide func())
}

type fyneDialogs struct {
	win   fyne.Window
	prefs fyne.Preferences
}

func (d *fyneDialogs) Error(err error) { dialog.ShowError(err, d.win) }

func (d *fyneDialogs) Info(title, message string) { dialog.ShowInformation(title, message, d.win) }

func (d *fyneDialogs) Confirm(title, message string, fn func(bool)) {
	dialog.ShowConfirm(title, message, fn, d.win)
}

// ConfirmAction asks a question whose buttons are Cancel and action. The message keeps its
// own line breaks (a wrapped label would size the dialog for a narrow width, leaving it tall
// and half empty).
func (d *fyneDialogs) ConfirmAction(title, message, action string, fn func(bool)) {
	c := dialog.NewCustomConfirm(title, action, "Cancel", widget.NewLabel(message), fn, d.win)
	c.SetConfirmImportance(widget.HighImportance)
	c.Show()
}

func (d *fyneDialogs) folder(key string) fyne.ListableURI {
	dir := d.prefs.String(key)
	if dir == "" {
		if home, err := os.UserHomeDir(); err == nil {
			dir = home
		}
	}
	if dir == "" {
		return nil
	}
	l, err := storage.ListerForURI(storage.NewFileURI(dir))
	if err != nil {
		return nil
	}
	return l
}

func (d *fyneDialogs) OpenFile(key string, exts []string, fn func(string)) {
	fd := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil {
			d.Error(err)
			return
		}
		if r == nil {
			return
		}
		p := r.URI().Path()
		r.Close()
		d.prefs.SetString(key, filepath.Dir(p))
		fn(p)
	}, d.win)
	if len(exts) > 0 {
		fd.SetFilter(storage.NewExtensionFileFilter(exts))
	}
	if l := d.folder(key); l != nil {
		fd.SetLocation(l)
	}
	fd.Resize(fyne.NewSize(900, 600))
	fd.Show()
}

func (d *fyneDialogs) SaveFile(key, name string, fn func(io.WriteCloser, string)) {
	fd := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil {
			d.Error(err)
			return
		}
		if w == nil {
			return
		}
		p := w.URI().Path()
		d.prefs.SetString(key, filepath.Dir(p))
		fn(w, p)
	}, d.win)
	fd.SetFileName(name)
	if ext := filepath.Ext(name); ext != "" {
		fd.SetFilter(storage.NewExtensionFileFilter([]string{strings.ToLower(ext)}))
	}
	if l := d.folder(key); l != nil {
		fd.SetLocation(l)
	}
	fd.Resize(fyne.NewSize(900, 600))
	fd.Show()
}

func (d *fyneDialogs) Custom(title, dismiss string, content fyne.CanvasObject) func() {
	var dl *dialog.CustomDialog
	if dismiss == "" {
		dl = dialog.NewCustomWithoutButtons(title, content, d.win)
	} else {
		dl = dialog.NewCustom(title, dismiss, content, d.win)
	}
	dl.Show()
	return dl.Hide
}
