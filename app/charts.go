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

	"sitrep/data"
)

// ChartKind is one chart the renderer can draw.
type ChartKind struct {
	ID, Name string
}

// ChartRequest is everything a chart depends on.
type ChartRequest struct {
	Kind   string
	Period data.Period
	// Rule is the counting rule for ranges: "min", "max" or "range".
	Rule   string
	Filter data.Filter
	// Annotations draws the published tallies and notes on the chart.
	Annotations bool
	// AsOf is the date the chart's caption states its data as of.
	AsOf data.Date
}

// ChartRenderer draws charts; main adapts the charts package to it.
type ChartRenderer interface {
	Kinds() []ChartKind
	// Render draws the chart at exactly width x height pixels.
	Render(ctx context.Context, req ChartRequest, width, height int) (image.Image, error)
	// Export writes the chart as format ("png", "svg" or "pdf") at width x height pixels and
	// dpi (the physical size is width/dpi inches).
	Export(ctx context.Context, req ChartRequest, format string, width, height int, dpi float64, w io.Writer) error
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
	u      *UI
	store  Store
	kinds  []ChartKind
	kind   *widget.Select
	period *widget.Select
	rule   *widget.Select
	annot  *widget.Check
	asOf   *widget.Entry
	filter *filterBar
	status *widget.Label
	raster *canvas.Raster
	export *widget.Button

	mu        sync.Mutex
	cacheKey  string
	cacheImg  image.Image
	lastErr   error
	renders   int
	content   fyne.CanvasObject
	exportDlg *chartExport
}

func newChartsScreen(u *UI) *chartsScreen {
	c := &chartsScreen{u: u, store: u.store}
	if u.opts.Charts != nil {
		c.kinds = u.opts.Charts.Kinds()
	}
	var names []string
	for _, k := range c.kinds {
		names = append(names, k.Name)
	}
	refresh := func(string) { c.refreshPreview() }
	c.kind = widget.NewSelect(names, refresh)
	c.period = widget.NewSelect(nil, refresh)
	for _, p := range periodChoices {
		c.period.Options = append(c.period.Options, p.label)
	}
	c.rule = widget.NewSelect(nil, refresh)
	for _, r := range ruleChoices {
		c.rule.Options = append(c.rule.Options, r.label)
	}
	c.annot = widget.NewCheck("Show published tallies and annotations", func(bool) { c.refreshPreview() })
	c.asOf = widget.NewEntry()
	c.asOf.SetPlaceHolder("YYYY-MM-DD (default: today)")
	c.asOf.OnChanged = refresh
	c.filter = newFilterBar(u.filters, "dates", "theatre", "actor", "confidence")
	u.filters.listeners = append(u.filters.listeners, c.refreshPreview)
	c.status = widget.NewLabel("")
	c.status.Wrapping = fyne.TextWrapWord
	c.raster = canvas.NewRaster(c.draw)
	c.raster.ScaleMode = canvas.ImageScaleFastest
	c.export = widget.NewButtonWithIcon("Export…", theme.DocumentSaveIcon(), c.showExport)
	c.export.Importance = widget.HighImportance
	if len(names) > 0 {
		c.kind.SetSelected(names[0])
	}
	c.period.SetSelected(periodChoices[0].label)
	c.rule.SetSelected(ruleChoices[0].label)
	c.annot.SetChecked(true)
	form := widget.NewForm(
		widget.NewFormItem("Chart", c.kind),
		widget.NewFormItem("Period", c.period),
		widget.NewFormItem("Count killed as", c.rule),
		widget.NewFormItem("Data as of", c.asOf),
		widget.NewFormItem("", c.annot),
	)
	left := container.NewVBox(heading("Chart"), form, c.export, widget.NewSeparator(), c.status)
	if u.opts.Charts == nil {
		c.export.Disable()
		c.status.SetText("Charts are not available in this build.")
	}
	preview := container.NewStack(canvas.NewRectangle(color.White), c.raster)
	right := container.NewBorder(container.NewHScroll(c.filter.content), nil, nil, nil, preview)
	split := container.NewHSplit(container.NewVScroll(left), right)
	split.Offset = 0.26
	c.content = split
	return c
}

// request reads the controls.
func (c *chartsScreen) request() ChartRequest {
	req := ChartRequest{Filter: c.u.filters.f, Annotations: c.annot.Checked, Period: data.PeriodWeek, Rule: "range"}
	for _, k := range c.kinds {
		if k.Name == c.kind.Selected {
			req.Kind = k.ID
		}
	}
	for _, p := range periodChoices {
		if p.label == c.period.Selected {
			req.Period = p.p
		}
	}
	for _, r := range ruleChoices {
		if r.label == c.rule.Selected {
			req.Rule = r.id
		}
	}
	req.AsOf = data.DateOf(time.Now())
	if d, err := data.ParseDate(strings.TrimSpace(c.asOf.Text)); err == nil {
		req.AsOf = d
	}
	return req
}

