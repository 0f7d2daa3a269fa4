package importers

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"sitrep/data"
)

// DateOrder says how numeric dates such as 05/06/2018 are read.
type DateOrder int

// The date orders. DateOrderAuto infers the order per column from its values.
const (
	DateOrderAuto DateOrder = iota
	DateOrderDayFirst
	DateOrderMonthFirst
)

// String names the order: "auto", "day-first" or "month-first".
func (o DateOrder) String() string {
	switch o {
	case DateOrderDayFirst:
		return "day-first"
	case DateOrderMonthFirst:
		return "month-first"
	}
	return "auto"
}

// MarshalText writes the String form.
func (o DateOrder) MarshalText() ([]byte, error) { return []byte(o.String()), nil }

// ErrAmbiguousDate is returned for a numeric date whose day and month could be swapped
// (05/06/2018) when no order is given.
var ErrAmbiguousDate = errors.New("day and month could be either way round")

var errNotDate = errors.New("not a date")

// DateValue is a parsed date cell: a date or a range, and what it says about day/month order.
type DateValue struct {
	Start, End data.Date
	// Vote is +1 when the value shows the day comes first (14/03/2020), -1 when it shows the
	// month comes first (03/14/2020), 0 when it shows neither.
	Vote int
	// Serial is true when the value was an Excel date serial.
	Serial bool
	// Numeric is true when the value was a numeric day/month form (05/06/2018), whose reading
	// depends on the order.
	Numeric bool
}

// ParseDateCell reads a date cell as excelize returns it raw: an Excel serial (with the
// workbook's 1904 flag), an ISO date with or without time and zone, or text such as
// "9-Aug-22", "March 15–17, 2020", "May 29–June 3, 2018", "March 2020", "2020", "05/06/2018".
// A numeric date whose day and month could be swapped returns ErrAmbiguousDate under
// DateOrderAuto. An empty cell gives the zero value and no error.
func ParseDateCell(s string, order DateOrder, date1904 bool) (DateValue, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return DateValue{}, nil
	}
	if s[0] == '#' {
		return DateValue{}, fmt.Errorf("Excel error value %s", s)
	}
	if isPlainNumber(s) {
		return parseSerial(s, date1904)
	}
	if d, ok := parseISO(s); ok {
		return DateValue{Start: d}, nil
	}
	return parseTextDate(s, order)
}

func isPlainNumber(s string) bool {
	dot := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
		case c == '.' && !dot && i > 0:
			dot = true
		case (c == 'E' || c == 'e') && i > 0:
			return isExp(s[i+1:])
		default:
			return false
		}
	}
	return true
}

