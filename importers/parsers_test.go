package importers

import (
	"errors"
	"strings"
	"testing"
	"time"

	"sitrep/data"
)

func TestParseDateCell(t *testing.T) {
	day := data.Day
	tests := []struct {
		in       string
		order    DateOrder
		d1904    bool
		start    data.Date
		end      data.Date
		vote     int
		wantErr  string
		numeric  bool
		isSerial bool
	}{
		{in: "", start: data.Date{}},
		{in: "2025-09-02", start: day(2025, 9, 2)},
		{in: "2025-09", start: data.MonthOf(2025, 9)},
		{in: "2021-01-01T10:10:10", start: day(2021, 1, 1)},
		{in: "2021-01-01T23:30:00-05:00", start: day(2021, 1, 1)},
		{in: "2021-01-01 10:00", start: day(2021, 1, 1)},
		{in: "2021/03/04", start: day(2021, 3, 4)},
		{in: "44197", start: day(2021, 1, 1), isSerial: true},
		{in: "44197.5", start: day(2021, 1, 1), isSerial: true},
		{in: "42735", d1904: true, start: day(2021, 1, 1), isSerial: true},
		{in: "42735", start: day(2016, 12, 31), isSerial: true},
		{in: "2020", start: data.YearOf(2020)},
		{in: "2025/9/2", start: day(2025, 9, 2)},
		{in: "Sept. 2, 2025", start: day(2025, 9, 2)},
		{in: "02.09.2025", order: DateOrderDayFirst, start: day(2025, 9, 2), numeric: true},
		{in: "2 septembre 2025", start: day(2025, 9, 2)},
		{in: "9-Aug-22", start: day(2022, 8, 9)},
		{in: "17-Jul-22", start: day(2022, 7, 17)},
		{in: "9 August 2022", start: day(2022, 8, 9)},
		{in: "Aug 9, 2022", start: day(2022, 8, 9)},
		{in: "Tuesday, 2 September 2025", start: day(2025, 9, 2)},
		{in: "2nd September 2025", start: day(2025, 9, 2)},
		{in: "March 2020", start: data.MonthOf(2020, 3)},
		{in: "Mar-2020", start: data.MonthOf(2020, 3)},
		{in: "03/2020", start: data.MonthOf(2020, 3)},
		{in: "March 15–17, 2020", start: day(2020, 3, 15), end: day(2020, 3, 17)},
		{in: "March 15-17, 2020", start: day(2020, 3, 15), end: day(2020, 3, 17)},
		{in: "December 28–29, 2019", start: day(2019, 12, 28), end: day(2019, 12, 29)},
		{in: "May 29–June 3, 2018", start: day(2018, 5, 29), end: day(2018, 6, 3)},
		{in: "July 15, 2015–July 18, 2019", start: day(2015, 7, 15), end: day(2019, 7, 18)},
		{in: "15-17 March 2020", start: day(2020, 3, 15), end: day(2020, 3, 17)},
		{in: "Dec 30 – Jan 2, 2020", start: day(2019, 12, 30), end: day(2020, 1, 2)},
		{in: "March to April 2020", start: data.MonthOf(2020, 3), end: data.MonthOf(2020, 4)},
		{in: "2015–2019", start: data.YearOf(2015), end: data.YearOf(2019)},
		{in: "14/03/2020", start: day(2020, 3, 14), vote: 1, numeric: true},
		{in: "03/14/2020", start: day(2020, 3, 14), vote: -1, numeric: true},
		{in: "05/06/2018", wantErr: ErrAmbiguousDate.Error(), numeric: true},
		{in: "05/06/2018", order: DateOrderDayFirst, start: day(2018, 6, 5), numeric: true},
		{in: "05/06/2018", order: DateOrderMonthFirst, start: day(2018, 5, 6), numeric: true},
		{in: "05/05/2018", start: day(2018, 5, 5), numeric: true},
		{in: "9/4/24", order: DateOrderMonthFirst, start: day(2024, 9, 4), numeric: true},
		{in: "6/29/1984", start: day(1984, 6, 29), vote: -1, numeric: true},
		{in: "1/1/82", order: DateOrderMonthFirst, start: day(1982, 1, 1), numeric: true},
		{in: "1/1/29", order: DateOrderMonthFirst, start: day(2029, 1, 1), numeric: true},
		{in: "1/1/30", order: DateOrderMonthFirst, start: day(1930, 1, 1), numeric: true},
		{in: "01-03-2015", order: DateOrderMonthFirst, start: day(2015, 1, 3), numeric: true},
		{in: "14-09-2018", order: DateOrderMonthFirst, wantErr: "month 14 does not exist", vote: 1},
		{in: "31.12.2019", start: day(2019, 12, 31), vote: 1, numeric: true},
		{in: "30/02/2020", order: DateOrderDayFirst, wantErr: "has no day 30", vote: 1},
		{in: "#N/A", wantErr: "Excel error value"},
		{in: "unknown", wantErr: "not a date"},
		{in: "soon", wantErr: "not a date"},
		{in: "-5", wantErr: "not a date"},
		{in: "0", wantErr: "not an Excel date"},
		{in: "March", wantErr: "no year"},
		{in: "June 3–May 29, 2018", wantErr: "ends"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			v, err := ParseDateCell(tt.in, tt.order, tt.d1904)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("ParseDateCell(%q) error = %v, want %q", tt.in, err, tt.wantErr)
				}
				if v.Vote != tt.vote {
					t.Errorf("vote = %d, want %d", v.Vote, tt.vote)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseDateCell(%q): %v", tt.in, err)
			}
			if v.Start != tt.start || v.End != tt.end {
				t.Errorf("ParseDateCell(%q) = %v..%v, want %v..%v", tt.in, v.Start, v.End, tt.start, tt.end)
			}
			if v.Vote != tt.vote || v.Numeric != tt.numeric || v.Serial != tt.isSerial {
				t.Errorf("vote/numeric/serial = %d/%v/%v, want %d/%v/%v", v.Vote, v.Numeric, v.Serial, tt.vote, tt.numeric, tt.isSerial)
			}
		})
	}
}

