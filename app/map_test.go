package app

import (
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"sitrep/data"
)

// mapIncidents: the demo set (placed by sea) and two strikes with coordinates.
func mapIncidents() []data.Incident {
	inc := demoIncidents()
	return append(inc,
		data.Incident{ID: "PK-01", Date: data.Day(2025, 9, 20), Theatre: "Pakistan", Country: "Pakistan", Location: "Miranshah",
			HasCoords: true, Lat: 32.99, Lon: 70.07, Killed: data.Between(4, 9), Source: "Press"},
		data.Incident{ID: "PK-02", Date: data.Day(2025, 11, 2), Theatre: "Pakistan", Country: "Pakistan", Location: "Wana",
			HasCoords: true, Lat: 32.30, Lon: 69.57, Killed: data.Exactly(2), Source: "Press"})
}

func mapHarness(t *testing.T) (*harness, *mapScreen) {
	st := newMemStore(filepath.Join(t.TempDir(), "s.db"))
	st.load("file", "strikes.xlsx", mapIncidents(), nil)
	h := newHarness(t, st, nil)
	h.act(func() { h.win.Resize(fyne.NewSize(1366, 768)) })
	m := h.ui.maps
	if m.view != nil {
		t.Fatal("the map was built before its tab was shown")
	}
	h.show(ScreenMap)
	return h, m
}

// renderMap asks the map's raster for its picture at the widget's size, as painting does,
// until the picture drawn for that size is there (the first call starts it in the
// background).
func (h *harness) renderMap(m *mapScreen) {
	sz := m.canvas.Size()
	for range 3 {
		h.act(func() { m.canvas.raster.Generator(int(sz.Width), int(sz.Height)) })
		h.wait()
	}
}

func TestMapScreenPlacesAndSteps(t *testing.T) {
	h, m := mapHarness(t)
	if m.view == nil {
		t.Fatalf("no map built; status %q", m.status.Text)
	}
	if len(m.view.Points) != 2 || len(m.view.Areas) != 2 {
		t.Fatalf("%d points, %d areas; want the 2 Pakistan strikes as points and the Caribbean and the Eastern Pacific as areas",
			len(m.view.Points), len(m.view.Areas))
	}
	if !strings.Contains(m.status.Text, "6 incidents on the map: 2 with coordinates from the file, 4 placed by country or sea") {
		t.Errorf("status %q", m.status.Text)
	}
	if m.slider.Min != float64(data.Day(2025, 9, 2).DayNumber()) || m.slider.Max != float64(data.Day(2025, 11, 4).DayNumber()) {
		t.Errorf("slider %v..%v", m.slider.Min, m.slider.Max)
	}
	// Step back to 20 September: the slider says so and the map shows only what came before.
	h.act(func() { m.slider.SetValue(float64(data.Day(2025, 9, 20).DayNumber())) })
	if m.until.Text != "Up to 20 Sep 2025" {
		t.Errorf("until %q", m.until.Text)
	}
	m.canvas.mu.Lock()
	until := m.canvas.view.Until
	m.canvas.mu.Unlock()
	if until != data.Day(2025, 9, 20).DayNumber() {
		t.Errorf("map until %d", until)
	}
	h.act(func() { m.slider.SetValue(m.slider.Max) })
	if m.until.Text != "All dates" {
		t.Errorf("until at the end %q", m.until.Text)
	}
	// Colour by placement: a new build.
	built := m.built
	h.act(func() { m.by.SetSelected("How it was placed") })
	h.wait()
	if m.built != built+1 || len(m.view.Groups) != 2 {
		t.Errorf("grouping by placement: built %d -> %d, groups %+v", built, m.built, m.view.Groups)
	}
}

func TestMapScreenTapOpensIncident(t *testing.T) {
	h, m := mapHarness(t)
	h.act(func() { m.region.SetSelected("The world") })
	h.wait()
	h.renderMap(m)
	// Find a dot by scanning the canvas, then tap it.
	sz := m.canvas.Size()
	var at fyne.Position
	found := false
	for y := float32(0); y < sz.Height && !found; y += 2 {
		for x := float32(0); x < sz.Width; x += 2 {
			if _, ok := m.canvas.pointAt(fyne.NewPos(x, y)); ok {
				at, found = fyne.NewPos(x, y), true
				break
			}
		}
	}
	if !found {
		t.Fatal("no dot found on the map")
	}
	h.act(func() { test.TapAt(m.canvas, at) })
	h.wait()
	if !strings.HasPrefix(h.ui.incidents.selected, "PK-0") {
		t.Fatalf("selected %q after tapping a dot", h.ui.incidents.selected)
	}
	fs, err := h.ui.incidents.k.fields(h.ui.incidents.selected)
	if err != nil {
		t.Fatal(err)
	}
	said := ""
	for _, f := range fs {
		if f.label == "On the map" {
			said = f.value
		}
	}
	if !strings.HasPrefix(said, "coordinates from the file") {
		t.Errorf("the detail says %q about the map", said)
	}
	// Zoom in twice and out: the extent shrinks, then grows.
	m.canvas.mu.Lock()
	before := m.canvas.view.Extent
	m.canvas.mu.Unlock()
	h.act(func() { m.canvas.ZoomBy(2) })
	m.canvas.mu.Lock()
	after := m.canvas.view.Extent
	m.canvas.mu.Unlock()
	if after.Max.Lon-after.Min.Lon >= before.Max.Lon-before.Min.Lon {
		t.Errorf("zoom in: %v -> %v", before, after)
	}
}

// TestMapScreenFromItsDependencies builds the Map screen with only what it gets from the
// window (worker, dialogs, source, filters, settings, callbacks): it builds when on screen,
// notes a change while hidden, follows the shared filters, and a tapped dot goes to the
// incident opener.
func TestMapScreenFromItsDependencies(t *testing.T) {
	a := test.NewTempApp(t)
	st := newMemStore(filepath.Join(t.TempDir(), "s.db"))
	st.load("file", "strikes.xlsx", mapIncidents(), nil)
	var lock sync.Mutex
	act := func(fn func()) { lock.Lock(); defer lock.Unlock(); fn() }
	work := &worker{uiMu: &lock}
	t.Cleanup(work.jobs.Wait)
	onScreen := false
	var opened []string
	filters := newFilterState()
	var m *mapScreen
	act(func() {
		m = (&mapScreen{work: work, dlg: &fakeDialogs{t: t}, src: st, filters: filters, settings: a.Settings(),
			onScreen: func() bool { return onScreen }, openIncident: func(id string) { opened = append(opened, id) }}).build()
	})
	act(m.storeChanged)
	work.jobs.Wait()
	if m.view != nil || !m.dirty {
		t.Fatalf("built while hidden (dirty %v)", m.dirty)
	}
	onScreen = true
	act(m.shown)
	work.jobs.Wait()
	if m.view == nil || len(m.view.Points) != 2 {
		t.Fatalf("map not built when shown: %q", m.status.Text)
	}
	act(func() { filters.set(data.Filter{Theatres: []string{"Pakistan"}}, nil) })
	work.jobs.Wait()
	if len(m.view.Points) != 2 || len(m.view.Areas) != 0 {
		t.Errorf("with the Pakistan filter: %d points, %d areas; want the 2 strikes and no area", len(m.view.Points), len(m.view.Areas))
	}
	act(func() { m.openPoint(1) })
	if len(opened) != 1 || !strings.HasPrefix(opened[0], "PK-0") {
		t.Fatalf("tapping a dot opened %v", opened)
	}
}
