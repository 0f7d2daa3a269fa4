package app

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"sitrep/data"
	"sitrep/importers"
)

// importLog is what the Imports screen reads and changes.
type importLog interface {
	Imports() ([]data.ImportLog, error)
	UndoImport(id string) error
	HasDemoData() (bool, error)
	// Setting reads the audits kept with the imports (importers.LoadReport).
	Setting(key string) ([]byte, bool, error)
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
	// detail shows the audit of the selected import: counts, how each sheet was read (its
	// column mapping) and the rows it could not read.
	detail   *widget.Label
	problems []problemRow
	probs    *widget.Table
	dgen     generation
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
		if id.Row >= 0 && id.Row < len(s.entries) {
			s.showAudit(s.entries[id.Row])
		}
	}
	s.detail = widget.NewLabel("Select an import to see its audit: what each sheet was read as, which column went to which field, and the rows it could not read.")
	s.detail.Wrapping = fyne.TextWrapWord
	s.detail.Selectable = true
	s.probs = newTextTable([]string{"Sheet", "Row", "Column", "Value", "Problem"}, []float32{100, 55, 220, 150, 420},
		func() int { return len(s.problems) },
		func(row, col int) string { return problemCells(s.problems[row])[col] })
	s.undoB = widget.NewButtonWithIcon("Undo this import…", theme.ContentUndoIcon(), s.confirmUndo)
	s.undoB.Disable()
	s.status = widget.NewLabel("")
	s.status.Truncation = fyne.TextTruncateEllipsis
	importB := widget.NewButtonWithIcon("Import a file…", theme.FolderOpenIcon(), func() { s.onImport() })
	help := widget.NewLabel("Every import is kept here. Undoing one removes the records it added and puts back the versions it replaced.")
	help.Wrapping = fyne.TextWrapWord
	audit := container.NewBorder(container.NewVBox(heading("Audit of the selected import"), s.detail), nil, nil, nil, s.probs)
	split := container.NewVSplit(s.table, audit)
	split.Offset = 0.45
	s.content = container.NewBorder(container.NewVBox(help, container.NewHBox(importB, s.undoB)), s.status, nil, nil, split)
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

// showAudit shows the audit kept with import e (importers.SaveReport), or, for an import made
// before audits were kept, its counts from the import log.
func (s *importsScreen) showAudit(e data.ImportLog) {
	g := s.dgen.next()
	s.work.background(func(context.Context) {
		rep, ok, err := importers.LoadReport(s.src, e.ID)
		s.work.do(func() {
			if !s.dgen.current(g) {
				return
			}
			s.problems = nil
			var text string
			switch {
			case err != nil:
				text = "Could not read the audit of " + e.ID + ": " + plainError(err)
			case ok:
				a := newAudit(rep, "")
				s.problems = a.problems
				text = fmt.Sprintf("%s, %s (%s).\n", e.ID, e.Started.Local().Format("2 Jan 2006 15:04"), e.Status) + auditSummary(a)
				if len(a.notes) > 0 {
					text += "\n" + strings.Join(a.notes, "\n")
				}
				for _, sh := range rep.Sheets {
					if m := mappingText(sh.Mapping); m != "" {
						text += fmt.Sprintf("\nSheet %s, columns: %s", orWord(sh.Name, "(CSV)"), m)
					}
				}
			default:
				text = logSummary(e)
			}
			s.detail.SetText(text)
			s.probs.Refresh()
		})
	})
}

// mappingText lists a sheet's column mapping: "Date (MM-DD-YYYY) → date; Killed → killed".
func mappingText(m map[string]string) string {
	headers := make([]string, 0, len(m))
	for h := range m {
		headers = append(headers, h)
	}
	sort.Strings(headers)
	parts := make([]string, 0, len(headers))
	for _, h := range headers {
		parts = append(parts, fmt.Sprintf("%q → %s", h, m[h]))
	}
	return strings.Join(parts, "; ")
}

// logSummary is what the import log itself says of an import whose audit was not kept (a
// failed import keeps none: the log says why it failed).
func logSummary(e data.ImportLog) string {
	c := e.Result.Total()
	text := fmt.Sprintf("%s, %s (%s): %s: %s inserted, %s updated, %s unchanged.", e.ID,
		e.Started.Local().Format("2 Jan 2006 15:04"), e.Status, filepath.Base(e.File),
		thousands(c.Inserted), thousands(c.Updated), thousands(c.Unchanged))
	sheets := make([]string, 0, len(e.Result.BySheet))
	for name := range e.Result.BySheet {
		sheets = append(sheets, name)
	}
	sort.Strings(sheets)
	for _, name := range sheets {
		n := e.Result.BySheet[name]
		text += fmt.Sprintf("\nSheet %s: %s inserted, %s updated, %s unchanged.", orWord(name, "(CSV)"),
			thousands(n.Inserted), thousands(n.Updated), thousands(n.Unchanged))
	}
	if e.Source == importers.SourceDemo {
		return text + "\nThe bundled demo data: read from Sitrep's own tables."
	}
	if e.Status == data.StatusFailed {
		why := e.Error
		if why == "" {
			why = "not recorded (the import was made before Sitrep kept the reason)"
		}
		return text + "\nNothing of it was kept. Why it failed: " + why
	}
	return text + "\nThe column mapping and the rows this import could not read were not kept with it (it was made before Sitrep kept each import's audit)."
}
