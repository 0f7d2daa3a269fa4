package app

import (
	"context"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"sitrep/data"
)

// choiceSource lists the values present in the store, for the filter drop-downs.
type choiceSource interface {
	Distinct(field string) ([]string, error)
}

const anyChoice = "(all)"

// filterState is the filter shared by the Incidents, Statements and Charts screens: setting a
// theatre on one screen sets it on the others. Each screen has its own filterBar showing it.
// Its KnownOn (the "As known on" control) is shared by the Overview and Positions screens too:
// every figure is then the store's as it was at that time.
type filterState struct {
	f       data.Filter
	choices map[string][]string
	bars    []*filterBar
	// listeners are told when the filter changes.
	listeners []func()
}

func newFilterState() *filterState {
	return &filterState{choices: map[string][]string{}}
}

// reloadChoices refreshes the drop-down values from the store.
func (s *filterState) reloadChoices(work *worker, src choiceSource) {
	work.background(func(ctx context.Context) {
		ch := map[string][]string{}
		for _, field := range []string{"theatre", "actor", "topic", "confidence"} {
			v, err := src.Distinct(field)
			if err == nil {
				ch[field] = v
			}
		}
		work.do(func() {
			s.choices = ch
			for _, b := range s.bars {
				b.setChoices(ch)
			}
		})
	})
}

func (s *filterState) set(f data.Filter, from *filterBar) {
	s.f = f
	for _, b := range s.bars {
		if b != from {
			b.show(f)
		}
	}
	for _, l := range s.listeners {
		l()
	}
}

// filterBar is the row of filter widgets: date range, theatre, actor, topic, confidence.
type filterBar struct {
	state    *filterState
	from, to *widget.Entry
	knownOn  *widget.Entry
	// knownExact is the known-on time last shown, kept exactly: the control shows it to the
	// minute (or second), and reading the text back must not move it.
	knownExact                        time.Time
	theatre, actor, topic, confidence *widget.Select
	clear                             *widget.Button
	content                           fyne.CanvasObject
	updating                          bool
	fields                            []string
}

// newFilterBar builds a bar showing the given fields of the shared filter
// ("dates", "theatre", "actor", "topic", "confidence", "knownon").
func newFilterBar(s *filterState, fields ...string) *filterBar {
	return buildFilterBar(s, false, fields)
}

// newFilterForm is newFilterBar laid out as a form, for a side panel.
func newFilterForm(s *filterState, fields ...string) *filterBar {
	return buildFilterBar(s, true, fields)
}

func buildFilterBar(s *filterState, vertical bool, fields []string) *filterBar {
	b := &filterBar{state: s, fields: fields}
	b.from = widget.NewEntry()
	b.from.SetPlaceHolder("YYYY-MM-DD")
	b.to = widget.NewEntry()
	b.to.SetPlaceHolder("YYYY-MM-DD")
	b.knownOn = widget.NewEntry()
	b.knownOn.SetPlaceHolder("now, or 2025-11-06")
	b.knownOn.OnChanged = func(string) { b.changed() }
	mk := func() *widget.Select {
		sel := widget.NewSelect([]string{anyChoice}, func(string) { b.changed() })
		sel.SetSelected(anyChoice)
		return sel
	}
	b.updating = true
	b.theatre, b.actor, b.topic, b.confidence = mk(), mk(), mk(), mk()
	b.updating = false
	b.from.OnChanged = func(string) { b.changed() }
	b.to.OnChanged = func(string) { b.changed() }
	b.clear = widget.NewButton("Clear filters", func() {
		b.show(data.Filter{Search: s.f.Search, KnownOn: s.f.KnownOn})
		b.changed()
	})
	var objs []fyne.CanvasObject
	form := widget.NewForm()
	labelled := func(l string, o fyne.CanvasObject) {
		if vertical {
			form.Append(l, o)
			return
		}
		objs = append(objs, widget.NewLabel(l), o)
	}
	for _, f := range fields {
		switch f {
		case "dates":
			if vertical {
				labelled("From", b.from)
				labelled("To", b.to)
				break
			}
			// Wide enough for a date (YYYY-MM-DD) and no more: the whole bar fits a 1366-pixel
			// laptop screen beside the screen list.
			size := fyne.NewSize(110, b.from.MinSize().Height)
			labelled("From", container.NewGridWrap(size, b.from))
			labelled("to", container.NewGridWrap(size, b.to))
		case "theatre":
			labelled("Theatre", b.theatre)
		case "actor":
			labelled("Actor", b.actor)
		case "topic":
			labelled("Topic", b.topic)
		case "confidence":
			labelled("Confidence", b.confidence)
		case "knownon":
			if vertical {
				labelled("As known on", b.knownOn)
				break
			}
			labelled("As known on", container.NewGridWrap(fyne.NewSize(160, b.knownOn.MinSize().Height), b.knownOn))
		}
	}
	if vertical {
		b.content = container.NewVBox(form, b.clear)
	} else {
		b.clear.Text = "Clear" // the bar is read left to right: "Clear" after the filters says which
		objs = append(objs, b.clear)
		b.content = container.NewHBox(objs...)
	}
	s.bars = append(s.bars, b)
	b.setChoices(s.choices)
	b.show(s.f)
	return b
}

