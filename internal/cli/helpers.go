package cli

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"sitrep/data"
	"sitrep/importers"
)

// openStore opens the store at path for a command.
func openStore(path string, readOnly bool) (*data.Store, error) {
	return data.Open(path, data.Options{ReadOnly: readOnly})
}

// openStoreForWriting opens the store read-write for a command that adds records (import,
// demo): newStore (--new) lets it make a new store where the file is missing or empty although
// backups of a store lie beside it.
func openStoreForWriting(path string, newStore bool) (*data.Store, error) {
	return data.Open(path, data.Options{New: newStore})
}

// dbFlag adds --db to fs and returns a function giving the store path to use.
func dbFlag(fs *flag.FlagSet) func() string {
	p := fs.String("db", "", "store file (default: $SITREP_DB, else sitrep.db in the user's data folder)")
	return func() string { return data.StorePath(*p) }
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// checkOut checks an --out path: given, with one of the allowed extensions, and not an
// existing file unless force is set. Its errors are usage errors except for the existing file.
func checkOut(path string, force bool, exts ...string) error {
	if path == "" {
		return usageError("--out FILE is required")
	}
	ext := strings.ToLower(filepath.Ext(path))
	ok := false
	for _, e := range exts {
		ok = ok || ext == e
	}
	if !ok {
		return usageError("--out %s: the file name must end in %s", path, strings.Join(exts, " or "))
	}
	if fileExists(path) && !force {
		return fmt.Errorf("%s already exists (add --force to replace it)", path)
	}
	return nil
}

// writeFile writes path through importers.WriteFile (a temporary file, synced and renamed into
// place only when fn succeeded, so a failed write never leaves a half-written file).
func writeFile(path string, fn func(w io.Writer) error) error {
	if err := importers.WriteFile(path, fn); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}

// multiFlag is a repeatable string flag.
type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

// setFlags returns the names of the flags given on the command line.
func setFlags(fs *flag.FlagSet) map[string]bool {
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	return set
}

// notFor refuses the flags among names that were given: they do not apply to what.
func notFor(set map[string]bool, what string, names ...string) error {
	for _, n := range names {
		if set[n] {
			return usageError("--%s does not apply to %s", n, what)
		}
	}
	return nil
}

// filterFlags are the shared record filters (--from, --to, --theatre, --actor, --topic,
// --confidence, --search).
type filterFlags struct {
	from, to, search, knownOn             *string
	theatres, actors, topics, confidences multiFlag
}

// filterNames are the flags filterFlags adds, but --actor and --topic.
var filterNames = []string{"from", "to", "theatre", "confidence", "search"}

// addFilterFlags adds the filters to fs. positions says how --actor and --topic also serve
// the positions kinds of the command ("" when they do not).
func addFilterFlags(fs *flag.FlagSet, positions string) *filterFlags {
	f := &filterFlags{}
	f.from = fs.String("from", "", "first date to include (YYYY-MM-DD, YYYY-MM or YYYY)")
	f.to = fs.String("to", "", "last date to include")
	fs.Var(&f.theatres, "theatre", "only this theatre (repeatable)")
	actor, topic := "only this actor (repeatable)", "only this topic (repeatable)"
	if positions != "" {
		actor += "; with " + positions + ", a column to show, in this order (default: the actors with the most statements)"
		topic += "; with " + positions + ", a row to show (default: every topic)"
	}
	fs.Var(&f.actors, "actor", actor)
	fs.Var(&f.topics, "topic", topic)
	fs.Var(&f.confidences, "confidence", "only this confidence level (repeatable)")
	f.search = fs.String("search", "", "only records whose text contains this")
	f.knownOn = fs.String("known-on", "", knownOnUsage)
	return f
}

// filter builds the Filter; a bad date is a usage error.
func (ff *filterFlags) filter() (data.Filter, error) {
	f := data.Filter{Theatres: ff.theatres, Actors: ff.actors, Topics: ff.topics, Confidences: ff.confidences, Search: *ff.search}
	var err error
	if f.From, err = data.ParseDate(*ff.from); err != nil {
		return f, usageError("--from: %v", err)
	}
	if f.To, err = data.ParseDate(*ff.to); err != nil {
		return f, usageError("--to: %v", err)
	}
	if !f.From.IsZero() && !f.To.IsZero() && f.To.Before(f.From) {
		return f, usageError("--to %s is before --from %s", f.To, f.From)
	}
	if f.KnownOn, err = parseKnownOn(*ff.knownOn); err != nil {
		return f, err
	}
	return f, nil
}

// knownOnUsage documents --known-on, which says when, not which events.
const knownOnUsage = "the records as the store held them then: YYYY-MM-DD (the end of that day), " +
	"'YYYY-MM-DD HH:MM' (local time) or RFC 3339; unlike --from/--to, which select event dates"

// parseKnownOn reads a --known-on value ("" for none); a bad one is a usage error.
func parseKnownOn(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := data.ParseKnownOn(s)
	if err != nil {
		return t, usageError("--known-on: %v", err)
	}
	return t, nil
}

// QuoteArg quotes a path for a command line of the user's system when it needs quoting: in
// double quotes on Windows ("C:\Users\Ana Ruiz\sitrep.db"), in single quotes elsewhere.
func QuoteArg(s string) string {
	if s != "" && !strings.ContainsAny(s, " \t\"'$&|;<>()*?[]#~`!{}") {
		return s
	}
	if runtime.GOOS == "windows" {
		return `"` + s + `"`
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
