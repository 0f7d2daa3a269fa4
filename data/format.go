package data

import (
	"fmt"
	"strconv"
)

// Thousands formats n with comma thousands separators: 1,000,000 and -12,345. The app and
// the command line both write figures this way.
func Thousands(n int) string {
	s := strconv.Itoa(n)
	neg := len(s) > 0 && s[0] == '-'
	if neg {
		s = s[1:]
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if neg {
		s = "-" + s
	}
	return s
}

// ByteSize formats a size in bytes for people: "12 bytes", "812 KB", "3.4 MB", "2.0 GB" (KB
// whole, rounded down). The app and the command line both write file sizes this way.
func ByteSize(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// SignedChange formats the change of a range: "+4", "-1", "0", "+4/+5".
func SignedChange(lo, hi int) string {
	f := func(n int) string {
		if n > 0 {
			return "+" + Thousands(n)
		}
		return Thousands(n)
	}
	if lo == hi {
		return f(lo)
	}
	return f(lo) + "/" + f(hi)
}

// Plural formats n with its noun, the noun taking an "s" unless n is 1: "1 row",
// "1,204 rows". The app, the command line and the import audit write counts this way.
func Plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return Thousands(n) + " " + noun + "s"
}
