package charts

import (
	"fmt"
	"image/color"
	"slices"
	"strings"
	"sync"

	"codeberg.org/go-fonts/liberation/liberationsansbold"
	"codeberg.org/go-fonts/liberation/liberationsansitalic"
	"codeberg.org/go-fonts/liberation/liberationsansregular"
	xfont "golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"sitrep/data"
)

// Theme is the light or dark variant of the house style.
type Theme string

// The two themes; they match the app's light and dark Fyne themes.
const (
	ThemeLight Theme = "light"
	ThemeDark  Theme = "dark"
)

// ParseTheme reads "light" or "dark" ("" is light).
func ParseTheme(s string) (Theme, error) {
	switch t := Theme(strings.ToLower(strings.TrimSpace(s))); t {
	case "", ThemeLight:
		return ThemeLight, nil
	case ThemeDark:
		return ThemeDark, nil
	}
	return "", fmt.Errorf("theme %q: want light or dark: %w", s, ErrSpec)
}

// The Okabe-Ito palette: eight colours that stay distinct for the common forms of colour
// blindness (Okabe and Ito, "Color Universal Design", 2008).
var (
	Blue          = rgb(0x0072B2)
	Orange        = rgb(0xE69F00)
	BluishGreen   = rgb(0x009E73)
	ReddishPurple = rgb(0xCC79A7)
	SkyBlue       = rgb(0x56B4E9)
	Vermillion    = rgb(0xD55E00)
	Yellow        = rgb(0xF0E442)
	Grey          = rgb(0x999999)
)

// Palette is the order in which series that have no fixed colour take their colours.
// Blue and orange come first; the fixed theatres use them.
var Palette = []color.NRGBA{Blue, Orange, BluishGreen, ReddishPurple, SkyBlue, Vermillion, Yellow, Grey}

// Theatre names with a fixed colour, so that the same theatre looks the same in every chart.
const (
	TheatreCaribbean      = "Caribbean"
	TheatreEasternPacific = "Eastern Pacific"
)

// fixedTheatres maps normalised theatre names to their colours.
var fixedTheatres = map[string]color.NRGBA{
	"caribbean":       Blue,
	"eastern pacific": Orange,
}

// theatrePalette is the order for theatres without a fixed colour: the palette minus the
// colours the fixed theatres use, and minus grey (kept for "no theatre").
var theatrePalette = []color.NRGBA{BluishGreen, ReddishPurple, SkyBlue, Vermillion, Yellow}

// TheatreColor returns the colour of a theatre. Caribbean and Eastern Pacific are fixed;
// a theatre with no name is grey; any other takes the next palette colour by its position
// among the non-fixed theatres of known (sorted by name, so the colour does not depend on
// which theatres a filter happens to select: pass every theatre of the store when you can).
// Beyond five other theatres the colours repeat.
func TheatreColor(name string, known []string) color.NRGBA {
	n := strings.ToLower(strings.TrimSpace(name))
	if c, ok := fixedTheatres[n]; ok {
		return c
	}
	if n == "" {
		return Grey
	}
	var others []string
	for _, k := range known {
		k = strings.ToLower(strings.TrimSpace(k))
		if _, fixed := fixedTheatres[k]; !fixed && k != "" && !slices.Contains(others, k) {
			others = append(others, k)
		}
	}
	if !slices.Contains(others, n) {
		others = append(others, n)
	}
	slices.Sort(others)
	return theatrePalette[slices.Index(others, n)%len(theatrePalette)]
}

// TheatreLabel names a theatre for a legend: "No theatre" for the empty name.
func TheatreLabel(name string) string {
	if strings.TrimSpace(name) == "" {
		return "No theatre"
	}
	return name
}

// StanceColor returns the colour the vocabulary gives a stance word, or grey when the word
// is not in it.
func StanceColor(v data.Vocabulary, word string) color.NRGBA {
	if d, ok := v.Lookup(word); ok {
		if c, err := ParseHex(d.Color); err == nil {
			return c
		}
	}
	return Grey
}

// ParseHex reads a #rrggbb colour.
func ParseHex(s string) (color.NRGBA, error) {
	var r, g, b uint8
	if len(s) != 7 || s[0] != '#' {
		return color.NRGBA{}, fmt.Errorf("colour %q: want #rrggbb", s)
	}
	if _, err := fmt.Sscanf(s[1:], "%02x%02x%02x", &r, &g, &b); err != nil {
		return color.NRGBA{}, fmt.Errorf("colour %q: want #rrggbb", s)
	}
	return color.NRGBA{R: r, G: g, B: b, A: 0xff}, nil
}

func rgb(v uint32) color.NRGBA {
	return color.NRGBA{R: uint8(v >> 16), G: uint8(v >> 8), B: uint8(v), A: 0xff}
}

