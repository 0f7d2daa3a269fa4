package cli

import (
	"fmt"
	"io"
	"strings"

	"sitrep/charts"
	"sitrep/data"
	"sitrep/geo"
)

// Chart kinds drawn from the positions grid rather than by charts.Build: the grid itself and
// the stance-over-time chart.
const (
	chartKindPositions = "positions"
	chartKindStance    = "stance"
)

// chartOnly are the flags that only the charts.Build kinds take.
var chartOnly = []string{"period", "count", "annotate", "theme", "unit", "by", "extent"}

// mapOnly are the flags only --kind map takes; timeOnly those it does not. --by is taken by
// both: the map colours its dots by it, the bar charts split their bars by a place level.
var (
	mapOnly  = []string{"extent"}
	timeOnly = []string{"period", "annotate"}
)

// runChart implements
//
//	sitrep chart --kind KIND --out FILE.png|svg|pdf [--db PATH] [size, filter and style flags]
//
// with KIND one of charts.Kinds, map (where the incidents happened: --by colours the dots,
// --extent chooses the region), or positions (the grid as of --as-of, with changes since
// --since flagged) or stance (the stance over time of one topic: the first --topic, or the
// topic with the most statements). Every kind replaces an existing file.
func runChart(e *env, args []string) error {
	fs := e.flags()
	db := dbFlag(fs)
	kind := fs.String("kind", "", "chart: strikes, deaths, cumulative, tallies, map, positions (the grid) or stance (stance over time) (required)")
	outPath := fs.String("out", "", "output file: .png, .svg or .pdf (required)")
	period := fs.String("period", "", "bar width or resolution: day, week or month (default week for bars, day for running totals)")
	width := fs.Int("width", 0, "width in pixels (with --height)")
	height := fs.Int("height", 0, "height in pixels (with --width)")
	size := fs.String("size", "", "size: slide (1920x1080), social (1200x675), a4 (3508x2480 at 300 DPI), WxH pixels, or WxH with mm, cm or in (default slide)")
	dpi := fs.Int("dpi", 0, "dots per inch for a physical --size (default 300); with pixels it scales the text")
	filter := addFilterFlags(fs, "--kind positions or stance")
	count := fs.String("count", "range", "counting rule for disputed figures: min, max or range")
	annotate := fs.Bool("annotate", false, "mark official statements on the time axis")
	title := fs.String("title", "", "chart title (default: says what the chart shows)")
	theme := fs.String("theme", "light", "light or dark")
	unit := fs.String("unit", "", "what to count: strikes or vessels (strikes chart); deaths, strikes or vessels (cumulative); deaths or strikes (tallies)")
	by := fs.String("by", "", "map: colour the dots by theatre, country, actor, confidence or placement; bars: split them by theatre, country, admin1, admin2 or location (default theatre), or deaths by category")
	extent := fs.String("extent", "auto", "map: auto (the data's region with a little context), world, or a box LAT1,LON1,LAT2,LON2")
	pf := addPositionsFlags(fs, filter)
	if err := e.parseNoArgs(fs, args); err != nil {
		return err
	}
	set := setFlags(fs)
	if *kind == chartKindPositions || *kind == chartKindStance {
		if err := notFor(set, "--kind "+*kind, append(chartOnly, filterNames...)...); err != nil {
			return err
		}
		a := positionsChartArgs{kind: *kind, out: *outPath, width: *width, height: *height, size: *size, dpi: *dpi, title: *title, set: set}
		return chartPositions(e, a, pf, db())
	}
	if err := notFor(set, "--kind "+*kind, positionsNames...); err != nil && *kind != "" {
		return err
	}
	spec, sz, format, err := chartSpec(chartArgs{
		kind: *kind, out: *outPath, period: *period, width: *width, height: *height, size: *size, dpi: *dpi,
		count: *count, title: *title, theme: *theme, unit: *unit, annotate: *annotate, set: set, by: *by, extent: *extent,
	})
	if err != nil {
		return err
	}
	if spec.Filter, err = filter.filter(); err != nil {
		return err
	}
	level := data.ByTheatre
	byCategory := strings.EqualFold(strings.TrimSpace(*by), "category")
	switch {
	case byCategory && spec.Kind != charts.KindDeaths:
		return usageError("--by category splits --kind deaths only")
	case spec.Kind != charts.KindMap && !byCategory:
		if level, err = data.ParsePlaceLevel(*by); err != nil {
			return usageError("--by: %v (or category, for --kind deaths)", err)
		}
	}

	st, err := openStore(db(), true)
	if err != nil {
		return fmt.Errorf("opening store: %w", err)
	}
	defer st.Close()
	// Deaths stack by group only when asked (--by); strikes always stack by place.
	spec.SplitDeaths = spec.Kind == charts.KindDeaths && strings.TrimSpace(*by) != ""
	var src charts.Source = st
	switch {
	case byCategory:
		src = categorySource{st}
	case level != data.ByTheatre:
		src = placeSource{st, level}
	}
	ch, err := charts.Build(src, spec)
	if err != nil {
		return err
	}
	if err := writeFile(*outPath, func(w io.Writer) error { return ch.Render(w, format, sz) }); err != nil {
		return err
	}
	if format == charts.FormatPNG {
		fmt.Fprintf(e.out, "wrote %s (PNG, %dx%d pixels at %d DPI)\n", *outPath, sz.Width, sz.Height, sz.DPI)
	} else {
		w, h := sz.Page()
		fmt.Fprintf(e.out, "wrote %s (%s, page %.1fx%.1f cm)\n", *outPath, strings.ToUpper(string(format)), w.Points()*2.54/72, h.Points()*2.54/72)
	}
	return nil
}