func TestAmbiguousDateIsSentinel(t *testing.T) {
	_, err := ParseDateCell("02/03/2020", DateOrderAuto, false)
	if !errors.Is(err, ErrAmbiguousDate) {
		t.Fatalf("err = %v, want ErrAmbiguousDate", err)
	}
}

func TestHeaderDateOrder(t *testing.T) {
	for in, want := range map[string]DateOrder{
		"Date (MM-DD-YYYY)": DateOrderMonthFirst,
		"Date (DD/MM/YYYY)": DateOrderDayFirst,
		"Date (m/d/y)":      DateOrderMonthFirst,
		"Date":              DateOrderAuto,
		"Date (ISO)":        DateOrderAuto,
	} {
		if got := headerDateOrder(in); got != want {
			t.Errorf("headerDateOrder(%q) = %v, want %v", in, got, want)
		}
	}
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2025-09-02", "9-Aug-22", "March 15–17, 2020", "May 29–June 3, 2018", "05/06/2018",
		"44197", "2021-01-01T10:10:10Z", "March 2020", "2020", "15-17 March 2020", "Dec 30 – Jan 2, 2020", "1/1/29", "", "#N/A"} {
		f.Add(s, uint8(0), false)
	}
	f.Fuzz(func(t *testing.T, s string, order uint8, d1904 bool) {
		v, err := ParseDateCell(s, DateOrder(order%3), d1904)
		if err != nil {
			return
		}
		if !v.Start.Valid() || !v.End.Valid() {
			t.Fatalf("ParseDateCell(%q) gave an invalid date %#v", s, v)
		}
		if !v.End.IsZero() && v.End.Before(v.Start) {
			t.Fatalf("ParseDateCell(%q) gave a range ending before it starts: %v..%v", s, v.Start, v.End)
		}
		if strings.TrimSpace(s) != "" && v.Start.IsZero() {
			t.Fatalf("ParseDateCell(%q) read no date and no error", s)
		}
	})
}

