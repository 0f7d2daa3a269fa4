package data

import (
	"encoding/json"
	"errors"
	"testing"
	"time"
)

func TestParseDate(t *testing.T) {
	tests := []struct {
		in      string
		want    Date
		wantErr bool
	}{
		{"2025-09-02", Day(2025, time.September, 2), false},
		{" 2025-09-02 ", Day(2025, time.September, 2), false},
		{"2025-09-02T10:11:12Z", Day(2025, time.September, 2), false},
		{"2025-09-02 10:11", Day(2025, time.September, 2), false},
		{"2025-09", MonthOf(2025, time.September), false},
		{"2025", YearOf(2025), false},
		{"", Date{}, false},
		{"2025-02-30", Date{}, true},
		{"2025-13", Date{}, true},
		{"25-09-02", Date{}, true},
		{"2025-9-2", Date{}, true},
		{"2025-09-02-01", Date{}, true},
		{"yesterday", Date{}, true},
	}
	for _, tt := range tests {
		got, err := ParseDate(tt.in)
		if (err != nil) != tt.wantErr {
			t.Errorf("ParseDate(%q) error = %v, want error %v", tt.in, err, tt.wantErr)
			continue
		}
		if err != nil && !errors.Is(err, ErrBadDate) {
			t.Errorf("ParseDate(%q) error %v does not wrap ErrBadDate", tt.in, err)
		}
		if got != tt.want {
			t.Errorf("ParseDate(%q) = %+v, want %+v", tt.in, got, tt.want)
		}
	}
}

func TestDateStringAndLabel(t *testing.T) {
	tests := []struct {
		d            Date
		iso, label   string
		first, last  string
		sortsBefore  Date
		precisionStr string
	}{
		{Day(2025, 9, 2), "2025-09-02", "2 Sep 2025", "2025-09-02", "2025-09-02", Day(2025, 9, 3), "day"},
		{MonthOf(2024, 2), "2024-02", "Feb 2024", "2024-02-01", "2024-02-29", Day(2024, 2, 1), "month"},
		{YearOf(2023), "2023", "2023", "2023-01-01", "2023-12-31", MonthOf(2023, 1), "year"},
	}
	for _, tt := range tests {
		if got := tt.d.String(); got != tt.iso {
			t.Errorf("%+v.String() = %q, want %q", tt.d, got, tt.iso)
		}
		if got := tt.d.Label(); got != tt.label {
			t.Errorf("%+v.Label() = %q, want %q", tt.d, got, tt.label)
		}
		if got := DateFromDayNumber(tt.d.DayNumber()).String(); got != tt.first {
			t.Errorf("first day of %v = %s, want %s", tt.d, got, tt.first)
		}
		if got := DateFromDayNumber(tt.d.LastDayNumber()).String(); got != tt.last {
			t.Errorf("last day of %v = %s, want %s", tt.d, got, tt.last)
		}
		if !tt.d.Before(tt.sortsBefore) {
			t.Errorf("%v should sort before %v", tt.d, tt.sortsBefore)
		}
		if got := tt.d.Precision.String(); got != tt.precisionStr {
			t.Errorf("precision = %q, want %q", got, tt.precisionStr)
		}
	}
	if (Date{}).Label() != "no date" || (Date{}).String() != "" {
		t.Errorf("zero date formats as %q / %q", Date{}.Label(), Date{}.String())
	}
}

func TestDateJSONRoundTrip(t *testing.T) {
	for _, d := range []Date{{}, Day(2025, 11, 10), MonthOf(2025, 11), YearOf(2020)} {
		b, err := json.Marshal(d)
		if err != nil {
			t.Fatal(err)
		}
		var back Date
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatalf("unmarshal %s: %v", b, err)
		}
		if back != d {
			t.Errorf("round trip of %+v via %s gave %+v", d, b, back)
		}
	}
}

