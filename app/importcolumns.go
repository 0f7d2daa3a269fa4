package app

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"sitrep/data"
	"sitrep/importers"
)

// columnOptions are the words a column's drop-down offers for a sheet of kind k: "Not
// imported", the kind's fields in words ("Killed, lowest"), the casualty categories mapped to
// this column, and, for incidents, adding this column to killed or injured as a category (so
// that several columns can count the dead: per side, per group). The map gives each label's
// field.
func columnOptions(sp *importers.SheetPlan, k data.Kind, col int) ([]string, map[string]importers.Field) {
	out := []string{ignoreColumn}
	m := map[string]importers.Field{}
	add := func(f importers.Field) {
		l := importers.FieldLabel(f)
		if _, dup := m[l]; dup || l == "" {
			return
		}
		m[l] = f
		out = append(out, l)
	}
	if k == importers.KindIgnored {
		return out, m
	}
	for _, f := range importers.KnownFields(k) {
		add(f)
	}
	if k == data.KindIncident {
		for f, c := range sp.Mapping {
			if c == col && importers.IsCasualtyCategory(f) {
				add(f)
			}
		}
		if h := strings.TrimSpace(sp.Header(col)); h != "" {
			add(importers.Field(data.MeasureKilled + "/" + oneLineText(h)))
			add(importers.Field(data.MeasureInjured + "/" + oneLineText(h)))
		}
	}
	return out, m
}

// columnsPanel lists every column as the importer reads it: its mapping in words, how sure
// the importer is, sample values (dates as dates), and a one-click suggestion for an unmapped
// column that looks like a casualty count.
func (se *sheetEditor) columnsPanel() fyne.CanvasObject {
	sp := se.plan
	if sp.Kind == importers.KindIgnored && sp.Skip {
		return container.NewVBox()
	}
	rows := []fyne.CanvasObject{widget.NewLabelWithStyle("Columns", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})}
	se.suggest = nil
	for _, ci := range sp.Columns(se.date1904) {
		mapping := "not imported (kept as an extra column)"
		if ci.Label != "" {
			mapping = ci.Label
		}
		text := fmt.Sprintf("%s  %s → %s; %s", ci.Letter, orWord(ci.Header, "(no header)"), mapping, ci.Confidence)
		if len(ci.Samples) > 0 {
			text += "; e.g. " + strings.Join(ci.Samples, ", ")
		}
		l := widget.NewLabel(truncate(text, 160))
		if ci.Suggest == "" || ci.Index >= len(se.mapping) {
			rows = append(rows, l)
			continue
		}
		ci := ci
		b := widget.NewButton(ci.Suggestion, nil)
		b.OnTapped = func() { se.accept(ci) }
		se.suggest = append(se.suggest, b)
		rows = append(rows, container.NewHBox(l, b))
	}
	return container.NewVBox(rows...)
}

// accept applies a suggestion: the column's drop-down takes the suggested field.
func (se *sheetEditor) accept(ci importers.ColumnInfo) {
	sel := se.mapping[ci.Index]
	l := importers.FieldLabel(ci.Suggest)
	if _, ok := se.fields[ci.Index][l]; !ok {
		se.fields[ci.Index][l] = ci.Suggest
		sel.Options = append(sel.Options, l)
	}
	sel.SetSelected(l)
}