func TestParseCount(t *testing.T) {
	some := func(lo, hi int, lk, hk bool) data.Count {
		return data.Count{Min: lo, Max: hi, MinKnown: lk, MaxKnown: hk}
	}
	tests := []struct {
		in      string
		want    data.Count
		note    bool
		wantErr bool
	}{
		{in: "3", want: data.Exactly(3)},
		{in: " 11 ", want: data.Exactly(11)},
		{in: "0", want: data.Exactly(0)},
		{in: "3.0", want: data.Exactly(3)},
		{in: "1,234", want: data.Exactly(1234)},
		{in: "1 234", want: data.Exactly(1234)},
		{in: "12,34", wantErr: true},
		{in: "3.5", wantErr: true},
		{in: "2-4", want: data.Between(2, 4)},
		{in: "2 - 4", want: data.Between(2, 4)},
		{in: "2–4", want: data.Between(2, 4)},
		{in: "2 to 4", want: data.Between(2, 4)},
		{in: "between 2 and 4", want: data.Between(2, 4)},
		{in: "4-2", want: data.Between(2, 4)},
		{in: "10+", want: data.AtLeast(10)},
		{in: "10 +", want: data.AtLeast(10)},
		{in: "10 or more", want: data.AtLeast(10)},
		{in: "at least 10", want: data.AtLeast(10)},
		{in: "At least 66", want: data.AtLeast(66)},
		{in: "more than 70", want: data.AtLeast(71)},
		{in: "over 5", want: data.AtLeast(6)},
		{in: ">5", want: data.AtLeast(6)},
		{in: "up to 5", want: some(0, 5, false, true)},
		{in: "fewer than 5", want: some(0, 4, false, true)},
		{in: "about 10", want: data.Exactly(10), note: true},
		{in: "~10", want: data.Exactly(10), note: true},
		{in: "11 killed", want: data.Exactly(11)},
		{in: "", want: data.Unknown},
		{in: "-", want: data.Unknown},
		{in: "unkn", want: data.Unknown},
		{in: "Unknown", want: data.Unknown},
		{in: "n/a", want: data.Unknown},
		{in: "?", want: data.Unknown},
		{in: "none", want: data.Exactly(0)},
		{in: "three", want: data.Exactly(3)},
		{in: "a dozen", want: data.Exactly(12)},
		{in: "dozens", want: data.AtLeast(24), note: true},
		{in: "Dozens of", want: data.AtLeast(24), note: true},
		{in: "several", want: data.AtLeast(3), note: true},
		{in: "a few", want: data.AtLeast(2), note: true},
		{in: "scores", want: data.AtLeast(40), note: true},
		{in: "hundreds", want: data.AtLeast(200), note: true},
		{in: "at least dozens", want: data.AtLeast(24), note: true},
		{in: "#N/A", wantErr: true},
		{in: "many cats", wantErr: true},
		{in: "abc", wantErr: true},
		{in: "-3", wantErr: true},
		{in: "overall", wantErr: true},
	}
	for _, s := range []string{"NaN", "nan", "Inf", "-Inf", "infinity", "1e400", "1e10", "NaN-NaN", "at least NaN"} {
		tests = append(tests, struct {
			in      string
			want    data.Count
			note    bool
			wantErr bool
		}{in: s, wantErr: true})
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			v, err := ParseCount(tt.in)
			if tt.wantErr {
				if err == nil {
					t.Fatalf("ParseCount(%q) = %v, want an error", tt.in, v.Count)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseCount(%q): %v", tt.in, err)
			}
			if v.Count != tt.want {
				t.Errorf("ParseCount(%q) = %+v, want %+v", tt.in, v.Count, tt.want)
			}
			if (v.Note != "") != tt.note {
				t.Errorf("ParseCount(%q) note = %q, want a note: %v", tt.in, v.Note, tt.note)
			}
		})
	}
}

func FuzzParseCount(f *testing.F) {
	for _, s := range []string{"3", "2-4", "2 to 4", "10+", "at least 10", "more than 70", "over 5", "unknown", "-",
		"dozens", "several", "1,234", "3.0", "about 10", "up to 5", "between 2 and 4", "",
		// Numbers that are not counts (issue 14): NaN, infinities, huge and tiny exponents,
		// the sentinel codes spreadsheets use for "missing", hex floats.
		"NaN", "nan", "-nan", "+NaN", "Inf", "-Inf", "+inf", "infinity", "1e400", "-1e400", "1e-400",
		"9.99e307", "1e9", "1e10", "999999999", "1000000001", "-99", "-999", "-9999", "9999999999",
		"0x1p63", "at least NaN", "NaN-NaN", "over 1e308", "up to inf", "3.7", "-5", "1e3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseCount(s)
		if err != nil {
			return
		}
		c := v.Count
		if c.MinKnown && c.Min < 0 || c.MaxKnown && c.Max < 0 {
			t.Fatalf("ParseCount(%q) = %+v: negative", s, c)
		}
		if c.MinKnown && c.Min > MaxCount || c.MaxKnown && c.Max > MaxCount {
			t.Fatalf("ParseCount(%q) = %+v: above MaxCount", s, c)
		}
		if c.MinKnown && c.MaxKnown && c.Min > c.Max {
			t.Fatalf("ParseCount(%q) = %+v: min above max", s, c)
		}
	})
}

