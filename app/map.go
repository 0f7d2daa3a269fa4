package app

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"sitrep/charts"
	"sitrep/data"
	"sitrep/geo"
)

var mapGroupings = []struct {
	g     charts.Grouping
	label string
}{
	{charts.GroupTheatre, "Theatre"}, {charts.GroupCountry, "Country"}, {charts.GroupActor, "Actor"},
	{charts.GroupConfidence, "Confidence"}, {charts.GroupPlacement, "How it was placed"},
}

var mapUnits = []struct {
	u     charts.Unit
	label string
}{{charts.UnitStrikes, "Strikes"}, {charts.UnitDeaths, "Deaths"}}

var mapRegions = []struct{ extent, label string }{{"auto", "The data's region"}, {"world", "The world"}}

// mapExportSizes are the chart presets a map exports at.
var mapExportSizes = []struct {
	label string
	size  charts.Size
}{
	{"Slide 1920 × 1080", charts.SizeSlide},
	{"Social 1200 × 675", charts.SizeSocial},
	{"A4 landscape, 300 DPI", charts.SizeA4},
}

// mapScreen is the Map tab: where the incidents happened, with the shared filters, a time
// slider (the incidents up to a date, to step through a campaign), pan and zoom (drag,
// scroll, the buttons); tapping a dot opens the incident.
type mapScreen struct {
	work     *worker
	dlg      Dialogs
	src      charts.Source // the store (rebound when another store is opened)
	filters  *filterState
	settings fyne.Settings // which theme the map follows
	// onScreen reports whether the Map tab is selected; openIncident shows an incident on
	// the Incidents screen; progress runs an export behind a progress dialog
	// (UI.runWithProgress).
	onScreen     func() bool
	openIncident func(id string)
	progress     func(title, message string, work func(ctx context.Context, progress func(float64, string)) (string, error))

	canvas *mapCanvas
	by     *widget.Select
	unit   *widget.Select
	region *widget.Select
	slider *widget.Slider
	until  *widget.Label
	filter *filterBar
	status *widget.Label
	export *widget.Button

	// first and last are the day numbers the slider runs between; gen numbers the builds so
	// that an old one arriving late is dropped.
	first, last int
	gen         generation
	// dirty says the map must be built again (the store or the filters changed while the
	// screen was not shown; it starts so, and is built when first shown).
	dirty bool
	// view is the map shown (for tests); built counts the builds shown.
	view    *charts.MapView
	built   int
	content fyne.CanvasObject
}

func newMapScreen(u *UI) *mapScreen {
	m := &mapScreen{work: u.worker, dlg: u.dlg, src: u.store, filters: u.filters, settings: u.app.Settings(),
		onScreen: func() bool { return u.tabs != nil && u.Current() == ScreenMap }, openIncident: u.openIncident,
		progress: u.runWithProgress}
	return m.build()
}

