package importers

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"sitrep/data"
)

// catGroup is one casualty category of a sheet: its columns (a figure, or a min/max pair).
type catGroup struct {
	measure, category string
	estimate          bool
	base, lo, hi      int // columns; -1 when absent
	first             int // the leftmost column, for ordering
}

// categoryGroups collects the casualty categories of a mapping, in column order.
func categoryGroups(m Mapping) []catGroup {
	byKey := map[string]*catGroup{}
	for f, c := range m {
		measure, category, end, ok := isCategoryField(f)
		if !ok {
			continue
		}
		key := measure + "/" + category
		g := byKey[key]
		if g == nil {
			g = &catGroup{measure: measure, category: category, base: -1, lo: -1, hi: -1, first: c,
				estimate: category == categoryLowEstimate || category == categoryHighEstimate || category == "best estimate"}
			byKey[key] = g
		}
		switch end {
		case "min":
			g.lo = c
		case "max":
			g.hi = c
		default:
			g.base = c
		}
		g.first = min(g.first, c)
	}
	out := make([]catGroup, 0, len(byKey))
	for _, g := range byKey {
		out = append(out, *g)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].first < out[j].first })
	return out
}

// sheetStats is what parsing a sheet found that the audit reports as a whole.
type sheetStats struct {
	// sentinels counts codebook codes read as unknown, per column and value.
	sentinels map[int]map[string]int
	// Per measure that has both a total and categories: rows compared, rows where the total
	// equals the sum of the categories, rows where it is at least each of them.
	compared, equal, atLeastEach map[string]int
	// summed counts rows whose figure is the sum of categories; partial those where some
	// category was unknown (the sum is then a minimum).
	summed, partial map[string]int
	// perRow counts rows read as one person each, by measure.
	perRow map[string]int
	// decreases counts rows where a running total went down.
	decreases int
	lastTotal int
	// ongoing counts end dates coded as ongoing (-7).
	ongoing int
	events  int
	// onlyMax and onlyMin count rows, by count field ("killed"), whose min-max pair gives
	// only its maximum or only its minimum.
	onlyMax, onlyMin map[string]int
}

func (s *sheetStats) inc(m *map[string]int, k string) {
	if *m == nil {
		*m = map[string]int{}
	}
	(*m)[k]++
}

func (sh *sheetParser) sentinel(col int, v string) {
	m := sh.stats.sentinels[col]
	if m == nil {
		m = map[string]int{}
		sh.stats.sentinels[col] = m
	}
	m[v]++
}

// measureCount returns a pointer to the incident's figure for a measure.
func measureCount(rec *data.Incident, measure string) *data.Count {
	switch measure {
	case data.MeasureInjured:
		return &rec.Injured
	case data.MeasureMissing:
		return &rec.Missing
	case data.MeasureSurvivors:
		return &rec.Survivors
	}
	return &rec.Killed
}

// casualties reads the category columns of a row onto the record. When a measure has its
// own column (the total), it stays the figure and the audit counts how it compares with the
// categories; otherwise the figure is the sum of the categories (a minimum when some are
// unknown). Estimates (lowest, highest) are kept beside the figure, never summed.
func (sh *sheetParser) casualties(r *rowResult, cells []string, rec *data.Incident) {
	type sum struct {
		total, known, unknown int
		max                   int
	}
	sums := map[string]*sum{}
	var out []data.CategoryCount
	for _, g := range sh.cats {
		c := sh.catCount(r, cells, g)
		if c.Known() {
			out = append(out, data.CategoryCount{Measure: g.measure, Category: g.category, Estimate: g.estimate, Count: c})
		}
		if g.estimate {
			continue
		}
		s := sums[g.measure]
		if s == nil {
			s = &sum{}
			sums[g.measure] = s
		}
		if c.Known() {
			s.known++
			s.total += c.Low()
			s.max = max(s.max, c.High())
		} else {
			s.unknown++
		}
	}
	rec.Casualties = out
	for measure, s := range sums {
		fig := measureCount(rec, measure)
		if sh.hasMeasureColumn(measure) {
			if fig.Known() && s.known > 0 {
				sh.stats.inc(&sh.stats.compared, measure)
				if fig.Exact() && fig.Min == s.total && s.unknown == 0 {
					sh.stats.inc(&sh.stats.equal, measure)
				}
				if fig.High() >= s.max {
					sh.stats.inc(&sh.stats.atLeastEach, measure)
				}
			}
			continue
		}
		if s.known == 0 {
			continue
		}
		sh.stats.inc(&sh.stats.summed, measure)
		if s.unknown > 0 {
			sh.stats.inc(&sh.stats.partial, measure)
			*fig = data.AtLeast(s.total)
		} else {
			*fig = data.Exactly(s.total)
		}
	}
}

