package importers

import (
	"archive/zip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode"

	"github.com/xuri/excelize/v2"
)

// diffImports fails the test when two imports of the same file (fast reader and excelize)
// differ in their reports or in any record.
func diffImports(t *testing.T, name string, fastRep *FileReport, fast *fakeSink, slowRep *FileReport, slow *fakeSink) {
	t.Helper()
	fj, _ := json.MarshalIndent(fastRep, "", " ")
	sj, _ := json.MarshalIndent(slowRep, "", " ")
	if string(fj) != string(sj) {
		t.Errorf("%s: the fast reader's report differs from excelize's:\nfast: %s\nexcelize: %s", name, fj, sj)
	}
	if fast == nil || slow == nil {
		return
	}
	check := func(kind string, a, b any, na, nb int) {
		if na != nb {
			t.Errorf("%s: %d %s with the fast reader, %d with excelize", name, na, kind, nb)
			return
		}
		if !reflect.DeepEqual(a, b) {
			ra, rb := reflect.ValueOf(a), reflect.ValueOf(b)
			for i := 0; i < na; i++ {
				if !reflect.DeepEqual(ra.Index(i).Interface(), rb.Index(i).Interface()) {
					t.Errorf("%s: %s %d differs:\nfast:     %+v\nexcelize: %+v", name, kind, i, ra.Index(i).Elem().Interface(), rb.Index(i).Elem().Interface())
					return
				}
			}
		}
	}
	check("incidents", fast.incidents, slow.incidents, len(fast.incidents), len(slow.incidents))
	check("statements", fast.statements, slow.statements, len(fast.statements), len(slow.statements))
	check("tallies", fast.tallies, slow.tallies, len(fast.tallies), len(slow.tallies))
}

// importEither imports a file with the given reader choice; files that cannot be imported give
// their error in the report (Inspect errors as a failed report with no sheets).
func importEither(path string, opts Options) (*FileReport, *fakeSink) {
	p, err := Inspect(path, opts)
	if err != nil {
		return &FileReport{Path: path, Status: StatusFailed, Error: err.Error()}, nil
	}
	defer p.Close()
	sink := &fakeSink{}
	rep, _ := Run(context.Background(), p, sink, nil)
	return rep, sink
}