// build makes the screen's widgets.
func (m *mapScreen) build() *mapScreen {
	m.canvas = newMapCanvas(&m.work.jobs, m.work.do)
	m.canvas.onTap = m.openPoint
	rebuild := func(string) { m.storeChanged() }
	m.by = widget.NewSelect(nil, rebuild)
	for _, g := range mapGroupings {
		m.by.Options = append(m.by.Options, g.label)
	}
	m.unit = widget.NewSelect(nil, rebuild)
	for _, x := range mapUnits {
		m.unit.Options = append(m.unit.Options, x.label)
	}
	m.region = widget.NewSelect(nil, rebuild)
	for _, r := range mapRegions {
		m.region.Options = append(m.region.Options, r.label)
	}
	m.until = widget.NewLabel("All dates")
	m.slider = widget.NewSlider(0, 1)
	m.slider.Step = 1
	m.slider.OnChanged = m.setUntil
	m.filter = newFilterForm(m.filters, "dates", "theatre", "actor", "confidence")
	m.filters.listeners = append(m.filters.listeners, m.storeChanged)
	m.status = widget.NewLabel("")
	m.status.Wrapping = fyne.TextWrapWord
	m.export = widget.NewButtonWithIcon("Export…", theme.DocumentSaveIcon(), m.showExport)
	m.export.Importance = widget.HighImportance
	m.by.SetSelected(mapGroupings[0].label)
	m.unit.SetSelected(mapUnits[0].label)
	m.region.SetSelected(mapRegions[0].label)

	zoomIn := widget.NewButtonWithIcon("", theme.ZoomInIcon(), func() { m.canvas.ZoomBy(2) })
	zoomOut := widget.NewButtonWithIcon("", theme.ZoomOutIcon(), func() { m.canvas.ZoomBy(0.5) })
	fit := widget.NewButtonWithIcon("Fit", theme.ZoomFitIcon(), m.rebuild)
	form := widget.NewForm(
		widget.NewFormItem("Colour dots by", m.by),
		widget.NewFormItem("Shade areas by", m.unit),
		widget.NewFormItem("Show", m.region),
	)
	hint := widget.NewLabel("Drag to move, scroll to zoom, tap a dot to open its incident.")
	hint.Wrapping = fyne.TextWrapWord
	left := container.NewVBox(heading("Map"), form, container.NewHBox(zoomIn, zoomOut, fit), hint,
		widget.NewSeparator(), heading("Incidents up to"), m.until, m.slider,
		widget.NewSeparator(), heading("Filters (shared with Incidents)"), m.filter.content,
		widget.NewSeparator(), m.export, m.status)
	split := container.NewHSplit(container.NewVScroll(left), m.canvas)
	split.Offset = 0.26
	m.content = split
	m.dirty = true
	return m
}

// shown builds the map when it is out of date; the app calls it when the tab is selected.
func (m *mapScreen) shown() {
	if m.dirty {
		m.rebuild()
	}
}

// storeChanged rebuilds the map now when it is on screen, else when it is next shown: a
// map reads every incident the filters select, which a million-incident store makes slow.
func (m *mapScreen) storeChanged() {
	if m.onScreen() {
		m.rebuild()
		return
	}
	m.dirty = true
}

// spec reads the controls.
func (m *mapScreen) spec() charts.Spec {
	s := charts.Spec{Kind: charts.KindMap, Filter: m.filters.f}
	for _, g := range mapGroupings {
		if g.label == m.by.Selected {
			s.By = g.g
		}
	}
	for _, x := range mapUnits {
		if x.label == m.unit.Selected {
			s.Unit = x.u
		}
	}
	for _, r := range mapRegions {
		if r.label == m.region.Selected {
			s.Extent = r.extent
		}
	}
	dark := m.settings.ThemeVariant() == theme.VariantDark
	if th, ok := m.settings.Theme().(fixedVariant); ok {
		dark = th.v == theme.VariantDark
	}
	if dark {
		s.Theme = charts.ThemeDark
	}
	return s
}

// rebuild reads the incidents and builds the map in the background.
func (m *mapScreen) rebuild() {
	if m.by == nil || m.unit == nil || m.region == nil || m.by.Selected == "" || m.unit.Selected == "" || m.region.Selected == "" {
		return // still being set up
	}
	m.dirty = false
	spec := m.spec()
	g := m.gen.next()
	src := m.src
	m.status.SetText("Placing the incidents…")
	m.work.background(func(ctx context.Context) {
		ch, err := charts.Build(src, spec)
		m.work.do(func() {
			if !m.gen.current(g) {
				return
			}
			if err != nil {
				m.status.SetText("Could not draw the map: " + plainError(err))
				return
			}
			m.show(ch)
		})
	})
}

