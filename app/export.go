package app

import (
	"context"
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

// DataExporter writes the records of kinds that f selects from src: format "xlsx" (one sheet
// per kind) or "csv" (exactly one kind), and returns how many records of each kind it wrote.
// importers.ExportRecords is the real one, so the files are those `sitrep export` writes (and
// that an import reads back).
type DataExporter func(ctx context.Context, src importers.RecordSource, format string, kinds []data.Kind, f data.Filter, w io.Writer) (map[data.Kind]int, error)

// Export formats offered by File > Export data….
const (
	exportXLSX = "xlsx"
	exportCSV  = "csv"
)

const prefExportFormat = "export.format"

// exportChooser is the File > Export data… dialog: the format (a workbook of every kind, or
// a CSV of the current screen's kind), the filters that apply, and a button to the save
// dialog.
type exportChooser struct {
	format *widget.RadioGroup
	labels map[string]string
	save   *widget.Button
	hide   func()
}

// exportData asks for the format, then where to save, then writes the records the current
// filters (and the current screen's search) select.
func (u *UI) exportData() {
	kind := data.KindIncident
	f := u.incidents.currentFilter()
	if u.Current() == ScreenStatements {
		kind = data.KindStatement
		f = u.statements.currentFilter()
	}
	what := "the incidents"
	if kind == data.KindStatement {
		what = "the statements"
	}
	c := &exportChooser{labels: map[string]string{
		exportXLSX: "Excel workbook (.xlsx): incidents, statements and tallies, one sheet each",
		exportCSV:  "CSV file (.csv): " + what + " only (a CSV file holds one kind of record)",
	}}
	c.format = widget.NewRadioGroup([]string{c.labels[exportXLSX], c.labels[exportCSV]}, nil)
	c.format.Required = true
	choice := u.app.Preferences().StringWithFallback(prefExportFormat, exportXLSX)
	c.format.SetSelected(c.labels[choice])
	desc := f.Describe()
	if desc == "" {
		desc = "none: every record is exported"
	}
	filters := widget.NewLabel("Filters applied: " + desc + ".\nChange them on the Incidents, Statements or Charts screen before exporting.")
	filters.Wrapping = fyne.TextWrapWord
	c.save = widget.NewButtonWithIcon("Choose where to save…", theme.DocumentSaveIcon(), func() {
		format := exportXLSX
		if c.format.Selected == c.labels[exportCSV] {
			format = exportCSV
		}
		u.app.Preferences().SetString(prefExportFormat, format)
		if c.hide != nil {
			c.hide()
		}
		u.exportTo(format, kind, f)
	})
	c.save.Importance = widget.HighImportance
	content := container.NewVBox(widget.NewLabel("Format"), c.format, filters, container.NewHBox(layoutSpacer(), c.save))
	u.opened.exporter = c
	c.hide = u.dlg.Custom("Export data", "Cancel", container.NewGridWrap(fyne.NewSize(620, content.MinSize().Height), content))
}

// exportTo asks where to save and writes the file in the background.
func (u *UI) exportTo(format string, kind data.Kind, f data.Filter) {
	kinds := []data.Kind{kind}
	name := "sitrep-" + string(kind) + "." + format
	if format == exportXLSX {
		kinds = []data.Kind{data.KindIncident, data.KindStatement, data.KindTally}
		name = "sitrep-data.xlsx"
	}
	export := u.opts.Export
	if export == nil {
		export = importers.ExportRecords
	}
	src := u.store // read on the UI goroutine, which alone switches stores
	u.dlg.SaveFile(prefExportDir, name, func(w io.WriteCloser, path string) {
		u.runWithProgress("Exporting", "Writing "+filepath.Base(path)+"…", func(ctx context.Context, progress func(float64, string)) (string, error) {
			defer w.Close()
			counts, err := export(ctx, src, format, kinds, f, w)
			if err != nil {
				return "", err
			}
			var parts []string
			for _, k := range kinds {
				parts = append(parts, fmt.Sprintf("%s %s", thousands(counts[k]), kindNoun(k, counts[k])))
			}
			msg := "Exported " + strings.Join(parts, ", ")
			if d := f.Describe(); d != "" {
				msg += " (" + d + ")"
			}
			return msg + " to\n" + path, nil
		})
	})
}

// kindNoun names n records of kind k: "1 incident", "2 incidents".
func kindNoun(k data.Kind, n int) string {
	if n != 1 {
		return string(k)
	}
	return map[data.Kind]string{data.KindIncident: "incident", data.KindStatement: "statement", data.KindTally: "tally"}[k]
}
