package charts

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sitrep/data"
	"sitrep/internal/demotest"
)

// posSaveForLooking writes b to $SITREP_CHART_OUT/name when that variable is set, so a person can
// look at the picture.
func posSaveForLooking(t *testing.T, name string, b []byte) {
	if dir := os.Getenv("SITREP_CHART_OUT"); dir != "" {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Error(err)
		}
	}
}

// posHasColor reports whether some pixel of img is exactly clr.
func posHasColor(img image.Image, c color.Color) bool {
	r0, g0, b0, _ := c.RGBA()
	clr := color.RGBA{R: uint8(r0 >> 8), G: uint8(g0 >> 8), B: uint8(b0 >> 8)}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 2 {
		for x := b.Min.X; x < b.Max.X; x += 2 {
			r, g, bl, _ := img.At(x, y).RGBA()
			if uint8(r>>8) == clr.R && uint8(g>>8) == clr.G && uint8(bl>>8) == clr.B {
				return true
			}
		}
	}
	return false
}

func posMustColor(t *testing.T, s string) color.RGBA {
	c, ok := posColor(s)
	if !ok {
		t.Fatalf("bad colour %q", s)
	}
	return c
}

func TestRenderPositionsDemoPNG(t *testing.T) {
	stmts := demotest.Statements(t)
	m, err := data.NewMatrix(stmts, data.DefaultVocabulary(), data.MatrixOptions{
		AsOf: data.MustDate("2025-11-12"), Since: data.MustDate("2025-11-01"),
	})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := RenderPositions(&buf, "png", m, PositionsOptions{Demo: true}); err != nil {
		t.Fatal(err)
	}
	posSaveForLooking(t, "positions.png", buf.Bytes())
	img, err := png.Decode(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != 1920 || b.Dy() != 1080 {
		t.Fatalf("size %dx%d, want 1920x1080", b.Dx(), b.Dy())
	}
	for name, want := range map[string]color.RGBA{
		"defends fill":   posMustColor(t, data.ColorSupport),
		"condemns fill":  posMustColor(t, data.ColorCondemns),
		"concerned fill": posMustColor(t, data.ColorConcerned),
		"no comment":     posMustColor(t, data.ColorNoComment),
		"change flag":    posChangeBg,
	} {
		if !posHasColor(img, want) {
			t.Errorf("%s colour %v not in the picture", name, want)
		}
	}

	// Without a since date there is no change flag, and without Demo no demo tag.
	m2, _ := data.NewMatrix(stmts, data.DefaultVocabulary(), data.MatrixOptions{AsOf: data.MustDate("2025-11-12")})
	img2 := PositionsImage(m2, PositionsOptions{Width: 960, Height: 540})
	if b := img2.Bounds(); b.Dx() != 960 || b.Dy() != 540 {
		t.Fatalf("size %dx%d, want 960x540", b.Dx(), b.Dy())
	}
	if posHasColor(img2, posChangeBg) {
		t.Error("change flag drawn with no since date")
	}
	// The demo note is in the caption when, and only when, asked for.
	for _, demo := range []bool{true, false} {
		var svg bytes.Buffer
		if err := RenderPositions(&svg, FormatSVG, m2, PositionsOptions{Demo: demo}); err != nil {
			t.Fatal(err)
		}
		if got := strings.Contains(svg.String(), "Demo data"); got != demo {
			t.Errorf("Demo %v: demo note in the SVG = %v", demo, got)
		}
	}
	// A GUI raster too small to draw in gets a blank image of its size, not nil.
	if b := PositionsImage(m2, PositionsOptions{Width: 40, Height: 20}).Bounds(); b.Dx() != 40 || b.Dy() != 20 {
		t.Errorf("tiny image is %v", b)
	}
}

func TestRenderPositionsFormats(t *testing.T) {
	stmts := []data.Statement{
		{ID: "S1", Date: data.MustDate("2025-11-01"), Actor: "A", Topic: "T", Stance: "shrugs", Quote: "q", Source: "src"},
		{ID: "S2", Date: data.MustDate("2025-11"), Actor: "B", Topic: "T", Stance: "no comment"},
	}
	m, err := data.NewMatrix(stmts, data.DefaultVocabulary(), data.MatrixOptions{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		format Format
		prefix string
	}{
		{FormatPNG, "\x89PNG"},
		{FormatSVG, "<?xml"},
		{FormatPDF, "%PDF"},
	}
	for _, tt := range tests {
		var buf bytes.Buffer
		if err := RenderPositions(&buf, tt.format, m, PositionsOptions{Width: 800, Height: 450}); err != nil {
			t.Errorf("%s: %v", tt.format, err)
			continue
		}
		if !strings.HasPrefix(buf.String(), tt.prefix) {
			t.Errorf("%s: output starts %q", tt.format, buf.String()[:min(8, buf.Len())])
		}
	}
	if err := RenderPositions(&bytes.Buffer{}, "gif", m, PositionsOptions{}); !errors.Is(err, ErrFormat) {
		t.Errorf("gif: err = %v, want ErrFormat", err)
	}
	// The PDF carries the bold, italic and non-Latin-1-free text ("…", "·") without mojibake:
	// the same workaround as the other charts (pdfFaces).
	var pdf bytes.Buffer
	if err := RenderPositions(&pdf, FormatPDF, m, PositionsOptions{Demo: true}); err != nil || !bytes.Contains(pdf.Bytes(), []byte("/FontFile2")) {
		t.Errorf("PDF: %v, embedded font %v", err, bytes.Contains(pdf.Bytes(), []byte("/FontFile2")))
	}
	if err := RenderPositions(&bytes.Buffer{}, "png", data.Matrix{}, PositionsOptions{}); !errors.Is(err, ErrEmpty) {
		t.Errorf("empty: err = %v, want ErrEmpty", err)
	}
}

func TestPosWrapAndClip(t *testing.T) {
	sty := posText(12, false, false, color.Black)
	long := "Paused some intelligence sharing on suspected drug vessels over concern it could be used to select targets"
	w := sty.Width("Paused some intelligence")
	lines := posWrap(sty, long, w)
	if len(lines) < 3 {
		t.Fatalf("wrapped into %d lines: %q", len(lines), lines)
	}
	for _, l := range lines {
		if sty.Width(l) > w {
			t.Errorf("line %q is wider than %v", l, w)
		}
	}
	if strings.Join(lines, " ") != long {
		t.Errorf("wrapping lost words: %q", lines)
	}
	clipped := posClip(sty, posWrap(sty, "“"+long+"”", w), 2, w)
	if len(clipped) != 2 || !strings.HasSuffix(clipped[1], "…”") {
		t.Errorf("clipped = %q, want 2 lines ending in …”", clipped)
	}
	for _, l := range clipped {
		if sty.Width(l) > w {
			t.Errorf("clipped line %q is wider than %v", l, w)
		}
	}
	// A word longer than the line is broken, not lost.
	if got := strings.Join(posWrap(sty, "Supercalifragilisticexpialidocious", 40), ""); got != "Supercalifragilisticexpialidocious" {
		t.Errorf("long word: %q", got)
	}
}

func TestPosInk(t *testing.T) {
	for hex, wantWhite := range map[string]bool{
		data.ColorSupport: true, data.ColorCondemns: true, data.ColorNoComment: false,
		data.ColorConcerned: false, "#ffffff": false, "#000000": true,
	} {
		c, _ := posColor(hex)
		if got := posInk(c) == color.White; got != wantWhite {
			t.Errorf("ink on %s: white=%v, want %v", hex, got, wantWhite)
		}
	}
}

// TestRenderPositionsCrowded draws a crowded grid (8 actors, 5 topics, long names, every kind
// of cell) and checks that it still renders at slide size with every state visible.
func TestRenderPositionsCrowded(t *testing.T) {
	actors := []string{"United States", "United Kingdom", "United Nations", "Venezuela", "Colombia",
		"Netherlands (Kingdom of the)", "France", "Trinidad and Tobago"}
	topics := []string{"Legality of the strikes", "Intelligence sharing", "Use of military force against cartels in international waters",
		"Humanitarian law", "Extradition"}
	stances := []string{"defends", "concerned", "condemns", "no comment", "accepts with reservations", "defers", "shrugs", ""}
	var stmts []data.Statement
	n := 0
	for i, topic := range topics {
		for j, actor := range actors {
			st := stances[(i+j)%len(stances)]
			if st == "" {
				continue // no statement
			}
			n++
			date := "2025-11-0" + string(rune('1'+(i+j)%9))
			if (i+j)%5 == 0 {
				date = "2025-10"
			}
			stmts = append(stmts, data.Statement{ID: "S" + string(rune('A'+i)) + string(rune('a'+j)), Date: data.MustDate(date),
				Actor: actor, Topic: topic, Stance: st, Speaker: "A spokesperson with a rather long name", Role: "Ministry of Foreign Affairs and International Cooperation",
				Quote:  strings.Repeat("A long quote that goes on and on about the matter at hand. ", 4),
				Source: "Source number " + string(rune('1'+j%4))})
			if (i+j)%3 == 0 {
				stmts = append(stmts, data.Statement{ID: "S0" + string(rune('A'+i)) + string(rune('a'+j)), Date: data.MustDate("2025-09-15"),
					Actor: actor, Topic: topic, Stance: "supports", Source: "Old source"})
			}
		}
	}
	m, err := data.NewMatrix(stmts, data.DefaultVocabulary(), data.MatrixOptions{AsOf: data.MustDate("2025-11-12"), Since: data.MustDate("2025-10-01")})
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Actors) != 8 || len(m.Topics) != 5 {
		t.Fatalf("%d actors, %d topics", len(m.Actors), len(m.Topics))
	}
	var buf bytes.Buffer
	if err := RenderPositions(&buf, "png", m, PositionsOptions{}); err != nil {
		t.Fatal(err)
	}
	posSaveForLooking(t, "crowded.png", buf.Bytes())
	img, err := png.Decode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]color.RGBA{
		"defends": posMustColor(t, data.ColorSupport), "condemns": posMustColor(t, data.ColorCondemns),
		"no comment": posMustColor(t, data.ColorNoComment), "change flag": posChangeBg,
	} {
		if !posHasColor(img, want) {
			t.Errorf("%s colour missing in the crowded grid", name)
		}
	}
}