func (sh *sheetParser) hasMeasureColumn(measure string) bool {
	for _, f := range []Field{Field(measure), Field(measure + "_min"), Field(measure + "_max")} {
		if _, ok := sh.col[f]; ok {
			return true
		}
	}
	return false
}

// catCount reads one category's figure (a column, or a min/max pair).
func (sh *sheetParser) catCount(r *rowResult, cells []string, g catGroup) data.Count {
	one := func(c int) (data.Count, bool) {
		if c < 0 || c >= len(cells) {
			return data.Count{}, false
		}
		v := strings.TrimSpace(cells[c])
		if v == "" {
			return data.Count{}, true
		}
		if (v[0] == '-' || v[0] == '9') && isSentinel(v) {
			sh.sentinel(c, v)
			return data.Count{}, true
		}
		cv, err := ParseCount(v)
		if err != nil {
			sh.problem(r, c, v, LevelNote, "%s; the category is left unknown", countMessage(err))
			return data.Count{}, true
		}
		return cv.Count, true
	}
	if g.lo < 0 && g.hi < 0 {
		c, _ := one(g.base)
		return c
	}
	lo, _ := one(g.lo)
	hi, _ := one(g.hi)
	var out data.Count
	if lo.MinKnown {
		out.Min, out.MinKnown = lo.Min, true
	}
	if hi.MaxKnown {
		out.Max, out.MaxKnown = hi.Max, true
	}
	if out.MinKnown && out.MaxKnown && out.Min > out.Max {
		out.Min = out.Max
	}
	if !out.Known() && g.base >= 0 {
		out, _ = one(g.base)
	}
	return out
}

// perRow counts a row as one person: killed, or what the casualty-type column says.
func (sh *sheetParser) perRow(cells []string, rec *data.Incident) {
	measure := sh.sp.PerRow
	if c := sh.sp.PerRowColumn; c >= 0 && c < len(cells) && strings.TrimSpace(cells[c]) != "" {
		measure = personMeasure(cells[c])
	}
	fig := measureCount(rec, measure)
	if !fig.Known() {
		*fig = data.Exactly(1)
	}
	sh.stats.inc(&sh.stats.perRow, measure)
}

// events reads how many strikes or events a row stands for (1 when blank or unreadable).
func (sh *sheetParser) events(r *rowResult, cells []string) int {
	v, c, _ := sh.cell(cells, FieldEvents)
	if v == "" {
		return 0
	}
	if isSentinel(v) {
		sh.sentinel(c, v)
		return 0
	}
	cv, err := ParseCount(v)
	if err != nil || !cv.Count.MinKnown {
		sh.problem(r, c, v, LevelNote, "not a number of strikes or events; the row counts as one")
		return 0
	}
	if cv.Count.Min > 1 {
		sh.stats.events++
	}
	return cv.Count.Min
}

