package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"sitrep/data"
	"sitrep/importers"
)

// exportKindPositions is the export kind of the positions grid; the others are
// importers.RecordKinds.
const exportKindPositions = "positions"

// exportKindStore writes a store file (a subset to hand over, which merge takes).
const exportKindStore = "store"

// exportKindNames lists the --kind values: "incidents|positions|statements|tallies".
func exportKindNames() string {
	names := []string{exportKindPositions, exportKindStore}
	for _, k := range importers.RecordKinds {
		names = append(names, string(k))
	}
	slices.Sort(names)
	return strings.Join(names, "|")
}

// runExport implements `sitrep export [--db PATH] --out FILE.xlsx|FILE.csv [--kind KIND]
// [--force]` with the shared filters (--from, --to, --theatre... see filterFlags). Filters
// apply to each kind as data.Filter defines: --theatre selects incidents and tallies, not
// statements. --kind positions writes the positions grid instead (exportPositions).
func runExport(e *env, args []string) error {
	fs := e.flags()
	db := dbFlag(fs)
	path := fs.String("out", "", "file to write: FILE.xlsx (one sheet per kind) or FILE.csv (one kind)")
	kind := fs.String("kind", "", "export one kind only: "+exportKindNames()+" (required for .csv)")
	filterOf := addFilterFlags(fs, "--kind positions")
	force := fs.Bool("force", false, "replace FILE if it exists")
	title := fs.String("title", "", "with --kind positions: title of the sheet (default: Positions as of DATE)")
	pf := addPositionsFlags(fs, filterOf)
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError("unexpected argument %q (the file goes after --out)", fs.Arg(0))
	}
	set := setFlags(fs)
	if *kind == exportKindPositions {
		if err := notFor(set, "--kind positions", filterNames...); err != nil {
			return err
		}
		return exportPositions(e, *path, *force, *title, pf, db())
	}
	if err := notFor(set, "a records export (only to --kind positions)", append([]string{"title"}, positionsNames...)...); err != nil {
		return err
	}
	if *kind == exportKindStore {
		return exportStore(e, *path, *force, filterOf, db())
	}
	if err := checkOut(*path, *force, ".xlsx", ".csv"); err != nil {
		return err
	}
	csvOut := strings.EqualFold(filepath.Ext(*path), ".csv")
	kinds := importers.RecordKinds
	if *kind != "" {
		if !slices.Contains(importers.RecordKinds, data.Kind(*kind)) {
			return usageError("--kind %q: want one of %s", *kind, exportKindNames())
		}
		kinds = []data.Kind{data.Kind(*kind)}
	} else if csvOut {
		return usageError("a CSV file holds one kind of record: add --kind %s", exportKindNames())
	}
	filter, err := filterOf.filter()
	if err != nil {
		return err
	}

	storeFile := db()
	if !fileExists(storeFile) {
		return fmt.Errorf("no store at %s: nothing to export (import a file first, or pass --db)", storeFile)
	}
	st, err := openStore(storeFile, true)
	if err != nil {
		return err
	}
	defer st.Close()

	var tables []importers.Table
	for _, k := range kinds {
		t, err := importers.RecordTable(st, k, filter)
		if err != nil {
			return fmt.Errorf("reading %s from %s: %w", k, storeFile, err)
		}
		tables = append(tables, t)
	}
	if !filter.KnownOn.IsZero() && !csvOut {
		tables = append(tables, aboutTable(filter))
	}
	err = importers.WriteFile(*path, func(w io.Writer) error {
		if csvOut {
			return importers.WriteCSV(w, tables[0])
		}
		return importers.WriteXLSX(w, tables...)
	})
	if err != nil {
		if errors.Is(err, importers.ErrChanged) {
			return fmt.Errorf("writing %s: %w (an import ran meanwhile); run the export again", *path, err)
		}
		return fmt.Errorf("writing %s: %w", *path, err)
	}
	var parts []string
	for _, t := range tables {
		if t.Name == aboutSheet {
			continue
		}
		parts = append(parts, fmt.Sprintf("%d %s", t.Len, strings.ToLower(t.Name)))
	}
	desc := filter.Describe()
	if desc != "" {
		desc = " (" + desc + ")"
	}
	if _, err := fmt.Fprintf(e.out, "Exported %s%s to %s.\n", strings.Join(parts, ", "), desc, *path); err != nil {
		return err
	}
	if demo, err := st.HasDemoData(); err == nil && demo {
		_, err = fmt.Fprintln(e.out, "Note: the store holds Sitrep's demo data (an approximate reconstruction, for demonstration only); the export includes it where the filters select it.")
		return err
	}
	return nil
}

