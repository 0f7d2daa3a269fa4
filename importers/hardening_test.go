package importers

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"io"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"sitrep/data"
)

// Issue 14, defect 1: "NaN" in a count column was stored as -9223372036854775808. Numbers
// that are not counts are a problem for the cell, with a message that says why.
func TestCountCellsThatAreNotCounts(t *testing.T) {
	tests := []struct {
		cell, want string
	}{
		{"NaN", "NaN is not a number"},
		{"nan", "NaN is not a number"},
		{"Inf", "too large"},
		{"-Inf", "negative"},
		{"1e400", "too large"},
		{"1e10", "too large"},
		{"1e-400", "fractional"},
		{"-5.5", "negative"},
		{"3.7", "fractional"},
		{"abc", "not a number, a range"},
	}
	var b strings.Builder
	b.WriteString("id,date,actor,killed_min,killed_max\n")
	for i, tt := range tests {
		b.WriteString("N-" + string(rune('a'+i)) + ",2025-03-01,United States," + tt.cell + "," + tt.cell + "\n")
	}
	b.WriteString("OK-1,2025-03-01,United States,2,3\n")
	// Negative whole numbers in a count column are codebook codes for "unknown" (content.go,
	// isSentinel); ParseCount, which the edit forms use too, calls them negative.
	for _, s := range []string{"-5", "-999"} {
		if _, err := ParseCount(s); err == nil || !strings.Contains(err.Error(), "negative") {
			t.Errorf("ParseCount(%q) = %v, want a negative-number error", s, err)
		}
	}
	rep, sink := importFileWith(t, csvFile(t, "n.csv", b.String()), Options{})
	if len(sink.incidents) != 1 || sink.incidents[0].ID != "OK-1" || sink.incidents[0].Killed != data.Between(2, 3) {
		for _, r := range sink.incidents {
			t.Errorf("stored %s killed %+v", r.ID, r.Killed)
		}
		t.Fatalf("want only OK-1 killed 2-3")
	}
	probs := rep.Sheets[0].Problems
	for i, tt := range tests {
		found := false
		for _, p := range probs {
			if p.Row == i+2 && p.Value == tt.cell && p.Level == LevelError {
				found = true
				if !strings.Contains(p.Message, tt.want) {
					t.Errorf("%q: message %q, want it to say %q", tt.cell, p.Message, tt.want)
				}
			}
		}
		if !found {
			t.Errorf("%q: no error problem for row %d:\n%s", tt.cell, i+2, problemsText(rep.Sheets[0]))
		}
	}
}

// Issue 14, defect 9: "2999" in a date column was read as Excel serial 2999, a day in 1908.
func TestFourDigitNumberInADateColumn(t *testing.T) {
	tests := []struct {
		in      string
		want    data.Date
		wantErr string
	}{
		{in: "2024", want: data.YearOf(2024)},
		{in: "1000", want: data.YearOf(1000)},
		{in: "2200", want: data.YearOf(2200)},
		{in: "2999", wantErr: "beyond 2200"},
		{in: "9999", wantErr: "beyond 2200"},
		{in: "45000", want: data.Day(2023, 3, 15)},
	}
	for _, tt := range tests {
		v, err := ParseDateCell(tt.in, DateOrderAuto, false)
		switch {
		case tt.wantErr != "":
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("ParseDateCell(%q) = %v, %v; want an error saying %q", tt.in, v.Start, err, tt.wantErr)
			}
		case err != nil:
			t.Errorf("ParseDateCell(%q): %v", tt.in, err)
		case v.Start != tt.want:
			t.Errorf("ParseDateCell(%q) = %v, want %v", tt.in, v.Start, tt.want)
		}
	}
}

