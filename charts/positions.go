package charts

import (
	"errors"
	"fmt"
	"image"
	"image/color"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	stdfont "golang.org/x/image/font"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgpdf"
	"gonum.org/v1/plot/vg/vgsvg"

	"sitrep/data"
)

// ErrImageFormat is returned for an output format the positions and stance charts cannot write.
var ErrImageFormat = errors.New("unsupported image format (want png, jpg, svg or pdf)")

// ErrEmpty is returned when there is nothing to draw.
var ErrEmpty = errors.New("nothing to draw")

// Slide geometry: 1920x1080 pixels at 144 DPI is 960x540 points, a 13.33x7.5 inch 16:9 slide,
// so a 12 pt font is 24 pixels high on the slide.
const (
	SlideWidthPx  = 1920
	SlideHeightPx = 1080
	SlideDPI      = 144
)

// PositionsOptions controls the positions picture.
type PositionsOptions struct {
	// Width and Height in pixels (for PNG and JPEG; SVG and PDF get the same size in points at
	// DPI). Zero: 1920x1080.
	Width, Height int
	// DPI converts points to pixels. Zero: 144, so text sizes suit a slide.
	DPI int
	// Title replaces the default "Positions as of 12 Nov 2025".
	Title string
	// Subtitle is one line under the title (filters, say); "" for the default explanation.
	Subtitle string
	// Demo marks the picture as drawn from demo data (a tag and a caption line).
	Demo bool
	// Note is added to the caption (a filter description, a provenance remark).
	Note string
}

func (o PositionsOptions) size() (w, h vg.Length, dpi int) {
	wp, hp, dpi := o.Width, o.Height, o.DPI
	if wp <= 0 {
		wp = SlideWidthPx
	}
	if hp <= 0 {
		hp = SlideHeightPx
	}
	if dpi <= 0 {
		dpi = SlideDPI
	}
	return vg.Length(wp) * vg.Inch / vg.Length(dpi), vg.Length(hp) * vg.Inch / vg.Length(dpi), dpi
}

// RenderPositions draws the positions matrix as a picture and writes it to w in format "png",
// "jpg", "svg" (fonts embedded) or "pdf". It returns ErrImageFormat for other formats and ErrEmpty
// for a matrix with no actor or no topic.
func RenderPositions(w io.Writer, format string, m data.Matrix, opts PositionsOptions) error {
	if len(m.Actors) == 0 || len(m.Topics) == 0 {
		return fmt.Errorf("positions chart: no actors or no topics to show: %w", ErrEmpty)
	}
	wd, ht, dpi := opts.size()
	c, err := posCanvas(format, wd, ht, dpi)
	if err != nil {
		return err
	}
	DrawPositions(draw.New(c), m, opts)
	if _, err := c.WriteTo(w); err != nil {
		return fmt.Errorf("writing the positions chart: %w", err)
	}
	return nil
}

// PositionsImage draws the positions matrix into an image of opts' pixel size (for the GUI's
// raster, which must not go through a file).
func PositionsImage(m data.Matrix, opts PositionsOptions) image.Image {
	wd, ht, dpi := opts.size()
	c := vgimg.NewWith(vgimg.UseWH(wd, ht), vgimg.UseDPI(dpi), vgimg.UseBackgroundColor(color.White))
	DrawPositions(draw.New(c), m, opts)
	return c.Image()
}

// posCanvas makes a canvas that writes the given format.
func posCanvas(format string, w, h vg.Length, dpi int) (vg.CanvasWriterTo, error) {
	switch strings.ToLower(strings.TrimPrefix(format, ".")) {
	case "png":
		return vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(dpi), vgimg.UseBackgroundColor(color.White))}, nil
	case "jpg", "jpeg":
		return vgimg.JpegCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(dpi), vgimg.UseBackgroundColor(color.White))}, nil
	case "svg":
		return vgsvg.NewWith(vgsvg.UseWH(w, h), vgsvg.EmbedFonts(true)), nil
	case "pdf":
		c := vgpdf.New(w, h)
		c.EmbedFonts(true)
		return pdfFontFix{c}, nil
	}
	return nil, fmt.Errorf("%q: %w", format, ErrImageFormat)
}

