// Command sitrep is an offline desktop tool for analysts who track strikes, casualties and
// official statements. With no arguments it opens the GUI; with a subcommand it runs headless
// over the same packages (see cli.go).
package main

import (
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}
