package importers

import (
	"fmt"
	"strings"
	"unicode"

	"sitrep/data"
)

// checkContent lets the preview rows confirm or veto what the headers suggested (see the
// package doc): a count column guessed from its words must hold numbers; a date column that
// would put most rows in 1900 or before 1800 is not one; a date series whose casualty column
// never decreases is a running total, read as tallies; a sheet that names casualties but
// counts none is one person per row; Hijri dates are left as text, and said so.
func (p *Plan) checkContent(sp *SheetPlan) {
	if sp.Kind != data.KindIncident || len(sp.Mapping) == 0 {
		return
	}
	rows := sp.Preview
	values := func(c int) []string {
		var out []string
		for _, r := range rows {
			if c < len(r) {
				if v := strings.TrimSpace(r[c]); v != "" {
					out = append(out, v)
				}
			}
		}
		return out
	}
	// Vetoes: guessed counts that are not numbers, and row numbers taken for event counts.
	for f, c := range sp.Mapping {
		_, isCount := isCountField(f)
		_, _, _, isCat := isCategoryField(f)
		if !isCount && !isCat && f != FieldEvents {
			continue
		}
		if syn, _ := MatchHeader(data.KindIncident, sp.Header(c)); syn == f {
			continue // a synonym of the field: kept as before
		}
		vs := values(c)
		numeric := 0
		for _, v := range vs {
			if _, err := ParseCount(v); err == nil || isSentinel(v) {
				numeric++
			}
		}
		if len(vs) > 0 && numeric*10 < len(vs)*6 {
			delete(sp.Mapping, f)
			sp.Reading = append(sp.Reading, fmt.Sprintf("%s: its header reads as %q, but its values are not numbers (%q), so it is not a count", oneLineText(sp.Header(c)), FieldLabel(f), vs[0]))
			continue
		}
		if f == FieldEvents && isSequence(vs) {
			delete(sp.Mapping, f)
			sp.Reading = append(sp.Reading, fmt.Sprintf("%s: its values run 1, 2, 3...: row numbers, not a count of events", oneLineText(sp.Header(c))))
		}
	}
	// A date column that would put most rows in 1900, or before 1800, is not a date column.
	if c, ok := sp.Mapping[FieldDate]; ok {
		vs := values(c)
		old := 0
		for _, v := range vs {
			dv, err := ParseDateCell(v, DateOrderDayFirst, p.Date1904)
			if err == nil && !dv.Start.IsZero() && (dv.Start.Year == 1900 || dv.Start.Year < 1800) {
				old++
			}
		}
		if len(vs) > 0 && old*2 > len(vs) {
			delete(sp.Mapping, FieldDate)
			sp.Reading = append(sp.Reading, fmt.Sprintf("%s is not a date column: its values (%q...) would put %d of %d rows in 1900 or before 1800", oneLineText(sp.Header(c)), vs[0], old, len(vs)))
			readByMeaning(blankMapped(sp.Headers, sp.Mapping), sp.Mapping)
		}
	}
	p.checkCumulative(sp, values)
	checkPerRow(sp, values)
	// Hijri dates are text Sitrep does not convert; say so.
	for c, h := range sp.Headers {
		if mapped(sp.Mapping, c) {
			continue
		}
		vs := values(c)
		if isHijriColumn(h, vs) {
			sp.Reading = append(sp.Reading, fmt.Sprintf("%s holds Hijri (Islamic calendar) dates as text; they are not converted and are kept as written", oneLineText(h)))
		}
	}
	if sp.Kind == data.KindTally && sp.Claimant != "" {
		return // a running total: its claimant is the sheet's, not a column
	}
	if ok, why := eligible(sp.Kind, sp.Mapping); !ok {
		sp.Kind, sp.Note = KindIgnored, why
		if len(sp.Reading) > 0 {
			sp.Note += " (" + strings.Join(sp.Reading, "; ") + ")"
		}
	}
}

func hasAny(m Mapping, fs ...Field) bool {
	for _, f := range fs {
		if _, ok := m[f]; ok {
			return true
		}
	}
	return false
}

func mapped(m Mapping, col int) bool {
	for _, c := range m {
		if c == col {
			return true
		}
	}
	return false
}

// blankMapped returns the headers with the mapped columns blanked, for a second reading.
func blankMapped(headers []string, m Mapping) []string {
	out := append([]string(nil), headers...)
	for _, c := range m {
		if c < len(out) {
			out[c] = ""
		}
	}
	return out
}

