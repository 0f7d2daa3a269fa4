//go:build ignore

// gen_map writes world.map.gz, the map data Sitrep embeds (read by package geo), from two
// npm packages that it never fetches itself:
//
//	npm install --prefix /tmp/map world-atlas@2.0.2 @geo-maps/earth-seas-10m@0.6.0
//	SITREP_MAP_NPM=/tmp/map/node_modules go generate ./assets
//
// (SITREP_MAP_NPM defaults to /tmp/map/node_modules.) What goes in:
//
//   - countries at 1:110m and 1:50m from world-atlas (Natural Earth, public domain), kept as
//     TopoJSON-like shared arcs, requantized to 0.02 and 0.004 degrees. Each country gets its
//     ISO 3166-1 alpha-2 and alpha-3 codes (from its numeric code, with golang.org/x/text),
//     its English name from CLDR and the usual variants (aliases below).
//   - named seas: the water polygons of @geo-maps/earth-seas-10m (OpenStreetMap, ODbL; the
//     package has no names) simplified to 0.02 degrees (about 2 km, far below a pixel of a
//     slide) and cut to the outline of each sea in the seas table below. An outline runs
//     over land or across a strait; it is split into triangles and the water clipped to
//     each (Sutherland-Hodgman), so the sea follows the real coastline.
//
// The output is a gzip of quantized, delta- and varint-encoded arcs (see geo/mapfile).
package main

import (
	"encoding/json"
	"fmt"
	"log"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"sitrep/geo/mapfile"
)

type pt = [2]float64

func main() {
	src := os.Getenv("SITREP_MAP_NPM")
	if src == "" {
		src = "/tmp/map/node_modules"
	}
	if _, err := os.Stat(filepath.Join(src, "world-atlas")); err != nil {
		log.Fatalf("gen_map: %v\nInstall the map packages first:\n  npm install --prefix /tmp/map world-atlas@2.0.2 @geo-maps/earth-seas-10m@0.6.0\nthen run SITREP_MAP_NPM=/tmp/map/node_modules go generate ./assets", err)
	}
	var layers []mapfile.EncLayer
	for _, res := range []struct {
		file  string
		name  string
		scale float64
	}{{"countries-110m.json", "countries-110m", 0.02}, {"countries-50m.json", "countries-50m", 0.004}} {
		l, err := countries(filepath.Join(src, "world-atlas", res.file), res.name, res.scale)
		if err != nil {
			log.Fatal(err)
		}
		layers = append(layers, l)
	}
	sl, err := seaLayer(filepath.Join(src, "@geo-maps", "earth-seas-10m", "map.geo.json"))
	if err != nil {
		log.Fatal(err)
	}
	layers = append(layers, sl)
	f, err := os.Create("world.map.gz")
	if err != nil {
		log.Fatal(err)
	}
	if err := mapfile.Encode(f, layers); err != nil {
		log.Fatal(err)
	}
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
	st, _ := os.Stat("world.map.gz")
	for _, l := range layers {
		n := 0
		for _, a := range l.Arcs {
			n += len(a)
		}
		log.Printf("%s: %d features, %d arcs, %d points", l.Name, len(l.Features), len(l.Arcs), n)
	}
	log.Printf("world.map.gz: %d bytes", st.Size())
}

// topology is the part of a TopoJSON file we read.
type topology struct {
	Transform struct {
		Scale     [2]float64 `json:"scale"`
		Translate [2]float64 `json:"translate"`
	} `json:"transform"`
	Arcs    [][][2]float64 `json:"arcs"`
	Objects map[string]struct {
		Geometries []struct {
			Type       string            `json:"type"`
			Arcs       json.RawMessage   `json:"arcs"`
			ID         string            `json:"id"`
			Properties map[string]string `json:"properties"`
		} `json:"geometries"`
	} `json:"objects"`
}

