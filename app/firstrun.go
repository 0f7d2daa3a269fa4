package app

import (
	"context"
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"sitrep/data"
)

// firstRunActions are what the first-run screen offers: each button is enabled when its
// service exists, and does what the window's menu item does.
type firstRunActions struct {
	loadDemo, importFile, saveTemplate bool
	onDemo, onImport, onTemplate       func()
	// store names the store (the analyst's or team's name, shown in the provenance of records
	// merged into other stores); nil hides the field.
	store namedStore
}

// namedStore is a store with an identity (*data.Store).
type namedStore interface {
	Identity() (data.Identity, error)
	SetName(name string) error
}

// firstRunScreen replaces the tabs while the store is empty: load the demo data, import a
// spreadsheet, or save a blank template to fill in.
type firstRunScreen struct {
	demoB     *widget.Button
	importB   *widget.Button
	templateB *widget.Button
	name      *widget.Entry
	nameB     *widget.Button
	nameNote  *widget.Label
	content   fyne.CanvasObject
}

func newFirstRunScreen(act firstRunActions) *firstRunScreen {
	f := &firstRunScreen{}
	title := canvas.NewText("Welcome to Sitrep", theme.Color(theme.ColorNameForeground))
	title.TextSize = 28
	title.TextStyle = fyne.TextStyle{Bold: true}
	intro := widget.NewLabel("This store is empty. Sitrep keeps your incident and statement spreadsheets in one local file, " +
		"charts strikes and deaths over time and puts governments' positions side by side. Nothing leaves this computer.")
	intro.Wrapping = fyne.TextWrapWord
	f.demoB = widget.NewButtonWithIcon("Load the demo data", theme.MediaPlayIcon(), act.onDemo)
	f.demoB.Importance = widget.HighImportance
	f.importB = widget.NewButtonWithIcon("Import a spreadsheet…", theme.FolderOpenIcon(), act.onImport)
	f.templateB = widget.NewButtonWithIcon("Save a blank template…", theme.DocumentSaveIcon(), act.onTemplate)
	if !act.loadDemo {
		f.demoB.Disable()
	}
	if !act.saveTemplate {
		f.templateB.Disable()
	}
	if !act.importFile {
		f.importB.Disable()
	}
	demoNote := widget.NewLabel("17 strikes and 8 statements from the 2025 Caribbean and Eastern Pacific campaign, clearly marked as demo data. " +
		"You can undo it later on the Imports screen.")
	demoNote.Wrapping = fyne.TextWrapWord
	drop := widget.NewLabel("You can also drop .xlsx or .csv files anywhere on this window.")
	col := container.NewVBox(title, intro, widget.NewSeparator(),
		f.demoB, demoNote, f.importB, f.templateB, drop)
	if act.store != nil {
		f.name = widget.NewEntry()
		f.name.SetPlaceHolder("your name or your team's (optional)")
		if id, err := act.store.Identity(); err == nil {
			f.name.SetText(id.Name)
		}
		f.nameNote = widget.NewLabel("Name this store: records you hand over to a colleague say where they came from.")
		f.nameNote.Wrapping = fyne.TextWrapWord
		f.nameB = widget.NewButton("Save the name", func() {
			if err := act.store.SetName(f.name.Text); err != nil {
				f.nameNote.SetText(plainError(err))
				return
			}
			f.nameNote.SetText("Saved: this store is now named " + strings.TrimSpace(f.name.Text) + ".")
		})
		col.Add(widget.NewSeparator())
		col.Add(f.nameNote)
		col.Add(container.NewBorder(nil, nil, nil, f.nameB, f.name))
	}
	f.content = container.NewCenter(container.NewGridWrap(fyne.NewSize(640, col.MinSize().Height+40), col))
	return f
}

// loadDemo loads the bundled demo data into the store the window shows (the first-run
// screen's button).
func (u *UI) loadDemo() {
	if u.opts.LoadDemo == nil {
		return
	}
	store := u.store
	u.runJob("Loading the demo data", "Importing the bundled demo spreadsheets…",
		func(ctx context.Context, _ func(float64, string)) error { return u.opts.LoadDemo(ctx, store) },
		func(err error) {
			if err != nil && !errors.Is(err, context.Canceled) {
				u.showError("Could not load the demo data", err)
			}
			u.Reload()
		})
}

// NameDialog is File > Name this store…: the analyst's or team's name, shown in the
// provenance of records merged into other stores.
func (u *UI) NameDialog() {
	ns, ok := u.store.(namedStore)
	if !ok {
		return
	}
	id, _ := ns.Identity()
	entry := widget.NewEntry()
	entry.SetText(id.Name)
	entry.SetPlaceHolder("your name or your team's")
	note := widget.NewLabel("Records you hand over (sitrep export --kind store, or the file itself) say they came from this name. Store id " + id.ID + ".")
	note.Wrapping = fyne.TextWrapWord
	var hide func()
	save := widget.NewButton("Save", func() {
		if err := ns.SetName(entry.Text); err != nil {
			note.SetText(plainError(err))
			return
		}
		if hide != nil {
			hide()
		}
	})
	save.Importance = widget.HighImportance
	u.nameEntry, u.nameSave = entry, save
	content := container.NewGridWrap(fyne.NewSize(520, 130), container.NewVBox(note, container.NewBorder(nil, nil, nil, save, entry)))
	hide = u.dlg.Custom("Name this store", "Cancel", content)
}
