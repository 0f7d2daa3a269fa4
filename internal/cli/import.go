package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"

	"sitrep/data"
	"sitrep/importers"
)

// importUsage is the synopsis of `sitrep import`.
const importUsage = "sitrep import [--db PATH] [--json] [--dry-run] [--strict] [--sheet NAME] [--map FIELD=HEADER]... [--day-first|--month-first] [--password P] FILE..."

// mapFlag is a repeatable FIELD=HEADER flag.
type mapFlag map[importers.Field]string

// String implements flag.Value.
func (m mapFlag) String() string {
	var parts []string
	for f, h := range m {
		parts = append(parts, string(f)+"="+h)
	}
	return strings.Join(parts, ",")
}

// Set implements flag.Value: it adds one FIELD=HEADER.
func (m mapFlag) Set(v string) error {
	f, h, ok := strings.Cut(v, "=")
	f = strings.TrimSpace(f)
	if !ok || f == "" {
		return fmt.Errorf("want FIELD=HEADER, got %q", v)
	}
	if !knownField(importers.Field(f)) {
		return fmt.Errorf("unknown field %q (incidents: %s)", f, fieldList(data.KindIncident))
	}
	m[importers.Field(f)] = h
	return nil
}

// setFlag is --set FIELD=VALUE, repeatable: a value every row of the file takes.
type setFlag map[importers.Field]string

// String implements flag.Value.
func (m setFlag) String() string {
	var parts []string
	for f, v := range m {
		parts = append(parts, string(f)+"="+v)
	}
	return strings.Join(parts, ",")
}

// Set implements flag.Value: it adds one FIELD=VALUE.
func (m setFlag) Set(v string) error {
	f, val, ok := strings.Cut(v, "=")
	f, val = strings.TrimSpace(f), strings.TrimSpace(val)
	if !ok || f == "" || val == "" {
		return fmt.Errorf("want FIELD=VALUE (theatre=Yemen), got %q", v)
	}
	var names []string
	for _, s := range importers.SettableFields {
		if string(s) == f {
			m[s] = val
			return nil
		}
		names = append(names, string(s))
	}
	return fmt.Errorf("--set %s: only %s can be given to a whole file", f, strings.Join(names, ", "))
}

func knownField(f importers.Field) bool {
	if importers.IsCasualtyCategory(f) {
		return true
	}
	for _, k := range data.Kinds {
		for _, x := range importers.KnownFields(k) {
			if x == f {
				return true
			}
		}
	}
	return false
}

func fieldList(k data.Kind) string {
	var s []string
	for _, f := range importers.KnownFields(k) {
		s = append(s, string(f))
	}
	return strings.Join(s, ", ")
}

// parseInterleaved parses flags that may come after file names ("import a.csv --json").
func parseInterleaved(fs interface {
	Parse([]string) error
	Args() []string
}, args []string, parse func([]string) error) ([]string, error) {
	var files []string
	for {
		if err := parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if n := len(args) - len(rest); n > 0 && args[n-1] == "--" {
			// The flag package ate the "--": everything after it is a file, even "-x.csv".
			return append(files, rest...), nil
		}
		i := 0
		for i < len(rest) && !strings.HasPrefix(rest[i], "-") {
			files = append(files, rest[i])
			i++
		}
		if i < len(rest) && rest[i] == "--" {
			files = append(files, rest[i+1:]...)
			return files, nil
		}
		if i == len(rest) {
			return files, nil
		}
		args = rest[i:]
	}
}

