// Package tablebench measures the record tables (package table) on a store of a million
// incidents like those bench/gen writes and sitrep import reads: first screenful, full load,
// sort by each column, text search, and the memory the process holds with the table loaded.
// WriteStore makes the store; bench/tablestore is its command.
package tablebench

import (
	"fmt"
	"math/rand/v2"
	"time"

	"sitrep/data"
)

var (
	theatres = []string{"Caribbean", "Caribbean", "Caribbean", "Eastern Pacific", "Eastern Pacific",
		"Gulf of Mexico", "Western Atlantic"}
	areas = []string{"International waters off Venezuela", "Caribbean Sea", "Off Trinidad and Tobago",
		"Off the coast of Colombia", "International waters off Mexico", "South of Guatemala",
		"West of the Galapagos", "Off Ecuador", "Windward Passage", "North of Aruba"}
	actors  = []string{"United States", "United States", "United States", "Joint task force", "Coast guard"}
	targets = []string{"Speedboat", "Boat", "Semi-submersible", "Fishing vessel", "Go-fast boat",
		"Cargo vessel", "Two boats"}
	confidences = []string{"official claim", "official claim", "corroborated", "disputed"}
	outlets     = []string{"Press reports of the US announcement", "Secretary of War (X)",
		"President (Truth Social)", "Wire service report", "Local media", "NGO tracker",
		"Official press release"}
)

func pick(rng *rand.Rand, s []string) string { return s[rng.IntN(len(s))] }

// Incidents returns the n incidents of the benchmark store, the same for every run: the
// rows bench/gen writes for -rows n -seed 1 (dates from 2000 over 26 years, a unique
// location and source per row, tolls exact, ranges, "at least" or unknown), with the ids
// the importer gives them (GEN-0000001...).
func Incidents(n int, fn func(*data.Incident) error) error {
	rng := rand.New(rand.NewPCG(1, 1^0x5eed))
	start := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	const span = 26 * 365
	var r data.Incident
	for i := range n {
		day := start.AddDate(0, 0, int(int64(i)*span/int64(max(n, 1)))+rng.IntN(3))
		r = data.Incident{
			ID:         fmt.Sprintf("GEN-%07d", i+1),
			Date:       data.DateOf(day),
			Theatre:    pick(rng, theatres),
			Location:   fmt.Sprintf("%s, %.3f N %.3f W", pick(rng, areas), 5+rng.Float64()*20, 60+rng.Float64()*35),
			Actor:      pick(rng, actors),
			Target:     pick(rng, targets),
			Vessels:    data.Exactly(1 + rng.IntN(3)*rng.IntN(2)),
			Provenance: data.Provenance{File: "incidents_1m.xlsx", Sheet: "Incidents", Row: i + 2},
		}
		lo := rng.IntN(12)
		switch x := rng.IntN(20); {
		case x == 0:
			r.Killed = data.Count{}
		case x <= 2:
			r.Killed = data.AtLeast(lo)
		case x <= 5:
			r.Killed = data.Between(lo, lo+1+rng.IntN(4))
		default:
			r.Killed = data.Exactly(lo)
		}
		if rng.IntN(3) != 0 {
			r.Survivors = data.Exactly(rng.IntN(3) * rng.IntN(2))
		}
		r.Confidence = pick(rng, confidences)
		r.Source = fmt.Sprintf("%s, item %d", pick(rng, outlets), 1000+i)
		if err := fn(&r); err != nil {
			return err
		}
	}
	return nil
}

// WriteStore creates the store at path with the n incidents of Incidents, in one import,
// unless it already holds exactly those n incidents.
func WriteStore(path string, n int) error {
	st, err := data.Open(path, data.Options{})
	if err != nil {
		return err
	}
	defer st.Close()
	stats, err := st.Stats(data.Filter{})
	if err != nil {
		return err
	}
	if stats.Incidents == n {
		return nil
	}
	if stats.Incidents != 0 {
		return fmt.Errorf("%s holds %d incidents, not %d: remove it first", path, stats.Incidents, n)
	}
	b, err := st.BeginImport(data.ImportInfo{File: "incidents_1m.xlsx", Source: "file"})
	if err != nil {
		return err
	}
	defer b.Abort()
	if err := Incidents(n, b.PutIncident); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if _, err := b.Commit(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}
