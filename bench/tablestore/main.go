// Command tablestore writes the store the table benchmarks and the GUI measurements use: a
// million incidents like bench/gen's, imported in one go.
//
//	go run ./bench/tablestore -rows 1000000 -out bench/out/table_1m.db
package main

import (
	"flag"
	"fmt"
	"os"
	"time"

	"sitrep/bench/tablebench"
)

func main() {
	rows := flag.Int("rows", 1_000_000, "incidents to write")
	out := flag.String("out", "bench/out/table_1m.db", "store to create (kept when it already holds them)")
	flag.Parse()
	start := time.Now()
	if err := tablebench.WriteStore(*out, *rows); err != nil {
		fmt.Fprintln(os.Stderr, "tablestore:", err)
		os.Exit(1)
	}
	fmt.Printf("tablestore: %s holds %d incidents (%.1f s)\n", *out, *rows, time.Since(start).Seconds())
}
