package data

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Filter selects records. Zero fields select everything; list fields match any of their values
// (case-insensitively, ignoring surrounding spaces). From and To are inclusive; a record whose
// date is known only to the month or year matches when the period it covers overlaps [From, To].
type Filter struct {
	From, To    Date
	Theatres    []string
	Actors      []string
	Topics      []string
	Confidences []string
	// Search matches, case-insensitively, any text field of the record (id, places, quote...).
	Search string
	// KnownOn, when set, asks for the records as the store held them at that instant (see
	// knownon.go): knowledge time, unlike From and To, which select event dates.
	KnownOn time.Time
}

// MatchesDates reports whether a record dated d (to dEnd, when it is a range) falls in the
// filter's date range.
func (f Filter) MatchesDates(d, dEnd Date) bool {
	if d.IsZero() {
		return f.From.IsZero() && f.To.IsZero()
	}
	last := d.LastDayNumber()
	if !dEnd.IsZero() && dEnd.LastDayNumber() > last {
		last = dEnd.LastDayNumber()
	}
	if !f.From.IsZero() && last < f.From.DayNumber() {
		return false
	}
	if !f.To.IsZero() && d.DayNumber() > f.To.LastDayNumber() {
		return false
	}
	return true
}

// MatchesIncident reports whether the filter selects r. Topics do not apply to incidents.
func (f Filter) MatchesIncident(r *Incident) bool {
	return f.MatchesDates(r.Date, r.DateEnd) &&
		matchAny(f.Theatres, r.Theatre) &&
		matchAny(f.Actors, r.Actor) &&
		matchAny(f.Confidences, r.Confidence) &&
		matchSearch(f.Search, r.ID, r.Theatre, r.Country, r.Location, r.Actor, r.Target,
			r.AllegedAffiliation, r.AnnouncedBy, r.Confidence, r.Source, r.Notes)
}

// MatchesStatement reports whether the filter selects r. Theatres and confidences do not apply
// to statements.
func (f Filter) MatchesStatement(r *Statement) bool {
	return f.MatchesDates(r.Date, Date{}) &&
		matchAny(f.Actors, r.Actor) &&
		matchAny(f.Topics, r.Topic) &&
		matchSearch(f.Search, r.ID, r.Actor, r.Speaker, r.Role, r.Topic, r.Stance, r.Quote,
			r.Channel, r.Source, r.Notes)
}

// MatchesTally reports whether the filter selects r: by date, and by theatre through its scope
// (a tally for all theatres matches any theatre filter).
func (f Filter) MatchesTally(r *Tally) bool {
	if len(f.Theatres) > 0 && !strings.EqualFold(strings.TrimSpace(r.Scope), ScopeAll) &&
		!matchAny(f.Theatres, r.Scope) {
		return false
	}
	return f.MatchesDates(r.AsOf, Date{}) &&
		matchSearch(f.Search, r.ID, r.Claimant, r.Scope, r.Source, r.Notes)
}

// Describe says in plain words what the filter selects, for chart captions: "Caribbean;
// 1 Sep 2025 to 10 Nov 2025". It returns "" for the empty filter.
func (f Filter) Describe() string {
	var parts []string
	for _, l := range []struct {
		name string
		vals []string
	}{{"theatre", f.Theatres}, {"actor", f.Actors}, {"topic", f.Topics}, {"confidence", f.Confidences}} {
		if len(l.vals) > 0 {
			parts = append(parts, l.name+": "+strings.Join(l.vals, ", "))
		}
	}
	switch {
	case !f.From.IsZero() && !f.To.IsZero():
		parts = append(parts, f.From.Label()+" to "+f.To.Label())
	case !f.From.IsZero():
		parts = append(parts, "from "+f.From.Label())
	case !f.To.IsZero():
		parts = append(parts, "up to "+f.To.Label())
	}
	if f.Search != "" {
		parts = append(parts, fmt.Sprintf("matching %q", f.Search))
	}
	if !f.KnownOn.IsZero() {
		parts = append(parts, "as known on "+KnownOnLabel(f.KnownOn))
	}
	return strings.Join(parts, "; ")
}

