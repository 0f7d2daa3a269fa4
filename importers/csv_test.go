package importers

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf16"

	"sitrep/data"
)

func encodeUTF16(s string, bigEndian bool) []byte {
	units := utf16.Encode([]rune(s))
	out := []byte{0xFF, 0xFE}
	if bigEndian {
		out = []byte{0xFE, 0xFF}
	}
	for _, u := range units {
		if bigEndian {
			out = append(out, byte(u>>8), byte(u))
		} else {
			out = append(out, byte(u), byte(u>>8))
		}
	}
	return out
}

func TestCSVEncodingsAndDelimiters(t *testing.T) {
	const rows = "id;date;location;killed\r\n\"1\";\"2025-09-02\";\"Ærø; havn\";\"3\"\r\n\"2\";\"2025-09-03\";\"Sea\";\"\"\r\n"
	comma := "id,date,location,killed\n1,2025-09-02,\"Ærø; havn\",3\n2,2025-09-03,Sea,\n"
	tests := []struct {
		name     string
		file     string
		data     []byte
		encoding string
		delim    string
	}{
		{"UTF-8", "a.csv", []byte(comma), "UTF-8", "comma"},
		{"UTF-8 with BOM", "a.csv", append([]byte{0xEF, 0xBB, 0xBF}, comma...), "UTF-8 with BOM", "comma"},
		{"UTF-16 LE semicolons", "a.csv", encodeUTF16(rows, false), "UTF-16LE", "semicolon"},
		{"UTF-16 BE semicolons", "a.csv", encodeUTF16(rows, true), "UTF-16BE", "semicolon"},
		{"Excel's sep= line", "a.csv", []byte("sep=;\r\n" + strings.ReplaceAll(strings.ReplaceAll(rows, "\"", ""), "Ærø; havn", "\"Ærø; havn\"")), "UTF-8", "semicolon"},
		{"tabs", "a.tsv", []byte(strings.ReplaceAll(strings.ReplaceAll(comma, ",", "\t"), "\"Ærø; havn\"", "Ærø; havn")), "UTF-8", "tab"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := writeFile(t, tt.file, tt.data)
			plan, err := Inspect(p, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if plan.Encoding != tt.encoding || plan.Delimiter != tt.delim || plan.Format != FormatCSV {
				t.Errorf("encoding %q delimiter %q, want %q %q", plan.Encoding, plan.Delimiter, tt.encoding, tt.delim)
			}
			plan.Close()
			_, sink := importFile(t, p, Options{})
			if len(sink.incidents) != 2 {
				t.Fatalf("imported %d", len(sink.incidents))
			}
			a := sink.incident(t, "a:1")
			if a.Location != "Ærø; havn" || a.Killed != data.Exactly(3) || a.Date != data.Day(2025, 9, 2) {
				t.Errorf("row 1 = %+v", a)
			}
			if b := sink.incident(t, "a:2"); b.Killed.Known() {
				t.Errorf("blank killed read as %v, want unknown", b.Killed)
			}
		})
	}
}

func TestCSVQuotedLineBreaksAndBareQuotes(t *testing.T) {
	body := "id,date,notes,killed\nA,2025-01-01,\"two\nlines\",1\nB,2025-01-02,said \"no\" twice,2\nC,2025-01-03,plain,3\n"
	rep, sink := importFile(t, csvFile(t, "q.csv", body), Options{})
	if len(sink.incidents) != 3 {
		t.Fatalf("imported %d:\n%s", len(sink.incidents), problemsText(rep.Sheets[0]))
	}
	if a := sink.incident(t, "A"); a.Notes != "two\nlines" {
		t.Errorf("A notes = %q", a.Notes)
	}
	if b := sink.incident(t, "B"); b.Notes != `said "no" twice` || b.Provenance.Row != 3 {
		t.Errorf("B = %q row %d (rows count records, not lines)", b.Notes, b.Provenance.Row)
	}
}

