// Command release_median prints the median of Go durations read one per line from stdin
// (bench/release.sh uses it for the GUI startup times).
package main

import (
	"bufio"
	"fmt"
	"os"
	"sort"
	"strings"
	"time"
)

func main() {
	var ds []time.Duration
	sc := bufio.NewScanner(os.Stdin)
	for sc.Scan() {
		if d, err := time.ParseDuration(strings.TrimSpace(sc.Text())); err == nil {
			ds = append(ds, d)
		}
	}
	if len(ds) == 0 {
		fmt.Fprintln(os.Stderr, "no durations")
		os.Exit(1)
	}
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	fmt.Println(ds[len(ds)/2].Round(time.Millisecond))
}
