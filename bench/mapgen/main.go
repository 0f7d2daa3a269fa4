// Command mapgen writes the inputs of the map benchmark (bench/map.sh): a CSV of synthetic
// incidents with coordinates, clustered around a dozen places of the world, and the country
// outlines Sitrep draws on a world map (its embedded 1:110m layer) as JSON rings for
// matplotlib, so that both draw the same picture.
//
//	go run ./bench/mapgen -rows 100000 -csv bench/out/map_100k.csv -outlines bench/out/outlines_110m.json
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"math"
	"math/rand/v2"
	"os"
	"strconv"

	"sitrep/geo"
)

// hotspots are the centres incidents cluster around: lon, lat, spread in degrees, theatre.
var hotspots = []struct {
	lon, lat, spread float64
	theatre, country string
}{
	{-66, 13, 3, "Caribbean", "Venezuela"},
	{-92, 10, 4, "Eastern Pacific", "Guatemala"},
	{69.8, 32.8, 1.2, "Pakistan", "Pakistan"},
	{68, 33.5, 2.5, "Afghanistan", "Afghanistan"},
	{45, 15, 2, "Yemen", "Yemen"},
	{45.3, 3, 2.5, "Somalia", "Somalia"},
	{38, 35, 2, "Syria", "Syria"},
	{44, 33.3, 2, "Iraq", "Iraq"},
	{36.5, 48.5, 3, "Ukraine", "Ukraine"},
	{0, 16, 4, "Sahel", "Mali"},
	{7, 11, 3, "Nigeria", "Nigeria"},
	{29, 0, 3, "Great Lakes", "Dem. Rep. Congo"},
	{-74, 4, 3, "Colombia", "Colombia"},
}

func main() {
	rows := flag.Int("rows", 100000, "incidents to write")
	csvPath := flag.String("csv", "map_100k.csv", "CSV of incidents to write")
	outlines := flag.String("outlines", "outlines_110m.json", "JSON of the outline rings to write")
	flag.Parse()
	if err := writeCSV(*csvPath, *rows); err != nil {
		log.Fatal(err)
	}
	if err := writeOutlines(*outlines); err != nil {
		log.Fatal(err)
	}
}

func writeCSV(path string, rows int) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	rng := rand.New(rand.NewPCG(7, 11))
	fmt.Fprintln(w, "id,date,theatre,country,location,latitude,longitude,killed_min,killed_max,source")
	for i := range rows {
		h := hotspots[rng.IntN(len(hotspots))]
		lon := h.lon + rng.NormFloat64()*h.spread
		lat := math.Max(-80, math.Min(80, h.lat+rng.NormFloat64()*h.spread*0.7))
		lo := int(math.Floor(rng.ExpFloat64() * 3))
		hi := lo + rng.IntN(3)
		day := 20000 + rng.IntN(2000)
		d := 86400 * int64(day)
		date := unixDate(d)
		fmt.Fprintf(w, "MAP-%06d,%s,%s,%s,Place %d,%s,%s,%d,%d,Synthetic benchmark data\n", i, date, h.theatre, h.country,
			rng.IntN(500), strconv.FormatFloat(lat, 'f', 5, 64), strconv.FormatFloat(lon, 'f', 5, 64), lo, hi)
	}
	if err := w.Flush(); err != nil {
		return err
	}
	return f.Close()
}

func unixDate(sec int64) string {
	days := sec / 86400
	// civil from days (Howard Hinnant's algorithm)
	z := days + 719468
	era := z / 146097
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y := yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d := doy - (153*mp+2)/5 + 1
	m := mp + 3
	if m > 12 {
		m -= 12
		y++
	}
	return fmt.Sprintf("%04d-%02d-%02d", y, m, d)
}

func writeOutlines(path string) error {
	var rings [][][2]float64
	for _, f := range geo.World().Coarse {
		if f.Bounds.Max.Lat <= -60 {
			continue // Sitrep leaves Antarctica off a world map
		}
		for _, poly := range f.Polygons {
			for _, ring := range poly {
				r := make([][2]float64, len(ring))
				for i, p := range ring {
					r[i] = [2]float64{p.Lon, p.Lat}
				}
				rings = append(rings, r)
			}
		}
	}
	b, err := json.Marshal(rings)
	if err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o644)
}
