package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"

	"sitrep/data"
	"sitrep/importers"
)

func init() {
	register(command{name: "export", summary: "write records to an .xlsx workbook or a .csv file", run: runExport})
}

// exportRequest is what a kind's exporter gets: the open store and the filter of the command
// line.
type exportRequest struct {
	Store  *data.Store
	Filter data.Filter
}

// exportKind is one value of `sitrep export --kind`. A file that adds a kind (positions, say)
// puts it into exportKinds from its own init.
type exportKind struct {
	// tables builds the tables to write: one sheet each in a workbook. A kind exported to CSV
	// must give exactly one.
	tables func(req exportRequest) ([]importers.Table, error)
	// flags, when set, adds the kind's own options to the command's flag set before parsing;
	// it keeps their values itself.
	flags func(fs *flag.FlagSet)
}

// exportKinds maps --kind values to their exporters.
var exportKinds = map[string]exportKind{
	string(data.KindIncident): {tables: func(req exportRequest) ([]importers.Table, error) {
		t, err := importers.IncidentTable(func(fn func(*data.Incident) error) error {
			return req.Store.ForEachIncident(req.Filter, fn)
		})
		return []importers.Table{t}, err
	}},
	string(data.KindStatement): {tables: func(req exportRequest) ([]importers.Table, error) {
		rs, err := req.Store.Statements(req.Filter)
		return []importers.Table{importers.StatementTable(rs)}, err
	}},
	string(data.KindTally): {tables: func(req exportRequest) ([]importers.Table, error) {
		rs, err := req.Store.Tallies(req.Filter)
		return []importers.Table{importers.TallyTable(rs)}, err
	}},
}

// exportDefaultKinds are the kinds a workbook export holds when --kind is not given: the
// records themselves, which an import of the workbook brings back.
var exportDefaultKinds = []string{string(data.KindIncident), string(data.KindStatement), string(data.KindTally)}

func exportKindNames() string {
	names := make([]string, 0, len(exportKinds)+1)
	for n := range exportKinds {
		names = append(names, n)
	}
	names = append(names, exportKindPositions) // handled by runExportPositions
	sort.Strings(names)
	return strings.Join(names, "|")
}

// runExport implements `sitrep export [--db PATH] --out FILE.xlsx|FILE.csv [--kind KIND]
// [--force]` with the shared filters (--from, --to, --theatre... see filterFlags). Filters
// apply to each kind as data.Filter defines: --theatre selects incidents and tallies, not
// statements.
func runExport(args []string, out io.Writer) error {
	if isPositionsExportKind(args) {
		return runExportPositions(args, out)
	}
	fs := newFlags("export", out)
	db := dbFlag(fs)
	path := fs.String("out", "", "file to write: FILE.xlsx (one sheet per kind) or FILE.csv (one kind)")
	kind := fs.String("kind", "", "export one kind only: "+exportKindNames()+" (required for .csv)")
	filterOf := filterFlags(fs)
	force := fs.Bool("force", false, "replace FILE if it exists")
	kindNames := make([]string, 0, len(exportKinds))
	for n := range exportKinds {
		kindNames = append(kindNames, n)
	}
	sort.Strings(kindNames)
	for _, n := range kindNames {
		if k := exportKinds[n]; k.flags != nil {
			k.flags(fs)
		}
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError("unexpected argument %q (the file goes after --out)", fs.Arg(0))
	}
	if err := checkOut(*path, *force, ".xlsx", ".csv"); err != nil {
		return err
	}
	csvOut := strings.EqualFold(filepath.Ext(*path), ".csv")
	kinds := exportDefaultKinds
	if *kind != "" {
		if _, ok := exportKinds[*kind]; !ok {
			return usageError("--kind %q: want one of %s", *kind, exportKindNames())
		}
		kinds = []string{*kind}
	} else if csvOut {
		return usageError("a CSV file holds one kind of record: add --kind %s", exportKindNames())
	}
	filter, err := filterOf()
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

	req := exportRequest{Store: st, Filter: filter}
	var tables []importers.Table
	for _, k := range kinds {
		ts, err := exportKinds[k].tables(req)
		if err != nil {
			return fmt.Errorf("reading %s from %s: %w", k, storeFile, err)
		}
		tables = append(tables, ts...)
	}
	if csvOut && len(tables) != 1 {
		return usageError("--kind %s gives %d tables, which a CSV file cannot hold: export to .xlsx", *kind, len(tables))
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
		parts = append(parts, fmt.Sprintf("%d %s", t.Len, strings.ToLower(t.Name)))
	}
	desc := filter.Describe()
	if desc != "" {
		desc = " (" + desc + ")"
	}
	if _, err := fmt.Fprintf(out, "Exported %s%s to %s.\n", strings.Join(parts, ", "), desc, *path); err != nil {
		return err
	}
	if demo, err := st.HasDemoData(); err == nil && demo {
		_, err = fmt.Fprintln(out, "Note: the store holds Sitrep's demo data (an approximate reconstruction, for demonstration only); the export includes it where the filters select it.")
		return err
	}
	return nil
}
