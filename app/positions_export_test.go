package app

import (
	"bytes"
	"context"
	"image/png"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"sitrep/data"
	"sitrep/importers"

	"sitrep/internal/demotest"
)

func TestPositionsExporter(t *testing.T) {
	path := demotest.StatementStore(t, demotest.Statements(t), "demo")
	st, err := data.Open(path, data.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var p corePositions
	since := data.MustDate("2025-11-01")
	ctx := context.Background()
	asOf := data.MustDate("2025-11-12")

	var buf bytes.Buffer
	if err := p.PNG(ctx, st, data.MatrixOptions{AsOf: asOf, Since: since, Topics: []string{"Legality of the strikes"}}, 1280, 720, &buf); err != nil {
		t.Fatal(err)
	}
	cfg, err := png.DecodeConfig(&buf)
	if err != nil || cfg.Width != 1280 || cfg.Height != 720 {
		t.Errorf("PNG %dx%d %v", cfg.Width, cfg.Height, err)
	}

	buf.Reset()
	xlsxText := func(opts data.MatrixOptions) (string, string) {
		t.Helper()
		buf.Reset()
		if err := p.XLSX(ctx, st, opts, &buf); err != nil {
			t.Fatal(err)
		}
		f, err := excelize.OpenReader(&buf)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		v, _ := f.GetCellValue(importers.PositionsSheet, "B4")
		rows, _ := f.GetRows(importers.PositionsSheet)
		var all []string
		for _, r := range rows {
			all = append(all, r...)
		}
		return v, strings.Join(all, "\n")
	}
	// The changed-since date reaches the workbook: the UK's intelligence-sharing stance
	// was first stated after 1 November and is marked so.
	v, text := xlsxText(data.MatrixOptions{AsOf: asOf, Since: since, Actors: []string{"United Kingdom"}})
	if v != "United Kingdom" {
		t.Errorf("XLSX header B4 = %q", v)
	}
	if !strings.Contains(text, "Changes are marked against the stance as of 1 Nov 2025") || !strings.Contains(text, "New since 1 Nov 2025") && !strings.Contains(text, "Changed since 1 Nov 2025: was") {
		t.Errorf("XLSX with since lacks the change marks:\n%s", text)
	}
	if _, text := xlsxText(data.MatrixOptions{AsOf: asOf, Actors: []string{"United Kingdom"}}); strings.Contains(text, "since 1 Nov 2025") {
		t.Errorf("XLSX without since marks changes:\n%s", text)
	}

	img, err := p.StanceChart(ctx, st, nil, "", asOf, 900, 500, false)
	if err != nil || img.Bounds().Dx() != 900 || img.Bounds().Dy() != 500 {
		t.Fatalf("StanceChart: %v %v", img, err)
	}

	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if err := p.PNG(cancelled, st, data.MatrixOptions{AsOf: asOf}, 800, 450, &bytes.Buffer{}); err == nil {
		t.Error("a cancelled PNG export did not fail")
	}
}