// exportPositions implements
//
//	sitrep export --kind positions --out FILE.xlsx [--force] [--db PATH] [--topic NAME]...
//	    [--actor NAME]... [--as-of DATE] [--since DATE] [--max-actors N] [--title TEXT]
//
// writing the positions grid as a formatted workbook (see importers.ExportPositions), with a
// sheet of the statements behind the cells and a sheet of every change of position.
func exportPositions(e *env, path string, force bool, title string, pf *positionsFlags, storeFile string) error {
	if err := checkOut(path, force, ".xlsx"); err != nil {
		return err
	}
	pd, opts, m, err := pf.matrix(storeFile)
	if err != nil {
		return err
	}
	tls, err := pd.Timelines(opts)
	if err != nil {
		return err
	}
	err = writeFile(path, func(w io.Writer) error {
		return importers.ExportPositions(w, m, importers.PositionsExportOptions{Title: title, Demo: pd.Demo, Timelines: tls})
	})
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(e.out, "Wrote %s: %s.\n", path, positionsSummary(m))
	return err
}

// aboutSheet names the sheet that says what a workbook holds, written when the records are
// the store's as known on a date (so that the file says so, not only the command's output).
const aboutSheet = "About"

func aboutTable(f data.Filter) importers.Table {
	rows := [][]any{
		{"Records", "as the store held them, as known on " + data.KnownOnLabel(f.KnownOn)},
		{"Known on (RFC 3339)", f.KnownOn.Format(time.RFC3339)},
	}
	if d := f.Describe(); d != "" {
		rows = append(rows, []any{"Filter", d})
	}
	return importers.Table{Name: aboutSheet, Len: len(rows),
		Columns: []importers.Column{{Header: "About", Width: 22}, {Header: "", Width: 70}},
		Rows: func(emit func([]any) error) error {
			for _, r := range rows {
				if err := emit(r); err != nil {
					return err
				}
			}
			return nil
		}}
}

// exportStore implements `sitrep export --kind store --out FILE.db [filters]`: the records the
// filters select, with their revisions and provenance, as a store to hand over (sitrep merge).
func exportStore(e *env, path string, force bool, ff *filterFlags, storeFile string) error {
	if path == "" {
		return usageError("--out is required (a .db file)")
	}
	if !strings.EqualFold(filepath.Ext(path), ".db") {
		return usageError("--out %s: a store export is a .db file", path)
	}
	f, err := ff.filter()
	if err != nil {
		return err
	}
	if !f.KnownOn.IsZero() {
		return usageError("--known-on does not apply to --kind store (a store export holds the current records and their history)")
	}
	if fileExists(path) {
		if !force {
			return fmt.Errorf("%s exists (add --force to replace it)", path)
		}
		if err := os.Remove(path); err != nil {
			return err
		}
	}
	if !fileExists(storeFile) {
		return fmt.Errorf("no store at %s: nothing to export (import a file first, or pass --db)", storeFile)
	}
	st, err := openStore(storeFile, true)
	if err != nil {
		return err
	}
	defer st.Close()
	res, err := st.ExportStore(path, f)
	if err != nil {
		return err
	}
	desc := f.Describe()
	if desc != "" {
		desc = " (" + desc + ")"
	}
	_, err = fmt.Fprintf(e.out, "Exported %d records%s with their revisions to %s, a store of %s; merge it with: sitrep merge %s\n",
		res.Added, desc, path, res.From, filepath.Base(path))
	return err
}