// pdfFontFix works around vgpdf in gonum/plot v0.17.0, which registers every embedded font
// with an empty style but selects bold and italic faces with style "B"/"I", and so fails with
// "undefined font: liberationsans-bold B". It hands vgpdf each face under a name of its own
// with a regular style; the glyphs are still the bold or italic face's.
type pdfFontFix struct{ *vgpdf.Canvas }

// FillString draws str with fnt renamed as a regular face.
func (c pdfFontFix) FillString(fnt font.Face, pt vg.Point, str string) {
	fnt.Font.Typeface = font.Typeface(fnt.Name())
	fnt.Font.Variant = ""
	fnt.Font.Weight = stdfont.WeightNormal
	fnt.Font.Style = stdfont.StyleNormal
	c.Canvas.FillString(fnt, pt, str)
}

// posText is a text style in Liberation Sans, from font.DefaultCache (gonum/plot's init, run
// because this package imports plot, adds the embedded Liberation fonts to it).
func posText(size vg.Length, bold, italic bool, clr color.Color) draw.TextStyle {
	f := font.Font{Typeface: "Liberation", Variant: "Sans", Size: size}
	if bold {
		f.Weight = stdfont.WeightBold
	}
	if italic {
		f.Style = stdfont.StyleItalic
	}
	return draw.TextStyle{Color: clr, Font: f, XAlign: draw.XLeft, YAlign: draw.YTop,
		Handler: text.Plain{Fonts: font.DefaultCache}}
}

// posWrap breaks s into lines no wider than width, on spaces; a word wider than the line is
// broken between characters.
func posWrap(sty draw.TextStyle, s string, width vg.Length) []string {
	var lines []string
	for _, para := range strings.Split(s, "\n") {
		line := ""
		for _, w := range strings.Fields(para) {
			try := w
			if line != "" {
				try = line + " " + w
			}
			if sty.Width(try) <= width {
				line = try
				continue
			}
			if line != "" {
				lines = append(lines, line)
			}
			for sty.Width(w) > width && len([]rune(w)) > 1 {
				r := []rune(w)
				n := len(r) - 1
				for n > 1 && sty.Width(string(r[:n])) > width {
					n--
				}
				lines = append(lines, string(r[:n]))
				w = string(r[n:])
			}
			line = w
		}
		if line != "" {
			lines = append(lines, line)
		}
	}
	return lines
}

// posClip keeps at most n lines, ending the last kept line with an ellipsis when lines were
// dropped (and closing a double quote the cut leaves open).
func posClip(sty draw.TextStyle, lines []string, n int, width vg.Length) []string {
	if n <= 0 {
		return nil
	}
	if len(lines) <= n {
		return lines
	}
	out := slices.Clone(lines[:n])
	last := out[n-1]
	for {
		cand := strings.TrimRight(last, " ,;:.") + "…"
		all := strings.Join(out[:n-1], " ") + " " + cand
		if strings.Count(all, "“") > strings.Count(all, "”") {
			cand += "”"
		} else if strings.Count(all, `"`)%2 == 1 {
			cand += `"`
		}
		if sty.Width(cand) <= width || last == "" {
			out[n-1] = cand
			return out
		}
		r := []rune(last)
		if i := strings.LastIndex(last, " "); i > 0 {
			last = last[:i]
		} else {
			last = string(r[:len(r)-1])
		}
	}
}

// posColor parses #rrggbb; ok is false for anything else.
func posColor(s string) (color.RGBA, bool) {
	if len(s) != 7 || s[0] != '#' {
		return color.RGBA{}, false
	}
	v, err := strconv.ParseUint(s[1:], 16, 32)
	if err != nil {
		return color.RGBA{}, false
	}
	return color.RGBA{R: uint8(v >> 16), G: uint8(v >> 8), B: uint8(v), A: 255}, true
}

