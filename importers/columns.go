package importers

import (
	"fmt"
	"strings"

	"sitrep/data"
)

// Confidence levels of a column's mapping, for the preview.
const (
	ConfidenceChosen = "chosen by you"              // mapped by hand or remembered
	ConfidenceTag    = "certain (HXL tag)"          // the tag row says so
	ConfidenceHeader = "high (known header)"        // a synonym of the field
	ConfidenceWords  = "medium (read by meaning)"   // read from the header's words, content agrees
	ConfidenceNone   = "not mapped (kept as extra)" // kept in the record's extra columns
)

// ColumnInfo is one column of a sheet as the preview shows it: its header, what it maps to
// (in words), how sure the importer is, sample values (dates shown as dates), and, for an
// unmapped column that looks like a casualty count, a suggestion to add it.
type ColumnInfo struct {
	Index  int    `json:"index"`
	Letter string `json:"letter"`
	Header string `json:"header"`
	Field  Field  `json:"field,omitempty"`
	// Label is the field in words: "Killed, lowest", "Killed, civilians".
	Label      string   `json:"label,omitempty"`
	Confidence string   `json:"confidence"`
	Samples    []string `json:"samples"`
	// Suggest, when set, is the field a one-click suggestion maps the column to (with
	// SheetPlan.SetMapping); Suggestion says it in words.
	Suggest    Field  `json:"suggest,omitempty"`
	Suggestion string `json:"suggestion,omitempty"`
}

// Columns describes every column of the sheet for the preview.
func (s *SheetPlan) Columns(date1904 bool) []ColumnInfo {
	byCol := map[int]Field{}
	for f, c := range s.Mapping {
		byCol[c] = f
	}
	width := len(s.Headers)
	for _, r := range s.Preview {
		width = max(width, len(r))
	}
	hasKilled := false
	for f := range s.Mapping {
		if b, ok := isCountField(f); ok && b == "killed" {
			hasKilled = true
		}
		if m, _, _, ok := isCategoryField(f); ok && m == data.MeasureKilled {
			hasKilled = true
		}
	}
	out := make([]ColumnInfo, 0, width)
	for c := 0; c < width; c++ {
		ci := ColumnInfo{Index: c, Letter: colName(c), Header: oneLineText(s.Header(c)), Confidence: ConfidenceNone}
		f, ok := byCol[c]
		var vals []string
		for _, r := range s.Preview {
			if c < len(r) && strings.TrimSpace(r[c]) != "" {
				vals = append(vals, strings.TrimSpace(r[c]))
			}
		}
		if ok {
			ci.Field, ci.Label = f, FieldLabel(f)
			switch {
			case s.userMapped || s.Remembered:
				ci.Confidence = ConfidenceChosen
			case c < len(s.Tags) && strings.TrimSpace(s.Tags[c]) != "" && hxlField(s.Kind, s.Tags[c]) == f:
				ci.Confidence = ConfidenceTag
			case matchesSynonym(s.Kind, s.Header(c), f):
				ci.Confidence = ConfidenceHeader
			default:
				ci.Confidence = ConfidenceWords
			}
		}
		for _, v := range vals {
			if len(ci.Samples) == 3 {
				break
			}
			ci.Samples = append(ci.Samples, DisplayValue(f, v, date1904))
		}
		if !ok && s.Kind == data.KindIncident {
			ci.Suggest, ci.Suggestion = suggestColumn(ci.Header, vals, hasKilled)
		}
		out = append(out, ci)
	}
	return out
}

func matchesSynonym(kind data.Kind, header string, f Field) bool {
	g, _ := MatchHeader(kind, header)
	return g == f
}

// DisplayValue shows a cell as the preview does: a date column's serials as dates ("15 Mar
// 2023", not 45000), other cells on one line.
func DisplayValue(f Field, v string, date1904 bool) string {
	switch f {
	case FieldDate, FieldDateEnd, FieldAsOf:
		if isPlainNumber(v) {
			if dv, err := ParseDateCell(v, DateOrderAuto, date1904); err == nil && !dv.Start.IsZero() {
				return dv.Start.Label()
			}
		}
	}
	return oneLineText(v)
}

// suggestColumn offers to add an unmapped column of counts to a casualty figure: one whose
// header names a measure ("Total_Died looks like a death count"), or, in a sheet that counts
// the dead, numbers beside them (deaths of one group: "Taliban").
func suggestColumn(header string, vals []string, hasKilled bool) (Field, string) {
	if header == "" || len(vals) == 0 {
		return "", ""
	}
	n := 0
	for _, v := range vals {
		if _, err := ParseCount(v); err == nil || isSentinel(v) {
			n++
		}
	}
	if n*10 < len(vals)*8 || isSequence(vals) {
		return "", ""
	}
	m := readMeaning(header)
	if m.datePart != "" || m.weekday || m.events || m.admin != "" {
		return "", ""
	}
	measure := m.measure
	if measure == "victims" {
		measure = data.MeasureKilled
	}
	category := m.category
	if category == "" {
		category = header
	}
	switch {
	case measure != "" && m.category == "" && !(measure == data.MeasureKilled && hasKilled):
		return Field(measure), fmt.Sprintf("%s looks like a %s count: add to %s", header, measureNoun(measure), measure)
	case measure != "":
		return categoryField(measure, category, ""), fmt.Sprintf("%s looks like a %s count: add to %s", header, measureNoun(measure), measure)
	case hasKilled:
		return categoryField(data.MeasureKilled, category, ""), fmt.Sprintf("%s holds numbers beside the death counts: add to killed as the category %q", header, category)
	}
	return "", ""
}

func measureNoun(measure string) string {
	switch measure {
	case data.MeasureInjured:
		return "injured"
	case data.MeasureMissing:
		return "missing"
	case data.MeasureSurvivors:
		return "survivors"
	}
	return "death"
}