func countries(path, name string, scale float64) (mapfile.EncLayer, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return mapfile.EncLayer{}, err
	}
	var t topology
	if err := json.Unmarshal(raw, &t); err != nil {
		return mapfile.EncLayer{}, fmt.Errorf("%s: %w", path, err)
	}
	l := mapfile.EncLayer{Name: name, Scale: scale}
	// Decode the delta-encoded arcs to degrees, then requantize.
	degs := make([][]pt, len(t.Arcs))
	for i, a := range t.Arcs {
		var x, y float64
		var out []pt
		var q [][2]int32
		for _, p := range a {
			x += p[0]
			y += p[1]
			d := pt{x*t.Transform.Scale[0] + t.Transform.Translate[0], y*t.Transform.Scale[1] + t.Transform.Translate[1]}
			qp := quant(d, scale)
			if len(q) > 0 && q[len(q)-1] == qp {
				continue
			}
			q = append(q, qp)
			out = append(out, d)
		}
		if len(q) == 1 {
			q = append(q, q[0])
		}
		degs[i] = out
		l.Arcs = append(l.Arcs, q)
	}
	for _, g := range t.Objects["countries"].Geometries {
		var polys [][][]int
		switch g.Type {
		case "Polygon":
			var p [][]int
			if err := json.Unmarshal(g.Arcs, &p); err != nil {
				return l, err
			}
			polys = [][][]int{p}
		case "MultiPolygon":
			if err := json.Unmarshal(g.Arcs, &polys); err != nil {
				return l, err
			}
		default:
			continue
		}
		for _, p := range polys {
			for ri, ring := range p {
				area := ringArea(expand(ring, l.Arcs))
				if (ri == 0) != (area > 0) {
					slices.Reverse(ring)
					for k := range ring {
						ring[k] = ^ring[k]
					}
				}
			}
		}
		ft := mapfile.EncFeature{Kind: mapfile.KindCountry, Name: g.Properties["name"], Polygons: polys}
		names := []string{ft.Name}
		if r, err := language.ParseRegion(g.ID); err == nil && g.ID != "" {
			ft.ISO2, ft.ISO3 = r.String(), r.ISO3()
			if n := display.English.Regions().Name(r); n != "" {
				names = append(names, n)
			}
		}
		names = append(names, aliases[ft.Name]...)
		for _, n := range names {
			if n != ft.Name && !slices.Contains(ft.Names, n) {
				ft.Names = append(ft.Names, n)
			}
		}
		l.Features = append(l.Features, ft)
	}
	return l, nil
}

// aliases are other names of countries, by world-atlas name.
var aliases = map[string][]string{
	"United States of America": {"United States", "USA", "U.S.", "U.S.A.", "US", "America", "Estados Unidos", "États-Unis"},
	"United Kingdom":           {"UK", "U.K.", "Britain", "Great Britain", "England", "Scotland", "Wales", "Northern Ireland", "Reino Unido", "Royaume-Uni"},
	"Russia":                   {"Russian Federation", "Rusia", "Russie"},
	"Iran":                     {"Islamic Republic of Iran", "Iran (Islamic Republic of)", "Persia"},
	"Syria":                    {"Syrian Arab Republic"},
	"Dem. Rep. Congo":          {"Democratic Republic of the Congo", "DR Congo", "DRC", "Congo-Kinshasa", "Congo, Dem. Rep.", "Zaire"},
	"Congo":                    {"Republic of the Congo", "Congo-Brazzaville", "Congo, Rep."},
	"Côte d'Ivoire":            {"Ivory Coast", "Cote d'Ivoire"},
	"Myanmar":                  {"Burma"},
	"Palestine":                {"State of Palestine", "Palestinian Territories", "Gaza", "Gaza Strip", "West Bank", "Occupied Palestinian Territory"},
	"Bosnia and Herz.":         {"Bosnia and Herzegovina", "Bosnia"},
	"Central African Rep.":     {"Central African Republic", "CAR"},
	"S. Sudan":                 {"South Sudan"},
	"Dominican Rep.":           {"Dominican Republic"},
	"Eq. Guinea":               {"Equatorial Guinea"},
	"eSwatini":                 {"Eswatini", "Swaziland"},
	"Macedonia":                {"North Macedonia", "FYROM"},
	"North Macedonia":          {"Macedonia"},
	"Czechia":                  {"Czech Republic"},
	"Laos":                     {"Lao PDR", "Lao People's Democratic Republic"},
	"North Korea":              {"DPRK", "Democratic People's Republic of Korea", "Korea, North"},
	"South Korea":              {"Republic of Korea", "Korea, South", "Korea"},
	"Vietnam":                  {"Viet Nam"},
	"Turkey":                   {"Türkiye", "Turkiye"},
	"Venezuela":                {"Bolivarian Republic of Venezuela"},
	"Bolivia":                  {"Plurinational State of Bolivia"},
	"Tanzania":                 {"United Republic of Tanzania"},
	"Somaliland":               {"Somaliland region"},
	"W. Sahara":                {"Western Sahara"},
	"Solomon Is.":              {"Solomon Islands"},
	"Timor-Leste":              {"East Timor"},
	"Mexico":                   {"México", "Mexique"},
	"Colombia":                 {"Colombie"},
	"Pakistan":                 {"Islamic Republic of Pakistan"},
	"Afghanistan":              {"Islamic Emirate of Afghanistan"},
	"Yemen":                    {"Republic of Yemen"},
}