func TestCount(t *testing.T) {
	tests := []struct {
		c         Count
		str       string
		low, high int
		known     bool
		json      string
	}{
		{Exactly(3), "3", 3, 3, true, `{"min":3,"max":3}`},
		{Exactly(0), "0", 0, 0, true, `{"min":0,"max":0}`},
		{Between(4, 2), "2–4", 2, 4, true, `{"min":2,"max":4}`},
		{AtLeast(10), "10+", 10, 10, true, `{"min":10,"max":null}`},
		{Count{Max: 5, MaxKnown: true}, "≤5", 0, 5, true, `{"min":null,"max":5}`},
		{Unknown, "unknown", 0, 0, false, `{"min":null,"max":null}`},
	}
	for _, tt := range tests {
		if got := tt.c.String(); got != tt.str {
			t.Errorf("%+v.String() = %q, want %q", tt.c, got, tt.str)
		}
		if tt.c.Low() != tt.low || tt.c.High() != tt.high {
			t.Errorf("%v: Low, High = %d, %d; want %d, %d", tt.c, tt.c.Low(), tt.c.High(), tt.low, tt.high)
		}
		if tt.c.Known() != tt.known {
			t.Errorf("%v.Known() = %v", tt.c, tt.c.Known())
		}
		b, _ := json.Marshal(tt.c)
		if string(b) != tt.json {
			t.Errorf("json of %v = %s, want %s", tt.c, b, tt.json)
		}
		var back Count
		if err := json.Unmarshal(b, &back); err != nil || back != tt.c {
			t.Errorf("json round trip of %v gave %+v, %v", tt.c, back, err)
		}
	}
}

func TestPeriodStart(t *testing.T) {
	tests := []struct {
		p          Period
		d          string
		start      string
		next       string
		startLabel string
	}{
		{PeriodDay, "2025-09-02", "2025-09-02", "2025-09-03", "2 Sep 2025"},
		{PeriodWeek, "2025-09-02", "2025-09-01", "2025-09-08", "Week 36, 2025"}, // Tuesday -> Monday
		{PeriodWeek, "2025-09-07", "2025-09-01", "2025-09-08", "Week 36, 2025"}, // Sunday -> Monday before
		{PeriodWeek, "2021-01-01", "2020-12-28", "2021-01-04", "Week 53, 2020"},
		{PeriodMonth, "2025-10-31", "2025-10-01", "2025-11-01", "Oct 2025"},
		{PeriodMonth, "2025-12", "2025-12-01", "2026-01-01", "Dec 2025"},
	}
	for _, tt := range tests {
		s := tt.p.Start(MustDate(tt.d))
		if s.String() != tt.start {
			t.Errorf("%s start of %s = %s, want %s", tt.p, tt.d, s, tt.start)
		}
		if n := tt.p.Next(s); n.String() != tt.next {
			t.Errorf("%s after %s = %s, want %s", tt.p, s, n, tt.next)
		}
		if l := tt.p.Label(s); l != tt.startLabel {
			t.Errorf("%s label of %s = %q, want %q", tt.p, s, l, tt.startLabel)
		}
	}
	if _, err := ParsePeriod("fortnight"); err == nil {
		t.Error("ParsePeriod(fortnight) gave no error")
	}
}

func TestFilterMatches(t *testing.T) {
	inc := &Incident{ID: "US-1", Date: MustDate("2025-10-21"), Theatre: "Eastern Pacific", Actor: "United States",
		Confidence: ConfidenceOfficial, Location: "off Colombia"}
	monthOnly := &Incident{ID: "X", Date: MustDate("2025-10"), Theatre: "Caribbean"}
	tests := []struct {
		name string
		f    Filter
		r    *Incident
		want bool
	}{
		{"empty filter", Filter{}, inc, true},
		{"in range", Filter{From: MustDate("2025-10-01"), To: MustDate("2025-10-31")}, inc, true},
		{"before range", Filter{From: MustDate("2025-10-22")}, inc, false},
		{"after range", Filter{To: MustDate("2025-10-20")}, inc, false},
		{"theatre case and space", Filter{Theatres: []string{" eastern pacific"}}, inc, true},
		{"other theatre", Filter{Theatres: []string{"Caribbean"}}, inc, false},
		{"search location", Filter{Search: "COLOMBIA"}, inc, true},
		{"search miss", Filter{Search: "Yemen"}, inc, false},
		{"month overlaps range end", Filter{From: MustDate("2025-10-15"), To: MustDate("2025-11-30")}, monthOnly, true},
		{"month before range", Filter{From: MustDate("2025-11-01")}, monthOnly, false},
		{"confidence", Filter{Confidences: []string{"disputed"}}, inc, false},
	}
	for _, tt := range tests {
		if got := tt.f.MatchesIncident(tt.r); got != tt.want {
			t.Errorf("%s: MatchesIncident = %v, want %v", tt.name, got, tt.want)
		}
	}
	all := &Tally{ID: "T", AsOf: MustDate("2025-11-06"), Scope: ScopeAll}
	carib := &Tally{ID: "T2", AsOf: MustDate("2025-11-06"), Scope: "Caribbean"}
	f := Filter{Theatres: []string{"Eastern Pacific"}}
	if !f.MatchesTally(all) || f.MatchesTally(carib) {
		t.Errorf("tally scope filter: all=%v caribbean=%v, want true false", f.MatchesTally(all), f.MatchesTally(carib))
	}
	if got := (Filter{Theatres: []string{"Caribbean"}, From: MustDate("2025-09-01"), To: MustDate("2025-11-10")}).Describe(); got != "theatre: Caribbean; 1 Sep 2025 to 10 Nov 2025" {
		t.Errorf("Describe = %q", got)
	}
}

