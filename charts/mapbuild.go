package charts

import (
	"cmp"
	"fmt"
	"image/color"
	"math"
	"slices"
	"strings"

	"sitrep/data"
	"sitrep/geo"
)

// MapPoint is an incident with coordinates on a map.
type MapPoint struct {
	ID string
	P  geo.Point
	// Day is the day number of its date (data.Date.DayNumber); undated incidents sort
	// first and show at every step of the time slider.
	Day    int
	Killed data.Count
	// Group indexes MapView.Groups.
	Group int
	// Place names it for a label: its location, else its country.
	Place string
}

// MapAreaIncident is one incident placed in an area.
type MapAreaIncident struct {
	ID     string
	Day    int
	Killed data.Count
	Group  int
}

// MapArea is a country or sea that holds incidents without coordinates.
type MapArea struct {
	Feature   *geo.Feature
	Method    geo.Method
	Incidents []MapAreaIncident
}

// MapGroup is one colour of the map's points.
type MapGroup struct {
	Name  string
	Color color.NRGBA
}

// maxMapGroups is how many groups get a colour of their own; the rest are "Other".
const maxMapGroups = 7

// buildMap reads the incidents the spec selects, places each (geo.Atlas.Place) and builds
// the map chart.
func buildMap(src Source, spec Spec) (*Chart, error) {
	st := NewStyle(spec.Theme)
	atlas := geo.World()
	demo, err := demoDrawn(src, spec.Filter, data.KindIncident)
	if err != nil {
		return nil, fmt.Errorf("checking for demo data: %w", err)
	}
	stats, err := src.Stats(spec.Filter)
	if err != nil {
		return nil, fmt.Errorf("reading totals: %w", err)
	}
	mv := &MapView{Style: st, Atlas: atlas, Unit: spec.Unit, Count: spec.Count}
	groupIdx := map[string]int{}
	var groupNames []string
	var groupCounts []int
	areaIdx := map[*geo.Feature]int{}
	var srcs SourceList
	var byMethod [4]int
	box := geo.NoRect
	err = src.ForEachIncident(spec.Filter, func(r *data.Incident) error {
		pl := atlas.Place(r)
		byMethod[pl.Method]++
		if pl.Method == geo.Unplaced {
			return nil
		}
		srcs.Add(r.Source)
		g := groupOf(spec.By, r, pl.Method.String())
		gi, ok := groupIdx[g]
		if !ok {
			gi = len(groupNames)
			groupIdx[g] = gi
			groupNames = append(groupNames, g)
			groupCounts = append(groupCounts, 0)
		}
		groupCounts[gi]++
		day := r.Date.DayNumber()
		if pl.Method == geo.ByCoords {
			place := placeName(r)
			mv.Points = append(mv.Points, MapPoint{ID: r.ID, P: pl.Point, Day: day, Killed: r.Killed, Group: gi, Place: place})
			box = box.Extend(pl.Point)
			return nil
		}
		ai, ok := areaIdx[pl.Area]
		if !ok {
			ai = len(mv.Areas)
			areaIdx[pl.Area] = ai
			mv.Areas = append(mv.Areas, MapArea{Feature: pl.Area, Method: pl.Method})
			box = box.Union(pl.Area.Bounds)
		}
		mv.Areas[ai].Incidents = append(mv.Areas[ai].Incidents, MapAreaIncident{ID: r.ID, Day: day, Killed: r.Killed, Group: gi})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("reading incidents: %w", err)
	}
	mv.Groups, err = mapGroups(src, spec.By, groupNames, groupCounts, mv)
	if err != nil {
		return nil, err
	}
	ext, auto, err := geo.ParseExtent(spec.Extent)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", err, ErrSpec)
	}
	if auto {
		pts := make([]geo.Point, len(mv.Points))
		for i, p := range mv.Points {
			pts[i] = p.P
		}
		dbox := geo.DataBox(pts)
		for _, a := range mv.Areas {
			dbox = dbox.Union(a.Feature.Bounds)
		}
		ext = geo.AutoExtent(dbox)
	}
	mv.Extent = ext
	outside := 0
	if !geo.IsWorld(ext) {
		for _, p := range mv.Points {
			if !ext.Contains(p.P) {
				outside++
			}
		}
	}

	ch := &Chart{Style: st, Kind: KindMap, Body: mv}
	ch.Title = TitleFor(mapTitle(spec.By), spec.Filter)
	if spec.Title != "" {
		ch.Title = spec.Title
	}
	for _, g := range mv.Groups {
		ch.Legend = append(ch.Legend, LegendEntry{Label: g.Name, Color: g.Color, Kind: LegendGlyph, Shape: circleGlyph{}})
	}
	placed := byMethod[geo.ByCoords] + byMethod[geo.ByCountry] + byMethod[geo.BySea]
	ch.Caption.Filter = spec.Filter.Describe()
	ch.Caption.Demo = demo
	ch.Caption.Made = data.DateOf(nowOf(src))
	ch.Caption.Sources = &srcs
	if stats.Incidents > 0 {
		ch.Caption.DateRange = fmt.Sprintf("%s to %s, %s %s", stats.FirstDate.Label(), stats.LastDate.Label(),
			FormatInt(stats.Incidents), plural(stats.Incidents, "incident", "incidents"))
	}
	if placed == 0 {
		ch.Message = EmptyMessage
		if stats.Incidents > 0 {
			ch.Message = "None of these incidents has a place Sitrep knows"
		}
	}
	ch.Caption.Rule = mapRule(spec, byMethod)
	var how []string
	for _, m := range []geo.Method{geo.ByCoords, geo.BySea, geo.ByCountry} {
		if n := byMethod[m]; n > 0 {
			how = append(how, fmt.Sprintf("%s %s", FormatInt(n), strings.Replace(m.String(), "placed ", "", 1)))
		}
	}
	if len(how) > 0 {
		ch.Caption.Notes = append(ch.Caption.Notes, "Placed: "+strings.Join(how, ", "))
	}
	if outside > 0 {
		ch.Caption.Notes = append(ch.Caption.Notes, fmt.Sprintf("%s %s with coordinates far from the others %s outside this map (the import's audit lists coordinates it doubts; a world map shows them)",
			FormatInt(outside), plural(outside, "incident", "incidents"), plural(outside, "lies", "lie")))
	}
	if n := byMethod[geo.Unplaced]; n > 0 {
		ch.Caption.Notes = append(ch.Caption.Notes, fmt.Sprintf("%s %s no coordinates and no country or sea Sitrep knows, and %s not shown",
			FormatInt(n), plural(n, "incident has", "incidents have"), plural(n, "is", "are")))
	}
	ch.Caption.Notes = append(ch.Caption.Notes, "Map: "+geo.ProjectionFor(ext).Name()+
		"; outlines from Natural Earth (public domain), seas from OpenStreetMap data (© OpenStreetMap contributors, ODbL)")
	for _, g := range mv.Groups {
		ch.Layers = append(ch.Layers, Layer{Name: g.Name})
	}
	for i, p := range mv.Points {
		l := &ch.Layers[p.Group]
		l.X = append(l.X, p.P.Lon)
		l.Y = append(l.Y, p.P.Lat)
		_ = i
	}
	return ch, nil
}

