package charts

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"sitrep/data"
)

// DemoNote is the line every chart of the demo data carries.
const DemoNote = "Demo data — reconstructed from press reports, unverified"

// Caption is the note under a chart: what it shows, how it counts, which dates, where the
// numbers come from, and whether it is demo data. Reuse it for any new chart.
type Caption struct {
	// Filter is the filter in words (data.Filter.Describe); "" means everything.
	Filter string
	// Rule is the counting rule in words.
	Rule string
	// DateRange is the data's date range in words ("2 Sep 2025 to 10 Nov 2025").
	DateRange string
	// Notes are further facts a reader needs ("2 incidents with no known toll are not
	// counted").
	Notes []string
	// Sources lists where the records shown come from, most records first.
	Sources *SourceList
	// Made is the day the chart was made (the as-of date of a briefing); zero leaves it out.
	Made data.Date
	// Demo marks demo data.
	Demo bool
}

// Lines returns the caption as sentences, one per line before wrapping: the description,
// the sources, then the demo note.
func (c Caption) Lines() []string {
	var first []string
	if c.Filter != "" {
		first = append(first, "Selection: "+c.Filter+".")
	} else {
		first = append(first, "Selection: all records.")
	}
	if c.DateRange != "" {
		first = append(first, "Data: "+c.DateRange+".")
	}
	if c.Rule != "" {
		first = append(first, sentence(c.Rule))
	}
	for _, n := range c.Notes {
		first = append(first, sentence(n))
	}
	if !c.Made.IsZero() {
		first = append(first, "Chart made "+c.Made.Label()+".")
	}
	lines := []string{strings.Join(first, " ")}
	if s := c.Sources.String(); s != "" {
		lines = append(lines, s)
	}
	if c.Demo {
		lines = append(lines, DemoNote+".")
	}
	return lines
}

func sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" || strings.HasSuffix(s, ".") {
		return s
	}
	r, n := utf8.DecodeRuneInString(s)
	return strings.ToUpper(string(r)) + s[n:] + "."
}

// SourceList counts the sources of the records a chart shows.
type SourceList struct {
	counts map[string]int
	order  []string
	// Partial, when set, says the list covers only part of the records ("the first 20,000
	// of 1,000,000 incidents").
	Partial string
	// Max is how many sources String names before "and N more"; 0 is 4.
	Max int
}

// Add counts one record from source s (blank sources are counted as "no source given").
func (l *SourceList) Add(s string) { l.AddN(s, 1) }

// AddN counts n records from source s.
func (l *SourceList) AddN(s string, n int) {
	s = strings.Join(strings.Fields(s), " ")
	if s == "" {
		s = "no source given"
	}
	if l.counts == nil {
		l.counts = map[string]int{}
	}
	if _, ok := l.counts[s]; !ok {
		l.order = append(l.order, s)
	}
	l.counts[s] += n
}

// Len returns the number of distinct sources.
func (l *SourceList) Len() int {
	if l == nil {
		return 0
	}
	return len(l.order)
}

// Sorted returns the sources, most records first (ties in order of first appearance).
func (l *SourceList) Sorted() []string {
	if l == nil {
		return nil
	}
	out := slices.Clone(l.order)
	slices.SortStableFunc(out, func(a, b string) int { return cmp.Compare(l.counts[b], l.counts[a]) })
	return out
}

// String formats the list for a caption: "Sources: A (14 records); B (1 record); and 2
// more." with each name shortened.
func (l *SourceList) String() string {
	if l.Len() == 0 {
		return ""
	}
	max := l.Max
	if max <= 0 {
		max = 4
	}
	srcs := l.Sorted()
	names := shortNames(srcs[:min(len(srcs), max)], 60)
	var parts []string
	for i, s := range srcs {
		if i == max {
			parts = append(parts, fmt.Sprintf("and %s more", FormatInt(len(srcs)-max)))
			break
		}
		n := l.counts[s]
		unit := "records"
		if n == 1 {
			unit = "record"
		}
		parts = append(parts, fmt.Sprintf("%s (%s %s)", names[i], FormatInt(n), unit))
	}
	head := "Sources"
	if l.Partial != "" {
		head += " (" + l.Partial + ")"
	}
	return head + ": " + strings.Join(parts, "; ") + "."
}

// shortNames shortens each source to at most max characters so that different sources stay
// different: a web address, or a name whose shortened form would equal another's, keeps its
// beginning and its end ("https://www.defense.gov/News/…/article/4312345"), where the two
// addresses of one site differ.
func shortNames(srcs []string, max int) []string {
	out := make([]string, len(srcs))
	seen := map[string]int{}
	for i, s := range srcs {
		if strings.Contains(s, "://") {
			out[i] = ShortenMiddle(s, max)
		} else {
			out[i] = Shorten(s, max)
		}
		seen[out[i]]++
	}
	for i, s := range srcs {
		if seen[out[i]] > 1 {
			out[i] = ShortenMiddle(s, max)
		}
	}
	return out
}

// ShortenMiddle cuts s to at most max characters by taking out its middle, keeping more of
// the end than of the beginning: "https://www.defense.gov/…/Article/4312345/".
func ShortenMiddle(s string, max int) string {
	s = strings.Join(strings.Fields(s), " ")
	r := []rune(s)
	if len(r) <= max || max < 5 {
		return s
	}
	head := (max - 1) * 2 / 5
	tail := max - 1 - head
	return string(r[:head]) + "…" + string(r[len(r)-tail:])
}

// Shorten cuts s to at most max characters at a word boundary, ending it with "…".
func Shorten(s string, max int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	r := []rune(s)[:max-1]
	cut := string(r)
	if i := strings.LastIndexByte(cut, ' '); i > max/2 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,;:") + "…"
}
