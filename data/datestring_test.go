package data

import (
	"fmt"
	"testing"
	"time"
)

// sprintfDate is Date.String as it was written with fmt: the fast path must give the same text.
func sprintfDate(d Date) string {
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

func TestDateStringMatchesFmt(t *testing.T) {
	tests := []struct {
		d    Date
		want string
	}{
		{Date{2025, time.September, 2, PrecisionDay}, "2025-09-02"},
		{Date{2025, time.December, 31, PrecisionDay}, "2025-12-31"},
		{Date{2025, time.September, 0, PrecisionMonth}, "2025-09"},
		{Date{2025, 0, 0, PrecisionYear}, "2025"},
		{Date{7, time.January, 1, PrecisionDay}, "0007-01-01"},
		{Date{0, 0, 0, PrecisionDay}, "0000-00-00"},
		{Date{9999, time.December, 31, PrecisionDay}, "9999-12-31"},
		{Date{10000, time.January, 1, PrecisionDay}, "10000-01-01"},
		{Date{-5, time.January, 1, PrecisionDay}, "-005-01-01"},
		{Date{2025, 100, 1, PrecisionMonth}, "2025-100"},
		{Date{2025, time.March, 123, PrecisionDay}, "2025-03-123"},
		{Date{2025, time.March, 3, 0}, ""},
		{Date{}, ""},
	}
	for _, tt := range tests {
		if got := tt.d.String(); got != tt.want {
			t.Errorf("%#v.String() = %q, want %q", tt.d, got, tt.want)
		}
		if got, want := tt.d.String(), sprintfDate(tt.d); got != want {
			t.Errorf("%#v.String() = %q, fmt gives %q", tt.d, got, want)
		}
	}
	// Every day of a few centuries, at each precision.
	for day := time.Date(1850, 1, 1, 0, 0, 0, 0, time.UTC); day.Year() < 2150; day = day.AddDate(0, 0, 3) {
		for _, p := range []Precision{PrecisionDay, PrecisionMonth, PrecisionYear} {
			d := Date{day.Year(), day.Month(), day.Day(), p}
			if got, want := d.String(), sprintfDate(d); got != want {
				t.Fatalf("%#v.String() = %q, fmt gives %q", d, got, want)
			}
		}
	}
}
