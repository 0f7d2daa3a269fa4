package data

import (
	"encoding/json"
	"strconv"
)

// Count is a reported figure as a range {Min, Max}. Either end may be unknown: "at least 10"
// is {Min: 10, Max unknown}; a blank cell is wholly unknown, which is not the same as 0.
// The zero Count is wholly unknown.
type Count struct {
	Min, Max           int
	MinKnown, MaxKnown bool
}

// Exactly returns the count {n, n}.
func Exactly(n int) Count { return Count{Min: n, Max: n, MinKnown: true, MaxKnown: true} }

// Between returns the count {lo, hi}; the ends are swapped when given the wrong way round.
func Between(lo, hi int) Count {
	if hi < lo {
		lo, hi = hi, lo
	}
	return Count{Min: lo, Max: hi, MinKnown: true, MaxKnown: true}
}

// AtLeast returns the count {n, unknown}.
func AtLeast(n int) Count { return Count{Min: n, MinKnown: true} }

// Unknown is the wholly unknown count.
var Unknown = Count{}

// Known reports whether at least one end of c is known.
func (c Count) Known() bool { return c.MinKnown || c.MaxKnown }

// Exact reports whether c is a single known figure.
func (c Count) Exact() bool { return c.MinKnown && c.MaxKnown && c.Min == c.Max }

// Low returns the lower bound used when counting by minimum: Min when known, else Max when
// known (a bare "up to 5" still counts as at least 0, so Max is not used), else 0.
func (c Count) Low() int {
	if c.MinKnown {
		return c.Min
	}
	return 0
}

// High returns the upper bound used when counting by maximum: Max when known, else Min.
// An open-ended "at least 10" counts as 10 at the maximum too, so sums never invent deaths.
func (c Count) High() int {
	if c.MaxKnown {
		return c.Max
	}
	if c.MinKnown {
		return c.Min
	}
	return 0
}

// String formats c for people: "3", "2–4", "10+", "≤5" or "unknown".
func (c Count) String() string {
	switch {
	case !c.Known():
		return "unknown"
	case c.Exact():
		return strconv.Itoa(c.Min)
	case c.MinKnown && c.MaxKnown:
		return strconv.Itoa(c.Min) + "–" + strconv.Itoa(c.Max)
	case c.MinKnown:
		return strconv.Itoa(c.Min) + "+"
	default:
		return "≤" + strconv.Itoa(c.Max)
	}
}

type countJSON struct {
	Min *int `json:"min"`
	Max *int `json:"max"`
}

// MarshalJSON writes {"min": n|null, "max": n|null}.
func (c Count) MarshalJSON() ([]byte, error) {
	var v countJSON
	if c.MinKnown {
		v.Min = &c.Min
	}
	if c.MaxKnown {
		v.Max = &c.Max
	}
	return json.Marshal(v)
}

// UnmarshalJSON reads the form MarshalJSON writes.
func (c *Count) UnmarshalJSON(b []byte) error {
	var v countJSON
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*c = Count{}
	if v.Min != nil {
		c.Min, c.MinKnown = *v.Min, true
	}
	if v.Max != nil {
		c.Max, c.MaxKnown = *v.Max, true
	}
	return nil
}