func runImport(e *env, args []string) error {
	out := e.out
	fs := e.flags()
	db := dbFlag(fs)
	asJSON := fs.Bool("json", false, "print the audit as JSON")
	dryRun := fs.Bool("dry-run", false, "read and report, write nothing")
	strict := fs.Bool("strict", false, "reject a whole file when any row has a problem")
	var sheets multiFlag
	fs.Var(&sheets, "sheet", "import only this sheet (repeatable; reads it even when hidden)")
	maps := mapFlag{}
	fs.Var(maps, "map", "map a field to a column: FIELD=HEADER or FIELD=C (repeatable; FIELD= unmaps)")
	dayFirst := fs.Bool("day-first", false, "read numeric dates as day/month/year")
	monthFirst := fs.Bool("month-first", false, "read numeric dates as month/day/year")
	password := fs.String("password", "", "password of an encrypted workbook")
	newStore := fs.Bool("new", false, "make a new store even though the store file is missing or empty and backups of it lie beside it")
	set := setFlag{}
	fs.Var(set, "set", "give every row of the file a value: theatre=NAME, country=NAME or admin1=NAME (repeatable)")
	files, err := parseInterleaved(fs, args, func(a []string) error { return e.parse(fs, a) })
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return usageError("no file to import (usage: %s)", importUsage)
	}
	if *dayFirst && *monthFirst {
		return usageError("--day-first and --month-first cannot both be given")
	}
	tuneGCForImport()
	opts := importers.Options{Password: *password, Sheets: sheets, Map: maps, Strict: *strict, DryRun: *dryRun, Set: set}
	switch {
	case *dayFirst:
		opts.DateOrder = importers.DateOrderDayFirst
	case *monthFirst:
		opts.DateOrder = importers.DateOrderMonthFirst
	}
	st, err := openStoreForWriting(db(), *newStore)
	if err != nil {
		return err
	}
	defer st.Close()
	if opts.Vocabulary, err = st.Vocabulary(); err != nil {
		return err
	}
	opts.Settings = st
	backup := ""
	if !*dryRun {
		if backup, err = data.BackupBeforeImport(st); err != nil {
			return fmt.Errorf("backup before import (nothing imported): %w", err)
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()

	report := &importers.Report{}
	for _, path := range files {
		fr := importFile(ctx, e.err, st, path, opts)
		report.Files = append(report.Files, fr)
		if !*asJSON {
			if err := fr.WriteText(out); err != nil {
				return err
			}
		}
	}
	if *asJSON {
		if err := report.WriteJSON(out); err != nil {
			return err
		}
	}
	failed := 0
	for _, f := range report.Files {
		if f.Status == importers.StatusFailed {
			failed++
		}
	}
	if failed > 0 && backup != "" {
		giveBack(e.err, st)
	}
	if failed > 0 {
		if len(files) == 1 {
			return errors.New(report.Files[0].Error)
		}
		return fmt.Errorf("%d of %d files could not be imported", failed, len(files))
	}
	return nil
}

// giveBack returns the disk space that the failed imports of this run took (bbolt keeps its
// file as large as an import made it: a full disk would stay full). data decides, as for the
// desktop app: only when every import since the run's backup failed, so that the store holds
// nothing the backup lacks.
func giveBack(stderr io.Writer, st *data.Store) {
	freed, err := st.GiveBackAfterFailedImports()
	switch {
	case err != nil:
		fmt.Fprintf(stderr, "sitrep: import: the store file keeps the space the failed import took: %s\n", OneLine(err.Error()))
	case freed > 0:
		fmt.Fprintf(stderr, "sitrep: import: gave back the %s the failed import had taken in %s\n", data.ByteSize(freed), st.Path())
	}
}

// importFile imports one file in one all-or-nothing batch and returns its audit.
// Its warnings go to stderr.
func importFile(ctx context.Context, stderr io.Writer, st *data.Store, path string, opts importers.Options) *importers.FileReport {
	rep, _ := importers.ImportFile(ctx, st, path, opts, nil)
	for _, w := range rep.Warnings {
		fmt.Fprintf(stderr, "sitrep: import: %s: %s\n", path, w)
	}
	return rep
}

// tuneGCForImport keeps a large import's memory flat: an import holds a few bytes per record
// until it commits (ids, duplicate checks, rollup changes: about 170 MB at a million rows),
// and with Go's default GOGC=100 the heap grows to twice that. GOGC=50 and a soft limit of
// 224 MiB keep the peak RSS under 300 MB at a million rows for little GC work. GOGC or
// GOMEMLIMIT in the environment take precedence.
func tuneGCForImport() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(50)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(224 << 20)
	}
}