func TestMatchHeader(t *testing.T) {
	tests := []struct {
		kind   data.Kind
		header string
		want   Field
	}{
		{data.KindIncident, "Date", FieldDate},
		{data.KindIncident, "Date (MM-DD-YYYY)", FieldDate},
		{data.KindIncident, " DATE ", FieldDate},
		{data.KindIncident, "Killed", "killed"},
		{data.KindIncident, "Deaths", "killed"},
		{data.KindIncident, "fatalities", "killed"},
		{data.KindIncident, "Minimum people killed", "killed_min"},
		{data.KindIncident, "Maximum people killed", "killed_max"},
		{data.KindIncident, "Minimum total people killed", "killed_min"},
		{data.KindIncident, "Maximum total people killed", "killed_max"},
		{data.KindIncident, "killed_min", "killed_min"},
		{data.KindIncident, "Killed (max)", "killed_max"},
		{data.KindIncident, "Minimum civilians reported killed", ""},
		{data.KindIncident, "Minimum reported injured", "injured_min"},
		{data.KindIncident, "Country", FieldCountry},
		{data.KindIncident, "Location", FieldLocation},
		{data.KindIncident, "Lat/Long", FieldLatLon},
		{data.KindIncident, "Latitude", FieldLat},
		{data.KindIncident, "Long", FieldLon},
		{data.KindIncident, "Source", FieldSource},
		{data.KindIncident, "Modified Location \nwhen Applicable", ""},
		{data.KindIncident, "#affected+killed", "killed"},
		{data.KindIncident, "#geo+lat", FieldLat},
		{data.KindStatement, "Stance", FieldStance},
		{data.KindStatement, "Speaker", FieldSpeaker},
		{data.KindStatement, "Country", FieldActor},
		{data.KindStatement, "Actor", FieldActor},
		{data.KindStatement, "politician", FieldSpeaker},
		{data.KindStatement, "quoteID", FieldID},
		{data.KindTally, "as_of", FieldAsOf},
		{data.KindTally, "strikes_min", "strikes_min"},
		{data.KindTally, "Claimant", FieldClaimant},
		{data.KindIncident, "", ""},
	}
	for _, tt := range tests {
		if got, _ := MatchHeader(tt.kind, tt.header); got != tt.want {
			t.Errorf("MatchHeader(%s, %q) = %q, want %q", tt.kind, tt.header, got, tt.want)
		}
	}
}

// The canonical headers of the demo data map with no configuration, every column to its field.
func TestCanonicalHeadersMap(t *testing.T) {
	tests := []struct {
		kind    data.Kind
		headers string
	}{
		{data.KindIncident, "id,date,theatre,location,actor,target,vessels,alleged_affiliation,killed_min,killed_max,survivors,announced_by,confidence,source,notes"},
		{data.KindStatement, "id,date,actor,speaker,role,topic,stance,quote,channel,source,notes"},
		{data.KindTally, "id,as_of,claimant,scope,strikes_min,strikes_max,killed_min,killed_max,survivors,source,notes"},
	}
	for _, tt := range tests {
		headers := strings.Split(tt.headers, ",")
		kind, m, _, why := classify(headers)
		if kind != tt.kind {
			t.Errorf("classify(%s headers) = %s (%s)", tt.kind, kind, why)
			continue
		}
		for c, h := range headers {
			if got, ok := m[Field(h)]; !ok || got != c {
				t.Errorf("%s: header %q maps to column %d (%v), want %d", tt.kind, h, got, ok, c)
			}
		}
	}
}

func TestClassify(t *testing.T) {
	tests := []struct {
		headers []string
		want    data.Kind
	}{
		{[]string{"Strike ID", "Country", "Date (MM-DD-YYYY)", "Minimum people killed", "Maximum people killed"}, data.KindIncident},
		{[]string{"quoteID", "quote", "politician", "date", "party", "articleID", "topic", "fan"}, data.KindStatement},
		{[]string{"year", "date", "month", "draft", "meeting_record", "agenda_item", "crisis_topic", "region", "member_veto1"}, data.KindStatement},
		{[]string{"as of", "claimant", "strikes", "killed"}, data.KindTally},
		{[]string{"case", "location", "date", "summary", "fatalities", "injured"}, data.KindIncident},
		{[]string{"label", "value"}, KindIgnored},
		{[]string{"Date", "Notes"}, KindIgnored},
		{[]string{"AFG001", "Afghanistan ", "01-01-2015", "Obama"}, KindIgnored},
	}
	for _, tt := range tests {
		if got, _, _, _ := classify(tt.headers); got != tt.want {
			t.Errorf("classify(%q) = %s, want %s", tt.headers, got, tt.want)
		}
	}
}

