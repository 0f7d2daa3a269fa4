package geo

import (
	"bytes"
	"errors"
	"math"
	"slices"
	"strings"
	"testing"

	"sitrep/assets"
	"sitrep/data"
	"sitrep/geo/mapfile"
)

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

func TestEqualEarthRoundTrip(t *testing.T) {
	for _, lon0 := range []float64{0, -75, 150} {
		p := EqualEarth{Lon0: lon0}
		for lat := -85.0; lat <= 85; lat += 17 {
			for lon := -179.0; lon <= 179; lon += 29 {
				x, y := p.Forward(Point{Lon: lon, Lat: lat})
				q := p.Inverse(x, y)
				dl := math.Mod(q.Lon-lon+540, 360) - 180
				if !near(dl, 0, 1e-6) || !near(q.Lat, lat, 1e-6) {
					t.Errorf("lon0 %v: %v,%v -> %v,%v -> %v", lon0, lon, lat, x, y, q)
				}
			}
		}
	}
}

func TestEqualEarthKnownValues(t *testing.T) {
	p := EqualEarth{}
	// The equator and the central meridian map to the axes; the map is symmetric.
	if x, y := p.Forward(Point{}); x != 0 || y != 0 {
		t.Errorf("origin -> %v, %v", x, y)
	}
	x1, y1 := p.Forward(Point{Lon: 60, Lat: 40})
	x2, y2 := p.Forward(Point{Lon: -60, Lat: -40})
	if !near(x1, -x2, 1e-12) || !near(y1, -y2, 1e-12) {
		t.Errorf("not symmetric: %v,%v and %v,%v", x1, y1, x2, y2)
	}
	// Equal Earth's published extent: x at the equator's end 2.7066 and y at the pole
	// 1.3173 on the unit sphere (Šavrič et al. 2018, table 1).
	xe, _ := p.Forward(Point{Lon: 180, Lat: 0})
	_, yp := p.Forward(Point{Lon: 0, Lat: 90})
	if !near(xe/eeScale, 2.7066, 1e-4) || !near(yp/eeScale, 1.3173, 1e-4) {
		t.Errorf("extent %v, %v; want 2.7066, 1.3173", xe/eeScale, yp/eeScale)
	}
}

func TestEquirect(t *testing.T) {
	p := Equirect{Lon0: -70, Lat0: 60}
	x, y := p.Forward(Point{Lon: -60, Lat: 61})
	if !near(x, 5, 1e-9) || y != 61 { // 10 degrees of longitude at cos 60° = 5 units
		t.Errorf("forward %v, %v", x, y)
	}
	if q := p.Inverse(x, y); !near(q.Lon, -60, 1e-9) || !near(q.Lat, 61, 1e-9) {
		t.Errorf("inverse %v", q)
	}
	if p.KmPerUnit() != kmPerDegree {
		t.Errorf("km per unit %v", p.KmPerUnit())
	}
}

