package app

import (
	"context"
	"errors"
	"fmt"
	"image/color"
	"sort"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"sitrep/data"
)

// overviewSource is what the Overview screen reads.
type overviewSource interface {
	Stats(f data.Filter) (data.Stats, error)
	HasDemoData() (bool, error)
	ForEachIncident(f data.Filter, fn func(*data.Incident) error) error
	Aggregate(f data.Filter, p data.Period) (data.Series, error)
	LatestStatements(asOf data.Date, f data.Filter) ([]data.Statement, error)
	Vocabulary() (data.Vocabulary, error)
	choiceSource
}

// placeStats is a source that can group incidents by another place level than the theatre
// (*data.Store can).
type placeStats interface {
	StatsBy(f data.Filter, by data.PlaceLevel) (data.Stats, error)
}

// placeLevelLabels name the place levels in the overview's picker.
var placeLevelLabels = map[data.PlaceLevel]string{data.ByTheatre: "Theatre", data.ByCountry: "Country",
	data.ByAdmin1: "Region (admin 1)", data.ByAdmin2: "District (admin 2)", data.ByLocation: "Location"}

// levelPicker is the drop-down that chooses how the table groups places; it is shown only
// when the source can group by other levels.
func (o *overviewScreen) levelPicker() fyne.CanvasObject {
	var labels []string
	for _, l := range data.PlaceLevels {
		labels = append(labels, placeLevelLabels[l])
	}
	o.levelSel = widget.NewSelect(labels, func(label string) {
		for l, s := range placeLevelLabels {
			if s == label && l != o.level {
				o.level = l
				o.reload()
			}
		}
	})
	o.level = data.ByTheatre
	o.levelSel.SetSelected(placeLevelLabels[data.ByTheatre])
	if _, ok := o.src.(placeStats); !ok {
		o.levelSel.Hide()
	}
	return o.levelSel
}

// overviewScreen shows the totals, the last incident, per-theatre figures and the latest
// statements.
type overviewScreen struct {
	work    *worker
	src     overviewSource
	cards   map[string]*widget.Label
	subs    map[string]*widget.Label
	range_  *widget.Label
	last    *widget.Label
	theatre *widget.Table
	thRows  [][4]string
	// level is the place level the table groups by (the theatre unless the user picks
	// another); levelSel picks it.
	level    data.PlaceLevel
	levelSel *widget.Select
	// titles are the cards' headings: the survivors card shows the injured when the data
	// reports injured but no survivors.
	titles  map[string]*widget.Label
	latest  *fyne.Container
	content fyne.CanvasObject
	gen     generation
	// filters holds the shared "As known on" time (nil: always now), shown by knownOn.
	filters *filterState
	knownOn *filterBar
	// cardBGs are the cards' backgrounds (for tests of a theme switch).
	cardBGs []*themedRect
}

// overview card keys.
const (
	cardStrikes    = "Strikes"
	cardKilled     = "Killed"
	cardSurvivors  = "Survivors"
	cardStatements = "Statements"
	cardActors     = "Actors"
)

