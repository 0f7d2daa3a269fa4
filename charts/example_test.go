package charts_test

import (
	"bytes"
	"fmt"
	"image/png"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg/draw"

	"sitrep/charts"
	"sitrep/data"
)

// A chart that Build does not make (here: one actor's stance scores over time), drawn in
// the house style so that it matches the others: NewStyle, NewPlot, the vocabulary's stance
// colours, a Chart for the title, legend and caption, and Render for export.
func Example_customChart() {
	st := charts.NewStyle(charts.ThemeLight)
	voc := data.DefaultVocabulary()
	statements := []data.Statement{
		{Date: data.MustDate("2025-09-15"), Actor: "United Kingdom", Stance: "accepts with reservations", Source: "Hansard"},
		{Date: data.MustDate("2025-11-11"), Actor: "United Kingdom", Stance: "concerned", Source: "CNN"},
	}

	p := charts.NewPlot(st)
	p.Y.Min, p.Y.Max = -2, 2
	p.Y.Tick.Marker = plot.ConstantTicks{{Value: -2, Label: "condemns"}, {Value: 0, Label: "neutral"}, {Value: 2, Label: "defends"}}
	p.Y.Label.Text = "Stance"
	var caption charts.Caption
	caption.Sources = &charts.SourceList{}
	for _, s := range statements {
		d, _ := voc.Lookup(s.Stance)
		pts, _ := plotter.NewScatter(plotter.XYs{{X: charts.DayX(s.Date) + 0.5, Y: float64(d.Score)}})
		pts.GlyphStyle = draw.GlyphStyle{Color: charts.StanceColor(voc, s.Stance), Radius: 8, Shape: draw.CircleGlyph{}}
		p.Add(pts)
		caption.Sources.Add(s.Source)
	}
	p.X.Min, p.X.Max = charts.DayX(data.MustDate("2025-09-01")), charts.DayX(data.MustDate("2025-11-30"))

	ch := &charts.Chart{
		Style:   st,
		Title:   "United Kingdom: legality of the strikes",
		Plot:    p,
		Legend:  []charts.LegendEntry{{Label: "Statement", Color: st.Foreground, Kind: charts.LegendGlyph, Shape: draw.CircleGlyph{}}},
		Caption: caption,
	}
	var buf bytes.Buffer
	if err := ch.Render(&buf, charts.FormatPNG, charts.SizeSocial); err != nil {
		fmt.Println(err)
		return
	}
	img, _ := png.Decode(&buf)
	fmt.Println(img.Bounds().Dx(), "x", img.Bounds().Dy(), "|", caption.Sources)
	// Output: 1200 x 675 | Sources: Hansard (1 record); CNN (1 record).
}