// refreshPreview redraws the preview with the current controls.
func (c *chartsScreen) refreshPreview() {
	if c.raster == nil {
		return
	}
	c.raster.Refresh()
}

// draw is the raster's generator: it renders the chart at exactly the pixel size asked,
// caching the last image so repaints without changes cost nothing.
func (c *chartsScreen) draw(w, h int) image.Image {
	if c.u.opts.Charts == nil || w < 10 || h < 10 {
		return image.NewUniform(color.White)
	}
	req := c.request()
	key := fmt.Sprintf("%+v|%d|%d|%s", req, w, h, c.store.Path())
	c.mu.Lock()
	if key == c.cacheKey && c.cacheImg != nil {
		img := c.cacheImg
		c.mu.Unlock()
		return img
	}
	c.mu.Unlock()
	img, err := c.u.opts.Charts.Render(context.Background(), req, w, h)
	c.mu.Lock()
	c.renders++
	c.lastErr = err
	if err == nil {
		c.cacheKey, c.cacheImg = key, img
	}
	c.mu.Unlock()
	if err != nil {
		msg := "Could not draw this chart: " + plainError(err)
		c.setStatus(msg)
		return image.NewUniform(color.White)
	}
	c.setStatus(fmt.Sprintf("Preview at %d × %d px. Export draws it again at the size you choose.", w, h))
	if b := img.Bounds(); b.Dx() != w || b.Dy() != h {
		dst := image.NewRGBA(image.Rect(0, 0, w, h))
		draw.Draw(dst, dst.Bounds(), image.White, image.Point{}, draw.Src)
		draw.Draw(dst, b.Sub(b.Min), img, b.Min, draw.Over)
		return dst
	}
	return img
}

// setStatus updates the status line from the raster generator, which runs while the canvas
// paints: the update is queued for the UI goroutine rather than made in the middle of a paint.
func (c *chartsScreen) setStatus(msg string) {
	c.u.jobs.Add(1)
	go func() {
		defer c.u.jobs.Done()
		c.u.do(func() {
			if c.status.Text != msg {
				c.status.SetText(msg)
			}
		})
	}()
}

// chartExport is the export dialog's widgets.
type chartExport struct {
	format *widget.Select
	size   *widget.Select
	dpi    *widget.Select
	save   *widget.Button
	hide   func()
}

var dpiChoices = []string{"96", "150", "300"}

func (c *chartsScreen) showExport() {
	if c.u.opts.Charts == nil {
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
	note := widget.NewLabel("The caption states what is counted, the date range, the sources and the as-of date.")
	note.Wrapping = fyne.TextWrapWord
	e.save = widget.NewButtonWithIcon("Save…", theme.DocumentSaveIcon(), nil)
	e.save.Importance = widget.HighImportance
	form := widget.NewForm(
		widget.NewFormItem("Format", e.format),
		widget.NewFormItem("Size", e.size),
		widget.NewFormItem("DPI", e.dpi))
	body := container.NewVBox(form, note, e.save)
	e.hide = c.u.dlg.Custom("Export chart", "Cancel", container.NewGridWrap(fyne.NewSize(440, body.MinSize().Height), body))
	e.save.OnTapped = func() {
		e.hide()
		c.exportAs(e.format.Selected, e.size.Selected, e.dpi.Selected)
	}
}

// exportAs asks where to save and writes the chart there in the background.
func (c *chartsScreen) exportAs(format, size, dpiText string) {
	req := c.request()
	w, h := 1920, 1080
	for _, s := range sizePresets {
		if s.label == size {
			w, h = s.w, s.h
		}
	}
	dpi := 150.0
	fmt.Sscanf(dpiText, "%g", &dpi)
	ext := strings.ToLower(format)
	name := fmt.Sprintf("sitrep-%s-%s.%s", req.Kind, req.AsOf.String(), ext)
	c.u.dlg.SaveFile(prefExportDir, name, func(out io.WriteCloser, path string) {
		c.u.runWithProgress("Exporting chart", "Drawing the chart at "+fmt.Sprintf("%d × %d", w, h)+"…",
			func(ctx context.Context, _ func(float64)) (string, error) {
				defer out.Close()
				if err := c.u.opts.Charts.Export(ctx, req, ext, w, h, dpi, out); err != nil {
					return "", err
				}
				return "Saved the chart to\n" + path, nil
			})
	})
}