func quant(p pt, scale float64) [2]int32 {
	return [2]int32{int32(math.Round((p[0] + 180) / scale)), int32(math.Round((p[1] + 90) / scale))}
}

func expand(ring []int, arcs [][][2]int32) []pt {
	var out []pt
	for _, ref := range ring {
		a := arcs[max(ref, ^ref)]
		if ref >= 0 {
			for _, p := range a {
				out = append(out, pt{float64(p[0]), float64(p[1])})
			}
		} else {
			for i := len(a) - 1; i >= 0; i-- {
				out = append(out, pt{float64(a[i][0]), float64(a[i][1])})
			}
		}
	}
	return out
}

// ringArea is the signed area (positive counter-clockwise) of a ring.
func ringArea(r []pt) float64 {
	var a float64
	for i := range r {
		j := (i + 1) % len(r)
		a += r[i][0]*r[j][1] - r[j][0]*r[i][1]
	}
	return a / 2
}

// sea is a named sea: an outline that runs over land and across straits around it.
type sea struct {
	name    string
	names   []string
	outline []pt
}

// seas are the named seas Sitrep places incidents in. Outlines are rough on purpose: they
// only need to run over land or across the strait that closes the sea; the water inside
// them gives the coastline.
var seas = []sea{
	{"Caribbean Sea", []string{"Caribbean", "The Caribbean", "Mar Caribe", "Mer des Caraïbes", "Caribe"}, []pt{
		{-87.5, 21.6}, {-84.9, 21.9}, {-74.2, 20.2}, {-68.4, 18.6}, {-65.6, 18.4}, {-61.8, 17.3}, {-61.0, 14.6},
		{-61.4, 10.2}, {-66, 10.0}, {-70.5, 9.8}, {-75, 9.2}, {-76.5, 8.0}, {-77.4, 8.3}, {-79.3, 9.3}, {-80.5, 8.9},
		{-81.5, 8.6}, {-82.5, 9.1}, {-83.5, 9.8}, {-84, 11.0}, {-84.5, 13.5}, {-86, 15.0}, {-88.5, 15.3},
		{-89, 16.5}, {-88.6, 18.5}, {-88, 20.5}}},
	{"Gulf of Mexico", []string{"Golfo de México", "Golfo de Mexico", "Gulf of America", "Golfe du Mexique"}, []pt{
		{-98.5, 18}, {-96, 18.3}, {-94, 17.5}, {-91.5, 18.0}, {-90, 20}, {-87.5, 21.6}, {-84.9, 21.9}, {-83, 22.7},
		{-81.8, 24.5}, {-81, 25.2}, {-81, 31}, {-98.5, 31}}},
	{"Eastern Pacific", []string{"Eastern Pacific Ocean", "East Pacific", "Pacífico Oriental", "Pacifico Oriental", "Pacifique oriental", "Eastern Tropical Pacific"}, []pt{
		{-116, 24}, {-119, 17}, {-117, 9}, {-111, 2}, {-101, -4}, {-90, -8.5}, {-80, -10}, {-78, -10}, {-78.3, -8.5}, {-80.5, -6}, {-79.7, -3.6}, {-79.8, -1}, {-78, 1.5},
		{-76.7, 3.5}, {-76.8, 5.5}, {-77.3, 7.8}, {-78.2, 8.9}, {-79.6, 9.1}, {-80.6, 8.4}, {-82, 8.6}, {-83.2, 9.2},
		{-84.5, 10.3}, {-85.5, 11.0}, {-86.5, 12.7}, {-88, 13.7}, {-90, 14.3}, {-92.5, 15.2}, {-94.8, 16.6},
		{-97, 16.6}, {-101, 17.8}, {-104.5, 19.5}, {-106, 23.5}, {-110.5, 24.5}}},
	{"Mediterranean Sea", []string{"Mediterranean", "Mar Mediterráneo", "Mer Méditerranée", "Méditerranée"}, []pt{
		{-5.6, 35.8}, {-5.6, 36.1}, {-4, 37.5}, {-1, 40}, {3, 43.5}, {8, 44.8}, {12.3, 45.9}, {14, 45.9},
		{19.5, 42.5}, {20.5, 40}, {22, 41}, {26, 41.2}, {28.5, 41.2}, {30, 40.4}, {36.5, 36.8}, {36, 33},
		{34.8, 31}, {32.3, 30.5}, {20, 29.8}, {10, 33}, {3, 36.3}, {-2, 34.8}}},
	{"Black Sea", []string{"Mar Negro", "Mer Noire", "Sea of Azov"}, []pt{
		{27.5, 42}, {28, 45.5}, {30, 46.6}, {31, 47}, {35, 47.2}, {39.5, 47.3}, {38.5, 45.5}, {42, 42},
		{41.5, 40.8}, {35, 41.7}, {28.8, 41.1}, {28, 41.4}}},
	{"Red Sea", []string{"Mar Rojo", "Mer Rouge"}, []pt{
		{32.3, 30.0}, {35, 29.6}, {39, 24}, {42, 19}, {43.6, 12.9}, {43.2, 12.3}, {40.5, 14}, {38.5, 17},
		{36.5, 22}, {33.5, 27}}},
	{"Gulf of Aden", []string{"Golfo de Adén", "Golfe d'Aden", "Bab el-Mandeb", "Bab-el-Mandeb"}, []pt{
		{43.2, 12.3}, {43.6, 12.9}, {45, 13.2}, {52.2, 15.7}, {51.3, 11.8}, {49, 11.0}, {45, 10.2}, {43, 11.3}}},
	{"Arabian Sea", []string{"Mar Arábigo", "Mer d'Arabie"}, []pt{
		{52.2, 15.7}, {57, 19.8}, {59.6, 22.3}, {61.6, 25.2}, {66.5, 25.7}, {68.5, 24}, {70.5, 23.2}, {73, 22},
		{73.5, 18}, {75.2, 13}, {76.6, 9}, {77.5, 8.0}, {73, 0}, {52, 2}, {51.3, 11.8}}},
	{"Persian Gulf", []string{"Arabian Gulf", "Golfo Pérsico", "Golfe Persique", "Strait of Hormuz"}, []pt{
		{48, 30.6}, {51, 29.5}, {54, 27.3}, {56.5, 27.4}, {56.3, 26.2}, {55.5, 24.9}, {52, 23.8}, {51.3, 24.4},
		{49.5, 25.5}, {47.8, 28}, {47.4, 29.6}}},
	{"Gulf of Oman", []string{"Sea of Oman", "Golfo de Omán", "Golfe d'Oman"}, []pt{
		{56.5, 27.4}, {59, 26}, {61.6, 25.4}, {59.7, 22.3}, {58.5, 23.3}, {56.3, 24.8}, {56.3, 26.2}}},
	{"South China Sea", []string{"Mar de China Meridional", "Mer de Chine méridionale", "West Philippine Sea", "East Sea"}, []pt{
		{104, 1.3}, {103.2, 4.5}, {102.3, 6.2}, {104.8, 8.6}, {105.5, 9.5}, {107, 11.5}, {108.3, 15}, {105.8, 18},
		{106, 20.5}, {108.5, 22}, {110.3, 21.3}, {113.5, 22.8}, {117.2, 23.8}, {120.9, 22.3}, {120.8, 18.4},
		{120.8, 16}, {121, 14.2}, {119.3, 10}, {117.2, 8.2}, {116.5, 6.3}, {114, 4.0}, {111, 1.3}, {109.5, 0},
		{103.8, -0.5}}},
	{"Gulf of Guinea", []string{"Golfo de Guinea", "Golfe de Guinée"}, []pt{
		{-5, 5.5}, {1, 6.6}, {5, 6.7}, {9.8, 4.5}, {10, 1}, {9.7, -1}, {5, -3}, {-5, -3}}},
}

