package assets

import (
	"embed"
	"io/fs"
)

//go:embed demo/*.csv demo/README.md
var demoFS embed.FS

// Demo returns the bundled demo data: incidents.csv, statements.csv and tallies.csv with the
// canonical columns, and README.md with their provenance. It is a reconstruction of press
// reports for demonstration only; whatever shows it must say it is demo data.
func Demo() fs.FS {
	sub, err := fs.Sub(demoFS, "demo")
	if err != nil {
		panic(err) // the embedded tree is fixed at build time
	}
	return sub
}

// DemoFiles lists the demo tables in the order they should be imported.
var DemoFiles = []string{"incidents.csv", "statements.csv", "tallies.csv"}
