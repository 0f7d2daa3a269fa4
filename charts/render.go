package charts

import (
	"errors"
	"fmt"
	"image"
	"image/png"
	"io"
	"math"
	"path/filepath"
	"strconv"
	"strings"

	xfont "golang.org/x/image/font"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgpdf"
	"gonum.org/v1/plot/vg/vgsvg"
)

// ErrFormat is wrapped by errors about an unknown output format or a bad size.
var ErrFormat = errors.New("bad output")

// Format is an export format.
type Format string

// The export formats.
const (
	FormatPNG Format = "png"
	FormatSVG Format = "svg"
	FormatPDF Format = "pdf"
)

// FormatOf returns the format a file name's extension asks for.
func FormatOf(path string) (Format, error) {
	switch ext := strings.ToLower(strings.TrimPrefix(filepath.Ext(path), ".")); ext {
	case "png", "svg", "pdf":
		return Format(ext), nil
	}
	return "", fmt.Errorf("%s: want a .png, .svg or .pdf file: %w", path, ErrFormat)
}

// Size is an output size: a raster of Width x Height pixels at DPI dots per inch. The page
// of vector output is Width/DPI by Height/DPI inches. Text sizes are in points, so the DPI
// sets how large text is against the picture.
type Size struct {
	Width, Height int
	DPI           int
}

// Reference page: charts are designed on a 16:9 slide of 13.33 x 7.5 inches.
const (
	refWidthIn  = 13.333
	refHeightIn = 7.5
	minDPI      = 60
)

// Pixels returns a size of w x h pixels with the DPI that lays the chart out like a 13.3 x
// 7.5 inch slide (144 DPI at 1920x1080, 90 at 1200x675), so text keeps its share of the
// picture at any pixel size. Small sizes (GUI previews) get at least 60 DPI, which makes
// text relatively larger.
func Pixels(w, h int) Size {
	dpi := int(math.Min(float64(w)/refWidthIn, float64(h)/refHeightIn) + 0.5)
	return Size{Width: w, Height: h, DPI: max(dpi, minDPI)}
}

// Physical returns the size of a page of w x h at dpi dots per inch.
func Physical(w, h vg.Length, dpi int) Size {
	px := func(l vg.Length) int { return int(math.Round(float64(l/vg.Inch) * float64(dpi))) }
	return Size{Width: px(w), Height: px(h), DPI: dpi}
}

// Presets.
var (
	// SizeSlide is a 1920x1080 slide.
	SizeSlide = Pixels(1920, 1080)
	// SizeSocial is a 1200x675 image for social media.
	SizeSocial = Pixels(1200, 675)
	// SizeA4 is A4 landscape at 300 DPI: 3508x2480 pixels.
	SizeA4 = Size{Width: 3508, Height: 2480, DPI: 300}
)

// Presets maps preset names to sizes.
var Presets = map[string]Size{"slide": SizeSlide, "social": SizeSocial, "a4": SizeA4}

// ParseSize reads a preset name (slide, social, a4), pixels ("1920x1080"), or a physical
// size with a unit ("297x210mm", "29.7x21cm", "11.7x8.3in") at dpi.
func ParseSize(s string, dpi int) (Size, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if p, ok := Presets[s]; ok {
		if dpi > 0 && s != "a4" {
			p.DPI = dpi
		}
		return p, nil
	}
	bad := fmt.Errorf("size %q: want slide, social, a4, WxH pixels or WxH with mm, cm or in: %w", s, ErrFormat)
	unit := vg.Length(0)
	for _, u := range []struct {
		suffix string
		l      vg.Length
	}{{"mm", vg.Millimeter}, {"cm", vg.Centimeter}, {"in", vg.Inch}, {"px", 0}} {
		if strings.HasSuffix(s, u.suffix) {
			s, unit = strings.TrimSuffix(s, u.suffix), u.l
			break
		}
	}
	ws, hs, ok := strings.Cut(s, "x")
	if !ok {
		return Size{}, bad
	}
	w, err1 := strconv.ParseFloat(strings.TrimSpace(ws), 64)
	h, err2 := strconv.ParseFloat(strings.TrimSpace(hs), 64)
	if err1 != nil || err2 != nil || w <= 0 || h <= 0 {
		return Size{}, bad
	}
	if unit == 0 {
		sz := Pixels(int(w), int(h))
		if dpi > 0 {
			sz.DPI = dpi
		}
		return sz, sz.Check()
	}
	if dpi <= 0 {
		dpi = 300
	}
	sz := Physical(vg.Length(w)*unit, vg.Length(h)*unit, dpi)
	return sz, sz.Check()
}

// MaxPixels bounds the pixels of a picture (64 megapixels: 8000x8000, twice an A4 page at 600
// DPI): the raster of a PNG takes 4 bytes a pixel, so a 20000x20000 picture would need 1.6 GB.
const MaxPixels = 64_000_000

// Check reports a size that cannot be rendered: its pixels (CheckPixels) or its DPI.
func (s Size) Check() error {
	if err := s.CheckPixels(); err != nil {
		return err
	}
	if !s.DPIOK() {
		return fmt.Errorf("%d DPI: want 30 to 1200: %w", s.DPI, ErrFormat)
	}
	return nil
}

// DPIOK reports whether the DPI is one Sitrep renders at (30 to 1200).
func (s Size) DPIOK() bool { return s.DPI >= 30 && s.DPI <= 1200 }