// runningTotal notes a running total that goes down.
func (sh *sheetParser) runningTotal(r *rowResult, c data.Count) {
	if !c.MinKnown {
		return
	}
	if c.Min < sh.stats.lastTotal {
		sh.stats.decreases++
		sh.problem(r, sh.col["killed"], strconv.Itoa(c.Min), LevelNote, "the running total goes down from %d", sh.stats.lastTotal)
	}
	sh.stats.lastTotal = c.Min
}

// applySet gives a record the sheet's set values (--set theatre=Yemen).
func (sh *sheetParser) applySet(rec *data.Incident) {
	if v := sh.sp.Set[FieldTheatre]; v != "" {
		rec.Theatre = v
	}
	if v := sh.sp.Set[FieldCountry]; v != "" {
		rec.Country = v
	}
	if v := sh.sp.Set[FieldAdmin1]; v != "" {
		rec.Admin1 = v
	}
}

func firstNonEmpty(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}

// partsDate reads a date from year, month and day columns (and an end date from end parts).
func (sh *sheetParser) partsDate(r *rowResult, cells []string) (data.Date, data.Date) {
	start, ok := sh.readParts(r, cells, FieldYear, FieldMonth, FieldDay, true)
	if !ok {
		return data.Date{}, data.Date{}
	}
	if _, has := sh.col[FieldEndYear]; !has {
		return start, data.Date{}
	}
	end, _ := sh.readParts(r, cells, FieldEndYear, FieldEndMonth, FieldEndDay, false)
	if !end.IsZero() && end.LastDayNumber() < start.DayNumber() {
		c := sh.col[FieldEndYear]
		sh.problem(r, c, end.String(), LevelNote, "the end date is before the start %s; left out", start)
		end = data.Date{}
	}
	if end == start {
		end = data.Date{}
	}
	return start, end
}

// readParts reads one date from its part columns. A blank or coded (-9) day gives a month,
// a blank or coded month a year; -7 in the year says ongoing (no end date).
func (sh *sheetParser) readParts(r *rowResult, cells []string, yf, mf, df Field, required bool) (data.Date, bool) {
	yv, yc, _ := sh.cell(cells, yf)
	mv, mc, hasM := sh.cell(cells, mf)
	dv, dc, hasD := sh.cell(cells, df)
	if yv == "" || isSentinel(yv) {
		switch {
		case yv == "-7":
			sh.stats.ongoing++
		case required:
			sh.problem(r, yc, yv, LevelError, "no year")
		case yv == "" && (mv != "" && !isSentinel(mv) || dv != "" && !isSentinel(dv)):
			sh.problem(r, yc, yv, LevelNote, "no year for the end date; it is left out")
		}
		return data.Date{}, false
	}
	y, err := strconv.Atoi(strings.TrimSuffix(yv, ".0"))
	if err != nil || y < 1 || y > 9999 {
		if required {
			sh.problem(r, yc, yv, LevelError, "not a year")
		} else {
			sh.problem(r, yc, yv, LevelNote, "not a year; the end date is left out")
		}
		return data.Date{}, false
	}
	year := data.YearOf(y)
	if !hasM || mv == "" || isSentinel(mv) {
		return year, true
	}
	m, ok := readMonth(mv)
	if !ok {
		sh.problem(r, mc, mv, LevelNote, "not a month; the date is read as the year %d", y)
		return year, true
	}
	month := data.MonthOf(y, time.Month(m))
	if !hasD || dv == "" || isSentinel(dv) {
		return month, true
	}
	d, err := strconv.Atoi(strings.TrimSuffix(dv, ".0"))
	day := data.Day(y, time.Month(m), d)
	if err != nil || !day.Valid() || day.Day != d {
		sh.problem(r, dc, dv, LevelNote, "not a day of %s; the date is read as the month", month.Label())
		return month, true
	}
	return day, true
}

