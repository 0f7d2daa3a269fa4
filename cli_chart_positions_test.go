package main

import (
	"errors"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"sitrep/importers"
	"sitrep/internal/demotest"
)

func TestChartPositionsAndStance(t *testing.T) {
	db := posStoreWith(t, demotest.Statements(t), "demo")
	dir := t.TempDir()
	tests := []struct {
		args   []string
		file   string
		w, h   int
		prefix string
	}{
		{[]string{"--kind", "positions", "--topic", "Legality of the strikes", "--as-of", "2025-11-12"}, "legality.png", 1920, 1080, "\x89PNG"},
		{[]string{"--kind=positions", "--as-of", "2025-11-12", "--since", "2025-11-01", "--width", "1280", "--height", "720"}, "all.png", 1280, 720, "\x89PNG"},
		{[]string{"--kind", "positions", "--size", "social"}, "social.png", 1200, 675, "\x89PNG"},
		{[]string{"--kind", "stance", "--topic", "Legality of the strikes", "--as-of", "2025-11-12"}, "stance.png", 1920, 1080, "\x89PNG"},
		{[]string{"--kind", "stance"}, "stance.svg", 0, 0, "<?xml"},
		{[]string{"--kind", "positions"}, "grid.pdf", 0, 0, "%PDF"},
	}
	for _, tt := range tests {
		out := filepath.Join(dir, tt.file)
		args := append([]string{"chart", "--db", db, "--out", out}, tt.args...)
		code, stdout, stderr := runCLI(t, args...)
		if code != 0 {
			t.Errorf("%q: exit %d: %s", args, code, stderr)
			continue
		}
		if !strings.HasPrefix(stdout, "Wrote "+out) {
			t.Errorf("stdout = %q", stdout)
		}
		b, err := os.ReadFile(out)
		if err != nil || !strings.HasPrefix(string(b), tt.prefix) {
			t.Errorf("%s: %v, starts %q", tt.file, err, string(b[:min(8, len(b))]))
			continue
		}
		if tt.w > 0 {
			f, _ := os.Open(out)
			cfg, err := png.DecodeConfig(f)
			f.Close()
			if err != nil || cfg.Width != tt.w || cfg.Height != tt.h {
				t.Errorf("%s: %dx%d (%v), want %dx%d", tt.file, cfg.Width, cfg.Height, err, tt.w, tt.h)
			}
		}
		if dir := os.Getenv("SITREP_CHART_OUT"); dir != "" {
			os.WriteFile(filepath.Join(dir, "cli_"+tt.file), b, 0o644)
		}
	}
}

func TestChartPositionsErrors(t *testing.T) {
	db := posStoreWith(t, demotest.Statements(t), "demo")
	dir := t.TempDir()
	existing := filepath.Join(dir, "old.xlsx")
	os.WriteFile(existing, []byte("keep me"), 0o644)
	tests := []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"chart", "--db", db, "--kind", "positions"}, 2, "--out FILE is required"},
		{[]string{"chart", "--db", db, "--kind", "positions", "--out", filepath.Join(dir, "x.gif")}, 2, "want a .png, .svg or .pdf"},
		{[]string{"export", "--db", db, "--kind", "positions", "--out", existing}, 1, "already exists"},
		{[]string{"chart", "--db", db, "--kind", "positions", "--out", filepath.Join(dir, "y.png"), "--width", "10", "--height", "10"}, 2, "size"},
		{[]string{"chart", "--db", db, "--kind", "positions", "--out", filepath.Join(dir, "y.png"), "--width", "1000"}, 2, "go together"},
		{[]string{"chart", "--db", db, "--kind", "positions", "--out", filepath.Join(dir, "z.png"), "--actor", "Nobody", "--as-of", "2020-01-01"}, 1, "no statements to chart"},
		{[]string{"export", "--db", db, "--kind", "positions", "--out", filepath.Join(dir, "x.csv")}, 2, "must end in .xlsx"},
	}
	for _, tt := range tests {
		code, _, stderr := runCLI(t, tt.args...)
		if code != tt.code || !strings.Contains(stderr, tt.msg) {
			t.Errorf("%q: exit %d %q, want %d and %q", tt.args, code, stderr, tt.code, tt.msg)
		}
	}
	if b, _ := os.ReadFile(existing); string(b) != "keep me" {
		t.Error("an existing workbook was replaced without --force")
	}
	if _, err := os.Stat(filepath.Join(dir, "z.png")); !errors.Is(err, os.ErrNotExist) {
		t.Error("a failed chart left a file behind")
	}
}

func TestExportPositionsCLI(t *testing.T) {
	db := posStoreWith(t, demotest.Statements(t), "demo")
	out := filepath.Join(t.TempDir(), "positions.xlsx")
	code, _, stderr := runCLI(t, "export", "--db", db, "--kind", "positions", "--out", out, "--as-of", "2025-11-12", "--since", "2025-11-01")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	f, err := excelize.OpenFile(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := strings.Join(f.GetSheetList(), "|"); got != importers.PositionsSheet+"|"+importers.PositionsStatementsSheet+"|"+importers.PositionsChangesSheet {
		t.Errorf("sheets = %s", got)
	}
	v, _ := f.GetCellValue(importers.PositionsSheet, "B5")
	if !strings.HasPrefix(v, "defends") || !strings.Contains(v, "Pete Hegseth") {
		t.Errorf("B5 = %q", v)
	}
	caption, _ := f.GetCellValue(importers.PositionsSheet, "A2")
	if !strings.Contains(caption, "Demo data") {
		t.Errorf("caption = %q", caption)
	}
}

func TestPositionsKindsDispatch(t *testing.T) {
	tests := []struct {
		args          []string
		chart, export bool
	}{
		{[]string{"--kind", "positions"}, true, true},
		{[]string{"-kind=stance"}, true, false},
		{[]string{"--out", "x.png", "--kind", "deaths"}, false, false},
		{[]string{"--", "--kind", "positions"}, false, false},
		{[]string{"---kind", "positions"}, false, false},
	}
	for _, tt := range tests {
		if got := isPositionsChartKind(tt.args); got != tt.chart {
			t.Errorf("isPositionsChartKind(%q) = %v, want %v", tt.args, got, tt.chart)
		}
		if got := isPositionsExportKind(tt.args); got != tt.export {
			t.Errorf("isPositionsExportKind(%q) = %v, want %v", tt.args, got, tt.export)
		}
	}
}