func seaLayer(path string) (mapfile.EncLayer, error) {
	l := mapfile.EncLayer{Name: "seas", Scale: 0.01}
	raw, err := os.ReadFile(path)
	if err != nil {
		return l, err
	}
	var gc struct {
		Geometries []struct {
			Type        string          `json:"type"`
			Coordinates json.RawMessage `json:"coordinates"`
		} `json:"geometries"`
	}
	if err := json.Unmarshal(raw, &gc); err != nil {
		return l, fmt.Errorf("%s: %w", path, err)
	}
	var water [][][]pt
	for _, g := range gc.Geometries {
		var polys [][][]pt
		switch g.Type {
		case "Polygon":
			var p [][]pt
			if err := json.Unmarshal(g.Coordinates, &p); err != nil {
				return l, err
			}
			polys = [][][]pt{p}
		case "MultiPolygon":
			if err := json.Unmarshal(g.Coordinates, &polys); err != nil {
				return l, err
			}
		}
		for _, p := range polys {
			var sp [][]pt
			for ri, r := range p {
				r = simplify(r, 0.02)
				if len(r) < 4 || math.Abs(ringArea(r)) < 0.0004 {
					if ri == 0 {
						break
					}
					continue
				}
				if (ri == 0) != (ringArea(r) > 0) {
					slices.Reverse(r)
				}
				sp = append(sp, r)
			}
			if len(sp) > 0 {
				water = append(water, sp)
			}
		}
	}
	for _, s := range seas {
		outline := slices.Clone(s.outline)
		if ringArea(outline) < 0 {
			slices.Reverse(outline)
		}
		ft := mapfile.EncFeature{Kind: mapfile.KindSea, Name: s.name, Names: s.names}
		for _, tri := range earClip(outline) {
			box := bounds(tri[:])
			for _, poly := range water {
				if !overlaps(box, bounds(poly[0])) {
					continue
				}
				var out [][]int
				for ri, r := range poly {
					c := clip(r, tri)
					if len(c) < 3 || math.Abs(ringArea(c)) < 1e-4 {
						if ri == 0 {
							break
						}
						continue
					}
					var q [][2]int32
					for _, p := range c {
						qp := quant(p, l.Scale)
						if len(q) == 0 || q[len(q)-1] != qp {
							q = append(q, qp)
						}
					}
					if len(q) < 3 {
						continue
					}
					q = append(q, q[0])
					l.Arcs = append(l.Arcs, q)
					out = append(out, []int{len(l.Arcs) - 1})
				}
				if len(out) > 0 {
					ft.Polygons = append(ft.Polygons, out)
				}
			}
		}
		if len(ft.Polygons) == 0 {
			return l, fmt.Errorf("sea %s: no water inside its outline", s.name)
		}
		l.Features = append(l.Features, ft)
	}
	return l, nil
}