// posInk returns the text colour readable on a fill: near-black on light fills, white on dark.
func posInk(fill color.Color) color.Color {
	r, g, b, _ := fill.RGBA()
	lin := func(c uint32) float64 {
		v := float64(c) / 65535
		if v <= 0.03928 {
			return v / 12.92
		}
		return math.Pow((v+0.055)/1.055, 2.4)
	}
	l := 0.2126*lin(r) + 0.7152*lin(g) + 0.0722*lin(b)
	// contrast against white (1.05/(l+0.05)) vs against near-black (l+0.05)/0.06
	if 1.05/(l+0.05) >= (l+0.05)/0.06 {
		return color.White
	}
	return posDark
}

var (
	posDark     = color.RGBA{R: 0x1a, G: 0x1a, B: 0x1a, A: 255}
	posMuted    = color.RGBA{R: 0x59, G: 0x59, B: 0x59, A: 255}
	posRule     = color.RGBA{R: 0xbb, G: 0xbb, B: 0xbb, A: 255}
	posHatch    = color.RGBA{R: 0xe4, G: 0xe4, B: 0xe4, A: 255}
	posDemo     = color.RGBA{R: 0xb0, G: 0x3a, B: 0x00, A: 255}
	posChangeBg = color.RGBA{R: 0xff, G: 0xd7, B: 0x00, A: 255} // yellow flag: "changed"
)

func posRect(x0, y0, x1, y1 vg.Length) []vg.Point {
	return []vg.Point{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}}
}

func posFill(c draw.Canvas, r vg.Rectangle, clr color.Color) {
	c.FillPolygon(clr, posRect(r.Min.X, r.Min.Y, r.Max.X, r.Max.Y))
}

func posStroke(c draw.Canvas, r vg.Rectangle, sty draw.LineStyle) {
	p := posRect(r.Min.X, r.Min.Y, r.Max.X, r.Max.Y)
	c.StrokeLines(sty, append(p, p[0]))
}

// posHatchRect fills r with thin diagonal lines: the look of "nothing on record".
func posHatchRect(c draw.Canvas, r vg.Rectangle, clr color.Color, step vg.Length) {
	sub := draw.Canvas{Canvas: c.Canvas, Rectangle: r}
	w, h := r.Max.X-r.Min.X, r.Max.Y-r.Min.Y
	sty := draw.LineStyle{Color: clr, Width: 1}
	for off := -h; off < w; off += step {
		line := []vg.Point{{X: r.Min.X + off, Y: r.Min.Y}, {X: r.Min.X + off + h, Y: r.Max.Y}}
		c.StrokeLines(sty, sub.ClipLinesXY(line)...)
	}
}

// posLines draws lines of text from the top-left point down; it returns the y below them.
func posLines(c draw.Canvas, sty draw.TextStyle, x, y vg.Length, lines []string) vg.Length {
	lh := sty.Font.Size * 1.22
	for _, l := range lines {
		c.FillText(sty, vg.Point{X: x, Y: y}, l)
		y -= lh
	}
	return y
}

