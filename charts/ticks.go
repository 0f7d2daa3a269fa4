package charts

import (
	"math"
	"strconv"
	"time"

	"gonum.org/v1/plot"

	"sitrep/data"
)

// FormatInt writes n with thousands separators: 1234567 -> "1,234,567".
func FormatInt(n int) string {
	s := strconv.Itoa(n)
	neg := n < 0
	if neg {
		s = s[1:]
	}
	out := make([]byte, 0, len(s)+len(s)/3+1)
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	if neg {
		return "-" + string(out)
	}
	return string(out)
}

// IntTicks marks whole numbers only, at steps of 1, 2, 2.5 or 5 times a power of ten (2.5
// only from 25 up), with at most MaxTicks labelled ticks, and labels them with thousands
// separators.
type IntTicks struct {
	MaxTicks int // 0 is 7
}

// Step returns the tick step IntTicks uses for the range [0, max].
func (t IntTicks) Step(lo, hi float64) int {
	n := t.MaxTicks
	if n <= 0 {
		n = 7
	}
	span := hi - lo
	if span <= 0 {
		return 1
	}
	for mag := 1; ; mag *= 10 {
		for _, m := range []int{2, 4, 5, 10} { // halves: 1, 2, 2.5, 5
			step := m * mag / 2
			if step*2 != m*mag || step == 0 {
				continue // 2.5 below 25
			}
			if span/float64(step) <= float64(n-1) {
				return step
			}
		}
		if mag > 1e15 {
			return mag
		}
	}
}

// Ticks implements plot.Ticker.
func (t IntTicks) Ticks(lo, hi float64) []plot.Tick {
	step := t.Step(lo, hi)
	var ticks []plot.Tick
	for v := int(math.Ceil(lo/float64(step))) * step; float64(v) <= hi+1e-9; v += step {
		ticks = append(ticks, plot.Tick{Value: float64(v), Label: FormatInt(v)})
	}
	return ticks
}

// NiceMax returns the top of a y axis for data reaching max: the first IntTicks tick at or
// above max, so the top line is labelled. It is at least 1.
func NiceMax(max float64) float64 {
	if max < 1 {
		return 1
	}
	step := float64(IntTicks{}.Step(0, max))
	return math.Ceil(max/step-1e-9) * step
}

// X positions on time axes are day numbers (data.Date.DayNumber): day n covers [n, n+1).

// DayX returns the x of the start of a date's first day.
func DayX(d data.Date) float64 { return float64(d.DayNumber()) }

// dayTime converts a day number back to midnight UTC.
func dayTime(n int) time.Time { return time.Unix(int64(n)*86400, 0).UTC() }

// TimeTicks marks time axes whose x values are day numbers, choosing a step (days, weeks,
// months, quarters, years) that gives at most MaxTicks labels, from a week to decades.
// Labels carry the year on the first tick and where the year changes. Day ticks sit in the
// middle of their day (x + 0.5); the others mark where their week, month or year starts.
type TimeTicks struct {
	MaxTicks int // 0 is 8
	// Period, when set, is the width of the bars: no step is finer than it, so monthly bars
	// get month ticks, not fortnights.
	Period data.Period
}

type timeStep struct {
	unit  byte // 'd' day, 'w' week (Mondays), 'm' month, 'y' year
	n     int
	minor *timeStep
}

var (
	stepDay     = timeStep{unit: 'd', n: 1}
	stepMonth   = timeStep{unit: 'm', n: 1}
	stepQuarter = timeStep{unit: 'm', n: 3}
	timeSteps   = []timeStep{
		{unit: 'd', n: 1},
		{unit: 'd', n: 2, minor: &stepDay},
		{unit: 'w', n: 1, minor: &stepDay},
		{unit: 'w', n: 2, minor: &stepDay},
		{unit: 'm', n: 1},
		{unit: 'm', n: 2, minor: &stepMonth},
		{unit: 'm', n: 3, minor: &stepMonth},
		{unit: 'm', n: 6, minor: &stepMonth},
		{unit: 'y', n: 1, minor: &stepQuarter},
		{unit: 'y', n: 2},
		{unit: 'y', n: 5},
		{unit: 'y', n: 10},
		{unit: 'y', n: 20},
		{unit: 'y', n: 50},
		{unit: 'y', n: 100},
	}
)

