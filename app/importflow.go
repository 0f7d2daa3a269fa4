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

	"sitrep/data"
	"sitrep/importers"
)

// Importer reads spreadsheets for the import flow: coreImporter (the importers package) is
// the real one.
type Importer interface {
	// Inspect reads the start of a file and proposes how to import it into s, changing
	// nothing.
	Inspect(ctx context.Context, s Store, path string) (*importers.Plan, error)
	// Run imports the file into s as plan says, all or nothing, reporting progress as rows
	// done out of total (total may be 0 when unknown), and closes the plan.
	Run(ctx context.Context, s Store, plan *importers.Plan, progress func(done, total int)) (*importers.FileReport, error)
}

var kindChoices = []string{"Incidents", "Statements", "Tallies", "Skip this sheet"}

// kindLabel names a sheet's kind in the preview; a skipped sheet is "Skip this sheet".
func kindLabel(sp *importers.SheetPlan) string {
	if sp.Skip {
		return "Skip this sheet"
	}
	switch sp.Kind {
	case data.KindIncident:
		return "Incidents"
	case data.KindStatement:
		return "Statements"
	case data.KindTally:
		return "Tallies"
	}
	return "Skip this sheet"
}

// kindOf is the kind a preview label chooses (importers.KindIgnored to skip the sheet).
func kindOf(label string) data.Kind {
	switch label {
	case "Incidents":
		return data.KindIncident
	case "Statements":
		return data.KindStatement
	case "Tallies":
		return data.KindTally
	}
	return importers.KindIgnored
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
	var plan *importers.Plan
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
	plan     *importers.Plan
	sheets   []*sheetEditor
	dayFirst *widget.RadioGroup
	importB  *widget.Button
	cancelB  *widget.Button
	hide     func()
}

// sheetEditor holds the widgets of one sheet in the preview.
type sheetEditor struct {
	plan    *importers.SheetPlan
	kind    *widget.Select
	mapping []*widget.Select
}

const (
	autoOrderLabel  = "Decide from the data"
	dayFirstLabel   = "Day first (31/12/2025)"
	monthFirstLabel = "Month first (12/31/2025)"
)

var dateOrderLabels = map[importers.DateOrder]string{importers.DateOrderAuto: autoOrderLabel,
	importers.DateOrderDayFirst: dayFirstLabel, importers.DateOrderMonthFirst: monthFirstLabel}

// planDateOrder is the date order the plan's sheets share (the first imported sheet's).
func planDateOrder(plan *importers.Plan) importers.DateOrder {
	for _, sp := range plan.Sheets {
		if !sp.Skip && sp.Kind != importers.KindIgnored {
			return sp.DateOrder
		}
	}
	return importers.DateOrderAuto
}

// planNote says what the importer saw of the file as a whole: a CSV's encoding and
// separator, a workbook's 1904 date system.
func planNote(plan *importers.Plan) string {
	var notes []string
	if plan.Delimiter != "" || plan.Encoding != "" {
		notes = append(notes, fmt.Sprintf("CSV read as %s, %s-separated.", orWord(plan.Encoding, "UTF-8"), orWord(plan.Delimiter, "comma")))
	}
	if plan.Date1904 {
		notes = append(notes, "The workbook uses Excel's 1904 date system; its dates are read accordingly.")
	}
	return strings.Join(notes, " ")
}