// DrawPositions draws the positions matrix on c: a title, actors as columns, topics as rows,
// each cell filled with its stance colour and showing the stance word, the date, the speaker,
// the start of the quote and a numbered source; "no statement" cells are hatched and dashed,
// "no comment" cells are filled grey with their quote; changed cells carry a yellow flag with
// the earlier stance; a legend of the vocabulary and a caption with the as-of date, the change
// reference date, the numbered sources and "Demo data" when opts.Demo.
func DrawPositions(c draw.Canvas, m data.Matrix, opts PositionsOptions) {
	W := c.Max.X - c.Min.X
	H := c.Max.Y - c.Min.Y
	s := vg.Length(math.Min(float64(W/(960)), float64(H/(540)))) // 1 at slide size
	if s <= 0 {
		return
	}
	margin := 22 * s
	x0, x1 := c.Min.X+margin, c.Max.X-margin
	top := c.Max.Y - margin
	posFill(c, c.Rectangle, color.White)

	// Title and subtitle.
	title := opts.Title
	if title == "" {
		title = "Positions as of " + m.AsOf.Label()
		if len(m.Topics) == 1 {
			title = m.Topics[0] + ": positions as of " + m.AsOf.Label()
		}
	}
	titleSty := posText(24*s, true, false, posDark)
	y := top
	if opts.Demo {
		tag := posText(13*s, true, false, color.White)
		label := "DEMO DATA"
		tw := tag.Width(label) + 14*s
		th := 22 * s
		posFill(c, vg.Rectangle{Min: vg.Point{X: x1 - tw, Y: top - th}, Max: vg.Point{X: x1, Y: top}}, posDemo)
		c.FillText(tag, vg.Point{X: x1 - tw + 7*s, Y: top - 4*s}, label)
		x1t := x1 - tw - 10*s
		y = posLines(c, titleSty, x0, y, posClip(titleSty, posWrap(titleSty, title, x1t-x0), 1, x1t-x0))
	} else {
		y = posLines(c, titleSty, x0, y, posClip(titleSty, posWrap(titleSty, title, x1-x0), 1, x1-x0))
	}
	sub := opts.Subtitle
	if sub == "" {
		sub = "Each cell: the latest statement on or before " + m.AsOf.Label() + "."
		if !m.Since.IsZero() {
			sub += " Flagged cells changed since " + m.Since.Label() + " (earlier stance shown)."
		}
	}
	subSty := posText(13*s, false, false, posMuted)
	y = posLines(c, subSty, x0, y-2*s, posClip(subSty, posWrap(subSty, sub, x1-x0), 1, x1-x0))

	// Caption (bottom up): sources, notes, demo line.
	capSty := posText(11*s, false, false, posMuted)
	var capParts []string
	if len(m.Sources) > 0 {
		var src []string
		for i, srcName := range m.Sources {
			src = append(src, fmt.Sprintf("[%d] %s", i+1, srcName))
		}
		capParts = append(capParts, "Sources: "+strings.Join(src, "; ")+".")
	}
	if len(m.Unscored) > 0 {
		capParts = append(capParts, "Not in the stance vocabulary (unscored): "+strings.Join(m.Unscored, ", ")+".")
	}
	if opts.Note != "" {
		capParts = append(capParts, opts.Note)
	}
	capParts = append(capParts, "As of "+m.AsOf.Label()+". Statements dated only to a month count from the end of that month.")
	if opts.Demo {
		capParts = append(capParts, "Demo data: an approximate reconstruction of press reports, unverified.")
	}
	capLines := posClip(capSty, posWrap(capSty, strings.Join(capParts, " "), x1-x0), 4, x1-x0)
	capTop := c.Min.Y + margin + vg.Length(len(capLines))*capSty.Font.Size*1.22
	posLines(c, capSty, x0, capTop, capLines)

	// Legend, above the caption.
	legSty := posText(12*s, false, false, posDark)
	legRows := drawPosLegend(c, m, legSty, x0, x1, 0, s, false)
	legTop := capTop + 8*s + vg.Length(legRows)*20*s
	drawPosLegend(c, m, legSty, x0, x1, legTop, s, true)

	// Grid.
	gridTop := y - 10*s
	gridBottom := legTop + 10*s
	rowHeadW := vg.Length(math.Max(float64(150*s), float64((x1-x0)*0.17)))
	nA, nT := len(m.Actors), len(m.Topics)
	if nA == 0 || nT == 0 {
		c.FillText(posText(18*s, false, true, posMuted), vg.Point{X: x0, Y: gridTop}, "No statements to show.")
		return
	}
	gap := 6 * s
	colW := (x1 - x0 - rowHeadW - gap*vg.Length(nA)) / vg.Length(nA)
	headSize := 16 * s
	for _, a := range m.Actors {
		headSize = min(headSize, posFitSize(func(z vg.Length) draw.TextStyle { return posText(z, true, false, posDark) }, a, colW, 16*s, 10*s))
	}
	headSty := posText(headSize, true, false, posDark)
	headLines := 1
	for _, a := range m.Actors {
		headLines = max(headLines, min(3, len(posWrap(headSty, a, colW))))
	}
	headH := vg.Length(headLines)*headSty.Font.Size*1.22 + 4*s
	for j, a := range m.Actors {
		cx := x0 + rowHeadW + gap + vg.Length(j)*(colW+gap)
		lines := posClip(headSty, posWrap(headSty, a, colW), 3, colW)
		ly := gridTop
		for _, l := range lines {
			st := headSty
			st.XAlign = draw.XCenter
			c.FillText(st, vg.Point{X: cx + colW/2, Y: ly}, l)
			ly -= headSty.Font.Size * 1.22
		}
	}
	rowsTop := gridTop - headH
	rowH := (rowsTop - gridBottom - gap*vg.Length(nT-1)) / vg.Length(nT)
	topicSize := 16 * s
	for _, t := range m.Topics {
		topicSize = min(topicSize, posFitSize(func(z vg.Length) draw.TextStyle { return posText(z, true, false, posDark) }, t, rowHeadW-10*s, 16*s, 11*s))
	}
	topicSty := posText(topicSize, true, false, posDark)
	sourceNo := map[string]int{}
	for i, src := range m.Sources {
		sourceNo[strings.ToLower(strings.TrimSpace(src))] = i + 1
	}
	// The largest text scale (up to 1.6) at which every cell's whole content fits its cell: a
	// grid of few cells gets bigger text, a crowded one the slide-size minimum (and clipped
	// quotes).
	k := s
	for try := 1.6; try > 1; try -= 0.05 {
		fits := true
		for i := range m.Topics {
			for j := range m.Actors {
				r := vg.Rectangle{Max: vg.Point{X: colW, Y: rowH}}
				if drawPosCell(c, r, m.Cells[i][j], m, sourceNo, s, s*vg.Length(try), false) > rowH {
					fits = false
				}
			}
		}
		if fits {
			k = s * vg.Length(try)
			break
		}
	}
	for i, topic := range m.Topics {
		ry1 := rowsTop - vg.Length(i)*(rowH+gap)
		ry0 := ry1 - rowH
		maxLines := int((rowH - 8*s) / (topicSty.Font.Size * 1.22))
		posLines(c, topicSty, x0, ry1-8*s, posClip(topicSty, posWrap(topicSty, topic, rowHeadW-10*s), max(1, maxLines), rowHeadW-10*s))
		for j := range m.Actors {
			cx := x0 + rowHeadW + gap + vg.Length(j)*(colW+gap)
			r := vg.Rectangle{Min: vg.Point{X: cx, Y: ry0}, Max: vg.Point{X: cx + colW, Y: ry1}}
			drawPosCell(c, r, m.Cells[i][j], m, sourceNo, s, k, true)
		}
	}
}

