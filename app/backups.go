package app

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"sitrep/data"
)

// Backups are the store's automatic backups: one made before every import, restorable from
// File > Restore a backup…. coreBackups is the real one (data.BackupBeforeImport,
// data.ListBackups, data.RestoreBackup).
type Backups interface {
	// BeforeImport saves the rotating backup of s made right before an import and returns
	// its path.
	BeforeImport(s Store) (string, error)
	// List returns the backups of the store file at storePath: the rotation slots, newest
	// first, then the copies kept by earlier restores, newest first.
	List(storePath string) ([]data.BackupInfo, error)
	// Restore replaces the store file at storePath (which no one may have open, the app
	// included) with the backup src, and returns where the replaced file was kept.
	Restore(storePath, src string) (kept string, err error)
}

// restoreView is the File > Restore a backup… dialog.
type restoreView struct {
	items    []data.BackupInfo
	list     *widget.List
	empty    *widget.Label
	selected int
	restoreB *widget.Button
	browseB  *widget.Button
	cancelB  *widget.Button
	hide     func()
}

// canRestore reports whether File > Restore a backup… is available: it needs the backups and
// a way to reopen the store.
func (u *UI) canRestore() bool { return u.opts.Backups != nil && u.opts.OpenStore != nil }

// backupTime is how backups are dated in the dialogs.
func backupTime(t time.Time) string { return t.Local().Format("2 Jan 2006 15:04") }

// backupName is the first column of the list: which backup this is.
func backupName(b data.BackupInfo) string {
	switch {
	case b.N == 1:
		return "Backup 1 (newest)"
	case b.N == data.KeepBackups:
		return fmt.Sprintf("Backup %d (oldest)", b.N)
	case b.N > 0:
		return fmt.Sprintf("Backup %d", b.N)
	}
	return "The store as it was before a restore"
}

// RestoreDialog lists the store's backups and restores the one the user picks (File >
// Restore a backup…).
func (u *UI) RestoreDialog() {
	if !u.canRestore() {
		u.dlg.Info("Restore a backup", "Restoring backups is not available in this build.")
		return
	}
	items, err := u.opts.Backups.List(u.store.Path())
	if err != nil {
		u.showError("Could not list the backups", err)
		return
	}
	v := &restoreView{items: items, selected: -1}
	u.opened.restore = v
	row := func(style fyne.TextStyle) (*widget.Label, *widget.Label, *widget.Label, fyne.CanvasObject) {
		name := widget.NewLabelWithStyle("", fyne.TextAlignLeading, style)
		when := widget.NewLabelWithStyle("", fyne.TextAlignLeading, style)
		size := widget.NewLabelWithStyle("", fyne.TextAlignTrailing, style)
		return name, when, size, container.NewBorder(nil, nil, nil, container.NewHBox(
			container.NewGridWrap(fyne.NewSize(170, 36), when), container.NewGridWrap(fyne.NewSize(90, 36), size)), name)
	}
	hName, hWhen, hSize, header := row(fyne.TextStyle{Bold: true})
	hName.SetText("Backup")
	hWhen.SetText("Saved")
	hSize.SetText("Size")
	type rowLabels struct{ name, when, size *widget.Label }
	rows := map[fyne.CanvasObject]rowLabels{}
	v.list = widget.NewList(func() int { return len(v.items) },
		func() fyne.CanvasObject {
			n, w, sz, o := row(fyne.TextStyle{})
			rows[o] = rowLabels{n, w, sz}
			return o
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if id < 0 || id >= len(v.items) {
				return
			}
			b, l := v.items[id], rows[o]
			l.name.SetText(backupName(b))
			l.when.SetText(backupTime(b.ModTime))
			l.size.SetText(data.ByteSize(b.Size))
		})
	v.restoreB = widget.NewButtonWithIcon("Restore…", theme.HistoryIcon(), nil)
	v.restoreB.Importance = widget.HighImportance
	v.restoreB.Disable()
	v.list.OnSelected = func(id widget.ListItemID) {
		v.selected = id
		v.restoreB.Enable()
	}
	v.browseB = widget.NewButtonWithIcon("Choose a backup file…", theme.FolderOpenIcon(), nil)
	v.cancelB = widget.NewButton("Cancel", nil)

	intro := widget.NewLabel(fmt.Sprintf("Sitrep saves a backup of the store before every import and keeps the last %d. "+
		"Select the one to go back to, then press Restore. The current store is kept as a copy first, so a restore can itself be undone.", data.KeepBackups))
	intro.Wrapping = fyne.TextWrapWord
	where := widget.NewLabel("Store: " + u.store.Path())
	where.Truncation = fyne.TextTruncateEllipsis
	v.empty = widget.NewLabel("There are no backups of this store yet: Sitrep saves one before every import.\n" +
		"You can still choose a backup file, such as a copy saved with File > Save a copy of the store.")
	v.empty.Wrapping = fyne.TextWrapWord
	var middle fyne.CanvasObject = container.NewBorder(header, nil, nil, nil, v.list)
	if len(items) == 0 {
		middle = container.NewVBox(v.empty)
	}
	body := container.NewBorder(container.NewVBox(intro, where), container.NewHBox(v.browseB, layoutSpacer(), v.cancelB, v.restoreB),
		nil, nil, middle)
	v.hide = u.dlg.Custom("Restore a backup", "", container.NewGridWrap(fyne.NewSize(720, 420), body))
	v.cancelB.OnTapped = v.hide
	v.restoreB.OnTapped = func() {
		if v.selected < 0 || v.selected >= len(v.items) {
			return
		}
		b := v.items[v.selected]
		v.hide()
		u.confirmRestore(b.Path, "the backup of "+backupTime(b.ModTime))
	}
	v.browseB.OnTapped = func() {
		u.dlg.OpenFile("folder.backup", nil, func(p string) {
			what := "the backup file " + filepath.Base(p)
			if fi, err := os.Stat(p); err == nil {
				what += " (saved " + backupTime(fi.ModTime()) + ")"
			}
			v.hide()
			u.confirmRestore(p, what)
		})
	}
}