func orWord(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func (u *UI) showPreview(plan *importers.Plan, next func()) {
	p := &importPreview{plan: plan}
	u.preview = p
	tabs := container.NewAppTabs()
	for _, sp := range plan.Sheets {
		se := newSheetEditor(sp)
		p.sheets = append(p.sheets, se)
		tabs.Append(container.NewTabItem(sp.Name, se.content()))
	}
	p.dayFirst = widget.NewRadioGroup([]string{autoOrderLabel, dayFirstLabel, monthFirstLabel}, nil)
	p.dayFirst.Horizontal = true
	p.dayFirst.Required = true
	if l, ok := dateOrderLabels[planDateOrder(plan)]; ok {
		p.dayFirst.SetSelected(l)
	} else {
		p.dayFirst.SetSelected(autoOrderLabel)
	}
	dateRow := container.NewHBox(widget.NewLabel("Dates written as numbers, like 03/04/2025:"), p.dayFirst)
	note := widget.NewLabel(planNote(plan))
	note.Wrapping = fyne.TextWrapWord
	if note.Text == "" {
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
	p.hide = u.dlg.Custom("Import "+filepath.Base(plan.Path), "", box)
	p.cancelB.OnTapped = func() { plan.Close(); p.hide(); next() }
	p.importB.OnTapped = func() {
		if err := p.apply(); err != nil {
			u.showError("Could not use this mapping", err)
			return
		}
		p.hide()
		u.runImport(plan, next)
	}
}

// apply copies the widgets' choices (kinds, mappings, date order) into the plan.
func (p *importPreview) apply() error {
	order := importers.DateOrderAuto
	for k, l := range dateOrderLabels {
		if p.dayFirst.Selected == l {
			order = k
		}
	}
	for _, se := range p.sheets {
		if err := se.apply(order); err != nil {
			return err
		}
	}
	return nil
}

// apply sets the sheet's date order, and its kind and mapping as the widgets show them.
func (se *sheetEditor) apply(order importers.DateOrder) error {
	sp := se.plan
	sp.DateOrder = order
	kind := kindOf(se.kind.Selected)
	if kind != sp.Kind || (sp.Skip && kind != importers.KindIgnored) {
		sp.Skip = false
		sp.SetKind(kind)
	}
	if kind == importers.KindIgnored {
		return nil
	}
	want := map[importers.Field]int{}
	for c, sel := range se.mapping {
		if sel.Selected != ignoreColumn && sel.Selected != "" {
			want[importers.Field(sel.Selected)] = c
		}
	}
	for _, f := range importers.KnownFields(kind) {
		c, ok := want[f]
		cur, has := sp.Mapping[f]
		if ok == has && (!ok || c == cur) {
			continue
		}
		target := ""
		if ok {
			target = colLetter(c)
		}
		if err := sp.SetMapping(f, target); err != nil {
			return fmt.Errorf("sheet %s, field %s: %w", sp.Name, f, err)
		}
	}
	return nil
}

// colLetter is the spreadsheet letter of a 0-based column.
func colLetter(c int) string {
	s := ""
	for c++; c > 0; c = (c - 1) / 26 {
		s = string(rune('A'+(c-1)%26)) + s
	}
	return s
}

const previewRows = 8

func newSheetEditor(sp *importers.SheetPlan) *sheetEditor {
	se := &sheetEditor{plan: sp}
	byCol := map[int]string{}
	for f, c := range sp.Mapping {
		byCol[c] = string(f)
	}
	options := func(k data.Kind) []string {
		out := []string{ignoreColumn}
		if k != importers.KindIgnored {
			for _, f := range importers.KnownFields(k) {
				out = append(out, string(f))
			}
		}
		return out
	}
	shown := kindOf(kindLabel(sp))
	for i := range sp.Headers {
		sel := widget.NewSelect(options(shown), nil)
		if f := byCol[i]; f != "" && shown != importers.KindIgnored {
			sel.SetSelected(f)
		} else {
			sel.SetSelected(ignoreColumn)
		}
		se.mapping = append(se.mapping, sel)
	}
	se.kind = widget.NewSelect(kindChoices, func(label string) {
		k := kindOf(label)
		for _, sel := range se.mapping {
			sel.Options = options(k)
			if !containsString(sel.Options, sel.Selected) {
				sel.SetSelected(ignoreColumn)
			}
			sel.Refresh()
		}
	})
	se.kind.SetSelected(kindLabel(sp))
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
	for r, row := range sp.Preview {
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
	head := fmt.Sprintf("Header in row %d; first %d rows shown.", sp.HeaderRow, min(len(sp.Preview), previewRows))
	var notes []fyne.CanvasObject
	notes = append(notes, container.NewHBox(widget.NewLabel("This sheet holds"), se.kind, widget.NewLabel(head)))
	var sheetNotes []string
	if sp.Note != "" {
		sheetNotes = append(sheetNotes, sp.Note)
	}
	if sp.Remembered {
		sheetNotes = append(sheetNotes, "The column mapping is the one you chose last time for this layout.")
	}
	for _, nt := range sheetNotes {
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
func (u *UI) runImport(plan *importers.Plan, next func()) {
	var rep *importers.FileReport
	var backup string
	name := filepath.Base(plan.Path)
	store := u.store // read on the UI goroutine, which alone switches stores
	u.runJob("Importing "+name, "Importing "+name+"… Cancel leaves the store exactly as it was.",
		func(ctx context.Context, progress func(float64, string)) error {
			if u.opts.Backups != nil {
				progress(-1, "Saving a backup of the store before importing "+name+"…")
				var err error
				if backup, err = u.opts.Backups.BeforeImport(store); err != nil {
					plan.Close()
					return &backupError{err: err}
				}
			}
			if err := ctx.Err(); err != nil {
				plan.Close()
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
				u.showAudit(newAudit(rep, backup))
				u.Reload()
			}
			next()
		})
}

// audit is what the audit dialog shows of an import: the importer's report, summed and
// flattened into rows numbered as in the spreadsheet.
type audit struct {
	file                                   string
	inserted, updated, unchanged, rejected int
	// backup is the backup of the store saved right before the import ("" when none).
	backup string
	// notes say, per sheet, what it was read as and which way its dates were read.
	notes    []string
	problems []problemRow
}

// problemRow is a row or cell the importer could not read (or noted), as the table shows it.
type problemRow struct {
	sheet              string
	row                int
	column, value, why string
}

// newAudit sums the importer's report for the audit dialog.
func newAudit(rep *importers.FileReport, backup string) *audit {
	a := &audit{file: rep.Path, backup: backup}
	for _, s := range rep.Sheets {
		a.inserted += s.Inserted
		a.updated += s.Updated
		a.unchanged += s.Unchanged
		a.rejected += s.Rejected
		line := fmt.Sprintf("Sheet %s: ", orWord(s.Name, "(CSV)"))
		switch {
		case s.Kind == "" || s.Kind == string(importers.KindIgnored):
			line += "not imported"
			if s.Note != "" {
				line += " (" + s.Note + ")"
			}
		default:
			line += fmt.Sprintf("read as %s from header row %d", s.Kind, s.HeaderRow)
			if s.DateOrder != "" {
				line += "; dates " + s.DateOrder
			}
			if s.Duplicates > 0 {
				line += fmt.Sprintf("; %d duplicate row(s) skipped", s.Duplicates)
			}
		}
		a.notes = append(a.notes, line)
		rejected := map[int]bool{} // rows left out for an error
		for _, pr := range s.Problems {
			if pr.Level != importers.LevelNote && pr.Row > 0 {
				rejected[pr.Row] = true
			}
		}
		for _, pr := range s.Problems {
			col := pr.Column
			if pr.Header != "" {
				col = strings.TrimSpace(col + " " + pr.Header)
			}
			why := pr.Message
			switch {
			case pr.Level == importers.LevelNote && rejected[pr.Row]:
				why = "note: " + why
			case pr.Level == importers.LevelNote:
				why = "note: " + why + " (row imported)"
			case pr.Row > 0:
				why = "row not imported: " + why
			}
			a.problems = append(a.problems, problemRow{sheet: s.Name, row: pr.Row, column: col, value: pr.Value, why: why})
		}
	}
	a.notes = append(a.notes, rep.Warnings...)
	return a
}

// auditView is the result dialog of an import.
type auditView struct {
	audit   *audit
	summary *widget.Label
	table   *widget.Table
	copyB   *widget.Button
	saveB   *widget.Button
}

func (u *UI) showAudit(rep *audit) {
	a := &auditView{audit: rep}
	u.audit = a
	sum := auditSummary(rep)
	if len(rep.notes) > 0 {
		sum += "\n" + strings.Join(rep.notes, "\n")
	}
	a.summary = widget.NewLabel(sum)
	a.summary.Wrapping = fyne.TextWrapWord
	titles := []string{"Sheet", "Row", "Column", "Value", "Problem"}
	widths := []float32{100, 55, 240, 150, 360}
	a.table = newTextTable(titles, widths,
		func() int { return len(rep.problems) },
		func(row, col int) string { return problemCells(rep.problems[row])[col] })
	a.copyB = widget.NewButtonWithIcon("Copy problems", theme.ContentCopyIcon(), func() {
		var sb strings.Builder
		writeProblemsCSV(&sb, rep.problems, '\t')
		u.app.Clipboard().SetContent(sb.String())
	})
	a.saveB = widget.NewButtonWithIcon("Export problems as CSV…", theme.DocumentSaveIcon(), func() {
		base := strings.TrimSuffix(filepath.Base(rep.file), filepath.Ext(rep.file))
		u.dlg.SaveFile(prefExportDir, base+"-problems.csv", func(w io.WriteCloser, path string) {
			defer w.Close()
			if err := writeProblemsCSV(w, rep.problems, ','); err != nil {
				u.showError("Could not write "+path, err)
			}
		})
	})
	if len(rep.problems) == 0 {
		a.copyB.Disable()
		a.saveB.Disable()
	}
	body := container.NewBorder(a.summary, container.NewHBox(a.copyB, a.saveB), nil, nil, a.table)
	u.dlg.Custom("Imported "+filepath.Base(rep.file), "Close", container.NewGridWrap(fyne.NewSize(940, 460), body))
}

// backupError is a failure to save the backup made before an import (nothing was imported).
type backupError struct{ err error }

func (e *backupError) Error() string { return "backup before import: " + e.err.Error() }
func (e *backupError) Unwrap() error { return e.err }

func auditSummary(rep *audit) string {
	s := fmt.Sprintf("%s: %s inserted, %s updated (old versions kept), %s unchanged, %s rejected.",
		filepath.Base(rep.file), thousands(rep.inserted), thousands(rep.updated), thousands(rep.unchanged), thousands(rep.rejected))
	if rep.backup != "" {
		s += "\nThe store as it was before this import is saved in " + rep.backup + " (File > Restore a backup… brings it back)."
	}
	if len(rep.problems) == 0 {
		return s + "\nNo problems: every row was read."
	}
	return s + fmt.Sprintf("\n%s problem%s below, with rows numbered as in the spreadsheet. Fix them there and import the file again: nothing will be counted twice.",
		thousands(len(rep.problems)), plural(len(rep.problems)))
}

func problemCells(p problemRow) []string {
	row := ""
	if p.row > 0 {
		row = fmt.Sprint(p.row)
	}
	return []string{p.sheet, row, p.column, p.value, p.why}
}

func writeProblemsCSV(w io.Writer, ps []problemRow, sep rune) error {
	cw := csv.NewWriter(w)
	cw.Comma = sep
	cw.Write([]string{"sheet", "row", "column", "value", "problem"})
	for _, p := range ps {
		cw.Write(problemCells(p))
	}
	cw.Flush()
	return cw.Error()
}