// drawPosLegend draws the vocabulary swatches, then "no statement" and the change flag, in
// rows 20 pt apart from y down; it returns the number of rows. With paint false it only counts.
func drawPosLegend(c draw.Canvas, m data.Matrix, sty draw.TextStyle, x0, x1, y, s vg.Length, paint bool) int {
	type item struct {
		label string
		draw  func(r vg.Rectangle)
	}
	vocab := slices.Clone(m.Vocabulary)
	slices.SortStableFunc(vocab, func(a, b data.StanceDef) int { return b.Score - a.Score })
	var items []item
	for _, d := range vocab {
		clr, ok := posColor(d.Color)
		if !ok {
			continue
		}
		label := d.Word
		items = append(items, item{label, func(r vg.Rectangle) { posFill(c, r, clr) }})
	}
	items = append(items, item{data.NoStatementLabel, func(r vg.Rectangle) {
		posFill(c, r, color.White)
		posHatchRect(c, r, posRule, 3*s)
		posStroke(c, r, draw.LineStyle{Color: posMuted, Width: 1 * s, Dashes: []vg.Length{2 * s, 2 * s}})
	}})
	if !m.Since.IsZero() {
		items = append(items, item{"changed since " + m.Since.Label(), func(r vg.Rectangle) {
			posFill(c, r, posChangeBg)
			posStroke(c, r, draw.LineStyle{Color: posDark, Width: 1 * s})
		}})
	}
	sw := 13 * s
	x, rows := x0, 1
	for _, it := range items {
		w := sw + 5*s + sty.Width(it.label) + 16*s
		if x+w-16*s > x1 && x > x0 {
			x, y, rows = x0, y-20*s, rows+1
		}
		if paint {
			it.draw(vg.Rectangle{Min: vg.Point{X: x, Y: y - sw}, Max: vg.Point{X: x + sw, Y: y}})
			c.FillText(sty, vg.Point{X: x + sw + 5*s, Y: y}, it.label)
		}
		x += w
	}
	return rows
}

