package app

import (
	"context"
	"errors"
	"image"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"sitrep/data"
	"sitrep/importers"
)

// fakeImporter proposes a plan for a two-sheet workbook and imports rows into a memStore as
// the (possibly changed) plan says.
type fakeImporter struct {
	store   *memStore
	mu      sync.Mutex
	ran     *importers.Plan
	block   chan struct{} // when set, Run waits on it or the context
	inspect error
}

// Inspect proposes a plan as the importers would: the Strikes sheet read as incidents with
// Deaths mapped to notes (a wrong guess the user fixes), the Notes sheet skipped.
func (f *fakeImporter) Inspect(ctx context.Context, _ Store, path string) (*importers.Plan, error) {
	if f.inspect != nil {
		return nil, f.inspect
	}
	return &importers.Plan{
		Path: path, File: filepath.Base(path),
		Sheets: []*importers.SheetPlan{
			{Name: "Strikes", Kind: data.KindIncident, HeaderRow: 1, Headers: []string{"Ref", "Date", "Region", "Deaths", "Comment"},
				Preview:   [][]string{{"P-1", "03/04/2025", "Caribbean", "3", "x"}, {"P-2", "13/09/2025", "Caribbean", "2-4"}},
				Mapping:   importers.Mapping{"id": 0, "date": 1, "theatre": 2, "notes": 3},
				DateOrder: importers.DateOrderDayFirst},
			{Name: "Notes", Kind: importers.KindIgnored, Skip: true, HeaderRow: 1, Headers: []string{"a"}, Preview: [][]string{{"b"}},
				Note: "no date column: skipped"},
		},
	}, nil
}

