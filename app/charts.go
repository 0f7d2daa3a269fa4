package app

import (
	"context"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"io"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"sitrep/charts"
	"sitrep/data"
)

// ChartRenderer draws charts from a source: coreCharts (charts.Build) is the real one.
type ChartRenderer interface {
	// Render draws spec at exactly width x height pixels.
	Render(ctx context.Context, src charts.Source, spec charts.Spec, width, height int) (image.Image, error)
	// Export writes spec in format at size (the physical size is size.Width/size.DPI inches).
	Export(ctx context.Context, src charts.Source, spec charts.Spec, format charts.Format, size charts.Size, w io.Writer) error
}

// sizePreset is an export size.
type sizePreset struct {
	label string
	w, h  int
}

var sizePresets = []sizePreset{
	{"Slide 1920 × 1080", 1920, 1080},
	{"Slide 1280 × 720", 1280, 720},
	{"Report page 2400 × 1500", 2400, 1500},
	{"Square 1200 × 1200", 1200, 1200},
	{"Poster 3840 × 2160", 3840, 2160},
}

var ruleChoices = []struct{ id, label string }{
	{"range", "Range (lowest–highest reported)"},
	{"min", "Lowest reported figure"},
	{"max", "Highest reported figure"},
}

var periodChoices = []struct {
	p     data.Period
	label string
}{{data.PeriodWeek, "Week (ISO)"}, {data.PeriodMonth, "Month"}, {data.PeriodDay, "Day"}}

// chartsScreen is the Charts tab: controls on the left, a live preview on the right.
type chartsScreen struct {
	work     *worker
	dlg      Dialogs
	renderer ChartRenderer // nil: charts are not available
	filters  *filterState
	settings fyne.Settings // the theme, for the preview's variant
	// progress runs an export behind a progress dialog (UI.runWithProgress).
	progress func(title, message string, work func(ctx context.Context, progress func(float64, string)) (string, error))
	store    Store
	kinds    []charts.Kind
	kind     *widget.Select
	period   *widget.Select
	rule     *widget.Select
	annot    *widget.Check
	filter   *filterBar
	status   *widget.Label
	raster   *canvas.Raster
	export   *widget.Button

	mu       sync.Mutex
	cacheKey string
	cacheImg image.Image
	// pendingKey is the chart being rendered in the background ("" when none).
	pendingKey string
	lastErr    error
	renders    int
	content    fyne.CanvasObject
	exportDlg  *chartExport
}

func newChartsScreen(u *UI) *chartsScreen {
	c := &chartsScreen{work: u.worker, dlg: u.dlg, renderer: u.opts.Charts, filters: u.filters, settings: u.app.Settings(),
		progress: u.runWithProgress, store: u.store}
	return c.build()
}

// build makes the screen's widgets.
func (c *chartsScreen) build() *chartsScreen {
	if c.renderer != nil {
		c.kinds = charts.Kinds
	}
	var names []string
	for _, k := range c.kinds {
		names = append(names, k.Title())
	}
	refresh := func(string) { c.refreshPreview() }
	c.kind = widget.NewSelect(names, func(string) {
		// Strikes are counted, not ranged: the counting rule only applies to deaths.
		if c.rule != nil {
			if spec, _ := c.request(); spec.Kind == charts.KindStrikes {
				c.rule.Disable()
			} else {
				c.rule.Enable()
			}
		}
		c.refreshPreview()
	})
	c.period = widget.NewSelect(nil, refresh)
	for _, p := range periodChoices {
		c.period.Options = append(c.period.Options, p.label)
	}
	c.rule = widget.NewSelect(nil, refresh)
	for _, r := range ruleChoices {
		c.rule.Options = append(c.rule.Options, r.label)
	}
	c.annot = widget.NewCheck("Show published tallies and annotations", func(bool) { c.refreshPreview() })
	// "As known on" (shared with every screen) replaces the old "Data as of" field, which only
	// moved the end of the date range: it draws the data as the store held it then.
	c.filter = newFilterForm(c.filters, "knownon", "dates", "theatre", "actor", "confidence")
	c.filters.listeners = append(c.filters.listeners, c.refreshPreview)
	c.status = widget.NewLabel("")
	c.status.Wrapping = fyne.TextWrapWord
	c.raster = canvas.NewRaster(c.draw)
	c.raster.ScaleMode = canvas.ImageScaleFastest
	c.export = widget.NewButtonWithIcon("Export…", theme.DocumentSaveIcon(), c.showExport)
	c.export.Importance = widget.HighImportance
	c.period.SetSelected(periodChoices[0].label)
	c.rule.SetSelected(ruleChoices[0].label)
	c.annot.SetChecked(true)
	if len(names) > 0 {
		c.kind.SetSelected(names[0])
	}
	form := widget.NewForm(
		widget.NewFormItem("Chart", c.kind),
		widget.NewFormItem("Period", c.period),
		widget.NewFormItem("Count killed as", c.rule),
		widget.NewFormItem("", c.annot),
	)
	left := container.NewVBox(heading("Chart"), form, widget.NewSeparator(), heading("Filters (shared with the other screens)"), c.filter.content,
		widget.NewSeparator(), c.export, c.status)
	if c.renderer == nil {
		c.export.Disable()
		c.status.SetText("Charts are not available in this build.")
	}
	preview := container.NewStack(canvas.NewRectangle(color.White), c.raster)
	split := container.NewHSplit(container.NewVScroll(left), preview)
	split.Offset = 0.26
	c.content = split
	return c
}

