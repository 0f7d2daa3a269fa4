package importers

import (
	"errors"
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"

	"sitrep/data"
)

// Theatres are the theatres the template offers in its drop-downs; other names may be typed.
var Theatres = []string{"Caribbean", "Eastern Pacific"}

// SheetReadMe is the template's instructions sheet. It has no record headers, so the importer
// ignores it.
const SheetReadMe = "Read me"

// listsSheet holds drop-down values too long for an inline list (Excel caps those at 255
// characters). It is hidden.
const listsSheet = "Lists"

// templateRows is how far down the drop-downs and date formats reach.
const templateRows = 5000

// templateColumn documents one column of the template.
type templateColumn struct {
	header  string
	typ     ColumnType
	width   float64
	meaning string
	example string
}

var templateSheets = []struct {
	name    string
	about   string
	columns []templateColumn
}{
	{SheetIncidents, "One row per strike or event.", []templateColumn{
		{"id", Text, 14, "Your identifier for the incident; keep it stable so re-imports update the row instead of adding one.", "US-2025-01"},
		{"date", DateColumn, 12, "Day of the incident (YYYY-MM-DD); 2025-09 or 2025 when only the month or year is known.", "2025-09-02"},
		{"theatre", Text, 16, "Pick from the list or type another.", "Caribbean"},
		{"location", Text, 36, "Where, in words.", "International waters off Venezuela"},
		{"actor", Text, 16, "Who struck.", "United States"},
		{"target", Text, 16, "What was struck.", "Speedboat"},
		{"vessels", Number, 9, "Number of vessels hit; blank if not reported.", "1"},
		{"alleged_affiliation", Text, 20, "Who the target was said to belong to.", "Tren de Aragua"},
		{"killed_min", Number, 11, "Lowest reported death toll. Blank means unknown, which is not 0.", "11"},
		{"killed_max", Number, 11, "Highest reported toll; the same as killed_min for one figure, blank for \"at least\".", "11"},
		{"survivors", Number, 10, "Survivors; blank means unknown.", "0"},
		{"announced_by", Text, 22, "Who announced it.", "President (Truth Social)"},
		{"confidence", Text, 16, "official claim, corroborated or disputed.", data.ConfidenceOfficial},
		{"source", Text, 36, "Where the figures come from.", "Press reports of the announcement"},
		{"notes", Text, 36, "Anything else.", ""},
	}},
	{SheetStatements, "One row per official statement.", []templateColumn{
		{"id", Text, 12, "Your identifier for the statement.", "ST-01"},
		{"date", DateColumn, 12, "Day of the statement (YYYY-MM-DD, or YYYY-MM, YYYY).", "2025-10-31"},
		{"actor", Text, 18, "Government or organisation (required).", "United Nations"},
		{"speaker", Text, 18, "Who spoke.", "Volker Turk"},
		{"role", Text, 22, "The speaker's role.", "High Commissioner for Human Rights"},
		{"topic", Text, 22, "What the statement is about; positions are compared per topic.", "Legality of the strikes"},
		{"stance", Text, 16, "Pick from the list (the stance vocabulary); other words are kept and reported.", "condemns"},
		{"quote", Text, 48, "The words, or a paraphrase (say which in notes).", "Called the strikes \"unacceptable\"."},
		{"channel", Text, 16, "Where it was said.", "Press statement"},
		{"source", Text, 30, "Where you read it.", "UN press release"},
		{"notes", Text, 30, "Anything else.", ""},
	}},
	{SheetTallies, "One row per running total someone published; they may disagree.", []templateColumn{
		{"id", Text, 10, "Your identifier for the tally.", "T-01"},
		{"as_of", DateColumn, 12, "Date the total refers to (YYYY-MM-DD).", "2025-11-06"},
		{"claimant", Text, 22, "Who published the total.", "Just Security"},
		{"scope", Text, 16, "A theatre, or All theatres.", data.ScopeAll},
		{"strikes_min", Number, 11, "Lowest number of strikes claimed; blank means unknown.", "16"},
		{"strikes_max", Number, 11, "Highest number; blank for \"at least\".", "16"},
		{"killed_min", Number, 11, "Lowest death toll claimed (\"more than 70\" is 71).", "67"},
		{"killed_max", Number, 11, "Highest toll; blank for \"at least\".", "67"},
		{"survivors", Number, 10, "Survivors; blank means unknown.", "2"},
		{"source", Text, 30, "Where the total was published.", "Just Security timeline"},
		{"notes", Text, 30, "Anything else.", ""},
	}},
}

