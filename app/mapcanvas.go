package app

import (
	"image"
	"image/color"
	"image/draw"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/widget"

	"sitrep/charts"
)

// mapCanvas shows a map chart and lets the user pan it (drag), zoom it (scroll, or ZoomBy
// from buttons) and pick a dot (tap). It draws in the background, as the Charts preview
// does: the raster shows the last picture until the one for the new view arrives. Each
// render works on its own copy of the map view, so the view the user changes is never the
// one being drawn; the copy behind the picture on screen answers taps.
type mapCanvas struct {
	widget.BaseWidget
	raster *canvas.Raster
	// onTap receives the index in the map's Points of the dot tapped.
	onTap func(i int)
	// onRendered, when set, is told after each picture arrives (tests wait on it).
	onRendered func()
	jobs       *sync.WaitGroup
	do         func(func())

	mu      sync.Mutex
	chart   *charts.Chart
	view    *charts.MapView // the view the controls change
	gen     int             // bumped by every change of chart or view
	img     image.Image
	imgGen  int
	imgW    int
	imgH    int
	shown   *charts.MapView // the copy drawn into img (its transform answers taps)
	pending bool
	bg      color.Color
	// drag accumulates a drag in progress, in Fyne units.
	drag fyne.Delta
}

func newMapCanvas(jobs *sync.WaitGroup, do func(func())) *mapCanvas {
	m := &mapCanvas{jobs: jobs, do: do, bg: color.White}
	m.raster = canvas.NewRaster(m.generate)
	m.raster.ScaleMode = canvas.ImageScaleFastest
	m.ExtendBaseWidget(m)
	return m
}

// CreateRenderer implements fyne.Widget.
func (m *mapCanvas) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(m.raster)
}

// SetChart shows a new map chart (its Body must be a *charts.MapView).
func (m *mapCanvas) SetChart(ch *charts.Chart) {
	mv, _ := ch.Body.(*charts.MapView)
	m.mu.Lock()
	m.chart, m.view = ch, mv
	m.bg = ch.Style.Background
	m.gen++
	m.mu.Unlock()
	m.raster.Refresh()
}

// Update changes the view (extent, time) with fn and redraws.
func (m *mapCanvas) Update(fn func(v *charts.MapView)) {
	m.mu.Lock()
	if m.view == nil {
		m.mu.Unlock()
		return
	}
	fn(m.view)
	m.gen++
	m.mu.Unlock()
	m.raster.Refresh()
}

// ZoomBy zooms around the middle of the picture (2 shows half as much, 0.5 twice as much).
func (m *mapCanvas) ZoomBy(factor float64) { m.panZoom(0, 0, factor) }

func (m *mapCanvas) panZoom(dx, dy, factor float64) {
	m.mu.Lock()
	if m.shown == nil || m.view == nil {
		m.mu.Unlock()
		return
	}
	ext := m.shown.PanZoom(dx, dy, factor)
	m.view.Extent = ext
	m.gen++
	m.mu.Unlock()
	m.raster.Refresh()
}

// Dragged implements fyne.Draggable: the map follows the pointer.
func (m *mapCanvas) Dragged(e *fyne.DragEvent) {
	m.drag = fyne.Delta{DX: m.drag.DX + e.Dragged.DX, DY: m.drag.DY + e.Dragged.DY}
	sz := m.Size()
	if sz.Width <= 0 || sz.Height <= 0 {
		return
	}
	// Move by what the picture on screen has not shown yet, as a share of the map's size
	// (the map body is most of the chart; the share is close enough for dragging).
	d := m.drag
	m.drag = fyne.Delta{}
	m.panZoom(float64(d.DX/sz.Width), -float64(d.DY/sz.Height), 1)
}

// DragEnd implements fyne.Draggable.
func (m *mapCanvas) DragEnd() {}

// Scrolled implements fyne.Scrollable: scrolling up zooms in.
func (m *mapCanvas) Scrolled(e *fyne.ScrollEvent) {
	switch {
	case e.Scrolled.DY > 0:
		m.ZoomBy(1.25)
	case e.Scrolled.DY < 0:
		m.ZoomBy(0.8)
	}
}

// Tapped implements fyne.Tappable: a dot under the pointer goes to onTap.
func (m *mapCanvas) Tapped(e *fyne.PointEvent) {
	m.mu.Lock()
	shown, w, h := m.shown, m.imgW, m.imgH
	m.mu.Unlock()
	sz := m.Size()
	if shown == nil || m.onTap == nil || sz.Width <= 0 || w == 0 {
		return
	}
	x := float64(e.Position.X) * float64(w) / float64(sz.Width)
	y := float64(e.Position.Y) * float64(h) / float64(sz.Height)
	if i, ok := shown.PointAt(x, y, w, h); ok {
		m.onTap(i)
	}
}

// PointAt is the dot at (x, y) in Fyne units over the widget, as Tapped finds it.
func (m *mapCanvas) pointAt(pos fyne.Position) (int, bool) {
	m.mu.Lock()
	shown, w, h := m.shown, m.imgW, m.imgH
	m.mu.Unlock()
	sz := m.Size()
	if shown == nil || sz.Width <= 0 || w == 0 {
		return -1, false
	}
	return shown.PointAt(float64(pos.X)*float64(w)/float64(sz.Width), float64(pos.Y)*float64(h)/float64(sz.Height), w, h)
}

// generate is the raster's generator: the picture for this size and view when it has it,
// else the last one while a background render runs.
func (m *mapCanvas) generate(w, h int) image.Image {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.chart == nil || w < 10 || h < 10 {
		return blankImage(w, h, m.bg)
	}
	if m.img != nil && m.imgGen == m.gen && m.imgW == w && m.imgH == h {
		return m.img
	}
	if !m.pending {
		m.pending = true
		view := *m.view
		ch := *m.chart
		ch.Body = &view
		gen := m.gen
		if m.jobs != nil {
			m.jobs.Add(1)
		}
		go m.render(&ch, &view, gen, w, h)
	}
	if m.img != nil {
		return m.img
	}
	return blankImage(w, h, m.bg)
}

// blankImage is a w x h picture of one colour (a bounded one: painters scale it).
func blankImage(w, h int, c color.Color) image.Image {
	img := image.NewRGBA(image.Rect(0, 0, max(w, 1), max(h, 1)))
	draw.Draw(img, img.Bounds(), image.NewUniform(c), image.Point{}, draw.Src)
	return img
}

func (m *mapCanvas) render(ch *charts.Chart, view *charts.MapView, gen, w, h int) {
	if m.jobs != nil {
		defer m.jobs.Done()
	}
	img := ch.Image(w, h)
	m.mu.Lock()
	m.img, m.imgGen, m.imgW, m.imgH, m.shown = img, gen, w, h, view
	m.pending = false
	stale := gen != m.gen
	m.mu.Unlock()
	m.do(func() {
		m.raster.Refresh()
		if m.onRendered != nil && !stale {
			m.onRendered()
		}
	})
}
