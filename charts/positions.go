package charts

import (
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	xfont "golang.org/x/image/font"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgpdf"
	"gonum.org/v1/plot/vg/vgsvg"

	"sitrep/data"
)

// ErrEmpty is returned when there is nothing to draw.
var ErrEmpty = errors.New("nothing to draw")

// PositionsOptions controls the positions picture.
type PositionsOptions struct {
	// Width and Height in pixels; zero gives a 1920x1080 slide. SVG and PDF get a page of
	// Width/DPI x Height/DPI inches.
	Width, Height int
	// DPI sets how large text is against the picture; zero lays it out like a 13.3 x 7.5 inch
	// slide at any pixel size (see Pixels).
	DPI int
	// Title replaces the default "Positions as of 12 Nov 2025".
	Title string
	// Subtitle is one line under the title (filters, say); "" for the default explanation.
	Subtitle string
	// Demo marks the picture as drawn from demo data (a tag and the DemoNote caption line).
	Demo bool
	// Note is added to the caption (a filter description, a provenance remark).
	Note string
}

// positionsSize is the output size of width x height pixels at dpi (zeros: the slide).
func positionsSize(width, height, dpi int) Size {
	if width <= 0 || height <= 0 {
		width, height = SizeSlide.Width, SizeSlide.Height
	}
	s := Pixels(width, height)
	if dpi > 0 {
		s.DPI = dpi
	}
	return s
}

// RenderPositions draws the positions matrix as a picture and writes it to w in format f
// (FormatPNG, FormatSVG with fonts embedded, or FormatPDF). It returns ErrFormat for another
// format or a bad size and ErrEmpty for a matrix with no actor or no topic.
func RenderPositions(w io.Writer, f Format, m data.Matrix, opts PositionsOptions) error {
	if len(m.Actors) == 0 || len(m.Topics) == 0 {
		return fmt.Errorf("positions chart: no actors or no topics to show: %w", ErrEmpty)
	}
	return posRender(w, f, positionsSize(opts.Width, opts.Height, opts.DPI), func(c draw.Canvas) error {
		DrawPositions(c, m, opts)
		return nil
	})
}

// PositionsImage draws the positions matrix into an image of opts' pixel size (for the GUI's
// raster, which must not go through a file). A size too small to draw gives a blank white
// image of that size.
func PositionsImage(m data.Matrix, opts PositionsOptions) image.Image {
	sz := positionsSize(opts.Width, opts.Height, opts.DPI)
	img, err := posImage(sz, func(c draw.Canvas) error {
		DrawPositions(c, m, opts)
		return nil
	})
	if err != nil {
		blank := image.NewRGBA(image.Rect(0, 0, max(sz.Width, 1), max(sz.Height, 1)))
		for i := range blank.Pix {
			blank.Pix[i] = 0xff
		}
		return blank
	}
	return img
}

// posImage draws into a new image of exactly s.Width x s.Height pixels.
func posImage(s Size, drawFn func(draw.Canvas) error) (*image.RGBA, error) {
	if err := s.Check(); err != nil {
		return nil, err
	}
	img := image.NewRGBA(image.Rect(0, 0, s.Width, s.Height))
	c := vgimg.NewWith(vgimg.UseImage(img), vgimg.UseDPI(s.DPI))
	err := drawFn(draw.New(c))
	out, ok := c.Image().(*image.RGBA) // the canvas draws on its own copy of img
	if !ok {
		return nil, fmt.Errorf("raster canvas gave a %T", c.Image())
	}
	return out, err
}

