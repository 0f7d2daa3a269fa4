package app

import (
	"context"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"sitrep/charts"
	"sitrep/data"
)

// tallySource is what the Tallies screen reads and writes.
type tallySource interface {
	TallyChecks(f data.Filter) ([]data.TallyCheck, error)
	Tally(id string) (data.Tally, error)
	SaveTally(r *data.Tally) error
	recordEditor
}

// talliesScreen is the Tallies tab: every published tally beside what the incident records
// add up to for the same scope up to the same date, with the difference; a tally is edited,
// deleted (and the deletion undone) like an incident or a statement.
type talliesScreen struct {
	u      *UI
	src    tallySource
	rows   []data.TallyCheck
	table  *widget.Table
	status *widget.Label
	detail *fyne.Container

	editBtn, delBtn, undoBtn *widget.Button
	selected, deleted        string
	gen                      generation
	content                  fyne.CanvasObject
	// knownOnBar shows the shared "As known on" control; loaded is the filter the rows were
	// last read with, so that a change of the shared filter the screen does not use (an
	// actor, a topic) reads nothing.
	knownOnBar *filterBar
	loaded     *data.Filter
}

// tallyColumns are the Tallies table's columns.
var tallyColumns = []struct {
	title string
	width float32
}{
	{"As of", 105}, {"Claimant", 260}, {"Scope", 120},
	{"Killed (published)", 150}, {"Killed (records)", 140}, {"Difference", 110},
	{"Strikes (published)", 160}, {"Strikes (records)", 140}, {"Difference", 110},
	{"Source", 260}, {"ID", 90},
}

func newTalliesScreen(u *UI, src tallySource) *talliesScreen {
	s := &talliesScreen{u: u, src: src}
	titles := make([]string, len(tallyColumns))
	widths := make([]float32, len(tallyColumns))
	for i, c := range tallyColumns {
		titles[i], widths[i] = c.title, c.width
	}
	s.table = newTextTable(titles, widths, func() int { return len(s.rows) }, s.cell)
	s.table.OnSelected = func(id widget.TableCellID) {
		if id.Row >= 0 && id.Row < len(s.rows) {
			s.showDetail(s.rows[id.Row].Tally.ID)
		}
	}
	s.status = widget.NewLabel("")
	s.status.Wrapping = fyne.TextWrapWord
	s.editBtn = widget.NewButtonWithIcon("Edit…", theme.DocumentCreateIcon(), s.edit)
	s.delBtn = widget.NewButtonWithIcon("Delete…", theme.DeleteIcon(), s.confirmDelete)
	s.undoBtn = widget.NewButtonWithIcon("Undo delete", theme.ContentUndoIcon(), s.undoDelete)
	s.undoBtn.Hide()
	s.editBtn.Disable()
	s.delBtn.Disable()
	hint := widget.NewLabel("Select a tally to see every field, the incident records it is compared with, and its history.")
	hint.Wrapping = fyne.TextWrapWord
	s.detail = container.NewVBox(hint)
	intro := widget.NewLabel("Each published tally beside the sum of the incident records for the same scope up to the same date. " +
		"Difference = published minus records: positive when the claim is higher than what the records add up to; a range when either side is one.")
	intro.Wrapping = fyne.TextWrapWord
	// The tallies and the record sums follow the shared "As known on" time (and the dates and
	// theatres set on Incidents and Charts): a change on any screen reloads them.
	s.knownOnBar = newFilterBar(u.filters, "knownon")
	u.filters.listeners = append(u.filters.listeners, s.filterChanged)
	top := container.NewVBox(s.knownOnBar.content, intro)
	detailPane := container.NewBorder(container.NewHBox(heading("Details"), layoutSpacer(), s.editBtn, s.delBtn),
		nil, nil, nil, container.NewVScroll(s.detail))
	split := container.NewHSplit(s.table, detailPane)
	split.Offset = 0.75 // the Difference column on screen at 1366x768
	s.content = container.NewBorder(top, container.NewBorder(nil, nil, nil, s.undoBtn, s.status), nil, nil, split)
	return s
}

