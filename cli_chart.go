package main

import (
	"flag"
	"fmt"
	"io"
	"strings"

	"sitrep/charts"
	"sitrep/data"
)

func init() {
	register(command{
		name:    "chart",
		summary: "draw a chart (strikes, deaths, running total, tallies) as PNG, SVG or PDF",
		run:     runChart,
	})
}

func runChart(args []string, out io.Writer) error {
	if isPositionsChartKind(args) {
		return runChartPositions(args, out)
	}
	fs := newFlags("chart", out)
	db := dbFlag(fs)
	kind := fs.String("kind", "", "chart: strikes, deaths, cumulative, tallies, positions or stance (required; see --kind positions -h for those two)")
	outPath := fs.String("out", "", "output file: .png, .svg or .pdf (required)")
	period := fs.String("period", "", "bar width or resolution: day, week or month (default week for bars, day for running totals)")
	width := fs.Int("width", 0, "width in pixels (with --height)")
	height := fs.Int("height", 0, "height in pixels (with --width)")
	size := fs.String("size", "", "size: slide (1920x1080), social (1200x675), a4 (3508x2480 at 300 DPI), WxH pixels, or WxH with mm, cm or in (default slide)")
	dpi := fs.Int("dpi", 0, "dots per inch for a physical --size (default 300); with pixels it scales the text")
	filter := filterFlags(fs)
	count := fs.String("count", "range", "counting rule for disputed figures: min, max or range")
	annotate := fs.Bool("annotate", false, "mark official statements on the time axis")
	title := fs.String("title", "", "chart title (default: says what the chart shows)")
	theme := fs.String("theme", "light", "light or dark")
	unit := fs.String("unit", "", "what to count: strikes or vessels (strikes chart); deaths, strikes or vessels (cumulative); deaths or strikes (tallies)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError("unexpected argument %q", fs.Arg(0))
	}
	spec, sz, format, err := chartSpec(chartArgs{
		kind: *kind, out: *outPath, period: *period, width: *width, height: *height, size: *size, dpi: *dpi,
		count: *count, title: *title, theme: *theme, unit: *unit, annotate: *annotate, set: setFlags(fs),
	})
	if err != nil {
		return err
	}
	if spec.Filter, err = filter(); err != nil {
		return err
	}

	st, err := openStore(db(), true)
	if err != nil {
		return fmt.Errorf("opening store: %w", err)
	}
	defer st.Close()
	ch, err := charts.Build(st, spec)
	if err != nil {
		return err
	}
	if err := writeChart(ch, *outPath, format, sz); err != nil {
		return err
	}
	if format == charts.FormatPNG {
		fmt.Fprintf(out, "wrote %s (PNG, %dx%d pixels at %d DPI)\n", *outPath, sz.Width, sz.Height, sz.DPI)
	} else {
		w, h := sz.Page()
		fmt.Fprintf(out, "wrote %s (%s, page %.1fx%.1f cm)\n", *outPath, strings.ToUpper(string(format)), w.Points()*2.54/72, h.Points()*2.54/72)
	}
	return nil
}

func setFlags(fs *flag.FlagSet) map[string]bool {
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	return set
}

type chartArgs struct {
	kind, out, period, size, count, title, theme, unit string
	width, height, dpi                                 int
	annotate                                           bool
	set                                                map[string]bool
}

// chartSpec turns the flags into a spec, a size and a format; mistakes are usage errors.
func chartSpec(a chartArgs) (charts.Spec, charts.Size, charts.Format, error) {
	var spec charts.Spec
	var sz charts.Size
	if a.kind == "" {
		return spec, sz, "", usageError("--kind is required (strikes, deaths, cumulative or tallies)")
	}
	if a.out == "" {
		return spec, sz, "", usageError("--out is required (a .png, .svg or .pdf file)")
	}
	format, err := charts.FormatOf(a.out)
	if err != nil {
		return spec, sz, "", usageError("--out %s", strings.TrimPrefix(err.Error(), a.out+": "))
	}
	bad := func(name string, err error) error {
		msg := err.Error()
		if i := strings.LastIndex(msg, ": "+charts.ErrSpec.Error()); i >= 0 {
			msg = msg[:i]
		}
		if i := strings.LastIndex(msg, ": "+charts.ErrFormat.Error()); i >= 0 {
			msg = msg[:i]
		}
		return usageError("--%s: %s", name, msg)
	}
	if spec.Kind, err = charts.ParseKind(a.kind); err != nil {
		return spec, sz, "", bad("kind", err)
	}
	if a.period != "" {
		p, err := data.ParsePeriod(a.period)
		if err != nil {
			return spec, sz, "", usageError("--period: %v", err)
		}
		spec.Period = p
	}
	if spec.Count, err = charts.ParseCountRule(a.count); err != nil {
		return spec, sz, "", bad("count", err)
	}
	if spec.Theme, err = charts.ParseTheme(a.theme); err != nil {
		return spec, sz, "", bad("theme", err)
	}
	if spec.Unit, err = charts.ParseUnit(a.unit); err != nil {
		return spec, sz, "", bad("unit", err)
	}
	spec.Annotate, spec.Title = a.annotate, a.title

	switch {
	case (a.set["width"] || a.set["height"]) && a.set["size"]:
		return spec, sz, "", usageError("give either --width and --height or --size, not both")
	case a.set["width"] || a.set["height"]:
		if a.width <= 0 || a.height <= 0 {
			return spec, sz, "", usageError("--width and --height go together, both in pixels above 0")
		}
		sz = charts.Pixels(a.width, a.height)
		if a.dpi > 0 {
			sz.DPI = a.dpi
		}
		if err := sz.Check(); err != nil {
			return spec, sz, "", bad("width/--height", err)
		}
	case a.set["size"]:
		if sz, err = charts.ParseSize(a.size, a.dpi); err != nil {
			return spec, sz, "", bad("size", err)
		}
	default:
		sz = charts.SizeSlide
		if a.dpi > 0 {
			sz.DPI = a.dpi
		}
	}
	if err := sz.Check(); err != nil {
		return spec, sz, "", bad("dpi", err)
	}
	// Check the unit against the kind now, so the mistake is a usage error.
	if _, err := spec.Normalize(); err != nil {
		return spec, sz, "", bad("unit", err)
	}
	return spec, sz, format, nil
}

// writeChart renders ch into path through a temporary file (see writeFileAtomically).
func writeChart(ch *charts.Chart, path string, f charts.Format, sz charts.Size) error {
	return writeFileAtomically(path, func(w io.Writer) error { return ch.Render(w, f, sz) })
}
