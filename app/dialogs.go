package app

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
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
	// lastPath and lastConfirm are the path entry and the confirm action of the last open or
	// save dialog (for tests).
	lastPath    *widget.Entry
	lastConfirm func()
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

// OpenFile asks for a file in a small dialog with a path entry (a full path typed or pasted
// there is taken as it is; a bare name is looked for in the remembered folder) and a
// Browse… button for Fyne's file chooser.
func (d *fyneDialogs) OpenFile(key string, exts []string, fn func(string)) {
	dir := d.folderPath(key)
	d.pathDialog("Open a file", "Open", dir+string(filepath.Separator), func(p string) error {
		p = resolvePath(p, dir)
		st, err := os.Stat(p)
		if err != nil {
			return fmt.Errorf("cannot open %s: %w", p, err)
		}
		if st.IsDir() {
			return fmt.Errorf("%s is a folder: add the file's name, or use Browse…", p)
		}
		d.prefs.SetString(key, filepath.Dir(p))
		fn(p)
		return nil
	}, func(entry *widget.Entry) {
		fd := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
			if err != nil || r == nil {
				return
			}
			entry.SetText(r.URI().Path())
			r.Close()
		}, d.win)
		if len(exts) > 0 {
			fd.SetFilter(storage.NewExtensionFileFilter(exts))
		}
		if l := d.folder(key); l != nil {
			fd.SetLocation(l)
		}
		fd.Resize(fyne.NewSize(900, 600))
		fd.Show()
	})
}

// SaveFile asks where to save in a small dialog with a path entry, filled with the remembered
// folder and the default name: a full path typed there is used as it is (not joined onto the
// folder), a bare name goes in the folder, and a name without an extension gets the default
// one. Browse… picks the folder with Fyne's chooser.
func (d *fyneDialogs) SaveFile(key, name string, fn func(io.WriteCloser, string)) {
	dir := d.folderPath(key)
	d.pathDialog("Save as", "Save", filepath.Join(dir, name), func(p string) error {
		p = resolvePath(p, dir)
		if filepath.Ext(p) == "" {
			p += filepath.Ext(name)
		}
		f, err := os.Create(p)
		if err != nil {
			return fmt.Errorf("cannot save to %s: %w", p, err)
		}
		d.prefs.SetString(key, filepath.Dir(p))
		fn(f, p)
		return nil
	}, func(entry *widget.Entry) {
		fd := dialog.NewFolderOpen(func(l fyne.ListableURI, err error) {
			if err != nil || l == nil {
				return
			}
			entry.SetText(filepath.Join(l.Path(), filepath.Base(entry.Text)))
		}, d.win)
		if l := d.folder(key); l != nil {
			fd.SetLocation(l)
		}
		fd.Resize(fyne.NewSize(900, 600))
		fd.Show()
	})
}

// folderPath is the folder remembered under key, else the home folder, else ".".
func (d *fyneDialogs) folderPath(key string) string {
	if dir := d.prefs.String(key); dir != "" {
		return dir
	}
	if home, err := os.UserHomeDir(); err == nil {
		return home
	}
	return "."
}

// resolvePath turns what was typed into a path: "~/" is the home folder, a relative path is
// taken from dir, an absolute one as it is.
func resolvePath(p, dir string) string {
	p = strings.TrimSpace(p)
	if rest, ok := strings.CutPrefix(p, "~"+string(filepath.Separator)); ok {
		if home, err := os.UserHomeDir(); err == nil {
			p = filepath.Join(home, rest)
		}
	}
	if !filepath.IsAbs(p) {
		p = filepath.Join(dir, p)
	}
	return filepath.Clean(p)
}

// pathDialog shows a path entry with Browse… and the buttons Cancel and action. act runs when
// the user confirms; its error is shown under the entry and the dialog stays open.
func (d *fyneDialogs) pathDialog(title, action, initial string, act func(path string) error, browse func(*widget.Entry)) {
	entry := widget.NewEntry()
	entry.SetText(initial)
	problem := widget.NewLabel("")
	problem.Wrapping = fyne.TextWrapWord
	problem.Importance = widget.DangerImportance
	problem.Hide()
	hint := widget.NewLabel("Type or paste a full path, or a name to use the folder shown.")
	hint.Wrapping = fyne.TextWrapWord
	browseB := widget.NewButtonWithIcon("Browse…", theme.FolderOpenIcon(), func() { browse(entry) })
	body := container.NewVBox(container.NewBorder(nil, nil, nil, browseB, entry), hint, problem)
	var dl *dialog.CustomDialog
	confirm := func() {
		if err := act(entry.Text); err != nil {
			problem.SetText(err.Error())
			problem.Show()
			return
		}
		dl.Hide()
	}
	entry.OnSubmitted = func(string) { confirm() }
	ok := widget.NewButton(action, confirm)
	ok.Importance = widget.HighImportance
	cancel := widget.NewButton("Cancel", func() { dl.Hide() })
	dl = dialog.NewCustomWithoutButtons(title, body, d.win)
	dl.SetButtons([]fyne.CanvasObject{cancel, ok})
	dl.Resize(fyne.NewSize(min(720, max(480, d.win.Canvas().Size().Width-80)), body.MinSize().Height+140))
	d.lastPath, d.lastConfirm = entry, confirm
	dl.Show()
	d.win.Canvas().Focus(entry)
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
