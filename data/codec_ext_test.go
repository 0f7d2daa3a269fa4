package data

import (
	"bytes"
	"reflect"
	"testing"
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
