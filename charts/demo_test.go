package charts

import (
	"testing"

	"sitrep/data"
)

// TestDemoNoteFollowsRecordsDrawn: the demo data (Caribbean and Eastern Pacific) beside a
// user's own import in another theatre. A chart of the user's theatre carries no demo note;
// a chart that draws demo records does; after the demo is undone, none does.
func TestDemoNoteFollowsRecordsDrawn(t *testing.T) {
	st := demoStore(t)
	b, err := st.BeginImport(data.ImportInfo{File: "mine.xlsx", Source: "file"})
	if err != nil {
		t.Fatal(err)
	}
	for i, d := range []string{"2025-09-03", "2025-10-04"} {
		r := data.Incident{ID: "MINE-" + string(rune('1'+i)), Date: data.MustDate(d), Theatre: "Red Sea", Killed: data.Exactly(2)}
		if err := b.PutIncident(&r); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := b.Commit(); err != nil {
		t.Fatal(err)
	}
	mine := data.Filter{Theatres: []string{"Red Sea"}}
	tests := []struct {
		name string
		spec Spec
		demo bool
	}{
		{"own theatre only", Spec{Kind: KindDeaths, Period: data.PeriodMonth, Filter: mine}, false},
		{"own theatre, strikes", Spec{Kind: KindStrikes, Period: data.PeriodWeek, Filter: mine}, false},
		{"everything", Spec{Kind: KindDeaths, Period: data.PeriodMonth}, true},
		{"a demo theatre", Spec{Kind: KindStrikes, Period: data.PeriodWeek, Filter: data.Filter{Theatres: []string{"Caribbean"}}}, true},
		// Demo tallies (all theatres) are drawn next to the user's incidents.
		{"own theatre against the demo tallies", Spec{Kind: KindTallies, Unit: UnitDeaths, Period: data.PeriodMonth, Filter: mine}, true},
		{"own theatre with the demo statements", Spec{Kind: KindDeaths, Period: data.PeriodMonth, Filter: mine, Annotate: true}, true},
	}
	for _, tc := range tests {
		ch, err := Build(st, tc.spec)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if ch.Caption.Demo != tc.demo {
			t.Errorf("%s: demo note %v, want %v", tc.name, ch.Caption.Demo, tc.demo)
		}
	}
	logs, err := st.Imports()
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range logs {
		if l.Source == "demo" {
			if err := st.UndoImport(l.ID); err != nil {
				t.Fatal(err)
			}
		}
	}
	ch, err := Build(st, Spec{Kind: KindDeaths, Period: data.PeriodMonth})
	if err != nil {
		t.Fatal(err)
	}
	if ch.Caption.Demo {
		t.Error("demo note after the demo was undone")
	}
}

func TestTitleForNamesTheSelection(t *testing.T) {
	tests := []struct {
		title string
		f     data.Filter
		want  string
	}{
		{"Deaths per month", data.Filter{}, "Deaths per month"},
		{"Deaths per month", data.Filter{Theatres: []string{"Ukraine"}}, "Deaths per month, Ukraine"},
		{"Strikes per week, by theatre", data.Filter{Theatres: []string{"Caribbean"}}, "Strikes per week, Caribbean"},
		{"Strikes per week, by theatre", data.Filter{Theatres: []string{"Caribbean", "Eastern Pacific"}}, "Strikes per week, by theatre, Caribbean and Eastern Pacific"},
		{"Deaths per week", data.Filter{Actors: []string{"United States"}, Theatres: []string{"Caribbean"}}, "Deaths per week, United States in Caribbean"},
		{"Deaths per day", data.Filter{Theatres: []string{"A", "B", "C", "D", " "}}, "Deaths per day, A, B and 2 more"},
		{"Deaths per day", data.Filter{Theatres: []string{"A", "B", "C"}}, "Deaths per day, A, B and C"},
	}
	for _, tc := range tests {
		if got := TitleFor(tc.title, tc.f); got != tc.want {
			t.Errorf("TitleFor(%q, %v) = %q, want %q", tc.title, tc.f, got, tc.want)
		}
	}
}
