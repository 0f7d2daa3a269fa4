package app

import (
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"sitrep/data"
)

// goneStoreView is the start window's way out when the store file is missing or empty but
// backups of it lie beside it (data.ErrStoreGone): restore one of the backups, or start a new,
// empty store; the backups stay where they are either way.
type goneStoreView struct {
	path     string
	items    []data.BackupInfo
	backups  Backups
	open     func(path string) (Store, error) // opens the store file (after a restore)
	openNew  func(path string) (Store, error) // makes a new, empty store at path
	opened   func(Store)
	list     *widget.RadioGroup
	restoreB *widget.Button
	newB     *widget.Button
	status   *widget.Label
	content  fyne.CanvasObject
}

// OpenNewStore makes a new, empty store at path even though backups of a store lie beside it
// (data.Options.New): the "start a new store" way out of a missing or empty store file.
func OpenNewStore(path string) (Store, error) {
	s, err := data.Open(path, data.Options{New: true, Timeout: time.Second})
	if err != nil {
		return nil, err
	}
	return s, nil
}

// ShowGoneStore fills w with the way out of a missing or empty store file that has backups
// beside it: the backups to pick from, "Restore this backup", "Start a new, empty store" and
// Quit. Once the store is restored or made, opened is called with it (on the UI goroutine),
// and may replace the window's content with the app. backups lists and restores
// (WithCore's Backups), open opens a store file (OpenStore) and openNew makes a new, empty one
// (OpenNewStore).
func ShowGoneStore(w fyne.Window, path string, backups Backups, open, openNew func(string) (Store, error), opened func(Store)) {
	v := newGoneStoreView(path, backups, open, openNew, opened)
	quit := widget.NewButton("Quit", func() { w.Close() })
	w.SetContent(container.NewPadded(container.NewBorder(nil, container.NewCenter(quit), nil, nil, v.content)))
	w.Resize(fyne.NewSize(620, 420))
}

func newGoneStoreView(path string, backups Backups, open, openNew func(string) (Store, error), opened func(Store)) *goneStoreView {
	v := &goneStoreView{path: path, backups: backups, open: open, openNew: openNew, opened: opened,
		status: widget.NewLabel("")}
	v.status.Wrapping = fyne.TextWrapWord
	msg := widget.NewLabel(fmt.Sprintf("The store file is missing or empty, but backups of it lie beside it:\n%s\n\n"+
		"Restore a backup to go on where it left off, or start a new, empty store (the backups stay beside it).", path))
	msg.Wrapping = fyne.TextWrapWord
	var names []string
	if backups != nil {
		items, err := backups.List(path)
		if err != nil {
			v.status.SetText("Could not list the backups: " + plainError(err))
		}
		v.items = items
		for _, b := range items {
			names = append(names, goneBackupLabel(b))
		}
	}
	v.list = widget.NewRadioGroup(names, nil)
	v.restoreB = widget.NewButton("Restore this backup", v.restore)
	v.restoreB.Importance = widget.HighImportance
	v.newB = widget.NewButton("Start a new, empty store", v.startNew)
	if len(names) > 0 {
		v.list.SetSelected(names[0])
	} else {
		v.restoreB.Disable()
	}
	v.content = container.NewVBox(msg, v.list, container.NewHBox(v.restoreB, v.newB), v.status)
	return v
}

// goneBackupLabel names a backup in the list: which one, when it was taken, how large.
func goneBackupLabel(b data.BackupInfo) string {
	return fmt.Sprintf("%s: %s, %s", backupName(b), backupTime(b.ModTime), data.ByteSize(b.Size))
}

// selected is the backup picked in the list, if any.
func (v *goneStoreView) selected() (data.BackupInfo, bool) {
	for _, b := range v.items {
		if goneBackupLabel(b) == v.list.Selected {
			return b, true
		}
	}
	return data.BackupInfo{}, false
}

// restore puts the picked backup in place of the gone store file and opens it.
func (v *goneStoreView) restore() {
	b, ok := v.selected()
	if !ok {
		v.status.SetText("Pick a backup to restore.")
		return
	}
	if _, err := v.backups.Restore(v.path, b.Path); err != nil {
		v.status.SetText("Could not restore " + backupName(b) + ": " + plainError(err))
		return
	}
	st, err := v.open(v.path)
	if err != nil {
		v.status.SetText(backupName(b) + " was restored, but the store could not be opened: " + plainError(err))
		return
	}
	v.opened(st)
}

// startNew makes a new, empty store in place of the gone one; the backups stay.
func (v *goneStoreView) startNew() {
	st, err := v.openNew(v.path)
	if err != nil {
		v.status.SetText("Could not start a new store: " + plainError(err))
		return
	}
	v.opened(st)
}