// marks returns the day numbers in [lo, hi] that start a step.
func (s timeStep) marks(lo, hi int) []int {
	var out []int
	switch s.unit {
	case 'd':
		for d := lo; d <= hi; d++ {
			if d%s.n == 0 {
				out = append(out, d)
			}
		}
	case 'w':
		// 1970-01-05 (day 4) was a Monday.
		first := lo + ((4-lo)%7+7)%7
		for d := first; d <= hi; d += 7 {
			if ((d-4)/7)%s.n == 0 {
				out = append(out, d)
			}
		}
	case 'm', 'y':
		t := dayTime(lo)
		y, m := t.Year(), int(t.Month())
		months := s.n
		if s.unit == 'y' {
			months = 12 * s.n
			m = 1
			y -= ((y % s.n) + s.n) % s.n
		} else {
			m -= (m - 1) % s.n
		}
		for {
			d := int(time.Date(y, time.Month(m), 1, 0, 0, 0, 0, time.UTC).Unix() / 86400)
			if d > hi {
				break
			}
			if d >= lo {
				out = append(out, d)
			}
			m += months
			for m > 12 {
				m -= 12
				y++
			}
		}
	}
	return out
}

// Ticks implements plot.Ticker.
func (t TimeTicks) Ticks(min, max float64) []plot.Tick {
	maxTicks := t.MaxTicks
	if maxTicks <= 0 {
		maxTicks = 8
	}
	lo, hi := int(math.Ceil(min)), int(math.Floor(max))
	if hi < lo {
		return nil
	}
	step := timeSteps[len(timeSteps)-1]
	finest := map[data.Period]float64{data.PeriodWeek: 7, data.PeriodMonth: 28}[t.Period]
	for _, s := range timeSteps {
		// Estimate the count before listing marks, so a century of days is never listed.
		per := map[byte]float64{'d': 1, 'w': 7, 'm': 30.4, 'y': 365.25}[s.unit] * float64(s.n)
		if per < finest || float64(hi-lo)/per > float64(maxTicks)+1 {
			continue
		}
		if len(s.marks(lo, hi)) <= maxTicks {
			step = s
			break
		}
	}
	var ticks []plot.Tick
	prevYear := 0
	for i, d := range step.marks(lo, hi) {
		tm := dayTime(d)
		var label string
		switch step.unit {
		case 'y':
			label = strconv.Itoa(tm.Year())
		case 'm':
			label = tm.Format("Jan")
			if i == 0 || tm.Year() != prevYear {
				label = tm.Format("Jan 2006")
			}
		default:
			label = tm.Format("2 Jan")
			if i == 0 || tm.Year() != prevYear {
				label = tm.Format("2 Jan 2006")
			}
		}
		prevYear = tm.Year()
		v := float64(d)
		midMonth := t.Period == data.PeriodMonth && step.unit == 'm' && step.n == 1
		switch {
		case step.unit == 'd':
			v += 0.5 // a day's label sits in the middle of the day, under its bar
		case midMonth:
			// A monthly bar's label sits under the middle of its bar; a minor tick marks
			// where the month starts.
			v += float64(dayTime(d).AddDate(0, 1, 0).Unix()/86400-int64(d)) / 2
			ticks = append(ticks, plot.Tick{Value: float64(d)})
		}
		if v > max {
			continue
		}
		ticks = append(ticks, plot.Tick{Value: v, Label: label})
	}
	if step.minor != nil {
		major := map[int]bool{}
		for _, tk := range ticks {
			major[int(math.Floor(tk.Value))] = true
		}
		if minors := step.minor.marks(lo, hi); len(minors) <= 120 {
			for _, d := range minors {
				if !major[d] {
					ticks = append(ticks, plot.Tick{Value: float64(d)})
				}
			}
		}
	}
	return ticks
}
