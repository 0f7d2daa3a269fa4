package app

import (
	"context"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"sitrep/data"
)

// changesSource is what the What changed view reads: *data.Store offers it (a store that does
// not hides View > What changed…).
type changesSource interface {
	Changes(since, until time.Time) (data.ChangeReport, error)
}

// changesView is View > What changed…: the store as known on one time against another (or
// now): the headline totals before and after, and every record added, changed (field by
// field, with the import or edit that did it) or removed. `sitrep changes` is its twin.
type changesView struct {
	work  *worker
	src   changesSource
	since *widget.Entry
	until *widget.Entry
	// sinceExact is the time the view was opened on: the entry shows it to the second.
	sinceExact time.Time
	totals     *widget.Label
	status     *widget.Label
	list       *widget.List
	lines      []string
	gen        generation
	// report is the last report shown, for tests.
	report  data.ChangeReport
	content fyne.CanvasObject
}

func newChangesView(work *worker, src changesSource, since time.Time) *changesView {
	v := &changesView{work: work, src: src, sinceExact: since}
	v.since = widget.NewEntry()
	v.since.SetPlaceHolder("2025-11-06 18:00")
	v.since.SetText(knownOnText(since))
	v.until = widget.NewEntry()
	v.until.SetPlaceHolder("now")
	v.since.OnChanged = func(string) { v.reload() }
	v.until.OnChanged = func(string) { v.reload() }
	v.totals = widget.NewLabel("")
	v.totals.TextStyle = fyne.TextStyle{Monospace: true}
	v.status = widget.NewLabel("")
	v.status.Wrapping = fyne.TextWrapWord
	v.list = widget.NewList(func() int { return len(v.lines) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(i widget.ListItemID, o fyne.CanvasObject) { o.(*widget.Label).SetText(v.lines[i]) })
	form := container.NewHBox(widget.NewLabel("From the store as known on"),
		container.NewGridWrap(fyne.NewSize(170, v.since.MinSize().Height), v.since),
		widget.NewLabel("to the store as known on"),
		container.NewGridWrap(fyne.NewSize(170, v.until.MinSize().Height), v.until))
	top := container.NewVBox(form, v.status, v.totals, widget.NewSeparator())
	v.content = container.NewBorder(top, nil, nil, nil, v.list)
	v.reload()
	return v
}

// reload compares the two times in the background and shows the report.
func (v *changesView) reload() {
	g := v.gen.next()
	since := parseKnownOnEntry(v.since)
	if !v.sinceExact.IsZero() && strings.TrimSpace(v.since.Text) == knownOnText(v.sinceExact) {
		since = v.sinceExact
	}
	until := parseKnownOnEntry(v.until)
	if strings.TrimSpace(v.since.Text) != "" && since.IsZero() {
		v.status.SetText("Type a time: 2025-11-06 (the end of that day), 2025-11-06 18:00, or RFC 3339.")
		return
	}
	v.status.SetText("Comparing…")
	v.work.background(func(ctx context.Context) {
		rep, err := v.src.Changes(since, until)
		v.work.do(func() {
			if !v.gen.current(g) {
				return
			}
			if err != nil {
				v.status.SetText("Could not compare: " + plainError(err))
				return
			}
			v.show(rep)
		})
	})
}

func (v *changesView) show(rep data.ChangeReport) {
	v.report = rep
	until := "now"
	if !rep.Until.IsZero() {
		until = "as known on " + data.KnownOnLabel(rep.Until.Local())
	}
	since := "the beginning"
	if !rep.Since.IsZero() {
		since = data.KnownOnLabel(rep.Since.Local())
	}
	v.status.SetText(fmt.Sprintf("From the store as known on %s to the store %s: %d added, %d changed, %d removed.",
		since, until, len(rep.Added), len(rep.Changed), len(rep.Removed)))
	b, a := rep.Before, rep.After
	var t strings.Builder
	fmt.Fprintf(&t, "%-11s %14s %14s %10s\n", "", "before", "after", "change")
	row := func(name string, lo0, hi0, lo1, hi1 int) {
		fmt.Fprintf(&t, "%-11s %14s %14s %10s\n", name, rangeText(lo0, hi0), rangeText(lo1, hi1), signedChange(lo1-lo0, hi1-hi0))
	}
	row("Incidents", b.Incidents, b.Incidents, a.Incidents, a.Incidents)
	row("Killed", b.KilledMin, b.KilledMax, a.KilledMin, a.KilledMax)
	row("Survivors", b.SurvivorsMin, b.SurvivorsMax, a.SurvivorsMin, a.SurvivorsMax)
	row("Statements", b.Statements, b.Statements, a.Statements, a.Statements)
	fmt.Fprintf(&t, "%-11s %14d %14d %10s", "Tallies", b.Tallies, a.Tallies, signedChange(a.Tallies-b.Tallies, a.Tallies-b.Tallies))
	v.totals.SetText(t.String())
	v.lines = v.lines[:0]
	add := func(verb string, rs []data.RecordChange) {
		for _, r := range rs {
			line := fmt.Sprintf("%s %s %s", verb, recordNoun(r.Kind), r.ID)
			var fs []string
			for _, f := range r.Fields {
				fs = append(fs, fmt.Sprintf("%s: %s → %s", f.Field, orDash(f.Before), orDash(f.After)))
			}
			if len(fs) > 0 {
				line += " — " + strings.Join(fs, "; ")
			}
			var by []string
			for _, c := range r.By {
				by = append(by, c.String())
			}
			if len(by) > 0 {
				line += "   (by " + strings.Join(by, ", then ") + ")"
			}
			v.lines = append(v.lines, line)
		}
	}
	add("Added", rep.Added)
	add("Changed", rep.Changed)
	add("Removed", rep.Removed)
	if len(v.lines) == 0 {
		v.lines = append(v.lines, "Nothing changed between these two times.")
	}
	v.list.Refresh()
}

func recordNoun(k data.Kind) string {
	switch k {
	case data.KindIncident:
		return "incident"
	case data.KindStatement:
		return "statement"
	case data.KindTally:
		return "tally"
	}
	return string(k)
}

// signedChange formats the change of a range: "+4", "-1", "0", "+4/+5".
func signedChange(lo, hi int) string { return data.SignedChange(lo, hi) }

// ShowChanges opens View > What changed… comparing the store as known on since with now.
func (u *UI) ShowChanges(since time.Time) {
	src, ok := u.store.(changesSource)
	if !ok {
		u.dlg.Info("What changed", "This store cannot compare two times.")
		return
	}
	v := newChangesView(u.worker, src, since)
	u.changes = v
	sz := u.win.Canvas().Size()
	box := container.NewGridWrap(fyne.NewSize(max(sz.Width-120, 600), max(sz.Height-180, 400)), v.content)
	u.dlg.Custom("What changed", "Close", box)
}

// whatChanged opens the view on the last week.
func (u *UI) whatChanged() { u.ShowChanges(time.Now().AddDate(0, 0, -7)) }

// SetKnownOn sets the shared "As known on" control (zero: now): every screen then shows the
// store as it was at t.
func (u *UI) SetKnownOn(t time.Time) {
	f := u.filters.f
	f.KnownOn = t
	u.filters.set(f, nil)
}