func norm(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

func matchAny(want []string, v string) bool {
	if len(want) == 0 {
		return true
	}
	v = norm(v)
	return slices.ContainsFunc(want, func(w string) bool { return norm(w) == v })
}

func matchSearch(q string, fields ...string) bool {
	q = norm(q)
	if q == "" {
		return true
	}
	for _, f := range fields {
		if containsLower(f, q) {
			return true
		}
	}
	return false
}

// containsLower reports whether s, lower-cased, contains q (already lower-case). ASCII text,
// the common case, is compared in place, without the copy strings.ToLower makes: a search
// runs over every text field of a million records.
func containsLower(s, q string) bool {
	if len(q) > len(s) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return strings.Contains(strings.ToLower(s), q)
		}
	}
	for i := 0; i < len(q); i++ {
		if q[i] >= utf8.RuneSelf {
			return false // non-ASCII text cannot be in ASCII text
		}
	}
	first := q[0]
	for i := 0; i+len(q) <= len(s); i++ {
		if lowerASCII(s[i]) != first {
			continue
		}
		j := 1
		for j < len(q) && lowerASCII(s[i+j]) == q[j] {
			j++
		}
		if j == len(q) {
			return true
		}
	}
	return false
}

func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// Period is the width of an aggregation bucket.
type Period string

// The periods charts and aggregates use. Weeks are ISO weeks, starting on Monday.
const (
	PeriodDay   Period = "day"
	PeriodWeek  Period = "week"
	PeriodMonth Period = "month"
)

// ParsePeriod reads "day", "week" or "month".
func ParsePeriod(s string) (Period, error) {
	switch p := Period(strings.ToLower(strings.TrimSpace(s))); p {
	case PeriodDay, PeriodWeek, PeriodMonth:
		return p, nil
	}
	return "", fmt.Errorf("period %q: want day, week or month", s)
}

// Start returns the first day of the period that contains d.
func (p Period) Start(d Date) Date {
	if d.IsZero() {
		return d
	}
	switch p {
	case PeriodMonth:
		return Day(d.Year, d.Month, 1)
	case PeriodWeek:
		t := d.Time()
		back := (int(t.Weekday()) + 6) % 7 // days since Monday
		return DateOf(t.AddDate(0, 0, -back))
	}
	return Day(d.Year, d.Month, d.Day)
}

// Next returns the first day of the period after the one starting at start.
func (p Period) Next(start Date) Date {
	t := start.Time()
	switch p {
	case PeriodMonth:
		return DateOf(t.AddDate(0, 1, 0))
	case PeriodWeek:
		return DateOf(t.AddDate(0, 0, 7))
	}
	return DateOf(t.AddDate(0, 0, 1))
}

// Label names the period starting at start: "2 Sep 2025", "Week 36, 2025" or "Sep 2025".
func (p Period) Label(start Date) string {
	switch p {
	case PeriodMonth:
		return start.Time().Format("Jan 2006")
	case PeriodWeek:
		y, w := start.Time().ISOWeek()
		return fmt.Sprintf("Week %d, %d", w, y)
	}
	return start.Label()
}

// Totals are the sums over a set of incidents. Killed and the other ranges sum the lower and
// the upper bounds separately (see Count.Low and Count.High); KilledUnknown, InjuredUnknown,
// SurvivorsUnknown and VesselsUnknown count the incidents whose figure is unknown, so that a
// chart or a report can say that its sum leaves some out, and show "unknown" rather than 0
// when no incident reported the figure at all. Strikes weights each incident by the strikes
// or events it stands for (Incident.Strikes); it equals Incidents when no file had a count
// column.
type Totals struct {
	Incidents        int `json:"incidents"`
	Strikes          int `json:"strikes"`
	VesselsMin       int `json:"vessels_min"`
	VesselsMax       int `json:"vessels_max"`
	VesselsUnknown   int `json:"vessels_unknown"`
	KilledMin        int `json:"killed_min"`
	KilledMax        int `json:"killed_max"`
	KilledUnknown    int `json:"killed_unknown"`
	InjuredMin       int `json:"injured_min"`
	InjuredMax       int `json:"injured_max"`
	InjuredUnknown   int `json:"injured_unknown"`
	SurvivorsMin     int `json:"survivors_min"`
	SurvivorsMax     int `json:"survivors_max"`
	SurvivorsUnknown int `json:"survivors_unknown"`
}

