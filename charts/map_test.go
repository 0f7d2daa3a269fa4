package charts

import (
	"bytes"
	"errors"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"sitrep/data"
	"sitrep/geo"
)

const ucdpBangladesh = "../../shared/more-data/ucdp_ged_bangladesh_hxl.csv"

func mapView(t *testing.T, ch *Chart) *MapView {
	t.Helper()
	mv, ok := ch.Body.(*MapView)
	if !ok {
		t.Fatalf("map body is a %T", ch.Body)
	}
	return mv
}

// TestDemoMapPlacesEveryIncident: the demo incidents have no coordinates; each is placed in
// its sea (the Caribbean, from "Caribbean Sea" or "off Venezuela"; the Eastern Pacific) and
// says so.
func TestDemoMapPlacesEveryIncident(t *testing.T) {
	src := demoSource(t)
	w := geo.World()
	for i := range src.incidents {
		r := &src.incidents[i]
		p := w.Place(r)
		want := "Caribbean Sea"
		if r.Theatre == TheatreEasternPacific {
			want = "Eastern Pacific"
		}
		if p.Method != geo.BySea || p.Area.Name != want || !strings.HasPrefix(p.Describe(), "placed by sea: "+want) {
			t.Errorf("%s (%s, %q): %s; want placed by sea in the %s", r.ID, r.Theatre, r.Location, p.Describe(), want)
		}
	}
	ch, err := Build(src, Spec{Kind: KindMap})
	if err != nil {
		t.Fatal(err)
	}
	mv := mapView(t, ch)
	if len(mv.Points) != 0 || len(mv.Areas) != 2 {
		t.Fatalf("%d points and %d areas, want 0 and 2", len(mv.Points), len(mv.Areas))
	}
	var ids []string
	for _, a := range mv.Areas {
		if a.Method != geo.BySea {
			t.Errorf("%s placed %v", a.Feature.Name, a.Method)
		}
		for _, inc := range a.Incidents {
			ids = append(ids, inc.ID)
		}
	}
	if len(ids) != 17 {
		t.Errorf("%d incidents on the map, want all 17", len(ids))
	}
	caption := strings.Join(ch.Caption.Lines(), "\n")
	for _, want := range []string{"Placed: 17 by sea", "Natural Earth", "OpenStreetMap", DemoNote} {
		if !strings.Contains(caption, want) {
			t.Errorf("caption lacks %q:\n%s", want, caption)
		}
	}
	if geo.IsWorld(mv.Extent) || !mv.Extent.Contains(geo.Point{Lon: -75, Lat: 12}) || !mv.Extent.Contains(geo.Point{Lon: -95, Lat: 10}) {
		t.Errorf("extent %v does not zoom on the Caribbean and the Eastern Pacific", mv.Extent)
	}
	if got := []string{ch.Legend[0].Label, ch.Legend[1].Label}; !slices.Equal(got, []string{"Caribbean", "Eastern Pacific"}) {
		t.Errorf("legend %v", got)
	}
}

func TestMapSpec(t *testing.T) {
	for _, c := range []struct {
		spec Spec
		err  bool
	}{
		{Spec{Kind: "MAP"}, false},
		{Spec{Kind: KindMap, By: "actor", Extent: "world", Unit: UnitDeaths}, false},
		{Spec{Kind: KindMap, By: "colour"}, true},
		{Spec{Kind: KindMap, Extent: "north"}, true},
		{Spec{Kind: KindMap, Unit: UnitVessels}, true},
	} {
		n, err := c.spec.Normalize()
		if (err != nil) != c.err || (err != nil && !errors.Is(err, ErrSpec)) {
			t.Errorf("%+v: %v", c.spec, err)
		}
		if err == nil && (n.By == "" || n.Unit == "") {
			t.Errorf("%+v: defaults not filled: %+v", c.spec, n)
		}
	}
}