// extraPlaceColumns are unmapped columns that name a place, finest first, by their header
// folded to lower case: UCDP's where_coordinates and adm_2, a city or district column.
var extraPlaceColumns = []string{"where_coordinates", "where coordinates", "place", "city", "town", "village", "adm_2", "adm2", "district", "adm_1", "adm1", "province"}

// placeName names where an incident with coordinates happened, for the labels of the most
// affected places: its location, else a place column the import kept as it was ("" when
// there is none: a label that only names the country says nothing the map does not).
func placeName(r *data.Incident) string {
	// A location that only names a country ("Pakistan") says nothing the map does not.
	if s := strings.TrimSpace(r.Location); s != "" && geo.World().Country(s) == nil {
		return s
	}
	if len(r.Extra) > 0 {
		for _, k := range extraPlaceColumns {
			for h, v := range r.Extra {
				if strings.EqualFold(strings.TrimSpace(h), k) {
					if v = strings.TrimSpace(v); v != "" {
						return v
					}
				}
			}
		}
	}
	return ""
}

func mapTitle(g Grouping) string {
	return "Where the incidents happened, by " + string(g)
}

func mapRule(spec Spec, by [4]int) string {
	var parts []string
	if by[geo.ByCoords] > 0 {
		switch spec.Count {
		case CountMin:
			parts = append(parts, "A dot is an incident with coordinates; its area grows with the deaths at the lowest reported figure")
		case CountMax:
			parts = append(parts, "A dot is an incident with coordinates; its area grows with the deaths at the highest reported figure")
		default:
			parts = append(parts, "A dot is an incident with coordinates; its area grows with the deaths at the lowest reported figure, and a ring reaches the highest")
		}
	}
	if by[geo.ByCountry]+by[geo.BySea] > 0 {
		what := "strikes"
		if spec.Unit == UnitDeaths {
			what = "deaths (" + map[CountRule]string{CountMin: "lowest", CountMax: "highest", CountRange: "lowest"}[spec.Count] + " reported figures)"
		}
		parts = append(parts, "A shaded country or sea holds incidents placed by their country, location or theatre (no coordinates): the darker, the more "+what)
	}
	return strings.Join(parts, ". ")
}