// isSentinel reports whether a count cell is a codebook code for "unknown": a negative whole
// number (-7, -8, -9, -99) or 999, 9999.
func isSentinel(v string) bool {
	v = strings.TrimSpace(v)
	if v == "999" || v == "9999" {
		return true
	}
	if len(v) > 1 && v[0] == '-' {
		return isDigits(v[1:])
	}
	return false
}

// isSequence reports whether values read 1, 2, 3... (a row number).
func isSequence(vs []string) bool {
	if len(vs) < 5 {
		return false
	}
	prev := -1
	for _, v := range vs {
		n, ok := atoiFast(v)
		if !ok || (prev >= 0 && n != prev+1) {
			return false
		}
		prev = n
	}
	return true
}

var hijriWords = []string{"a.h", "muharram", "safar", "rabi", "jumada", "jumaada", "rajab", "sha'ban", "sha`baan", "shaban", "ramadan", "ramzan", "shawwal", "dhul", "zul", "hijri"}

func isHijriColumn(header string, vs []string) bool {
	h := strings.ToLower(header)
	if strings.Contains(h, "hijri") || strings.Contains(h, "islamic") {
		return true
	}
	hits := 0
	for _, v := range vs {
		lv := strings.ToLower(v)
		for _, w := range hijriWords {
			if strings.Contains(lv, w) {
				hits++
				break
			}
		}
	}
	return len(vs) > 0 && hits*2 > len(vs)
}

// checkCumulative reads a date series without places whose killed column never decreases as
// a running total: tallies (as of the date, by the claimant), not incidents.
func (p *Plan) checkCumulative(sp *SheetPlan, values func(int) []string) {
	dc, ok := sp.Mapping[FieldDate]
	kc, ok2 := sp.Mapping["killed"]
	if !ok2 {
		// One killed category and no total ("Civilian casualties - Killed") is the figure.
		n := 0
		for f, c := range sp.Mapping {
			if measure, _, end, isCat := isCategoryField(f); isCat && measure == data.MeasureKilled && end == "" {
				kc, n = c, n+1
			}
		}
		ok2 = n == 1
	}
	if !ok || !ok2 {
		return
	}
	for _, f := range []Field{FieldLocation, FieldLat, FieldLatLon, FieldAdmin1, FieldAdmin2, FieldID} {
		if _, has := sp.Mapping[f]; has {
			return
		}
	}
	n, rising := 0, false
	var lastDate data.Date
	last := -1
	for _, r := range sp.Preview {
		if dc >= len(r) || kc >= len(r) {
			continue
		}
		dv, err := ParseDateCell(r[dc], DateOrderDayFirst, p.Date1904)
		cv, err2 := ParseCount(r[kc])
		if err != nil || err2 != nil || dv.Start.IsZero() || !cv.Count.Exact() {
			continue
		}
		if (!lastDate.IsZero() && dv.Start.Compare(lastDate) < 0) || cv.Count.Min < last {
			return
		}
		if last >= 0 && cv.Count.Min > last {
			rising = true
		}
		lastDate, last = dv.Start, cv.Count.Min
		n++
	}
	if n < 8 || !rising {
		return
	}
	header := sp.Header(kc)
	claimant := ""
	if _, inner := stripParens(header); inner != "" {
		claimant = strings.TrimSpace(inner)
	}
	if claimant == "" {
		claimant = strings.TrimSuffix(p.File, fileExt(p.File))
	}
	m := Mapping{FieldAsOf: dc, "killed": kc}
	sp.Headers = append([]string(nil), sp.Headers...)
	if c, ok := sp.Mapping[FieldSource]; ok {
		m[FieldSource] = c
	}
	if c, ok := sp.Mapping[FieldNotes]; ok {
		m[FieldNotes] = c
	}
	sp.Kind, sp.Mapping, sp.Claimant = data.KindTally, m, claimant
	sp.Reading = append(sp.Reading, fmt.Sprintf("%s never decreases over %s in the first %d rows: a running total, read as tallies (as of %s, by %s), not as incidents to be summed",
		oneLineText(header), oneLineText(sp.Header(dc)), n, oneLineText(sp.Header(dc)), claimant))
}

// personWords in a header say its rows are people: "casualty_id", "type_of_casualty",
// "victim name".
var personWords = map[string]bool{"casualty": true, "casualties": true, "fatality": true, "fatalities": true,
	"victim": true, "victims": true, "deceased": true, "víctima": true, "victima": true, "victime": true}

