package app

import (
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"sitrep/data"
	"sitrep/importers"
)

// column returns the texts of column col, top to bottom.
func columnTexts(rt *recordTable, col int) []string {
	var out []string
	for r := range rt.rows() {
		out = append(out, rt.cell(r, col))
	}
	return out
}

func colIndex(t *testing.T, rt *recordTable, title string) int {
	t.Helper()
	for i, c := range rt.titles {
		if c == title {
			return i
		}
	}
	t.Fatalf("no column %q", title)
	return -1
}

func TestIncidentsSortByHeader(t *testing.T) {
	h := demoHarness(t, nil)
	h.show(ScreenIncidents)
	rt := h.ui.incidents.table
	id := colIndex(t, rt, "ID")
	if got := strings.Join(columnTexts(rt, id), ","); got != "US-01,US-02,US-03,US-04" {
		t.Fatalf("date order = %s", got)
	}
	killed := colIndex(t, rt, "Killed")
	h.act(func() { rt.SortBy(killed) })
	h.wait()
	if got := strings.Join(columnTexts(rt, killed), ","); got != "2–4,3,6+,11" {
		t.Fatalf("killed ascending = %s", got)
	}
	// Tapping the header button sorts too; a second tap reverses.
	hdr := rt.table.CreateHeader().(*widget.Button)
	h.act(func() { rt.table.UpdateHeader(widget.TableCellID{Row: -1, Col: killed}, hdr) })
	h.act(func() { test.Tap(hdr) })
	h.wait()
	if got := strings.Join(columnTexts(rt, killed), ","); got != "11,6+,3,2–4" {
		t.Fatalf("killed descending = %s", got)
	}
	if hdr.Icon == nil {
		t.Error("sorted header shows no arrow")
	}
	loc := colIndex(t, rt, "Location")
	h.act(func() { rt.SortBy(loc) })
	h.wait()
	if got := strings.Join(columnTexts(rt, id), ","); got != "US-03,US-04,US-01,US-02" {
		t.Fatalf("by location = %s (%v)", got, columnTexts(rt, loc))
	}
}

// TestSortRunsInBackground: a sort leaves the UI goroutine at once (the table keeps its order
// and says "Sorting…" until the new order is swapped in); a newer sort supersedes an older one;
// the selected record stays selected.
func TestSortRunsInBackground(t *testing.T) {
	h := demoHarness(t, nil)
	h.show(ScreenIncidents)
	inc := h.ui.incidents
	rt := inc.table
	id, killed, loc := colIndex(t, rt, "ID"), colIndex(t, rt, "Killed"), colIndex(t, rt, "Location")
	h.act(func() { rt.table.Select(widget.TableCellID{Row: 1, Col: 0}) }) // US-02
	if inc.selected != "US-02" {
		t.Fatalf("selected %q", inc.selected)
	}
	h.act(func() {
		// The test holds the UI lock: the background sort cannot swap its order in yet.
		rt.SortBy(killed)
		if got := strings.Join(columnTexts(rt, id), ","); got != "US-01,US-02,US-03,US-04" {
			t.Errorf("order changed on the UI goroutine: %s", got)
		}
		if !rt.Sorting() || !strings.Contains(inc.status.Text, "Sorting 4 incidents") {
			t.Errorf("sorting=%v status %q", rt.Sorting(), inc.status.Text)
		}
		rt.SortBy(loc) // supersedes the sort by killed
	})
	h.wait()
	if got := strings.Join(columnTexts(rt, id), ","); got != "US-03,US-04,US-01,US-02" {
		t.Fatalf("by location = %s", got)
	}
	if rt.Sorting() || !strings.Contains(inc.status.Text, "4 incidents") || strings.Contains(inc.status.Text, "Sorting") {
		t.Fatalf("after sorting: sorting=%v status %q", rt.Sorting(), inc.status.Text)
	}
	if inc.selected != "US-02" || rt.selectedRow() != 3 {
		t.Fatalf("selection after sort: %q at row %d", inc.selected, rt.selectedRow())
	}
}

