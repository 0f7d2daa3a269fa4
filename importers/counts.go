package importers

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"sitrep/data"
)

// CountValue is a parsed count cell, with a note when words or approximations were read
// ("dozens" read as at least 24).
type CountValue struct {
	Count data.Count
	Note  string
}

var errNotCount = errors.New("not a number, a range or a known word")

// MaxCount is the largest figure a count cell may hold. Larger figures (and NaN, infinities,
// huge exponents) are a problem for the cell, never stored: sums of a million records stay far
// from overflowing.
const MaxCount = 1_000_000_000

// Errors for cells that read as a number but not as a count; the audit shows their text.
var (
	errNegativeCount   = errors.New("a negative number: counts are 0 or more")
	errFractionalCount = errors.New("a fractional number: counts are whole numbers")
	errHugeCount       = fmt.Errorf("too large for a count (the most is %d)", MaxCount)
	errNaNCount        = errors.New("NaN is not a number: leave the cell blank or write unknown")
)

// unknownWords read as a wholly unknown count (not 0).
var unknownWords = map[string]bool{
	"": true, "-": true, "–": true, "—": true, "?": true, "??": true, "unknown": true, "unkn": true, "unk": true,
	"n/a": true, "na": true, "n.a.": true, "n.a": true, "not known": true, "not reported": true, "no data": true,
	"nd": true, "tbc": true, "tbd": true, "unclear": true, "unconfirmed": true, "x": true, "..": true, "...": true,
}

// numberWords read as exact figures.
var numberWords = map[string]int{
	"zero": 0, "none": 0, "nil": 0, "no": 0, "nobody": 0, "one": 1, "a": 1, "an": 1, "single": 1, "two": 2,
	"three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11,
	"twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
	"eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "hundred": 100,
	"a dozen": 12, "dozen": 12, "one dozen": 12, "a score": 20, "a hundred": 100, "one hundred": 100,
	"a couple": 2, "couple": 2, "a pair": 2,
}

// vagueWords read as "at least N": a plural unit is at least two of it (dozens 24, scores 40,
// hundreds 200, thousands 2000); a vague quantity is at least the least it can mean (a few,
// some, many, multiple, numerous: 2; several, a handful: 3).
var vagueWords = map[string]int{
	"dozens": 24, "scores": 40, "hundreds": 200, "thousands": 2000,
	"few": 2, "a few": 2, "some": 2, "many": 2, "multiple": 2, "numerous": 2, "various": 2,
	"several": 3, "a handful": 3, "handful": 3,
}

// ParseCount reads a count cell: "3", " 1,234 ", "3.0", "2-4", "2 to 4", "between 2 and 4",
// "10+", "at least 10", "more than 70" (71), "over 5" (6), "up to 5", "about 10", "dozens",
// "several", "unknown", "-", blank. Blank and unknown markers give data.Unknown, never 0.
func ParseCount(s string) (CountValue, error) {
	s = strings.TrimSpace(s)
	// Fast path: plain digits.
	if n, ok := atoiFast(s); ok {
		return CountValue{Count: data.Exactly(n)}, nil
	}
	if s != "" && s[0] == '#' {
		return CountValue{}, fmt.Errorf("Excel error value %s", s)
	}
	low := strings.ToLower(collapseSpaces(s))
	if unknownWords[low] {
		return CountValue{}, nil
	}
	if n, ok := parseNumber(low); ok {
		return CountValue{Count: data.Exactly(n)}, nil
	}
	// Strip a trailing unit word ("11 killed", "3 people").
	for _, w := range []string{" people", " persons", " killed", " dead", " deaths", " boats", " vessels", " strikes", " of them"} {
		low = strings.TrimSuffix(low, w)
	}
	if n, ok := parseNumber(low); ok {
		return CountValue{Count: data.Exactly(n)}, nil
	}
	// Open ranges.
	type prefix struct {
		p    string
		kind int // 0 at least, 1 more than, 2 at most, 3 fewer than, 4 about
	}
	for _, pr := range []prefix{{"at least", 0}, {"atleast", 0}, {"minimum of", 0}, {"minimum", 0}, {"min.", 0}, {"min", 0}, {">=", 0}, {"≥", 0},
		{"more than", 1}, {"over", 1}, {"above", 1}, {"in excess of", 1}, {">", 1},
		{"up to", 2}, {"at most", 2}, {"as many as", 2}, {"maximum of", 2}, {"maximum", 2}, {"max", 2}, {"<=", 2}, {"≤", 2},
		{"fewer than", 3}, {"less than", 3}, {"under", 3}, {"<", 3},
		{"about", 4}, {"approximately", 4}, {"approx.", 4}, {"approx", 4}, {"around", 4}, {"roughly", 4}, {"some", 4},
		{"circa", 4}, {"c.", 4}, {"ca.", 4}, {"~", 4}, {"nearly", 4}, {"almost", 4}, {"estimated", 4}} {
		rest, ok := strings.CutPrefix(low, pr.p)
		if !ok || rest == low {
			continue
		}
		rest = strings.TrimSpace(rest)
		if rest == "" || (isLetter(pr.p[len(pr.p)-1]) && len(rest) == len(low)-len(pr.p)) {
			// "over" must be a whole word: "overall" is not "over all".
			if rest == "" {
				continue
			}
		}
		inner, err := ParseCount(rest)
		if err != nil || !inner.Count.MinKnown {
			continue
		}
		n := inner.Count.Min
		note := inner.Note
		switch pr.kind {
		case 0:
			return CountValue{Count: data.AtLeast(n), Note: note}, nil
		case 1:
			return CountValue{Count: data.AtLeast(n + 1), Note: note}, nil
		case 2:
			hi := n
			if inner.Count.MaxKnown {
				hi = inner.Count.Max
			}
			return CountValue{Count: data.Count{Max: hi, MaxKnown: true}, Note: note}, nil
		case 3:
			if n == 0 {
				return CountValue{}, errNotCount
			}
			return CountValue{Count: data.Count{Max: n - 1, MaxKnown: true}, Note: note}, nil
		default:
			return CountValue{Count: inner.Count, Note: joinNote(note, fmt.Sprintf("read %q as %s", s, inner.Count))}, nil
		}
	}
	// "10+", "10 or more", "10 plus".
	for _, suf := range []string{"+", " or more", " plus", " and more", " and above", " or above"} {
		if rest, ok := strings.CutSuffix(low, suf); ok {
			if n, ok := parseNumber(strings.TrimSpace(rest)); ok {
				return CountValue{Count: data.AtLeast(n)}, nil
			}
		}
	}
	// Closed ranges: "2-4", "2–4", "2 to 4", "between 2 and 4", "2 or 3".
	r := strings.TrimPrefix(low, "between ")
	for _, sep := range []string{" and ", " to ", " or ", "–", "—", "-", "/"} {
		a, b, ok := strings.Cut(r, sep)
		if !ok {
			continue
		}
		lo, ok1 := parseNumber(strings.TrimSpace(a))
		hi, ok2 := parseNumber(strings.TrimSpace(b))
		if ok1 && ok2 {
			return CountValue{Count: data.Between(lo, hi)}, nil
		}
	}
	// Words.
	if n, ok := numberWords[low]; ok {
		return CountValue{Count: data.Exactly(n)}, nil
	}
	w := strings.TrimSuffix(low, " of")
	if n, ok := vagueWords[w]; ok {
		return CountValue{Count: data.AtLeast(n), Note: fmt.Sprintf("read %q as at least %d", s, n)}, nil
	}
	return CountValue{}, numericCountError(low)
}

