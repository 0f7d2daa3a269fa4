package importers

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"sitrep/data"
)

func TestNeutralize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"Boat", "Boat"},
		{"=HYPERLINK(\"http://x\",\"click\")", "'=HYPERLINK(\"http://x\",\"click\")"},
		{"+1 555", "'+1 555"},
		{"-3 killed", "'-3 killed"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\tcmd", "'\tcmd"},
		{"\rcmd", "'\rcmd"},
		{"a=b", "a=b"},
		{"'quoted already", "'quoted already"},
		{"3", "3"},
	}
	for _, tt := range tests {
		got := Neutralize(tt.in)
		if got != tt.want {
			t.Errorf("Neutralize(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if back := Unneutralize(got); back != tt.in {
			t.Errorf("Unneutralize(Neutralize(%q)) = %q", tt.in, back)
		}
	}
	// A quote before an ordinary character is the user's own and stays.
	if got := Unneutralize("'tis"); got != "'tis" {
		t.Errorf("Unneutralize(\"'tis\") = %q", got)
	}
}

// sampleIncidents covers every field and every shape of count.
func sampleIncidents() []data.Incident {
	return []data.Incident{
		{
			ID: "US-2025-01", Date: data.MustDate("2025-09-02"), Theatre: "Caribbean",
			Location: "International waters off Venezuela", Actor: "United States",
			Target: "Speedboat", Vessels: data.Exactly(1), AllegedAffiliation: "Tren de Aragua",
			Killed: data.Exactly(11), Survivors: data.Exactly(0), AnnouncedBy: "President",
			Confidence: data.ConfidenceOfficial, Source: "=HYPERLINK(\"http://evil\")",
			Notes: "-3 revised later",
		},
		{
			ID: "US-2025-02", Date: data.MustDate("2025-10"), DateEnd: data.MustDate("2025-10-17"),
			Theatre: "Eastern Pacific", Country: "Colombia", HasCoords: true, Lat: -3.25, Lon: -80.5,
			Vessels: data.Between(2, 3), Killed: data.AtLeast(6), Survivors: data.Unknown,
			Missing: data.Exactly(2), Confidence: data.ConfidenceDisputed,
			Extra: map[string]string{"Reporter": "AP", "id": "clash"},
		},
		{ID: "US-2025-03", Date: data.MustDate("2024"), Killed: data.Unknown},
		{ID: "OLD-1", Date: data.Day(1899, 12, 31), Killed: data.Between(1, 4)},
	}
}

