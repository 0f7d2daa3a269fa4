package importers

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCoordinates(t *testing.T) {
	pakistan := "id,date,location,Latitude,Longitude\n" +
		"P1,2010-01-01,Miranshah,32.99,70.07\nP2,2010-01-02,Mir Ali,32.97,70.28\nP3,2010-01-03,Wana,32.30,69.57\n" +
		"P4,2010-01-04,Datta Khel,32.95,69.77\nP5,2010-01-05,Makeen,32.62,69.85\nP6,2010-01-06,Angoor Adda,32.43,69.45\n"
	for _, c := range []struct {
		name     string
		csv      string
		id       string
		lat, lon float64
		swapped  int    // notes that say a pair was swapped
		noteHas  string // a word the swap note must carry
	}{
		{"0, 0 is no position", "id,date,country,Latitude,Longitude\nZ,2017-10-16,Yemen,0,0\n", "Z", 0, 0, 0, ""},
		{"one lat,long cell", "id,date,country,Coordinates\nA,2015-01-03,Afghanistan,\"34.5553, 69.2075\"\n", "A", 34.5553, 69.2075, 0, ""},
		{"lat,long cell swapped, latitude beyond 90", "id,date,Coordinates\nA,2015-01-03,\"120.97,14.6\"\n", "A", 14.6, 120.97, 1, "beyond 90"},
		{"two columns, latitude beyond 90", "id,date,Latitude,Longitude\nA,2015-01-03,120.97,14.6\n", "A", 14.6, 120.97, 1, "beyond 90"},
		{"swapped against the row's country", "id,date,country,Latitude,Longitude\nA,2017-10-16,Pakistan,69.58999,32.12082\n", "A", 32.12082, 69.58999, 1, "in Russia, not Pakistan"},
		{"a point in another country is kept", "id,date,country,Latitude,Longitude\nA,2017-10-16,Pakistan,34.5553,69.2075\n", "A", 34.5553, 69.2075, 0, ""},
		{"swapped against the sheet's main country", pakistan + "P7,2017-10-16,Datta Khel,69.83056,32.84444\n", "P7", 32.84444, 69.83056, 1, "most of this sheet's points"},
		{"a flipped sign", "id,date,country,Latitude,Longitude\nA,2017-10-16,Somalia,1.9879983,-42.9894478\n", "A", 1.9879983, 42.9894478, 0, "sign of the coordinates looks flipped"},
		{"in another country than the row's: kept, and said", "id,date,country,Latitude,Longitude\nA,2017-10-16,Somalia,42.339806,-71.089171\n", "A", 42.339806, -71.089171, 0, "in United States of America, not in Somalia (the country column); kept as written"},
		{"at sea off the row's country: kept, nothing said", "id,date,country,Latitude,Longitude\nA,2025-10-21,Colombia,3.9,-79.5\n", "A", 3.9, -79.5, 0, ""},
		{"too few points to know the main country", "id,date,location,Latitude,Longitude\nA,2017-10-16,Miranshah,69.83056,32.84444\n", "A", 69.83056, 32.84444, 0, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			rep, sink := importFile(t, writeFile(t, "coords.csv", []byte(c.csv)), Options{})
			r := sink.incident(t, c.id)
			if c.id == "Z" {
				if r.HasCoords {
					t.Errorf("0, 0 kept as a position")
				}
				if text := problemsText(rep.Sheets[0]); !strings.Contains(text, "placeholder for an unknown position") {
					t.Errorf("the audit does not say why 0, 0 is dropped:\n%s", text)
				}
				return
			}
			if !r.HasCoords || math.Abs(r.Lat-c.lat) > 1e-9 || math.Abs(r.Lon-c.lon) > 1e-9 {
				t.Errorf("%s: coordinates %v %v, %v; want %v, %v", c.id, r.HasCoords, r.Lat, r.Lon, c.lat, c.lon)
			}
			text := problemsText(rep.Sheets[0])
			if n := strings.Count(text, "latitude and longitude swapped"); n != c.swapped {
				t.Errorf("%d swap notes, want %d:\n%s", n, c.swapped, text)
			}
			if c.noteHas != "" && !strings.Contains(text, c.noteHas) {
				t.Errorf("the audit does not say %q:\n%s", c.noteHas, text)
			}
		})
	}
}

// TestPakistanDroneSwapped imports the real Pakistan drone-strike list: its last 14 rows
// (S# 390 to 404) have longitude and latitude swapped, and the audit must say so for each.
func TestPakistanDroneSwapped(t *testing.T) {
	path := filepath.Join("..", "..", "shared", "more-data", "pakistan_drone_attacks_date_parts.csv")
	if _, err := os.Stat(path); err != nil {
		t.Skipf("real test file not available: %v", err)
	}
	rep, sink := importFile(t, path, Options{})
	text := problemsText(rep.Sheets[0])
	if n := strings.Count(text, "latitude and longitude swapped"); n != 14 {
		t.Errorf("%d rows reported swapped, want 14:\n%s", n, text)
	}
	for _, r := range sink.incidents {
		if r.HasCoords && (r.Lat < 24 || r.Lat > 37 || r.Lon < 60 || r.Lon > 78) {
			t.Errorf("row %d: %v, %v is not in or near Pakistan", r.Provenance.Row, r.Lat, r.Lon)
		}
	}
}
