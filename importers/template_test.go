package importers

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"sitrep/data"
)

func writeTemplate(t *testing.T, v data.Vocabulary) *excelize.File {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteTemplate(&buf, v); err != nil {
		t.Fatalf("WriteTemplate: %v", err)
	}
	return readBackXLSX(t, buf.Bytes())
}

// validationFor returns the validation whose range starts at the column headed header.
func validationFor(t *testing.T, f *excelize.File, sheet, header string) *excelize.DataValidation {
	t.Helper()
	hs := templateHeaders(sheet)
	col := -1
	for i, h := range hs {
		if h == header {
			col = i
		}
	}
	if col < 0 {
		t.Fatalf("%s has no column %s", sheet, header)
	}
	want := fmt.Sprintf("%s2:%s%d", columnLetter(col), columnLetter(col), templateRows+1)
	dvs, err := f.GetDataValidations(sheet)
	if err != nil {
		t.Fatal(err)
	}
	for _, dv := range dvs {
		if dv.Sqref == want {
			return dv
		}
	}
	t.Fatalf("%s: no validation on %s (%s)", sheet, want, header)
	return nil
}

func TestTemplateSheetsAndHeaders(t *testing.T) {
	f := writeTemplate(t, nil)
	sheets := f.GetSheetList()
	if strings.Join(sheets, ",") != "Incidents,Statements,Tallies,Read me" {
		t.Fatalf("sheets = %v", sheets)
	}
	if f.GetActiveSheetIndex() != 0 {
		t.Errorf("active sheet %d, want Incidents", f.GetActiveSheetIndex())
	}
	for _, tt := range []struct {
		sheet string
		want  []string
		date  string // column of the date
	}{
		{SheetIncidents, IncidentHeaders, "B"},
		{SheetStatements, StatementHeaders, "B"},
		{SheetTallies, TallyHeaders, "B"},
	} {
		rows, err := f.GetRows(tt.sheet)
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 1 || strings.Join(rows[0], ",") != strings.Join(tt.want, ",") {
			t.Errorf("%s rows = %v, want only the header %v", tt.sheet, rows, tt.want)
		}
		p, err := f.GetPanes(tt.sheet)
		if err != nil || !p.Freeze || p.YSplit != 1 || p.TopLeftCell != "A2" {
			t.Errorf("%s panes = %+v (%v), want a frozen header row", tt.sheet, p, err)
		}
		sid, _ := f.GetCellStyle(tt.sheet, "A1")
		if st, err := f.GetStyle(sid); err != nil || st.Font == nil || !st.Font.Bold {
			t.Errorf("%s header not bold: %+v %v", tt.sheet, st, err)
		}
		for _, cell := range []string{tt.date + "2", fmt.Sprintf("%s%d", tt.date, templateRows+1)} {
			sid, _ := f.GetCellStyle(tt.sheet, cell)
			st, err := f.GetStyle(sid)
			if err != nil || st.CustomNumFmt == nil || *st.CustomNumFmt != DateFormat {
				t.Errorf("%s!%s: number format %v (%v), want %q", tt.sheet, cell, st.CustomNumFmt, err, DateFormat)
			}
		}
		if w, _ := f.GetColWidth(tt.sheet, "A"); w < 9 {
			t.Errorf("%s column A width %v: want set", tt.sheet, w)
		}
	}
	// A date typed into the template shows as a date.
	if err := f.SetCellValue(SheetIncidents, "B2", data.MustDate("2025-09-02").Time()); err != nil {
		t.Fatal(err)
	}
	if v, _ := f.GetCellValue(SheetIncidents, "B2", excelize.Options{}); v != "2025-09-02" {
		t.Errorf("date typed in B2 shows %q, want 2025-09-02", v)
	}
}

func TestTemplateDropDowns(t *testing.T) {
	f := writeTemplate(t, nil)
	var words []string
	for _, d := range data.DefaultVocabulary() {
		words = append(words, d.Word)
	}
	tests := []struct {
		sheet, header string
		values        []string
		strict        bool
	}{
		{SheetIncidents, "theatre", []string{"Caribbean", "Eastern Pacific"}, false},
		{SheetIncidents, "confidence", data.Confidences, true},
		{SheetStatements, "stance", words, true},
		{SheetTallies, "scope", []string{data.ScopeAll, "Caribbean", "Eastern Pacific"}, false},
	}
	for _, tt := range tests {
		dv := validationFor(t, f, tt.sheet, tt.header)
		if dv.Type != "list" {
			t.Errorf("%s %s: type %q, want list", tt.sheet, tt.header, dv.Type)
		}
		want := `"` + strings.Join(tt.values, ",") + `"`
		if dv.Formula1 != want {
			t.Errorf("%s %s: list %s, want %s", tt.sheet, tt.header, dv.Formula1, want)
		}
		// Free entry: no error alert at all, or a warning the user can dismiss; never "stop".
		if tt.strict {
			if !dv.ShowErrorMessage || dv.ErrorStyle == nil || *dv.ErrorStyle != "warning" {
				t.Errorf("%s %s: want a warning on other values", tt.sheet, tt.header)
			}
		} else if dv.ShowErrorMessage || dv.ErrorStyle == nil || *dv.ErrorStyle != "information" {
			t.Errorf("%s %s: other values must be accepted (no alert, information style)", tt.sheet, tt.header)
		}
		if !dv.ShowInputMessage || dv.Prompt == nil || *dv.Prompt == "" {
			t.Errorf("%s %s: want an input message", tt.sheet, tt.header)
		}
	}
}

func TestTemplateLongVocabularyUsesListsSheet(t *testing.T) {
	var v data.Vocabulary
	for i := range 30 {
		v = append(v, data.StanceDef{Word: fmt.Sprintf("a rather long stance word number %d", i), Color: "#000000"})
	}
	f := writeTemplate(t, v)
	dv := validationFor(t, f, SheetStatements, "stance")
	if dv.Formula1 != "'Lists'!$A$1:$A$30" {
		t.Fatalf("stance list = %s, want a reference to the lists sheet", dv.Formula1)
	}
	if vis, err := f.GetSheetVisible(listsSheet); err != nil || vis {
		t.Errorf("lists sheet visible=%v (%v), want hidden", vis, err)
	}
	got, err := f.GetCellValue(listsSheet, "A30")
	if err != nil || got != v[29].Word {
		t.Errorf("Lists!A30 = %q (%v), want %q", got, err, v[29].Word)
	}
}

func TestTemplateReadMeExplainsEveryColumn(t *testing.T) {
	f := writeTemplate(t, nil)
	rows, err := f.GetRows(SheetReadMe)
	if err != nil {
		t.Fatal(err)
	}
	documented := map[string]bool{}
	for _, r := range rows {
		if len(r) >= 3 && r[1] != "" && r[2] != "" {
			documented[r[0]+"/"+r[1]] = true
		}
	}
	for sheet, hs := range map[string][]string{SheetIncidents: IncidentHeaders,
		SheetStatements: StatementHeaders, SheetTallies: TallyHeaders} {
		for _, h := range hs {
			if !documented[sheet+"/"+h] {
				t.Errorf("Read me does not explain %s %s", sheet, h)
			}
		}
	}
}