func readBackXLSX(t *testing.T, b []byte) *excelize.File {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(b), excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatalf("reading the workbook back: %v", err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// rowMaps reads a sheet back as header -> raw value maps, one per data row.
func rowMaps(t *testing.T, f *excelize.File, sheet string) (headers []string, rows []map[string]string) {
	t.Helper()
	all, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatalf("GetRows(%s): %v", sheet, err)
	}
	if len(all) == 0 {
		t.Fatalf("sheet %s is empty", sheet)
	}
	headers = all[0]
	for _, r := range all[1:] {
		m := map[string]string{}
		for i, v := range r {
			if i < len(headers) && v != "" {
				m[headers[i]] = v
			}
		}
		rows = append(rows, m)
	}
	return headers, rows
}

func cellOf(t *testing.T, f *excelize.File, sheet string, headers []string, header string, row int) string {
	t.Helper()
	for i, h := range headers {
		if h == header {
			ref, _ := excelize.CoordinatesToCellName(i+1, row)
			return ref
		}
	}
	t.Fatalf("sheet %s has no column %q (headers %v)", sheet, header, headers)
	return ""
}

func exportAll(t *testing.T, inc []data.Incident, st []data.Statement, ta []data.Tally) []byte {
	t.Helper()
	it, err := IncidentTable(IncidentSlice(inc))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteXLSX(&buf, it, StatementTable(st), TallyTable(ta)); err != nil {
		t.Fatalf("WriteXLSX: %v", err)
	}
	return buf.Bytes()
}

func TestWriteXLSXIncidents(t *testing.T) {
	f := readBackXLSX(t, exportAll(t, sampleIncidents(), nil, nil))
	if got := f.GetSheetList(); strings.Join(got, ",") != "Incidents,Statements,Tallies" {
		t.Fatalf("sheets = %v", got)
	}
	headers, rows := rowMaps(t, f, SheetIncidents)
	wantHeaders := []string{"id", "date", "theatre", "location", "actor", "target",
		"vessels_min", "vessels_max", "alleged_affiliation", "killed_min", "killed_max",
		"survivors", "announced_by", "confidence", "source", "notes",
		"date_end", "country", "latitude", "longitude", "missing", "Reporter"}
	if strings.Join(headers, "|") != strings.Join(wantHeaders, "|") {
		t.Fatalf("headers\n got %v\nwant %v", headers, wantHeaders)
	}
	if len(rows) != 4 {
		t.Fatalf("%d data rows, want 4", len(rows))
	}
	serial := func(d string) string {
		tm, err := time.Parse("2006-01-02", d)
		if err != nil {
			t.Fatal(err)
		}
		return strconv.Itoa(int(tm.Sub(time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)).Hours() / 24))
	}
	tests := []struct {
		row    int
		header string
		want   string // raw value; "" for blank
	}{
		{0, "id", "US-2025-01"},
		{0, "date", serial("2025-09-02")},
		{0, "vessels_min", "1"},
		{0, "vessels_max", "1"},
		{0, "killed_min", "11"},
		{0, "killed_max", "11"},
		{0, "survivors", "0"},
		{0, "source", "'=HYPERLINK(\"http://evil\")"},
		{0, "notes", "'-3 revised later"},
		{0, "date_end", ""},
		{0, "latitude", ""},
		{0, "missing", ""},
		{1, "date", "2025-10"},
		{1, "date_end", serial("2025-10-17")},
		{1, "vessels_min", "2"},
		{1, "vessels_max", "3"},
		{1, "killed_min", "6"},
		{1, "killed_max", ""},
		{1, "survivors", ""},
		{1, "latitude", "-3.25"},
		{1, "longitude", "-80.5"},
		{1, "country", "Colombia"},
		{1, "missing", "2"},
		{1, "Reporter", "AP"},
		{2, "date", "2024"},
		{2, "killed_min", ""},
		{2, "killed_max", ""},
		{2, "vessels_min", ""},
		{3, "date", "1899-12-31"},
		{3, "killed_min", "1"},
		{3, "killed_max", "4"},
	}
	for _, tt := range tests {
		if got := rows[tt.row][tt.header]; got != tt.want {
			t.Errorf("row %d %s = %q, want %q", tt.row+2, tt.header, got, tt.want)
		}
	}

	// Cell types: numbers are numeric cells (a negative latitude is not text), dates are
	// numbers with a date format, month-precision dates are text.
	typeTests := []struct {
		header string
		row    int
		want   excelize.CellType
	}{
		{"latitude", 3, excelize.CellTypeNumber},
		{"killed_min", 2, excelize.CellTypeNumber},
		{"date", 2, excelize.CellTypeNumber},
		{"date", 3, excelize.CellTypeInlineString},
		{"notes", 2, excelize.CellTypeInlineString},
	}
	for _, tt := range typeTests {
		ref := cellOf(t, f, SheetIncidents, headers, tt.header, tt.row)
		got, err := f.GetCellType(SheetIncidents, ref)
		if err != nil {
			t.Fatal(err)
		}
		if got == excelize.CellTypeUnset { // a cell with no t attribute is a number
			got = excelize.CellTypeNumber
		}
		if got != tt.want {
			t.Errorf("%s (%s) type %v, want %v", ref, tt.header, got, tt.want)
		}
	}
	// The date cell shows as a date.
	ref := cellOf(t, f, SheetIncidents, headers, "date", 2)
	styleID, err := f.GetCellStyle(SheetIncidents, ref)
	if err != nil {
		t.Fatal(err)
	}
	st, err := f.GetStyle(styleID)
	if err != nil {
		t.Fatal(err)
	}
	if st.CustomNumFmt == nil || *st.CustomNumFmt != DateFormat {
		t.Errorf("date cell %s number format = %v, want %q", ref, st.CustomNumFmt, DateFormat)
	}
	shown, err := f.GetCellValue(SheetIncidents, ref, excelize.Options{})
	if err != nil || shown != "2025-09-02" {
		t.Errorf("date cell %s shows %q (%v), want 2025-09-02", ref, shown, err)
	}

	// Header row: styled, frozen; the used range is declared.
	panes, err := f.GetPanes(SheetIncidents)
	if err != nil {
		t.Fatal(err)
	}
	if !panes.Freeze || panes.YSplit != 1 || panes.TopLeftCell != "A2" {
		t.Errorf("panes = %+v, want the header row frozen", panes)
	}
	hs, _ := f.GetCellStyle(SheetIncidents, "A1")
	hst, err := f.GetStyle(hs)
	if err != nil || hst.Font == nil || !hst.Font.Bold {
		t.Errorf("header style %+v (%v): want bold", hst, err)
	}
	dim, err := f.GetSheetDimension(SheetIncidents)
	if err != nil || dim != "A1:V5" {
		t.Errorf("dimension = %q (%v), want A1:V5", dim, err)
	}
	w, err := f.GetColWidth(SheetIncidents, "D")
	if err != nil || w != 40 {
		t.Errorf("location column width = %v (%v), want 40", w, err)
	}
}