func (b *filterBar) setChoices(ch map[string][]string) {
	b.updating = true
	defer func() { b.updating = false }()
	for field, sel := range map[string]*widget.Select{"theatre": b.theatre, "actor": b.actor, "topic": b.topic, "confidence": b.confidence} {
		cur := sel.Selected
		sel.Options = append([]string{anyChoice}, ch[field]...)
		if cur == "" {
			cur = anyChoice
		}
		sel.SetSelected(cur)
		sel.Refresh()
	}
}

// show puts f into the widgets without firing changes.
func (b *filterBar) show(f data.Filter) {
	b.updating = true
	defer func() { b.updating = false }()
	b.from.SetText(dateText(f.From))
	b.to.SetText(dateText(f.To))
	if !b.readKnownOn().Equal(f.KnownOn) {
		b.knownOn.SetText(knownOnText(f.KnownOn))
	}
	b.knownExact = f.KnownOn
	one := func(sel *widget.Select, v []string) {
		if len(v) == 0 {
			sel.SetSelected(anyChoice)
		} else {
			sel.SetSelected(v[0])
		}
	}
	one(b.theatre, f.Theatres)
	one(b.actor, f.Actors)
	one(b.topic, f.Topics)
	one(b.confidence, f.Confidences)
}

func dateText(d data.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.String()
}

// changed reads the widgets into the shared filter. A date that does not parse (yet: the user
// may be typing) leaves that end open.
func (b *filterBar) changed() {
	if b.updating {
		return
	}
	f := b.state.f
	f.From, f.To = parseDateEntry(b.from), parseDateEntry(b.to)
	f.KnownOn = b.readKnownOn()
	pick := func(sel *widget.Select) []string {
		if sel.Selected == "" || sel.Selected == anyChoice {
			return nil
		}
		return []string{sel.Selected}
	}
	f.Theatres, f.Actors, f.Topics, f.Confidences = pick(b.theatre), pick(b.actor), pick(b.topic), pick(b.confidence)
	b.state.set(f, b)
}

func parseDateEntry(e *widget.Entry) data.Date {
	t := strings.TrimSpace(e.Text)
	if t == "" {
		return data.Date{}
	}
	d, err := data.ParseDate(t)
	if err != nil {
		return data.Date{}
	}
	return d
}

// readKnownOn reads the control: the exact time last shown while its text is unchanged.
func (b *filterBar) readKnownOn() time.Time {
	if !b.knownExact.IsZero() && strings.TrimSpace(b.knownOn.Text) == knownOnText(b.knownExact) {
		return b.knownExact
	}
	return parseKnownOnEntry(b.knownOn)
}

// knownOnText shows a known-on time in a control: "2025-11-06 18:00", with the seconds when
// it has some (local time); the end of a day shows as the day.
func knownOnText(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	t = t.Local()
	switch {
	case t.Hour() == 23 && t.Minute() == 59 && t.Second() == 59:
		return t.Format("2006-01-02")
	case t.Second() != 0 || t.Nanosecond() != 0:
		return t.Format("2006-01-02 15:04:05")
	}
	return t.Format("2006-01-02 15:04")
}

// parseKnownOnEntry reads the "As known on" control; empty or not (yet) valid means now.
func parseKnownOnEntry(e *widget.Entry) time.Time {
	t := strings.TrimSpace(e.Text)
	if t == "" {
		return time.Time{}
	}
	k, err := data.ParseKnownOn(t)
	if err != nil {
		return time.Time{}
	}
	return k
}