// posFitSize returns the largest size from hi down to lo at which the longest word of txt fits
// in width (lo when none does).
func posFitSize(sty func(vg.Length) draw.TextStyle, txt string, width, hi, lo vg.Length) vg.Length {
	longest := ""
	st := sty(hi)
	for _, w := range strings.Fields(txt) {
		if st.Width(w) > st.Width(longest) {
			longest = w
		}
	}
	for size := hi; size > lo; size -= 0.5 {
		if sty(size).Width(longest) <= width {
			return size
		}
	}
	return lo
}

// drawPosCell draws one cell of the grid in r with its text scaled by k (1 at slide size),
// never outside r: what does not fit is cut with an ellipsis, in this order of priority: the
// change flag, the stance, the date and source number, the speaker, the quote. With paint
// false it draws nothing and only measures: it returns the height the cell's whole content
// (the full quote included) needs at that scale, +Inf when the date or speaker lines would
// need cutting.
func drawPosCell(c draw.Canvas, r vg.Rectangle, cell data.Cell, m data.Matrix, sourceNo map[string]int, s, k vg.Length, paint bool) vg.Length {
	cellW, cellH := r.Max.X-r.Min.X, r.Max.Y-r.Min.Y
	pad := 8 * s
	if cellW < 140*s || cellH < 110*s {
		pad = 5 * s
	}
	w := cellW - 2*pad
	x := r.Min.X + pad
	y := r.Max.Y - pad
	bottom := r.Min.Y + pad/2
	full := true // everything so far was drawn whole
	strict := false
	// put draws lines below y after a gap, as many as fit above the bottom (at most maxLines
	// when maxLines > 0), cutting the last one with an ellipsis.
	put := func(sty draw.TextStyle, lines []string, gap vg.Length, maxLines int) {
		if !full || len(lines) == 0 {
			return
		}
		lh := sty.Font.Size * 1.22
		if maxLines > 0 && len(lines) > maxLines {
			if !paint {
				strict = true
			}
			lines = posClip(sty, lines, maxLines, w)
		}
		y -= gap
		if paint {
			n := int((y - bottom + 0.15*lh) / lh)
			if n < len(lines) {
				lines = posClip(sty, lines, n, w)
				full = false
			}
			posLines(c, sty, x, y, lines)
		}
		y -= lh * vg.Length(len(lines))
	}

	var fill color.Color = color.White
	if paint {
		switch cell.State {
		case data.CellNoStatement:
			posFill(c, r, color.White)
			posHatchRect(c, r, posHatch, 7*s)
			posStroke(c, r, draw.LineStyle{Color: posMuted, Width: 1.2 * s, Dashes: []vg.Length{5 * s, 4 * s}})
		case data.CellUnscored:
			posFill(c, r, color.White)
			posStroke(c, r, draw.LineStyle{Color: posDark, Width: 1.5 * s})
		}
	}
	if cell.State == data.CellStance || cell.State == data.CellNoComment {
		if clr, ok := posColor(cell.Color()); ok {
			fill = clr
		}
		if paint {
			posFill(c, r, fill)
		}
	}
	ink := posInk(fill)

	// The change flag, a yellow band on top, so it is seen before anything else; in a small
	// cell it says only "was X" (or "new").
	if cell.ChangedFrom != nil {
		flagSty := posText(max(12*k*min(1, cellW/(180*s)), 10*s), true, false, posDark)
		label := "Changed: was " + cell.ChangedFrom.Label() + " on " + m.Since.Label()
		short := "was " + cell.ChangedFrom.Label()
		if cell.ChangedFrom.State == data.CellNoStatement {
			label = "New since " + m.Since.Label()
			short = "new"
		}
		lines := posWrap(flagSty, label, w)
		if len(lines) > 2 || cellH < 120*s {
			lines = posClip(flagSty, posWrap(flagSty, short, w), 1, w)
		}
		fh := vg.Length(len(lines))*flagSty.Font.Size*1.22 + 5*s
		fr := vg.Rectangle{Min: vg.Point{X: r.Min.X, Y: r.Max.Y - fh}, Max: r.Max}
		if paint {
			posFill(c, fr, posChangeBg)
			c.StrokeLine2(draw.LineStyle{Color: posDark, Width: 1 * s}, fr.Min.X, fr.Min.Y, fr.Max.X, fr.Min.Y)
			posLines(c, flagSty, x, r.Max.Y-3*s, lines)
		}
		y = fr.Min.Y - 4*s
	}

	wordSty := func(size vg.Length, italic bool, clr color.Color) func(vg.Length) draw.TextStyle {
		return func(z vg.Length) draw.TextStyle { return posText(z, !italic, italic, clr) }
	}
	if cell.State == data.CellNoStatement {
		st := wordSty(0, true, posMuted)
		size := posFitSize(st, data.NoStatementLabel, w, 17*k, 9*s)
		put(st(size), posWrap(st(size), data.NoStatementLabel, w), 0, 2)
		st2 := posText(12*k, false, false, posMuted)
		put(st2, posWrap(st2, "nothing on record by "+m.AsOf.Label(), w), 2*s, 2)
		return r.Max.Y - y + pad
	}

	// The stance word: as large as fits, each word on one line.
	st := wordSty(0, false, ink)
	word := cell.Label()
	size := posFitSize(st, word, w, 23*k, 10*s)
	for paint && size > 10*s && vg.Length(len(posWrap(st(size), word, w)))*size*1.22 > y-bottom+0.15*size*1.22 {
		size -= 0.5 * s // a smaller stance word, whole, rather than a cut one
	}
	put(st(size), posWrap(st(size), word, w), 0, 2)
	if cell.State == data.CellUnscored {
		us := posText(min(11*k, size), true, false, posMuted)
		put(us, posWrap(us, "unscored: not in the vocabulary", w), 0, 2)
	}

	// Date and source number, then who spoke.
	metaSty := posText(12.5*k, false, false, ink)
	meta := cell.Date.Label()
	if n := sourceNo[strings.ToLower(strings.TrimSpace(cell.Source))]; n > 0 {
		meta += fmt.Sprintf(" · [%d]", n)
	}
	put(metaSty, posWrap(metaSty, meta, w), 1*s, 2)
	who := cell.Speaker
	if cell.Role != "" && !strings.EqualFold(cell.Role, cell.Speaker) {
		if who != "" {
			who += ", " + cell.Role
		} else {
			who = cell.Role
		}
	}
	put(metaSty, posWrap(metaSty, who, w), 0, 3)

	// As much of the quote as fits. The quote field is often a paraphrase around quoted
	// words, so it is shown as coded, in italics, without quotation marks of its own.
	if q := strings.TrimSpace(cell.Quote); q != "" {
		qSty := posText(13*k, false, true, ink)
		put(qSty, posWrap(qSty, strings.Join(strings.Fields(q), " "), w), 4*s, 0)
	}
	if strict {
		return vg.Length(math.Inf(1))
	}
	return r.Max.Y - y + pad
}