// confirmRestore asks before replacing the store with src ("the backup of 26 Nov 2026 01:02").
func (u *UI) confirmRestore(src, what string) {
	base := filepath.Base(u.store.Path())
	msg := fmt.Sprintf("Replace the current store with %s?\n\n"+
		"Records imported or edited since then will no longer show. Nothing is lost:\n"+
		"the current store is kept next to it as %s.before-restore-%s…,\n"+
		"and File > Restore a backup… can put it back.",
		what, base, time.Now().Format("20060102"))
	answer := func(ok bool) {
		if ok {
			u.restoreFrom(src, what)
		}
	}
	if d, ok := u.dlg.(actionConfirmer); ok {
		d.ConfirmAction("Restore a backup", msg, "Restore", answer)
		return
	}
	u.dlg.Confirm("Restore a backup", msg, answer)
}

// actionConfirmer is a Dialogs that can label the buttons of a question with the action
// ("Restore" and "Cancel" rather than "Yes" and "No").
type actionConfirmer interface {
	ConfirmAction(title, message, action string, fn func(ok bool))
}

// restoreFrom closes the store, restores src over it, reopens it and reloads every screen. On
// any error the original store is reopened and the error said in plain words. The work runs
// off the UI goroutine.
func (u *UI) restoreFrom(src, what string) {
	old := u.store
	path := old.Path()
	var (
		reopened Store
		kept     string
		openErr  error
	)
	u.runJob("Restoring a backup", "Replacing the store with "+what+"…",
		func(ctx context.Context, _ func(float64, string)) error {
			if err := old.Close(); err != nil {
				reopened = old
				return fmt.Errorf("closing the store: %w", err)
			}
			var err error
			kept, err = u.opts.Backups.Restore(path, src)
			reopened, openErr = u.opts.OpenStore(path)
			if err == nil && openErr != nil && kept != "" {
				// The restored file does not open: put the original back.
				err = fmt.Errorf("the restored store could not be opened: %w", openErr)
				if _, perr := u.opts.Backups.Restore(path, kept); perr == nil {
					reopened, openErr = u.opts.OpenStore(path)
				}
			}
			return err
		},
		func(err error) {
			if reopened == nil {
				u.dlg.Error(fmt.Errorf("Sitrep could not reopen the store after the restore (%s). "+
					"Close Sitrep and start it again; your data is in %s%s", plainError(openErr), path, keptNote(kept)))
				return
			}
			if reopened != old {
				u.store = reopened
				u.rebindStore()
				u.win.SetMainMenu(u.mainMenu())
			}
			u.Reload()
			if err != nil {
				u.showError("Could not restore "+what+". The store is as it was", err)
				return
			}
			msg := "The store now holds " + what + ". Every screen shows it."
			if kept != "" {
				msg += "\n\nThe store as it was is kept as\n" + kept + "\n(File > Restore a backup… lists it, to go back)."
			}
			u.dlg.Info("Backup restored", msg)
		})
	if p := u.opened.progress; p != nil {
		p.cancel.Hide() // a restore is over in moments and must not stop half way
	}
}

func keptNote(kept string) string {
	if kept == "" {
		return "."
	}
	return " (the store as it was before the restore is kept as " + kept + ")."
}

// PickBackup selects the nth backup (1-based) listed in the open Restore dialog and asks the
// confirmation, as a click on it and on Restore… would (for screenshots).
func (u *UI) PickBackup(n int) {
	v := u.opened.restore
	if v == nil || n < 1 || n > len(v.items) {
		return
	}
	v.list.Select(n - 1)
	v.restoreB.OnTapped()
}

// BrowseBackup presses "Choose a backup file…" in the open Restore dialog.
func (u *UI) BrowseBackup() {
	if v := u.opened.restore; v != nil {
		v.browseB.OnTapped()
	}
}