// cell is the text of a cell of the table.
func (s *talliesScreen) cell(row, col int) string {
	c := s.rows[row]
	t := c.Tally
	switch col {
	case 0:
		return dateRangeLabel(t.AsOf, data.Date{})
	case 1:
		return t.Claimant
	case 2:
		if data.AllScopes(t.Scope) {
			return data.ScopeAll
		}
		return t.Scope
	case 3:
		return publishedText(t.Killed)
	case 4:
		return rangeText(c.Records.KilledMin, c.Records.KilledMax) + unknownNote(c.Records.KilledUnknown)
	case 5:
		return diffText(c.Killed())
	case 6:
		return publishedText(t.Strikes)
	case 7:
		return thousands(c.Records.Incidents)
	case 8:
		return diffText(c.Strikes())
	case 9:
		return oneLineText(t.Source)
	case 10:
		return t.ID
	}
	return ""
}

func publishedText(c data.Count) string {
	if !c.Known() {
		return "not given"
	}
	return charts.TallyFigure(c)
}

func unknownNote(n int) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprintf(" (+%d unknown)", n)
}

// diffText shows a difference with its sign: "+3", "−2", "0", "+1 to +3".
func diffText(d data.Count, ok bool) string {
	if !ok {
		return "—"
	}
	sign := func(n int) string {
		switch {
		case n > 0:
			return "+" + thousands(n)
		case n < 0:
			return "−" + thousands(-n)
		}
		return "0"
	}
	if d.Min == d.Max {
		return sign(d.Min)
	}
	return sign(d.Min) + " to " + sign(d.Max)
}

// tallyFilter is the part of the shared filter the Tallies screen reads.
func tallyFilter(f data.Filter) data.Filter {
	return data.Filter{From: f.From, To: f.To, Theatres: f.Theatres, KnownOn: f.KnownOn}
}

// filterChanged reloads the tallies when the shared filter changed in a part they use.
func (s *talliesScreen) filterChanged() {
	f := tallyFilter(s.u.filters.f)
	if s.loaded != nil && s.loaded.From == f.From && s.loaded.To == f.To && s.loaded.KnownOn.Equal(f.KnownOn) &&
		strings.Join(s.loaded.Theatres, "\x00") == strings.Join(f.Theatres, "\x00") {
		return
	}
	s.reload()
}

// reload reads the tallies and their sums in the background.
func (s *talliesScreen) reload() {
	g := s.gen.next()
	f := tallyFilter(s.u.filters.f)
	s.loaded = &f
	s.status.SetText("Reading tallies…")
	s.u.background(func(context.Context) {
		rows, err := s.src.TallyChecks(f)
		s.u.do(func() {
			if !s.gen.current(g) {
				return
			}
			if err != nil {
				s.status.SetText("Could not read the tallies: " + plainError(err))
				return
			}
			s.rows = rows
			s.table.UnselectAll()
			s.table.Refresh()
			known := ""
			if !f.KnownOn.IsZero() {
				known = " as known on " + data.KnownOnLabel(f.KnownOn.Local())
			}
			switch n := len(rows); {
			case n == 0 && known != "":
				s.status.SetText("No published tallies" + known + ".")
			case n == 0:
				s.status.SetText("No published tallies. Import a sheet of tallies (as of, claimant, scope, strikes, killed, source) to compare them with the incident records.")
			default:
				s.status.SetText(fmt.Sprintf("%s published %s%s", thousands(n), pluralWord(n, "tally", "tallies"), known))
			}
			if s.selected != "" {
				s.showDetail(s.selected)
			}
		})
	})
}

