package app

import (
	"encoding/csv"
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"sitrep/importers"
)

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
			line += auditRules(s)
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
	u.opened.audit = a
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

// auditRules says what the audit always says of an imported sheet: the mapping, the casualty
// rule, the date rule, what the columns' content decided, the codebook codes read as unknown
// and the columns not imported.
func auditRules(s *importers.SheetReport) string {
	var b strings.Builder
	if len(s.Mapping) > 0 {
		fields := make([]string, 0, len(s.Mapping))
		for f := range s.Mapping {
			fields = append(fields, f)
		}
		sort.Strings(fields)
		parts := make([]string, len(fields))
		for i, f := range fields {
			parts[i] = fmt.Sprintf("%s ← %s", importers.FieldLabel(importers.Field(f)), s.Mapping[f])
		}
		b.WriteString("\n  Columns: " + strings.Join(parts, "; "))
	}
	if s.CasualtyRule != "" {
		b.WriteString("\n  Casualties: " + s.CasualtyRule)
	}
	if s.DateRule != "" {
		b.WriteString("\n  Dates: " + s.DateRule)
	}
	for _, r := range s.Reading {
		b.WriteString("\n  Read: " + r)
	}
	for _, u := range s.UnknownCodes {
		b.WriteString("\n  Unknown: " + u)
	}
	if len(s.Ignored) > 0 {
		b.WriteString("\n  Not imported (kept as extra columns): " + strings.Join(s.Ignored, ", "))
	}
	return b.String()
}
