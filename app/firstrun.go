package app

import (
	"context"
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// firstRunActions are what the first-run screen offers: each button is enabled when its
// service exists, and does what the window's menu item does.
type firstRunActions struct {
	loadDemo, importFile, saveTemplate bool
	onDemo, onImport, onTemplate       func()
}

// firstRunScreen replaces the tabs while the store is empty: load the demo data, import a
// spreadsheet, or save a blank template to fill in.
type firstRunScreen struct {
	demoB     *widget.Button
	importB   *widget.Button
	templateB *widget.Button
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
