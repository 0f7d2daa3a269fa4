package charts

import (
	"errors"
	"fmt"
	"image/color"
	"math"
	"slices"
	"strings"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg/draw"

	"sitrep/data"
)

// EmptyMessage is what a chart with no matching incidents says.
const EmptyMessage = "No incidents match these filters"

// MaxSourceScan caps how many incidents Build reads to name the sources of a chart; past it
// the caption says the list covers the first incidents only.
const MaxSourceScan = 20000

var errStopScan = errors.New("enough sources")

// Build reads what spec asks for from src and builds the chart. It never fails on empty
// data: the chart then says that nothing matches.
func Build(src Source, spec Spec) (*Chart, error) {
	spec, err := spec.Normalize()
	if err != nil {
		return nil, err
	}
	if spec.Kind == KindMap {
		ch, err := buildMap(src, spec)
		if err != nil {
			return nil, fmt.Errorf("map: %w", err)
		}
		return ch, nil
	}
	st := NewStyle(spec.Theme)
	b := &builder{src: src, spec: spec, st: st, ch: &Chart{Style: st, Kind: spec.Kind}}
	if err := b.build(); err != nil {
		return nil, fmt.Errorf("%s chart: %w", spec.Kind, err)
	}
	return b.ch, nil
}

type builder struct {
	src   Source
	spec  Spec
	st    Style
	ch    *Chart
	p     *plot.Plot
	stats data.Stats
	ser   data.Series
	srcs  SourceList
	// x range the chart must show
	xmin, xmax float64
	ymax       float64
	// avoid are the lines point labels must not cover.
	avoid []plotter.XYs
}

func (b *builder) build() error {
	var err error
	// The demo note follows the records drawn: incidents, and the tallies or statements a
	// chart adds to them.
	kinds := []data.Kind{data.KindIncident}
	if b.spec.Kind == KindTallies {
		kinds = append(kinds, data.KindTally)
	}
	if b.spec.Annotate {
		kinds = append(kinds, data.KindStatement)
	}
	demo, err := demoDrawn(b.src, b.spec.Filter, kinds...)
	if err != nil {
		return fmt.Errorf("checking for demo data: %w", err)
	}
	if b.stats, err = b.src.Stats(b.spec.Filter); err != nil {
		return fmt.Errorf("reading totals: %w", err)
	}
	if b.ser, err = b.src.Aggregate(b.spec.Filter, b.spec.Period); err != nil {
		return fmt.Errorf("aggregating incidents per %s: %w", b.spec.Period, err)
	}
	b.p = NewPlot(b.st)
	b.ch.Plot = b.p
	b.xmin, b.xmax = math.Inf(1), math.Inf(-1)
	if len(b.ser.Buckets) > 0 {
		b.xmin = DayX(b.ser.Buckets[0].Start)
		b.xmax = DayX(b.ser.Buckets[len(b.ser.Buckets)-1].End) + 1
	}
	switch b.spec.Kind {
	case KindStrikes:
		err = b.strikes()
	case KindDeaths:
		err = b.deaths()
	case KindCumulative:
		err = b.cumulative(false)
	case KindTallies:
		err = b.cumulative(true)
	}
	if err != nil {
		return err
	}
	if b.spec.Annotate || len(b.spec.Events) > 0 {
		if err := b.annotate(); err != nil {
			return err
		}
	}
	if err := b.scanSources(); err != nil {
		return err
	}
	b.finishAxes()
	b.ch.Caption.Filter = b.spec.Filter.Describe()
	b.ch.Caption.Demo = demo
	b.ch.Caption.Made = data.DateOf(nowOf(b.src))
	b.ch.Caption.Sources = &b.srcs
	if b.stats.Incidents > 0 {
		b.ch.Caption.DateRange = fmt.Sprintf("%s to %s, %s %s", b.stats.FirstDate.Label(), b.stats.LastDate.Label(),
			FormatInt(b.stats.Incidents), plural(b.stats.Incidents, "incident", "incidents"))
	} else {
		b.ch.Message = EmptyMessage
		if b.ch.points == nil {
			// Nothing to measure: an empty y axis from 0 to 1 would only mislead.
			b.p.HideY()
			b.p.Y.Label.Text = ""
		}
	}
	if b.ser.Undated > 0 {
		b.ch.Caption.Notes = append(b.ch.Caption.Notes, fmt.Sprintf("%s undated %s not shown on the time axis",
			FormatInt(b.ser.Undated), plural(b.ser.Undated, "incident is", "incidents are")))
	}
	b.ch.Title = TitleFor(b.ch.Title, b.spec.Filter)
	if b.spec.Title != "" {
		b.ch.Title = b.spec.Title
	}
	return nil
}