// numericCountError says why a cell that reads as a number is not a count: negative,
// fractional, too large, NaN or infinite. Other text is errNotCount.
func numericCountError(s string) error {
	s = strings.ReplaceAll(s, ",", "")
	f, err := strconv.ParseFloat(s, 64)
	var ne *strconv.NumError
	switch {
	case err != nil && errors.As(err, &ne) && errors.Is(ne.Err, strconv.ErrRange):
		if f < 0 {
			return errNegativeCount
		}
		return errHugeCount
	case err != nil:
		return errNotCount
	case f == 0 && strings.ContainsAny(s, "123456789"):
		return errFractionalCount // underflowed: "1e-400"
	case math.IsNaN(f):
		return errNaNCount
	case f < 0:
		return errNegativeCount
	case math.IsInf(f, 1) || f > MaxCount:
		return errHugeCount
	case f != math.Trunc(f):
		return errFractionalCount
	}
	return errNotCount
}

func joinNote(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' }

func atoiFast(s string) (int, bool) {
	if s == "" || len(s) > 9 {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// parseNumber reads a whole, non-negative number: "12", "1,234", "1 234", "3.0", "1.5e3".
func parseNumber(s string) (int, bool) {
	if n, ok := atoiFast(s); ok {
		return n, true
	}
	if s == "" {
		return 0, false
	}
	// Thousands separators: commas, spaces or NBSP between groups of three digits.
	if strings.ContainsAny(s, ", \u00a0'") {
		clean := strings.NewReplacer(",", "", " ", "", "\u00a0", "", "'", "").Replace(s)
		if groupsOfThree(s) {
			if n, ok := atoiFast(clean); ok {
				return n, true
			}
		}
		return 0, false
	}
	if s[0] == '-' || s[0] == '+' {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	// NaN compares false with everything: test it first, or int(NaN) becomes MinInt64.
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || f < 0 || f > MaxCount {
		return 0, false
	}
	if f == 0 && strings.ContainsAny(s, "123456789") {
		return 0, false // "1e-400" underflows to 0 without an error; it is no whole number
	}
	n := int(f + 0.5)
	if d := f - float64(n); d > 1e-6 || d < -1e-6 {
		return 0, false
	}
	return n, true
}

// groupsOfThree reports whether s is digits grouped in threes by one kind of separator.
func groupsOfThree(s string) bool {
	groups := strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\u00a0' || r == '\'' })
	if len(groups) < 2 || len(groups[0]) > 3 || len(groups[0]) == 0 {
		return false
	}
	for _, g := range groups[1:] {
		if len(g) != 3 {
			return false
		}
	}
	return true
}

func collapseSpaces(s string) string {
	if !strings.Contains(s, "  ") && !strings.ContainsAny(s, "\t\n\r") {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}