func TestFindHeader(t *testing.T) {
	tests := []struct {
		name    string
		rows    [][]string
		row     int
		kind    data.Kind
		mapping map[Field]int
	}{
		{
			name: "title rows above",
			rows: [][]string{{"Strikes database"}, {"compiled 2025"}, {"Date", "Location", "Killed"}, {"2025-09-02", "Sea", "11"}},
			row:  2, kind: data.KindIncident, mapping: map[Field]int{FieldDate: 0, FieldLocation: 1, "killed": 2},
		},
		{
			name: "stacked header",
			rows: [][]string{{"", "", "Killed", ""}, {"Date", "Location", "min", "max"}, {"2025-09-02", "Sea", "3", "4"}},
			row:  1, kind: data.KindIncident, mapping: map[Field]int{FieldDate: 0, FieldLocation: 1, "killed_min": 2, "killed_max": 3},
		},
		{
			name: "tag row is not the header",
			rows: [][]string{{"Date", "Country", "Deaths"}, {"#date", "#country+name", "#affected+killed"}, {"2020-01-01", "X", "3"}},
			row:  0, kind: data.KindIncident, mapping: map[Field]int{FieldDate: 0, FieldCountry: 1, "killed": 2},
		},
		{
			name: "no header",
			rows: [][]string{{"AFG001", "Afghanistan", "01-01-2015", "0"}},
			row:  -1, kind: KindIgnored,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			i, _, kind, m, _ := findHeader(tt.rows)
			if i != tt.row || kind != tt.kind {
				t.Fatalf("findHeader = row %d %s, want row %d %s", i, kind, tt.row, tt.kind)
			}
			for f, c := range tt.mapping {
				if m[f] != c {
					t.Errorf("field %s -> column %d, want %d (mapping %v)", f, m[f], c, m)
				}
			}
		})
	}
}

func FuzzHeader(f *testing.F) {
	for _, s := range []string{"Date (MM-DD-YYYY)", "Minimum total people killed", "Lat/Long of Location ", "#affected+killed",
		"Modified Location \nwhen Applicable", "killed_max", "", "(((", "Date (", "Ünïcødé"} {
		f.Add(s, "Killed")
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		n := Normalize(a)
		if Normalize(n) != n {
			t.Fatalf("Normalize is not idempotent on %q: %q then %q", a, n, Normalize(n))
		}
		for _, k := range data.Kinds {
			if fld, _ := MatchHeader(k, a); fld != "" && !validField(k, fld) {
				t.Fatalf("MatchHeader(%s, %q) = %q, not a field of the kind", k, a, fld)
			}
		}
		kind, m, _, _ := classify([]string{a, b, "date"})
		if kind != KindIgnored {
			if ok, _ := eligible(kind, m); !ok {
				t.Fatalf("classify chose %s for a mapping that is not eligible", kind)
			}
		}
		_ = layoutKey([]string{a, b})
		_ = headerDateOrder(a)
	})
}

func TestLayoutKeyStable(t *testing.T) {
	a := layoutKey([]string{"Date", "Killed "})
	b := layoutKey([]string{" date", "KILLED"})
	c := layoutKey([]string{"Date", "Deaths"})
	if a != b || a == c || !strings.HasPrefix(a, "importers.mapping.") {
		t.Fatalf("layoutKey: %q %q %q", a, b, c)
	}
	_ = time.Now
}

func TestNormHashMatchesNormalize(t *testing.T) {
	for _, s := range []string{"", "Afghanistan ", " afghanistan", "Spera, Khost", "SPERA khost", "Ærø  Havn", "ærø havn", "x--y", "X Y"} {
		a := normHash(2166136261, s)
		var want uint32 = 2166136261
		for _, c := range []byte(Normalize(s)) {
			want = (want ^ uint32(c)) * 16777619
		}
		if a != want {
			t.Errorf("normHash(%q) = %x, want the hash of %q (%x)", s, a, Normalize(s), want)
		}
	}
}