func TestAutoExtent(t *testing.T) {
	box := func(lon0, lat0, lon1, lat1 float64) Rect {
		return Rect{Min: Point{Lon: lon0, Lat: lat0}, Max: Point{Lon: lon1, Lat: lat1}}
	}
	for _, c := range []struct {
		name string
		in   Rect
		want Rect
	}{
		{"nothing: the world", NoRect, WorldExtent},
		{"one point: a region around it", box(-66, 11, -66, 11), box(-69, 8, -63, 14)},
		{"padded by 15%", box(-90, 0, -60, 20), box(-94.5, -3, -55.5, 23)},
		{"more than half the world: the world", box(-120, -30, 100, 50), WorldExtent},
		{"clamped at the pole", box(10, 70, 30, 84), box(7, 67.9, 33, 85)},
	} {
		got := AutoExtent(c.in)
		if !near(got.Min.Lon, c.want.Min.Lon, 1e-9) || !near(got.Min.Lat, c.want.Min.Lat, 1e-9) ||
			!near(got.Max.Lon, c.want.Max.Lon, 1e-9) || !near(got.Max.Lat, c.want.Max.Lat, 1e-9) {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

func TestProjectionFor(t *testing.T) {
	if _, ok := ProjectionFor(WorldExtent).(EqualEarth); !ok {
		t.Error("the world is not Equal Earth")
	}
	p, ok := ProjectionFor(Rect{Min: Point{Lon: -90, Lat: 0}, Max: Point{Lon: -60, Lat: 20}}).(Equirect)
	if !ok || p.Lon0 != -75 || p.Lat0 != 10 {
		t.Errorf("the Caribbean: %#v", p)
	}
}

func TestFit(t *testing.T) {
	ext := Rect{Min: Point{Lon: -90, Lat: 0}, Max: Point{Lon: -60, Lat: 20}}
	p := ProjectionFor(ext)
	for _, aspect := range []float64{16.0 / 9, 1, 0.5} {
		f := Fit(ext, p, aspect)
		if !near(f.Width()/f.Height(), aspect, 1e-9) {
			t.Errorf("aspect %v: frame %v x %v", aspect, f.Width(), f.Height())
		}
		// The frame holds the whole extent, centred.
		x0, y0 := p.Forward(ext.Min)
		x1, y1 := p.Forward(ext.Max)
		if f.X0 > x0+1e-9 || f.Y0 > y0+1e-9 || f.X1 < x1-1e-9 || f.Y1 < y1-1e-9 {
			t.Errorf("aspect %v: frame %+v does not hold %v..%v", aspect, f, ext.Min, ext.Max)
		}
		if !near((f.X0+f.X1)/2, (x0+x1)/2, 1e-9) || !near((f.Y0+f.Y1)/2, (y0+y1)/2, 1e-9) {
			t.Errorf("aspect %v: not centred", aspect)
		}
		back := f.Extent()
		if back.Min.Lon > ext.Min.Lon+1e-6 || back.Max.Lat < ext.Max.Lat-1e-6 {
			t.Errorf("aspect %v: frame extent %v does not hold %v", aspect, back, ext)
		}
	}
}

func TestParseExtent(t *testing.T) {
	for _, c := range []struct {
		in   string
		auto bool
		want Rect
		err  bool
	}{
		{"", true, Rect{}, false},
		{"auto", true, Rect{}, false},
		{"World", false, WorldExtent, false},
		{"20,-90, 5,-60", false, Rect{Min: Point{Lon: -90, Lat: 5}, Max: Point{Lon: -60, Lat: 20}}, false},
		{"5,-60,20", false, Rect{}, true},
		{"95,0,10,10", false, Rect{}, true},
		{"5,5,5,10", false, Rect{}, true},
		{"a,b,c,d", false, Rect{}, true},
	} {
		got, auto, err := ParseExtent(c.in)
		if (err != nil) != c.err || (err != nil && !errors.Is(err, ErrExtent)) {
			t.Errorf("%q: error %v", c.in, err)
			continue
		}
		if err == nil && (auto != c.auto || got != c.want) {
			t.Errorf("%q: %v %v, want %v %v", c.in, got, auto, c.want, c.auto)
		}
	}
}

func TestGraticuleAndLabels(t *testing.T) {
	for span, want := range map[float64]float64{3: 0.5, 30: 5, 80: 10, 360: 30} {
		if got := GraticuleStep(span); got != want {
			t.Errorf("step for %v degrees: %v, want %v", span, got, want)
		}
	}
	for v, want := range map[float64]string{15: "15°N", -7.5: "7.5°S", 0: "0°"} {
		if got := FormatLat(v); got != want {
			t.Errorf("FormatLat(%v) = %q, want %q", v, got, want)
		}
	}
	if got := FormatLon(-80); got != "80°W" {
		t.Errorf("FormatLon(-80) = %q", got)
	}
}

func TestLookup(t *testing.T) {
	w := World()
	for _, c := range []struct{ in, want string }{
		{"Venezuela", "Venezuela"}, {"VEN", "Venezuela"}, {"ve", "Venezuela"}, {"Afghanistan ", "Afghanistan"},
		{"USA", "United States of America"}, {"United States", "United States of America"},
		{"Côte d’Ivoire", "Côte d'Ivoire"}, {"Ivory Coast", "Côte d'Ivoire"}, {"DRC", "Dem. Rep. Congo"},
		{"Burma", "Myanmar"}, {"Gaza", "Palestine"}, {"Caribbean", "Caribbean Sea"}, {"the Caribbean", "Caribbean Sea"},
		{"Eastern Pacific", "Eastern Pacific"}, {"Golfo de México", "Gulf of Mexico"}, {"Red Sea", "Red Sea"},
		{"Atlantis", ""},
	} {
		got := ""
		if f := w.Lookup(c.in); f != nil {
			got = f.Name
		}
		if got != c.want {
			t.Errorf("Lookup(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestPointIn(t *testing.T) {
	w := World()
	for _, c := range []struct {
		p       Point
		country string
		sea     string
	}{
		{Point{Lon: 69.2, Lat: 34.5}, "Afghanistan", ""},
		{Point{Lon: 70.07, Lat: 32.99}, "Pakistan", ""},
		{Point{Lon: 32.12, Lat: 69.59}, "Russia", ""},
		{Point{Lon: -66.9, Lat: 10.5}, "Venezuela", ""},
		{Point{Lon: -70, Lat: 14}, "", "Caribbean Sea"},
		{Point{Lon: -90, Lat: 25}, "", "Gulf of Mexico"},
		{Point{Lon: -95, Lat: 10}, "", "Eastern Pacific"},
		{Point{Lon: 38.5, Lat: 20}, "", "Red Sea"},
		{Point{Lon: -40, Lat: 30}, "", ""},
	} {
		got, gotSea := "", ""
		if f := w.CountryAt(c.p); f != nil {
			got = f.Name
		}
		if f := w.SeaAt(c.p); f != nil {
			gotSea = f.Name
		}
		if got != c.country || gotSea != c.sea {
			t.Errorf("%v: in %q and %q, want %q and %q", c.p, got, gotSea, c.country, c.sea)
		}
	}
}

func TestPlace(t *testing.T) {
	w := World()
	for _, c := range []struct {
		name string
		r    data.Incident
		m    Method
		area string
		says string
	}{
		{"coordinates", data.Incident{HasCoords: true, Lat: 32.99, Lon: 70.07, Country: "Pakistan"}, ByCoords, "", "coordinates from the file (32.9900, 70.0700)"},
		{"sea in the location", data.Incident{Location: "Eastern Pacific off Colombia", Theatre: "Eastern Pacific"}, BySea, "Eastern Pacific", `placed by sea: Eastern Pacific (from the location "Eastern Pacific off Colombia")`},
		{"off a country", data.Incident{Location: "International waters off Venezuela", Theatre: "Caribbean"}, BySea, "Caribbean Sea", "placed by sea: Caribbean Sea"},
		{"frente a", data.Incident{Location: "aguas frente a Venezuela"}, BySea, "Caribbean Sea", "placed by sea"},
		{"country field", data.Incident{Country: "Yemen ", Location: "Shabwa governorate"}, ByCountry, "Yemen", `placed by country: Yemen (from the country "Yemen ")`},
		{"ISO code", data.Incident{Country: "SOM"}, ByCountry, "Somalia", "placed by country: Somalia"},
		{"country in the location", data.Incident{Location: "near Kabul, Afghanistan"}, ByCountry, "Afghanistan", "from the location"},
		{"longest name wins", data.Incident{Location: "Port Moresby, Papua New Guinea"}, ByCountry, "Papua New Guinea", "Papua New Guinea"},
		{"sea theatre", data.Incident{Theatre: "Caribbean", Location: "unknown"}, BySea, "Caribbean Sea", `from the theatre "Caribbean"`},
		{"country theatre", data.Incident{Theatre: "Pakistan"}, ByCountry, "Pakistan", "from the theatre"},
		{"nothing known", data.Incident{Theatre: "Elsewhere", Location: "a boat"}, Unplaced, "", "not placed"},
	} {
		p := w.Place(&c.r)
		area := ""
		if p.Area != nil {
			area = p.Area.Name
		}
		if p.Method != c.m || area != c.area || !strings.Contains(p.Describe(), c.says) {
			t.Errorf("%s: %v %q %q; want %v %q, saying %q", c.name, p.Method, area, p.Describe(), c.m, c.area, c.says)
		}
	}
}

func TestEncodeDecode(t *testing.T) {
	in := []mapfile.EncLayer{{Name: "seas", Scale: 0.5, Arcs: [][][2]int32{{{0, 0}, {4, 0}, {4, 4}}, {{4, 4}, {0, 4}, {0, 0}}},
		Features: []mapfile.EncFeature{{Kind: mapfile.KindSea, Name: "Square Sea", Names: []string{"Square"}, Polygons: [][][]int{{{0, 1}}}}}},
		{Name: "countries-50m", Scale: 1, Arcs: [][][2]int32{{{0, 0}, {1, 0}, {1, 1}, {0, 0}}},
			Features: []mapfile.EncFeature{{Kind: mapfile.KindCountry, Name: "Tri", ISO2: "TR", ISO3: "TRI", Polygons: [][][]int{{{^0}}}}}}}
	var buf bytes.Buffer
	if err := mapfile.Encode(&buf, in); err != nil {
		t.Fatal(err)
	}
	a, err := Load(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	sq := a.Sea("square")
	if sq == nil || len(sq.Polygons) != 1 || len(sq.Polygons[0][0]) != 5 {
		t.Fatalf("square sea %+v", sq)
	}
	if sq.Bounds != (Rect{Min: Point{Lon: -180, Lat: -90}, Max: Point{Lon: -178, Lat: -88}}) {
		t.Errorf("bounds %v", sq.Bounds)
	}
	tri := a.Country("TRI")
	if tri == nil || tri.Polygons[0][0][1] != (Point{Lon: -179, Lat: -89}) {
		t.Errorf("reversed arc: %+v", tri)
	}
	if _, err := Load([]byte("not gzip")); !errors.Is(err, mapfile.ErrAtlas) {
		t.Errorf("garbage: %v", err)
	}
	if _, err := Load(assets.WorldMap()[:1000]); err == nil {
		t.Error("a truncated map file decodes")
	}
}

func TestAntimeridian(t *testing.T) {
	w := World()
	for _, name := range []string{"Russia", "Fiji"} {
		for _, layer := range [][]Feature{w.Countries, w.Coarse} {
			for _, f := range layer {
				if f.Name != name {
					continue
				}
				for _, poly := range f.Polygons {
					for _, ring := range poly {
						if crosses(ring) {
							t.Errorf("%s still has a ring across the antimeridian", name)
						}
					}
				}
			}
		}
	}
}

func TestDataBox(t *testing.T) {
	var pts []Point
	for i := range 200 {
		pts = append(pts, Point{Lon: 44 + float64(i%10)*0.3, Lat: 2 + float64(i/10)*0.2})
	}
	all := DataBox(pts)
	if all.Min.Lon != 44 || !near(all.Max.Lat, 5.8, 1e-9) || !near(all.Max.Lon, 46.7, 1e-9) {
		t.Errorf("clustered points: %v", all)
	}
	// Two typos far away are left out; many far points are not typos.
	typos := append(slices.Clone(pts), Point{Lon: -44, Lat: 2}, Point{Lon: 5.3, Lat: 2})
	if got := DataBox(typos); got != all {
		t.Errorf("with two typos: %v, want %v", got, all)
	}
	var two []Point
	for i := range 100 {
		two = append(two, pts[i], Point{Lon: -70 + float64(i%5), Lat: 10})
	}
	if got := DataBox(two); got.Min.Lon > -70 || got.Max.Lon < 46 {
		t.Errorf("two theatres: %v", got)
	}
	if got := DataBox(pts[:3]); got.Min.Lon != 44 || !near(got.Max.Lon, 44.6, 1e-9) {
		t.Errorf("few points: %v", got)
	}
}
