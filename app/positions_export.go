package app

import (
	"context"
	"image"
	"io"

	"sitrep/charts"
	"sitrep/data"
	"sitrep/importers"
)

// corePositions is the PositionsExporter of data, charts and importers: the GUI's exports are
// the same pictures and workbooks as "sitrep chart --kind positions|stance" and "sitrep export
// --kind positions". The options carry the as-of date, the changed-since date (changes marked
// in PNG and XLSX), the actor columns in order and the topic rows, as the GUI shows them.
type corePositions struct{}

func positionsMatrix(src data.PositionsSource, opts data.MatrixOptions) (data.Positions, data.Matrix, error) {
	pd, err := data.ReadPositionsAt(src, opts.KnownOn)
	if err != nil {
		return pd, data.Matrix{}, err
	}
	m, err := pd.Matrix(opts)
	return pd, m, err
}

// PNG writes the positions grid opts choose (empty actors or topics: the defaults) as a
// width x height PNG.
func (corePositions) PNG(ctx context.Context, src data.PositionsSource, opts data.MatrixOptions, width, height int, w io.Writer) error {
	pd, m, err := positionsMatrix(src, opts)
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	return charts.RenderPositions(w, "png", m, charts.PositionsOptions{Width: width, Height: height, Demo: pd.Demo})
}

// XLSX writes the same grid as a formatted workbook with the statements and changes sheets.
func (corePositions) XLSX(ctx context.Context, src data.PositionsSource, opts data.MatrixOptions, w io.Writer) error {
	pd, m, err := positionsMatrix(src, opts)
	if err != nil {
		return err
	}
	tls, err := pd.Timelines(opts)
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	return importers.ExportPositions(w, m, importers.PositionsExportOptions{Demo: pd.Demo, Timelines: tls})
}

// StanceChart draws the stance over time of the actors (empty: the defaults) on one topic up
// to asOf, at width x height pixels.
func (corePositions) StanceChart(ctx context.Context, src data.PositionsSource, actors []string, topic string, asOf data.Date, width, height int, dark bool) (image.Image, error) {
	pd, err := data.ReadPositions(src)
	if err != nil {
		return nil, err
	}
	opts := data.MatrixOptions{AsOf: asOf, Actors: actors}
	if topic != "" {
		opts.Topics = []string{topic}
	}
	tls, err := pd.Timelines(opts)
	if err != nil {
		return nil, err
	}
	if topic == "" { // one topic per chart: the first (most statements)
		tls = data.OneTopic(tls)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	// Text scales with the picture, as on a slide (12 px type at 960x540), but not below 11 px:
	// the preview is small, and it leaves the caption to the exports.
	opts2 := charts.StanceOptions{Width: width, Height: height, AsOf: asOf, Demo: pd.Demo, MinScale: 11.0 / 12, Compact: true}
	if dark {
		opts2.Theme = charts.ThemeDark
	}
	return charts.StanceImage(tls, pd.Vocab, opts2)
}
