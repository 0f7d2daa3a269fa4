package importers

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"sitrep/data"
)

// realDataDir finds ../shared/data (the real-world files of the project), or skips.
func realDataDir(t *testing.T) string {
	t.Helper()
	for _, d := range []string{os.Getenv("SITREP_REAL_DATA"), "../../../shared/data", "../../shared/data", "/work/shared/data"} {
		if d == "" {
			continue
		}
		if st, err := os.Stat(filepath.Join(d, "README.md")); err == nil && !st.IsDir() {
			return d
		}
	}
	t.Skip("real-world test files (../shared/data) are absent: skipping the tests over them")
	return ""
}

// readAll reads every row of one sheet of an inspected file through its row source.
func readAll(t *testing.T, p *Plan, sheet string) map[int][]string {
	t.Helper()
	rows, err := p.src.rows(sheet)
	if err != nil {
		t.Fatalf("rows(%s): %v", sheet, err)
	}
	defer rows.Close()
	out := map[int][]string{}
	for rows.Next() {
		n, cells := rows.Row()
		out[n] = append([]string(nil), cells...)
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("reading %s: %v", sheet, err)
	}
	return out
}

type sheetWant struct {
	kind     data.Kind
	rows     int    // data rows read (-1: don't check)
	imported int    // records written at least
	note     string // substring of the note of an ignored sheet
}

