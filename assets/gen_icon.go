//go:build ignore

// gen_icon draws icon.png, Sitrep's app icon: a navy rounded square with three rising bars
// and an amber marker, supersampled 4x for smooth edges. Run: go generate ./assets
package main

import (
	"image"
	"image/color"
	"image/png"
	"log"
	"math"
	"os"
)

const (
	size = 512
	ss   = 4 // supersampling factor
)

func main() {
	big := size * ss
	img := image.NewNRGBA(image.Rect(0, 0, big, big))
	navy := color.NRGBA{0x1B, 0x2A, 0x49, 0xFF}
	bar := color.NRGBA{0xE8, 0xEE, 0xF6, 0xFF}
	amber := color.NRGBA{0xFF, 0xB3, 0x00, 0xFF}
	red := color.NRGBA{0xD6, 0x3A, 0x2F, 0xFF}
	s := float64(big) / 512
	for y := 0; y < big; y++ {
		for x := 0; x < big; x++ {
			fx, fy := (float64(x)+0.5)/s, (float64(y)+0.5)/s
			if !inRoundRect(fx, fy, 24, 24, 488, 488, 96) {
				continue
			}
			c := navy
			// baseline
			if fy >= 380 && fy <= 396 && fx >= 96 && fx <= 416 {
				c = bar
			}
			// three rising bars
			for i, h := range []float64{110, 170, 240} {
				x0 := 120 + float64(i)*96
				if inRoundRect(fx, fy, x0, 372-h, x0+64, 372, 10) {
					c = bar
				}
			}
			// amber trend marker over the tallest bar, with a red core
			if d := math.Hypot(fx-376, fy-104); d <= 40 {
				c = amber
				if d <= 18 {
					c = red
				}
			}
			img.SetNRGBA(x, y, c)
		}
	}
	out := image.NewNRGBA(image.Rect(0, 0, size, size))
	for y := 0; y < size; y++ {
		for x := 0; x < size; x++ {
			var r, g, b, a float64
			for dy := 0; dy < ss; dy++ {
				for dx := 0; dx < ss; dx++ {
					p := img.NRGBAAt(x*ss+dx, y*ss+dy)
					af := float64(p.A) / 255
					r += float64(p.R) * af
					g += float64(p.G) * af
					b += float64(p.B) * af
					a += af
				}
			}
			n := float64(ss * ss)
			if a > 0 {
				out.SetNRGBA(x, y, color.NRGBA{uint8(r / a), uint8(g / a), uint8(b / a), uint8(a / n * 255)})
			}
		}
	}
	f, err := os.Create("icon.png")
	if err != nil {
		log.Fatal(err)
	}
	if err := png.Encode(f, out); err != nil {
		log.Fatal(err)
	}
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
}

// inRoundRect reports whether (x, y) lies in the rectangle with rounded corners of radius r.
func inRoundRect(x, y, x0, y0, x1, y1, r float64) bool {
	if x < x0 || x > x1 || y < y0 || y > y1 {
		return false
	}
	cx := math.Min(math.Max(x, x0+r), x1-r)
	cy := math.Min(math.Max(y, y0+r), y1-r)
	return math.Hypot(x-cx, y-cy) <= r
}
