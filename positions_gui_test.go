package main

import (
	"bytes"
	"context"
	"image/png"
	"testing"

	"github.com/xuri/excelize/v2"

	"sitrep/data"
	"sitrep/importers"

	"sitrep/internal/demotest"
)

func TestPositionsExporter(t *testing.T) {
	path := posStoreWith(t, demotest.Statements(t), "demo")
	st, err := data.Open(path, data.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	p := positionsExporter{src: st, Since: data.MustDate("2025-11-01")}
	ctx := context.Background()
	asOf := data.MustDate("2025-11-12")

	var buf bytes.Buffer
	if err := p.PNG(ctx, asOf, nil, []string{"Legality of the strikes"}, 1280, 720, &buf); err != nil {
		t.Fatal(err)
	}
	cfg, err := png.DecodeConfig(&buf)
	if err != nil || cfg.Width != 1280 || cfg.Height != 720 {
		t.Errorf("PNG %dx%d %v", cfg.Width, cfg.Height, err)
	}

	buf.Reset()
	if err := p.XLSX(ctx, asOf, []string{"United Kingdom"}, nil, &buf); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	v, _ := f.GetCellValue(importers.PositionsSheet, "B4")
	f.Close()
	if v != "United Kingdom" {
		t.Errorf("XLSX header B4 = %q", v)
	}

	img, err := p.StanceChart(ctx, nil, "", asOf, 900, 500)
	if err != nil || img.Bounds().Dx() != 900 || img.Bounds().Dy() != 500 {
		t.Fatalf("StanceChart: %v %v", img, err)
	}

	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if err := p.PNG(cancelled, asOf, nil, nil, 800, 450, &bytes.Buffer{}); err == nil {
		t.Error("a cancelled PNG export did not fail")
	}
}
