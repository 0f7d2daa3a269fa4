package app

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"sitrep/data"
	"sitrep/importers"
)

// The preview of a real file with several casualty columns: field names in words, a
// one-click suggestion adds an unmapped column to killed, more than one column counts the dead,
// and the per-person reading of a one-row-per-death file can be declined.
func TestPreviewColumnsAndSuggestions(t *testing.T) {
	dir := "/work/shared/more-data"
	if d := os.Getenv("SITREP_MORE_DATA"); d != "" {
		dir = d
	}
	drone := filepath.Join(dir, "pakistan_drone_attacks_date_parts.csv")
	if _, err := os.Stat(drone); err != nil {
		t.Skip("../shared/more-data is absent")
	}
	test.NewTempApp(t)
	plan, err := importers.Inspect(drone, importers.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer plan.Close()
	sp := plan.Sheets[0]
	se := newSheetEditor(sp, plan.Date1904)
	col := func(h string) int {
		for i, x := range sp.Headers {
			if x == h {
				return i
			}
		}
		t.Fatalf("no column %s", h)
		return -1
	}
	if got := se.mapping[col("Total_Died")].Selected; got != "Killed" {
		t.Errorf("Total_Died shown as %q", got)
	}
	if got := se.mapping[col("Civilians")].Selected; got != "Killed, civilians" {
		t.Errorf("Civilians shown as %q", got)
	}
	_ = se.content()
	if len(se.suggest) < 2 {
		t.Fatalf("%d suggestions, want Al_Qaeda and Taliban", len(se.suggest))
	}
	var taliban int = -1
	for i, b := range se.suggest {
		if strings.HasPrefix(b.Text, "Taliban holds numbers beside the death counts") {
			taliban = i
		}
	}
	if taliban < 0 {
		t.Fatalf("no suggestion for Taliban")
	}
	test.Tap(se.suggest[taliban])
	if got := se.mapping[col("Taliban")].Selected; got != "Killed, Taliban" {
		t.Fatalf("after the suggestion Taliban shows %q", got)
	}
	// By hand, Al_Qaeda joins too: a third column counting the dead.
	se.mapping[col("Al_Qaeda")].SetSelected("Killed, Al_Qaeda")
	if err := se.apply(importers.DateOrderAuto); err != nil {
		t.Fatal(err)
	}
	for _, f := range []importers.Field{"killed", "killed/civilians", "killed/Taliban", "killed/Al_Qaeda"} {
		if _, ok := sp.Mapping[f]; !ok {
			t.Errorf("%s not mapped: %v", f, sp.Mapping)
		}
	}

	un := filepath.Join(dir, "un_peacekeeping_fatalities_one_row_per_death.csv")
	p2, err := importers.Inspect(un, importers.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer p2.Close()
	se2 := newSheetEditor(p2.Sheets[0], p2.Date1904)
	if se2.perRow == nil || !se2.perRow.Checked {
		t.Fatal("one death per row not offered")
	}
	se2.perRow.SetChecked(false)
	if err := se2.apply(importers.DateOrderAuto); err != nil || p2.Sheets[0].PerRow != "" {
		t.Errorf("declined: %v %q", err, p2.Sheets[0].PerRow)
	}
	se2.perRow.SetChecked(true)
	if err := se2.apply(importers.DateOrderAuto); err != nil || p2.Sheets[0].PerRow != data.MeasureKilled {
		t.Errorf("accepted: %v %q", err, p2.Sheets[0].PerRow)
	}
}

// Words that fit the data: a store of province-level casualty files shows strikes weighted by
// their counts, injured instead of survivors nobody reported, "unknown" rather than 0, and the
// detail view lists the figures per category.
func TestOverviewWordsFitTheData(t *testing.T) {
	st := newMemStore(filepath.Join(t.TempDir(), "s.db"))
	st.load("file", "drones.csv", []data.Incident{
		{ID: "d1", Date: data.Day(2010, 1, 2), Theatre: "FATA", Admin1: "FATA", Killed: data.Exactly(5), Injured: data.Exactly(2), Events: 3,
			Casualties: []data.CategoryCount{{Measure: data.MeasureKilled, Category: "civilians", Count: data.Exactly(4)}}},
		{ID: "d2", Date: data.Day(2010, 2, 2), Theatre: "KPK", Admin1: "KPK"},
	}, nil)
	h := newHarness(t, st, nil)
	h.wait()
	o := h.ui.overview
	if got := o.cards[cardStrikes].Text; got != "4" {
		t.Errorf("strikes %q, want 4 (3 + 1)", got)
	}
	if got := o.subs[cardStrikes].Text; strings.Contains(got, "vessels") {
		t.Errorf("vessels spoken of without vessels: %q", got)
	}
	if got := o.titles[cardSurvivors].Text + " " + o.cards[cardSurvivors].Text; got != "Injured 2" {
		t.Errorf("third card %q, want Injured 2", got)
	}
	rows := map[string][4]string{}
	for _, r := range o.thRows {
		rows[r[0]] = r
	}
	if rows["KPK"][2] != "unknown" || rows["KPK"][3] != "unknown" || rows["FATA"][2] != "5" {
		t.Errorf("by place %v", o.thRows)
	}
	var k incidentKind
	found := false
	for _, f := range k.fieldsOf(st.incidents["d1"]) {
		if f.label == "Killed, civilians" && f.value == "4" {
			found = true
		}
	}
	if !found {
		t.Errorf("detail view lacks the civilians killed: %+v", k.fieldsOf(st.incidents["d1"]))
	}
}

// The overview's table groups by the place level the user picks.
func TestOverviewGroupsByPickedLevel(t *testing.T) {
	st := newMemStore(filepath.Join(t.TempDir(), "s.db"))
	st.load("file", "masacres.csv", []data.Incident{
		{ID: "a", Date: data.Day(2024, 1, 2), Theatre: "Colombia", Admin1: "ARAUCA", Killed: data.Exactly(4)},
		{ID: "b", Date: data.Day(2024, 1, 3), Theatre: "Colombia", Admin1: "CAUCA", Killed: data.Exactly(3)},
	}, nil)
	h := newHarness(t, st, nil)
	h.wait()
	o := h.ui.overview
	if len(o.thRows) != 1 || o.thRows[0][0] != "Colombia" {
		t.Fatalf("by theatre: %v", o.thRows)
	}
	h.act(func() { o.levelSel.SetSelected("Region (admin 1)") })
	h.wait()
	if len(o.thRows) != 2 || o.thRows[0][0] != "ARAUCA" || o.thRows[0][2] != "4" {
		t.Errorf("by admin 1: %v", o.thRows)
	}
}

// The preview gives every row of a file a theatre; the audit says the mapping, casualty and
// date rules and the columns left out.
func TestPreviewSetsTheatreAndAuditSaysTheRules(t *testing.T) {
	st := newMemStore(filepath.Join(t.TempDir(), "s.db"))
	imp := &fakeImporter{store: st}
	h := newHarness(t, st, func(o *Options) { o.Importer = imp })
	h.dlg.openPath = "/data/partner.xlsx"
	h.act(func() { typeShortcut(h.win, "O") })
	h.wait()
	p := h.ui.opened.preview
	if p == nil || p.theatre == nil {
		t.Fatal("no preview")
	}
	h.act(func() { p.theatre.SetText("Yemen") })
	h.act(func() { test.Tap(p.importB) })
	h.wait()
	if imp.ran == nil || imp.ran.Sheets[0].Set[importers.FieldTheatre] != "Yemen" {
		t.Fatalf("theatre not given: %+v", imp.ran)
	}
	a := newAudit(&importers.FileReport{Path: "f.csv", Status: "imported", Sheets: []*importers.SheetReport{{
		Name: "f", Kind: "incidents", HeaderRow: 1, Mapping: map[string]string{"killed": "Total_Died", "killed/civilians": "Civilians"},
		CasualtyRule: "killed = Total_Died, the total", DateRule: "dates from Year, Month, Day", Ignored: []string{"Taliban"},
		UnknownCodes: []string{"Civilians: -1 (1 cells) read as unknown"}}}}, "")
	notes := strings.Join(a.notes, "\n")
	for _, want := range []string{"Killed ← Total_Died", "Killed, civilians ← Civilians", "Casualties: killed = Total_Died, the total",
		"Dates: dates from Year, Month, Day", "Not imported (kept as extra columns): Taliban", "Unknown: Civilians: -1"} {
		if !strings.Contains(notes, want) {
			t.Errorf("audit lacks %q:\n%s", want, notes)
		}
	}
}