// Issue 14, defect 9: a .csv with NUL bytes was "not a spreadsheet". It is read without them,
// and the audit's encoding says so.
func TestCSVWithNULBytes(t *testing.T) {
	body := []byte("id,date,actor,killed\nA-1,2025-03-01,United\x00 States,3\x00\nA-2,2025-03-02,United States,4\n\x00\x00")
	rep, sink := importFileWith(t, writeFile(t, "nul.csv", body), Options{})
	if rep.Status != StatusImported || len(sink.incidents) != 2 {
		t.Fatalf("status %s, %d incidents: %+v", rep.Status, len(sink.incidents), rep)
	}
	if a := sink.incident(t, "A-1"); a.Actor != "United States" || a.Killed != data.Exactly(3) {
		t.Errorf("A-1 = %q killed %v", a.Actor, a.Killed)
	}
	if !strings.Contains(rep.Encoding, "NUL bytes") {
		t.Errorf("encoding %q does not mention the dropped NUL bytes", rep.Encoding)
	}
}

// Issue 14, defect 7: a CSV with one huge line ran out of memory. A record longer than
// MaxCSVRecord ends the file with one clear error; a cell longer than Excel's 32,767
// characters is a problem for that cell.
func TestHugeCSVLineAndCell(t *testing.T) {
	t.Run("record", func(t *testing.T) {
		var b bytes.Buffer
		b.WriteString("id,date,actor,killed\nA-1,2025-03-01,United States,3\nA-2,2025-03-01,")
		b.Write(bytes.Repeat([]byte("x"), MaxCSVRecord+1<<20))
		b.WriteString(",4\nA-3,2025-03-01,United States,3\n")
		// The header scan may meet the record already (Inspect), or Run does.
		p, err := Inspect(writeFile(t, "long.csv", b.Bytes()), Options{})
		if err == nil {
			defer p.Close()
			var rep *FileReport
			if rep, err = Run(context.Background(), p, &fakeSink{}, nil); err == nil {
				t.Fatalf("a %d MiB record was read: %+v", b.Len()>>20, rep)
			}
		}
		if !errors.Is(err, errRecordTooLong) || !strings.Contains(err.Error(), "row 3") {
			t.Errorf("err = %v, want errRecordTooLong at row 3", err)
		}
	})
	// Session 2: the csv.Reader's offset moves on line by line, so a quoted cell of many
	// short lines was not bounded, and a record of millions of tiny cells took ~400 MB.
	for _, tc := range []struct {
		name string
		body func(b *bytes.Buffer)
		want error
	}{
		{"quoted cell of many lines", func(b *bytes.Buffer) {
			b.WriteString("\"")
			b.Write(bytes.Repeat([]byte(strings.Repeat("q", 1023)+"\n"), MaxCSVRecord>>10+1024))
			b.WriteString("\",4\n")
		}, errRecordTooLong},
		{"millions of cells", func(b *bytes.Buffer) {
			b.Write(bytes.Repeat([]byte("a,"), MaxCSVFields+1<<16))
			b.WriteString("4\n")
		}, errTooManyFields},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			b.WriteString("id,date,actor,killed\nA-1,2025-03-01,United States,3\nA-2,2025-03-01,")
			tc.body(&b)
			b.WriteString("A-3,2025-03-01,United States,3\n")
			p, err := Inspect(writeFile(t, "long.csv", b.Bytes()), Options{})
			if err == nil {
				defer p.Close()
				var rep *FileReport
				if rep, err = Run(context.Background(), p, &fakeSink{}, nil); err == nil {
					t.Fatalf("a %d MiB record was read: %+v", b.Len()>>20, rep)
				}
			}
			if !errors.Is(err, tc.want) || !strings.Contains(err.Error(), "row 3") {
				t.Errorf("err = %v, want %v at row 3", err, tc.want)
			}
		})
	}
	t.Run("cell", func(t *testing.T) {
		long := strings.Repeat("é", MaxCellChars+1)
		ok := strings.Repeat("é", MaxCellChars) // more bytes than the limit, not more characters
		body := "id,date,actor,notes\nA-1,2025-03-01,United States," + long + "\nA-2,2025-03-01,United States," + ok + "\n"
		rep, sink := importFileWith(t, csvFile(t, "cell.csv", body), Options{})
		if len(sink.incidents) != 1 || sink.incidents[0].ID != "A-2" {
			t.Fatalf("stored %d incidents, want only A-2", len(sink.incidents))
		}
		probs := rep.Sheets[0].Problems
		if len(probs) != 1 || probs[0].Row != 2 || probs[0].Column != "D" || !strings.Contains(probs[0].Message, "32767") ||
			len(probs[0].Value) > 200 {
			t.Errorf("problems:\n%s", problemsText(rep.Sheets[0]))
		}
	})
}

