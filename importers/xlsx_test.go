package importers

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"sitrep/data"
)

var incHeader = []any{"id", "date", "location", "killed_min", "killed_max"}

func TestXLSXQuirks(t *testing.T) {
	tests := []struct {
		name   string
		sheets []sheet
		edit   func(f *excelize.File)
		opts   Options
		check  func(t *testing.T, rep *FileReport, s *fakeSink)
	}{
		{
			name: "header below title rows, ragged and blank rows",
			sheets: []sheet{{"Strikes", [][]any{
				{"US strikes on boats"},
				{"Compiled from press reports"},
				{},
				{"ID", "Date", "Location", "Deaths", "Notes"},
				{"A", "2025-09-02", "Sea", 11},
				{},
				{"B", "2025-09-15"},
				{"C", "2025-09-19", "Caribbean", "3", "third"},
			}}},
			check: func(t *testing.T, rep *FileReport, s *fakeSink) {
				sr := sheetReport(t, rep, "Strikes")
				if sr.HeaderRow != 4 || sr.Rows != 3 || len(s.incidents) != 3 {
					t.Fatalf("header row %d, rows %d, incidents %d:\n%s", sr.HeaderRow, sr.Rows, len(s.incidents), problemsText(sr))
				}
				if a := s.incident(t, "A"); a.Killed != data.Exactly(11) || a.Provenance.Row != 5 || a.Provenance.Sheet != "Strikes" {
					t.Errorf("A = %+v", a)
				}
				if b := s.incident(t, "B"); b.Killed.Known() || b.Location != "" {
					t.Errorf("B (ragged) = %+v", b)
				}
				if c := s.incident(t, "C"); c.Notes != "third" {
					t.Errorf("C notes = %q", c.Notes)
				}
			},
		},
		{
			name: "merged date cells fill the rows they cover",
			sheets: []sheet{{"S", [][]any{
				incHeader,
				{"A", "2025-10-03", "Sea", 2, 2},
				{"B", nil, "Sea", 3, 3},
				{"C", nil, "Bay", 1, 1},
				{"D", "2025-10-14", "Bay", 6, 6},
			}}},
			edit: func(f *excelize.File) {
				if err := f.MergeCell("S", "B2", "B4"); err != nil {
					panic(err)
				}
			},
			check: func(t *testing.T, rep *FileReport, s *fakeSink) {
				for _, id := range []string{"A", "B", "C"} {
					if d := s.incident(t, id).Date; d != data.Day(2025, 10, 3) {
						t.Errorf("%s date = %v, want 2025-10-03 from the merged cell", id, d)
					}
				}
				if d := s.incident(t, "D").Date; d != data.Day(2025, 10, 14) {
					t.Errorf("D date = %v", d)
				}
			},
		},
		{
			name: "date cells as serials, and the 1904 flag",
			sheets: []sheet{{"S", [][]any{
				incHeader,
				{"A", 42735, "x"},
			}}},
			edit: func(f *excelize.File) {
				yes := true
				if err := f.SetWorkbookProps(&excelize.WorkbookPropsOptions{Date1904: &yes}); err != nil {
					panic(err)
				}
			},
			check: func(t *testing.T, rep *FileReport, s *fakeSink) {
				if d := s.incident(t, "A").Date; d != data.Day(2021, 1, 1) {
					t.Errorf("serial 42735 in a 1904 workbook = %v, want 2021-01-01", d)
				}
			},
		},
		{
			name: "date cells in a 1900 workbook, and numbers stored as text",
			sheets: []sheet{{"S", [][]any{
				incHeader,
				{"B", time.Date(2021, 3, 4, 0, 0, 0, 0, time.UTC), "y", " 1,204 ", "1204.0"},
				{"C", "44197", "y", 2, 3},
			}}},
			check: func(t *testing.T, rep *FileReport, s *fakeSink) {
				if b := s.incident(t, "B"); b.Date != data.Day(2021, 3, 4) || b.Killed != data.Exactly(1204) {
					t.Errorf("B = %v, %v; want 2021-03-04 and 1204", b.Date, b.Killed)
				}
				if d := s.incident(t, "C").Date; d != data.Day(2021, 1, 1) {
					t.Errorf("serial stored as text = %v, want 2021-01-01", d)
				}
			},
		},
		{
			name: "formulas keep their cached values; error values are problems",
			sheets: []sheet{{"S", [][]any{
				incHeader,
				{"A", "2025-09-02", "x", 3, 5},
				{"B", "2025-09-03", "y", "#N/A", 1},
				{"C", "#DIV/0!", "z", 1, 1},
			}}},
			edit: func(f *excelize.File) {
				// E2 = D2+2 with its cached value 5 (set before the formula).
				if err := f.SetCellFormula("S", "E2", "D2+2"); err != nil {
					panic(err)
				}
			},
			check: func(t *testing.T, rep *FileReport, s *fakeSink) {
				if a := s.incident(t, "A"); a.Killed != data.Between(3, 5) {
					t.Errorf("A killed = %v, want 3–5 from the formula's cached value", a.Killed)
				}
				sr := sheetReport(t, rep, "S")
				if sr.Rejected != 2 || len(s.incidents) != 1 {
					t.Fatalf("rejected %d, imported %d:\n%s", sr.Rejected, len(s.incidents), problemsText(sr))
				}
				txt := problemsText(sr)
				for _, want := range []string{`row 3 D(killed_min) "#N/A": Excel error value #N/A`, `row 4 B(date) "#DIV/0!": Excel error value`} {
					if !strings.Contains(txt, want) {
						t.Errorf("problems lack %q:\n%s", want, txt)
					}
				}
			},
		},
		{
			name: "rich text and inline strings read as plain text",
			sheets: []sheet{{"S", [][]any{
				incHeader,
				{"A", "2025-09-02", nil, 1, 1},
			}}},
			edit: func(f *excelize.File) {
				if err := f.SetCellRichText("S", "C2", []excelize.RichTextRun{{Text: "International "}, {Text: "waters", Font: &excelize.Font{Bold: true}}}); err != nil {
					panic(err)
				}
			},
			check: func(t *testing.T, rep *FileReport, s *fakeSink) {
				if l := s.incident(t, "A").Location; l != "International waters" {
					t.Errorf("rich text location = %q", l)
				}
			},
		},
		{
			name: "hidden sheets are skipped and said",
			sheets: []sheet{
				{"Visible", [][]any{incHeader, {"A", "2025-09-02", "x", 1, 1}}},
				{"Hidden", [][]any{incHeader, {"H", "2025-09-02", "x", 1, 1}}},
			},
			edit: func(f *excelize.File) {
				if err := f.SetSheetVisible("Hidden", false); err != nil {
					panic(err)
				}
			},
			check: func(t *testing.T, rep *FileReport, s *fakeSink) {
				hs := sheetReport(t, rep, "Hidden")
				if hs.Kind != string(KindIgnored) || !strings.Contains(hs.Note, "hidden") || !hs.Hidden {
					t.Errorf("hidden sheet report = %+v", hs)
				}
				if len(s.incidents) != 1 || s.incidents[0].ID != "A" {
					t.Errorf("imported %d incidents", len(s.incidents))
				}
			},
		},
		{
			name: "hidden sheets are read when asked",
			sheets: []sheet{
				{"Visible", [][]any{incHeader, {"A", "2025-09-02", "x", 1, 1}}},
				{"Hidden", [][]any{incHeader, {"H", "2025-09-02", "x", 1, 1}}},
			},
			edit: func(f *excelize.File) {
				if err := f.SetSheetVisible("Hidden", false); err != nil {
					panic(err)
				}
			},
			opts: Options{IncludeHidden: true},
			check: func(t *testing.T, rep *FileReport, s *fakeSink) {
				if len(s.incidents) != 2 {
					t.Errorf("imported %d incidents, want 2", len(s.incidents))
				}
			},
		},
		{
			name: "HXL tag row under the header is skipped and maps unnamed columns",
			sheets: []sheet{{"S", [][]any{
				{"Date", "Place", "Dead", "Lat", "Lon"},
				{"#date", "#loc", "#affected+killed", "#geo+lat", "#geo+lon"},
				{"2020-01-01", "Town", 3, "12.5", "-61.25"},
			}}},
			check: func(t *testing.T, rep *FileReport, s *fakeSink) {
				sr := sheetReport(t, rep, "S")
				if sr.Rows != 1 || len(s.incidents) != 1 {
					t.Fatalf("rows %d, incidents %d:\n%s", sr.Rows, len(s.incidents), problemsText(sr))
				}
				r := s.incidents[0]
				if r.Location != "Town" || r.Killed != data.Exactly(3) || !r.HasCoords || r.Lat != 12.5 || r.Lon != -61.25 {
					t.Errorf("record = %+v", r)
				}
			},
		},
		{
			name: "unmapped columns go to Extra; lat/long in one cell",
			sheets: []sheet{{"S", [][]any{
				{"Date", "Location", "location", "Lat/Long", "Deaths", "President"},
				{"2020-01-01", "Wana", "School", "32.29,69.59", "2-4", "Bush"},
				{"2020-01-02", "Mir Ali", "", ",68.64", "unknown", "Bush"},
			}}},
			check: func(t *testing.T, rep *FileReport, s *fakeSink) {
				if len(s.incidents) != 2 {
					t.Fatalf("incidents %d:\n%s", len(s.incidents), problemsText(sheetReport(t, rep, "S")))
				}
				a, b := s.incidents[0], s.incidents[1]
				if !a.HasCoords || a.Lat != 32.29 || a.Lon != 69.59 || a.Killed != data.Between(2, 4) {
					t.Errorf("a = %+v", a)
				}
				if a.Extra["President"] != "Bush" || a.Extra["location (column C)"] != "School" {
					t.Errorf("a.Extra = %v", a.Extra)
				}
				if b.HasCoords || b.Killed.Known() || b.Extra["Lat/Long"] != ",68.64" {
					t.Errorf("b = %+v (the unreadable coordinate must stay in Extra)", b)
				}
			},
		},
		{
			name: "statements: stance words through the vocabulary",
			sheets: []sheet{{"Positions", [][]any{
				{"Date", "Country", "Speaker", "Stance", "Quote"},
				{"2025-10-31", "United Nations", "Volker Turk", "Condemned", "unacceptable"},
				{"2025-11-11", "United Kingdom", "No 10", "declined to comment", ""},
				{"2025-11-12", "France", "Quai d'Orsay", "perplexed", ""},
			}}},
			check: func(t *testing.T, rep *FileReport, s *fakeSink) {
				if len(s.statements) != 3 {
					t.Fatalf("statements %d", len(s.statements))
				}
				want := []string{"condemns", "no comment", "perplexed"}
				for i, st := range s.statements {
					if st.Stance != want[i] {
						t.Errorf("stance %d = %q, want %q", i, st.Stance, want[i])
					}
				}
				txt := problemsText(sheetReport(t, rep, "Positions"))
				if !strings.Contains(txt, `"perplexed": stance word not in the vocabulary; kept as written [note]`) {
					t.Errorf("unknown stance not reported:\n%s", txt)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := writeXLSX(t, "book.xlsx", tt.sheets, tt.edit)
			rep, sink := importFile(t, p, tt.opts)
			tt.check(t, rep, sink)
		})
	}
}

func TestPasswordProtected(t *testing.T) {
	p := writeXLSX(t, "secret.xlsx", []sheet{{"S", [][]any{incHeader, {"A", "2025-09-02", "x", 1, 1}}}}, nil,
		excelize.Options{Password: "s3cret"})
	_, err := Inspect(p, Options{})
	if !errors.Is(err, ErrPasswordRequired) || !strings.Contains(err.Error(), "secret.xlsx is password-protected; pass --password") {
		t.Fatalf("without a password: %v", err)
	}
	_, err = Inspect(p, Options{Password: "wrong"})
	if !errors.Is(err, ErrWrongPassword) {
		t.Fatalf("with a wrong password: %v", err)
	}
	_, sink := importFile(t, p, Options{Password: "s3cret"})
	if len(sink.incidents) != 1 {
		t.Fatalf("with the password: %d incidents", len(sink.incidents))
	}
}

// zipWith copies a generated workbook, replacing or adding parts.
func zipWith(t *testing.T, src string, parts map[string]string, drop ...string) []byte {
	t.Helper()
	zr, err := zip.OpenReader(src)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	done := map[string]bool{}
	for _, f := range zr.File {
		if contains(drop, f.Name) {
			continue
		}
		w, _ := zw.Create(f.Name)
		if body, ok := parts[f.Name]; ok {
			io.WriteString(w, body)
			done[f.Name] = true
			continue
		}
		rc, _ := f.Open()
		io.Copy(w, rc)
		rc.Close()
	}
	for name, body := range parts {
		if !done[name] {
			w, _ := zw.Create(name)
			io.WriteString(w, body)
		}
	}
	zw.Close()
	return buf.Bytes()
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestRefusals(t *testing.T) {
	good := writeXLSX(t, "good.xlsx", []sheet{{"S", [][]any{incHeader, {"A", "2025-09-02", "x", 1, 1}}}}, nil)
	goodBytes, _ := os.ReadFile(good)
	ole := append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 1024)...)
	copy(ole[600:], utf16le("Workbook"))
	bomb := `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>` +
		`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol2;</t></is></c></row></sheetData></worksheet>`
	var bigPart bytes.Buffer
	bigPart.WriteString("<x>")
	for bigPart.Len() < 3<<20 {
		bigPart.WriteString("<y>aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa</y>")
	}
	bigPart.WriteString("</x>")
	tests := []struct {
		name   string
		file   string
		data   []byte
		opts   Options
		want   error
		substr string
	}{
		{"legacy xls", "old.xls", ole, Options{}, ErrLegacyExcel, "old.xls: legacy Excel 97-2003 format; open it in Excel and save it as .xlsx"},
		{"legacy xls named xlsx", "old.xlsx", ole, Options{}, ErrLegacyExcel, "save it as .xlsx"},
		{"ods", "sheet.ods", zipWith(t, good, map[string]string{"mimetype": "application/vnd.oasis.opendocument.spreadsheet", "content.xml": "<office:document-content/>"}, "xl/workbook.xml"), Options{}, ErrODS, "sheet.ods: OpenDocument spreadsheet"},
		{"truncated", "cut.xlsx", goodBytes[:len(goodBytes)/2], Options{}, ErrCorrupt, "cut.xlsx is truncated or corrupt"},
		{"empty", "empty.csv", nil, Options{}, ErrEmpty, "empty.csv is empty"},
		{"text named xlsx", "notes.xlsx", []byte("just some notes\n"), Options{}, ErrCorrupt, "notes.xlsx is truncated or corrupt"},
		{"binary junk", "junk.bin", []byte{0, 1, 2, 3, 0, 0, 9}, Options{}, ErrUnsupported, "junk.bin is not a spreadsheet"},
		{"entity bomb", "bomb.xlsx", zipWith(t, good, map[string]string{"xl/worksheets/sheet1.xml": bomb}), Options{}, ErrHostile, "document type declaration"},
		{"oversized part", "big.xlsx", zipWith(t, good, map[string]string{"xl/styles.xml": bigPart.String()}), Options{Limits: Limits{MaxPartSize: 1 << 20}}, ErrHostile, "a zip bomb?"},
		{"unzip limit", "big2.xlsx", zipWith(t, good, map[string]string{"xl/worksheets/sheet1.xml": bigPart.String()}), Options{Limits: Limits{MaxUnzipSize: 2 << 20}}, ErrHostile, "would unpack to more than"},
		{"xlsb", "book.xlsb", zipWith(t, good, map[string]string{"xl/workbook.bin": "binary"}, "xl/workbook.xml"), Options{}, ErrUnsupported, "binary Excel workbook (.xlsb)"},
		{"compression ratio", "ratio.xlsx", zipWith(t, good, map[string]string{"xl/media/filler.xml": strings.Repeat("<a/>", 17<<18)}), Options{}, ErrHostile, "compressed"},
		{"zip without workbook", "other.xlsx", zipWith(t, good, nil, "xl/workbook.xml"), Options{}, ErrUnsupported, "without an Excel workbook"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := writeFile(t, tt.file, tt.data)
			plan, err := Inspect(p, tt.opts)
			if err == nil {
				plan.Close()
				t.Fatalf("Inspect accepted %s", tt.file)
			}
			if !errors.Is(err, tt.want) || !strings.Contains(err.Error(), tt.substr) {
				t.Fatalf("Inspect(%s) = %v, want %v containing %q", tt.file, err, tt.want, tt.substr)
			}
			if strings.Contains(err.Error(), "zip: not a valid zip file") && tt.want != ErrCorrupt {
				t.Errorf("raw zip error leaked: %v", err)
			}
		})
	}
}

func TestNoSheetsIsEmpty(t *testing.T) {
	good := writeXLSX(t, "good.xlsx", []sheet{{"S", [][]any{incHeader}}}, nil)
	wb := `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets/></workbook>`
	p := writeFile(t, "nosheets.xlsx", zipWith(t, good, map[string]string{"xl/workbook.xml": wb}))
	_, err := Inspect(p, Options{})
	if !errors.Is(err, ErrEmpty) || !strings.Contains(err.Error(), "no sheets") {
		t.Fatalf("err = %v", err)
	}
}