// simplify is Douglas-Peucker with tolerance tol (degrees), keeping the ring closed.
func simplify(r []pt, tol float64) []pt {
	if len(r) < 4 {
		return r
	}
	keep := make([]bool, len(r))
	keep[0], keep[len(r)-1] = true, true
	type span struct{ a, b int }
	stack := []span{{0, len(r) - 1}}
	if r[0] == r[len(r)-1] {
		// A closed ring: split it at its farthest point so both halves have distinct ends.
		far, fd := 0, -1.0
		for i := range r {
			if d := math.Hypot(r[i][0]-r[0][0], r[i][1]-r[0][1]); d > fd {
				far, fd = i, d
			}
		}
		keep[far] = true
		stack = []span{{0, far}, {far, len(r) - 1}}
	}
	for len(stack) > 0 {
		s := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if s.b-s.a < 2 {
			continue
		}
		a, b := r[s.a], r[s.b]
		dx, dy := b[0]-a[0], b[1]-a[1]
		n := math.Hypot(dx, dy)
		idx, dmax := -1, tol
		for i := s.a + 1; i < s.b; i++ {
			var d float64
			if n == 0 {
				d = math.Hypot(r[i][0]-a[0], r[i][1]-a[1])
			} else {
				d = math.Abs(dy*(r[i][0]-a[0])-dx*(r[i][1]-a[1])) / n
			}
			if d > dmax {
				idx, dmax = i, d
			}
		}
		if idx >= 0 {
			keep[idx] = true
			stack = append(stack, span{s.a, idx}, span{idx, s.b})
		}
	}
	var out []pt
	for i, k := range keep {
		if k {
			out = append(out, r[i])
		}
	}
	return out
}

