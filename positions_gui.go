package main

import (
	"context"
	"fmt"
	"image"
	"io"

	"sitrep/charts"
	"sitrep/data"
	"sitrep/importers"
)

// positionsStore is what the positions commands and the GUI adapter read from the store;
// *data.Store satisfies it.
type positionsStore interface {
	Statements(f data.Filter) ([]data.Statement, error)
	Vocabulary() (data.Vocabulary, error)
	HasDemoData() (bool, error)
}

// readPositions reads the statements, the stance vocabulary and whether the store holds demo
// data.
func readPositions(st positionsStore) (positionsData, error) {
	var pd positionsData
	var err error
	if pd.statements, err = st.Statements(data.Filter{}); err != nil {
		return pd, fmt.Errorf("reading statements: %w", err)
	}
	if pd.vocab, err = st.Vocabulary(); err != nil {
		return pd, fmt.Errorf("reading the stance vocabulary: %w", err)
	}
	if pd.demo, err = st.HasDemoData(); err != nil {
		return pd, fmt.Errorf("checking for demo data: %w", err)
	}
	return pd, nil
}

// positionsExporter adapts data, charts and importers to the GUI's app.PositionsExporter
// (PNG, XLSX, StanceChart), over the store the GUI has open, so the GUI's exports are the
// same pictures and workbooks as "sitrep chart --kind positions|stance" and "sitrep export
// --kind positions". The options carry the as-of date, the changed-since date (changes marked
// in PNG and XLSX), the actor columns in order and the topic rows, as the GUI shows them.
type positionsExporter struct {
	src positionsStore
}

func (p positionsExporter) matrix(opts data.MatrixOptions) (positionsData, data.Matrix, error) {
	pd, err := readPositions(p.src)
	if err != nil {
		return pd, data.Matrix{}, err
	}
	m, err := data.NewMatrix(pd.statements, pd.vocab, opts)
	return pd, m, err
}

// PNG writes the positions grid opts choose (empty actors or topics: the defaults) as a
// width x height PNG.
func (p positionsExporter) PNG(ctx context.Context, opts data.MatrixOptions, width, height int, w io.Writer) error {
	pd, m, err := p.matrix(opts)
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	return charts.RenderPositions(w, "png", m, charts.PositionsOptions{Width: width, Height: height, Demo: pd.demo})
}

// XLSX writes the same grid as a formatted workbook with the statements and changes sheets.
func (p positionsExporter) XLSX(ctx context.Context, opts data.MatrixOptions, w io.Writer) error {
	pd, m, err := p.matrix(opts)
	if err != nil {
		return err
	}
	tls, err := data.NewTimelines(pd.statements, pd.vocab, opts)
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	return importers.ExportPositions(w, m, importers.PositionsExportOptions{Demo: pd.demo, Timelines: tls})
}

// StanceChart draws the stance over time of the actors (empty: the defaults) on one topic up
// to asOf, at width x height pixels.
func (p positionsExporter) StanceChart(ctx context.Context, actors []string, topic string, asOf data.Date, width, height int) (image.Image, error) {
	pd, err := readPositions(p.src)
	if err != nil {
		return nil, err
	}
	opts := data.MatrixOptions{AsOf: asOf, Actors: actors}
	if topic != "" {
		opts.Topics = []string{topic}
	}
	tls, err := data.NewTimelines(pd.statements, pd.vocab, opts)
	if err != nil {
		return nil, err
	}
	if topic == "" && len(tls) > 0 { // one topic per chart: the first (most statements)
		first := tls[0].Topic
		var keep []data.Timeline
		for _, t := range tls {
			if t.Topic == first {
				keep = append(keep, t)
			}
		}
		tls = keep
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	// Text scales with the picture, as on a slide: 12 px type at 960x540.
	return charts.StanceImage(tls, pd.vocab, charts.StanceOptions{Width: width, Height: height, AsOf: asOf, Demo: pd.demo})
}