func TestWriteXLSXStatementsAndTallies(t *testing.T) {
	st := []data.Statement{
		{ID: "ST-01", Date: data.MustDate("2025-09-02"), Actor: "United States", Speaker: "Donald Trump",
			Stance: "defends", Quote: "Announced a strike", IncidentIDs: []string{"US-2025-01", "US-2025-02"}},
		{ID: "ST-02", Date: data.MustDate("2025-10-31"), Actor: "United Nations", Stance: "condemns",
			Quote: "@UN: \"unacceptable\""},
	}
	ta := []data.Tally{
		{ID: "T-01", AsOf: data.MustDate("2025-11-06"), Claimant: "Just Security", Scope: data.ScopeAll,
			Strikes: data.Exactly(16), Killed: data.Exactly(67), Survivors: data.Exactly(2)},
		{ID: "T-02", AsOf: data.MustDate("2025-11-06"), Claimant: "Military Times", Scope: data.ScopeAll,
			Strikes: data.Exactly(16), Killed: data.AtLeast(66)},
	}
	f := readBackXLSX(t, exportAll(t, nil, st, ta))

	headers, rows := rowMaps(t, f, SheetIncidents)
	if strings.Join(headers, ",") != strings.Join(IncidentHeaders, ",") || len(rows) != 0 {
		t.Errorf("empty incidents sheet: headers %v, %d rows; want the canonical headers only", headers, len(rows))
	}

	headers, rows = rowMaps(t, f, SheetStatements)
	want := append(append([]string{}, StatementHeaders...), "incident_ids")
	if strings.Join(headers, ",") != strings.Join(want, ",") {
		t.Errorf("statement headers %v, want %v", headers, want)
	}
	if len(rows) != 2 || rows[0]["incident_ids"] != "US-2025-01; US-2025-02" ||
		rows[1]["quote"] != "'@UN: \"unacceptable\"" || rows[1]["incident_ids"] != "" {
		t.Errorf("statement rows = %v", rows)
	}

	headers, rows = rowMaps(t, f, SheetTallies)
	if strings.Join(headers, ",") != strings.Join(TallyHeaders, ",") {
		t.Errorf("tally headers %v, want %v", headers, TallyHeaders)
	}
	if len(rows) != 2 || rows[0]["survivors"] != "2" || rows[1]["killed_min"] != "66" ||
		rows[1]["killed_max"] != "" || rows[1]["survivors"] != "" || rows[1]["scope"] != data.ScopeAll {
		t.Errorf("tally rows = %v", rows)
	}
	for _, sheet := range []string{SheetStatements, SheetTallies} {
		if p, err := f.GetPanes(sheet); err != nil || !p.Freeze || p.YSplit != 1 {
			t.Errorf("%s panes = %+v (%v), want a frozen header row", sheet, p, err)
		}
	}
}

func TestTallySurvivorRangeSplits(t *testing.T) {
	tb := TallyTable([]data.Tally{{ID: "T", AsOf: data.MustDate("2025"), Survivors: data.Between(1, 2)}})
	var got []string
	for _, c := range tb.Columns {
		got = append(got, c.Header)
	}
	if !strings.Contains(strings.Join(got, ","), "survivors_min,survivors_max") {
		t.Errorf("columns %v: want survivors_min, survivors_max for a range", got)
	}
}

