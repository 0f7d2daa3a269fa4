package data

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Precision says how much of a Date is known.
type Precision uint8

// The precisions a Date can have. PrecisionNone marks the zero Date: no date at all.
const (
	PrecisionNone Precision = iota
	PrecisionYear
	PrecisionMonth
	PrecisionDay
)

// String names the precision in plain words.
func (p Precision) String() string {
	switch p {
	case PrecisionYear:
		return "year"
	case PrecisionMonth:
		return "month"
	case PrecisionDay:
		return "day"
	default:
		return "none"
	}
}

// Date is a civil date with no time zone, known to the day, the month or the year.
// The zero Date is "no date". Month and Day are 1 when the precision does not reach them.
type Date struct {
	Year      int
	Month     time.Month
	Day       int
	Precision Precision
}

// ErrBadDate is returned by ParseDate for text that is not an ISO date.
var ErrBadDate = errors.New("not a date")

// Day returns a date known to the day. It does not normalise: callers pass a valid date.
func Day(year int, month time.Month, day int) Date {
	return Date{Year: year, Month: month, Day: day, Precision: PrecisionDay}
}

// MonthOf returns a date known only to the month.
func MonthOf(year int, month time.Month) Date {
	return Date{Year: year, Month: month, Day: 1, Precision: PrecisionMonth}
}

// YearOf returns a date known only to the year.
func YearOf(year int) Date {
	return Date{Year: year, Month: time.January, Day: 1, Precision: PrecisionYear}
}

// DateOf returns the civil day of t (in t's own location).
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Day(y, m, d)
}

// IsZero reports whether d is the zero Date (no date).
func (d Date) IsZero() bool { return d.Precision == PrecisionNone }

// Time returns midnight UTC on the first day d covers.
func (d Date) Time() time.Time {
	if d.IsZero() {
		return time.Time{}
	}
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC)
}

// DayNumber returns the number of days from 1970-01-01 to the first day d covers.
// The zero Date has day number math.MinInt32 so that it sorts first.
func (d Date) DayNumber() int {
	if d.IsZero() {
		return minDayNumber
	}
	return int(d.Time().Unix() / 86400)
}

// LastDayNumber returns the day number of the last day d covers: the date itself for a day,
// the last of the month for a month, 31 December for a year.
func (d Date) LastDayNumber() int {
	switch d.Precision {
	case PrecisionMonth:
		return int(d.Time().AddDate(0, 1, -1).Unix() / 86400)
	case PrecisionYear:
		return int(d.Time().AddDate(1, 0, -1).Unix() / 86400)
	default:
		return d.DayNumber()
	}
}

const minDayNumber = -1 << 31

// DateFromDayNumber is the inverse of DayNumber for a day-precision date.
func DateFromDayNumber(n int) Date {
	return DateOf(time.Unix(int64(n)*86400, 0).UTC())
}

// Compare orders dates by their first day, then by precision (a month sorts before its days).
// It returns -1, 0 or +1.
func (d Date) Compare(o Date) int {
	a, b := d.DayNumber(), o.DayNumber()
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	case d.Precision < o.Precision:
		return -1
	case d.Precision > o.Precision:
		return 1
	}
	return 0
}

// Before reports whether d sorts before o.
func (d Date) Before(o Date) bool { return d.Compare(o) < 0 }

// String formats d as ISO 8601 at its precision: 2025-09-02, 2025-09 or 2025; "" for no date.
func (d Date) String() string {
	if d.Year >= 0 && d.Year <= 9999 && d.Month >= 0 && d.Month <= 99 && d.Day >= 0 && d.Day <= 99 {
		// The common case without fmt (this runs for every row of an import): the same text.
		var b [10]byte
		y := d.Year
		b[0], b[1], b[2], b[3] = byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10)
		b[4] = '-'
		b[5], b[6] = byte('0'+int(d.Month)/10), byte('0'+int(d.Month)%10)
		b[7] = '-'
		b[8], b[9] = byte('0'+d.Day/10), byte('0'+d.Day%10)
		switch d.Precision {
		case PrecisionDay:
			return string(b[:10])
		case PrecisionMonth:
			return string(b[:7])
		case PrecisionYear:
			return string(b[:4])
		}
		return ""
	}
	switch d.Precision {
	case PrecisionDay:
		return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
	case PrecisionMonth:
		return fmt.Sprintf("%04d-%02d", d.Year, int(d.Month))
	case PrecisionYear:
		return fmt.Sprintf("%04d", d.Year)
	}
	return ""
}

// Label formats d for people: "2 Sep 2025", "Sep 2025" or "2025".
func (d Date) Label() string {
	switch d.Precision {
	case PrecisionDay:
		return fmt.Sprintf("%d %s %d", d.Day, d.Month.String()[:3], d.Year)
	case PrecisionMonth:
		return fmt.Sprintf("%s %d", d.Month.String()[:3], d.Year)
	case PrecisionYear:
		return strconv.Itoa(d.Year)
	}
	return "no date"
}

// ParseDate reads an ISO date at day, month or year precision: "2025-09-02", "2025-09", "2025".
// A time part after the day ("2025-09-02T10:00:00Z" or "2025-09-02 10:00") is accepted and
// dropped. The empty string gives the zero Date and no error.
func ParseDate(s string) (Date, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Date{}, nil
	}
	if i := strings.IndexAny(s, "T "); i == 10 {
		s = s[:10]
	}
	parts := strings.Split(s, "-")
	bad := fmt.Errorf("%q: %w (want YYYY-MM-DD, YYYY-MM or YYYY)", s, ErrBadDate)
	if len(parts) > 3 || len(parts[0]) != 4 {
		return Date{}, bad
	}
	nums := make([]int, len(parts))
	for i, p := range parts {
		if i > 0 && len(p) != 2 {
			return Date{}, bad
		}
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 {
			return Date{}, bad
		}
		nums[i] = n
	}
	switch len(nums) {
	case 1:
		return YearOf(nums[0]), nil
	case 2:
		if nums[1] < 1 || nums[1] > 12 {
			return Date{}, bad
		}
		return MonthOf(nums[0], time.Month(nums[1])), nil
	}
	d := Day(nums[0], time.Month(nums[1]), nums[2])
	if !d.Valid() {
		return Date{}, bad
	}
	return d, nil
}

// MustDate is ParseDate for literals in code and tests; it panics on bad input.
func MustDate(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// Valid reports whether d names a real calendar day (or month, or year) between years 1 and 9999.
func (d Date) Valid() bool {
	if d.IsZero() {
		return true
	}
	if d.Year < 1 || d.Year > 9999 || d.Month < 1 || d.Month > 12 || d.Day < 1 {
		return false
	}
	t := d.Time()
	return t.Day() == d.Day && t.Month() == d.Month
}

// MarshalJSON writes the ISO form, or null for no date.
func (d Date) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("null"), nil
	}
	return json.Marshal(d.String())
}

// UnmarshalJSON reads the ISO form or null.
func (d *Date) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*d = Date{}
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	v, err := ParseDate(s)
	if err != nil {
		return err
	}
	*d = v
	return nil
}