// Issue 14, defect 6: export --kind positions wrote formula-like text as it was.
func TestNeutralizeCoversFormulaPrefixes(t *testing.T) {
	for _, s := range []string{"=HYPERLINK(\"http://x\",\"y\")", "+1", "-1", "@x", "\tx", "\rx"} {
		if got := Neutralize(s); got != "'"+s {
			t.Errorf("Neutralize(%q) = %q", s, got)
		}
		if Unneutralize(Neutralize(s)) != s {
			t.Errorf("Unneutralize(Neutralize(%q)) != %q", s, s)
		}
	}
}

// Issue 14, defect 9: a shared-string index out of range became an empty cell without a word
// in the audit. The cell still reads as empty (as excelize reads it) and the audit says so.
func TestMissingSharedStringIsInTheAudit(t *testing.T) {
	path := writeXLSX(t, "sst.xlsx", []sheet{{name: "Strikes", rows: [][]any{
		{"id", "date", "actor", "killed"},
		{"A-1", "2025-03-01", "United States", 3},
	}}}, nil)
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		if strings.HasPrefix(f.Name, "xl/worksheets/sheet") {
			// The actor cell C2 is a shared string: point it past the table.
			re := regexp.MustCompile(`(<c r="C2"[^>]*t="s"[^>]*><v>)\d+(</v>)`)
			if !re.Match(b) {
				t.Fatalf("no shared-string cell C2 in %s", b)
			}
			b = re.ReplaceAll(b, []byte("${1}999${2}"))
		}
		w, _ := zw.Create(f.Name)
		w.Write(b)
	}
	zr.Close()
	zw.Close()
	rep, sink := importFileWith(t, writeFile(t, "damaged.xlsx", out.Bytes()), Options{})
	if len(sink.incidents) != 1 || sink.incidents[0].Actor != "" {
		t.Fatalf("incidents %+v", sink.incidents)
	}
	if len(rep.Warnings) != 1 || !strings.Contains(rep.Warnings[0], "cell C2 refers to shared string 999") {
		t.Errorf("warnings %q", rep.Warnings)
	}
}

// Issue 14, defect 6: export --kind positions wrote formula-like actor, speaker, role and
// quote text as it was; a sheet edited or saved as CSV would run it.
func TestExportPositionsNeutralizesFormulas(t *testing.T) {
	stmts := []data.Statement{
		{ID: "S1", Date: data.MustDate("2025-10-01"), Actor: "=HYPERLINK(\"http://x\",\"UK\")", Topic: "+T",
			Stance: "defends", Speaker: "@speaker", Role: "-role", Quote: "=1+1", Source: "\tsrc"},
	}
	m, err := data.NewMatrix(stmts, data.DefaultVocabulary(), data.MatrixOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := ExportPositions(&buf, m, PositionsExportOptions{}); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, sheet := range f.GetSheetList() {
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		for r, row := range rows {
			for c, v := range row {
				if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
					t.Errorf("%s row %d column %d starts with a formula character: %q", sheet, r+1, c+1, v)
				}
				if formula, _ := f.GetCellFormula(sheet, posCellName(c+1, r+1)); formula != "" {
					t.Errorf("%s row %d column %d is a formula: %q", sheet, r+1, c+1, formula)
				}
			}
		}
	}
	got, _ := f.GetCellValue(PositionsStatementsSheet, "B2")
	if got != "'=HYPERLINK(\"http://x\",\"UK\")" {
		t.Errorf("actor in the statements sheet = %q", got)
	}
}