// earClip splits a simple counter-clockwise ring into triangles.
func earClip(ring []pt) [][3]pt {
	idx := make([]int, len(ring))
	for i := range idx {
		idx[i] = i
	}
	var tris [][3]pt
	for guard := 0; len(idx) > 3 && guard < 10000; guard++ {
		found := false
		for i := range idx {
			a, b, c := ring[idx[(i+len(idx)-1)%len(idx)]], ring[idx[i]], ring[idx[(i+1)%len(idx)]]
			if cross(a, b, c) <= 0 {
				continue
			}
			ear := true
			for _, j := range idx {
				p := ring[j]
				if p == a || p == b || p == c {
					continue
				}
				if cross(a, b, p) >= 0 && cross(b, c, p) >= 0 && cross(c, a, p) >= 0 {
					ear = false
					break
				}
			}
			if ear {
				tris = append(tris, [3]pt{a, b, c})
				idx = slices.Delete(idx, i, i+1)
				found = true
				break
			}
		}
		if !found {
			log.Fatalf("outline is not a simple polygon (no ear among %d points)", len(idx))
		}
	}
	return append(tris, [3]pt{ring[idx[0]], ring[idx[1]], ring[idx[2]]})
}

func cross(a, b, p pt) float64 {
	return (b[0]-a[0])*(p[1]-a[1]) - (b[1]-a[1])*(p[0]-a[0])
}

// clip is Sutherland-Hodgman: the part of ring r inside the counter-clockwise triangle t.
func clip(r []pt, t [3]pt) []pt {
	out := r
	if len(out) > 1 && out[0] == out[len(out)-1] {
		out = out[:len(out)-1]
	}
	for e := range 3 {
		a, b := t[e], t[(e+1)%3]
		in := out
		out = nil
		if len(in) == 0 {
			break
		}
		prev := in[len(in)-1]
		prevIn := cross(a, b, prev) >= 0
		for _, p := range in {
			pIn := cross(a, b, p) >= 0
			if pIn != prevIn {
				out = append(out, intersect(prev, p, a, b))
			}
			if pIn {
				out = append(out, p)
			}
			prev, prevIn = p, pIn
		}
	}
	return out
}

func intersect(p, q, a, b pt) pt {
	d1, d2 := cross(a, b, p), cross(a, b, q)
	t := d1 / (d1 - d2)
	return pt{p[0] + t*(q[0]-p[0]), p[1] + t*(q[1]-p[1])}
}

func bounds(r []pt) [4]float64 {
	b := [4]float64{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)}
	for _, p := range r {
		b[0], b[1] = math.Min(b[0], p[0]), math.Min(b[1], p[1])
		b[2], b[3] = math.Max(b[2], p[0]), math.Max(b[3], p[1])
	}
	return b
}

func overlaps(a, b [4]float64) bool {
	return a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3]
}

var _ = strings.ToLower