func TestTotalsAdd(t *testing.T) {
	var tot Totals
	tot.Add(&Incident{Killed: Exactly(3), Vessels: Exactly(2), Survivors: Exactly(1)})
	tot.Add(&Incident{Killed: Between(2, 4)})
	tot.Add(&Incident{Killed: AtLeast(6)})
	tot.Add(&Incident{Events: 5, Injured: Between(1, 2)})
	want := Totals{Incidents: 4, Strikes: 8, VesselsMin: 5, VesselsMax: 5, VesselsUnknown: 3, KilledMin: 11, KilledMax: 13,
		KilledUnknown: 1, InjuredMin: 1, InjuredMax: 2, InjuredUnknown: 3, SurvivorsMin: 1, SurvivorsMax: 1, SurvivorsUnknown: 3}
	if tot != want {
		t.Errorf("totals = %+v, want %+v", tot, want)
	}
	if !tot.KilledKnown() || !tot.InjuredKnown() || !tot.SurvivorsKnown() {
		t.Errorf("known: %+v", tot)
	}
	if none := (Totals{Incidents: 2, KilledUnknown: 2, SurvivorsUnknown: 2, InjuredUnknown: 2}); none.KilledKnown() || none.SurvivorsKnown() || none.InjuredKnown() {
		t.Errorf("nobody reported a figure, yet it is known: %+v", none)
	}
	// The rollup encoding round-trips, and an entry of the first version (eight numbers)
	// reads as one strike per incident and nothing injured.
	if got, err := decodeTotals(encodeTotals(tot)); err != nil || got != tot {
		t.Errorf("rollup round trip: %+v, %v", got, err)
	}
	var old enc
	for _, v := range []int{4, 5, 5, 11, 13, 1, 1, 1} {
		old.varint(int64(v))
	}
	if got, err := decodeTotals(old.b); err != nil || got.Strikes != 4 || got.InjuredMin != 0 || got.KilledMax != 13 {
		t.Errorf("first-version entry: %+v, %v", got, err)
	}
	var d rollupDelta
	d.add(tot)
	d.add(tot.negate())
	d.add(tot)
	if d.totals() != tot {
		t.Errorf("rollup delta: %+v, want %+v", d.totals(), tot)
	}
	if n := tot.negate(); n.Strikes != -8 || n.InjuredUnknown != -3 || n.SurvivorsUnknown != -3 {
		t.Errorf("negate: %+v", n)
	}
	var m Totals
	m.Merge(tot)
	m.Merge(tot)
	if m.KilledMax != 26 || m.Incidents != 8 {
		t.Errorf("merge = %+v", m)
	}
}

func TestVocabulary(t *testing.T) {
	v := DefaultVocabulary()
	if err := v.Validate(); err != nil {
		t.Fatalf("default vocabulary invalid: %v", err)
	}
	tests := []struct {
		word      string
		want      string
		score     int
		noComment bool
		ok        bool
	}{
		{"defends", "defends", 2, false, true},
		{"Supports", "defends", 2, false, true},
		{" No Comment ", "no comment", 0, true, true},
		{"defers", "defers", 0, false, true},
		{"condemns", "condemns", -2, false, true},
		{"ponders", "", 0, false, false},
	}
	for _, tt := range tests {
		d, ok := v.Lookup(tt.word)
		if ok != tt.ok || d.Word != tt.want || d.Score != tt.score || d.NoComment != tt.noComment {
			t.Errorf("Lookup(%q) = %+v, %v", tt.word, d, ok)
		}
	}
	bad := append(DefaultVocabulary(), StanceDef{Word: "Defends", Score: 1, Color: "#000000"})
	if err := bad.Validate(); !errors.Is(err, ErrInvalid) {
		t.Errorf("duplicate word not refused: %v", err)
	}
	if err := (Vocabulary{{Word: "x", Score: 3, Color: "#000000"}}).Validate(); err == nil {
		t.Error("score 3 accepted")
	}
	if err := (Vocabulary{{Word: "x", Score: 1, Color: "red"}}).Validate(); err == nil {
		t.Error("colour 'red' accepted")
	}
}