// TestFastReaderMatchesExcelize imports every workbook in ../shared/data and a set of generated
// ones twice, with the fast reader (xlsxfast) and with excelize alone, with the sheets
// hidden ones included, and wants identical reports and records. (Every workbook the other
// tests import through importFile is compared the same way.)
func TestFastReaderMatchesExcelize(t *testing.T) {
	var files []string
	dir := t.TempDir()
	big := filepath.Join(dir, "incidents.xlsx")
	if err := writeIncidentWorkbook(big, 3000); err != nil {
		t.Fatal(err)
	}
	files = append(files, big)
	files = append(files, writeXLSX(t, "mixed.xlsx", []sheet{
		{"Strikes", [][]any{
			{"Strikes on boats"},
			{},
			incHeader,
			{"A", "2025-09-02", "Sea", 11, 11},
			{"B", 45910, "Caribbean", "2-4", nil},
			{"C", "15/09/2025", "Pacific", "unknown", "x"},
			{"A", "2025-09-02", "Sea", 11, 11},
			{"D", true, "Pacific", 1.5, "#N/A"},
		}},
		{"Positions", [][]any{
			{"Date", "Country", "Speaker", "Stance", "Quote"},
			{"2025-10-31", "United Nations", "Volker Turk", "Condemned", "line\nbreak _x000D_ escape"},
			{"2025-11-12", "France", "Quai d'Orsay", "perplexed", ""},
		}},
		{"Hidden", [][]any{incHeader, {"H", "2025-01-01", "x", 1, 1}}},
	}, func(f *excelize.File) {
		if err := f.MergeCell("Strikes", "B4", "B5"); err != nil {
			t.Fatal(err)
		}
		if err := f.SetCellFormula("Strikes", "D6", "=1+1"); err != nil {
			t.Fatal(err)
		}
		if err := f.SetCellRichText("Positions", "E3", []excelize.RichTextRun{{Text: "rich "}, {Text: "text", Font: &excelize.Font{Bold: true}}}); err != nil {
			t.Fatal(err)
		}
		if err := f.SetSheetVisible("Hidden", false); err != nil {
			t.Fatal(err)
		}
		if err := f.SetWorkbookProps(&excelize.WorkbookPropsOptions{Date1904: boolPtr(true)}); err != nil {
			t.Fatal(err)
		}
	}))
	if d := realDataDirOrEmpty(); d != "" {
		err := filepath.WalkDir(d, func(p string, e os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if ext := strings.ToLower(filepath.Ext(p)); !e.IsDir() && (ext == ".xlsx" || ext == ".xlsm") {
				files = append(files, p)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	} else {
		t.Log("real-world test files (../shared/data) are absent: comparing generated workbooks only")
	}
	for _, f := range files {
		for _, hidden := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/hidden=%v", filepath.Base(f), hidden), func(t *testing.T) {
				opts := Options{IncludeHidden: hidden}
				var logged []string
				opts.Debugf = func(format string, args ...any) { logged = append(logged, fmt.Sprintf(format, args...)) }
				frep, fsink := importEither(f, opts)
				slow := opts
				slow.excelizeOnly = true
				srep, ssink := importEither(f, slow)
				diffImports(t, filepath.Base(f), frep, fsink, srep, ssink)
				for _, l := range logged {
					t.Log(l)
				}
			})
		}
	}
}

func boolPtr(b bool) *bool { return &b }

// realDataDirOrEmpty is realDataDir without the skip.
func realDataDirOrEmpty() string {
	for _, d := range []string{os.Getenv("SITREP_REAL_DATA"), "../../../shared/data", "../../shared/data", "/work/shared/data"} {
		if d == "" {
			continue
		}
		if st, err := os.Stat(filepath.Join(d, "README.md")); err == nil && !st.IsDir() {
			return d
		}
	}
	return ""
}

// TestFastReaderFallsBackMidSheet checks that a sheet the fast reader gives up on midway
// (an element it does not know inside a cell) is finished by excelize, says why in the debug
// log, and imports exactly as excelize alone imports it.
func TestFastReaderFallsBackMidSheet(t *testing.T) {
	rows := [][]any{incHeader}
	for i := range 40 {
		rows = append(rows, []any{fmt.Sprintf("R%d", i), fmt.Sprintf("2025-09-%02d", i%28+1), "Sea", i % 5, i%5 + 1})
	}
	src := writeXLSX(t, "book.xlsx", []sheet{{"Strikes", rows}}, func(f *excelize.File) {
		if err := f.MergeCell("Strikes", "C30", "C33"); err != nil {
			t.Fatal(err)
		}
	})
	zr, err := zipReadPart(src, "xl/worksheets/sheet1.xml")
	if err != nil {
		t.Fatal(err)
	}
	const cell = `<c r="A25" t="s"><v>`
	if !strings.Contains(zr, cell) {
		t.Fatalf("generated sheet has no %s:\n%.400s", cell, zr)
	}
	path := writeFile(t, "fallback.xlsx", zipWith(t, src, map[string]string{
		"xl/worksheets/sheet1.xml": strings.Replace(zr, cell, `<c r="A25" t="s"><extLst/><v>`, 1)}))
	var logged []string
	opts := Options{Debugf: func(format string, args ...any) { logged = append(logged, fmt.Sprintf(format, args...)) }}
	frep, fsink := importEither(path, opts)
	slow := opts
	slow.excelizeOnly = true
	srep, ssink := importEither(path, slow)
	diffImports(t, "fallback.xlsx", frep, fsink, srep, ssink)
	if len(fsink.incidents) != 40 {
		t.Errorf("%d incidents, want 40", len(fsink.incidents))
	}
	joined := strings.Join(logged, "\n")
	if !strings.Contains(joined, "fallback.xlsx: sheet Strikes: xlsxfast: falling back to excelize") || !strings.Contains(joined, "extLst") {
		t.Errorf("debug log does not say why excelize took over:\n%s", joined)
	}
}