// readMonth reads a month as a number (1-12) or a name in English, French, Spanish or German
// ("jan", "June", "juin", "junio").
func readMonth(v string) (int, bool) {
	v = strings.TrimSpace(strings.TrimSuffix(v, ".0"))
	if n, err := strconv.Atoi(v); err == nil {
		return n, n >= 1 && n <= 12
	}
	n, ok := monthNames[strings.ToLower(strings.TrimSuffix(v, "."))]
	return n, ok
}

// rules writes the audit's sentences for a sheet: the casualty rule, the date rule, the
// ignored headers and the codebook codes read as unknown.
func (sh *sheetParser) rules(sr *SheetReport) {
	sp := sh.sp
	sr.Ignored = []string{}
	for c, h := range sp.Headers {
		if !mapped(sp.Mapping, c) && strings.TrimSpace(h) != "" {
			sr.Ignored = append(sr.Ignored, oneLineText(h))
		}
	}
	sr.Reading = append(sr.Reading, sp.Reading...)
	sr.Reading = append(sr.Reading, sh.halfRanges()...)
	sr.CasualtyRule = sh.casualtyRule()
	sr.DateRule = sh.dateRule()
	cols := make([]int, 0, len(sh.stats.sentinels))
	for c := range sh.stats.sentinels {
		cols = append(cols, c)
	}
	slices.Sort(cols)
	for _, c := range cols {
		vals := sh.stats.sentinels[c]
		keys := make([]string, 0, len(vals))
		for v := range vals {
			keys = append(keys, v)
		}
		slices.Sort(keys)
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = fmt.Sprintf("%s (%d cells)", k, vals[k])
		}
		sr.UnknownCodes = append(sr.UnknownCodes, fmt.Sprintf("%s: %s read as unknown (codebook codes, not figures)", oneLineText(sp.Header(c)), strings.Join(parts, ", ")))
	}
}

// halfRanges says in how many rows a min-max pair of columns gave only one end, and how
// such a row counts: "up to N" adds nothing to a total's low end, "at least N" adds N to both.
func (sh *sheetParser) halfRanges() []string {
	var out []string
	for _, base := range []string{"killed", "injured", "vessels", "survivors"} {
		if n := sh.stats.onlyMax[base]; n > 0 {
			out = append(out, fmt.Sprintf("%s is empty where %s is given in %s: those figures are read as \"up to\" (at most) the maximum, so a total's low end counts them as 0",
				sh.header(Field(base+"_min")), sh.header(Field(base+"_max")), data.Plural(n, "row")))
		}
		if n := sh.stats.onlyMin[base]; n > 0 {
			out = append(out, fmt.Sprintf("%s is empty where %s is given in %s: those figures are read as \"at least\" the minimum, and a total's high end counts the minimum",
				sh.header(Field(base+"_max")), sh.header(Field(base+"_min")), data.Plural(n, "row")))
		}
	}
	return out
}

func (sh *sheetParser) header(f Field) string { return oneLineText(sh.sp.Header(sh.col[f])) }