func pluralWord(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// showDetail lists every field of tally id, the records it is compared with, and its history.
func (s *talliesScreen) showDetail(id string) {
	s.selected = id
	var c *data.TallyCheck
	for i := range s.rows {
		if s.rows[i].Tally.ID == id {
			c = &s.rows[i]
		}
	}
	if c == nil {
		s.editBtn.Disable()
		s.delBtn.Disable()
		return
	}
	s.editBtn.Enable()
	s.delBtn.Enable()
	t := c.Tally
	scope := "every theatre"
	if !data.AllScopes(t.Scope) {
		scope = t.Scope
	}
	compare := fmt.Sprintf("Compared with the %s incident %s in %s dated up to %s: %s killed%s.",
		thousands(c.Records.Incidents), pluralWord(c.Records.Incidents, "record", "records"), scope, t.AsOf.Label(),
		rangeText(c.Records.KilledMin, c.Records.KilledMax), unknownNote(c.Records.KilledUnknown))
	objs := []fyne.CanvasObject{wrapLabel(compare)}
	revs, err := s.src.Revisions(data.KindTally, id)
	switch {
	case err != nil:
		objs = append(objs, wrapLabel("History unavailable: "+plainError(err)))
	case len(revs) == 0:
		objs = append(objs, wrapLabel("No earlier versions."))
	default:
		lines := make([]string, 0, len(revs))
		for i := len(revs) - 1; i >= 0; i-- {
			lines = append(lines, fmt.Sprintf("Changed %s (%s)", revs[i].Replaced.Local().Format("2 Jan 2006 15:04"), changeBy(revs[i].By)))
		}
		objs = append(objs, heading(fmt.Sprintf("History (%d earlier version%s)", len(revs), plural(len(revs)))),
			wrapLabel(strings.Join(lines, "\n")))
	}
	objs = append(objs, widget.NewSeparator(), fieldGrid([]field{
		{"ID", t.ID}, {"As of", dateRangeLabel(t.AsOf, data.Date{})}, {"Claimant", t.Claimant},
		{"Scope", t.Scope}, {"Strikes", publishedText(t.Strikes)}, {"Killed", publishedText(t.Killed)},
		{"Survivors", publishedText(t.Survivors)}, {"Sources", t.Source}, {"Notes", t.Notes},
		{"Imported from", provenanceText(t.Provenance)},
	}))
	s.detail.Objects = objs
	s.detail.Refresh()
}

func changeBy(by string) string {
	switch by {
	case "", "edit":
		return "an edit in Sitrep"
	case "delete":
		return "deleted in Sitrep"
	}
	return "import " + by
}

func wrapLabel(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	return l
}

// edit opens the edit form of the selected tally.
func (s *talliesScreen) edit() {
	id := s.selected
	if id == "" {
		return
	}
	r, err := s.src.Tally(id)
	if err != nil {
		s.u.showError("Could not open "+id, err)
		return
	}
	showEditForm(s.u, "Edit tally "+id, tallyFields(&r), func() error {
		if err := r.Validate(); err != nil {
			return err
		}
		return s.src.SaveTally(&r)
	}, func() { s.u.Reload() })
}

func (s *talliesScreen) confirmDelete() {
	id := s.selected
	if id == "" {
		return
	}
	s.u.dlg.Confirm("Delete tally?",
		fmt.Sprintf("Delete tally %s? The deleted version is kept in its history, and you can undo this.", id),
		func(ok bool) {
			if !ok {
				return
			}
			if err := s.src.Delete(data.KindTally, id); err != nil {
				s.u.showError("Could not delete "+id, err)
				return
			}
			s.deleted, s.selected = id, ""
			s.undoBtn.SetText("Undo delete of " + id)
			s.undoBtn.Show()
			s.detail.Objects = []fyne.CanvasObject{wrapLabel("Deleted tally " + id + ".")}
			s.detail.Refresh()
			s.editBtn.Disable()
			s.delBtn.Disable()
			s.u.Reload()
		})
}

func (s *talliesScreen) undoDelete() {
	id := s.deleted
	if id == "" {
		return
	}
	if err := s.src.Restore(data.KindTally, id); err != nil {
		s.u.showError("Could not restore "+id, err)
		return
	}
	s.deleted = ""
	s.undoBtn.Hide()
	s.selected = id
	s.u.Reload()
}
