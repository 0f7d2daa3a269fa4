package main

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"sitrep/charts"
	"sitrep/data"
)

// Chart kinds rendered here rather than in cli_chart.go, which hands them over: the positions
// grid and the stance-over-time chart.
const (
	chartKindPositions = "positions"
	chartKindStance    = "stance"
)

// isPositionsChartKind reports whether "sitrep chart" args ask for --kind positions or stance,
// so that runChart hands them to runChartPositions.
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
//	sitrep chart --kind positions|stance --out FILE.png|svg|pdf [--db PATH]
//	    [--topic NAME]... [--actor NAME]... [--as-of DATE] [--since DATE] [--max-actors N]
//	    [--size slide|social|a4|WxH] [--width PX --height PX] [--dpi N] [--title TEXT]
//
// with the sizes of the other chart kinds (default: a 1920x1080 slide) and, like them,
// replacing an existing file. positions draws the grid as of --as-of with changes since
// --since flagged; stance draws the stance-over-time chart of one topic (the first --topic,
// or the topic with the most statements).
func runChartPositions(args []string, out io.Writer) error {
	fs := newFlags("chart", out)
	db := dbFlag(fs)
	kind := fs.String("kind", "", "positions (the grid) or stance (stance over time)")
	path := fs.String("out", "", "file to write: .png, .svg or .pdf")
	width := fs.Int("width", 0, "width in pixels (with --height)")
	height := fs.Int("height", 0, "height in pixels (with --width)")
	size := fs.String("size", "", "size: slide (1920x1080), social (1200x675), a4, WxH pixels, or WxH with mm, cm or in (default slide)")
	dpi := fs.Int("dpi", 0, "dots per inch for a physical --size (default 300); with pixels it scales the text")
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
	if *path == "" {
		return usageError("--out FILE is required")
	}
	format, err := charts.FormatOf(*path)
	if err != nil {
		return usageError("--out %v", err)
	}
	sz := charts.SizeSlide
	set := setFlags(fs)
	switch {
	case (set["width"] || set["height"]) && set["size"]:
		return usageError("give either --width and --height or --size, not both")
	case set["width"] || set["height"]:
		if *width <= 0 || *height <= 0 {
			return usageError("--width and --height go together, both in pixels above 0")
		}
		sz = charts.Pixels(*width, *height)
	case set["size"]:
		if sz, err = charts.ParseSize(*size, *dpi); err != nil {
			return usageError("--size: %v", err)
		}
	}
	if set["dpi"] && !set["size"] {
		sz.DPI = *dpi
	}
	if err := sz.Check(); err != nil {
		return usageError("%v", err)
	}
	pd, opts, m, err := pf.matrix(db())
	if err != nil {
		return err
	}
	if len(m.Actors) == 0 || len(m.Topics) == 0 {
		return fmt.Errorf("no statements to chart in %s (check --topic, --actor and --as-of)", db())
	}
	var what string
	err = writeFileAtomically(*path, func(w io.Writer) error {
		if *kind == chartKindPositions {
			what = positionsSummary(m)
			return charts.RenderPositions(w, format, m, charts.PositionsOptions{
				Width: sz.Width, Height: sz.Height, DPI: sz.DPI, Title: *title, Demo: pd.demo,
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
		what = fmt.Sprintf("stance over time on %q, %s", topts.Topics[0], posPlural(len(tls), "actor", "actors"))
		return charts.RenderStance(w, format, tls, pd.vocab, charts.StanceOptions{
			Width: sz.Width, Height: sz.Height, DPI: sz.DPI, Title: *title, AsOf: m.AsOf, Demo: pd.demo,
		})
	})
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(out, "Wrote %s: %s (%dx%d px at %d DPI).\n", *path, what, sz.Width, sz.Height, sz.DPI)
	return err
}

// positionsOutFormat checks an --out path for the export (given, with an allowed extension,
// not an existing file unless force) and returns its format: the extension without the dot.
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