func TestCSVTrailingEmptyColumnAndSpaces(t *testing.T) {
	body := "\ufeffID,Location,Date,Description of target ,URL,\r\n1,\"near X, Somalia\",9-Aug-22,al-Shabaab ,https://a,\r\n2,Y,\"March 15–17, 2020\",Maybe ,https://b,\r\n"
	rep, sink := importFile(t, csvFile(t, "airwars.csv", body), Options{})
	if len(sink.incidents) != 2 {
		t.Fatalf("imported %d:\n%s", len(sink.incidents), problemsText(rep.Sheets[0]))
	}
	a := sink.incident(t, "airwars:1")
	if a.Date != data.Day(2022, 8, 9) || a.Target != "al-Shabaab" || a.Source != "https://a" || len(a.Extra) != 0 {
		t.Errorf("a = %+v", a)
	}
	b := sink.incident(t, "airwars:2")
	if b.Date != data.Day(2020, 3, 15) || b.DateEnd != data.Day(2020, 3, 17) {
		t.Errorf("b dates = %v..%v", b.Date, b.DateEnd)
	}
}

// FuzzCSV feeds arbitrary bytes to the whole pipeline as a CSV file: it must refuse or import,
// never panic, and every record it writes must be valid.
func FuzzCSV(f *testing.F) {
	for _, s := range []string{
		"id,date,killed\nA,2025-01-01,3\n",
		"date;location;killed\n05/06/2018;x;2-4\n25/06/2018;y;dozens\n",
		"\ufeffDate,Location\n\"March 15–17, 2020\",\"a\nb\"\n",
		"Date,Country,Speaker,Stance\n2025-01-01,UK,X,condemns\n",
		"as_of,claimant,strikes\n2025-01-01,X,10+\n",
		"a,\"b\nc,d\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		dir := t.TempDir()
		p := filepath.Join(dir, "f.csv")
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		plan, err := Inspect(p, Options{})
		if err != nil {
			return
		}
		defer plan.Close()
		sink := &fakeSink{}
		rep, _ := Run(context.Background(), plan, sink, nil)
		if rep == nil {
			t.Fatal("no report")
		}
		for _, r := range sink.incidents {
			if err := r.Validate(); err != nil || r.Date.IsZero() {
				t.Fatalf("invalid incident written: %+v (%v)", r, err)
			}
		}
	})
}

func TestUTF16SurrogatePairs(t *testing.T) {
	p := writeFile(t, "boats.csv", encodeUTF16("id,date,location\nA,2025-09-02,🚤 off Venezuela\n", false))
	_, sink := importFile(t, p, Options{})
	if len(sink.incidents) != 1 || sink.incidents[0].Location != "🚤 off Venezuela" {
		t.Fatalf("incidents = %+v", sink.incidents)
	}
}

func TestWindows1252CSV(t *testing.T) {
	tests := []struct {
		name, body string
		location   string
	}{
		{"latin-1 letters", "id,date,location,killed\nW1,2025-09-02,Caf\xe9 del Mar,3\n", "Café del Mar"},
		{"windows-1252 euro and quotes", "id;date;location;killed\nW2;2025-09-02;\x93Puerto\x94 \x80 zone;3\n", "“Puerto” € zone"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := csvFile(t, "legacy.csv", tt.body)
			rep, sink := importFile(t, p, Options{})
			if rep.Status == StatusFailed || len(sink.incidents) != 1 {
				t.Fatalf("status %s (%s), %d incidents", rep.Status, rep.Error, len(sink.incidents))
			}
			if got := sink.incidents[0].Location; got != tt.location {
				t.Errorf("location = %q, want %q", got, tt.location)
			}
			if rep.Encoding != legacyEncoding {
				t.Errorf("report encoding = %q, want %q", rep.Encoding, legacyEncoding)
			}
		})
	}
	// Binary control bytes are still refused, whatever the name.
	p := csvFile(t, "binary.csv", "id,date\x01\x02\x03\n")
	if _, err := Inspect(p, Options{}); !errors.Is(err, ErrUnsupported) {
		t.Errorf("binary .csv: err = %v, want ErrUnsupported", err)
	}
}
