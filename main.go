// Command sitrep is an offline desktop tool for analysts who track strikes, casualties and
// official statements. With no arguments, with --db PATH, or with a store file (PATH.db, as a
// desktop "open with" passes it) it opens the desktop app (gui.go); anything else is a
// command of the CLI (package internal/cli).
package main

import (
	"os"
	"path/filepath"
	"strings"

	"sitrep/internal/cli"
)

func main() {
	args := os.Args[1:]
	if path, ok := guiArgs(args); ok {
		os.Exit(runGUI(path, os.Stderr))
	}
	os.Exit(cli.Run(args, os.Stdout, os.Stderr))
}

// guiArgs says whether args open the desktop app, and on which store file ("" for the
// default): no arguments, "--db PATH" (or -db, or --db=PATH), or one PATH.db.
func guiArgs(args []string) (string, bool) {
	switch len(args) {
	case 0:
		return "", true
	case 1:
		a := args[0]
		for _, p := range []string{"--db=", "-db="} {
			if v, ok := strings.CutPrefix(a, p); ok && v != "" {
				return v, true
			}
		}
		if !strings.HasPrefix(a, "-") && strings.EqualFold(filepath.Ext(a), ".db") {
			return a, true
		}
	case 2:
		if (args[0] == "--db" || args[0] == "-db") && args[1] != "" {
			return args[1], true
		}
	}
	return "", false
}