// mapGroups gives the groups their colours: theatres their fixed ones; other groupings the
// palette by size, with the groups past the seventh (and, for placement, none) merged into
// "Other". It renumbers the points' and areas' groups.
func mapGroups(src Source, by Grouping, names []string, counts []int, mv *MapView) ([]MapGroup, error) {
	remap := make([]int, len(names))
	var groups []MapGroup
	order := make([]int, len(names))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		if c := cmp.Compare(counts[b], counts[a]); c != 0 {
			return c
		}
		return cmp.Compare(names[a], names[b])
	})
	known := names
	if by == GroupTheatre {
		if ds, ok := src.(DistinctSource); ok {
			if all, err := ds.Distinct("theatre"); err == nil {
				known = all
			}
		}
	}
	other := -1
	for rank, i := range order {
		name := names[i]
		switch {
		case rank >= maxMapGroups:
			if other < 0 {
				other = len(groups)
				groups = append(groups, MapGroup{Name: "Other", Color: Grey})
			}
			remap[i] = other
			continue
		case by == GroupTheatre:
			c := TheatreColor(name, known)
			if slices.ContainsFunc(groups, func(g MapGroup) bool { return g.Color == c }) && c != Grey {
				// More theatres than palette colours: the map must still tell them apart.
				for _, p := range Palette[:len(Palette)-1] {
					if !slices.ContainsFunc(groups, func(g MapGroup) bool { return g.Color == p }) {
						c = p
						break
					}
				}
			}
			groups = append(groups, MapGroup{Name: TheatreLabel(name), Color: c})
		case name == "":
			groups = append(groups, MapGroup{Name: "No " + string(by), Color: Grey})
		default:
			groups = append(groups, MapGroup{Name: name, Color: Palette[len(groups)%(len(Palette)-1)]})
		}
		remap[i] = len(groups) - 1
	}
	for i := range mv.Points {
		mv.Points[i].Group = remap[mv.Points[i].Group]
	}
	for a := range mv.Areas {
		for i := range mv.Areas[a].Incidents {
			mv.Areas[a].Incidents[i].Group = remap[mv.Areas[a].Incidents[i].Group]
		}
	}
	// "Other" last.
	if other >= 0 && other != len(groups)-1 {
		perm := make([]int, len(groups))
		var ng []MapGroup
		for i, g := range groups {
			if i != other {
				perm[i] = len(ng)
				ng = append(ng, g)
			}
		}
		perm[other] = len(ng)
		ng = append(ng, groups[other])
		for i := range mv.Points {
			mv.Points[i].Group = perm[mv.Points[i].Group]
		}
		for a := range mv.Areas {
			for i := range mv.Areas[a].Incidents {
				mv.Areas[a].Incidents[i].Group = perm[mv.Areas[a].Incidents[i].Group]
			}
		}
		groups = ng
	}
	return groups, nil
}

var _ = math.Abs