func TestRealFiles(t *testing.T) {
	dir := realDataDir(t)
	refused := map[string]struct {
		err    error
		substr string
	}{
		"edgecases/calamine_date.ods":                     {ErrODS, "calamine_date.ods: OpenDocument spreadsheet (.ods); open it and save it as .xlsx or .csv"},
		"edgecases/calamine_date_biff8.xls":               {ErrLegacyExcel, "calamine_date_biff8.xls: legacy Excel 97-2003 format; open it in Excel and save it as .xlsx"},
		"edgecases/poi_1904_date_windowing.xls":           {ErrLegacyExcel, "poi_1904_date_windowing.xls: legacy Excel 97-2003 format"},
		"edgecases/calamine_too_small_not_ole.xls":        {ErrCorrupt, "calamine_too_small_not_ole.xls is truncated or corrupt (it is named .xls but holds plain text"},
		"edgecases/excelize_bad_workbook_no_sheets.xlsx":  {ErrEmpty, "excelize_bad_workbook_no_sheets.xlsx is empty (the workbook has no sheets)"},
		"edgecases/poi_encrypted_password_tika.xlsx":      {ErrPasswordRequired, "poi_encrypted_password_tika.xlsx is password-protected; pass --password"},
		"edgecases/poi_truncated_zip_no_central_dir.xlsx": {ErrCorrupt, "poi_truncated_zip_no_central_dir.xlsx is truncated or corrupt (not a complete zip archive"},
	}
	imported := map[string]map[string]sheetWant{
		"incidents/airwars_us_strikes_somalia.csv":      {"airwars_us_strikes_somalia": {data.KindIncident, 333, 333, ""}},
		"incidents/mother_jones_mass_shootings_raw.csv": {"mother_jones_mass_shootings_raw": {data.KindIncident, 151, 151, ""}},
		"incidents/tbij_drone_strikes_2010_2020.xlsx": {
			"Afghanistan":                     {data.KindIncident, 502, 502, ""},
			"Somalia":                         {data.KindIncident, 111, 111, ""},
			"Yemen":                           {data.KindIncident, 318, 317, ""},
			"Pakistan":                        {data.KindIncident, 430, 429, ""},
			"All":                             {data.KindIncident, 1696, 300, ""},
			"All_WithoutUnknown":              {KindIgnored, -1, 0, "no header row"},
			"Copy of Confirmed vs Unconfirme": {KindIgnored, -1, 0, "no header row"},
		},
		"statements/danish_politician_quotes_stance_utf16.csv": {"danish_politician_quotes_stance_utf16": {data.KindStatement, 1049, 1049, ""}},
		"statements/unsc_vetoes_1946_sept2022.csv":             {"unsc_vetoes_1946_sept2022": {data.KindStatement, 214, 214, ""}},
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*", "*"))
	sort.Strings(files)
	for _, path := range files {
		rel, _ := filepath.Rel(dir, path)
		rel = filepath.ToSlash(rel)
		if strings.HasSuffix(rel, ".md") {
			continue
		}
		t.Run(rel, func(t *testing.T) {
			plan, err := Inspect(path, Options{})
			if want, ok := refused[rel]; ok {
				if err == nil {
					plan.Close()
					t.Fatalf("accepted; want refused with %v", want.err)
				}
				if !errors.Is(err, want.err) || !strings.Contains(err.Error(), want.substr) {
					t.Fatalf("refused with %q, want %v containing %q", err, want.err, want.substr)
				}
				if strings.Contains(err.Error(), "zip: not a valid zip file") && want.err != ErrCorrupt {
					t.Errorf("excelize's zip error leaked into the message: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("refused: %v", err)
			}
			if _, ok := imported[rel]; !ok {
				// Edge cases from other readers' test suites hold no incidents: they are read
				// (see TestRealEdgeCaseCells), and nothing is imported from them.
				rep, err := Run(context.Background(), plan, &fakeSink{}, nil)
				plan.Close()
				if !errors.Is(err, ErrNothingToImport) || rep.Status != StatusFailed {
					t.Fatalf("Run = %v, status %s; want ErrNothingToImport", err, rep.Status)
				}
				return
			}
			plan.Close()
			rep, sink := importFile(t, path, Options{})
			if rep.Status != StatusImported {
				t.Fatalf("status %s: %s", rep.Status, rep.Error)
			}
			written := map[string]int{}
			for _, r := range sink.incidents {
				written[r.Provenance.Sheet]++
			}
			for _, r := range sink.statements {
				written[r.Provenance.Sheet]++
			}
			for name, want := range imported[rel] {
				sr := sheetReport(t, rep, name)
				if sr.Kind != string(want.kind) {
					t.Errorf("sheet %s: kind %s, want %s (%s)", name, sr.Kind, want.kind, sr.Note)
				}
				if want.rows >= 0 && sr.Rows != want.rows {
					t.Errorf("sheet %s: %d rows read, want %d", name, sr.Rows, want.rows)
				}
				key := name
				if plan.Format == FormatCSV {
					key = ""
				}
				if written[key] < want.imported {
					t.Errorf("sheet %s: %d records, want at least %d\n%s", name, written[key], want.imported, problemsText(sr))
				}
				if want.note != "" && !strings.Contains(sr.Note, want.note) {
					t.Errorf("sheet %s: note %q, want %q", name, sr.Note, want.note)
				}
			}
		})
	}
}

func inspectReal(t *testing.T, rel string, opts Options) *Plan {
	t.Helper()
	p, err := Inspect(filepath.Join(realDataDir(t), rel), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

// What the row source reads from the edge-case workbooks of other readers' test suites.
func TestRealEdgeCaseCells(t *testing.T) {
	t.Run("1904 date system", func(t *testing.T) {
		p := inspectReal(t, "edgecases/calamine_date_1904_libreoffice.xlsx", Options{})
		if !p.Date1904 {
			t.Fatal("1904 flag not read")
		}
		rows := readAll(t, p, "Sheet1")
		v, err := ParseDateCell(rows[1][0], DateOrderAuto, p.Date1904)
		if err != nil || v.Start != data.Day(2021, 1, 1) {
			t.Errorf("A1 %q = %v, %v; want 2021-01-01", rows[1][0], v.Start, err)
		}
	})
	t.Run("typed ISO date cells", func(t *testing.T) {
		p := inspectReal(t, "edgecases/calamine_date_iso_typed_d_cells.xlsx", Options{})
		var got []data.Date
		for _, cells := range readAll(t, p, p.Sheets[0].Name) {
			for _, c := range cells {
				if v, err := ParseDateCell(c, DateOrderAuto, false); err == nil && !v.Start.IsZero() {
					got = append(got, v.Start)
				}
			}
		}
		found := 0
		for _, d := range got {
			if d == data.Day(2021, 1, 1) {
				found++
			}
		}
		if found < 2 {
			t.Errorf("dates read: %v; want 2021-01-01 at least twice (date and date-time)", got)
		}
	})
	t.Run("error values", func(t *testing.T) {
		p := inspectReal(t, "edgecases/calamine_error_values.xlsx", Options{})
		errs := 0
		for _, cells := range readAll(t, p, "Feuil1") {
			for _, c := range cells {
				if isExcelError(c) {
					errs++
					if _, err := ParseCount(c); err == nil || !strings.Contains(err.Error(), "Excel error value") {
						t.Errorf("ParseCount(%q) = %v", c, err)
					}
				}
			}
		}
		if errs != 7 {
			t.Errorf("%d error values, want 7", errs)
		}
	})
	t.Run("shared formula cached values", func(t *testing.T) {
		p := inspectReal(t, "edgecases/calamine_shared_formula_cached_values.xlsx", Options{})
		rows := readAll(t, p, "Sheet1")
		for r, want := range map[int]string{1: "2", 2: "4", 3: "6"} {
			if len(rows[r]) < 2 || rows[r][1] != want {
				t.Errorf("B%d = %q, want %s", r, rows[r], want)
			}
		}
	})
	t.Run("x000D escape", func(t *testing.T) {
		p := inspectReal(t, "edgecases/calamine_x000D_escape.xlsx", Options{})
		found := false
		for _, cells := range readAll(t, p, "Sheet1") {
			for _, c := range cells {
				found = found || c == "ABC\r\nDEF"
			}
		}
		if !found {
			t.Error(`no cell reads "ABC\r\nDEF"`)
		}
	})
	t.Run("namespaced rich text", func(t *testing.T) {
		p := inspectReal(t, "edgecases/calamine_richtext_namespaced.xlsx", Options{})
		multi := 0
		for _, cells := range readAll(t, p, "Sheet1") {
			for _, c := range cells {
				if strings.Contains(c, "\n") {
					multi++
				}
			}
		}
		if multi < 2 {
			t.Errorf("%d cells with line breaks, want the inline and the shared string", multi)
		}
	})
	t.Run("16384 columns", func(t *testing.T) {
		p := inspectReal(t, "edgecases/poi_16384_columns_A1_XFD2.xlsx", Options{})
		rows := readAll(t, p, "Sheet1")
		if len(rows[1]) != 16384 || len(rows[2]) < 1 || rows[2][0] != "16384" {
			t.Errorf("row 1 has %d cells, A2 = %q", len(rows[1]), rows[2])
		}
	})
	t.Run("overflowing number", func(t *testing.T) {
		p := inspectReal(t, "edgecases/excelize_overflow_numeric_cell.xlsx", Options{})
		rows := readAll(t, p, "Sheet1")
		if rows[1][0] != "8595602512225" {
			t.Errorf("A1 = %q", rows[1][0])
		}
	})
	t.Run("inline and shared strings", func(t *testing.T) {
		p := inspectReal(t, "edgecases/poi_inline_and_shared_strings.xlsx", Options{})
		if rows := readAll(t, p, "Sheet1"); len(rows) != 7 {
			t.Errorf("%d rows, want a header and 6 data rows", len(rows))
		}
	})
	t.Run("merged ranges", func(t *testing.T) {
		p := inspectReal(t, "edgecases/calamine_merged_range.xlsx", Options{})
		src := p.src.(*xlsxSource)
		var info sheetInfo
		for _, si := range src.sheets() {
			if si.Name == "Sheet1" {
				info = si
			}
		}
		ranges, err := src.merges(info)
		if err != nil || len(ranges) != 9 {
			t.Errorf("Sheet1: %d merged ranges (%v), want 9", len(ranges), err)
		}
	})
	t.Run("macro workbook with empty sheets", func(t *testing.T) {
		p := inspectReal(t, "edgecases/calamine_vba_macro.xlsm", Options{})
		for _, s := range p.Sheets {
			if s.Note != "empty sheet" {
				t.Errorf("sheet %s: %q", s.Name, s.Note)
			}
		}
	})
	t.Run("Google Sheets export", func(t *testing.T) {
		p := inspectReal(t, "edgecases/calamine_google_sheets_export.xlsx", Options{})
		if rows := readAll(t, p, p.Sheets[0].Name); len(rows) != 3 || rows[1][0] != "label" {
			t.Errorf("rows = %v", rows)
		}
	})
	t.Run("hidden sheet", func(t *testing.T) {
		p := inspectReal(t, "edgecases/poi_hidden_sheet.xlsx", Options{})
		if s := p.Sheet("Sheet1"); !s.Hidden || !s.Skip {
			t.Errorf("Sheet1 = %+v", s)
		}
		if s := p.Sheet("Sheet2"); s.Hidden || s.Skip {
			t.Errorf("Sheet2 = %+v", s)
		}
	})
	t.Run("encrypted with the password", func(t *testing.T) {
		p := inspectReal(t, "edgecases/poi_encrypted_password_tika.xlsx", Options{Password: "tika"})
		if len(p.Sheets) != 3 {
			t.Errorf("%d sheets, want 3", len(p.Sheets))
		}
		_, err := Inspect(filepath.Join(realDataDir(t), "edgecases/poi_encrypted_password_tika.xlsx"), Options{Password: "nope"})
		if !errors.Is(err, ErrWrongPassword) {
			t.Errorf("wrong password: %v", err)
		}
	})
}

// What the importer makes of the real incident and statement files.
func TestRealRecords(t *testing.T) {
	dir := realDataDir(t)
	t.Run("airwars: d-Mon-yy dates and en-dash ranges", func(t *testing.T) {
		_, sink := importFile(t, filepath.Join(dir, "incidents/airwars_us_strikes_somalia.csv"), Options{})
		ranges, crossMonth := 0, false
		for _, r := range sink.incidents {
			if !r.DateEnd.IsZero() {
				ranges++
				if r.Date.Month != r.DateEnd.Month {
					crossMonth = true
				}
			}
		}
		if ranges < 3 || !crossMonth {
			t.Errorf("%d ranges, cross-month %v", ranges, crossMonth)
		}
		first := sink.incident(t, "airwars_us_strikes_somalia:1")
		if first.Date != data.Day(2022, 8, 9) || first.Extra["DPH claim?"] != "Maybe" {
			t.Errorf("row 1 = %+v", first)
		}
	})
	t.Run("mother jones: two-digit years, dashes as unknown, duplicate header", func(t *testing.T) {
		_, sink := importFile(t, filepath.Join(dir, "incidents/mother_jones_mass_shootings_raw.csv"), Options{})
		min, max := sink.incidents[0].Date, sink.incidents[0].Date
		venues := 0
		for _, r := range sink.incidents {
			if r.Extra["location (column H)"] != "" {
				venues++
			}
			if r.Date.Before(min) {
				min = r.Date
			}
			if max.Before(r.Date) {
				max = r.Date
			}
		}
		if venues != len(sink.incidents) {
			t.Errorf("the second location column is kept for %d of %d records", venues, len(sink.incidents))
		}
		if min.Year != 1982 || max.Year != 2024 {
			t.Errorf("dates run %v to %v, want 1982 to 2024", min, max)
		}
	})
	t.Run("tbij: month-first by the label, and 14-09-2018 a problem", func(t *testing.T) {
		rep, sink := importFile(t, filepath.Join(dir, "incidents/tbij_drone_strikes_2010_2020.xlsx"), Options{Sheets: []string{"All"}})
		sr := sheetReport(t, rep, "All")
		if !strings.Contains(problemsText(sr), `"14-09-2018": month 14 does not exist (the column reads month-first: from the header "Date (MM-DD-YYYY)")`) {
			t.Errorf("14-09-2018 not reported:\n%.2000s", problemsText(sr))
		}
		r := sink.incident(t, "AFG002")
		if r.Date != data.Day(2015, 1, 3) || r.Country != "Afghanistan" || r.Killed != data.Exactly(18) || !r.HasCoords {
			t.Errorf("AFG002 = %+v", r)
		}
	})
	t.Run("danish quotes: UTF-16, semicolons, month-first", func(t *testing.T) {
		_, sink := importFile(t, filepath.Join(dir, "statements/danish_politician_quotes_stance_utf16.csv"), Options{})
		s := sink.statements[0]
		if s.Speaker != "Jakob Sølvhøj" || s.Actor != "Alternativet" || s.Date != data.Day(2018, 8, 29) || s.Topic != "integration" {
			t.Errorf("first quote = %+v", s)
		}
	})
}