type chartArgs struct {
	kind, out, period, size, count, title, theme, unit string
	by, extent                                         string
	width, height, dpi                                 int
	annotate                                           bool
	set                                                map[string]bool
}

// chartSpec turns the flags into a spec, a size and a format; mistakes are usage errors.
func chartSpec(a chartArgs) (charts.Spec, charts.Size, charts.Format, error) {
	var spec charts.Spec
	var sz charts.Size
	if a.kind == "" {
		return spec, sz, "", usageError("--kind is required (strikes, deaths, cumulative, tallies or map)")
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
	if spec.Kind == charts.KindMap {
		if err := notFor(a.set, "--kind map", timeOnly...); err != nil {
			return spec, sz, "", err
		}
		if spec.By, err = charts.ParseGrouping(a.by); err != nil {
			return spec, sz, "", bad("by", err)
		}
		if _, _, err := geo.ParseExtent(a.extent); err != nil {
			return spec, sz, "", usageError("--extent: %s", strings.TrimSuffix(err.Error(), ": "+geo.ErrExtent.Error()))
		}
		spec.Extent = a.extent
	} else if err := notFor(a.set, "--kind "+a.kind, mapOnly...); err != nil {
		return spec, sz, "", err
	}

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
		// Name the flag at fault: the DPI only when it is the DPI (issue 14).
		switch {
		case !sz.DPIOK():
			return spec, sz, "", bad("dpi", err)
		case a.set["size"]:
			return spec, sz, "", bad("size", err)
		}
		return spec, sz, "", bad("width/--height", err)
	}
	// Check the unit against the kind now, so the mistake is a usage error.
	if _, err := spec.Normalize(); err != nil {
		return spec, sz, "", bad("unit", err)
	}
	return spec, sz, format, nil
}

// positionsChartArgs are the chart flags the positions kinds take.
type positionsChartArgs struct {
	kind, out, size, title string
	width, height, dpi     int
	set                    map[string]bool
}

// chartPositions draws --kind positions or stance, with the sizes of the other chart kinds
// (default: a 1920x1080 slide).
func chartPositions(e *env, a positionsChartArgs, pf *positionsFlags, storeFile string) error {
	if a.out == "" {
		return usageError("--out FILE is required")
	}
	format, err := charts.FormatOf(a.out)
	if err != nil {
		return usageError("--out %v", err)
	}
	sz := charts.SizeSlide
	set := a.set
	switch {
	case (set["width"] || set["height"]) && set["size"]:
		return usageError("give either --width and --height or --size, not both")
	case set["width"] || set["height"]:
		if a.width <= 0 || a.height <= 0 {
			return usageError("--width and --height go together, both in pixels above 0")
		}
		sz = charts.Pixels(a.width, a.height)
	case set["size"]:
		if sz, err = charts.ParseSize(a.size, a.dpi); err != nil {
			return usageError("--size: %v", err)
		}
	}
	if set["dpi"] && !set["size"] {
		sz.DPI = a.dpi
	}
	if err := sz.Check(); err != nil {
		return usageError("%v", err)
	}
	pd, opts, m, err := pf.matrix(storeFile)
	if err != nil {
		return err
	}
	if len(m.Actors) == 0 || len(m.Topics) == 0 {
		return fmt.Errorf("no statements to chart in %s (check --topic, --actor and --as-of)", storeFile)
	}
	var what string
	err = writeFile(a.out, func(w io.Writer) error {
		if a.kind == chartKindPositions {
			what = positionsSummary(m)
			return charts.RenderPositions(w, format, m, charts.PositionsOptions{
				Width: sz.Width, Height: sz.Height, DPI: sz.DPI, Title: a.title, Demo: pd.Demo,
			})
		}
		topts := opts
		topts.Topics = m.Topics[:1]
		if len(opts.Topics) > 0 {
			topts.Topics = opts.Topics[:1]
		}
		tls, err := pd.Timelines(topts)
		if err != nil {
			return err
		}
		what = fmt.Sprintf("stance over time on %q, %s", topts.Topics[0], posPlural(len(tls), "actor", "actors"))
		return charts.RenderStance(w, format, tls, pd.Vocab, charts.StanceOptions{
			Width: sz.Width, Height: sz.Height, DPI: sz.DPI, Title: a.title, AsOf: m.AsOf, Demo: pd.Demo,
		})
	})
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(e.out, "Wrote %s: %s (%dx%d px at %d DPI).\n", a.out, what, sz.Width, sz.Height, sz.DPI)
	return err
}

// placeSource is a store whose aggregates split incidents by another place level than the
// theatre (chart --by admin1).
type placeSource struct {
	*data.Store
	by data.PlaceLevel
}

// Aggregate implements charts.Source, split by the place level.
func (p placeSource) Aggregate(f data.Filter, period data.Period) (data.Series, error) {
	return p.Store.AggregateBy(f, period, p.by)
}

// Stats implements charts.Source, split by the place level.
func (p placeSource) Stats(f data.Filter) (data.Stats, error) { return p.Store.StatsBy(f, p.by) }

// categorySource is a store whose aggregates split deaths by casualty category (civilians,
// side A...) instead of by theatre (chart --kind deaths --by category).
type categorySource struct{ *data.Store }

// Aggregate implements charts.Source, split by the categories of killed.
func (c categorySource) Aggregate(f data.Filter, period data.Period) (data.Series, error) {
	return c.Store.AggregateCategories(f, period, data.MeasureKilled)
}
