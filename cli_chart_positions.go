package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"sitrep/charts"
	"sitrep/data"
)

// Chart kinds rendered here rather than in cli_chart.go: the positions grid and the
// stance-over-time chart. The init below wires them into "sitrep chart": it wraps the chart
// command that cli_chart.go registered (Go runs the init functions of a package's files in
// file-name order, so cli_chart.go's runs first) so that --kind positions|stance comes here
// and every other kind goes on to cli_chart.go; without cli_chart.go it registers a "chart"
// command with just these two kinds.
func init() {
	wrapKinds("chart", "charts (--kind positions or stance here)", isPositionsChartKind, runChartPositions)
}

// wrapKinds sends the args of command name for which mine is true to run, and the others to
// the command already registered under name (if any).
func wrapKinds(name, summary string, mine func([]string) bool, run func([]string, io.Writer) error) {
	c, ok := commands[name]
	if !ok {
		register(command{name: name, summary: summary, run: run})
		return
	}
	inner := c.run
	c.run = func(args []string, out io.Writer) error {
		if mine(args) {
			return run(args, out)
		}
		return inner(args, out)
	}
	register(c)
}

const (
	chartKindPositions = "positions"
	chartKindStance    = "stance"
)

// isPositionsChartKind reports whether "sitrep chart" args ask for --kind positions or stance,
// so that cli_chart.go can dispatch: if isPositionsChartKind(args) { return runChartPositions(args, out) }.
func isPositionsChartKind(args []string) bool {
	k := positionsFlagValue(args, "kind")
	return k == chartKindPositions || k == chartKindStance
}

// positionsFlagValue finds the value of --name or -name in args ("--name v" or "--name=v"), or "".
func positionsFlagValue(args []string, name string) string {
	for i, a := range args {
		if a == "--" {
			break
		}
		t := strings.TrimLeft(a, "-")
		if len(a)-len(t) < 1 || len(a)-len(t) > 2 {
			continue
		}
		if t == name && i+1 < len(args) {
			return args[i+1]
		}
		if v, ok := strings.CutPrefix(t, name+"="); ok {
			return v
		}
	}
	return ""
}

// runChartPositions implements
//
//	sitrep chart --kind positions|stance --out FILE.png|svg|pdf [--force] [--db PATH]
//	    [--topic NAME]... [--actor NAME]... [--as-of DATE] [--since DATE] [--max-actors N]
//	    [--width PX] [--height PX] [--dpi N] [--title TEXT]
//
// positions draws the grid as of --as-of with changes since --since flagged; stance draws the
// stance-over-time chart of one topic (the first --topic, or the topic with the most
// statements).
func runChartPositions(args []string, out io.Writer) error {
	fs := newFlags("chart", out)
	db := dbFlag(fs)
	kind := fs.String("kind", "", "positions (the grid) or stance (stance over time)")
	path := fs.String("out", "", "file to write: .png, .jpg, .svg or .pdf")
	force := fs.Bool("force", false, "replace the file if it exists")
	width := fs.Int("width", charts.SlideWidthPx, "width in pixels")
	height := fs.Int("height", charts.SlideHeightPx, "height in pixels")
	dpi := fs.Int("dpi", charts.SlideDPI, "pixels per inch (144 makes text the right size for a 1920x1080 slide)")
	title := fs.String("title", "", "title (default: says the topic and the as-of date)")
	pf := addPositionsFlags(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError("unexpected argument %q", fs.Arg(0))
	}
	if *kind != chartKindPositions && *kind != chartKindStance {
		return usageError("--kind %q: want %s or %s here", *kind, chartKindPositions, chartKindStance)
	}
	format, err := positionsOutFormat(*path, *force, ".png", ".jpg", ".jpeg", ".svg", ".pdf")
	if err != nil {
		return err
	}
	if *width < 200 || *height < 150 || *width > 20000 || *height > 20000 || *dpi < 30 || *dpi > 1200 {
		return usageError("size %dx%d at %d DPI: want 200x150 to 20000x20000 pixels and 30 to 1200 DPI", *width, *height, *dpi)
	}
	opts, err := pf.options()
	if err != nil {
		return err
	}
	pd, err := loadPositions(db())
	if err != nil {
		return err
	}
	m, err := data.NewMatrix(pd.statements, pd.vocab, opts)
	if err != nil {
		return err
	}
	if len(m.Actors) == 0 || len(m.Topics) == 0 {
		return fmt.Errorf("no statements to chart in %s (check --topic, --actor and --as-of)", db())
	}
	var what string
	err = positionsWriteFile(*path, func(w io.Writer) error {
		if *kind == chartKindPositions {
			what = fmt.Sprintf("positions of %d actors on %d topics as of %s", len(m.Actors), len(m.Topics), m.AsOf.Label())
			return charts.RenderPositions(w, format, m, charts.PositionsOptions{
				Width: *width, Height: *height, DPI: *dpi, Title: *title, Demo: pd.demo,
			})
		}
		topts := opts
		topts.Topics = m.Topics[:1]
		if len(opts.Topics) > 0 {
			topts.Topics = opts.Topics[:1]
		}
		tls, err := data.NewTimelines(pd.statements, pd.vocab, topts)
		if err != nil {
			return err
		}
		what = fmt.Sprintf("stance over time on %q, %d actors", topts.Topics[0], len(tls))
		return charts.RenderStance(w, format, tls, pd.vocab, charts.StanceOptions{
			Width: *width, Height: *height, DPI: *dpi, Title: *title, AsOf: m.AsOf, Demo: pd.demo,
		})
	})
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(out, "Wrote %s: %s.\n", *path, what)
	return err
}

// positionsOutFormat checks an --out path (given, with an allowed extension, not an existing
// file unless force) and returns its format: the extension without the dot.
func positionsOutFormat(path string, force bool, exts ...string) (string, error) {
	if path == "" {
		return "", usageError("--out FILE is required")
	}
	ext := strings.ToLower(filepath.Ext(path))
	ok := false
	for _, e := range exts {
		ok = ok || ext == e
	}
	if !ok {
		return "", usageError("--out %s: the file name must end in %s", path, strings.Join(exts, ", "))
	}
	if fileExists(path) && !force {
		return "", fmt.Errorf("%s already exists (add --force to replace it)", path)
	}
	return strings.TrimPrefix(ext, "."), nil
}

// positionsWriteFile writes path through a temporary file in the same folder, renamed into
// place only when fn succeeded, so a failed write never leaves a half-written file.
func positionsWriteFile(path string, fn func(w io.Writer) error) error {
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
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}