func newOverviewScreen(work *worker, src overviewSource, filters *filterState) *overviewScreen {
	o := &overviewScreen{work: work, src: src, cards: map[string]*widget.Label{}, subs: map[string]*widget.Label{}, titles: map[string]*widget.Label{}, filters: filters}
	var cards []fyne.CanvasObject
	for _, k := range []string{cardStrikes, cardKilled, cardSurvivors, cardStatements, cardActors} {
		// A label (not canvas.Text) so that a long figure ("2,997,000–3,996,000") truncates
		// instead of widening every card and the window.
		v := widget.NewLabelWithStyle("–", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		v.SizeName = theme.SizeNameHeadingText
		v.Truncation = fyne.TextTruncateEllipsis
		sub := widget.NewLabel("")
		sub.Wrapping = fyne.TextWrapWord
		o.cards[k], o.subs[k] = v, sub
		o.titles[k] = widget.NewLabelWithStyle(k, fyne.TextAlignLeading, fyne.TextStyle{})
		// The background reads the theme's colour on every refresh, so a theme switch repaints it.
		bg := newThemedRect(theme.ColorNameInputBackground, 6)
		o.cardBGs = append(o.cardBGs, bg)
		cards = append(cards, container.NewStack(bg, container.NewPadded(container.NewVBox(
			o.titles[k], v, sub))))
	}
	o.range_ = widget.NewLabel("")
	o.last = widget.NewLabel("")
	o.last.Wrapping = fyne.TextWrapWord
	o.theatre = newTextTable([]string{"Place", "Strikes", "Killed (min–max)", "Survivors"},
		[]float32{170, 90, 190, 100}, // room for "2,234,671–2,395,210" on a laptop screen
		func() int { return len(o.thRows) },
		func(row, col int) string { return o.thRows[row][col] })
	o.latest = container.NewVBox()
	left := container.NewBorder(
		container.NewHBox(heading("By place"), o.levelPicker()), nil, nil, nil, o.theatre)
	right := container.NewBorder(heading("Latest statement per actor and topic"), nil, nil, nil,
		container.NewVScroll(o.latest))
	split := container.NewHSplit(left, right)
	split.Offset = 0.45
	top := []fyne.CanvasObject{container.NewGridWithColumns(5, cards...), o.range_}
	if filters != nil {
		o.knownOn = newFilterBar(filters, "knownon")
		filters.listeners = append(filters.listeners, o.reload)
		top = append([]fyne.CanvasObject{o.knownOn.content}, top...)
	}
	o.content = container.NewBorder(
		container.NewVBox(append(top,
			heading("Last incident"), o.last, widget.NewSeparator())...),
		nil, nil, nil, split)
	return o
}

// lastIncident finds the latest incident without reading them all: the monthly aggregate
// (from the store's rollup) says which month it is in, and only that month is read. It also
// returns the first and last day with incidents.
func lastIncident(src overviewSource, knownOn time.Time) (*data.Incident, data.Date, data.Date) {
	series, err := src.Aggregate(data.Filter{KnownOn: knownOn}, data.PeriodMonth)
	if err != nil {
		return nil, data.Date{}, data.Date{}
	}
	var first, lastMonth data.Date
	for _, b := range series.Buckets {
		if b.Incidents > 0 {
			if first.IsZero() {
				first = b.Start
			}
			lastMonth = b.Start
		}
	}
	if lastMonth.IsZero() {
		return nil, data.Date{}, data.Date{}
	}
	var last *data.Incident
	var firstDay data.Date
	src.ForEachIncident(data.Filter{From: lastMonth, KnownOn: knownOn}, func(r *data.Incident) error {
		c := *r
		last = &c
		return nil
	})
	src.ForEachIncident(data.Filter{From: first, To: data.Period(data.PeriodMonth).Next(first), KnownOn: knownOn}, func(r *data.Incident) error {
		if firstDay.IsZero() {
			firstDay = r.Date
			return errStop
		}
		return nil
	})
	if last == nil {
		return nil, firstDay, data.Date{}
	}
	return last, firstDay, last.Date
}

var errStop = errors.New("stop")

type overviewData struct {
	st      data.Stats
	first   data.Date
	lastDay data.Date
	last    *data.Incident
	latest  []data.Statement
	known   time.Time
	err     error
}

func (o *overviewScreen) reload() {
	g := o.gen.next()
	var known time.Time
	if o.filters != nil {
		known = o.filters.f.KnownOn
	}
	o.work.background(func(ctx context.Context) {
		var d overviewData
		d.known = known
		if by, ok := o.src.(placeStats); ok && o.level != "" && o.level != data.ByTheatre {
			d.st, d.err = by.StatsBy(data.Filter{KnownOn: known}, o.level)
		} else {
			d.st, d.err = o.src.Stats(data.Filter{KnownOn: known})
		}
		if d.err == nil {
			d.last, d.first, d.lastDay = lastIncident(o.src, known)
		}
		if d.err == nil {
			d.latest, _ = o.src.LatestStatements(data.DateOf(time.Now()), data.Filter{KnownOn: known})
		}
		o.work.do(func() {
			if o.gen.current(g) {
				o.show(d)
			}
		})
	})
}

// show puts what reload read on screen: the cards, the date range, the last incident, the
// places and the latest statements.
func (o *overviewScreen) show(d overviewData) {
	if d.err != nil {
		o.range_.SetText("Could not read the store: " + plainError(d.err))
		return
	}
	o.showCards(d.st)
	if d.first.IsZero() || d.lastDay.IsZero() {
		o.range_.SetText("No dated incidents yet.")
	} else {
		o.range_.SetText(fmt.Sprintf("Incidents from %s to %s.", d.first.Label(), d.lastDay.Label()))
	}
	if !d.known.IsZero() {
		o.range_.SetText(o.range_.Text + " As known on " + data.KnownOnLabel(d.known.Local()) + ".")
	}
	if d.last != nil {
		o.last.SetText(incidentSentence(d.last))
	} else {
		o.last.SetText("No incidents yet.")
	}
	o.showPlaces(d.st)
	o.showLatest(d.latest)
}

// setCard sets card k's figure v and its line below, sub.
func (o *overviewScreen) setCard(k, v, sub string) {
	// A long figure ("1,649,962–1,950,123") takes a smaller size so that it fits its card
	// on a laptop screen instead of being cut.
	size := theme.SizeNameHeadingText
	if len([]rune(v)) > 11 {
		size = theme.SizeNameSubHeadingText
	}
	if o.cards[k].SizeName != size {
		o.cards[k].SizeName = size
	}
	o.cards[k].SetText(v)
	o.subs[k].SetText(sub)
}

// showCards fills the cards from the totals, in words that fit the data: vessels and
// survivors only when some incident has them, and "unknown" (never 0) for what no incident
// reported.
func (o *overviewScreen) showCards(st data.Stats) {
	strikesSub := "incidents recorded"
	switch {
	case st.VesselsKnown():
		strikesSub = fmt.Sprintf("vessels hit: %s", rangeText(st.VesselsMin, st.VesselsMax))
	case st.Strikes != st.Incidents:
		strikesSub = fmt.Sprintf("in %s incident rows (some stand for several strikes)", thousands(st.Incidents))
	}
	o.setCard(cardStrikes, thousands(st.Strikes), strikesSub)
	if st.Incidents > 0 && !st.KilledKnown() {
		o.setCard(cardKilled, "unknown", "no incident reported a toll")
	} else {
		unk := ""
		if st.KilledUnknown > 0 {
			unk = fmt.Sprintf("; %s incident%s with unknown toll not counted", thousands(st.KilledUnknown), plural(st.KilledUnknown))
		}
		o.setCard(cardKilled, rangeText(st.KilledMin, st.KilledMax), "sum of lowest–highest reported"+unk)
	}
	switch {
	case st.SurvivorsKnown() || st.Incidents == 0:
		o.titles[cardSurvivors].SetText(cardSurvivors)
		o.setCard(cardSurvivors, rangeText(st.SurvivorsMin, st.SurvivorsMax), "reported survivors")
	case st.InjuredKnown():
		o.titles[cardSurvivors].SetText("Injured")
		o.setCard(cardSurvivors, rangeText(st.InjuredMin, st.InjuredMax), "reported injured (no incident reports survivors)")
	default:
		o.titles[cardSurvivors].SetText(cardSurvivors)
		o.setCard(cardSurvivors, "unknown", "no incident reports survivors")
	}
	o.setCard(cardStatements, thousands(st.Statements), fmt.Sprintf("and %d published tall%s", st.Tallies, map[bool]string{true: "y", false: "ies"}[st.Tallies == 1]))
	actors := 0
	for _, a := range st.ByActor {
		if a.Statements > 0 {
			actors++
		}
	}
	o.setCard(cardActors, thousands(actors), "governments and organisations with statements")
}

// showPlaces fills the table of places, the busiest first.
func (o *overviewScreen) showPlaces(st data.Stats) {
	names := make([]string, 0, len(st.ByTheatre))
	for n := range st.ByTheatre {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool {
		a, b := st.ByTheatre[names[i]], st.ByTheatre[names[j]]
		if a.Incidents != b.Incidents {
			return a.Incidents > b.Incidents
		}
		return names[i] < names[j]
	})
	o.thRows = o.thRows[:0]
	for _, n := range names {
		t := st.ByTheatre[n]
		label := n
		if label == "" {
			label = "(no place)"
		}
		killed, survivors := rangeText(t.KilledMin, t.KilledMax), rangeText(t.SurvivorsMin, t.SurvivorsMax)
		if !t.KilledKnown() {
			killed = "unknown"
		}
		if !t.SurvivorsKnown() {
			survivors = "unknown"
		}
		o.thRows = append(o.thRows, [4]string{label, thousands(t.Strikes), killed, survivors})
	}
	o.theatre.Refresh()
}

// showLatest lists the twelve newest of the latest statements per actor and topic.
func (o *overviewScreen) showLatest(latest []data.Statement) {
	latest = append([]data.Statement(nil), latest...)
	sort.SliceStable(latest, func(i, j int) bool { return latest[j].Date.Compare(latest[i].Date) < 0 })
	if len(latest) > 12 {
		latest = latest[:12]
	}
	vocab, _ := o.src.Vocabulary()
	var objs []fyne.CanvasObject
	for _, s := range latest {
		objs = append(objs, statementLine(s, vocab))
	}
	if len(objs) == 0 {
		objs = append(objs, widget.NewLabel("No statements yet."))
	}
	o.latest.Objects = objs
	o.latest.Refresh()
}

// statementLine shows a statement as a stance swatch and one wrapped line of text.
func statementLine(s data.Statement, vocab data.Vocabulary) fyne.CanvasObject {
	sw := canvas.NewRectangle(stanceColor(vocab, s.Stance))
	sw.SetMinSize(fyne.NewSize(10, 10))
	l := widget.NewLabel(fmt.Sprintf("%s · %s · %s: %s — “%s”", s.Date.Label(), s.Actor, s.Topic, s.Stance, oneLineText(s.Quote)))
	l.Wrapping = fyne.TextWrapWord
	return container.NewBorder(nil, nil, container.NewCenter(sw), nil, l)
}

// stanceColor is the vocabulary colour of a stance word (grey when unknown).
func stanceColor(v data.Vocabulary, word string) color.Color {
	if d, ok := v.Lookup(word); ok {
		if c, ok := parseHex(d.Color); ok {
			return c
		}
	}
	return color.NRGBA{R: 0x80, G: 0x80, B: 0x80, A: 0xFF}
}

func parseHex(s string) (color.NRGBA, bool) {
	var r, g, b uint8
	if _, err := fmt.Sscanf(s, "#%02x%02x%02x", &r, &g, &b); err != nil {
		return color.NRGBA{}, false
	}
	return color.NRGBA{R: r, G: g, B: b, A: 0xFF}, true
}

// rangeText is "79" or "79–85".
func rangeText(lo, hi int) string {
	if lo == hi {
		return thousands(lo)
	}
	return thousands(lo) + "–" + thousands(hi)
}
