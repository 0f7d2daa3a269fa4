// Package charts builds Sitrep's charts with gonum/plot and exports them as PNG, SVG and
// PDF. It never imports Fyne: the GUI shows a chart through Chart.Image.
//
// A chart is made in two steps. Build reads a Source (the store) as a Spec asks and returns
// a *Chart: a title, a legend row, a *plot.Plot, annotations and a Caption. Chart.Render
// writes it at a Size; Chart.Image rasterises it for a preview.
//
// The house style lives in style.go and caption.go and is exported for every chart Sitrep
// draws: one embedded typeface (Liberation Sans, see Fonts), the Okabe-Ito palette with a
// fixed colour per theatre (TheatreColor) and per stance (StanceColor), light and dark
// variants (NewStyle), NewPlot for a plot with the house axes, IntTicks and TimeTicks for
// axes, FormatInt for thousands separators, and Caption for the note under a chart. A chart
// that Build does not make sets up a Chart itself (see the custom chart example), or sets
// Chart.Body to its own Drawer when it is not a gonum plot, and gets the same title, legend,
// caption and export.
//
// Layout: a chart is laid out on a page of about 13.3 x 7.5 inches (a 16:9 slide); Pixels
// picks the DPI that maps a pixel size onto that page, so a 1920x1080 and a 1200x675 export
// look the same, only sharper or smaller. Time axes use day numbers as x (DayX).
package charts