func TestIncidentsSharedFilterAndSearch(t *testing.T) {
	h := demoHarness(t, nil)
	h.show(ScreenIncidents)
	inc := h.ui.incidents
	h.act(func() { inc.filter.theatre.SetSelected("Eastern Pacific") })
	h.wait()
	if got := inc.table.rows(); got != 2 {
		t.Fatalf("Eastern Pacific rows = %d, want 2", got)
	}
	// The filter is shared: the Charts screen's bar shows it too.
	if got := h.ui.charts.filter.theatre.Selected; got != "Eastern Pacific" {
		t.Fatalf("charts theatre = %q", got)
	}
	if !strings.Contains(inc.status.Text, "2 incidents") {
		t.Fatalf("status = %q", inc.status.Text)
	}
	h.act(func() { test.Type(inc.search, "colombia") })
	h.wait()
	if got := inc.table.rows(); got != 1 || inc.table.cell(0, 1) != "US-03" {
		t.Fatalf("search rows = %d (%v)", got, columnTexts(inc.table, 1))
	}
	h.act(func() { inc.search.SetText("") })
	h.act(func() { test.Tap(inc.filter.clear) })
	h.wait()
	if got := inc.table.rows(); got != 4 {
		t.Fatalf("after clearing, rows = %d", got)
	}
	h.act(func() { inc.filter.from.SetText("2025-10-01") })
	h.wait()
	if got := inc.table.rows(); got != 2 {
		t.Fatalf("from 2025-10-01 rows = %d", got)
	}
}

func TestIncidentDetailEditAndHistory(t *testing.T) {
	h := demoHarness(t, nil)
	h.show(ScreenIncidents)
	inc := h.ui.incidents
	h.act(func() { inc.table.table.Select(widget.TableCellID{Row: 1, Col: 0}) })
	if inc.selected != "US-02" {
		t.Fatalf("selected %q", inc.selected)
	}
	text := detailText(inc.browser)
	for _, want := range []string{"Off Venezuela", "strikes.xlsx, sheet Strikes, row 3", "Press reports", "No earlier versions"} {
		if !strings.Contains(text, want) {
			t.Errorf("detail lacks %q:\n%s", want, text)
		}
	}
	h.act(func() { test.Tap(inc.editBtn) })
	form := h.ui.forms.last
	killed := form.entry("Killed")
	if killed.Text != "3" {
		t.Fatalf("killed entry = %q", killed.Text)
	}
	h.act(func() { killed.SetText("lots") })
	h.act(func() { test.Tap(form.save) })
	if !strings.Contains(form.msg.Text, "Not saved") {
		t.Fatalf("bad count accepted: %q", form.msg.Text)
	}
	h.act(func() { killed.SetText("11") })
	h.act(func() { test.Tap(form.save) })
	h.wait()
	r, _ := h.store.Incident("US-02")
	if r.Killed != data.Exactly(11) {
		t.Fatalf("stored killed = %v", r.Killed)
	}
	text = detailText(inc.browser)
	if !strings.Contains(text, "History (1 earlier version)") || !strings.Contains(text, "Killed: 3 → 11") {
		t.Fatalf("history not shown:\n%s", text)
	}
}

func TestIncidentDeleteAndUndo(t *testing.T) {
	h := demoHarness(t, nil)
	h.show(ScreenIncidents)
	inc := h.ui.incidents
	h.act(func() { inc.table.table.Select(widget.TableCellID{Row: 0, Col: 0}) })
	h.dlg.confirm = false
	h.act(func() { test.Tap(inc.delBtn) })
	h.wait()
	if inc.table.rows() != 4 {
		t.Fatal("deleted although the user said no")
	}
	h.dlg.confirm = true
	h.act(func() { test.Tap(inc.delBtn) })
	h.wait()
	if inc.table.rows() != 3 || !inc.undoBtn.Visible() {
		t.Fatalf("after delete rows = %d, undo visible = %v", inc.table.rows(), inc.undoBtn.Visible())
	}
	if got := h.ui.overview.cards[cardStrikes].Text; got != "3" {
		t.Fatalf("overview not refreshed after delete: %q", got)
	}
	h.act(func() { test.Tap(inc.undoBtn) })
	h.wait()
	if inc.table.rows() != 4 || inc.undoBtn.Visible() {
		t.Fatalf("after undo rows = %d", inc.table.rows())
	}
}

