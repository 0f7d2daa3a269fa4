// Command gen writes an incident workbook for the import benchmarks: one sheet "Incidents"
// with a header row and N data rows of 11 realistic columns (date as real Excel dates,
// theatre, location, actor, target, vessels, killed_min, killed_max, survivors, confidence,
// source), written with excelize's StreamWriter so memory stays flat at any row count.
//
// Usage:
//
//	go run ./bench/gen -rows 100000 -out bench/out/incidents-100k.xlsx
//
// The output is deterministic for a given -rows and -seed.
package main

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"time"

	"github.com/xuri/excelize/v2"
)

// headers are the canonical incident headers (../shared/demo/README.md) for the 11 columns.
var headers = []any{"date", "theatre", "location", "actor", "target", "vessels",
	"killed_min", "killed_max", "survivors", "confidence", "source"}

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

func main() {
	rows := flag.Int("rows", 10000, "number of data rows")
	out := flag.String("out", "incidents.xlsx", "workbook to write")
	seed := flag.Uint64("seed", 1, "random seed (the output is deterministic for a seed)")
	flag.Parse()
	if *rows < 0 {
		fmt.Fprintln(os.Stderr, "gen: -rows must be >= 0")
		os.Exit(2)
	}
	if err := generate(*out, *rows, *seed); err != nil {
		fmt.Fprintf(os.Stderr, "gen: %v\n", err)
		os.Exit(1)
	}
}

func generate(path string, n int, seed uint64) error {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "Incidents"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	dateFmt := "yyyy-mm-dd"
	dateStyle, err := f.NewStyle(&excelize.Style{CustomNumFmt: &dateFmt})
	if err != nil {
		return err
	}
	// The StreamWriter writes the <dimension> element before any row, from the sheet as it
	// is when the stream starts, so the used range must be set first: readers such as
	// openpyxl in read-only mode trust it and would otherwise see a single column.
	last, err := excelize.CoordinatesToCellName(len(headers), n+1)
	if err != nil {
		return err
	}
	if err := f.SetSheetDimension(sheet, "A1:"+last); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	if err := sw.SetRow("A1", headers); err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(seed, seed^0x5eed))
	// Dates spread over 2000-2025 in roughly ascending order, as in a tracker's log.
	start := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	const span = 26 * 365
	row := make([]any, len(headers))
	for i := range n {
		day := start.AddDate(0, 0, int(int64(i)*span/int64(max(n, 1)))+rng.IntN(3))
		row[0] = excelize.Cell{StyleID: dateStyle, Value: day}
		row[1] = pick(rng, theatres)
		row[2] = fmt.Sprintf("%s, %.3f N %.3f W", pick(rng, areas), 5+rng.Float64()*20, 60+rng.Float64()*35)
		row[3] = pick(rng, actors)
		row[4] = pick(rng, targets)
		row[5] = 1 + rng.IntN(3)*rng.IntN(2)
		lo := rng.IntN(12)
		switch r := rng.IntN(20); {
		case r == 0: // unknown toll
			row[6], row[7] = nil, nil
		case r <= 2: // "at least lo"
			row[6], row[7] = lo, nil
		case r <= 5: // a range
			row[6], row[7] = lo, lo+1+rng.IntN(4)
		default:
			row[6], row[7] = lo, lo
		}
		if rng.IntN(3) == 0 {
			row[8] = nil
		} else {
			row[8] = rng.IntN(3) * rng.IntN(2)
		}
		row[9] = pick(rng, confidences)
		row[10] = fmt.Sprintf("%s, item %d", pick(rng, outlets), 1000+i)
		cell, err := excelize.CoordinatesToCellName(1, i+2)
		if err != nil {
			return err
		}
		if err := sw.SetRow(cell, row); err != nil {
			return fmt.Errorf("row %d: %w", i+2, err)
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return f.SaveAs(path)
}

func pick(rng *rand.Rand, s []string) string { return s[rng.IntN(len(s))] }