func isExp(s string) bool {
	if s != "" && (s[0] == '+' || s[0] == '-') {
		s = s[1:]
	}
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// parseSerial reads a number in a date column: a 4-digit integer from 1000 to 2200 is a year,
// anything else an Excel serial.
func parseSerial(s string, date1904 bool) (DateValue, error) {
	if len(s) == 4 && !strings.ContainsAny(s, ".eE") {
		y, _ := strconv.Atoi(s)
		if y >= 1000 && y <= 2200 {
			return DateValue{Start: data.YearOf(y)}, nil
		}
		if y > 2200 {
			// Four digits are a year someone typed, not a day of 1908-1927 as a serial.
			return DateValue{}, fmt.Errorf("%s is not a date: as a year it is beyond 2200, and it was not read as an Excel serial (that would be a day in %d)", s, serialYear(y, date1904))
		}
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || v < 1 || v > 2958465 {
		return DateValue{}, fmt.Errorf("number %s is not an Excel date", s)
	}
	t, err := excelize.ExcelDateToTime(v, date1904)
	if err != nil {
		return DateValue{}, fmt.Errorf("number %s is not an Excel date", s)
	}
	return DateValue{Start: data.DateOf(t), Serial: true}, nil
}

// serialYear is the year of Excel serial v, for messages.
func serialYear(v int, date1904 bool) int {
	t, err := excelize.ExcelDateToTime(float64(v), date1904)
	if err != nil {
		return 0
	}
	return t.Year()
}

// parseISO reads YYYY-MM-DD, YYYY-MM and YYYY-MM-DD with a time ("T10:10:10", " 10:00",
// zone or not), and YYYY/MM/DD. The date is taken as written: a zone does not move it.
func parseISO(s string) (data.Date, bool) {
	if len(s) < 7 || !isDigits(s[:4]) || (s[4] != '-' && s[4] != '/') {
		return data.Date{}, false
	}
	sep := s[4]
	if len(s) == 7 && isDigits(s[5:7]) {
		m, _ := strconv.Atoi(s[5:7])
		y, _ := strconv.Atoi(s[:4])
		if d := data.MonthOf(y, time.Month(m)); m >= 1 && m <= 12 && d.Valid() {
			return d, true
		}
		return data.Date{}, false
	}
	if len(s) < 10 || !isDigits(s[5:7]) || s[7] != sep || !isDigits(s[8:10]) {
		return data.Date{}, false
	}
	if len(s) > 10 && s[10] != 'T' && s[10] != ' ' {
		return data.Date{}, false
	}
	y, _ := strconv.Atoi(s[:4])
	m, _ := strconv.Atoi(s[5:7])
	d, _ := strconv.Atoi(s[8:10])
	dt := data.Day(y, time.Month(m), d)
	if !dt.Valid() {
		return data.Date{}, false
	}
	return dt, true
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

type tokKind uint8

const (
	tNum tokKind = iota + 1
	tMonth
	tDash  // '-': a separator or a range
	tRange // en dash, em dash, "to", "until": a range
	tSlash
	tDot
	tComma
)

type dtok struct {
	kind   tokKind
	val    int
	digits int
}

var monthNames = map[string]int{
	"jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4,
	"may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9,
	"september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
	// French, Spanish, German and Danish spellings that differ.
	"janvier": 1, "février": 2, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7,
	"août": 8, "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11, "décembre": 12, "decembre": 12,
	"enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7, "agosto": 8,
	"septiembre": 9, "octubre": 10, "noviembre": 11, "diciembre": 12,
	"januar": 1, "februar": 2, "märz": 3, "maerz": 3, "juni": 6, "juli": 7, "oktober": 10, "dezember": 12,
	"marts": 3, "maj": 5,
}

var skipWords = map[string]bool{"of": true, "the": true, "on": true, "st": true, "nd": true, "rd": true, "th": true,
	"mon": true, "monday": true, "tue": true, "tues": true, "tuesday": true, "wed": true, "wednesday": true,
	"thu": true, "thur": true, "thurs": true, "thursday": true, "fri": true, "friday": true, "sat": true,
	"saturday": true, "sun": true, "sunday": true}

// tokenizeDate splits a text date into tokens; a time of day ("10:30") ends it.
func tokenizeDate(s string) ([]dtok, error) {
	toks := make([]dtok, 0, 8)
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			j, v := i, 0
			for j < len(s) && s[j] >= '0' && s[j] <= '9' {
				if j-i < 9 {
					v = v*10 + int(s[j]-'0')
				}
				j++
			}
			if j < len(s) && s[j] == ':' { // a time: stop here
				return toks, nil
			}
			toks = append(toks, dtok{kind: tNum, val: v, digits: j - i})
			i = j
		case c == '-':
			toks = append(toks, dtok{kind: tDash})
			i++
		case c == '/':
			toks = append(toks, dtok{kind: tSlash})
			i++
		case c == '.':
			toks = append(toks, dtok{kind: tDot})
			i++
		case c == ',':
			toks = append(toks, dtok{kind: tComma})
			i++
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case strings.HasPrefix(s[i:], "–") || strings.HasPrefix(s[i:], "—") || strings.HasPrefix(s[i:], "‒"):
			toks = append(toks, dtok{kind: tRange})
			i += 3
		case strings.HasPrefix(s[i:], "\u00a0"):
			i += 2
		default:
			j := i
			for j < len(s) && !strings.ContainsRune(" \t\n\r,./-0123456789", rune(s[j])) && !strings.HasPrefix(s[j:], "–") && !strings.HasPrefix(s[j:], "—") {
				j++
			}
			if j == i {
				return nil, errNotDate
			}
			w := strings.ToLower(s[i:j])
			i = j
			switch {
			case w == "to" || w == "until" || w == "till" || w == "through" || w == "thru":
				toks = append(toks, dtok{kind: tRange})
			case w == "t" || w == "z":
				return toks, nil
			case skipWords[w]:
			default:
				if m, ok := monthNames[w]; ok {
					toks = append(toks, dtok{kind: tMonth, val: m})
				} else {
					return nil, errNotDate
				}
			}
		}
	}
	return toks, nil
}

// datePart is one side of a (possibly ranged) text date.
type datePart struct {
	y, m, d    int
	numericAmb bool // a/b/y form: m and d hold the first and second numbers, not yet ordered
	twoDigitY  bool
}

func year2(v, digits int) int {
	if digits <= 2 {
		// Excel's rule: 00-29 are 2000-2029, 30-99 are 1930-1999.
		if v < 30 {
			return 2000 + v
		}
		return 1900 + v
	}
	return v
}

func isSep(t dtok) bool { return t.kind == tDash || t.kind == tSlash || t.kind == tDot }

// parsePart reads one date part at toks[i:] and returns it and the index after it.
func parsePart(toks []dtok, i int) (datePart, int, bool) {
	at := func(k int) dtok {
		if k < len(toks) {
			return toks[k]
		}
		return dtok{}
	}
	num := func(k, minD, maxD int) bool {
		t := at(k)
		return t.kind == tNum && t.digits >= minD && t.digits <= maxD
	}
	// skipSep returns k advanced over one optional separator (comma included).
	skipSep := func(k int) int {
		if t := at(k); isSep(t) || t.kind == tComma {
			return k + 1
		}
		return k
	}
	t0 := at(i)
	switch t0.kind {
	case tNum:
		// YYYY sep MM sep DD
		if t0.digits == 4 && isSep(at(i+1)) && num(i+2, 1, 2) && at(i+3).kind == at(i+1).kind && num(i+4, 1, 2) {
			return datePart{y: t0.val, m: at(i + 2).val, d: at(i + 4).val}, i + 5, true
		}
		// a sep b sep YY(YY)
		if t0.digits <= 2 && isSep(at(i+1)) && num(i+2, 1, 2) && at(i+3).kind == at(i+1).kind && (num(i+4, 2, 2) || num(i+4, 4, 4)) {
			return datePart{y: year2(at(i+4).val, at(i+4).digits), m: t0.val, d: at(i + 2).val, numericAmb: true}, i + 5, true
		}
		if t0.digits <= 2 {
			// d [sep] Mon [sep] YY(YY)
			k := skipSep(i + 1)
			if at(k).kind == tMonth {
				mon := at(k).val
				k2 := skipSep(k + 1)
				if num(k2, 2, 2) || num(k2, 4, 4) {
					return datePart{y: year2(at(k2).val, at(k2).digits), m: mon, d: t0.val}, k2 + 1, true
				}
				return datePart{m: mon, d: t0.val}, k + 1, true
			}
			// MM sep YYYY
			if isSep(at(i+1)) && at(i+1).kind != tDash && num(i+2, 4, 4) {
				return datePart{y: at(i + 2).val, m: t0.val}, i + 3, true
			}
			if at(i+1).kind == tDash && num(i+2, 4, 4) && at(i+3).kind != tDash && at(i+3).kind != tMonth {
				return datePart{y: at(i + 2).val, m: t0.val}, i + 3, true
			}
			// d, YYYY (the end of "March 15–17, 2020")
			if at(i+1).kind == tComma && num(i+2, 4, 4) {
				return datePart{y: at(i + 2).val, d: t0.val}, i + 3, true
			}
			if num(i+1, 4, 4) {
				return datePart{y: at(i + 1).val, d: t0.val}, i + 2, true
			}
			return datePart{d: t0.val}, i + 1, true
		}
		if t0.digits == 4 {
			// YYYY sep MM
			if isSep(at(i+1)) && num(i+2, 1, 2) && !(at(i+3).kind == tMonth) {
				return datePart{y: t0.val, m: at(i + 2).val}, i + 3, true
			}
			// YYYY Mon d (rare)
			if at(skipSep(i+1)).kind == tMonth {
				k := skipSep(i + 1)
				mon := at(k).val
				k2 := skipSep(k + 1)
				if num(k2, 1, 2) {
					return datePart{y: t0.val, m: mon, d: at(k2).val}, k2 + 1, true
				}
				return datePart{y: t0.val, m: mon}, k + 1, true
			}
			return datePart{y: t0.val}, i + 1, true
		}
	case tMonth:
		k := skipSep(i + 1)
		// Mon d, YYYY
		if num(k, 1, 2) {
			d := at(k).val
			k2 := skipSep(k + 1)
			if num(k2, 4, 4) {
				return datePart{y: at(k2).val, m: t0.val, d: d}, k2 + 1, true
			}
			return datePart{m: t0.val, d: d}, k + 1, true
		}
		// Mon YYYY
		if num(k, 4, 4) {
			return datePart{y: at(k).val, m: t0.val}, k + 1, true
		}
		return datePart{m: t0.val}, i + 1, true
	}
	return datePart{}, i, false
}

// parseTextDate reads a text date or range.
func parseTextDate(s string, order DateOrder) (DateValue, error) {
	if strings.IndexByte(s, ':') > 0 {
		s = stripClockTime(s)
	}
	toks, err := tokenizeDate(s)
	if err != nil || len(toks) == 0 {
		return DateValue{}, errNotDate
	}
	first := 0
	for first < len(toks) && (toks[first].kind == tComma || toks[first].kind == tDot) {
		first++
	}
	p1, i, ok := parsePart(toks, first)
	if !ok {
		return DateValue{}, errNotDate
	}
	var p2 datePart
	hasEnd := false
	if i < len(toks) && (toks[i].kind == tRange || toks[i].kind == tDash) {
		p2, i, ok = parsePart(toks, i+1)
		if !ok {
			return DateValue{}, errNotDate
		}
		hasEnd = true
	}
	for i < len(toks) && (toks[i].kind == tComma || toks[i].kind == tDot) {
		i++
	}
	if i != len(toks) {
		return DateValue{}, errNotDate
	}
	var v DateValue
	// Resolve numeric day/month order.
	vote := 0
	for _, p := range []*datePart{&p1, &p2} {
		if !p.numericAmb {
			continue
		}
		a, b := p.m, p.d
		switch {
		case a > 12 && b <= 12:
			vote = 1
		case b > 12 && a <= 12:
			vote = -1
		}
	}
	v.Vote = vote
	v.Numeric = p1.numericAmb || p2.numericAmb
	for _, p := range []*datePart{&p1, &p2} {
		if !p.numericAmb {
			continue
		}
		a, b := p.m, p.d
		switch order {
		case DateOrderDayFirst:
			p.d, p.m = a, b
		case DateOrderMonthFirst:
			p.m, p.d = a, b
		default:
			switch {
			case a == b:
				p.m, p.d = a, b
			case a > 12 && b <= 12:
				p.d, p.m = a, b
			case b > 12 && a <= 12:
				p.m, p.d = a, b
			case a > 12 && b > 12:
				return v, fmt.Errorf("neither %d nor %d can be a month", a, b)
			default:
				return v, ErrAmbiguousDate
			}
		}
	}
	if hasEnd {
		// Share what one side leaves out: "March 15–17, 2020", "15–17 March 2020".
		if p1.y == 0 {
			p1.y = p2.y
		}
		if p1.m == 0 {
			p1.m = p2.m
		}
		if p2.m == 0 && p2.d != 0 {
			p2.m = p1.m
		}
		if p2.y == 0 {
			p2.y = p1.y
		}
	}
	start, err := partDate(p1)
	if err != nil {
		return v, err
	}
	v.Start = start
	if hasEnd {
		end, err := partDate(p2)
		if err != nil {
			return v, err
		}
		if end.Before(start) && start.Year == end.Year && p1.y == p2.y {
			// "Dec 30–Jan 2, 2020": the start is in the year before, when that makes a short range.
			prev := start
			prev.Year--
			if prev.Valid() && end.DayNumber()-prev.DayNumber() <= 62 {
				v.Start = prev
			}
		}
		if end.Before(v.Start) {
			return v, fmt.Errorf("the range ends (%s) before it starts (%s)", end, v.Start)
		}
		if end != v.Start {
			v.End = end
		}
	}
	return v, nil
}

func partDate(p datePart) (data.Date, error) {
	switch {
	case p.y == 0:
		return data.Date{}, errors.New("no year")
	case p.y < 1 || p.y > 9999:
		return data.Date{}, fmt.Errorf("year %d is out of range", p.y)
	case p.m == 0 && p.d != 0:
		return data.Date{}, errors.New("no month")
	case p.m == 0:
		return data.YearOf(p.y), nil
	case p.m > 12:
		return data.Date{}, fmt.Errorf("month %d does not exist", p.m)
	case p.d == 0:
		return data.MonthOf(p.y, time.Month(p.m)), nil
	}
	d := data.Day(p.y, time.Month(p.m), p.d)
	if !d.Valid() {
		return data.Date{}, fmt.Errorf("%s %d has no day %d", time.Month(p.m), p.y, p.d)
	}
	return d, nil
}

// headerDateOrder reads an order hint from a header such as "Date (MM-DD-YYYY)".
func headerDateOrder(header string) DateOrder {
	_, in := stripParens(header)
	in = strings.ToLower(strings.TrimSpace(in))
	switch {
	case strings.HasPrefix(in, "mm") || strings.HasPrefix(in, "m/") || strings.HasPrefix(in, "m-"):
		return DateOrderMonthFirst
	case strings.HasPrefix(in, "dd") || strings.HasPrefix(in, "d/") || strings.HasPrefix(in, "d-"):
		return DateOrderDayFirst
	}
	return DateOrderAuto
}

// stripClockTime removes a time of day after a date: "01/02/2022 12:00:00 AM" (a timestamp
// as spreadsheets export it), "5/8/2002 13:45". The date is kept as written.
func stripClockTime(s string) string {
	i := strings.LastIndexByte(s, ' ')
	for i > 0 {
		rest := strings.TrimSpace(s[i+1:])
		if isClock(rest) {
			return strings.TrimSpace(s[:i])
		}
		low := strings.ToLower(rest)
		if low != "am" && low != "pm" && low != "a.m." && low != "p.m." {
			return s
		}
		// "12:00:00 AM": the clock is before the AM/PM word.
		j := strings.LastIndexByte(s[:i], ' ')
		if j <= 0 || !isClock(strings.TrimSpace(s[j+1:i])) {
			return s
		}
		return strings.TrimSpace(s[:j])
	}
	return s
}

// isClock reports whether s is H:MM, HH:MM:SS or HH:MM:SS.fff.
func isClock(s string) bool {
	parts := strings.Split(s, ":")
	if len(parts) < 2 || len(parts) > 3 {
		return false
	}
	for i, p := range parts {
		if i == 2 {
			p, _, _ = strings.Cut(p, ".")
		}
		if len(p) == 0 || len(p) > 2 || !isDigits(p) {
			return false
		}
	}
	return true
}