func TestStatementsTableAndDetail(t *testing.T) {
	h := demoHarness(t, nil)
	h.show(ScreenStatements)
	st := h.ui.statements
	if got := st.table.rows(); got != 5 {
		t.Fatalf("rows = %d", got)
	}
	h.act(func() { st.filter.topic.SetSelected("Intelligence sharing") })
	h.wait()
	if got := st.table.rows(); got != 2 {
		t.Fatalf("topic rows = %d", got)
	}
	h.act(func() { st.table.table.Select(widget.TableCellID{Row: 1, Col: 0}) })
	text := detailText(st.browser)
	if !strings.Contains(text, "We paused sharing intelligence") || !strings.Contains(text, "CNN report") {
		t.Fatalf("detail:\n%s", text)
	}
}

// TestEditFormAcceptsWhatImports: the edit form's count field reads every text the importer
// reads as a count (the same Count), and refuses what the importer refuses.
func TestEditFormAcceptsWhatImports(t *testing.T) {
	texts := []string{"", "unknown", "?", "-", "n/a", "3", " 1,234 ", "3.0", "2-4", "2–4", "2 to 4", "between 2 and 4",
		"10+", "6+", "at least 6", "more than 70", "over 5", "up to 5", "at most 5", "about 10", "dozens", "several",
		"a few", "hundreds", "two", "a dozen", "none", "-3", "lots and lots", "#N/A", "3 or 4"}
	for _, s := range texts {
		want, wantErr := importers.ParseCount(s)
		var got data.Count
		f := countField("Killed", data.Unknown, &got)
		err := f.apply(s)
		if (err != nil) != (wantErr != nil) {
			t.Errorf("%q: edit form error %v, importer error %v", s, err, wantErr)
			continue
		}
		if err == nil && got != want.Count {
			t.Errorf("%q: edit form reads %v, importer %v", s, got, want.Count)
		}
	}
	// A refusal says what to type.
	var c data.Count
	if err := countField("Killed", data.Unknown, &c).apply("lots and lots"); err == nil || !strings.Contains(err.Error(), "a range like 2-4") {
		t.Errorf("refusal: %v", err)
	}
}

// detailText joins the texts of the detail panel.
func detailText(b *browser) string {
	var sb strings.Builder
	for _, o := range b.detail.Objects {
		switch w := o.(type) {
		case *widget.Label:
			sb.WriteString(w.Text + "\n")
		case *widget.Form:
			for _, it := range w.Items {
				sb.WriteString(it.Text + ": ")
				if l, ok := it.Widget.(*widget.Label); ok {
					sb.WriteString(l.Text)
				}
				sb.WriteString("\n")
			}
		}
	}
	return sb.String()
}

// TestIncidentDetailListsLinkedStatements: the detail panel of an incident lists the statements
// whose incident ids name it (in any case), oldest first, and says so when there are none.
func TestIncidentDetailListsLinkedStatements(t *testing.T) {
	st := newMemStore(filepath.Join(t.TempDir(), "s.db"))
	stmts := demoStatements()
	stmts[4].IncidentIDs = []string{"us-03"} // ST-05, 12 Nov
	stmts[1].IncidentIDs = []string{"US-03", "US-01"}
	st.load("file", "f.xlsx", demoIncidents(), stmts)
	h := newHarness(t, st, nil)
	h.show(ScreenIncidents)
	inc := h.ui.incidents
	selectID := func(id string) string {
		t.Helper()
		row := -1
		for i := range inc.table.rows() {
			if inc.table.cell(i, colIndex(t, inc.table, "ID")) == id {
				row = i
			}
		}
		h.act(func() { inc.table.table.Select(widget.TableCellID{Row: row, Col: 0}) })
		return detailText(inc.browser)
	}
	text := selectID("US-03")
	i2, i5 := strings.Index(text, "ST-02"), strings.Index(text, "ST-05")
	if !strings.Contains(text, "Statements about this incident (2)") || i2 < 0 || i5 < 0 || i2 > i5 {
		t.Fatalf("detail of US-03:\n%s", text)
	}
	if !strings.Contains(text, "United Nations (High Commissioner): condemns") || !strings.Contains(text, "OHCHR press statement") {
		t.Fatalf("linked statement lacks who, stance or source:\n%s", text)
	}
	text = selectID("US-02")
	if !strings.Contains(text, "Statements about this incident (0)") || strings.Contains(text, "ST-0") {
		t.Fatalf("detail of US-02:\n%s", text)
	}
}