// request reads the controls: the spec of the chart to draw (the preview in the theme's
// variant), and the day its data is as known on (zero: now), for the file's name.
func (c *chartsScreen) request() (charts.Spec, data.Date) {
	spec := charts.Spec{Filter: c.filters.f, Annotate: c.annot.Checked, Period: data.PeriodWeek, Count: charts.CountRange}
	for _, k := range c.kinds {
		if k.Title() == c.kind.Selected {
			spec.Kind = k
		}
	}
	for _, p := range periodChoices {
		if p.label == c.period.Selected {
			spec.Period = p.p
		}
	}
	for _, r := range ruleChoices {
		if r.label == c.rule.Selected {
			spec.Count = charts.CountRule(r.id)
		}
	}
	var asOf data.Date
	if !spec.Filter.KnownOn.IsZero() {
		asOf = data.DateOf(spec.Filter.KnownOn.Local())
	}
	dark := c.settings.ThemeVariant() == theme.VariantDark
	if th, ok := c.settings.Theme().(fixedVariant); ok {
		dark = th.v == theme.VariantDark
	}
	if dark {
		spec.Theme = "dark"
	}
	return spec, asOf
}

// storeChanged forgets the preview drawn from the store as it was: the next paint renders
// it again from the store as it is now (the last picture stays up meanwhile).
func (c *chartsScreen) storeChanged() {
	c.mu.Lock()
	c.cacheKey, c.pendingKey = "", ""
	c.mu.Unlock()
	c.refreshPreview()
}

// refreshPreview redraws the preview with the current controls.
func (c *chartsScreen) refreshPreview() {
	if c.raster == nil {
		return
	}
	c.raster.Refresh()
}

// draw is the raster's generator. It never renders on the painting goroutine: it returns the
// chart for exactly this size and these controls when it has it, else the last chart drawn (or
// white) while a background render at exactly w x h pixels runs; the raster is refreshed when
// that render arrives. On a million-incident store a chart takes a moment; the UI does not wait.
func (c *chartsScreen) draw(w, h int) image.Image {
	if c.renderer == nil || w < 10 || h < 10 {
		return image.NewUniform(color.White)
	}
	req, _ := c.request()
	key := fmt.Sprintf("%+v|%d|%d|%s", req, w, h, c.store.Path())
	c.mu.Lock()
	defer c.mu.Unlock()
	if key == c.cacheKey && c.cacheImg != nil {
		return c.cacheImg
	}
	if key != c.pendingKey {
		c.pendingKey = key
		c.work.jobs.Add(1)
		go c.render(req, key, w, h)
	}
	if c.cacheImg != nil {
		return c.cacheImg
	}
	return image.NewUniform(color.White)
}

// render draws the chart in the background and shows it if it is still the one wanted.
func (c *chartsScreen) render(spec charts.Spec, key string, w, h int) {
	defer c.work.jobs.Done()
	img, err := c.renderer.Render(context.Background(), c.store, spec, w, h)
	if err == nil {
		if b := img.Bounds(); b.Dx() != w || b.Dy() != h {
			dst := image.NewRGBA(image.Rect(0, 0, w, h))
			draw.Draw(dst, dst.Bounds(), image.White, image.Point{}, draw.Src)
			draw.Draw(dst, b.Sub(b.Min), img, b.Min, draw.Over)
			img = dst
		}
	}
	c.mu.Lock()
	c.renders++
	c.lastErr = err
	current := key == c.pendingKey
	if current && err == nil {
		c.cacheKey, c.cacheImg = key, img
	}
	if current {
		c.pendingKey = ""
	}
	c.mu.Unlock()
	if !current {
		return
	}
	msg := fmt.Sprintf("Preview at %d × %d px. Export draws it again at the size you choose.", w, h)
	if err != nil {
		msg = "Could not draw this chart: " + plainError(err)
	}
	c.work.do(func() {
		c.status.SetText(msg)
		if err == nil {
			c.raster.Refresh()
		}
	})
}