func TestWriteCSV(t *testing.T) {
	it, err := IncidentTable(IncidentSlice(sampleIncidents()[:2]))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteCSV(&buf, it); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	if !bytes.HasPrefix(b, []byte("\uFEFF")) {
		t.Errorf("CSV has no UTF-8 byte-order mark")
	}
	if !bytes.Contains(b, []byte("\r\n")) {
		t.Errorf("CSV lines do not end in CRLF")
	}
	recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\uFEFF")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 3 {
		t.Fatalf("%d CSV records, want a header and 2 rows", len(recs))
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	tests := []struct {
		row          int
		header, want string
	}{
		{1, "date", "2025-09-02"},
		{1, "source", "'=HYPERLINK(\"http://evil\")"},
		{1, "notes", "'-3 revised later"},
		{1, "killed_max", "11"},
		{2, "date", "2025-10"},
		{2, "date_end", "2025-10-17"},
		{2, "latitude", "-3.25"},
		{2, "longitude", "-80.5"},
		{2, "killed_min", "6"},
		{2, "killed_max", ""},
		{2, "survivors", ""},
		{2, "Reporter", "AP"},
	}
	for _, tt := range tests {
		i, ok := col[tt.header]
		if !ok {
			t.Errorf("no column %q in %v", tt.header, recs[0])
			continue
		}
		if got := recs[tt.row][i]; got != tt.want {
			t.Errorf("row %d %s = %q, want %q", tt.row+1, tt.header, got, tt.want)
		}
	}
}

func TestExportDetectsChangedRecords(t *testing.T) {
	recs := sampleIncidents()
	calls := 0
	src := func(fn func(*data.Incident) error) error {
		calls++
		n := len(recs)
		if calls > 1 {
			n-- // an incident was deleted between the passes
		}
		for i := range n {
			if err := fn(&recs[i]); err != nil {
				return err
			}
		}
		return nil
	}
	tb, err := IncidentTable(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := WriteXLSX(&bytes.Buffer{}, tb); !errors.Is(err, ErrChanged) {
		t.Errorf("WriteXLSX over changed records: err = %v, want ErrChanged", err)
	}
	calls = 0
	tb, _ = IncidentTable(src)
	if err := WriteCSV(&bytes.Buffer{}, tb); !errors.Is(err, ErrChanged) {
		t.Errorf("WriteCSV over changed records: err = %v, want ErrChanged", err)
	}
}

func TestExportRefusesOverlongText(t *testing.T) {
	long := []data.Incident{{ID: "X", Notes: strings.Repeat("é", maxCellChars+1)}}
	tb, err := IncidentTable(IncidentSlice(long))
	if err != nil {
		t.Fatal(err)
	}
	err = WriteXLSX(&bytes.Buffer{}, tb)
	if !errors.Is(err, ErrCellTooLong) || !strings.Contains(err.Error(), "notes") ||
		!strings.Contains(err.Error(), "row 2") {
		t.Errorf("err = %v, want ErrCellTooLong naming row 2 and the notes column", err)
	}
	// Exactly at the limit is fine.
	long[0].Notes = strings.Repeat("é", maxCellChars)
	tb, _ = IncidentTable(IncidentSlice(long))
	if err := WriteXLSX(&bytes.Buffer{}, tb); err != nil {
		t.Errorf("text at the limit: %v", err)
	}
}

func TestWriteFileIsAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.xlsx")
	if err := os.WriteFile(path, []byte("previous"), 0o644); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	err := WriteFile(path, func(w io.Writer) error {
		w.Write([]byte("partial"))
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want boom", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "previous" {
		t.Errorf("failed write changed the file to %q", b)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("failed write left files: %v", ents)
	}
	if err := WriteFile(path, func(w io.Writer) error { _, err := w.Write([]byte("new")); return err }); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path); string(b) != "new" {
		t.Errorf("file = %q, want new", b)
	}
}

func TestWriteXLSXManyRowsReadsBackByStreaming(t *testing.T) {
	const n = 5000
	recs := make([]data.Incident, n)
	for i := range recs {
		recs[i] = data.Incident{ID: "I" + strconv.Itoa(i), Date: data.DateFromDayNumber(20000 + i),
			Killed: data.Exactly(i % 7), Theatre: "Caribbean"}
	}
	f := readBackXLSX(t, exportAll(t, recs, nil, nil))
	rows, err := f.Rows(SheetIncidents)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	count := 0
	for rows.Next() {
		cols, err := rows.Columns()
		if err != nil {
			t.Fatal(err)
		}
		if count > 0 && (cols[0] != "I"+strconv.Itoa(count-1) || cols[9] != strconv.Itoa((count-1)%7)) {
			t.Fatalf("row %d = %v", count+1, cols)
		}
		count++
	}
	if count != n+1 {
		t.Errorf("%d rows read back, want %d", count, n+1)
	}
}