func (sh *sheetParser) casualtyRule() string {
	if sh.kind == data.KindTally {
		if _, ok := sh.col["killed"]; ok {
			s := fmt.Sprintf("killed = %s as published: each row is a running total (a tally), never summed", sh.header("killed"))
			if sh.stats.decreases > 0 {
				s += fmt.Sprintf("; it goes down in %d rows (see the notes)", sh.stats.decreases)
			}
			return s
		}
		return ""
	}
	if sh.kind != data.KindIncident {
		return ""
	}
	var out []string
	for _, measure := range []string{data.MeasureKilled, data.MeasureInjured, data.MeasureMissing, data.MeasureSurvivors} {
		var parts, estimates []string
		for _, g := range sh.cats {
			if g.measure != measure {
				continue
			}
			cols := []int{g.base, g.lo, g.hi}
			var hs []string
			for _, c := range cols {
				if c >= 0 {
					hs = append(hs, oneLineText(sh.sp.Header(c)))
				}
			}
			if g.estimate {
				estimates = append(estimates, strings.Join(hs, "/"))
			} else {
				parts = append(parts, strings.Join(hs, "/"))
			}
		}
		own := ""
		switch {
		case sh.has(Field(measure+"_min")) && sh.has(Field(measure+"_max")):
			own = sh.header(Field(measure+"_min")) + " to " + sh.header(Field(measure+"_max"))
		case sh.has(Field(measure + "_min")):
			own = sh.header(Field(measure + "_min"))
		case sh.has(Field(measure + "_max")):
			own = sh.header(Field(measure + "_max"))
		case sh.has(Field(measure)):
			own = sh.header(Field(measure))
		}
		var s string
		switch {
		case own != "" && len(parts) > 0:
			n := sh.stats.compared[measure]
			s = fmt.Sprintf("%s = %s, the total; %s kept as categories (the total is at least each of them in %d of %d rows compared, and equals their sum in %d)",
				measure, own, strings.Join(parts, ", "), sh.stats.atLeastEach[measure], n, sh.stats.equal[measure])
		case own != "":
			s = fmt.Sprintf("%s = %s", measure, own)
		case len(parts) > 0:
			s = fmt.Sprintf("%s = %s, summed (disjoint categories)", measure, strings.Join(parts, " + "))
			if p := sh.stats.partial[measure]; p > 0 {
				s += fmt.Sprintf("; in %d rows some category is unknown, and the sum of the known ones is a minimum", p)
			}
		case sh.stats.perRow[measure] > 0:
			s = fmt.Sprintf("%s = 1 per row (%d rows): the rows are people, and no column counts them", measure, sh.stats.perRow[measure])
		}
		if s == "" {
			continue
		}
		if len(estimates) > 0 {
			s += "; " + strings.Join(estimates, ", ") + " kept beside it as the range of estimates"
		}
		out = append(out, s)
	}
	if len(out) == 0 {
		out = append(out, "no column counts casualties: killed is unknown, never 0")
	}
	if _, ok := sh.col[FieldEvents]; ok {
		out = append(out, fmt.Sprintf("each row counts as %s strikes or events (%d rows stand for more than one)", sh.header(FieldEvents), sh.stats.events))
	}
	return strings.Join(out, "; ")
}

func (sh *sheetParser) has(f Field) bool { _, ok := sh.col[f]; return ok }

func (sh *sheetParser) dateRule() string {
	if sh.hasParts {
		var hs []string
		for _, f := range []Field{FieldYear, FieldMonth, FieldDay} {
			if sh.has(f) {
				hs = append(hs, sh.header(f))
			}
		}
		s := "dates from " + strings.Join(hs, ", ")
		switch {
		case !sh.has(FieldMonth):
			s += " (years only)"
		case !sh.has(FieldDay):
			s += " (months only)"
		default:
			s += "; a blank or coded day gives the month, a blank or coded month the year"
		}
		if sh.has(FieldEndYear) {
			var es []string
			for _, f := range []Field{FieldEndYear, FieldEndMonth, FieldEndDay} {
				if sh.has(f) {
					es = append(es, sh.header(f))
				}
			}
			s += "; end dates from " + strings.Join(es, ", ")
			if sh.stats.ongoing > 0 {
				s += fmt.Sprintf(" (%d coded as ongoing: no end date)", sh.stats.ongoing)
			}
		}
		for c, h := range sh.sp.Headers {
			if readMeaning(h).weekday && !mapped(sh.sp.Mapping, c) {
				s += "; " + oneLineText(h) + " is a weekday, not read as a date"
			}
		}
		return s
	}
	for _, f := range []Field{FieldDate, FieldAsOf} {
		if sh.has(f) {
			s := "dates from " + sh.header(f)
			if o := sh.orderSummary(); o != "" {
				s += " (" + o + ")"
			}
			if sh.has(FieldDateEnd) {
				s += "; end dates from " + sh.header(FieldDateEnd)
			}
			return s
		}
	}
	return ""
}