// dropDown is one drop-down of the template.
type dropDown struct {
	sheet, header string
	values        []string
	// strict drop-downs warn on other values (the user may still keep them); free ones accept
	// anything silently.
	strict       bool
	title, input string
}

// WriteTemplate writes an empty workbook for data entry to w: Incidents, Statements and Tallies
// sheets with the canonical headers, a styled and frozen header row, column widths, date
// formats on the date columns, drop-downs for theatre (free entry allowed), confidence and
// stance (the words of vocab), and a "Read me" sheet that explains every column.
func WriteTemplate(w io.Writer, vocab data.Vocabulary) error {
	if len(vocab) == 0 {
		vocab = data.DefaultVocabulary()
	}
	stances := make([]string, len(vocab))
	for i, d := range vocab {
		stances[i] = d.Word
	}
	drops := []dropDown{
		{SheetIncidents, "theatre", Theatres, false, "Theatre", "Pick one, or type another theatre."},
		{SheetIncidents, "confidence", data.Confidences, true, "Confidence", "How far the figures are confirmed."},
		{SheetStatements, "stance", stances, true, "Stance", "The stance vocabulary; other words are kept and reported on import."},
		{SheetTallies, "scope", append([]string{data.ScopeAll}, Theatres...), false, "Scope", "All theatres, or one theatre (type another if needed)."},
	}

	f := excelize.NewFile()
	defer f.Close()
	styles, err := newStyles(f)
	if err != nil {
		return err
	}
	wrap, err := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return err
	}
	title, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}})
	if err != nil {
		return err
	}
	for i, s := range templateSheets {
		if i == 0 {
			err = f.SetSheetName(f.GetSheetName(0), s.name)
		} else {
			_, err = f.NewSheet(s.name)
		}
		if err != nil {
			return err
		}
		for j, c := range s.columns {
			col := columnLetter(j)
			if err := f.SetColWidth(s.name, col, col, c.width); err != nil {
				return err
			}
			if c.typ == DateColumn {
				ref := fmt.Sprintf("%s2:%s%d", col, col, templateRows+1)
				if err := f.SetCellStyle(s.name, col+"2", fmt.Sprintf("%s%d", col, templateRows+1), styles.date); err != nil {
					return err
				}
				dv := excelize.NewDataValidation(true)
				dv.Sqref = ref
				dv.SetInput("Date", "YYYY-MM-DD. Type 2025-09 or 2025 when only the month or year is known.")
				if err := f.AddDataValidation(s.name, dv); err != nil {
					return err
				}
			}
			if err := f.SetCellValue(s.name, col+"1", c.header); err != nil {
				return err
			}
		}
		last := columnLetter(len(s.columns) - 1)
		if err := f.SetCellStyle(s.name, "A1", last+"1", styles.header); err != nil {
			return err
		}
		if err := f.SetRowHeight(s.name, 1, 20); err != nil {
			return err
		}
		if err := f.SetPanes(s.name, &frozenHeader); err != nil {
			return err
		}
	}
	for _, d := range drops {
		if err := addDropDown(f, d); err != nil {
			return fmt.Errorf("drop-down for %s %s: %w", d.sheet, d.header, err)
		}
	}
	if err := writeReadMe(f, wrap, title, styles.header); err != nil {
		return err
	}
	f.SetActiveSheet(0)
	return f.Write(w)
}

// addDropDown adds a list validation on the column headed d.header, below the header.
func addDropDown(f *excelize.File, d dropDown) error {
	col := -1
	for _, s := range templateSheets {
		if s.name != d.sheet {
			continue
		}
		for j, c := range s.columns {
			if c.header == d.header {
				col = j
			}
		}
	}
	if col < 0 {
		return errors.New("no such column")
	}
	name := columnLetter(col)
	dv := excelize.NewDataValidation(true)
	dv.Sqref = fmt.Sprintf("%s2:%s%d", name, name, templateRows+1)
	if err := dv.SetDropList(d.values); err != nil {
		// Too long for an inline list: put the values on the hidden lists sheet.
		ref, err := listRange(f, d.values)
		if err != nil {
			return err
		}
		dv.SetSqrefDropList(ref)
	}
	dv.SetInput(d.title, d.input)
	if d.strict {
		dv.SetError(excelize.DataValidationErrorStyleWarning, d.title,
			"Not one of the listed words. Keep it anyway? Sitrep keeps it as written and reports it on import.")
	} else {
		// No alert (showErrorMessage defaults to false), and should an application alert
		// anyway, an information alert lets the typed value stand.
		info := "information"
		dv.ErrorStyle = &info
	}
	return f.AddDataValidation(d.sheet, dv)
}