// Add counts one incident into t.
func (t *Totals) Add(r *Incident) {
	t.Incidents++
	t.Strikes += r.Strikes()
	v := r.Vessels
	if !v.Known() {
		v = Exactly(1) // a strike on an unreported number of vessels hit at least one
		t.VesselsUnknown++
	}
	t.VesselsMin += v.Low()
	t.VesselsMax += v.High()
	t.KilledMin += r.Killed.Low()
	t.KilledMax += r.Killed.High()
	if !r.Killed.Known() {
		t.KilledUnknown++
	}
	t.InjuredMin += r.Injured.Low()
	t.InjuredMax += r.Injured.High()
	if !r.Injured.Known() {
		t.InjuredUnknown++
	}
	t.SurvivorsMin += r.Survivors.Low()
	t.SurvivorsMax += r.Survivors.High()
	if !r.Survivors.Known() {
		t.SurvivorsUnknown++
	}
}

// Merge adds the sums of o into t.
func (t *Totals) Merge(o Totals) {
	t.Incidents += o.Incidents
	t.Strikes += o.Strikes
	t.VesselsMin += o.VesselsMin
	t.VesselsMax += o.VesselsMax
	t.VesselsUnknown += o.VesselsUnknown
	t.KilledMin += o.KilledMin
	t.KilledMax += o.KilledMax
	t.KilledUnknown += o.KilledUnknown
	t.InjuredMin += o.InjuredMin
	t.InjuredMax += o.InjuredMax
	t.InjuredUnknown += o.InjuredUnknown
	t.SurvivorsMin += o.SurvivorsMin
	t.SurvivorsMax += o.SurvivorsMax
	t.SurvivorsUnknown += o.SurvivorsUnknown
}

// KilledKnown reports whether any incident gave a killed figure (else the sum is unknown,
// not 0); InjuredKnown, SurvivorsKnown and VesselsKnown likewise.
func (t Totals) KilledKnown() bool { return t.KilledUnknown < t.Incidents }

// InjuredKnown reports whether any incident gave an injured figure.
func (t Totals) InjuredKnown() bool { return t.InjuredUnknown < t.Incidents }

// SurvivorsKnown reports whether any incident gave a survivors figure.
func (t Totals) SurvivorsKnown() bool { return t.SurvivorsUnknown < t.Incidents }

// VesselsKnown reports whether any incident gave a number of vessels.
func (t Totals) VesselsKnown() bool { return t.VesselsUnknown < t.Incidents }

// Bucket is one period of an aggregation.
type Bucket struct {
	Start Date `json:"start"` // first day of the period
	End   Date `json:"end"`   // last day of the period
	Totals
	// ByTheatre splits Totals by theatre; incidents with no theatre are under "".
	ByTheatre map[string]Totals `json:"by_theatre"`
	// Cumulative is the running sum of Totals up to and including this bucket.
	Cumulative Totals `json:"cumulative"`
}

// Series is an aggregation of incidents over time: one bucket per period from the first
// to the last matching incident, with empty periods included so that time axes are honest.
type Series struct {
	Period  Period   `json:"period"`
	Filter  Filter   `json:"-"`
	Buckets []Bucket `json:"buckets"`
	// Theatres lists the theatres present, most incidents first.
	Theatres []string `json:"theatres"`
	// Undated counts matching incidents that have no date and so sit in no bucket.
	Undated int `json:"undated"`
}

// Stats summarises the store, or the records a filter selects.
type Stats struct {
	Totals
	Statements int `json:"statements"`
	Tallies    int `json:"tallies"`
	// FirstDate and LastDate span the selected incidents (not statements or tallies).
	FirstDate Date                    `json:"first_date"`
	LastDate  Date                    `json:"last_date"`
	ByTheatre map[string]Totals       `json:"by_theatre"`
	ByActor   map[string]ActorSummary `json:"by_actor"`
}

// ActorSummary counts what one actor said and did.
type ActorSummary struct {
	Statements int `json:"statements"`
	Incidents  int `json:"incidents"`
}