// show puts a built map on screen and sets the slider to its dates.
func (m *mapScreen) show(ch *charts.Chart) {
	mv, ok := ch.Body.(*charts.MapView)
	if !ok {
		return
	}
	m.view = mv
	m.built++
	first, last := 0, 0
	note := func(d int) {
		if d <= -1<<30 {
			return // undated
		}
		if first == 0 || d < first {
			first = d
		}
		if d > last {
			last = d
		}
	}
	placed := len(mv.Points)
	for _, p := range mv.Points {
		note(p.Day)
	}
	for _, a := range mv.Areas {
		placed += len(a.Incidents)
		for _, inc := range a.Incidents {
			note(inc.Day)
		}
	}
	m.first, m.last = first, last
	m.slider.OnChanged = nil
	if last > first {
		m.slider.Min, m.slider.Max = float64(first), float64(last)
		m.slider.SetValue(float64(last))
		m.slider.Enable()
	} else {
		m.slider.Min, m.slider.Max = 0, 1
		m.slider.SetValue(1)
		m.slider.Disable()
	}
	m.slider.OnChanged = m.setUntil
	m.until.SetText("All dates")
	m.canvas.SetChart(ch)
	m.status.SetText(fmt.Sprintf("%s incident%s on the map: %s with coordinates from the file, %s placed by country or sea.",
		thousands(placed), plural(placed), thousands(len(mv.Points)), thousands(placed-len(mv.Points))))
}

// setUntil shows the incidents up to the slider's day.
func (m *mapScreen) setUntil(v float64) {
	d := int(v)
	until := d
	label := "Up to " + data.DateFromDayNumber(d).Label()
	if d >= m.last {
		until, label = 0, "All dates"
	}
	m.until.SetText(label)
	m.canvas.Update(func(mv *charts.MapView) { mv.Until = until })
}

// openPoint opens the incident of dot i on the Incidents tab, with its detail (which says
// how it was placed).
func (m *mapScreen) openPoint(i int) {
	if m.view == nil || i < 0 || i >= len(m.view.Points) {
		return
	}
	m.openIncident(m.view.Points[i].ID)
}

func (m *mapScreen) showExport() {
	format := widget.NewSelect([]string{"PNG", "SVG", "PDF"}, nil)
	format.SetSelected("PNG")
	var sizes []string
	for _, s := range mapExportSizes {
		sizes = append(sizes, s.label)
	}
	size := widget.NewSelect(sizes, nil)
	size.SetSelected(sizes[0])
	note := widget.NewLabel("The export shows the region on screen, the incidents up to the slider's date, and the same caption as every chart. Exports are light.")
	note.Wrapping = fyne.TextWrapWord
	save := widget.NewButtonWithIcon("Save…", theme.DocumentSaveIcon(), nil)
	save.Importance = widget.HighImportance
	body := container.NewVBox(widget.NewForm(widget.NewFormItem("Format", format), widget.NewFormItem("Size", size)), note, save)
	hide := m.dlg.Custom("Export map", "Cancel", container.NewGridWrap(fyne.NewSize(440, body.MinSize().Height), body))
	save.OnTapped = func() {
		hide()
		m.exportAs(strings.ToLower(format.Selected), size.Selected)
	}
}

// exportAs draws the map as shown (region, date) in the light theme and saves it.
func (m *mapScreen) exportAs(format, sizeLabel string) {
	if m.view == nil {
		return
	}
	sz := charts.SizeSlide
	for _, s := range mapExportSizes {
		if s.label == sizeLabel {
			sz = s.size
		}
	}
	spec := m.spec()
	spec.Theme = charts.ThemeLight
	var ext geo.Rect
	var until int
	m.canvas.mu.Lock()
	if m.canvas.view != nil {
		ext, until = m.canvas.view.Extent, m.canvas.view.Until
	}
	m.canvas.mu.Unlock()
	name := fmt.Sprintf("sitrep-map-%s.%s", data.DateOf(time.Now()).String(), format)
	src := m.src
	m.dlg.SaveFile(prefExportDir, name, func(out io.WriteCloser, path string) {
		m.progress("Exporting the map", fmt.Sprintf("Drawing the map at %d × %d…", sz.Width, sz.Height),
			func(ctx context.Context, _ func(float64, string)) (string, error) {
				defer out.Close()
				ch, err := charts.Build(src, spec)
				if err != nil {
					return "", err
				}
				if mv, ok := ch.Body.(*charts.MapView); ok {
					mv.Extent, mv.Until = ext, until
					if until != 0 {
						ch.Caption.Notes = append(ch.Caption.Notes, "Incidents up to "+data.DateFromDayNumber(until).Label())
					}
				}
				if err := ch.Render(out, charts.Format(format), sz); err != nil {
					return "", err
				}
				return "Saved the map to\n" + path, nil
			})
	})
}