// checkPerRow offers one death per row when the sheet names casualties in its headers but no
// column counts them (the rows are people).
func checkPerRow(sp *SheetPlan, values func(int) []string) {
	if sp.Kind != data.KindIncident {
		return
	}
	for f := range sp.Mapping {
		if _, ok := isCountField(f); ok {
			return
		}
		if _, _, _, ok := isCategoryField(f); ok {
			return
		}
	}
	best, bestScore := -1, 0
	for c, h := range sp.Headers {
		if mapped(sp.Mapping, c) {
			continue
		}
		score := 0
		for _, w := range splitWords(h) {
			if personWords[w] {
				score += 2
			}
			if w == "type" || w == "kind" || w == "tipo" {
				score++
			}
		}
		if score > bestScore {
			best, bestScore = c, score
		}
	}
	if best < 0 || bestScore < 2 {
		return
	}
	vs := values(best)
	for _, v := range vs {
		if _, err := ParseCount(v); err == nil {
			return // numbers: a count column vetoed above, not people
		}
	}
	sp.PerRow, sp.PerRowColumn = data.MeasureKilled, best
	sp.Reading = append(sp.Reading, fmt.Sprintf("no column counts casualties and %s describes one person per row: each row is counted as one death (one injured or missing when %s says so)",
		oneLineText(sp.Header(best)), oneLineText(sp.Header(best))))
}

// personMeasure reads what happened to the person of a row ("Fatality", "Injured").
func personMeasure(v string) string {
	for _, w := range splitWords(v) {
		switch measureWords[w] {
		case "injured":
			return data.MeasureInjured
		case "missing":
			return data.MeasureMissing
		case "survivors":
			return data.MeasureSurvivors
		}
		switch w {
		case "injury", "wounded", "injuries":
			return data.MeasureInjured
		}
	}
	return data.MeasureKilled
}

// unmappedNumbersHint names the numeric columns of an unrecognised sheet, for its note.
func unmappedNumbersHint(sp *SheetPlan) string {
	if m, _ := mapHeaders(data.KindIncident, sp.Headers); !hasAny(m, FieldDate, FieldYear) {
		return ""
	}
	var nums []string
	for c, h := range sp.Headers {
		if strings.TrimSpace(h) == "" || !strings.ContainsFunc(h, unicode.IsLetter) {
			continue
		}
		n, total := 0, 0
		for _, r := range sp.Preview {
			if c < len(r) && strings.TrimSpace(r[c]) != "" {
				total++
				if _, err := ParseCount(r[c]); err == nil {
					n++
				}
			}
		}
		m := readMeaning(h)
		if total > 0 && n == total && m.datePart == "" && !m.weekday {
			nums = append(nums, oneLineText(h))
		}
	}
	if len(nums) == 0 || len(nums) > 6 {
		return ""
	}
	return fmt.Sprintf("%s hold numbers but no header names what they count (killed, injured...); if one is a death toll, map it: --map killed=%q", strings.Join(nums, ", "), nums[len(nums)-1])
}

// applySet gives the sheet the values of Options.Set (theatre, country).
func (sp *SheetPlan) applySet(set map[Field]string) {
	if len(set) == 0 {
		return
	}
	if sp.Set == nil {
		sp.Set = map[Field]string{}
	}
	for f, v := range set {
		sp.Set[f] = v
	}
}

// SettableFields are the fields Options.Set (--set) may give a whole file.
var SettableFields = []Field{FieldTheatre, FieldCountry, FieldAdmin1}

// embeddedYearHint names a text column whose values carry a year inside a code
// ("UNSC_2014_SPV.7219_spch015_Russian_Federation_neg_03.txt"): the dates (and often who
// spoke) are coded inside an id, which Sitrep does not take apart.
func embeddedYearHint(sp *SheetPlan) string {
	for c, h := range sp.Headers {
		n, total := 0, 0
		example := ""
		for _, r := range sp.Preview {
			if c >= len(r) || strings.TrimSpace(r[c]) == "" {
				continue
			}
			total++
			v := r[c]
			if _, err := ParseDateCell(v, DateOrderDayFirst, false); err == nil {
				return "" // a date column after all
			}
			for _, w := range strings.FieldsFunc(v, func(r rune) bool { return r < '0' || r > '9' }) {
				if y, ok := atoiFast(w); ok && len(w) == 4 && y >= 1900 && y <= 2100 {
					n++
					example = v
					break
				}
			}
		}
		if total > 0 && n == total {
			return fmt.Sprintf("%s has a year inside each value (%q): Sitrep does not read dates or names coded inside an id; put the date in a column of its own", oneLineText(h), example)
		}
	}
	return ""
}
