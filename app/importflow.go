package app

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Importer reads spreadsheets for the import flow: coreImporter (the importers package) is
// the real one.
type Importer interface {
	// Inspect reads the start of a file and proposes how to import it into s, changing
	// nothing.
	Inspect(ctx context.Context, s Store, path string) (*ImportPlan, error)
	// Run imports the file into s as plan says, all or nothing, reporting progress as rows
	// done out of total (total may be 0 when unknown).
	Run(ctx context.Context, s Store, plan *ImportPlan, progress func(done, total int)) (*ImportReport, error)
}

// ImportPlan is what an importer understood of a file, which the user may change before
// importing.
type ImportPlan struct {
	File   string
	Sheets []SheetPlan
	// DateOrder is how dates written as numbers (03/04/2025) are read: DateOrderAuto (decided
	// per column from values such as 13/09/2025, and reported in the audit), DateOrderDayFirst
	// or DateOrderMonthFirst.
	DateOrder string
	// DateOrderNote says what the importer saw of the dates so far.
	DateOrderNote string
	// Fields lists, per kind, the fields a column can map to.
	Fields map[string][]string
	// Native is the importer's own plan, for Run.
	Native any
}

// SheetPlan is one sheet of a file: its detected kind, header and first rows, and the field
// each column maps to.
type SheetPlan struct {
	Name string
	// Kind is "incidents", "statements", "tallies", or "" to skip the sheet.
	Kind      string
	HeaderRow int // 1-based, as in the spreadsheet
	Headers   []string
	Rows      [][]string
	// Mapping gives, per column, the field it fills ("" when ignored).
	Mapping []string
	// Notes are problems found in the preview ("no date column").
	Notes []string
}

// ImportReport is the audit of an import.
type ImportReport struct {
	File                                   string
	ImportID                               string
	Inserted, Updated, Unchanged, Rejected int
	// Backup is the backup of the store saved right before the import ("" when none).
	Backup string
	// Notes say, per sheet, what it was read as and which way its dates were read.
	Notes    []string
	Problems []ImportProblem
}

// Date orders of ImportPlan.DateOrder.
const (
	DateOrderAuto       = "auto"
	DateOrderDayFirst   = "day-first"
	DateOrderMonthFirst = "month-first"
)

// ImportProblem is a row or cell the importer could not read, in the spreadsheet's own
// numbering.
type ImportProblem struct {
	Sheet  string
	Row    int
	Column string
	Value  string
	Reason string
}

var kindChoices = []string{"Incidents", "Statements", "Tallies", "Skip this sheet"}

func kindLabel(k string) string {
	switch k {
	case "incidents":
		return "Incidents"
	case "statements":
		return "Statements"
	case "tallies":
		return "Tallies"
	}
	return "Skip this sheet"
}

func kindID(label string) string {
	switch label {
	case "Incidents":
		return "incidents"
	case "Statements":
		return "statements"
	case "Tallies":
		return "tallies"
	}
	return ""
}

const ignoreColumn = "(ignore)"

// ImportDialog asks for a file and imports it (File > Import…, Ctrl+O, toolbar).
func (u *UI) ImportDialog() {
	if u.opts.Importer == nil {
		u.dlg.Info("Import", "Importing is not available in this build.")
		return
	}
	u.dlg.OpenFile(prefImportDir, []string{".xlsx", ".xlsm", ".csv"}, func(p string) { u.ImportFiles([]string{p}) })
}

// ImportFiles runs the import flow for each path in turn: preview, progress, audit.
func (u *UI) ImportFiles(paths []string) {
	if u.opts.Importer == nil {
		u.dlg.Info("Import", "Importing is not available in this build.")
		return
	}
	if len(paths) == 0 {
		return
	}
	path, rest := paths[0], paths[1:]
	next := func() { u.ImportFiles(rest) }
	var plan *ImportPlan
	store := u.store // read on the UI goroutine, which alone switches stores
	u.runJob("Reading "+filepath.Base(path), "Looking at the sheets and columns of "+filepath.Base(path)+"…",
		func(ctx context.Context, _ func(float64, string)) error {
			var err error
			plan, err = u.opts.Importer.Inspect(ctx, store, path)
			return err
		},
		func(err error) {
			if err != nil {
				if !errors.Is(err, context.Canceled) {
					u.showError("Could not read "+filepath.Base(path), err)
				}
				next()
				return
			}
			u.showPreview(plan, next)
		})
}