// Mix blends c towards o by t (0 gives c, 1 gives o), as an opaque colour, so that lighter
// tints stay solid in every output format.
func Mix(c, o color.Color, t float64) color.NRGBA {
	r1, g1, b1, _ := c.RGBA()
	r2, g2, b2, _ := o.RGBA()
	f := func(a, b uint32) uint8 { return uint8((float64(a)*(1-t) + float64(b)*t) / 257) }
	return color.NRGBA{R: f(r1, r2), G: f(g1, g2), B: f(b1, b2), A: 0xff}
}

// Font sizes of the house style, in points. A chart is laid out on a page about the size of
// a 16:9 slide (13.3 x 7.5 inches, see Pixels), so these read well at 1920x1080 and still
// fit at 1200x675.
const (
	SizeTitle   = 24
	SizeLabel   = 16
	SizeTick    = 14
	SizeLegend  = 14
	SizeNote    = 13 // annotations and point labels
	SizeCaption = 11.5
	SizeMessage = 20
)

// FontFamily is the one typeface every chart uses: Liberation Sans, embedded in the binary.
var FontFamily = font.Font{Typeface: "Liberation", Variant: "Sans"}

var (
	fontsOnce sync.Once
	fontCache *font.Cache
)

// Fonts returns the font cache holding the embedded Liberation Sans faces (regular, bold,
// italic) and nothing else, so no chart can fall back on a system font.
func Fonts() *font.Cache {
	fontsOnce.Do(func() {
		var coll font.Collection
		for _, f := range []struct {
			ttf    []byte
			weight xfont.Weight
			style  xfont.Style
		}{
			{liberationsansregular.TTF, xfont.WeightNormal, xfont.StyleNormal},
			{liberationsansbold.TTF, xfont.WeightBold, xfont.StyleNormal},
			{liberationsansitalic.TTF, xfont.WeightNormal, xfont.StyleItalic},
		} {
			face, err := opentype.Parse(f.ttf)
			if err != nil {
				panic(fmt.Errorf("charts: embedded font: %w", err))
			}
			fnt := FontFamily
			fnt.Weight, fnt.Style = f.weight, f.style
			coll = append(coll, font.Face{Font: fnt, Face: face})
		}
		fontCache = font.NewCache(coll)
	})
	return fontCache
}

// Style is the house style in one theme: colours and text styles. Build charts with it, and
// reuse it for any new chart so that every chart looks the same.
type Style struct {
	Theme Theme
	// Background, Foreground (titles, labels), Muted (captions, ticks, annotations), Grid
	// and Axis colours.
	Background, Foreground, Muted, Grid, Axis color.NRGBA
	// Ink is the colour of a single series that is not split by theatre (deaths).
	Ink color.NRGBA
	// Handler lays out text with the embedded fonts.
	Handler text.Handler
}

// NewStyle returns the house style for a theme. The colours match Fyne's default themes
// (background #ffffff and #171718).
func NewStyle(t Theme) Style {
	s := Style{Theme: t, Handler: text.Plain{Fonts: Fonts()}}
	if t == ThemeDark {
		s.Background = rgb(0x171718)
		s.Foreground = rgb(0xF3F3F3)
		s.Muted = rgb(0xB4B4B8)
		s.Grid = rgb(0x36363A)
		s.Axis = rgb(0x8A8A90)
		s.Ink = rgb(0xC9D4E3)
	} else {
		s.Theme = ThemeLight
		s.Background = rgb(0xFFFFFF)
		s.Foreground = rgb(0x1F1F1F)
		s.Muted = rgb(0x5A5A5A)
		s.Grid = rgb(0xE3E3E3)
		s.Axis = rgb(0x6E6E6E)
		s.Ink = rgb(0x3B4B61)
	}
	return s
}

// Text returns a text style of the house font at size points in colour c, bold when asked.
func (s Style) Text(size vg.Length, c color.Color, bold bool) text.Style {
	fnt := FontFamily
	if bold {
		fnt.Weight = xfont.WeightBold
	}
	fnt.Size = size
	return text.Style{Color: c, Font: fnt, Handler: s.Handler, XAlign: draw.XLeft, YAlign: draw.YBottom}
}

// Italic returns an italic text style of the house font.
func (s Style) Italic(size vg.Length, c color.Color) text.Style {
	st := s.Text(size, c, false)
	st.Font.Style = xfont.StyleItalic
	return st
}

// Tint returns c lightened towards the background, for secondary marks such as the
// uncertain part of a range.
func (s Style) Tint(c color.Color) color.NRGBA {
	return Mix(c, s.Background, 0.6)
}

// Line returns a line style of width points in colour c.
func (s Style) Line(c color.Color, width vg.Length) draw.LineStyle {
	return draw.LineStyle{Color: c, Width: width}
}
