package importers

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"sitrep/data"
)

func demoFile(t *testing.T, name string) string {
	t.Helper()
	for _, dir := range []string{"../assets/demo"} {
		p := filepath.Join(dir, name)
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	t.Skipf("demo file %s not found", name)
	return ""
}

func TestDemoDataImportsWithoutMapping(t *testing.T) {
	rep, sink := importFile(t, demoFile(t, "incidents.csv"), Options{})
	if rep.Status != StatusImported || len(rep.Sheets) != 1 || rep.Sheets[0].Kind != string(data.KindIncident) {
		t.Fatalf("report = %+v", rep)
	}
	if n := len(sink.incidents); n != 17 {
		t.Fatalf("incidents = %d, want 17", n)
	}
	killed, carib, pacific, survivors := 0, 0, 0, 0
	for _, r := range sink.incidents {
		if !r.Killed.Exact() {
			t.Errorf("%s killed %v is not exact", r.ID, r.Killed)
		}
		killed += r.Killed.Low()
		survivors += r.Survivors.Low()
		switch r.Theatre {
		case "Caribbean":
			carib++
		case "Eastern Pacific":
			pacific++
		}
		if len(r.Extra) != 0 {
			t.Errorf("%s has unmapped columns %v", r.ID, r.Extra)
		}
	}
	if killed != 79 || carib != 11 || pacific != 6 || survivors != 3 {
		t.Errorf("killed %d, Caribbean %d, Eastern Pacific %d, survivors %d; want 79, 11, 6, 3", killed, carib, pacific, survivors)
	}
	if r := sink.incident(t, "US-2025-01"); r.Date != data.Day(2025, 9, 2) || r.Provenance.Row != 2 || r.Provenance.Sheet != "" {
		t.Errorf("US-2025-01 = %+v", r)
	}

	_, sink = importFile(t, demoFile(t, "statements.csv"), Options{})
	actors := map[string]int{}
	for _, s := range sink.statements {
		actors[s.Actor]++
	}
	if len(sink.statements) != 8 || actors["United States"] != 3 || actors["United Kingdom"] != 3 || actors["United Nations"] != 1 || actors["Venezuela"] != 1 {
		t.Errorf("statements %d by %v", len(sink.statements), actors)
	}

	_, sink = importFile(t, demoFile(t, "tallies.csv"), Options{})
	if len(sink.tallies) != 4 {
		t.Fatalf("tallies = %d", len(sink.tallies))
	}
	for _, tl := range sink.tallies {
		switch tl.ID {
		case "T-02":
			if tl.Killed != data.AtLeast(66) || tl.Survivors.Known() {
				t.Errorf("T-02 = killed %v survivors %v, want 66+ and unknown", tl.Killed, tl.Survivors)
			}
		case "T-04":
			if tl.Killed != data.AtLeast(71) || tl.Strikes.Known() {
				t.Errorf("T-04 = killed %v strikes %v, want 71+ and unknown", tl.Killed, tl.Strikes)
			}
		}
	}
}

func csvFile(t *testing.T, name, body string) string {
	t.Helper()
	return writeFile(t, name, []byte(body))
}

func TestNaturalIDsAreStable(t *testing.T) {
	body := "date,location,killed\n2025-09-02,Sea,3\n2025-09-02,Sea,3\n2025-09-03,Bay,1\n"
	_, a := importFile(t, csvFile(t, "a.csv", body), Options{})
	_, b := importFile(t, csvFile(t, "b.csv", body), Options{})
	if len(a.incidents) != 3 || len(b.incidents) != 3 {
		t.Fatalf("imported %d and %d, want 3 (identical rows are two records)", len(a.incidents), len(b.incidents))
	}
	seen := map[string]bool{}
	for i := range a.incidents {
		if a.incidents[i].ID != b.incidents[i].ID {
			t.Errorf("row %d: id %s then %s", i, a.incidents[i].ID, b.incidents[i].ID)
		}
		if seen[a.incidents[i].ID] {
			t.Errorf("id %s given twice", a.incidents[i].ID)
		}
		seen[a.incidents[i].ID] = true
		if !strings.HasPrefix(a.incidents[i].ID, "inc-") {
			t.Errorf("natural id %q", a.incidents[i].ID)
		}
	}
	// A changed figure keeps the id (it becomes a revision in the store).
	_, c := importFile(t, csvFile(t, "c.csv", strings.Replace(body, "Bay,1", "Bay,5", 1)), Options{})
	if c.incidents[2].ID != a.incidents[2].ID {
		t.Errorf("changing killed changed the id: %s vs %s", c.incidents[2].ID, a.incidents[2].ID)
	}
}

func TestNumericIDsAreScopedToTheFile(t *testing.T) {
	_, s := importFile(t, csvFile(t, "Airwars Somalia.csv", "ID,Date,Location\n1,2020-01-01,X\n"), Options{})
	if got := s.incidents[0].ID; got != "airwars_somalia:1" {
		t.Errorf("id = %q", got)
	}
}

func TestDuplicateIDs(t *testing.T) {
	p := writeXLSX(t, "dups.xlsx", []sheet{
		{"A", [][]any{incHeader, {"X1", "2025-01-01", "Sea", 1, 1}, {"X2", "2025-01-02", "Sea", 2, 2}, {"X1", "2025-01-05", "Bay", 4, 4}}},
		{"B", [][]any{{"id", "date", "location", "killed_min", "killed_max", "extra"}, {"X2", "2025-01-02", "Sea", 2, 2, "more"}}},
	}, nil)
	rep, sink := importFile(t, p, Options{})
	if len(sink.incidents) != 2 {
		t.Fatalf("imported %d, want 2", len(sink.incidents))
	}
	a, b := sheetReport(t, rep, "A"), sheetReport(t, rep, "B")
	if a.Rejected != 1 || !strings.Contains(problemsText(a), "id already read from sheet A, row 2 with a different date and place and killed figure") {
		t.Errorf("sheet A: rejected %d\n%s", a.Rejected, problemsText(a))
	}
	if b.Rejected != 0 || b.Duplicates != 1 || !strings.Contains(problemsText(b), "the same record as sheet A, row 3; skipped [note]") {
		t.Errorf("sheet B: rejected %d duplicates %d\n%s", b.Rejected, b.Duplicates, problemsText(b))
	}
}

func TestStrictAndDryRun(t *testing.T) {
	body := "id,date,killed\nA,2025-01-01,3\nB,someday,2\n"
	p := csvFile(t, "s.csv", body)

	plan, err := Inspect(p, Options{Strict: true})
	if err != nil {
		t.Fatal(err)
	}
	sink := &fakeSink{}
	rep, err := Run(context.Background(), plan, sink, nil)
	plan.Close()
	if !errors.Is(err, ErrStrict) || rep.Status != StatusFailed || !sink.aborted || sink.committed {
		t.Fatalf("strict: err %v, status %s, aborted %v, committed %v", err, rep.Status, sink.aborted, sink.committed)
	}
	if rep.Sheets[0].Rejected != 1 || !strings.Contains(rep.Error, "--strict") {
		t.Errorf("strict report: %+v", rep)
	}

	rep, sink = importFile(t, p, Options{})
	if rep.Status != StatusImported || len(sink.incidents) != 1 || rep.Sheets[0].Rejected != 1 || rep.Sheets[0].Inserted != 1 {
		t.Errorf("default: status %s, imported %d, %+v", rep.Status, len(sink.incidents), rep.Sheets[0])
	}

	plan, err = Inspect(p, Options{DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	rep, err = Run(context.Background(), plan, nil, nil)
	plan.Close()
	if err != nil || rep.Sheets[0].Inserted != 1 || !rep.DryRun {
		t.Errorf("dry run without a sink: %v %+v", err, rep.Sheets[0])
	}
}

func TestSinkErrors(t *testing.T) {
	p := csvFile(t, "s.csv", "id,date,killed\nA,2025-01-01,3\n")
	plan, err := Inspect(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer plan.Close()
	sink := &fakeSink{failWith: errors.New("disk full")}
	rep, err := Run(context.Background(), plan, sink, nil)
	if err == nil || !strings.Contains(err.Error(), "s.csv: sheet s, row 2: writing: disk full") || !sink.aborted || rep.Status != StatusFailed {
		t.Fatalf("err = %v, aborted %v", err, sink.aborted)
	}
}

func TestDateOrderInferredFromTheColumn(t *testing.T) {
	tests := []struct {
		name   string
		body   string
		opts   Options
		first  data.Date
		report string
	}{
		{"settled by a later row", "date,location\n05/06/2018,A\n07/08/2018,B\n25/06/2018,C\n", Options{},
			data.Day(2018, 6, 5), "day-first (settled by row 4, \"25/06/2018\")"},
		{"month first", "date,location\n05/06/2018,A\n06/25/2018,C\n", Options{},
			data.Day(2018, 5, 6), "month-first (settled by row 3"},
		{"never settled: assumed", "date,location\n05/06/2018,A\n", Options{},
			data.Day(2018, 6, 5), "day-first (assumed"},
		{"overridden", "date,location\n05/06/2018,A\n25/06/2018,C\n", Options{DateOrder: DateOrderMonthFirst},
			data.Day(2018, 5, 6), "month-first (chosen (--month-first))"},
		{"from the header", "Date (MM/DD/YYYY),location\n05/06/2018,A\n", Options{},
			data.Day(2018, 5, 6), "from the header"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep, sink := importFile(t, csvFile(t, "d.csv", tt.body), tt.opts)
			if len(sink.incidents) == 0 {
				t.Fatalf("nothing imported:\n%s", problemsText(rep.Sheets[0]))
			}
			var a *data.Incident
			for _, r := range sink.incidents {
				if r.Location == "A" {
					a = r
				}
			}
			if a == nil || a.Date != tt.first {
				t.Fatalf("row A = %+v, want date %v", a, tt.first)
			}
			if !strings.Contains(rep.Sheets[0].DateOrder, tt.report) {
				t.Errorf("date order report %q lacks %q", rep.Sheets[0].DateOrder, tt.report)
			}
		})
	}
	// The overridden order makes 25/06/2018 a problem, named with the order's reason.
	rep, _ := importFile(t, csvFile(t, "d.csv", "date,location\n25/06/2018,C\n"), Options{DateOrder: DateOrderMonthFirst})
	if txt := problemsText(rep.Sheets[0]); !strings.Contains(txt, "month 25 does not exist (the column reads month-first") {
		t.Errorf("problems:\n%s", txt)
	}
}

func TestMappingOverridesAndMemory(t *testing.T) {
	body := "When,Where,Toll,Who\n2025-01-01,Sea,3,Navy\n"
	p := csvFile(t, "m.csv", body)
	// "When"/"Where"/"Toll" are not synonyms: the sheet is ignored without help.
	plan, err := Inspect(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if plan.Sheets[0].Kind != data.KindIncident {
		// "when" and "where" are synonyms of date and location; "Toll" is not.
		t.Fatalf("kind = %s (%s)", plan.Sheets[0].Kind, plan.Sheets[0].Note)
	}
	plan.Close()

	settings := memSettings{}
	opts := Options{Map: map[Field]string{"killed": "Toll", FieldActor: "D"}, Settings: settings}
	plan, err = Inspect(p, opts)
	if err != nil {
		t.Fatal(err)
	}
	sp := plan.Sheets[0]
	if got := sp.MappingByHeader(); got["killed"] != "Toll" || got["actor"] != "Who" {
		t.Fatalf("mapping = %v", got)
	}
	rep, err := Run(context.Background(), plan, &fakeSink{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := plan.RememberMappings(settings); err != nil {
		t.Fatal(err)
	}
	plan.Close()
	if rep.Sheets[0].Mapping["killed"] != "Toll" {
		t.Errorf("report mapping = %v", rep.Sheets[0].Mapping)
	}
	// The next file with the same headers maps the same way, with no options.
	rep, sink := importFile(t, csvFile(t, "m2.csv", body), Options{Settings: settings})
	if len(sink.incidents) != 1 || sink.incidents[0].Killed != data.Exactly(3) || sink.incidents[0].Actor != "Navy" {
		t.Errorf("remembered mapping not applied: %+v", sink.incidents)
	}

	// Errors name what is wrong.
	for _, m := range []map[Field]string{{"killed": "Nope"}, {"quote": "Toll"}} {
		if _, err := Inspect(p, Options{Map: m}); err == nil {
			t.Errorf("Inspect with --map %v succeeded", m)
		}
	}
}

func TestSheetSelectionAndKindChange(t *testing.T) {
	p := writeXLSX(t, "two.xlsx", []sheet{
		{"One", [][]any{incHeader, {"A", "2025-01-01", "x", 1, 1}}},
		{"Two", [][]any{incHeader, {"B", "2025-01-01", "x", 1, 1}}},
	}, nil)
	rep, sink := importFile(t, p, Options{Sheets: []string{"two"}})
	if len(sink.incidents) != 1 || sink.incidents[0].ID != "B" || sheetReport(t, rep, "One").Kind != string(KindIgnored) {
		t.Errorf("--sheet two: %+v", sink.incidents)
	}
	if _, err := Inspect(p, Options{Sheets: []string{"Three"}}); err == nil || !strings.Contains(err.Error(), "no sheet named Three (sheets: One, Two)") {
		t.Errorf("unknown sheet: %v", err)
	}
	// The caller can change a sheet's kind and mapping before running.
	plan, err := Inspect(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer plan.Close()
	plan.Sheet("One").SetKind(KindIgnored)
	if err := plan.Sheet("Two").SetMapping(FieldNotes, "location"); err != nil {
		t.Fatal(err)
	}
	s2 := &fakeSink{}
	if _, err := Run(context.Background(), plan, s2, nil); err != nil {
		t.Fatal(err)
	}
	if len(s2.incidents) != 1 || s2.incidents[0].Notes != "x" || s2.incidents[0].Location != "" {
		t.Errorf("after changes: %+v", s2.incidents)
	}
}

func TestCancelAndProgress(t *testing.T) {
	var b strings.Builder
	b.WriteString("id,date,killed\n")
	for i := 0; i < 5000; i++ {
		b.WriteString("X")
		b.WriteString(strings.Repeat("a", i%7))
		b.WriteString(",2025-01-01,1\n")
	}
	p := csvFile(t, "big.csv", b.String())
	plan, err := Inspect(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer plan.Close()
	var calls, last int
	rep, err := Run(context.Background(), plan, &fakeSink{}, func(n int) { calls++; last = n })
	if err != nil || calls == 0 || last != 5000 {
		t.Fatalf("progress: %d calls, last %d, err %v", calls, last, err)
	}
	_ = rep

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	sink := &fakeSink{}
	rep, err = Run(ctx, plan, sink, nil)
	if !errors.Is(err, context.Canceled) || !sink.aborted || rep.Status != StatusFailed {
		t.Fatalf("cancelled: err %v, aborted %v, status %s", err, sink.aborted, rep.Status)
	}
}

func TestReportFormats(t *testing.T) {
	p := writeXLSX(t, "audit.xlsx", []sheet{{"Strikes", [][]any{
		{"Strike ID", "Date", "Location", "Deaths"},
		{"A", "2025-09-02", "Sea", "dozens"},
		{"B", "2025-13-45", "Sea", "3"},
	}}}, nil)
	rep, _ := importFile(t, p, Options{})
	rep.Path = "audit.xlsx"
	var txt bytes.Buffer
	if err := (&Report{Files: []*FileReport{rep}}).WriteText(&txt); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"audit.xlsx: imported\n",
		"  sheet Strikes: incidents, header row 1, 2 rows read: 1 inserted, 0 updated, 0 unchanged, 1 rejected\n",
		`mapping: date="Date", id="Strike ID", killed="Deaths", location="Location"`,
		`audit.xlsx: sheet Strikes, row 3, column B (Date): value "2025-13-45": month 13 does not exist`,
		`audit.xlsx: sheet Strikes, row 2, column D (Deaths): value "dozens": note: read "dozens" as at least 24`,
	} {
		if !strings.Contains(txt.String(), want) {
			t.Errorf("text report lacks %q:\n%s", want, txt.String())
		}
	}
	var js bytes.Buffer
	if err := (&Report{Files: []*FileReport{rep}}).WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	var generic struct {
		Files []struct {
			Path, Status string
			Sheets       []map[string]any
		}
	}
	if err := json.Unmarshal(js.Bytes(), &generic); err != nil {
		t.Fatal(err)
	}
	sh := generic.Files[0].Sheets[0]
	for _, key := range []string{"name", "kind", "header_row", "mapping", "rows", "inserted", "updated", "unchanged", "rejected", "problems"} {
		if _, ok := sh[key]; !ok {
			t.Errorf("JSON sheet lacks %q: %s", key, js.String())
		}
	}
	probs := sh["problems"].([]any)
	p0 := probs[0].(map[string]any)
	for _, key := range []string{"row", "column", "header", "value", "message"} {
		if _, ok := p0[key]; !ok {
			t.Errorf("JSON problem lacks %q", key)
		}
	}
}

// A row ambiguous in one date column that settles another waits, then is read once both are
// known, and rows keep their own values.
func TestParkedRowsWithTwoDateColumns(t *testing.T) {
	body := "date,date_end,location\n01/02/2020,03/04/2020,A\n05/06/2020,25/06/2020,B\n13/01/2020,14/01/2020,C\n"
	rep, sink := importFile(t, csvFile(t, "two.csv", body), Options{})
	if len(sink.incidents) != 3 {
		t.Fatalf("imported %d:\n%s", len(sink.incidents), problemsText(rep.Sheets[0]))
	}
	want := map[string][2]data.Date{
		"A": {data.Day(2020, 2, 1), data.Day(2020, 4, 3)},
		"B": {data.Day(2020, 6, 5), data.Day(2020, 6, 25)},
		"C": {data.Day(2020, 1, 13), data.Day(2020, 1, 14)},
	}
	for _, r := range sink.incidents {
		if w := want[r.Location]; r.Date != w[0] || r.DateEnd != w[1] {
			t.Errorf("%s: %v..%v, want %v..%v", r.Location, r.Date, r.DateEnd, w[0], w[1])
		}
	}
}

func TestRowsEstimate(t *testing.T) {
	var b strings.Builder
	b.WriteString("id,date,killed\n")
	for i := 0; i < 20000; i++ {
		b.WriteString("ID-")
		b.WriteString(strings.Repeat("x", i%10))
		b.WriteString(",2025-01-01,1\n")
	}
	plan, err := Inspect(csvFile(t, "e.csv", b.String()), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer plan.Close()
	if e := plan.Sheets[0].RowsEstimate; e < 18000 || e > 22000 {
		t.Errorf("CSV estimate %d, want about 20000", e)
	}
	// excelize writes the dimension "A1" unless told; Excel writes the used range.
	p := writeXLSX(t, "e.xlsx", []sheet{{"S", [][]any{{"Title"}, incHeader, {"A", "2025-01-01", "x", 1, 1}, {"B", "2025-01-01", "x", 1, 1}}}},
		func(f *excelize.File) {
			if err := f.SetSheetDimension("S", "A1:E4"); err != nil {
				panic(err)
			}
		})
	plan2, err := Inspect(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer plan2.Close()
	if e := plan2.Sheets[0].RowsEstimate; e != 2 {
		t.Errorf("workbook estimate %d, want 2", e)
	}
}

func TestTheatreFallsBackToCountry(t *testing.T) {
	tests := []struct {
		name    string
		rows    [][]any
		theatre []string
	}{
		{"no theatre column", [][]any{
			{"Strike ID", "Date", "Country", "Location", "Killed"},
			{"A1", "2020-01-02", "Yemen ", "Marib", 3},
			{"A2", "2020-01-03", "Somalia", "Jilib", 2},
		}, []string{"Yemen", "Somalia"}},
		{"blank theatre cell", [][]any{
			{"id", "date", "theatre", "country", "location", "killed_min", "killed_max"},
			{"B1", "2025-10-21", "Eastern Pacific", "Colombia", "off Colombia", 2, 2},
			{"B2", "2025-10-22", "", "Venezuela", "off Venezuela", 3, 3},
		}, []string{"Eastern Pacific", "Venezuela"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := writeXLSX(t, "theatre.xlsx", []sheet{{"Strikes", tt.rows}}, nil)
			rep, sink := importFile(t, p, Options{})
			if rep.Status == StatusFailed || len(sink.incidents) != len(tt.theatre) {
				t.Fatalf("status %s, %d incidents: %+v", rep.Status, len(sink.incidents), rep.Sheets)
			}
			for i, want := range tt.theatre {
				if got := sink.incidents[i].Theatre; got != want {
					t.Errorf("row %d theatre = %q, want %q", i+2, got, want)
				}
			}
		})
	}
}