// chartExport is the export dialog's widgets.
type chartExport struct {
	format *widget.Select
	size   *widget.Select
	dpi    *widget.Select
	title  *widget.Entry
	theme  *widget.Select
	save   *widget.Button
	cancel *widget.Button
	hide   func()
}

var dpiChoices = []string{"96", "150", "300"}

func (c *chartsScreen) showExport() {
	if c.renderer == nil {
		return
	}
	e := &chartExport{}
	c.exportDlg = e
	e.format = widget.NewSelect([]string{"PNG", "SVG", "PDF"}, nil)
	e.format.SetSelected("PNG")
	var sizes []string
	for _, s := range sizePresets {
		sizes = append(sizes, s.label)
	}
	e.size = widget.NewSelect(sizes, nil)
	e.size.SetSelected(sizes[0])
	e.dpi = widget.NewSelect(dpiChoices, nil)
	e.dpi.SetSelected("150")
	spec, _ := c.request()
	e.title = widget.NewEntry()
	e.title.SetPlaceHolder(c.defaultTitle(spec))
	e.theme = widget.NewSelect([]string{"Light", "Dark"}, nil)
	e.theme.SetSelected("Light")
	// Short lines rather than a wrapped label: a wrapped label sizes the dialog too short and
	// its buttons ended up over each other.
	note := widget.NewLabel("The caption states what is counted, the date range,\nthe sources and the as-of date. Leave the title empty\nfor the chart's own, which names the selection.")
	e.save = widget.NewButtonWithIcon("Save…", theme.DocumentSaveIcon(), nil)
	e.save.Importance = widget.HighImportance
	e.cancel = widget.NewButton("Cancel", nil)
	form := widget.NewForm(
		widget.NewFormItem("Title", e.title),
		widget.NewFormItem("Format", e.format),
		widget.NewFormItem("Size", e.size),
		widget.NewFormItem("DPI", e.dpi),
		widget.NewFormItem("Theme", e.theme))
	width := canvas.NewRectangle(color.Transparent)
	width.SetMinSize(fyne.NewSize(460, 0))
	body := container.NewVBox(width, form, note, container.NewHBox(layoutSpacer(), e.cancel, e.save))
	e.hide = c.dlg.Custom("Export chart", "", body)
	e.cancel.OnTapped = func() { e.hide() }
	e.save.OnTapped = func() {
		e.hide()
		c.exportAs(e.format.Selected, e.size.Selected, e.dpi.Selected, strings.TrimSpace(e.title.Text), strings.ToLower(e.theme.Selected))
	}
}

// defaultTitle is the title the chart gets when the user gives none.
func (c *chartsScreen) defaultTitle(spec charts.Spec) string {
	t := spec.Kind.Title()
	switch spec.Kind {
	case charts.KindDeaths:
		t = "Deaths per " + string(spec.Period)
	case charts.KindStrikes:
		t = "Strikes per " + string(spec.Period) + ", by theatre"
	}
	return charts.TitleFor(t, spec.Filter)
}

// exportAs asks where to save and writes the chart there in the background.
func (c *chartsScreen) exportAs(format, size, dpiText, title, th string) {
	spec, asOf := c.request()
	spec.Title = title // "" keeps the chart's own title
	spec.Theme = ""    // light unless asked
	if th == "dark" {
		spec.Theme = "dark"
	}
	w, h := 1920, 1080
	for _, s := range sizePresets {
		if s.label == size {
			w, h = s.w, s.h
		}
	}
	dpi := 150.0
	fmt.Sscanf(dpiText, "%g", &dpi)
	ext := strings.ToLower(format)
	if asOf.IsZero() {
		asOf = data.DateOf(time.Now())
	}
	name := fmt.Sprintf("sitrep-%s-%s.%s", spec.Kind, asOf.String(), ext)
	src := c.store
	c.dlg.SaveFile(prefExportDir, name, func(out io.WriteCloser, path string) {
		c.progress("Exporting chart", "Drawing the chart at "+fmt.Sprintf("%d × %d", w, h)+"…",
			func(ctx context.Context, _ func(float64, string)) (string, error) {
				defer out.Close()
				size := charts.Size{Width: w, Height: h, DPI: int(dpi)}
				if err := c.renderer.Export(ctx, src, spec, charts.Format(ext), size, out); err != nil {
					return "", err
				}
				return "Saved the chart to\n" + path, nil
			})
	})
}
