package charts

import (
	"bytes"
	"flag"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"sitrep/data"
)

var regen = flag.Bool("regen", false, "rewrite the golden PNGs in testdata")

// Raster output differs slightly across machines (font hinting, anti-aliasing), so goldens
// are compared with a tolerance: a pixel differs when a channel moves by more than
// pixelTolerance, and at most maxDiffShare of the pixels may differ.
const (
	pixelTolerance = 64
	maxDiffShare   = 0.005
)

func TestGolden(t *testing.T) {
	src := demoSource(t)
	for _, c := range []struct {
		name string
		spec Spec
	}{
		{"strikes-week-annotated-light", Spec{Kind: KindStrikes, Annotate: true}},
		{"deaths-week-dark", Spec{Kind: KindDeaths, Theme: ThemeDark}},
		{"tallies-light", Spec{Kind: KindTallies}},
		{"cumulative-caribbean-month-dark", Spec{Kind: KindCumulative, Period: data.PeriodMonth, Theme: ThemeDark,
			Filter: data.Filter{Theatres: []string{"Caribbean"}}}},
		{"empty-light", Spec{Kind: KindStrikes, Filter: data.Filter{Theatres: []string{"Arctic"}}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			ch, err := Build(src, c.spec)
			if err != nil {
				t.Fatal(err)
			}
			got, err := ch.RenderImage(SizeSocial)
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", c.name+".golden.png")
			if *regen {
				var buf bytes.Buffer
				if err := png.Encode(&buf, got); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			fh, err := os.Open(path)
			if err != nil {
				t.Fatalf("%v (run go test ./charts -run TestGolden -regen to create it)", err)
			}
			defer fh.Close()
			want, err := png.Decode(fh)
			if err != nil {
				t.Fatal(err)
			}
			if got.Bounds() != want.Bounds() {
				t.Fatalf("size %v, golden %v", got.Bounds(), want.Bounds())
			}
			if share := diffShare(got, want); share > maxDiffShare {
				out := filepath.Join(t.TempDir(), c.name+".png")
				var buf bytes.Buffer
				_ = png.Encode(&buf, got)
				_ = os.WriteFile(out, buf.Bytes(), 0o644)
				t.Errorf("%.2f%% of pixels differ from %s (tolerance %.2f%%); got written to %s",
					share*100, path, maxDiffShare*100, out)
			}
		})
	}
}

// diffShare returns the share of pixels whose colour differs by more than pixelTolerance in
// some channel.
func diffShare(a, b image.Image) float64 {
	bd := a.Bounds()
	n := 0
	for y := bd.Min.Y; y < bd.Max.Y; y++ {
		for x := bd.Min.X; x < bd.Max.X; x++ {
			r1, g1, b1, _ := a.At(x, y).RGBA()
			r2, g2, b2, _ := b.At(x, y).RGBA()
			for _, d := range []int{int(r1>>8) - int(r2>>8), int(g1>>8) - int(g2>>8), int(b1>>8) - int(b2>>8)} {
				if d > pixelTolerance || d < -pixelTolerance {
					n++
					break
				}
			}
		}
	}
	return float64(n) / float64(bd.Dx()*bd.Dy())
}

func TestDiffShare(t *testing.T) {
	a := image.NewRGBA(image.Rect(0, 0, 10, 10))
	b := image.NewRGBA(image.Rect(0, 0, 10, 10))
	b.Pix[0] = 200 // one pixel far off
	b.Pix[4] = 30  // one pixel within tolerance
	if got := diffShare(a, b); got != 0.01 {
		t.Errorf("diffShare = %v, want 0.01", got)
	}
}
