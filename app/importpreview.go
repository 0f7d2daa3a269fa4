package app

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"sitrep/data"
	"sitrep/importers"
)

// importPreview is the dialog that shows what the importer understood of a file.
type importPreview struct {
	plan *importers.Plan
	// theatre, when filled, gives every row of the file that theatre (as --set theatre=).
	theatre  *widget.Entry
	sheets   []*sheetEditor
	dayFirst *widget.RadioGroup
	importB  *widget.Button
	cancelB  *widget.Button
	hide     func()
}

// sheetEditor holds the widgets of one sheet in the preview.
type sheetEditor struct {
	plan     *importers.SheetPlan
	date1904 bool
	kind     *widget.Select
	mapping  []*widget.Select
	// fields maps, per column, the words its drop-down shows to the field they stand for.
	fields []map[string]importers.Field
	// perRow, when the importer offers it, counts each row as one death.
	perRow *widget.Check
	// suggest are the one-click suggestions of unmapped count columns.
	suggest []*widget.Button
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
	u.opened.preview = p
	tabs := container.NewAppTabs()
	for _, sp := range plan.Sheets {
		se := newSheetEditor(sp, plan.Date1904)
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
	p.theatre = widget.NewEntry()
	p.theatre.SetPlaceHolder("leave empty to keep the file's places")
	theatreRow := container.NewBorder(nil, nil, widget.NewLabel("Give every row the theatre:"), nil, p.theatre)
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
		container.NewVBox(intro, dateRow, theatreRow, note),
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
	theatre := ""
	if p.theatre != nil {
		theatre = strings.TrimSpace(p.theatre.Text)
	}
	for _, se := range p.sheets {
		if err := se.apply(order); err != nil {
			return err
		}
		if theatre != "" {
			if se.plan.Set == nil {
				se.plan.Set = map[importers.Field]string{}
			}
			se.plan.Set[importers.FieldTheatre] = theatre
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
	if se.perRow != nil {
		sp.PerRow = ""
		if se.perRow.Checked {
			sp.PerRow = data.MeasureKilled
		}
	}
	want := map[importers.Field]int{}
	for c, sel := range se.mapping {
		if f, ok := se.fields[c][sel.Selected]; ok && sel.Selected != ignoreColumn {
			want[f] = c
		}
	}
	// The fields to settle: the kind's, and the casualty categories mapped before or now.
	fields := importers.KnownFields(kind)
	var extra []importers.Field
	for f := range sp.Mapping {
		if importers.IsCasualtyCategory(f) {
			extra = append(extra, f)
		}
	}
	for f := range want {
		if importers.IsCasualtyCategory(f) && !slices.Contains(extra, f) {
			extra = append(extra, f)
		}
	}
	slices.Sort(extra)
	for _, f := range append(fields, extra...) {
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

func newSheetEditor(sp *importers.SheetPlan, date1904 bool) *sheetEditor {
	se := &sheetEditor{plan: sp, date1904: date1904}
	byCol := map[int]importers.Field{}
	for f, c := range sp.Mapping {
		byCol[c] = f
	}
	shown := kindOf(kindLabel(sp))
	se.fields = make([]map[string]importers.Field, len(sp.Headers))
	for i := range sp.Headers {
		opts, m := columnOptions(sp, shown, i)
		se.fields[i] = m
		sel := widget.NewSelect(opts, nil)
		if f, ok := byCol[i]; ok && shown != importers.KindIgnored {
			sel.SetSelected(importers.FieldLabel(f))
		} else {
			sel.SetSelected(ignoreColumn)
		}
		se.mapping = append(se.mapping, sel)
	}
	se.kind = widget.NewSelect(kindChoices, func(label string) {
		k := kindOf(label)
		for i, sel := range se.mapping {
			sel.Options, se.fields[i] = columnOptions(sp, k, i)
			if !containsString(sel.Options, sel.Selected) {
				sel.SetSelected(ignoreColumn)
			}
			sel.Refresh()
		}
	})
	se.kind.SetSelected(kindLabel(sp))
	if sp.PerRow != "" {
		se.perRow = widget.NewCheck("Count each row as one death: the rows are people and no column counts them", nil)
		se.perRow.SetChecked(true)
	}
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
	dateField := map[int]importers.Field{}
	for f, c := range sp.Mapping {
		if f == importers.FieldDate || f == importers.FieldDateEnd || f == importers.FieldAsOf {
			dateField[c] = f
		}
	}
	for r, row := range sp.Preview {
		if r >= previewRows {
			break
		}
		for i := 0; i < n; i++ {
			v := ""
			if i < len(row) {
				v = importers.DisplayValue(dateField[i], row[i], se.date1904)
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
	sheetNotes = append(sheetNotes, sp.Reading...)
	for _, nt := range sheetNotes {
		l := widget.NewLabelWithStyle("⚠ "+nt, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		l.Wrapping = fyne.TextWrapWord
		notes = append(notes, l)
	}
	if se.perRow != nil {
		notes = append(notes, se.perRow)
	}
	body := container.NewVBox(gridBox, se.columnsPanel())
	return container.NewBorder(container.NewVBox(notes...), nil, nil, nil, container.NewScroll(body))
}

func truncate(s string, n int) string {
	s = oneLineText(s)
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