// Run "imports" the preview rows of the first sheet into the memStore as the plan maps them.
func (f *fakeImporter) Run(ctx context.Context, _ Store, plan *importers.Plan, progress func(int, int)) (*importers.FileReport, error) {
	f.mu.Lock()
	f.ran = plan
	f.mu.Unlock()
	if f.block != nil {
		select {
		case <-f.block:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	progress(1, 2)
	sp := plan.Sheets[0]
	col := func(field importers.Field) int {
		if c, ok := sp.Mapping[field]; ok {
			return c
		}
		return -1
	}
	var inc []data.Incident
	sr := &importers.SheetReport{Name: sp.Name, Kind: string(sp.Kind), HeaderRow: sp.HeaderRow}
	for i, row := range sp.Preview {
		r := data.Incident{ID: row[col("id")], Theatre: row[col("theatre")], Date: data.Day(2025, 4, 3)}
		if k := col("killed"); k >= 0 {
			c, err := parseCount(row[k])
			if err != nil {
				sr.Rejected++
				sr.Problems = append(sr.Problems, importers.Problem{Row: sp.HeaderRow + 1 + i, Column: colLetter(k), Header: sp.Headers[k],
					Value: row[k], Message: "not a count", Level: importers.LevelError})
				continue
			}
			r.Killed = c
		}
		inc = append(inc, r)
	}
	f.store.load("file", plan.Path, inc, nil)
	sr.Inserted = len(inc)
	sr.Problems = append(sr.Problems, importers.Problem{Row: 9, Column: "B", Header: "Date", Value: "31/02/2025", Message: "no such day", Level: importers.LevelError})
	progress(2, 2)
	return &importers.FileReport{Path: plan.Path, Status: "imported", Sheets: []*importers.SheetReport{sr}}, nil
}

func TestImportFlowWithChangedMapping(t *testing.T) {
	st := newMemStore(filepath.Join(t.TempDir(), "s.db"))
	imp := &fakeImporter{store: st}
	h := newHarness(t, st, func(o *Options) { o.Importer = imp })
	h.dlg.openPath = "/data/partner.xlsx"
	h.act(func() { typeShortcut(h.win, "O") }) // Ctrl+O
	h.wait()
	p := h.ui.opened.preview
	if p == nil {
		t.Fatal("no preview after Ctrl+O")
	}
	if len(p.sheets) != 2 || p.sheets[0].kind.Selected != "Incidents" || p.sheets[1].kind.Selected != "Skip this sheet" {
		t.Fatalf("detected kinds wrong")
	}
	if p.dayFirst.Selected != dayFirstLabel {
		t.Fatalf("date order = %q", p.dayFirst.Selected)
	}
	deaths := p.sheets[0].mapping[3]
	if deaths.Selected != "Notes" {
		t.Fatalf("Deaths column mapped to %q", deaths.Selected)
	}
	// The user fixes the mapping: Deaths is killed; and reads dates month first.
	h.act(func() { deaths.SetSelected("Killed") })
	h.act(func() { p.dayFirst.SetSelected(monthFirstLabel) })
	h.act(func() { test.Tap(p.importB) })
	h.wait()
	if imp.ran == nil {
		t.Fatal("import did not run")
	}
	if sp := imp.ran.Sheets[0]; sp.Mapping["killed"] != 3 || sp.DateOrder != importers.DateOrderMonthFirst {
		t.Fatalf("plan not changed: %v order=%v", sp.Mapping, sp.DateOrder)
	}
	if _, ok := imp.ran.Sheets[0].Mapping["notes"]; ok {
		t.Fatalf("Deaths still mapped to notes as well: %v", imp.ran.Sheets[0].Mapping)
	}
	if sp := imp.ran.Sheets[1]; sp.Kind != importers.KindIgnored {
		t.Fatalf("skipped sheet imported as %q", sp.Kind)
	}
	r, err := st.Incident("P-2")
	if err != nil || r.Killed != data.Between(2, 4) {
		t.Fatalf("P-2 killed = %v (%v)", r.Killed, err)
	}
	a := h.ui.opened.audit
	if a == nil || !strings.Contains(a.summary.Text, "2 inserted") || !strings.Contains(a.summary.Text, "1 problem") {
		t.Fatalf("audit = %+v", a)
	}
	// Problems are exportable as CSV, and copyable.
	h.act(func() { test.Tap(a.saveB) })
	b, err := os.ReadFile(h.dlg.saved[len(h.dlg.saved)-1])
	if err != nil || !strings.Contains(string(b), "Strikes,9,B Date,31/02/2025,row not imported: no such day") {
		t.Fatalf("problems csv = %q, %v", b, err)
	}
	h.act(func() { test.Tap(a.copyB) })
	if clip := h.app.Clipboard().Content(); !strings.Contains(clip, "31/02/2025\trow not imported: no such day") {
		t.Fatalf("clipboard = %q", clip)
	}
	// The first-run screen gave way to the data, and the Imports log lists the import.
	if h.ui.body.Objects[0] != h.ui.tabs {
		t.Fatal("tabs not shown after the first import")
	}
	if len(h.ui.imports.entries) != 1 || h.ui.imports.entries[0].File != "/data/partner.xlsx" {
		t.Fatalf("import log = %+v", h.ui.imports.entries)
	}
}

func TestImportCancelLeavesStoreUnchanged(t *testing.T) {
	st := newMemStore(filepath.Join(t.TempDir(), "s.db"))
	imp := &fakeImporter{store: st, block: make(chan struct{})}
	h := newHarness(t, st, func(o *Options) { o.Importer = imp })
	h.act(func() { h.ui.ImportFiles([]string{"/data/a.xlsx"}) })
	h.wait()
	h.act(func() { test.Tap(h.ui.opened.preview.importB) })
	// Run is now blocked; the progress dialog's Cancel stops it.
	h.act(func() { test.Tap(h.ui.opened.progress.cancel) })
	h.wait()
	if n := len(st.incidents); n != 0 {
		t.Fatalf("%d incidents after cancel", n)
	}
	if !strings.Contains(h.dlg.lastInfo(), "Nothing was imported") {
		t.Fatalf("info = %q", h.dlg.lastInfo())
	}
}

func TestImportErrorInPlainWords(t *testing.T) {
	st := newMemStore(filepath.Join(t.TempDir(), "s.db"))
	imp := &fakeImporter{store: st, inspect: errors.New("sheet \"Strikes\" row 1: no header row found")}
	h := newHarness(t, st, func(o *Options) { o.Importer = imp })
	h.act(func() { h.ui.ImportFiles([]string{"/data/a.xlsx", "/data/b.xlsx"}) })
	h.wait()
	if len(h.dlg.errors) != 2 || !strings.Contains(h.dlg.errors[0].Error(), "Could not read a.xlsx: sheet \"Strikes\" row 1") {
		t.Fatalf("errors = %v", h.dlg.errors)
	}
}

func TestDropFilesImports(t *testing.T) {
	st := newMemStore(filepath.Join(t.TempDir(), "s.db"))
	imp := &fakeImporter{store: st}
	h := newHarness(t, st, func(o *Options) { o.Importer = imp })
	h.act(func() { h.ui.ImportFiles([]string{"/data/drop.xlsx"}) })
	h.wait()
	if h.ui.opened.preview == nil || h.ui.opened.preview.plan.Path != "/data/drop.xlsx" {
		t.Fatal("no preview for the dropped file")
	}
}

func TestChartsPreviewAndExport(t *testing.T) {
	h := demoHarness(t, nil)
	c := h.ui.charts
	var img image.Image
	h.act(func() { c.draw(800, 450) }) // starts the render in the background
	h.wait()
	h.act(func() { img = c.draw(800, 450) })
	if b := img.Bounds(); b.Dx() != 800 || b.Dy() != 450 {
		t.Fatalf("preview %v", b)
	}
	h.act(func() { c.period.SetSelected("Month") })
	h.act(func() { c.rule.SetSelected(ruleChoices[1].label) })
	h.act(func() { h.ui.filters.bars[0].theatre.SetSelected("Caribbean") })
	h.wait()
	h.act(func() { c.draw(640, 360) })
	h.wait()
	last := h.charts.renders[len(h.charts.renders)-1]
	if last != "strikes/month/min/theatre: Caribbean 640x360" {
		t.Fatalf("render request = %q", last)
	}
	n := len(h.charts.renders)
	h.act(func() { c.draw(640, 360) }) // unchanged: served from the cache
	if len(h.charts.renders) != n {
		t.Fatal("unchanged preview rendered again")
	}
	h.act(func() { test.Tap(c.export) })
	e := c.exportDlg
	h.act(func() { e.format.SetSelected("SVG") })
	h.act(func() { e.size.SetSelected(sizePresets[0].label) })
	h.act(func() { e.dpi.SetSelected("300") })
	h.act(func() { test.Tap(e.save) })
	h.wait()
	if len(h.charts.exports) != 1 || h.charts.exports[0] != "strikes svg 1920x1080@300" {
		t.Fatalf("exports = %v", h.charts.exports)
	}
	saved := h.dlg.saved[len(h.dlg.saved)-1]
	if !strings.HasSuffix(saved, ".svg") {
		t.Fatalf("saved as %s", saved)
	}
	if b, _ := os.ReadFile(saved); string(b) != "svg chart" {
		t.Fatalf("file = %q", b)
	}
}

func TestPositionsAsOfDate(t *testing.T) {
	h := demoHarness(t, nil)
	p := h.ui.positions
	h.act(func() { p.asOf.SetText("2025-11-01") })
	h.wait()
	cellOf := func(actor, topic string) data.Cell {
		t.Helper()
		c, ok := p.cell(actor, topic)
		if !ok {
			t.Fatalf("no cell %s / %s in %v x %v", actor, topic, p.matrix.Actors, p.matrix.Topics)
		}
		return c
	}
	if c := cellOf("United Kingdom", "Intelligence sharing"); c.Stance != "accepts with reservations" {
		t.Fatalf("UK on 1 Nov = %+v", c)
	}
	if c := cellOf("United Kingdom", "Legality of the strikes"); c.State != data.CellNoStatement {
		t.Fatalf("UK legality on 1 Nov should be no statement, got %+v", c)
	}
	h.act(func() { p.asOf.SetText("2025-11-15") })
	h.act(func() { p.compare.SetText("2025-11-01") })
	h.wait()
	c := cellOf("United Kingdom", "Intelligence sharing")
	if c.Stance != "concerned" || c.ChangedFrom == nil || c.ChangedFrom.Stance != "accepts with reservations" {
		t.Fatalf("UK on 15 Nov = %+v changed from %+v", c, c.ChangedFrom)
	}
	if c := cellOf("United States", "Legality of the strikes"); c.ChangedFrom != nil {
		t.Fatalf("US unchanged but marked changed: %+v", c)
	}
	// The cell shows the stance, speaker and role, date, quote, source and the earlier stance.
	look := cellLook(c)
	all := strings.Join(look.lines, "\n")
	for _, want := range []string{"● concerned", "Spokesperson", "11 Nov 2025", "paused sharing", "Source: CNN report", "was: accepts with reservations"} {
		if !strings.Contains(all, want) && !strings.Contains(all, strings.ReplaceAll(want, "11 Nov 2025", c.Date.Label())) {
			t.Fatalf("cell lines %q lack %q", look.lines, want)
		}
	}
	// no comment and no statement look different.
	nc := cellLook(cellOf("United Kingdom", "Legality of the strikes"))
	h.act(func() { p.asOf.SetText("2025-11-01") })
	h.wait()
	ns := cellLook(cellOf("United Kingdom", "Legality of the strikes"))
	if nc.lines[0] == ns.lines[0] || nc.fill == ns.fill || !strings.Contains(nc.lines[0], "no comment") || ns.lines[0] != data.NoStatementYetLabel {
		t.Fatalf("no comment (%q %v) and no statement (%q %v) look alike", nc.lines, nc.fill, ns.lines, ns.fill)
	}
	h.act(func() { p.asOf.SetText("2025-11-15") })
	h.wait()

	// Actors are the columns, topics the rows.
	col := slices.Index(p.matrix.Actors, "United Kingdom")
	row := slices.Index(p.matrix.Topics, "Intelligence sharing")
	if col < 0 || row < 0 {
		t.Fatalf("columns %v rows %v", p.matrix.Actors, p.matrix.Topics)
	}
	if nr, nc := p.table.Length(); nr != len(p.matrix.Topics) || nc != len(p.matrix.Actors) {
		t.Fatalf("table %dx%d, want topics x actors %dx%d", nr, nc, len(p.matrix.Topics), len(p.matrix.Actors))
	}
	// Cell details carry the full quote and the source.
	h.act(func() { p.table.Select(widget.TableCellID{Row: row, Col: col}) })
	if !strings.Contains(p.detail.Text, "We paused sharing intelligence on suspected boats.") ||
		!strings.Contains(p.detail.Text, "CNN report") || !strings.Contains(p.detail.Text, "was \"accepts with reservations\"") {
		t.Fatalf("detail = %q", p.detail.Text)
	}
	// The user reorders the columns: move the selected UK column to the far left.
	for i := 0; i < col; i++ {
		h.act(func() {
			p.table.Select(widget.TableCellID{Row: row, Col: slices.Index(p.matrix.Actors, "United Kingdom")})
			test.Tap(p.leftB)
		})
		h.wait()
	}
	if p.matrix.Actors[0] != "United Kingdom" {
		t.Fatalf("after moving left: %v", p.matrix.Actors)
	}
	h.act(func() {
		p.table.Select(widget.TableCellID{Row: row, Col: 0})
		test.Tap(p.rightB)
	})
	h.wait()
	if p.matrix.Actors[1] != "United Kingdom" {
		t.Fatalf("after moving right: %v", p.matrix.Actors)
	}
	order := append([]string(nil), p.matrix.Actors...)
	// Unticking an actor keeps the others' order; ticking it again puts it last.
	h.act(func() { p.actors.SetSelected(without(p.actors.Selected, order[0])) })
	h.wait()
	if !slices.Equal(p.matrix.Actors, order[1:]) {
		t.Fatalf("after unticking %s: %v", order[0], p.matrix.Actors)
	}
	h.act(func() { p.actors.SetSelected(append(p.actors.Selected, order[0])) })
	h.wait()
	if !slices.Equal(p.matrix.Actors, append(append([]string(nil), order[1:]...), order[0])) {
		t.Fatalf("after ticking %s again: %v", order[0], p.matrix.Actors)
	}
	// Unticking every actor empties the grid (it does not fall back to the default actors).
	h.act(func() { p.actors.SetSelected(nil) })
	h.wait()
	if len(p.matrix.Actors) != 0 || len(p.actors.Selected) != 0 || !strings.Contains(p.status.Text, "No actor is ticked") || !p.pngB.Disabled() {
		t.Fatalf("after unticking all: %v ticked %v status %q", p.matrix.Actors, p.actors.Selected, p.status.Text)
	}
	// Choosers narrow the grid, and exports get what is shown.
	h.act(func() { p.actors.SetSelected([]string{"United Kingdom"}) })
	h.wait()
	h.act(func() { p.topic.SetSelected("Intelligence sharing") })
	h.wait()
	if len(p.matrix.Actors) != 1 || len(p.matrix.Topics) != 1 {
		t.Fatalf("grid %v x %v", p.matrix.Actors, p.matrix.Topics)
	}
	h.act(func() { test.Tap(p.pngB) })
	h.act(func() { test.Tap(p.xlsxB) })
	h.wait()
	sort.Strings(h.pos.calls)
	if strings.Join(h.pos.calls, ";") != "png 2025-11-15 since 2025-11-01 United Kingdom 1920x1080;xlsx 2025-11-15 since 2025-11-01 Intelligence sharing" {
		t.Fatalf("exports = %v", h.pos.calls)
	}
}

// TestPositionsMonthDates: a statement dated only to the month counts from the month's end, as
// in the CLI and the exports (data.NewMatrix).
func TestPositionsMonthDates(t *testing.T) {
	st := newMemStore(filepath.Join(t.TempDir(), "s.db"))
	st.load("file", "s.csv", nil, []data.Statement{
		{ID: "M-1", Date: data.MonthOf(2025, 11), Actor: "Colombia", Topic: "Legality of the strikes", Stance: "condemns", Quote: "q", Source: "s"},
	})
	h := newHarness(t, st, nil)
	p := h.ui.positions
	h.act(func() { p.asOf.SetText("2025-11-12") })
	h.wait()
	if c, ok := p.cell("Colombia", "Legality of the strikes"); ok && c.State != data.CellNoStatement {
		t.Fatalf("as of 12 Nov, a November statement should not count yet: %+v", c)
	}
	h.act(func() { p.asOf.SetText("2025-11-30") })
	h.wait()
	if c, _ := p.cell("Colombia", "Legality of the strikes"); c.Stance != "condemns" {
		t.Fatalf("as of 30 Nov: %+v", c)
	}
}

func without(list []string, s string) []string {
	var out []string
	for _, v := range list {
		if v != s {
			out = append(out, v)
		}
	}
	return out
}

func TestImportsUndo(t *testing.T) {
	st := newMemStore(filepath.Join(t.TempDir(), "s.db"))
	st.load("demo", "demo", demoIncidents(), demoStatements())
	st.load("file", "extra.xlsx", []data.Incident{{ID: "X-1", Date: data.Day(2025, 12, 1), Theatre: "Caribbean"}}, nil)
	h := newHarness(t, st, nil)
	s := h.ui.imports
	if len(s.entries) != 2 || s.entries[0].File != "extra.xlsx" {
		t.Fatalf("log = %+v", s.entries)
	}
	if !s.undoB.Disabled() {
		t.Fatal("undo enabled with nothing selected")
	}
	h.act(func() { s.table.Select(widget.TableCellID{Row: 0, Col: 0}) })
	h.act(func() { test.Tap(s.undoB) })
	h.wait()
	if _, err := st.Incident("X-1"); err == nil {
		t.Fatal("X-1 still there after undo")
	}
	if got := h.ui.overview.cards[cardStrikes].Text; got != "4" {
		t.Fatalf("strikes after undo = %q", got)
	}
	if s.entries[0].Status != "undone" {
		t.Fatalf("status = %q", s.entries[0].Status)
	}
	// Undoing the demo import removes the banner.
	h.act(func() { s.table.Select(widget.TableCellID{Row: 1, Col: 0}) })
	h.act(func() { test.Tap(s.undoB) })
	h.wait()
	if h.ui.banner.Visible() {
		t.Fatal("banner still shown after undoing the demo")
	}
}

func TestStanceWordsAdded(t *testing.T) {
	h := demoHarness(t, nil)
	h.show(ScreenPositions)
	h.act(func() { test.Tap(h.ui.positions.wordsB) })
	e := h.ui.opened.vocab
	// A new word with a score of its own.
	h.act(func() {
		e.word.SetText("welcomes")
		e.meaning.SetSelected(newStanceScores[0].label)
		test.Tap(e.add)
	})
	h.wait()
	v, _ := h.store.Vocabulary()
	if d, ok := v.Lookup("welcomes"); !ok || d.Score != 2 {
		t.Fatalf("welcomes = %+v, %v (%s)", d, ok, e.msg.Text)
	}
	// A word already used elsewhere moves to the stance chosen.
	h.act(func() {
		e.word.SetText("distances itself")
		e.meaning.SetSelected("the same as defers (+0)")
		test.Tap(e.add)
	})
	h.wait()
	v, _ = h.store.Vocabulary()
	if d, ok := v.Lookup("distances itself"); !ok || d.Word != "defers" {
		t.Fatalf("distances itself = %+v (%s)", d, e.msg.Text)
	}
	if !strings.Contains(e.list.Text, "distances itself") {
		t.Fatalf("list not refreshed: %s", e.list.Text)
	}
	// Nothing typed: a plain message, nothing saved.
	h.act(func() { e.word.SetText(""); test.Tap(e.add) })
	if !strings.Contains(e.msg.Text, "type the word") {
		t.Fatalf("msg = %q", e.msg.Text)
	}
}