// TitleFor names the selection in a default chart title: "Deaths per month, Ukraine",
// "Strikes per week, Caribbean and Eastern Pacific", "Deaths per month, United States in
// Caribbean". With one theatre, a title's ", by theatre" is dropped (there is only one).
// Dates and other filters are left to the caption.
func TitleFor(title string, f data.Filter) string {
	theatres, actors := nonBlank(f.Theatres), nonBlank(f.Actors)
	if len(theatres) == 1 {
		title = strings.TrimSuffix(title, ", by theatre")
	}
	var sel string
	switch {
	case len(actors) > 0 && len(theatres) > 0:
		sel = joinAnd(actors) + " in " + joinAnd(theatres)
	case len(actors) > 0:
		sel = joinAnd(actors)
	case len(theatres) > 0:
		sel = joinAnd(theatres)
	}
	if sel == "" {
		return title
	}
	return title + ", " + sel
}

func nonBlank(vals []string) []string {
	var out []string
	for _, v := range vals {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// joinAnd is "A", "A and B", "A, B and C"; more than three are counted: "A, B and 3 more".
func joinAnd(vals []string) string {
	switch n := len(vals); {
	case n == 1:
		return vals[0]
	case n <= 3:
		return strings.Join(vals[:n-1], ", ") + " and " + vals[n-1]
	default:
		return strings.Join(vals[:2], ", ") + " and " + FormatInt(n-2) + " more"
	}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// periodWord is "day", "week" or "month".
func periodWord(p data.Period) string { return string(p) }

func (b *builder) xLabel() string {
	switch b.spec.Period {
	case data.PeriodWeek:
		return "Week (ISO, starting Monday)"
	case data.PeriodMonth:
		return "Month"
	}
	return "Day"
}

func (b *builder) bounds() (start, end []float64) {
	for _, bk := range b.ser.Buckets {
		start = append(start, DayX(bk.Start))
		end = append(end, DayX(bk.End)+1)
	}
	return start, end
}

// splitDeaths: deaths per period, stacked by the series' groups (places or categories).
func (b *builder) splitDeaths() error {
	start, end := b.bounds()
	bars := &PeriodBars{Start: start, End: end}
	for _, g := range b.ser.Theatres {
		seg := BarSegment{Name: TheatreLabel(g), Color: TheatreColor(g, b.ser.Theatres), Values: make([]float64, len(start))}
		for i, bk := range b.ser.Buckets {
			t := bk.ByTheatre[g]
			if b.spec.Count == CountMax {
				seg.Values[i] = float64(t.KilledMax)
			} else {
				seg.Values[i] = float64(t.KilledMin)
			}
		}
		bars.Segments = append(bars.Segments, seg)
		b.ch.Legend = append(b.ch.Legend, LegendEntry{Label: seg.Name, Color: seg.Color})
		b.ch.Layers = append(b.ch.Layers, Layer{Name: seg.Name, X: start, Y: seg.Values})
	}
	b.p.Add(bars)
	_, _, _, b.ymax = bars.DataRange()
	per := periodWord(b.spec.Period)
	b.ch.Title = "Deaths per " + per
	b.p.Y.Label.Text = "Deaths per " + per
	b.p.X.Label.Text = b.xLabel()
	b.p.X.Tick.Marker = TimeTicks{Period: b.spec.Period}
	rule := "lowest reported figures"
	if b.spec.Count == CountMax {
		rule = "highest reported figures"
	}
	b.ch.Caption.Rule = "Deaths split by group (" + rule + ")"
	b.unknownNote()
	return nil
}

// strikes: strikes or vessels per period, stacked by theatre.
func (b *builder) strikes() error {
	start, end := b.bounds()
	known := b.ser.Theatres
	if ds, ok := b.src.(DistinctSource); ok {
		if all, err := ds.Distinct("theatre"); err == nil {
			known = all
		}
	}
	vessels := b.spec.Unit == UnitVessels
	bars := &PeriodBars{Start: start, End: end}
	var uncertain []float64
	anyUncertain := false
	for _, th := range b.ser.Theatres {
		seg := BarSegment{Name: TheatreLabel(th), Color: TheatreColor(th, known), Values: make([]float64, len(start))}
		for i, bk := range b.ser.Buckets {
			t := bk.ByTheatre[th]
			switch {
			case !vessels:
				seg.Values[i] = float64(t.Strikes) // rows that stand for several strikes count each
			case b.spec.Count == CountMax:
				seg.Values[i] = float64(t.VesselsMax)
			default:
				seg.Values[i] = float64(t.VesselsMin)
			}
		}
		bars.Segments = append(bars.Segments, seg)
		b.ch.Legend = append(b.ch.Legend, LegendEntry{Label: seg.Name, Color: seg.Color})
		b.ch.Layers = append(b.ch.Layers, Layer{Name: seg.Name, X: start, Y: seg.Values})
	}
	if vessels && b.spec.Count == CountRange {
		uncertain = make([]float64, len(start))
		for i, bk := range b.ser.Buckets {
			uncertain[i] = float64(bk.VesselsMax - bk.VesselsMin)
			anyUncertain = anyUncertain || uncertain[i] > 0
		}
		if anyUncertain {
			seg := BarSegment{Name: "Uncertain: up to the highest reported figure", Color: b.st.Tint(b.st.Ink), Values: uncertain}
			bars.Segments = append(bars.Segments, seg)
			b.ch.Legend = append(b.ch.Legend, LegendEntry{Label: seg.Name, Color: seg.Color})
			b.ch.Layers = append(b.ch.Layers, Layer{Name: seg.Name, X: start, Y: seg.Values})
		}
	}
	b.p.Add(bars)
	_, _, _, b.ymax = bars.DataRange()
	per := periodWord(b.spec.Period)
	if vessels {
		b.ch.Title = "Vessels struck per " + per + ", by theatre"
		b.p.Y.Label.Text = "Vessels per " + per
		b.ch.Caption.Rule = "Each bar counts the vessels struck in one " + per + ". " + b.spec.Count.Describe("Vessels")
		if b.spec.Count == CountRange {
			b.ch.Caption.Rule = "Each bar counts the vessels struck in one " + per + ", at the lowest reported figure; a lighter top shows how far the highest reported figure goes. A strike with no vessel count counts as one vessel"
			if !anyUncertain {
				b.ch.Caption.Rule = "Each bar counts the vessels struck in one " + per + " (no record shown gives a range). A strike with no vessel count counts as one vessel"
			}
		}
	} else {
		b.ch.Title = "Strikes per " + per + ", by theatre"
		b.p.Y.Label.Text = "Strikes per " + per
		b.ch.Caption.Rule = "Each bar counts the strikes (incident records) in one " + per
	}
	if b.spec.Period == data.PeriodWeek {
		b.ch.Caption.Rule += "; weeks are ISO weeks starting Monday"
	}
	b.p.X.Label.Text = b.xLabel()
	b.p.X.Tick.Marker = TimeTicks{Period: b.spec.Period}
	return nil
}

// deaths: deaths per period, with the min-max range as a lighter segment on top.
func (b *builder) deaths() error {
	if b.spec.SplitDeaths {
		return b.splitDeaths()
	}
	start, end := b.bounds()
	lo := make([]float64, len(start))
	hi := make([]float64, len(start))
	for i, bk := range b.ser.Buckets {
		lo[i], hi[i] = float64(bk.KilledMin), float64(bk.KilledMax)
	}
	bars := &PeriodBars{Start: start, End: end}
	switch b.spec.Count {
	case CountMin:
		bars.Segments = []BarSegment{{Name: "Deaths (lowest reported figure)", Color: b.st.Ink, Values: lo}}
	case CountMax:
		bars.Segments = []BarSegment{{Name: "Deaths (highest reported figure)", Color: b.st.Ink, Values: hi}}
	default:
		diff := make([]float64, len(start))
		for i := range lo {
			diff[i] = hi[i] - lo[i]
		}
		bars.Segments = []BarSegment{{Name: "Deaths, lowest reported figure", Color: b.st.Ink, Values: lo}}
		if slices.ContainsFunc(diff, func(v float64) bool { return v > 0 }) {
			bars.Segments = append(bars.Segments, BarSegment{Name: "Up to the highest reported figure", Color: b.st.Tint(b.st.Ink), Values: diff})
		} else {
			bars.Segments[0].Name = "Deaths"
		}
	}
	for _, s := range bars.Segments {
		b.ch.Legend = append(b.ch.Legend, LegendEntry{Label: s.Name, Color: s.Color})
		b.ch.Layers = append(b.ch.Layers, Layer{Name: s.Name, X: start, Y: s.Values})
	}
	b.p.Add(bars)
	_, _, _, b.ymax = bars.DataRange()
	per := periodWord(b.spec.Period)
	b.ch.Title = "Deaths per " + per
	b.p.Y.Label.Text = "Deaths per " + per
	b.p.X.Label.Text = b.xLabel()
	b.p.X.Tick.Marker = TimeTicks{Period: b.spec.Period}
	b.ch.Caption.Rule = b.spec.Count.Describe("Deaths")
	if b.spec.Count == CountRange && len(bars.Segments) == 1 {
		b.ch.Caption.Rule = "Deaths as reported (no record shown gives a range)"
	}
	b.unknownNote()
	return nil
}

func (b *builder) unknownNote() {
	if n := b.stats.KilledUnknown; n > 0 {
		b.ch.Caption.Notes = append(b.ch.Caption.Notes, fmt.Sprintf("%s %s no reported death toll and %s not counted",
			FormatInt(n), plural(n, "incident has", "incidents have"), plural(n, "is", "are")))
	}
}

// cumulative: the running total as a line (with a min-max band), and, for tallies, the
// published figures as labelled points.
func (b *builder) cumulative(withTallies bool) error {
	var xs, lo, hi []float64
	if len(b.ser.Buckets) > 0 {
		xs = append(xs, DayX(b.ser.Buckets[0].Start))
		lo = append(lo, 0)
		hi = append(hi, 0)
	}
	for _, bk := range b.ser.Buckets {
		c := bk.Cumulative
		var l, h int
		switch b.spec.Unit {
		case UnitStrikes:
			l, h = c.Strikes, c.Strikes
		case UnitVessels:
			l, h = c.VesselsMin, c.VesselsMax
		default:
			l, h = c.KilledMin, c.KilledMax
		}
		xs = append(xs, DayX(bk.End)+1)
		lo = append(lo, float64(l))
		hi = append(hi, float64(h))
	}
	what := map[Unit]string{UnitDeaths: "Deaths", UnitStrikes: "Strikes", UnitVessels: "Vessels struck"}[b.spec.Unit]
	lineName := what + ", running total of incident records"
	ink := b.st.Ink
	rangeShown := false
	if len(xs) > 0 {
		differs := false
		for i := range lo {
			differs = differs || lo[i] != hi[i]
		}
		main := lo
		switch b.spec.Count {
		case CountMax:
			main = hi
			lineName += " (highest figures)"
		case CountMin:
			lineName += " (lowest figures)"
		default:
			if differs {
				band := make(plotter.XYs, 0, 2*len(xs))
				for i := range xs {
					band = append(band, plotter.XY{X: xs[i], Y: lo[i]})
				}
				for i := len(xs) - 1; i >= 0; i-- {
					band = append(band, plotter.XY{X: xs[i], Y: hi[i]})
				}
				poly, err := plotter.NewPolygon(band)
				if err != nil {
					return err
				}
				poly.Color = b.st.Tint(ink)
				poly.LineStyle.Width = 0
				b.p.Add(poly)
				b.ch.Legend = append(b.ch.Legend, LegendEntry{Label: "Range up to the highest reported figures", Color: poly.Color, Kind: LegendBand})
				b.ch.Layers = append(b.ch.Layers, Layer{Name: "highest", X: xs, Y: hi})
				lineName += " (lowest figures)"
				rangeShown = true
			}
		}
		xy := make(plotter.XYs, len(xs))
		for i := range xs {
			xy[i] = plotter.XY{X: xs[i], Y: main[i]}
		}
		line, err := plotter.NewLine(xy)
		if err != nil {
			return err
		}
		line.LineStyle = b.st.Line(ink, 3)
		b.p.Add(line)
		b.avoid = append(b.avoid, xy)
		b.ch.Legend = append([]LegendEntry{{Label: lineName, Color: ink, Kind: LegendLine}}, b.ch.Legend...)
		b.ch.Layers = append([]Layer{{Name: lineName, X: xs, Y: main}}, b.ch.Layers...)
		for i := range xs {
			b.ymax = max(b.ymax, main[i])
			if b.spec.Count == CountRange {
				b.ymax = max(b.ymax, hi[i])
			}
		}
	}
	b.p.Y.Label.Text = what + ", running total"
	b.ch.Title = what + ", running total"
	switch {
	case b.spec.Count == CountRange && rangeShown:
		b.ch.Caption.Rule = "The line sums the lowest reported figures; the band reaches the highest"
	case b.spec.Count == CountRange:
		b.ch.Caption.Rule = "The line sums the reported figures (no record shown gives a range)"
	default:
		b.ch.Caption.Rule = b.spec.Count.Describe(what)
	}
	if b.spec.Unit == UnitStrikes {
		b.ch.Caption.Rule = "The line counts strikes (incident records)"
	}
	if !b.spec.Filter.From.IsZero() {
		b.ch.Caption.Notes = append(b.ch.Caption.Notes, "Running totals start at zero on "+b.spec.Filter.From.Label())
	}
	if b.spec.Unit == UnitDeaths {
		b.unknownNote()
	}
	if withTallies {
		return b.tallies(what)
	}
	return nil
}

var (
	claimantColors = []color.NRGBA{Vermillion, BluishGreen, ReddishPurple, SkyBlue, Orange, Blue}
	claimantShapes = []draw.GlyphDrawer{draw.CircleGlyph{}, draw.BoxGlyph{}, DiamondGlyph{}, draw.PyramidGlyph{}, draw.RingGlyph{}, draw.CrossGlyph{}}
)

// TallyFigure formats a published figure for a label: "67", "at least 66", "66–70".
func TallyFigure(c data.Count) string {
	switch {
	case !c.Known():
		return "unknown"
	case c.Exact():
		return FormatInt(c.Min)
	case c.MinKnown && c.MaxKnown:
		return FormatInt(c.Min) + "–" + FormatInt(c.Max)
	case c.MinKnown:
		return "at least " + FormatInt(c.Min)
	default:
		return "up to " + FormatInt(c.Max)
	}
}

func (b *builder) tallies(what string) error {
	ts, err := b.src.Tallies(b.spec.Filter)
	if err != nil {
		return fmt.Errorf("reading tallies: %w", err)
	}
	b.ch.Title = what + ": incident records against published tallies"
	lp := &LabelledPoints{Text: b.st.Text(SizeNote, b.st.Foreground, false), Background: b.st.Background, Radius: 7, Avoid: b.avoid}
	claimants := map[string]int{}
	var layer Layer
	skipped := 0
	for _, t := range ts {
		c := t.Killed
		if b.spec.Unit == UnitStrikes {
			c = t.Strikes
		}
		if !c.Known() || t.AsOf.IsZero() {
			skipped++
			continue
		}
		i, ok := claimants[t.Claimant]
		if !ok {
			i = len(claimants)
			claimants[t.Claimant] = i
			b.ch.Legend = append(b.ch.Legend, LegendEntry{Label: Shorten(t.Claimant, 48), Color: claimantColors[i%len(claimantColors)], Kind: LegendGlyph, Shape: claimantShapes[i%len(claimantShapes)]})
		}
		label := fmt.Sprintf("%s, %s: %s", Shorten(t.Claimant, 32), t.AsOf.Label(), TallyFigure(c))
		if note := b.scopeNote(t.Scope); note != "" {
			label += " (" + note + ")"
		}
		x := float64(t.AsOf.LastDayNumber() + 1)
		pt := LabelledPoint{X: x, Y: float64(c.Low()), Label: label,
			Color: claimantColors[i%len(claimantColors)], Shape: claimantShapes[i%len(claimantShapes)]}
		if c.MinKnown && c.MaxKnown && c.Max > c.Min {
			pt.YHigh = float64(c.Max)
		}
		lp.Points = append(lp.Points, pt)
		layer.X = append(layer.X, x)
		layer.Y = append(layer.Y, pt.Y)
		b.xmin, b.xmax = min(b.xmin, x-1), max(b.xmax, x+1)
		b.ymax = max(b.ymax, pt.Y, pt.YHigh)
		b.srcs.Add(t.Source)
	}
	if len(lp.Points) > 0 {
		b.p.Add(lp)
		b.ch.points = lp
		layer.Name = "tallies"
		b.ch.Layers = append(b.ch.Layers, layer)
	}
	if skipped > 0 {
		b.ch.Caption.Notes = append(b.ch.Caption.Notes, fmt.Sprintf("%s %s no %s figure and %s not shown",
			FormatInt(skipped), plural(skipped, "tally gives", "tallies give"), strings.ToLower(what), plural(skipped, "is", "are")))
	}
	b.ch.Caption.Notes = append(b.ch.Caption.Notes, "Each point is a published tally at its as-of date; a tally marked with a scope covers only that scope")
	return nil
}

// scopeNote says when a tally covers something else than the incidents summed.
func (b *builder) scopeNote(scope string) string {
	scope = strings.TrimSpace(scope)
	all := scope == "" || strings.EqualFold(scope, data.ScopeAll)
	th := b.spec.Filter.Theatres
	switch {
	case all && len(th) > 0:
		return "all theatres"
	case !all && (len(th) != 1 || !strings.EqualFold(strings.TrimSpace(th[0]), scope)):
		return scope + " only"
	}
	return ""
}

// annotate adds the statements (and events) as annotations.
func (b *builder) annotate() error {
	voc := data.DefaultVocabulary()
	if vs, ok := b.src.(VocabularySource); ok {
		if v, err := vs.Vocabulary(); err == nil && len(v) > 0 {
			voc = v
		}
	}
	add := func(a Annotation) {
		b.ch.Annotations = append(b.ch.Annotations, a)
		b.xmin, b.xmax = min(b.xmin, math.Floor(a.X)), max(b.xmax, math.Floor(a.X)+1)
	}
	if b.spec.Annotate {
		sts, err := b.src.Statements(b.spec.Filter)
		if err != nil {
			return fmt.Errorf("reading statements: %w", err)
		}
		// One label per actor and day: "United Kingdom: defers, concerned".
		type key struct {
			day   int
			actor string
		}
		groups := map[key]int{}
		var stances [][]string
		for _, s := range sts {
			if s.Date.IsZero() {
				continue
			}
			stance := strings.TrimSpace(s.Stance)
			if stance == "" {
				stance = "statement"
			}
			k := key{s.Date.DayNumber(), s.Actor}
			i, ok := groups[k]
			if !ok {
				i = len(b.ch.Annotations)
				groups[k] = i
				add(Annotation{X: DayX(s.Date) + 0.5})
				stances = append(stances, nil)
			}
			a := &b.ch.Annotations[i]
			if !slices.Contains(stances[i], stance) {
				stances[i] = append(stances[i], stance)
				a.Colors = append(a.Colors, StanceColor(voc, s.Stance))
				a.Label = Shorten(s.Actor+": "+strings.Join(stances[i], ", "), 64)
			}
			b.srcs.Add(s.Source)
		}
	}
	for _, e := range b.spec.Events {
		if e.Date.IsZero() {
			continue
		}
		a := Annotation{X: DayX(e.Date) + 0.5, Label: Shorten(e.Label, 64)}
		if e.Color != nil {
			a.Colors = []color.Color{e.Color}
		}
		add(a)
	}
	return nil
}

// scanSources names the sources of the incidents shown, reading at most MaxSourceScan.
func (b *builder) scanSources() error {
	if b.stats.Incidents == 0 {
		return nil
	}
	var inc SourceList
	n := 0
	err := b.src.ForEachIncident(b.spec.Filter, func(r *data.Incident) error {
		if n >= MaxSourceScan {
			return errStopScan
		}
		n++
		inc.Add(r.Source)
		return nil
	})
	if err != nil && !errors.Is(err, errStopScan) {
		return fmt.Errorf("reading incident sources: %w", err)
	}
	if n < b.stats.Incidents {
		inc.Partial = fmt.Sprintf("of the first %s of %s incidents", FormatInt(n), FormatInt(b.stats.Incidents))
	}
	// Incident sources first, then statements and tallies.
	merged := SourceList{Partial: inc.Partial}
	for _, s := range inc.Sorted() {
		merged.AddN(s, inc.counts[s])
	}
	for _, s := range b.srcs.order {
		merged.AddN(s, b.srcs.counts[s])
	}
	b.srcs = merged
	return nil
}

// finishAxes sets the axis ranges: the filter's dates when given, else the data's; y from 0
// to a labelled tick above the data.
func (b *builder) finishAxes() {
	f := b.spec.Filter
	if !f.From.IsZero() {
		b.xmin = DayX(f.From)
		if math.IsInf(b.xmax, -1) {
			b.xmax = b.xmin + 1
		}
	}
	if !f.To.IsZero() {
		b.xmax = float64(f.To.LastDayNumber() + 1)
		if math.IsInf(b.xmin, 1) {
			b.xmin = b.xmax - 1
		}
	}
	if math.IsInf(b.xmin, 1) || math.IsInf(b.xmax, -1) {
		// Nothing at all to place on a time axis: no x axis.
		b.p.HideX()
		b.p.X.Min, b.p.X.Max = 0, 1
		b.p.X.Label.Text = ""
	} else {
		if b.xmax-b.xmin < 7 {
			mid := (b.xmin + b.xmax) / 2
			b.xmin, b.xmax = math.Floor(mid-3.5), math.Floor(mid-3.5)+7
		}
		b.p.X.Min, b.p.X.Max = b.xmin, b.xmax
	}
	top := b.ymax
	if b.spec.Kind == KindTallies {
		top *= 1.08 // room for the labels above the highest point
	}
	b.p.Y.Min, b.p.Y.Max = 0, NiceMax(top)
}

// nowOf reads src's clock when it has one (ClockSource), else the system's.
func nowOf(src Source) time.Time {
	if c, ok := src.(ClockSource); ok {
		return c.Now()
	}
	return time.Now()
}
