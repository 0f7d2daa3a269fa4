package cli

import (
	"bytes"
	"errors"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sitrep/internal/demotest"
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
		{"map", []string{"--kind", "map"}, "m.png", 1920, 1080, ""},
		{"map of the world by placement, dark", []string{"--kind", "map", "--extent", "world", "--by", "placement", "--theme", "dark", "--size", "social"}, "m2.png", 1200, 675, ""},
		{"map of a box, svg", []string{"--kind", "map", "--extent", "25,-90,5,-60", "--theatre", "Caribbean", "--unit", "deaths"}, "m3.svg", 0, 0, "<svg"},
		{"map pdf", []string{"--kind", "map", "--by", "actor"}, "m4.pdf", 0, 0, "%PDF"},
	} {
		t.Run(c.name, func(t *testing.T) {
			out := filepath.Join(dir, c.file)
			var stdout, stderr bytes.Buffer
			args := append([]string{"chart", "--db", db, "--out", out}, c.args...)
			if code := Run(args, &stdout, &stderr); code != 0 {
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
		{[]string{"--kind", "map", "--out", out, "--by", "colour"}, 2, "--by: grouping \"colour\""},
		{[]string{"--kind", "map", "--out", out, "--extent", "north"}, 2, "--extent: extent \"north\": want auto, world or LAT1,LON1,LAT2,LON2"},
		{[]string{"--kind", "map", "--out", out, "--extent", "95,0,10,10"}, 2, "latitudes run from -90 to 90"},
		{[]string{"--kind", "map", "--out", out, "--period", "week"}, 2, "--period does not apply to --kind map"},
		{[]string{"--kind", "map", "--out", out, "--unit", "vessels"}, 2, "a map chart counts strikes or deaths"},
		{[]string{"--kind", "strikes", "--out", out, "--extent", "world"}, 2, "--extent does not apply to --kind strikes"},
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
		code := Run(args, &stdout, &stderr)
		if code != c.code || !strings.Contains(stderr.String(), c.msg) || strings.Count(stderr.String(), "\n") != 1 {
			t.Errorf("%v: exit %d, stderr %q; want exit %d and one line with %q", c.args, code, stderr.String(), c.code, c.msg)
		}
	}
	var stderr bytes.Buffer
	if code := Run([]string{"chart", "--db", filepath.Join(t.TempDir(), "missing.db"), "--kind", "deaths", "--out", out}, &bytes.Buffer{}, &stderr); code != 1 {
		t.Errorf("missing store: exit %d, %s", code, stderr.String())
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("a failed chart left a file behind")
	}
}

func TestChartPositionsAndStance(t *testing.T) {
	db := demotest.StatementStore(t, demotest.Statements(t), "demo")
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
	db := demotest.StatementStore(t, demotest.Statements(t), "demo")
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

// TestChartOneFlagSet: every kind's options are in one flag set, so -h lists them all, and
// an option of the positions kinds given to another kind (or the other way) is a usage error.
func TestChartOneFlagSet(t *testing.T) {
	code, stdout, _ := runCLI(t, "chart", "-h")
	if code != 0 {
		t.Fatalf("chart -h: exit %d", code)
	}
	for _, opt := range []string{"-kind", "-out", "-period", "-count", "-theme", "-unit", "-annotate", "-from", "-theatre",
		"-actor", "-topic", "-as-of", "-since", "-max-actors", "-size", "-dpi", "-title", "-db"} {
		if !strings.Contains(stdout, "  "+opt+" ") && !strings.Contains(stdout, "  "+opt+"\n") {
			t.Errorf("chart -h does not list %s:\n%s", opt, stdout)
		}
	}
	dir := t.TempDir()
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--kind", "deaths", "--as-of", "2025-11-01"}, "--as-of does not apply to --kind deaths"},
		{[]string{"--kind", "positions", "--from", "2025-11-01"}, "--from does not apply to --kind positions"},
		{[]string{"--kind", "stance", "--period", "week"}, "--period does not apply to --kind stance"},
	}
	for _, tt := range tests {
		args := append([]string{"chart", "--db", filepath.Join(dir, "x.db"), "--out", filepath.Join(dir, "x.png")}, tt.args...)
		code, _, stderr := runCLI(t, args...)
		if code != 2 || !strings.Contains(stderr, tt.want) {
			t.Errorf("%q: exit %d, stderr %q; want 2 and %q", tt.args, code, stderr, tt.want)
		}
	}
}
