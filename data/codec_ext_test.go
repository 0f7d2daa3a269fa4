package data

import (
	"bytes"
	"path/filepath"
	"reflect"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// The incident extension section: written only when one of its fields is set, so a record
// without them encodes exactly as the first version of the encoding did.
func TestIncidentExtension(t *testing.T) {
	base := Incident{ID: "R-1", Date: MustDate("2025-03-02"), Theatre: "Gulf", Killed: Exactly(3),
		Extra: map[string]string{"k": "v"}, Provenance: Provenance{File: "f.csv", Row: 2}}
	plain := encodeRecord(&base, 1)
	// The first version ends the body with Extra: encode it by hand and compare.
	var body enc
	e := &body
	e.str(base.ID)
	e.date(base.Date)
	e.date(base.DateEnd)
	e.str(base.Theatre)
	e.str(base.Country)
	e.str(base.Location)
	e.byte1(0)
	e.str(base.Actor)
	e.str(base.Target)
	e.count(base.Vessels)
	e.str(base.AllegedAffiliation)
	e.count(base.Killed)
	e.count(base.Survivors)
	e.count(base.Missing)
	e.count(base.Injured)
	e.str(base.AnnouncedBy)
	e.str(base.Confidence)
	e.str(base.Source)
	e.str(base.Notes)
	e.strmap(base.Extra)
	ver, err := splitVersion(plain)
	if err != nil || !bytes.Equal(ver.body, body.b) {
		t.Fatalf("an incident without extension fields changed its encoding:\n%x\n%x", ver.body, body.b)
	}
	tests := []struct {
		name string
		edit func(r *Incident)
	}{
		{"admin levels", func(r *Incident) { r.Admin1, r.Admin2 = "ARAUCA", "FORTUL" }},
		{"casualties", func(r *Incident) {
			r.Casualties = []CategoryCount{{Measure: MeasureKilled, Category: "civilians", Count: Exactly(2)},
				{Measure: MeasureKilled, Category: "side A", Count: Unknown},
				{Measure: MeasureKilled, Category: "lowest estimate", Estimate: true, Count: AtLeast(1)}}
		}},
		{"events", func(r *Incident) { r.Events = 7 }},
		{"all", func(r *Incident) {
			r.Admin1, r.Events = "Dhaka Division", 2
			r.Casualties = []CategoryCount{{Measure: MeasureInjured, Category: "children", Count: Between(1, 4)}}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := base
			tc.edit(&in)
			v := encodeRecord(&in, 2)
			got, err := decodeIncident(v)
			if err != nil || !reflect.DeepEqual(got, in) {
				t.Fatalf("round trip:\n%+v\n%+v\n%v", got, in, err)
			}
			// A cut inside the extension is damage, not a shorter record.
			ver, _ := splitVersion(v)
			cut := encodeRecordBody(ver.body[:len(ver.body)-1])
			if _, err := decodeIncident(cut); err == nil {
				t.Error("a truncated extension decoded")
			}
		})
	}
	t.Run("unknown tags are skipped", func(t *testing.T) {
		in := base
		in.Events = 3
		ver, _ := splitVersion(encodeRecord(&in, 1))
		b := append([]byte(nil), ver.body...)
		b = append(b, 200, 2, 'x', 'y') // a tag from a later version
		got, err := decodeIncident(encodeRecordBody(b))
		if err != nil || got.Events != 3 {
			t.Errorf("got %+v, %v", got, err)
		}
	})
}

// encodeRecordBody wraps a raw body as a stored version with an empty provenance.
func encodeRecordBody(body []byte) []byte {
	var e enc
	e.uvarint(1)
	e.uvarint(uint64(len(body)))
	e.b = append(e.b, body...)
	e.str("")
	e.str("")
	e.str("")
	e.uvarint(0)
	return e.b
}

func TestIncidentStrikesAndLabels(t *testing.T) {
	if n := (&Incident{}).Strikes(); n != 1 {
		t.Errorf("no events: %d strikes, want 1", n)
	}
	if n := (&Incident{Events: 4}).Strikes(); n != 4 {
		t.Errorf("4 events: %d strikes", n)
	}
	for _, tc := range []struct {
		c    CategoryCount
		want string
	}{
		{CategoryCount{Measure: MeasureKilled, Category: "civilians"}, "Killed, civilians"},
		{CategoryCount{Measure: MeasureInjured}, "Injured"},
		{CategoryCount{Measure: MeasureKilled, Category: "lowest estimate", Estimate: true}, "Killed, lowest estimate"},
	} {
		if got := tc.c.Label(); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.c, got, tc.want)
		}
	}
}

