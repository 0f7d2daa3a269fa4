package main

import (
	"fmt"
	"io"

	"sitrep/data"
	"sitrep/importers"
)

// exportKindPositions is the export kind handled here rather than in cli_export.go.
const exportKindPositions = "positions"

// isPositionsExportKind reports whether "sitrep export" args ask for --kind positions, so that
// runExport hands them to runExportPositions;
// cli_export.go can dispatch: if isPositionsExportKind(args) { return runExportPositions(args, out) }.
func isPositionsExportKind(args []string) bool {
	return positionsFlagValue(args, "kind") == exportKindPositions
}

// runExportPositions implements
//
//	sitrep export --kind positions --out FILE.xlsx [--force] [--db PATH] [--topic NAME]...
//	    [--actor NAME]... [--as-of DATE] [--since DATE] [--max-actors N]
//
// writing the positions grid as a formatted workbook (see importers.ExportPositions), with a
// sheet of the statements behind the cells and a sheet of every change of position.
func runExportPositions(args []string, out io.Writer) error {
	fs := newFlags("export", out)
	db := dbFlag(fs)
	kind := fs.String("kind", "", "positions")
	path := fs.String("out", "", "workbook to write (.xlsx)")
	force := fs.Bool("force", false, "replace the file if it exists")
	title := fs.String("title", "", "title of the sheet (default: Positions as of DATE)")
	pf := addPositionsFlags(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError("unexpected argument %q", fs.Arg(0))
	}
	if *kind != exportKindPositions {
		return usageError("--kind %q: want %s here", *kind, exportKindPositions)
	}
	if _, err := positionsOutFormat(*path, *force, ".xlsx"); err != nil {
		return err
	}
	pd, opts, m, err := pf.matrix(db())
	if err != nil {
		return err
	}
	tls, err := data.NewTimelines(pd.statements, pd.vocab, opts)
	if err != nil {
		return err
	}
	err = writeFileAtomically(*path, func(w io.Writer) error {
		return importers.ExportPositions(w, m, importers.PositionsExportOptions{Title: *title, Demo: pd.demo, Timelines: tls})
	})
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(out, "Wrote %s: %s.\n", *path, positionsSummary(m))
	return err
}