// importPreview is the dialog that shows what the importer understood of a file.
type importPreview struct {
	plan     *ImportPlan
	sheets   []*sheetEditor
	dayFirst *widget.RadioGroup
	importB  *widget.Button
	cancelB  *widget.Button
	hide     func()
}

// sheetEditor holds the widgets of one sheet in the preview.
type sheetEditor struct {
	plan    *SheetPlan
	kind    *widget.Select
	mapping []*widget.Select
}

const (
	autoOrderLabel  = "Decide from the data"
	dayFirstLabel   = "Day first (31/12/2025)"
	monthFirstLabel = "Month first (12/31/2025)"
)

var dateOrderLabels = map[string]string{DateOrderAuto: autoOrderLabel, DateOrderDayFirst: dayFirstLabel, DateOrderMonthFirst: monthFirstLabel}

func (u *UI) showPreview(plan *ImportPlan, next func()) {
	p := &importPreview{plan: plan}
	u.preview = p
	tabs := container.NewAppTabs()
	for i := range plan.Sheets {
		se := newSheetEditor(&plan.Sheets[i], plan.Fields)
		p.sheets = append(p.sheets, se)
		tabs.Append(container.NewTabItem(plan.Sheets[i].Name, se.content()))
	}
	p.dayFirst = widget.NewRadioGroup([]string{autoOrderLabel, dayFirstLabel, monthFirstLabel}, nil)
	p.dayFirst.Horizontal = true
	p.dayFirst.Required = true
	if l, ok := dateOrderLabels[plan.DateOrder]; ok {
		p.dayFirst.SetSelected(l)
	} else {
		p.dayFirst.SetSelected(autoOrderLabel)
	}
	dateRow := container.NewHBox(widget.NewLabel("Dates written as numbers, like 03/04/2025:"), p.dayFirst)
	note := widget.NewLabel(plan.DateOrderNote)
	note.Wrapping = fyne.TextWrapWord
	if plan.DateOrderNote == "" {
		note.SetText("Real Excel dates are read as stored. For dates typed as text, \"Decide from the data\" " +
			"looks for values like 13/09/2025 that can only be read one way; the audit says which way each sheet was read.")
	}
	p.cancelB = widget.NewButton("Cancel", nil)
	p.importB = widget.NewButtonWithIcon("Import", theme.ConfirmIcon(), nil)
	p.importB.Importance = widget.HighImportance
	intro := widget.NewLabel("Check what Sitrep understood. Change a sheet's kind or a column's field with its drop-down; " +
		"nothing is saved until you press Import, and a file is imported completely or not at all.")
	intro.Wrapping = fyne.TextWrapWord
	content := container.NewBorder(
		container.NewVBox(intro, dateRow, note),
		container.NewHBox(layoutSpacer(), p.cancelB, p.importB), nil, nil, tabs)
	sized := container.NewStack(content)
	box := container.NewGridWrap(fyne.NewSize(1000, 560), sized)
	p.hide = u.dlg.Custom("Import "+filepath.Base(plan.File), "", box)
	p.cancelB.OnTapped = func() { p.hide(); next() }
	p.importB.OnTapped = func() {
		p.apply()
		p.hide()
		u.runImport(plan, next)
	}
}

// apply copies the widgets' choices into the plan.
func (p *importPreview) apply() {
	p.plan.DateOrder = DateOrderAuto
	for k, l := range dateOrderLabels {
		if p.dayFirst.Selected == l {
			p.plan.DateOrder = k
		}
	}
	for _, se := range p.sheets {
		se.plan.Kind = kindID(se.kind.Selected)
		for i, sel := range se.mapping {
			v := sel.Selected
			if v == ignoreColumn {
				v = ""
			}
			se.plan.Mapping[i] = v
		}
	}
}

