package importers

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"sitrep/data"
)

func TestSplitWords(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"SideADeaths", []string{"side", "a", "deaths"}},
		{"StartYear1", []string{"start", "year", "1"}},
		{"Total_Died", []string{"total", "died"}},
		{"deaths_civilians", []string{"deaths", "civilians"}},
		{"Civilian casualities(OHCHR) - Killed", []string{"civilian", "casualities", "killed"}},
		{"adm_1", []string{"adm", "1"}},
		{"admin2", []string{"admin2"}},
		{"MonthT", []string{"month", "t"}},
		{"FECHA HECHO", []string{"fecha", "hecho"}},
		{"No. of Suicide Blasts", []string{"no", "of", "suicide", "blasts"}},
		{"Blessés (min)", []string{"blessés"}},
		{"", nil},
	} {
		if got := splitWords(tc.in); !slices.Equal(got, tc.want) {
			t.Errorf("splitWords(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// The header reader in English, Spanish and French: what each header maps to in a sheet with
// a date and a place.
func TestReadHeadersByMeaning(t *testing.T) {
	for _, tc := range []struct {
		lang    string
		headers []string
		want    map[Field]string // field -> header
		not     []string         // headers that must stay unmapped
	}{
		{"English ranges and categories", []string{"Date", "Location", "Killed Min", "Killed Max", "Civilians killed", "Children killed (max)", "Wounded"},
			map[Field]string{"killed_min": "Killed Min", "killed_max": "Killed Max", "killed/civilians": "Civilians killed", "killed/children": "Children killed (max)", "injured": "Wounded"}, nil},
		{"English sides and estimates (UCDP)", []string{"date_start", "adm_1", "deaths_a", "deaths_b", "deaths_unknown", "low", "best", "high"},
			map[Field]string{"admin1": "adm_1", "killed/side A": "deaths_a", "killed/side B": "deaths_b", "killed/unknown": "deaths_unknown",
				"killed": "best", "killed/lowest estimate": "low", "killed/highest estimate": "high"}, nil},
		{"English total beside groups, and event counts", []string{"Year", "Month", "Day", "Week_Day", "Province", "No_of_Strike", "Civilians", "Total_Died", "Al_Qaeda"},
			map[Field]string{"year": "Year", "month": "Month", "day": "Day", "admin1": "Province", "events": "No_of_Strike",
				"killed/civilians": "Civilians", "killed": "Total_Died"}, []string{"Week_Day", "Al_Qaeda"}},
		{"English victims beside fatalities", []string{"date", "location", "fatalities", "injured", "total_victims"},
			map[Field]string{"killed": "fatalities", "injured": "injured"}, []string{"total_victims"}},
		{"English ratios are not counts", []string{"Date", "Location", "Killed", "Ratio of Civilians to Total Killed", "% killed"},
			map[Field]string{"killed": "Killed"}, []string{"Ratio of Civilians to Total Killed", "% killed"}},
		{"English flags are not counts", []string{"Date", "Location", "Killed", "Air strike?", "Drone strike"},
			map[Field]string{"killed": "Killed"}, []string{"Air strike?", "Drone strike"}},
		{"Spanish", []string{"FECHA HECHO", "COD_DEPTO", "DEPARTAMENTO", "MUNICIPIO", "CASOS", "VICTIMAS", "Heridos", "Muertos civiles", "Desaparecidos"},
			map[Field]string{"date": "FECHA HECHO", "admin1": "DEPARTAMENTO", "admin2": "MUNICIPIO", "events": "CASOS",
				"killed/civiles": "Muertos civiles", "injured": "Heridos", "missing": "Desaparecidos"}, []string{"COD_DEPTO", "VICTIMAS"}},
		{"Spanish victims alone count the dead", []string{"Fecha", "Municipio", "Víctimas"},
			map[Field]string{"date": "Fecha", "admin2": "Municipio", "killed": "Víctimas"}, nil},
		{"French", []string{"Date", "Commune", "Tués", "Blessés", "Morts (min)", "Disparus", "Nombre d'attaques"},
			map[Field]string{"admin2": "Commune", "killed": "Tués", "injured": "Blessés", "missing": "Disparus", "events": "Nombre d'attaques"}, []string{"Morts (min)"}},
		{"French ranges", []string{"Date", "Pays", "Morts minimum", "Morts maximum", "Blessés enfants"},
			map[Field]string{"country": "Pays", "killed_min": "Morts minimum", "killed_max": "Morts maximum", "injured/enfants": "Blessés enfants"}, nil},
		{"COW date parts with episodes", []string{"WarName", "StartMonth1", "StartDay1", "StartYear1", "EndMonth1", "EndDay1", "EndYear1", "StartYear2", "SideADeaths", "SideBDeaths"},
			map[Field]string{"month": "StartMonth1", "day": "StartDay1", "year": "StartYear1", "end_month": "EndMonth1", "end_day": "EndDay1",
				"end_year": "EndYear1", "killed/side A": "SideADeaths", "killed/side B": "SideBDeaths"}, []string{"StartYear2"}},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			m, _ := mapHeaders(data.KindIncident, tc.headers)
			got := map[Field]string{}
			for f, c := range m {
				got[f] = tc.headers[c]
			}
			for f, h := range tc.want {
				if got[f] != h {
					t.Errorf("%s -> %q, want %q (mapping %v)", f, got[f], h, got)
				}
			}
			for _, h := range tc.not {
				for f, g := range got {
					if g == h {
						t.Errorf("%q mapped to %s, want unmapped", h, f)
					}
				}
			}
		})
	}
}

func TestHXLTags(t *testing.T) {
	for _, tc := range []struct {
		kind data.Kind
		tag  string
		want Field
	}{
		{data.KindIncident, "#date", FieldDate},
		{data.KindIncident, "#date+start", FieldDate},
		{data.KindIncident, "#date+end", FieldDateEnd},
		{data.KindIncident, "#date+year", FieldYear},
		{data.KindIncident, "#country+name", FieldCountry},
		{data.KindIncident, "#country+code", ""},
		{data.KindIncident, "#adm1+name", FieldAdmin1},
		{data.KindIncident, "#adm2+name", FieldAdmin2},
		{data.KindIncident, "#adm1+code", ""},
		{data.KindIncident, "#loc+name", FieldLocation},
		{data.KindIncident, "#geo+lat", FieldLat},
		{data.KindIncident, "#geo+lon", FieldLon},
		{data.KindIncident, "#affected+killed", "killed"},
		{data.KindIncident, "#affected+injured", "injured"},
		{data.KindIncident, "#affected+killed+children", "killed/children"},
		{data.KindIncident, "#event+id", FieldID},
		{data.KindIncident, "#org+name", FieldActor},
		{data.KindIncident, "#region+name", ""},
		{data.KindIncident, "#group+name+first", ""},
		{data.KindStatement, "#country+name", FieldActor},
		{data.KindTally, "#date", FieldAsOf},
		{data.KindIncident, " #Affected +Killed ", "killed"},
	} {
		if got := hxlField(tc.kind, tc.tag); got != tc.want {
			t.Errorf("%s %q = %q, want %q", tc.kind, tc.tag, got, tc.want)
		}
	}
	// Tags decide before headers: "region" would be the theatre by its header, but its tag is
	// one Sitrep does not use; "value" means nothing as a header, but its tag is killed.
	p := writeFile(t, "hxl.csv", []byte("when,region,place,value,deaths_a\n#date,#region+name,#adm1+name,#affected+killed,\n2024-01-02,Asia,Dhaka,3,1\n2024-01-03,Asia,Khulna,2,2\n"))
	rep, sink := importFile(t, p, Options{})
	sr := rep.Sheets[0]
	if len(sink.incidents) != 2 || sr.Mapping["killed"] != "value" || sr.Mapping["admin1"] != "place" || sr.Mapping["theatre"] != "" {
		t.Fatalf("mapping %v, %d records\n%s", sr.Mapping, len(sink.incidents), problemsText(sr))
	}
	if r := sink.incidents[0]; r.Killed != data.Exactly(3) || r.Theatre != "Dhaka" || len(r.Casualties) != 1 || r.Casualties[0].Category != "side A" {
		t.Errorf("first record %+v", r)
	}
}

func TestDateParts(t *testing.T) {
	csv := "Year,Month,Day,Week_Day,City,Killed\n" +
		"2004,6,18,Friday,Wana,5\n" + // a day
		"2005,may,,Sunday,Mir Ali,2\n" + // a month by name, no day: the month
		"2006,-9,-9,,Miranshah,1\n" + // coded month: the year
		"2007,2,30,,Datta Khel,1\n" + // no such day: the month, with a note
		",3,4,,Nowhere,1\n" // no year: rejected
	rep, sink := importFile(t, writeFile(t, "parts.csv", []byte(csv)), Options{})
	sr := rep.Sheets[0]
	want := []data.Date{data.Day(2004, 6, 18), data.MonthOf(2005, 5), data.YearOf(2006), data.MonthOf(2007, 2)}
	if len(sink.incidents) != len(want) || sr.Rejected != 1 {
		t.Fatalf("%d records, %d rejected\n%s", len(sink.incidents), sr.Rejected, problemsText(sr))
	}
	for i, w := range want {
		if sink.incidents[i].Date != w {
			t.Errorf("row %d: %v, want %v", i+2, sink.incidents[i].Date, w)
		}
	}
	if !strings.Contains(problemsText(sr), "not a day of Feb 2007") || !strings.Contains(sr.DateRule, "Week_Day is a weekday") {
		t.Errorf("date rule %q\n%s", sr.DateRule, problemsText(sr))
	}
	// Year and month alone make months.
	_, sink = importFile(t, writeFile(t, "months.csv", []byte("Year,Month,MonthT,Deaths\n2007,1,jan,204\n2007,2,feb,198\n")), Options{})
	if len(sink.incidents) != 2 || sink.incidents[1].Date != data.MonthOf(2007, 2) {
		t.Errorf("months: %+v", sink.incidents)
	}
}

// A "Day" column of day-of-month numbers would put every row in January 1900: it is not a
// date column, and the audit says so.
func TestNineteenHundredIsNotADate(t *testing.T) {
	csv := "Day,Place,Killed\n18,Wana,5\n8,Mir Ali,2\n3,Datta Khel,1\n"
	p, err := Inspect(writeFile(t, "days.csv", []byte(csv)), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	sp := p.Sheets[0]
	if sp.Kind != KindIgnored || !strings.Contains(sp.Note, "Day is not a date column") || !strings.Contains(sp.Note, "in 1900 or before 1800") {
		t.Errorf("kind %s, note %q", sp.Kind, sp.Note)
	}
}

func TestTimestampDates(t *testing.T) {
	for _, tc := range []struct {
		in    string
		order DateOrder
		want  data.Date
	}{
		{"01/02/2022 12:00:00 AM", DateOrderMonthFirst, data.Day(2022, 1, 2)},
		{"12/31/2021 11:59:59 PM", DateOrderAuto, data.Day(2021, 12, 31)},
		{"5/8/2002 13:45", DateOrderDayFirst, data.Day(2002, 8, 5)},
		{"9-Aug-22 10:00", DateOrderAuto, data.Day(2022, 8, 9)},
	} {
		v, err := ParseDateCell(tc.in, tc.order, false)
		if err != nil || v.Start != tc.want {
			t.Errorf("%q = %v, %v; want %v", tc.in, v.Start, err, tc.want)
		}
	}
}

func TestSentinelsAreUnknown(t *testing.T) {
	csv := "Date,Place,SideADeaths,SideBDeaths,Injured\n" +
		"2001-01-01,A,100,-9,5\n" +
		"2001-01-02,B,-8,-9,999\n" +
		"2001-01-03,C,\"1,500\",20,-7\n"
	rep, sink := importFile(t, writeFile(t, "codes.csv", []byte(csv)), Options{})
	sr := rep.Sheets[0]
	if len(sink.incidents) != 3 {
		t.Fatalf("%d records\n%s", len(sink.incidents), problemsText(sr))
	}
	want := []struct{ killed, injured data.Count }{
		{data.AtLeast(100), data.Exactly(5)},
		{data.Unknown, data.Unknown},
		{data.Exactly(1520), data.Unknown},
	}
	for i, w := range want {
		if r := sink.incidents[i]; r.Killed != w.killed || r.Injured != w.injured {
			t.Errorf("row %d: killed %v injured %v, want %v %v", i+2, r.Killed, r.Injured, w.killed, w.injured)
		}
	}
	codes := strings.Join(sr.UnknownCodes, "; ")
	for _, s := range []string{"SideADeaths: -8 (1 cells)", "SideBDeaths: -9 (2 cells)", "Injured: -7 (1 cells), 999 (1 cells)"} {
		if !strings.Contains(codes, s) {
			t.Errorf("unknown codes %q lack %q", codes, s)
		}
	}
	for _, v := range []string{"-7", "-9", "-99", "999", "9999"} {
		if !isSentinel(v) {
			t.Errorf("%s is not a sentinel", v)
		}
	}
	for _, v := range []string{"9", "99", "1999", "-", "-x", ""} {
		if isSentinel(v) {
			t.Errorf("%s is a sentinel", v)
		}
	}
}

// Total versus categories: a named total stays the figure; categories alone are summed.
func TestTotalVersusCategories(t *testing.T) {
	for _, tc := range []struct {
		name   string
		csv    string
		killed []data.Count
		rule   string
	}{
		{"the total is at least each category",
			"Date,Place,Civilians,Total_Died\n2020-01-01,A,2,5\n2020-01-02,B,,3\n2020-01-03,C,4,4\n",
			[]data.Count{data.Exactly(5), data.Exactly(3), data.Exactly(4)},
			"killed = Total_Died, the total; Civilians kept as categories (the total is at least each of them in 2 of 2 rows compared, and equals their sum in 1)"},
		{"disjoint categories are summed",
			"Date,Place,Deaths civilians,Deaths soldiers\n2020-01-01,A,2,5\n2020-01-02,B,,3\n",
			[]data.Count{data.Exactly(7), data.AtLeast(3)},
			"killed = Deaths civilians + Deaths soldiers, summed (disjoint categories); in 1 rows some category is unknown, and the sum of the known ones is a minimum"},
		{"estimates are never summed",
			"Date,Place,deaths_a,deaths_b,low,best,high\n2020-01-01,A,1,2,2,3,9\n",
			[]data.Count{data.Exactly(3)},
			"killed = best, the total; deaths_a, deaths_b kept as categories (the total is at least each of them in 1 of 1 rows compared, and equals their sum in 1); low, high kept beside it as the range of estimates"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep, sink := importFile(t, writeFile(t, "cats.csv", []byte(tc.csv)), Options{})
			sr := rep.Sheets[0]
			if len(sink.incidents) != len(tc.killed) {
				t.Fatalf("%d records\n%s", len(sink.incidents), problemsText(sr))
			}
			for i, w := range tc.killed {
				if got := sink.incidents[i].Killed; got != w {
					t.Errorf("row %d: killed %v, want %v", i+2, got, w)
				}
			}
			if sr.CasualtyRule != tc.rule {
				t.Errorf("rule %q\nwant %q", sr.CasualtyRule, tc.rule)
			}
		})
	}
}

func TestCumulativeSeriesAreTallies(t *testing.T) {
	var b strings.Builder
	b.WriteString("Date,Civilians killed (OHCHR),Source URL\n")
	for i, k := range []int{10, 12, 12, 30, 41, 41, 41, 50, 64} {
		fmt.Fprintf(&b, "2022-03-%02d,%d,https://example.org/%d\n", i+1, k, i)
	}
	rep, sink := importFile(t, writeFile(t, "cumulative.csv", []byte(b.String())), Options{})
	sr := rep.Sheets[0]
	if sr.Kind != string(data.KindTally) || len(sink.tallies) != 9 || len(sink.incidents) != 0 {
		t.Fatalf("kind %s, %d tallies, %d incidents", sr.Kind, len(sink.tallies), len(sink.incidents))
	}
	last := sink.tallies[8]
	if last.Killed != data.Exactly(64) || last.Claimant != "OHCHR" || last.AsOf != data.Day(2022, 3, 9) {
		t.Errorf("last tally %+v", last)
	}
	// A series that goes down is incidents, summed.
	csv := "Date,Civilians killed\n2022-03-01,10\n2022-03-02,12\n2022-03-03,3\n2022-03-04,30\n2022-03-05,41\n2022-03-06,41\n2022-03-07,50\n2022-03-08,64\n"
	rep, sink = importFile(t, writeFile(t, "daily.csv", []byte(csv)), Options{})
	if rep.Sheets[0].Kind != string(data.KindIncident) || len(sink.incidents) != 8 {
		t.Errorf("daily counts: kind %s, %d incidents", rep.Sheets[0].Kind, len(sink.incidents))
	}
}

func TestOneDeathPerRow(t *testing.T) {
	csv := "id,incident_date,mission_acronym,type_of_casualty,gender\n1,1948-07-06,UNTSO,Fatality,M\n2,1948-07-13,UNTSO,Fatality,F\n3,1950-01-01,UNMOGIP,Injury,M\n"
	p, err := Inspect(writeFile(t, "people.csv", []byte(csv)), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if p.Sheets[0].PerRow != data.MeasureKilled {
		t.Fatalf("not offered: %+v", p.Sheets[0])
	}
	sink := &fakeSink{}
	rep, err := Run(context.Background(), p, sink, nil)
	p.Close()
	if err != nil || len(sink.incidents) != 3 {
		t.Fatal(err, len(sink.incidents))
	}
	if r := sink.incidents[2]; r.Injured != data.Exactly(1) || r.Killed.Known() {
		t.Errorf("the injured person: %+v", r)
	}
	if !strings.Contains(rep.Sheets[0].CasualtyRule, "killed = 1 per row (2 rows)") {
		t.Errorf("rule %q", rep.Sheets[0].CasualtyRule)
	}
	// Declined in the preview: no figure.
	p, _ = Inspect(writeFile(t, "people.csv", []byte(csv)), Options{})
	p.Sheets[0].PerRow = ""
	sink = &fakeSink{}
	if _, err := Run(context.Background(), p, sink, nil); err != nil || sink.incidents[0].Killed.Known() {
		t.Errorf("declined: %v %+v", err, sink.incidents)
	}
	p.Close()
}

func TestFieldLabels(t *testing.T) {
	for f, want := range map[Field]string{
		"killed_min": "Killed, lowest", "killed_max": "Killed, highest", "killed": "Killed",
		"killed/civilians": "Killed, civilians", "injured/children_max": "Injured, children, highest",
		FieldAdmin1: "Region (admin 1)", FieldEvents: "Strikes or events in the row", FieldDate: "Date",
	} {
		if got := FieldLabel(f); got != want {
			t.Errorf("%s: %q, want %q", f, got, want)
		}
	}
}

// FuzzReadMeaning: any header reads without panicking, and a mapped header's field is valid.
func FuzzReadMeaning(f *testing.F) {
	for _, s := range []string{"SideADeaths", "Killed Min", "Víctimas civiles (máx)", "StartYear1", "adm_1", "No_of_Strike", "#affected+killed", "ÉÀ9x", "(", ")(", "a\x00b"} {
		f.Add(s, s+" total")
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		if !utf8.ValidString(a) || !utf8.ValidString(b) {
			return
		}
		_ = readMeaning(a)
		_ = hxlField(data.KindIncident, a)
		m, _ := mapHeaders(data.KindIncident, []string{"date", a, b})
		for fld, c := range m {
			if c < 0 || c > 2 || !validField(data.KindIncident, fld) {
				t.Fatalf("%q, %q: %s -> %d", a, b, fld, c)
			}
		}
	})
}

// FuzzDateParts: any year, month and day cells give a valid date or a problem, never a panic.
func FuzzDateParts(f *testing.F) {
	f.Add("2004", "6", "18")
	f.Add("-7", "-9", "-91866")
	f.Add("1999", "feb", "29")
	f.Add("2000.0", "12.0", "31")
	f.Fuzz(func(t *testing.T, y, m, d string) {
		sh := &sheetParser{sp: &SheetPlan{Headers: []string{"Year", "Month", "Day"}}, col: map[Field]int{FieldYear: 0, FieldMonth: 1, FieldDay: 2}}
		sh.stats.sentinels = map[int]map[string]int{}
		r := &rowResult{row: 2}
		date, _ := sh.readParts(r, []string{y, m, d}, FieldYear, FieldMonth, FieldDay, true)
		if !date.IsZero() && !date.Valid() {
			t.Fatalf("%q %q %q: invalid %+v", y, m, d, date)
		}
		if date.IsZero() && !r.rejected && y != "-7" {
			t.Fatalf("%q %q %q: no date and no problem", y, m, d)
		}
		_ = stripClockTime(y + " " + m + ":" + d)
	})
}
