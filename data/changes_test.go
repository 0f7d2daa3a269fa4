package data

import (
	"reflect"
	"testing"
	"time"
)

func TestChanges(t *testing.T) {
	clock, now := fixedClock(time.Date(2025, 11, 3, 9, 0, 0, 0, time.UTC))
	s, d := demoStore(t, Options{Now: now})
	t1 := *clock
	*clock = clock.Add(time.Hour)
	upd := demo{incidents: []Incident{d.incidents[3], {ID: "X-1", Date: MustDate("2025-10-20"), Theatre: "Caribbean", Killed: Exactly(2)}}}
	upd.incidents[0].Killed = Exactly(40)
	imp2, _ := importAll(t, s, ImportInfo{File: "upd.csv", Source: "file"}, upd)
	editAt := clock.Add(time.Minute)
	*clock = editAt
	six, _ := s.Incident("US-2025-06")
	six.Notes = "checked by phone"
	if err := s.SaveIncident(&six); err != nil {
		t.Fatal(err)
	}
	*clock = clock.Add(time.Minute)
	if err := s.Delete(KindIncident, "US-2025-05"); err != nil {
		t.Fatal(err)
	}
	t2 := *clock
	*clock = clock.Add(time.Hour)

	rep, err := s.Changes(t1, t2)
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		kind   Kind
		id     string
		fields []FieldChange
		by     []string
	}
	flat := func(rs []RecordChange) []row {
		var out []row
		for _, r := range rs {
			var by []string
			for _, c := range r.By {
				by = append(by, c.By+"|"+c.File)
			}
			out = append(out, row{r.Kind, r.ID, r.Fields, by})
		}
		return out
	}
	tests := []struct {
		name string
		got  []RecordChange
		want []row
	}{
		{"added", rep.Added, []row{{KindIncident, "X-1", nil, []string{imp2 + "|upd.csv"}}}},
		{"changed", rep.Changed, []row{
			{KindIncident, "US-2025-04", []FieldChange{{"killed", "4", "40"}}, []string{imp2 + "|upd.csv"}},
			{KindIncident, "US-2025-06", []FieldChange{{"notes", d.incidents[5].Notes, "checked by phone"}}, []string{"edit|"}},
		}},
		{"removed", rep.Removed, []row{{KindIncident, "US-2025-05", nil, []string{"delete|"}}}},
	}
	for _, tc := range tests {
		if got := flat(tc.got); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s:\n got %+v\nwant %+v", tc.name, got, tc.want)
		}
	}
	if rep.Changed[1].By[0].At != editAt {
		t.Errorf("edit cause at %v, want %v", rep.Changed[1].By[0].At, editAt)
	}
	if rep.Before.Incidents != 17 || rep.After.Incidents != 17 || rep.After.KilledMin-rep.Before.KilledMin != 36+2-d.incidents[4].Killed.Low() {
		t.Errorf("totals: before %+v after %+v", rep.Before.Totals, rep.After.Totals)
	}
	// Undo the import: from t1 to now, only the edit and the deletion remain.
	if err := s.UndoImport(imp2); err != nil {
		t.Fatal(err)
	}
	rep, err = s.Changes(t1, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Added) != 0 || len(rep.Changed) != 1 || rep.Changed[0].ID != "US-2025-06" || len(rep.Removed) != 1 {
		t.Errorf("after undo: added %v changed %v removed %v", flat(rep.Added), flat(rep.Changed), flat(rep.Removed))
	}
	// From t2 to now: the undo took X-1 away and put US-2025-04 back.
	rep, err = s.Changes(t2, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Removed) != 1 || rep.Removed[0].ID != "X-1" || rep.Removed[0].By[0].By != "undo of "+imp2 {
		t.Errorf("undo as a removal: %+v", flat(rep.Removed))
	}
	if len(rep.Changed) != 1 || rep.Changed[0].ID != "US-2025-04" || rep.Changed[0].Fields[0] != (FieldChange{"killed", "40", "4"}) {
		t.Errorf("undo as a change: %+v", flat(rep.Changed))
	}
	if _, err := s.Changes(t2, t1); err == nil {
		t.Error("until before since accepted")
	}
}