func TestMapGroupingAndTime(t *testing.T) {
	src := demoSource(t)
	ch, err := Build(src, Spec{Kind: KindMap, By: GroupPlacement, Unit: UnitDeaths})
	if err != nil {
		t.Fatal(err)
	}
	if len(ch.Legend) != 1 || ch.Legend[0].Label != "placed by sea" {
		t.Errorf("legend by placement: %+v", ch.Legend)
	}
	mv := mapView(t, ch)
	col := mv.colors()
	if shades := mv.areaShades(col); shades[0].A == 0 || shades[1].A == 0 {
		t.Errorf("areas not shaded: %v", shades)
	}
	// Before the first strike nothing shows; after the last, everything.
	mv.Until = data.MustDate("2025-09-01").DayNumber()
	for i, s := range mv.areaShades(col) {
		if s.A != 0 {
			t.Errorf("area %d shaded before the first strike", i)
		}
	}
	mv.Until = data.MustDate("2025-09-03").DayNumber()
	n := 0
	for _, s := range mv.areaShades(col) {
		if s.A != 0 {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d areas shaded after the first strike (in the Caribbean), want 1", n)
	}
}

func TestMapFormats(t *testing.T) {
	ch, err := Build(demoSource(t), Spec{Kind: KindMap, Theme: ThemeDark})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []Format{FormatPNG, FormatSVG, FormatPDF} {
		var buf bytes.Buffer
		if err := ch.Render(&buf, f, SizeSocial); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if buf.Len() < 10000 {
			t.Errorf("%s: %d bytes", f, buf.Len())
		}
		if f == FormatSVG && !strings.Contains(buf.String(), "Caribbean Sea") {
			t.Error("SVG lacks the Caribbean Sea label")
		}
	}
}

// TestMapPoints draws the UCDP Bangladesh events (601, all with coordinates), then finds a
// point by its pixel, and pans and zooms.
func TestMapPoints(t *testing.T) {
	st := importedStore(t, ucdpBangladesh)
	ch, err := Build(st, Spec{Kind: KindMap})
	if err != nil {
		t.Fatal(err)
	}
	mv := mapView(t, ch)
	if len(mv.Points) != 601 || len(mv.Areas) != 0 {
		t.Fatalf("%d points, %d areas; want 601 and 0", len(mv.Points), len(mv.Areas))
	}
	if !strings.Contains(strings.Join(ch.Caption.Lines(), " "), "601 coordinates from the file") {
		t.Errorf("caption: %v", ch.Caption.Lines())
	}
	bd := geo.Point{Lon: 90.4, Lat: 23.7}
	if !mv.Extent.Contains(bd) || mv.Extent.Max.Lon-mv.Extent.Min.Lon > 20 {
		t.Errorf("extent %v is not Bangladesh", mv.Extent)
	}
	const w, h = 1200, 675
	ch.Image(w, h)
	fr, ok := mv.Frame()
	if !ok {
		t.Fatal("no frame after drawing")
	}
	// The largest event (138 killed) is drawn; find it back from its pixel.
	big := -1
	for i, p := range mv.Points {
		if big < 0 || p.Killed.High() > mv.Points[big].Killed.High() {
			big = i
		}
	}
	var at drawnPoint
	for _, d := range mv.last.drawn {
		if d.i == big {
			at = d
		}
	}
	dpi := float64(Pixels(w, h).DPI)
	px, py := float64(at.at.X)*dpi/72, float64(h)-float64(at.at.Y)*dpi/72
	if i, ok := mv.PointAt(px, py, w, h); !ok || mv.Points[i].Killed.High() != 138 {
		t.Errorf("PointAt(%v, %v) = %d, %v; want the 138-death event", px, py, i, ok)
	}
	if _, ok := mv.PointAt(2, 2, w, h); ok {
		t.Error("a point in the corner of the picture")
	}
	zoomed := mv.PanZoom(0, 0, 2)
	if zw, ow := zoomed.Max.Lon-zoomed.Min.Lon, fr.Extent().Max.Lon-fr.Extent().Min.Lon; zw > ow*0.55 || zw < ow*0.45 {
		t.Errorf("zoom by 2: %v degrees wide from %v", zw, ow)
	}
	panned := mv.PanZoom(0.5, 0, 1)
	if panned.Min.Lon >= fr.Extent().Min.Lon {
		t.Errorf("moving the content right shows what is west: %v from %v", panned, fr.Extent())
	}
}

// TestMapGolden compares the demo map and the UCDP Bangladesh map with their goldens (go
// test ./charts -run TestMapGolden -regen rewrites them).
func TestMapGolden(t *testing.T) {
	for _, c := range []struct {
		name string
		src  func(t *testing.T) Source
		spec Spec
	}{
		{"map-demo-light", func(t *testing.T) Source { return demoSource(t) }, Spec{Kind: KindMap}},
		{"map-ucdp-bangladesh-dark", func(t *testing.T) Source { return importedStore(t, ucdpBangladesh) }, Spec{Kind: KindMap, Theme: ThemeDark}},
	} {
		t.Run(c.name, func(t *testing.T) {
			ch, err := Build(c.src(t), c.spec)
			if err != nil {
				t.Fatal(err)
			}
			got, err := ch.RenderImage(SizeSocial)
			if err != nil {
				t.Fatal(err)
			}
			compareGolden(t, c.name, got)
		})
	}
}

func compareGolden(t *testing.T, name string, got image.Image) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden.png")
	if *regen {
		var buf bytes.Buffer
		if err := png.Encode(&buf, got); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	fh, err := os.Open(path)
	if err != nil {
		t.Fatalf("%v (run go test ./charts -run TestMapGolden -regen to create it)", err)
	}
	defer fh.Close()
	want, err := png.Decode(fh)
	if err != nil {
		t.Fatal(err)
	}
	if got.Bounds() != want.Bounds() {
		t.Fatalf("size %v, golden %v", got.Bounds(), want.Bounds())
	}
	if share := diffShare(got, want); share > maxDiffShare {
		out := filepath.Join(t.TempDir(), name+".png")
		var buf bytes.Buffer
		_ = png.Encode(&buf, got)
		_ = os.WriteFile(out, buf.Bytes(), 0o644)
		t.Errorf("%.2f%% of pixels differ from %s (tolerance %.2f%%); got written to %s", share*100, path, maxDiffShare*100, out)
	}
}