// listRange writes values into a new column of the hidden lists sheet and returns an absolute
// reference to them.
func listRange(f *excelize.File, values []string) (string, error) {
	idx, err := f.GetSheetIndex(listsSheet)
	if err != nil {
		return "", err
	}
	if idx < 0 {
		if _, err := f.NewSheet(listsSheet); err != nil {
			return "", err
		}
		if err := f.SetSheetVisible(listsSheet, false); err != nil {
			return "", err
		}
	}
	cols, err := f.GetCols(listsSheet)
	if err != nil {
		return "", err
	}
	col := columnLetter(len(cols))
	for i, v := range values {
		if err := f.SetCellValue(listsSheet, fmt.Sprintf("%s%d", col, i+1), v); err != nil {
			return "", err
		}
	}
	return fmt.Sprintf("'%s'!$%s$1:$%s$%d", listsSheet, col, col, len(values)), nil
}

// writeReadMe writes the instructions sheet: how to use the template, then one row per column
// of every sheet with its meaning and an example.
func writeReadMe(f *excelize.File, wrap, title, header int) error {
	const s = SheetReadMe
	if _, err := f.NewSheet(s); err != nil {
		return err
	}
	lines := []string{
		"How to fill in this workbook",
		"Enter one record per row on the Incidents, Statements and Tallies sheets, then import the file with Sitrep (drop it on the window, or: sitrep import FILE.xlsx).",
		"Keep the header row as it is. Leave a cell blank when a figure is unknown: blank is not 0. For a range, put the lowest figure in _min and the highest in _max; for \"at least 10\", put 10 in _min and leave _max blank.",
		"Dates are real dates (YYYY-MM-DD). When only the month or the year is known, type 2025-09 or 2025.",
		"Drop-downs offer the usual values; theatre and scope accept any other name you type.",
		"This sheet is ignored on import.",
	}
	for i, l := range lines {
		if err := f.SetCellValue(s, fmt.Sprintf("A%d", i+1), l); err != nil {
			return err
		}
		if i > 0 {
			if err := f.MergeCell(s, fmt.Sprintf("A%d", i+1), fmt.Sprintf("D%d", i+1)); err != nil {
				return err
			}
			if err := f.SetCellStyle(s, fmt.Sprintf("A%d", i+1), fmt.Sprintf("A%d", i+1), wrap); err != nil {
				return err
			}
			if err := f.SetRowHeight(s, i+1, 32); err != nil {
				return err
			}
		}
	}
	if err := f.SetCellStyle(s, "A1", "A1", title); err != nil {
		return err
	}
	r := len(lines) + 2
	if err := f.SetSheetRow(s, fmt.Sprintf("A%d", r), &[]any{"Sheet", "Column", "What to write", "Example"}); err != nil {
		return err
	}
	if err := f.SetCellStyle(s, fmt.Sprintf("A%d", r), fmt.Sprintf("D%d", r), header); err != nil {
		return err
	}
	for _, sh := range templateSheets {
		r++
		if err := f.SetSheetRow(s, fmt.Sprintf("A%d", r), &[]any{sh.name, "", sh.about}); err != nil {
			return err
		}
		for _, c := range sh.columns {
			r++
			if err := f.SetSheetRow(s, fmt.Sprintf("A%d", r), &[]any{sh.name, c.header, c.meaning, c.example}); err != nil {
				return err
			}
		}
	}
	if err := f.SetCellStyle(s, fmt.Sprintf("C%d", len(lines)+3), fmt.Sprintf("C%d", r), wrap); err != nil {
		return err
	}
	for col, w := range map[string]float64{"A": 14, "B": 20, "C": 70, "D": 34} {
		if err := f.SetColWidth(s, col, col, w); err != nil {
			return err
		}
	}
	return nil
}

// templateHeaders returns the header row of a template sheet (for tests and callers that
// check a workbook against the template).
func templateHeaders(sheet string) []string {
	for _, s := range templateSheets {
		if s.name == sheet {
			hs := make([]string, len(s.columns))
			for i, c := range s.columns {
				hs[i] = c.header
			}
			return hs
		}
	}
	return nil
}