// zipReadPart returns one part of a zip file as text.
func zipReadPart(path, name string) (string, error) {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return "", err
	}
	defer zr.Close()
	for _, f := range zr.File {
		if f.Name == name {
			rc, err := f.Open()
			if err != nil {
				return "", err
			}
			defer rc.Close()
			b, err := io.ReadAll(rc)
			return string(b), err
		}
	}
	return "", fmt.Errorf("%s: no part %s", path, name)
}

// normalizeRef is Normalize as first written (rune by rune, through strings.Builder): the
// reference the allocation-free version must match.
func normalizeRef(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(unicode.ToLower(r))
		} else {
			space = true
		}
	}
	return b.String()
}

func TestNormalizeMatchesReference(t *testing.T) {
	for _, s := range []string{"", " ", "a", "abc def", " abc", "abc ", "a  b", "Date (MM-DD-YYYY)", "Killed_Min",
		"ÉTÉ  Straße", "İstanbul", "x\xffy", "\xff", "a\u00a0b", "Ǆ", "12 3", "a_b-c/d", "ΣΑΣ"} {
		if got, want := Normalize(s), normalizeRef(s); got != want {
			t.Errorf("Normalize(%q) = %q, want %q", s, got, want)
		}
	}
}

func FuzzNormalize(f *testing.F) {
	f.Add("Date (MM-DD-YYYY)")
	f.Add("ÉTÉ  x\xff")
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := Normalize(s), normalizeRef(s); got != want {
			t.Errorf("Normalize(%q) = %q, want %q", s, got, want)
		}
	})
}

// TestRepeatedNaturalKeys checks the occurrence numbering of natural ids: the n-th repeat of
// a row gets the n-th id, also when an id column elsewhere in the file took the first one.
func TestRepeatedNaturalKeys(t *testing.T) {
	natural := []any{"date", "location", "killed"}
	rows := [][]any{natural, {"2025-09-02", "Sea", 3}, {"2025-09-02", "Sea", 3}, {"2025-09-02", "Sea", 3}, {"2025-09-03", "Bay", 1}}
	_, alone := importFile(t, writeXLSX(t, "alone.xlsx", []sheet{{"B", rows}}, nil), Options{})
	if len(alone.incidents) != 4 {
		t.Fatalf("%d incidents, want 4 (identical rows are distinct records)", len(alone.incidents))
	}
	ids := map[string]bool{}
	for _, r := range alone.incidents {
		if ids[r.ID] {
			t.Fatalf("id %s given twice", r.ID)
		}
		ids[r.ID] = true
	}
	// Sheet A's id column holds the id the first of the repeated rows gets.
	taken := alone.incidents[0].ID
	book := writeXLSX(t, "both.xlsx", []sheet{
		{"A", [][]any{incHeader, {taken, "2025-01-01", "Elsewhere", 1, 1}}},
		{"B", rows},
	}, nil)
	rep, both := importFile(t, book, Options{})
	got := map[string]string{}
	for _, r := range both.incidents {
		got[fmt.Sprintf("%s:%d", r.Provenance.Sheet, r.Provenance.Row)] = r.ID
	}
	want := map[string]string{"A:2": taken, "B:3": alone.incidents[1].ID, "B:4": alone.incidents[2].ID, "B:5": alone.incidents[3].ID}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ids %v, want %v\n%s", got, want, problemsText(sheetReport(t, rep, "B")))
	}
}
