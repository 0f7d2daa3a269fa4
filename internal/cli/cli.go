// Package cli is Sitrep's command line: `sitrep COMMAND [OPTIONS]` over the same core
// packages (data, importers, charts) as the desktop app. Run dispatches through an explicit
// table of commands (commands, below); each command lives in a file of its name with its
// test, parses its arguments with one flag set, and writes only to the writers Run is given.
// The shared helpers (opening the store, the --db, filter and --out flags) are in helpers.go.
package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// command is one subcommand.
type command struct {
	name    string
	summary string
	// run parses args with its own FlagSet and does the work, writing to e's writers.
	run func(e *env, args []string) error
}

// commands is the command table, in the order `sitrep help` lists them.
func commands() []command {
	return []command{
		{"changes", "what changed between two known-on times: records added, changed, removed", runChanges},
		{"check", "check the store for damage (every import and backup checks first)", runCheck},
		{"chart", "draw a chart (strikes, deaths, running total, tallies) as PNG, SVG or PDF", runChart},
		{"demo", "load the bundled demo data (loading it twice adds nothing)", runDemo},
		{"export", "write records to an .xlsx workbook or a .csv file, or a store (.db) to hand over", runExport},
		{"import", "import Excel (.xlsx, .xlsm) or CSV files, with an audit of every row", runImport},
		{"merge", "bring another store's records, revisions and deletions into this one", runMerge},
		{"positions", "governments' positions side by side, as of a date (table or --json)", runPositions},
		{"rename", "name this store (shown in the provenance of merged records)", runRename},
		{"restore", "list the automatic backups, or restore the store from one", runRestore},
		{"salvage", "copy every readable record of a damaged store into a new store (--out NEW.db)", runSalvage},
		{"stances", "list the stance vocabulary, or add a word with --add WORD --score N", runStances},
		{"stats", "totals of incidents, deaths, statements and tallies", runStats},
		{"template", "write an empty workbook to fill in and import", runTemplate},
		{"version", "print the version, commit and Go version", runVersion},
	}
}

func lookup(name string) (command, bool) {
	for _, c := range commands() {
		if c.name == name {
			return c, true
		}
	}
	return command{}, false
}

// env is one run of a command: its table entry and the writers Run was given.
type env struct {
	cmd      command
	out, err io.Writer
}

// errUsage marks an error in how the command was called: exit status 2.
var errUsage = errors.New("usage")

// usageError wraps a message as a usage error.
func usageError(format string, a ...any) error {
	return fmt.Errorf("%w: %s", errUsage, fmt.Sprintf(format, a...))
}

// Run runs the command line args (without the program name) and returns the exit status: 0
// success, 1 failure, 2 usage. Results go to stdout; an error is one stderr line starting
// with "sitrep". "help", "-h" and "--help" list the commands.
func Run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		printUsage(stdout)
		return 0
	}
	name := args[0]
	c, ok := lookup(name)
	if !ok {
		fmt.Fprintf(stderr, "sitrep: unknown command %q (run \"sitrep help\" for the list)\n", name)
		return 2
	}
	err := c.run(&env{cmd: c, out: stdout, err: stderr}, args[1:])
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		fmt.Fprintf(stderr, "sitrep %s: %s\n", name, strings.TrimPrefix(err.Error(), errUsage.Error()+": "))
		return 2
	default:
		fmt.Fprintf(stderr, "sitrep: %s: %s\n", name, OneLine(err.Error()))
		return 1
	}
}

// OneLine folds a message onto one line, for a terminal or a log.
func OneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func printUsage(w io.Writer) {
	fmt.Fprintln(w, "Usage: sitrep [COMMAND] [OPTIONS]")
	fmt.Fprintln(w, "With no command, sitrep opens the desktop app.")
	fmt.Fprintln(w, "\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nEvery command takes --db PATH (default: $SITREP_DB, else sitrep.db in the user's data folder).")
	fmt.Fprintln(w, "Run \"sitrep COMMAND -h\" for a command's options.")
}

// flags returns the command's FlagSet; parse reports its errors as usage errors.
func (e *env) flags() *flag.FlagSet {
	fs := flag.NewFlagSet("sitrep "+e.cmd.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return fs
}

// parse parses args, turning a parse failure into a usage error; -h prints every option of
// the command to stdout.
func (e *env) parse(fs *flag.FlagSet, args []string) error {
	err := fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprintf(e.out, "Usage: %s [OPTIONS]\n%s.\n\nOptions:\n", fs.Name(), e.cmd.summary)
		fs.SetOutput(e.out)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
		return err
	}
	if err != nil {
		return usageError("%v", err)
	}
	return nil
}

// parseNoArgs is parse for a command that takes options only: an operand is a usage error.
func (e *env) parseNoArgs(fs *flag.FlagSet, args []string) error {
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError("unexpected argument %q", fs.Arg(0))
	}
	return nil
}