// posRender writes what drawFn draws in format f at size s, like Chart.Render: a PNG of
// exactly s pixels, or an SVG or PDF page with the fonts embedded.
func posRender(w io.Writer, f Format, s Size, drawFn func(draw.Canvas) error) error {
	if err := s.Check(); err != nil {
		return err
	}
	pw, ph := s.Page()
	var cw vg.CanvasWriterTo
	switch f {
	case FormatPNG:
		img, err := posImage(s, drawFn)
		if err != nil {
			return err
		}
		if err := (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(w, img); err != nil {
			return fmt.Errorf("writing PNG: %w", err)
		}
		return nil
	case FormatSVG:
		c := vgsvg.NewWith(vgsvg.UseWH(pw, ph), vgsvg.EmbedFonts(true))
		if err := drawFn(draw.New(c)); err != nil {
			return err
		}
		cw = c
	case FormatPDF:
		c := vgpdf.New(pw, ph)
		c.EmbedFonts(true)
		if err := drawFn(draw.New(pdfFaces{c})); err != nil {
			return err
		}
		cw = c
	default:
		return fmt.Errorf("format %q: want png, svg or pdf: %w", f, ErrFormat)
	}
	if _, err := cw.WriteTo(w); err != nil {
		return fmt.Errorf("writing %s: %w", strings.ToUpper(string(f)), err)
	}
	return nil
}

// posStyle is the house style (light theme) the positions and stance pictures use.
var posStyle = NewStyle(ThemeLight)

// posText is a text style of the house font (Liberation Sans, embedded), anchored at its
// top-left corner.
func posText(size vg.Length, bold, italic bool, clr color.Color) draw.TextStyle {
	st := posStyle.Text(size, clr, bold)
	if italic {
		st.Font.Style = xfont.StyleItalic
	}
	st.XAlign, st.YAlign = draw.XLeft, draw.YTop
	return st
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
	posDark     = posStyle.Foreground
	posMuted    = posStyle.Muted
	posRule     = color.RGBA{R: 0xbb, G: 0xbb, B: 0xbb, A: 255}
	posHatch    = color.RGBA{R: 0xe4, G: 0xe4, B: 0xe4, A: 255}
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
	titleSty := posText(SizeTitle*s, true, false, posDark)
	y := top
	y = posLines(c, titleSty, x0, y, posClip(titleSty, posWrap(titleSty, title, x1-x0), 1, x1-x0))
	sub := opts.Subtitle
	if sub == "" {
		sub = "Each cell: the latest statement on or before " + m.AsOf.Label() + "."
		if !m.Since.IsZero() {
			sub += " Flagged cells changed since " + m.Since.Label() + " (earlier stance shown)."
		}
	}
	subSty := posText(SizeNote*s, false, false, posMuted)
	y = posLines(c, subSty, x0, y-2*s, posClip(subSty, posWrap(subSty, sub, x1-x0), 1, x1-x0))

	// Caption, in the house layout: a rule, what the grid shows, the numbered sources, and the
	// demo note in bold.
	var facts []string
	facts = append(facts, "Latest statement on or before "+m.AsOf.Label()+"; statements dated only to a month count from the end of that month.")
	if !m.Since.IsZero() {
		facts = append(facts, "Flags mark stances that changed since "+m.Since.Label()+".")
	}
	if !m.KnownOn.IsZero() {
		facts = append(facts, "Statements as known on "+data.KnownOnLabel(m.KnownOn)+".")
	}
	if len(m.Unscored) > 0 {
		facts = append(facts, "Not in the stance vocabulary (unscored): "+strings.Join(m.Unscored, ", ")+".")
	}
	if opts.Note != "" {
		facts = append(facts, opts.Note)
	}
	var sources string
	if len(m.Sources) > 0 {
		var src []string
		for i, name := range m.Sources {
			src = append(src, fmt.Sprintf("[%d] %s", i+1, name))
		}
		sources = "Sources: " + strings.Join(src, "; ") + "."
	}
	capTop := drawPosCaption(c, x0, x1, c.Min.Y+margin, s, strings.Join(facts, " "), sources, opts.Demo)

	// Legend, above the caption.
	legSty := posText(SizeNote*s, false, false, posDark)
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

// drawPosCaption draws a caption in the house layout from bottom up: the facts, the sources
// on a line of their own, and DemoNote in bold when demo, under a thin rule. It returns the
// top of the rule.
func drawPosCaption(c draw.Canvas, x0, x1, bottom, s vg.Length, facts, sources string, demo bool) vg.Length {
	return drawPosCaptionIn(c, posStyle, x0, x1, bottom, s, facts, sources, demo)
}

// drawPosCaptionIn is drawPosCaption in the colours of st (the stance chart's dark preview).
func drawPosCaptionIn(c draw.Canvas, st Style, x0, x1, bottom, s vg.Length, facts, sources string, demo bool) vg.Length {
	sty := posText(SizeCaption*s, false, false, st.Muted)
	lh := sty.Font.Size * 1.22
	var blocks [][]string
	var styles []draw.TextStyle
	if facts != "" {
		blocks = append(blocks, posClip(sty, posWrap(sty, facts, x1-x0), 3, x1-x0))
		styles = append(styles, sty)
	}
	if sources != "" {
		blocks = append(blocks, posClip(sty, posWrap(sty, sources, x1-x0), 2, x1-x0))
		styles = append(styles, sty)
	}
	if demo {
		bold := posText(SizeCaption*s, true, false, st.Foreground)
		blocks = append(blocks, []string{DemoNote + "."})
		styles = append(styles, bold)
	}
	n := 0
	for _, b := range blocks {
		n += len(b)
	}
	top := bottom + vg.Length(n)*lh
	y := top
	for i, b := range blocks {
		y = posLines(c, styles[i], x0, y, b)
	}
	rule := top + 6*s
	c.StrokeLine2(draw.LineStyle{Color: posStyle.Grid, Width: 1 * s}, x0, rule, x1, rule)
	return rule
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