// Migration 2 rebuilds a first-version rollup (eight numbers per entry, no injured, no
// unknown counts) from the incidents, so that an old store's stats gain them.
func TestMigrationRebuildsRollup(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	d := demo{incidents: []Incident{
		{ID: "a", Date: Day(2024, 1, 2), Theatre: "X", Killed: Exactly(2), Injured: Exactly(5)},
		{ID: "b", Date: Day(2024, 1, 2), Theatre: "X", Killed: Exactly(1), Events: 3},
		{ID: "c", Date: Day(2024, 2, 2), Theatre: "Y"},
	}}
	importAll(t, s, ImportInfo{File: "old", Source: "old"}, d)
	want, _ := s.Stats(Filter{})
	s.Close()
	// Make it a schema-1 file: first-version rollup entries.
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bktRollup)
		type kv struct{ k, v []byte }
		var all []kv
		_ = b.ForEach(func(k, v []byte) error {
			tot, _ := decodeTotals(v)
			var e enc
			for _, n := range []int{tot.Incidents, tot.VesselsMin, tot.VesselsMax, tot.KilledMin, tot.KilledMax, tot.KilledUnknown, tot.SurvivorsMin, tot.SurvivorsMax} {
				e.varint(int64(n))
			}
			all = append(all, kv{append([]byte(nil), k...), e.b})
			return nil
		})
		for _, x := range all {
			if err := b.Put(x.k, x.v); err != nil {
				return err
			}
		}
		return tx.Bucket(bktMeta).Put(keySchema, []byte("1"))
	})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	s, err = Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	got, err := s.Stats(Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if got.Totals != want.Totals || got.InjuredMin != 5 || got.Strikes != 5 || got.SurvivorsUnknown != 3 {
		t.Errorf("after migration %+v\nwant %+v", got.Totals, want.Totals)
	}
}

func TestStatsByPlaceLevel(t *testing.T) {
	s, err := Open(filepath.Join(t.TempDir(), "s.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	importAll(t, s, ImportInfo{File: "f", Source: "f"}, demo{incidents: []Incident{
		{ID: "a", Date: Day(2024, 1, 2), Theatre: "Colombia", Admin1: "ARAUCA", Admin2: "FORTUL", Killed: Exactly(4)},
		{ID: "b", Date: Day(2024, 1, 3), Theatre: "Colombia", Admin1: "ARAUCA", Admin2: "SARAVENA", Killed: Exactly(3)},
		{ID: "c", Date: Day(2024, 2, 2), Theatre: "Colombia", Admin1: "CAUCA", Killed: Exactly(5), Events: 2},
	}})
	for _, tc := range []struct {
		by   string
		want map[string]int // place -> killed
	}{
		{"", map[string]int{"Colombia": 12}},
		{"province", map[string]int{"ARAUCA": 7, "CAUCA": 5}},
		{"admin2", map[string]int{"FORTUL": 4, "SARAVENA": 3, "": 5}},
	} {
		by, err := ParsePlaceLevel(tc.by)
		if err != nil {
			t.Fatal(err)
		}
		st, err := s.StatsBy(Filter{}, by)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]int{}
		for k, v := range st.ByTheatre {
			got[k] = v.KilledMin
		}
		if !reflect.DeepEqual(got, tc.want) || st.Strikes != 4 {
			t.Errorf("by %q: %v (strikes %d), want %v", tc.by, got, st.Strikes, tc.want)
		}
		ser, err := s.AggregateBy(Filter{}, PeriodMonth, by)
		if err != nil || len(ser.Buckets) != 2 || len(ser.Theatres) != len(tc.want) {
			t.Errorf("aggregate by %q: %+v, %v", tc.by, ser.Theatres, err)
		}
	}
	if _, err := ParsePlaceLevel("galaxy"); err == nil {
		t.Error("an unknown level was accepted")
	}
}

func TestAggregateCategories(t *testing.T) {
	s, err := Open(filepath.Join(t.TempDir(), "s.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	cat := func(name string, n int, est bool) CategoryCount {
		return CategoryCount{Measure: MeasureKilled, Category: name, Count: Exactly(n), Estimate: est}
	}
	importAll(t, s, ImportInfo{File: "f", Source: "f"}, demo{incidents: []Incident{
		{ID: "a", Date: Day(2024, 1, 2), Killed: Exactly(5), Casualties: []CategoryCount{cat("civilians", 4, false), cat("lowest estimate", 1, true)}},
		{ID: "b", Date: Day(2024, 1, 9), Killed: Exactly(3), Casualties: []CategoryCount{cat("civilians", 1, false), cat("side A", 2, false)}},
		{ID: "c", Date: Day(2024, 1, 10), Killed: Exactly(7)},
	}})
	ser, err := s.AggregateCategories(Filter{}, PeriodMonth, MeasureKilled)
	if err != nil || len(ser.Buckets) != 1 {
		t.Fatalf("%+v %v", ser, err)
	}
	got := map[string]int{}
	for k, v := range ser.Buckets[0].ByTheatre {
		got[k] = v.KilledMin
	}
	want := map[string]int{"civilians": 5, "side A": 2, CategoryOther: 1, CategoryNone: 7}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("by category %v, want %v", got, want)
	}
	if ser.Buckets[0].Cumulative.KilledMin != 15 {
		t.Errorf("categories add up to %d, want the 15 killed", ser.Buckets[0].Cumulative.KilledMin)
	}
}
