package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// command is one headless subcommand. Each lives in a cli_NAME.go file and registers itself
// in init with register.
type command struct {
	name    string
	summary string
	// run parses args with its own FlagSet and does the work; it writes results to out.
	run func(args []string, out io.Writer) error
}

var commands = map[string]command{}

func register(c command) { commands[c.name] = c }

// errUsage marks an error in how the command was called: exit status 2.
var errUsage = errors.New("usage")

// usageError wraps a message as a usage error.
func usageError(format string, a ...any) error {
	return fmt.Errorf("%w: %s", errUsage, fmt.Sprintf(format, a...))
}

// run dispatches to the GUI (no arguments) or a subcommand, and turns its error into one
// stderr line starting with "sitrep:" and an exit status: 0 success, 1 failure, 2 usage.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		return runGUI(stderr)
	}
	name := args[0]
	if name == "help" || name == "-h" || name == "--help" {
		printUsage(stdout)
		return 0
	}
	c, ok := commands[name]
	if !ok {
		fmt.Fprintf(stderr, "sitrep: unknown command %q (run \"sitrep help\" for the list)\n", name)
		return 2
	}
	err := c.run(args[1:], stdout)
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		fmt.Fprintf(stderr, "sitrep %s: %s\n", name, strings.TrimPrefix(err.Error(), errUsage.Error()+": "))
		return 2
	default:
		fmt.Fprintf(stderr, "sitrep: %s: %s\n", name, oneLine(err.Error()))
		return 1
	}
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func printUsage(w io.Writer) {
	fmt.Fprintln(w, "Usage: sitrep [COMMAND] [OPTIONS]")
	fmt.Fprintln(w, "With no command, sitrep opens the desktop app.")
	fmt.Fprintln(w, "\nCommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w, "\nEvery command takes --db PATH (default: $SITREP_DB, else sitrep.db in the user's data folder).")
	fmt.Fprintln(w, "Run \"sitrep COMMAND -h\" for a command's options.")
}

// newFlags returns a FlagSet for a subcommand that reports parse errors as usage errors
// instead of printing and exiting.
func newFlags(name string, out io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("sitrep "+name, flag.ContinueOnError)
	fs.SetOutput(out)
	return fs
}

// parseFlags parses args, turning a parse failure into a usage error.
func parseFlags(fs *flag.FlagSet, args []string) error {
	fs.SetOutput(io.Discard)
	err := fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		name := strings.TrimPrefix(fs.Name(), "sitrep ")
		fmt.Fprintf(os.Stdout, "Usage: %s [OPTIONS]\n%s.\n\nOptions:\n", fs.Name(), commands[name].summary)
		fs.SetOutput(os.Stdout)
		fs.PrintDefaults()
		return err
	}
	if err != nil {
		return usageError("%v", err)
	}
	return nil
}

// dbFlag adds --db to fs and returns a function giving the store path to use.
func dbFlag(fs *flag.FlagSet) func() string {
	p := fs.String("db", "", "store file (default: $SITREP_DB, else sitrep.db in the user's data folder)")
	return func() string { return storePath(*p) }
}

// storePath resolves the store file: the flag, else $SITREP_DB, else the user data folder.
func storePath(flagValue string) string {
	if flagValue != "" {
		return flagValue
	}
	if env := os.Getenv("SITREP_DB"); env != "" {
		return env
	}
	return defaultStorePath()
}

// defaultStorePath is sitrep.db in the user's data folder ($XDG_DATA_HOME/sitrep on Linux,
// %AppData%\Sitrep on Windows, ~/Library/Application Support/Sitrep on macOS).
func defaultStorePath() string {
	if dir := os.Getenv("XDG_DATA_HOME"); dir != "" {
		return filepath.Join(dir, "sitrep", "sitrep.db")
	}
	if home, err := os.UserHomeDir(); err == nil {
		switch {
		case os.Getenv("APPDATA") != "":
			return filepath.Join(os.Getenv("APPDATA"), "Sitrep", "sitrep.db")
		case fileExists(filepath.Join(home, "Library")):
			return filepath.Join(home, "Library", "Application Support", "Sitrep", "sitrep.db")
		default:
			return filepath.Join(home, ".local", "share", "sitrep", "sitrep.db")
		}
	}
	return "sitrep.db"
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// writeFileAtomically writes path through a temporary file in the same folder, renamed into
// place only when fn succeeded, so a failed write never leaves a half-written file.
func writeFileAtomically(path string, fn func(w io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if err := fn(tmp); err != nil {
		tmp.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	// CreateTemp makes the file private (0600); an exported chart or sheet is an ordinary file.
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}
