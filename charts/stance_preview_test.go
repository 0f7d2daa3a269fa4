package charts

import (
	"bytes"
	"image/png"
	"os"
	"testing"

	"sitrep/data"
	"sitrep/internal/demotest"
)

// TestStancePreviewDarkAndReadable: the small preview the Positions screen draws follows the
// dark theme (dark background, light text) and keeps its text near slide size (MinScale)
// instead of shrinking it with the picture.
func TestStancePreviewDarkAndReadable(t *testing.T) {
	tls, err := data.NewTimelines(demotest.Statements(t), data.DefaultVocabulary(), data.MatrixOptions{
		Topics: []string{"Legality of the strikes"}, AsOf: data.MustDate("2025-11-12")})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		theme Theme
		dark  bool
	}{{ThemeDark, true}, {"", false}} {
		opts := StanceOptions{Width: 760, Height: 180, AsOf: data.MustDate("2025-11-12"), Theme: tc.theme, MinScale: 11.0 / 12, Compact: true}
		img, err := StanceImage(tls, data.DefaultVocabulary(), opts)
		if err != nil {
			t.Fatal(err)
		}
		r, g, b, _ := img.At(2, 2).RGBA()
		if lum := (r + g + b) / 3 >> 8; (lum < 80) != tc.dark {
			t.Errorf("theme %q: background luminance %d", tc.theme, lum)
		}
		if dir := os.Getenv("SITREP_CHART_OUT"); dir != "" && tc.dark {
			var buf bytes.Buffer
			png.Encode(&buf, img)
			os.WriteFile(dir+"/stance-preview-dark.png", buf.Bytes(), 0o644)
		}
	}
	if s := (StanceOptions{MinScale: 11.0 / 12}).scale(760, 260); s < 0.9 {
		t.Errorf("preview scale %v: text would be %v px", s, 12*s)
	}
}