const previewRows = 8

func newSheetEditor(sp *SheetPlan, fields map[string][]string) *sheetEditor {
	se := &sheetEditor{plan: sp}
	for len(sp.Mapping) < len(sp.Headers) {
		sp.Mapping = append(sp.Mapping, "")
	}
	options := func(kind string) []string { return append([]string{ignoreColumn}, fields[kind]...) }
	for i := range sp.Headers {
		sel := widget.NewSelect(options(sp.Kind), nil)
		if sp.Mapping[i] == "" {
			sel.SetSelected(ignoreColumn)
		} else {
			sel.SetSelected(sp.Mapping[i])
		}
		se.mapping = append(se.mapping, sel)
	}
	se.kind = widget.NewSelect(kindChoices, func(label string) {
		k := kindID(label)
		for _, sel := range se.mapping {
			sel.Options = options(k)
			if !containsString(sel.Options, sel.Selected) {
				sel.SetSelected(ignoreColumn)
			}
			sel.Refresh()
		}
	})
	se.kind.SetSelected(kindLabel(sp.Kind))
	return se
}

func containsString(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func (se *sheetEditor) content() fyne.CanvasObject {
	sp := se.plan
	n := len(sp.Headers)
	var cells []fyne.CanvasObject
	for i := 0; i < n; i++ {
		cells = append(cells, se.mapping[i])
	}
	for i := 0; i < n; i++ {
		cells = append(cells, widget.NewLabelWithStyle(truncate(sp.Headers[i], 28), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	}
	for r, row := range sp.Rows {
		if r >= previewRows {
			break
		}
		for i := 0; i < n; i++ {
			v := ""
			if i < len(row) {
				v = row[i]
			}
			cells = append(cells, widget.NewLabel(truncate(v, 28)))
		}
	}
	gridBox := container.NewGridWithColumns(max(n, 1), cells...)
	head := fmt.Sprintf("Header in row %d; first %d rows shown.", sp.HeaderRow, min(len(sp.Rows), previewRows))
	var notes []fyne.CanvasObject
	notes = append(notes, container.NewHBox(widget.NewLabel("This sheet holds"), se.kind, widget.NewLabel(head)))
	for _, nt := range sp.Notes {
		l := widget.NewLabelWithStyle("⚠ "+nt, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		l.Wrapping = fyne.TextWrapWord
		notes = append(notes, l)
	}
	return container.NewBorder(container.NewVBox(notes...), nil, nil, nil, container.NewScroll(gridBox))
}

func truncate(s string, n int) string {
	s = oneLineText(s)
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// runImport runs the import behind the progress dialog and shows the audit.
func (u *UI) runImport(plan *ImportPlan, next func()) {
	var rep *ImportReport
	name := filepath.Base(plan.File)
	store := u.store // read on the UI goroutine, which alone switches stores
	u.runJob("Importing "+name, "Importing "+name+"… Cancel leaves the store exactly as it was.",
		func(ctx context.Context, progress func(float64, string)) error {
			backup := ""
			if u.opts.Backups != nil {
				progress(-1, "Saving a backup of the store before importing "+name+"…")
				var err error
				if backup, err = u.opts.Backups.BeforeImport(store); err != nil {
					return &backupError{err: err}
				}
			}
			if err := ctx.Err(); err != nil {
				return err
			}
			var err error
			rep, err = u.opts.Importer.Run(ctx, store, plan, func(done, total int) {
				msg := fmt.Sprintf("Importing %s… %s rows read. Cancel leaves the store exactly as it was.", name, thousands(done))
				if total > 0 {
					progress(float64(done)/float64(total), msg)
				} else {
					progress(-1, msg)
				}
			})
			if rep != nil {
				rep.Backup = backup
			}
			return err
		},
		func(err error) {
			var be *backupError
			switch {
			case errors.As(err, &be):
				u.dlg.Error(fmt.Errorf("Sitrep could not save a backup of the store before importing, so nothing was imported: %s", plainError(be.err)))
			case errors.Is(err, context.Canceled):
				u.dlg.Info("Import cancelled", "The import of "+name+" was cancelled. Nothing was imported.")
			case err != nil:
				u.showError("Could not import "+name+" (nothing was imported)", err)
			default:
				u.showAudit(rep)
				u.Reload()
			}
			next()
		})
}

// auditView is the result dialog of an import.
type auditView struct {
	report  *ImportReport
	summary *widget.Label
	table   *widget.Table
	copyB   *widget.Button
	saveB   *widget.Button
}

func (u *UI) showAudit(rep *ImportReport) {
	a := &auditView{report: rep}
	u.audit = a
	sum := auditSummary(rep)
	if len(rep.Notes) > 0 {
		sum += "\n" + strings.Join(rep.Notes, "\n")
	}
	a.summary = widget.NewLabel(sum)
	a.summary.Wrapping = fyne.TextWrapWord
	titles := []string{"Sheet", "Row", "Column", "Value", "Problem"}
	widths := []float32{100, 55, 240, 150, 360}
	a.table = newTextTable(titles, widths,
		func() int { return len(rep.Problems) },
		func(row, col int) string { return problemCells(rep.Problems[row])[col] })
	a.copyB = widget.NewButtonWithIcon("Copy problems", theme.ContentCopyIcon(), func() {
		var sb strings.Builder
		writeProblemsCSV(&sb, rep.Problems, '\t')
		u.app.Clipboard().SetContent(sb.String())
	})
	a.saveB = widget.NewButtonWithIcon("Export problems as CSV…", theme.DocumentSaveIcon(), func() {
		base := strings.TrimSuffix(filepath.Base(rep.File), filepath.Ext(rep.File))
		u.dlg.SaveFile(prefExportDir, base+"-problems.csv", func(w io.WriteCloser, path string) {
			defer w.Close()
			if err := writeProblemsCSV(w, rep.Problems, ','); err != nil {
				u.showError("Could not write "+path, err)
			}
		})
	})
	if len(rep.Problems) == 0 {
		a.copyB.Disable()
		a.saveB.Disable()
	}
	body := container.NewBorder(a.summary, container.NewHBox(a.copyB, a.saveB), nil, nil, a.table)
	u.dlg.Custom("Imported "+filepath.Base(rep.File), "Close", container.NewGridWrap(fyne.NewSize(940, 460), body))
}

// backupError is a failure to save the backup made before an import (nothing was imported).
type backupError struct{ err error }

func (e *backupError) Error() string { return "backup before import: " + e.err.Error() }
func (e *backupError) Unwrap() error { return e.err }

func auditSummary(rep *ImportReport) string {
	s := fmt.Sprintf("%s: %s inserted, %s updated (old versions kept), %s unchanged, %s rejected.",
		filepath.Base(rep.File), thousands(rep.Inserted), thousands(rep.Updated), thousands(rep.Unchanged), thousands(rep.Rejected))
	if rep.Backup != "" {
		s += "\nThe store as it was before this import is saved in " + rep.Backup + " (File > Restore a backup… brings it back)."
	}
	if len(rep.Problems) == 0 {
		return s + "\nNo problems: every row was read."
	}
	return s + fmt.Sprintf("\n%s problem%s below, with rows numbered as in the spreadsheet. Fix them there and import the file again: nothing will be counted twice.",
		thousands(len(rep.Problems)), plural(len(rep.Problems)))
}

func problemCells(p ImportProblem) []string {
	row := ""
	if p.Row > 0 {
		row = fmt.Sprint(p.Row)
	}
	return []string{p.Sheet, row, p.Column, p.Value, p.Reason}
}

func writeProblemsCSV(w io.Writer, ps []ImportProblem, sep rune) error {
	cw := csv.NewWriter(w)
	cw.Comma = sep
	cw.Write([]string{"sheet", "row", "column", "value", "problem"})
	for _, p := range ps {
		cw.Write(problemCells(p))
	}
	cw.Flush()
	return cw.Error()
}