// CheckPixels reports a pixel size that cannot be rendered: smaller than 200x150, a side
// above 20000, or more than MaxPixels in all.
func (s Size) CheckPixels() error {
	if s.Width < 200 || s.Height < 150 || s.Width > 20000 || s.Height > 20000 {
		return fmt.Errorf("size %dx%d pixels: want between 200x150 and 20000x20000: %w", s.Width, s.Height, ErrFormat)
	}
	if n := int64(s.Width) * int64(s.Height); n > MaxPixels {
		return fmt.Errorf("size %dx%d pixels is %.0f megapixels: a picture may have at most %d (8000x8000; an A4 page at 600 DPI has 35): %w",
			s.Width, s.Height, float64(n)/1e6, MaxPixels/1_000_000, ErrFormat)
	}
	return nil
}

// Page returns the physical page size.
func (s Size) Page() (w, h vg.Length) {
	return vg.Length(float64(s.Width)/float64(s.DPI)) * vg.Inch, vg.Length(float64(s.Height)/float64(s.DPI)) * vg.Inch
}

// RenderImage draws the chart into a new image of exactly s.Width x s.Height pixels.
func (ch *Chart) RenderImage(s Size) (*image.RGBA, error) {
	if err := s.Check(); err != nil {
		return nil, err
	}
	img := image.NewRGBA(image.Rect(0, 0, s.Width, s.Height))
	c := vgimg.NewWith(vgimg.UseImage(img), vgimg.UseDPI(s.DPI))
	ch.Draw(draw.New(c))
	out, ok := c.Image().(*image.RGBA)
	if !ok {
		return nil, fmt.Errorf("raster canvas gave a %T", c.Image())
	}
	return out, nil
}

// Image draws the chart at w x h pixels (see Pixels); it suits a Fyne canvas.Raster
// generator. Sizes too small to draw give a blank image of the background colour.
func (ch *Chart) Image(w, h int) image.Image {
	s := Pixels(w, h)
	img, err := ch.RenderImage(s)
	if err != nil {
		blank := image.NewRGBA(image.Rect(0, 0, max(w, 1), max(h, 1)))
		for i := 0; i < len(blank.Pix); i += 4 {
			blank.Pix[i], blank.Pix[i+1], blank.Pix[i+2], blank.Pix[i+3] = ch.Style.Background.R, ch.Style.Background.G, ch.Style.Background.B, 0xff
		}
		return blank
	}
	return img
}

// Render writes the chart in format f at size s: a PNG of exactly s.Width x s.Height
// pixels, or an SVG or PDF page of s.Width/s.DPI x s.Height/s.DPI inches with the fonts
// embedded.
func (ch *Chart) Render(w io.Writer, f Format, s Size) error {
	if err := s.Check(); err != nil {
		return err
	}
	pw, ph := s.Page()
	switch f {
	case FormatPNG:
		img, err := ch.RenderImage(s)
		if err != nil {
			return err
		}
		enc := png.Encoder{CompressionLevel: png.BestSpeed}
		if err := enc.Encode(w, img); err != nil {
			return fmt.Errorf("writing PNG: %w", err)
		}
		return nil
	case FormatSVG:
		c := vgsvg.NewWith(vgsvg.UseWH(pw, ph), vgsvg.EmbedFonts(true))
		ch.Draw(draw.New(c))
		if _, err := c.WriteTo(w); err != nil {
			return fmt.Errorf("writing SVG: %w", err)
		}
		return nil
	case FormatPDF:
		c := vgpdf.New(pw, ph)
		c.EmbedFonts(true)
		ch.Draw(draw.New(pdfFaces{c}))
		if _, err := c.WriteTo(w); err != nil {
			return fmt.Errorf("writing PDF: %w", err)
		}
		return nil
	}
	return fmt.Errorf("format %q: want png, svg or pdf: %w", f, ErrFormat)
}

// pdfFaces works around vgpdf v0.17.0 registering every font under style "" but asking for
// bold and italic faces with style "B" or "I" (which fails with "undefined font"): it hands
// vgpdf bold and italic faces as regular faces of their own typeface. The embedded font
// file is still the bold or italic one.
type pdfFaces struct{ *vgpdf.Canvas }

// FillString implements vg.Canvas.
func (c pdfFaces) FillString(f font.Face, pt vg.Point, s string) {
	if f.Font.Weight != xfont.WeightNormal || f.Font.Style != xfont.StyleNormal {
		f.Font.Typeface += font.Typeface(fmt.Sprintf("W%dS%d", f.Font.Weight, f.Font.Style))
		f.Font.Weight, f.Font.Style = xfont.WeightNormal, xfont.StyleNormal
	}
	c.Canvas.FillString(f, pt, toCP1252(s))
}

// cp1252 encodes text for vgpdf, which hands strings to fpdf as single-byte cp1252 (its
// fonts are made with that code page): without it "—" or "…" come out as mojibake. Runes
// outside cp1252 become "?".
var cp1252 = encoding.ReplaceUnsupported(charmap.Windows1252.NewEncoder())

func toCP1252(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			out, err := cp1252.String(s)
			if err != nil {
				return s
			}
			return strings.ReplaceAll(out, "\x1a", "?") // the encoder's substitute byte
		}
	}
	return s
}
