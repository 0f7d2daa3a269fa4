package main

import (
	"bytes"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestChartCommand(t *testing.T) {
	db := demoDB(t)
	dir := t.TempDir()
	for _, c := range []struct {
		name   string
		args   []string
		file   string
		w, h   int
		svgPDF string
	}{
		{"slide by default", []string{"--kind", "strikes"}, "a.png", 1920, 1080, ""},
		{"pixels", []string{"--kind", "deaths", "--width", "1200", "--height", "675", "--theme", "dark"}, "b.png", 1200, 675, ""},
		{"preset", []string{"--kind", "cumulative", "--size", "social", "--count", "max"}, "c.png", 1200, 675, ""},
		{"physical", []string{"--kind", "tallies", "--size", "297x210mm", "--dpi", "100"}, "d.png", 1169, 827, ""},
		{"filtered", []string{"--kind", "strikes", "--unit", "vessels", "--theatre", "Caribbean", "--from", "2025-10-01", "--period", "month"}, "e.png", 1920, 1080, ""},
		{"svg", []string{"--kind", "deaths", "--title", "Deaths, autumn 2025"}, "f.svg", 0, 0, "@font-face"},
		{"annotated", []string{"--kind", "strikes", "--annotate", "--topic", "Legality of the strikes", "--actor", "United States", "--count", "min"}, "h.png", 1920, 1080, ""},
		{"pdf", []string{"--kind", "tallies"}, "g.pdf", 0, 0, "%PDF"},
	} {
		t.Run(c.name, func(t *testing.T) {
			out := filepath.Join(dir, c.file)
			var stdout, stderr bytes.Buffer
			args := append([]string{"chart", "--db", db, "--out", out}, c.args...)
			if code := run(args, &stdout, &stderr); code != 0 {
				t.Fatalf("exit %d: %s", code, stderr.String())
			}
			if !strings.HasPrefix(stdout.String(), "wrote "+out) {
				t.Errorf("stdout %q", stdout.String())
			}
			raw, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			if c.svgPDF != "" {
				if !bytes.Contains(raw[:min(len(raw), 4096)], []byte(c.svgPDF)) {
					t.Errorf("%s does not start with %q", c.file, c.svgPDF)
				}
				return
			}
			img, err := png.Decode(bytes.NewReader(raw))
			if err != nil {
				t.Fatal(err)
			}
			if b := img.Bounds(); b.Dx() != c.w || b.Dy() != c.h {
				t.Errorf("PNG %dx%d, want %dx%d", b.Dx(), b.Dy(), c.w, c.h)
			}
		})
	}
	matches, _ := filepath.Glob(filepath.Join(dir, ".sitrep-chart-*"))
	if len(matches) > 0 {
		t.Errorf("temporary files left: %v", matches)
	}
}

func TestChartCommandErrors(t *testing.T) {
	db := demoDB(t)
	out := filepath.Join(t.TempDir(), "x.png")
	for _, c := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"--out", out}, 2, "--kind is required"},
		{[]string{"--kind", "strikes"}, 2, "--out is required"},
		{[]string{"--kind", "pie", "--out", out}, 2, "--kind: chart kind \"pie\""},
		{[]string{"--kind", "strikes", "--out", "x.gif"}, 2, "want a .png, .svg or .pdf file"},
		{[]string{"--kind", "strikes", "--out", out, "--size", "slide", "--width", "100"}, 2, "not both"},
		{[]string{"--kind", "strikes", "--out", out, "--width", "1200"}, 2, "--width and --height go together"},
		{[]string{"--kind", "strikes", "--out", out, "--width", "20", "--height", "10"}, 2, "want between"},
		{[]string{"--kind", "deaths", "--out", out, "--unit", "vessels"}, 2, "a deaths chart counts deaths, not vessels"},
		{[]string{"--kind", "deaths", "--out", out, "--count", "median"}, 2, "--count"},
		{[]string{"--kind", "deaths", "--out", out, "--period", "year"}, 2, "--period"},
		{[]string{"--kind", "deaths", "--out", out, "--from", "2025-13-01"}, 2, "--from"},
		{[]string{"--kind", "deaths", "--out", out, "--from", "2025-11-01", "--to", "2025-10-01"}, 2, "before"},
		{[]string{"--kind", "deaths", "--out", out, "--size", "huge"}, 2, "--size"},
		{[]string{"--kind", "deaths", "--out", filepath.Join(t.TempDir(), "no", "such", "dir.png")}, 1, "sitrep: chart: writing"},
	} {
		var stdout, stderr bytes.Buffer
		args := append([]string{"chart", "--db", db}, c.args...)
		code := run(args, &stdout, &stderr)
		if code != c.code || !strings.Contains(stderr.String(), c.msg) || strings.Count(stderr.String(), "\n") != 1 {
			t.Errorf("%v: exit %d, stderr %q; want exit %d and one line with %q", c.args, code, stderr.String(), c.code, c.msg)
		}
	}
	var stderr bytes.Buffer
	if code := run([]string{"chart", "--db", filepath.Join(t.TempDir(), "missing.db"), "--kind", "deaths", "--out", out}, &bytes.Buffer{}, &stderr); code != 1 {
		t.Errorf("missing store: exit %d, %s", code, stderr.String())
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("a failed chart left a file behind")
	}
}
