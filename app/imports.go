package app

import (
	"context"
	"fmt"
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"sitrep/data"
)

// importLog is what the Imports screen reads and changes.
type importLog interface {
	Imports() ([]data.ImportLog, error)
	UndoImport(id string) error
	HasDemoData() (bool, error)
}

// importsScreen lists the imports, newest first, and undoes one.
type importsScreen struct {
	work *worker
	dlg  Dialogs
	src  importLog
	// onImport starts an import (File > Import…); onChange re-reads every screen after an undo.
	onImport, onChange func()
	entries            []data.ImportLog
	table              *widget.Table
	sel                int
	undoB              *widget.Button
	status             *widget.Label
	content            fyne.CanvasObject
	gen                generation
}

var importCols = []struct {
	title string
	width float32
}{{"When", 150}, {"File", 460}, {"Source", 70}, {"Status", 100}, {"Inserted", 80}, {"Updated", 80}, {"Unchanged", 95}, {"Import id", 130}}

func newImportsScreen(work *worker, dlg Dialogs, src importLog, onImport, onChange func()) *importsScreen {
	s := &importsScreen{work: work, dlg: dlg, src: src, onImport: onImport, onChange: onChange, sel: -1}
	titles := make([]string, len(importCols))
	widths := make([]float32, len(importCols))
	for i, c := range importCols {
		titles[i], widths[i] = c.title, c.width
	}
	s.table = newTextTable(titles, widths,
		func() int { return len(s.entries) },
		func(row, col int) string { return importCells(s.entries[row])[col] })
	s.table.OnSelected = func(id widget.TableCellID) {
		s.sel = id.Row
		s.updateButtons()
	}
	s.undoB = widget.NewButtonWithIcon("Undo this import…", theme.ContentUndoIcon(), s.confirmUndo)
	s.undoB.Disable()
	s.status = widget.NewLabel("")
	s.status.Truncation = fyne.TextTruncateEllipsis
	importB := widget.NewButtonWithIcon("Import a file…", theme.FolderOpenIcon(), func() { s.onImport() })
	help := widget.NewLabel("Every import is kept here. Undoing one removes the records it added and puts back the versions it replaced.")
	help.Wrapping = fyne.TextWrapWord
	s.content = container.NewBorder(container.NewVBox(help, container.NewHBox(importB, s.undoB)), s.status, nil, nil, s.table)
	return s
}

func importCells(e data.ImportLog) []string {
	c := e.Result.Total()
	return []string{e.Started.Local().Format("2006-01-02 15:04"), filepath.Base(e.File), e.Source, e.Status,
		thousands(c.Inserted), thousands(c.Updated), thousands(c.Unchanged), e.ID}
}

func (s *importsScreen) updateButtons() {
	if s.sel >= 0 && s.sel < len(s.entries) && s.entries[s.sel].Status == "committed" {
		s.undoB.Enable()
	} else {
		s.undoB.Disable()
	}
}

func (s *importsScreen) reload() {
	g := s.gen.next()
	s.work.background(func(ctx context.Context) {
		es, err := s.src.Imports()
		s.work.do(func() {
			if !s.gen.current(g) {
				return
			}
			if err != nil {
				s.status.SetText("Could not read the import log: " + plainError(err))
				return
			}
			s.entries = es
			s.sel = -1
			s.table.UnselectAll()
			s.table.Refresh()
			s.updateButtons()
			s.status.SetText(fmt.Sprintf("%d import%s", len(es), plural(len(es))))
		})
	})
}

func (s *importsScreen) confirmUndo() {
	if s.sel < 0 || s.sel >= len(s.entries) {
		return
	}
	e := s.entries[s.sel]
	n := e.Result.Total()
	s.dlg.Confirm("Undo import?", fmt.Sprintf(
		"Undo the import of %s (%s)?\n%s records it added will be removed and %s it changed will get their earlier version back.",
		filepath.Base(e.File), e.Started.Local().Format("2 Jan 2006 15:04"), thousands(n.Inserted), thousands(n.Updated)),
		func(ok bool) {
			if ok {
				s.undo(e.ID)
			}
		})
}

func (s *importsScreen) undo(id string) {
	if err := s.src.UndoImport(id); err != nil {
		showError(s.dlg, "Could not undo the import", err)
		return
	}
	s.onChange()
}
