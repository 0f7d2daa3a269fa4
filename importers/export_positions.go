package importers

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"sitrep/data"
)

// Sheet names of the positions workbook.
const (
	PositionsSheet           = "Positions"
	PositionsStatementsSheet = "Statements"
	PositionsChangesSheet    = "Changes"
)

// PositionsExportOptions adds context to the positions workbook.
type PositionsExportOptions struct {
	// Title replaces the default "Positions as of 12 Nov 2025".
	Title string
	// Demo adds "Demo data" to the caption.
	Demo bool
	// Note is added to the caption (the filters used, say).
	Note string
	// Timelines, when given, fill a third sheet with every change of position.
	Timelines []data.Timeline
}

// ExportPositions writes the positions matrix as a formatted xlsx workbook to w: a sheet
// "Positions" with topics as rows and actors as columns, each cell filled with its stance
// colour and holding the stance, the change since the matrix's Since date, the date, the
// speaker, the full quote, the source and the statement id, under a caption with the as-of
// date; a sheet "Statements" listing the statement behind each cell (and the earlier one of a
// changed cell) with its provenance; and, when opts.Timelines is set, a sheet "Changes".
func ExportPositions(w io.Writer, m data.Matrix, opts PositionsExportOptions) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", PositionsSheet); err != nil {
		return fmt.Errorf("positions workbook: %w", err)
	}
	x := &posXlsxWriter{f: f}
	x.positionsSheet(m, opts)
	x.statementsSheet(m)
	if len(opts.Timelines) > 0 {
		x.changesSheet(opts.Timelines)
	}
	if x.err != nil {
		return fmt.Errorf("positions workbook: %w", x.err)
	}
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("writing the positions workbook: %w", err)
	}
	return nil
}

// posXlsxWriter keeps the first error so the sheet code reads straight.
type posXlsxWriter struct {
	f      *excelize.File
	err    error
	styles map[string]int
}

func (x *posXlsxWriter) check(err error) {
	if x.err == nil && err != nil {
		x.err = err
	}
}

func (x *posXlsxWriter) style(key string, s *excelize.Style) int {
	if x.styles == nil {
		x.styles = map[string]int{}
	}
	if id, ok := x.styles[key]; ok {
		return id
	}
	id, err := x.f.NewStyle(s)
	x.check(err)
	x.styles[key] = id
	return id
}

func (x *posXlsxWriter) headStyle() int {
	return x.style("head", &excelize.Style{
		Font:      &excelize.Font{Bold: true, Size: 12},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"#E8E8E8"}},
		Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true},
	})
}

func (x *posXlsxWriter) wrapStyle() int {
	return x.style("wrap", &excelize.Style{Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}})
}

func posCellName(col, row int) string {
	n, _ := excelize.CoordinatesToCellName(col, row)
	return n
}

// set writes one cell. Text is neutralised (see Neutralize): an actor, speaker, role or quote
// that starts with = + - @, a tab or a CR must not become a formula when the sheet is edited
// or saved as CSV.
func (x *posXlsxWriter) set(sheet string, col, row int, v any, style int) {
	c := posCellName(col, row)
	if s, ok := v.(string); ok {
		v = Neutralize(s)
	}
	x.check(x.f.SetCellValue(sheet, c, v))
	if style > 0 {
		x.check(x.f.SetCellStyle(sheet, c, c, style))
	}
}

// posInkOn returns the font colour readable on a #rrggbb fill: white on dark fills, near-black on
// light ones (by WCAG contrast).
func posInkOn(fill string) string {
	v, err := strconv.ParseUint(strings.TrimPrefix(fill, "#"), 16, 32)
	if err != nil || len(fill) != 7 {
		return "#1A1A1A"
	}
	lin := func(c uint64) float64 {
		f := float64(c) / 255
		if f <= 0.03928 {
			return f / 12.92
		}
		return math.Pow((f+0.055)/1.055, 2.4)
	}
	l := 0.2126*lin(v>>16&0xff) + 0.7152*lin(v>>8&0xff) + 0.0722*lin(v&0xff)
	if 1.05/(l+0.05) >= (l+0.05)/0.06 {
		return "#FFFFFF"
	}
	return "#1A1A1A"
}

var posThinBorder = []excelize.Border{
	{Type: "left", Color: "#FFFFFF", Style: 2}, {Type: "right", Color: "#FFFFFF", Style: 2},
	{Type: "top", Color: "#FFFFFF", Style: 2}, {Type: "bottom", Color: "#FFFFFF", Style: 2},
}

var posDashedBorder = []excelize.Border{
	{Type: "left", Color: "#595959", Style: 3}, {Type: "right", Color: "#595959", Style: 3},
	{Type: "top", Color: "#595959", Style: 3}, {Type: "bottom", Color: "#595959", Style: 3},
}

const (
	posColActor = 44 // column width of an actor, in characters
	posColTopic = 26
)

// cellStyle returns the style of a grid cell: the stance colour as fill, wrapped text.
func (x *posXlsxWriter) cellStyle(c *data.Cell) int {
	switch color := c.Color(); {
	case c.State == data.CellNoStatement:
		return x.style("nostatement", &excelize.Style{
			Border:    posDashedBorder,
			Font:      &excelize.Font{Italic: true, Color: "#595959", Size: 11},
			Alignment: &excelize.Alignment{Vertical: "top", WrapText: true},
		})
	case color == "":
		return x.style("unscored", &excelize.Style{
			Border: []excelize.Border{{Type: "left", Color: "#1A1A1A", Style: 2}, {Type: "right", Color: "#1A1A1A", Style: 2},
				{Type: "top", Color: "#1A1A1A", Style: 2}, {Type: "bottom", Color: "#1A1A1A", Style: 2}},
			Alignment: &excelize.Alignment{Vertical: "top", WrapText: true},
		})
	default:
		return x.style("fill"+color, &excelize.Style{
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{color}},
			Border:    posThinBorder,
			Font:      &excelize.Font{Color: posInkOn(color), Size: 11},
			Alignment: &excelize.Alignment{Vertical: "top", WrapText: true},
		})
	}
}

// posCellRuns is the rich text of a grid cell: the stance in bold, the change, date and
// speaker, the full quote in italics, the source and the statement id.
func posCellRuns(c *data.Cell, m *data.Matrix) (runs []excelize.RichTextRun, text string) {
	ink := posInkOn(c.Color())
	if c.State == data.CellNoStatement || c.Color() == "" {
		ink = "#1A1A1A"
	}
	font := func(bold, italic bool, size float64) *excelize.Font {
		return &excelize.Font{Bold: bold, Italic: italic, Size: size, Color: ink, Family: "Calibri"}
	}
	add := func(f *excelize.Font, s string) {
		runs = append(runs, excelize.RichTextRun{Font: f, Text: s})
		text += s
	}
	if c.State == data.CellNoStatement {
		add(&excelize.Font{Italic: true, Size: 12, Color: "#595959", Family: "Calibri"}, data.NoStatementLabel)
		add(&excelize.Font{Size: 10, Color: "#595959", Family: "Calibri"}, "\nnothing on record by "+m.AsOf.Label())
	} else {
		add(font(true, false, 14), c.Label())
		if c.State == data.CellUnscored {
			add(font(true, false, 10), " (unscored: not in the vocabulary)")
		}
		if score, ok := c.Score(); ok && c.State == data.CellStance {
			add(font(false, false, 10), "  ("+posScore(score)+")")
		}
	}
	if c.ChangedFrom != nil {
		msg := "\nChanged since " + m.Since.Label() + ": was " + c.ChangedFrom.Label()
		if c.ChangedFrom.State == data.CellNoStatement {
			msg = "\nNew since " + m.Since.Label() + " (no statement then)"
		}
		add(font(true, false, 11), msg)
	}
	if c.State == data.CellNoStatement {
		return runs, text
	}
	who := c.Speaker
	if c.Role != "" && !strings.EqualFold(c.Role, c.Speaker) {
		who = strings.TrimPrefix(who+", "+c.Role, ", ")
	}
	add(font(false, false, 11), "\n"+strings.TrimSuffix(c.Date.Label()+" — "+who, " — "))
	if q := strings.TrimSpace(c.Quote); q != "" {
		add(font(false, true, 11), "\n"+q)
	}
	if src := strings.TrimSpace(c.Source); src != "" {
		add(font(false, false, 10), "\nSource: "+src)
	}
	add(font(false, false, 9), "\nStatement "+c.StatementID)
	return runs, text
}

// posWrappedLines estimates how many lines text takes in a column width chars wide.
func posWrappedLines(text string, width int) int {
	n := 0
	for _, para := range strings.Split(text, "\n") {
		l := len([]rune(para))
		n += max(1, (l+width-1)/width)
	}
	return n
}

func (x *posXlsxWriter) positionsSheet(m data.Matrix, opts PositionsExportOptions) {
	sh := PositionsSheet
	nA := len(m.Actors)
	last := max(2, nA+1)
	title := opts.Title
	if title == "" {
		title = "Positions as of " + m.AsOf.Label()
	}
	x.set(sh, 1, 1, title, x.style("title", &excelize.Style{Font: &excelize.Font{Bold: true, Size: 16}}))
	x.check(x.f.MergeCell(sh, posCellName(1, 1), posCellName(last, 1)))

	caption := "Each cell shows the latest statement on or before " + m.AsOf.Label() + "."
	if !m.KnownOn.IsZero() {
		caption += " Statements as known on " + data.KnownOnLabel(m.KnownOn) + "."
	}
	if !m.Since.IsZero() {
		caption += " Changes are marked against the stance as of " + m.Since.Label() + "."
	}
	caption += " A statement dated only to a month counts from the end of that month."
	if len(m.Unscored) > 0 {
		caption += " Stance words not in the vocabulary (unscored): " + strings.Join(m.Unscored, ", ") + "."
	}
	if opts.Note != "" {
		caption += " " + opts.Note
	}
	if opts.Demo {
		caption += " Demo data: an approximate reconstruction of press reports, unverified."
	}
	capStyle := x.style("caption", &excelize.Style{
		Font:      &excelize.Font{Italic: true, Size: 10, Color: "#595959"},
		Alignment: &excelize.Alignment{Vertical: "top", WrapText: true},
	})
	x.set(sh, 1, 2, caption, capStyle)
	x.check(x.f.MergeCell(sh, posCellName(1, 2), posCellName(last, 2)))
	capWidth := posColTopic + posColActor*max(1, nA)
	x.check(x.f.SetRowHeight(sh, 2, float64(posWrappedLines(caption, capWidth))*14+4))

	head := x.headStyle()
	x.set(sh, 1, 4, "Topic", head)
	for j, a := range m.Actors {
		x.set(sh, j+2, 4, a, head)
	}
	x.check(x.f.SetColWidth(sh, "A", "A", posColTopic))
	if nA > 0 {
		x.check(x.f.SetColWidth(sh, "B", posColName(nA+1), posColActor))
	}
	x.check(x.f.SetRowHeight(sh, 4, 22))

	topicStyle := x.style("topic", &excelize.Style{
		Font:      &excelize.Font{Bold: true, Size: 12},
		Alignment: &excelize.Alignment{Vertical: "top", WrapText: true},
	})
	for i, topic := range m.Topics {
		row := 5 + i
		x.set(sh, 1, row, topic, topicStyle)
		lines := posWrappedLines(topic, posColTopic)
		for j := range m.Actors {
			c := &m.Cells[i][j]
			runs, text := posCellRuns(c, &m)
			name := posCellName(j+2, row)
			if len(runs) > 0 {
				runs[0].Text = Neutralize(runs[0].Text)
			}
			x.check(x.f.SetCellRichText(sh, name, runs))
			x.check(x.f.SetCellStyle(sh, name, name, x.cellStyle(c)))
			lines = max(lines, posWrappedLines(text, posColActor-4)+1)
		}
		x.check(x.f.SetRowHeight(sh, row, math.Min(409, float64(lines)*15)))
	}

	// Legend under the grid.
	row := 5 + len(m.Topics) + 1
	x.set(sh, 1, row, "Legend", topicStyle)
	for k, d := range m.Vocabulary {
		r := row + k
		x.set(sh, 2, r, posLegendLabel(d), x.style("fill"+d.Color+"legend", &excelize.Style{
			Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{d.Color}},
			Font: &excelize.Font{Color: posInkOn(d.Color), Size: 11},
		}))
	}
	r := row + len(m.Vocabulary)
	x.set(sh, 2, r, data.NoStatementLabel, x.cellStyle(&data.Cell{}))
	if len(m.Sources) > 0 {
		r += 2
		x.set(sh, 1, r, "Sources", topicStyle)
		for k, s := range m.Sources {
			x.set(sh, 2, r+k, s, 0)
		}
	}
	x.check(x.f.SetPanes(sh, &excelize.Panes{Freeze: true, XSplit: 1, YSplit: 4, TopLeftCell: "B5", ActivePane: "bottomRight"}))
	// Printed for an annex: landscape, the grid one page wide, the header rows on every page.
	landscape, wide, tall, fit := "landscape", 1, 0, true
	x.check(x.f.SetPageLayout(sh, &excelize.PageLayoutOptions{Orientation: &landscape, FitToWidth: &wide, FitToHeight: &tall}))
	x.check(x.f.SetSheetProps(sh, &excelize.SheetPropsOptions{FitToPage: &fit}))
	x.check(x.f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", RefersTo: "'" + sh + "'!$1:$4", Scope: sh}))
}

func posLegendLabel(d data.StanceDef) string {
	if d.NoComment {
		return d.Word + " (not a position)"
	}
	return d.Word + " (" + posScore(d.Score) + ")"
}

// posScore writes a score with its sign: "+2", "0", "-1".
func posScore(n int) string {
	if n == 0 {
		return "0"
	}
	return fmt.Sprintf("%+d", n)
}

func posColName(n int) string {
	s, _ := excelize.ColumnNumberToName(n)
	return s
}

// statementsSheet lists the statement behind each cell, and the earlier one of a changed cell.
func (x *posXlsxWriter) statementsSheet(m data.Matrix) {
	sh := PositionsStatementsSheet
	_, err := x.f.NewSheet(sh)
	x.check(err)
	headers := []string{"Topic", "Actor", "Shown as", "Stance", "Score", "Date", "Speaker", "Role",
		"Quote", "Channel", "Source", "Statement id", "Incidents", "Notes", "Imported from"}
	widths := []float64{24, 18, 18, 18, 7, 12, 22, 22, 60, 16, 40, 12, 14, 40, 30}
	head := x.headStyle()
	for k, h := range headers {
		x.set(sh, k+1, 1, h, head)
		x.check(x.f.SetColWidth(sh, posColName(k+1), posColName(k+1), widths[k]))
	}
	wrap := x.wrapStyle()
	row := 2
	put := func(c *data.Cell, shown string) {
		if c.State == data.CellNoStatement {
			return
		}
		score := any("")
		if s, ok := c.Score(); ok {
			score = s
		}
		vals := []any{c.Topic, c.Actor, shown, c.Stance, score, c.Date.String(), c.Speaker, c.Role,
			c.Quote, c.Channel, c.Source, c.StatementID, strings.Join(c.IncidentIDs, ", "), c.Notes,
			c.Provenance.String()}
		for k, v := range vals {
			x.set(sh, k+1, row, v, wrap)
		}
		row++
	}
	for i := range m.Topics {
		for j := range m.Actors {
			c := &m.Cells[i][j]
			put(c, "as of "+m.AsOf.String())
			if c.ChangedFrom != nil {
				put(c.ChangedFrom, "as of "+m.Since.String()+" (earlier)")
			}
		}
	}
	x.check(x.f.SetPanes(sh, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}))
	if row > 2 {
		x.check(x.f.AutoFilter(sh, "A1:"+posCellName(len(headers), row-1), nil))
	}
}

// changesSheet lists every change of position in the timelines.
func (x *posXlsxWriter) changesSheet(tls []data.Timeline) {
	sh := PositionsChangesSheet
	_, err := x.f.NewSheet(sh)
	x.check(err)
	headers := []string{"Topic", "Actor", "Date", "From", "To", "Statement id", "Quote", "Source"}
	widths := []float64{24, 18, 12, 18, 18, 12, 60, 40}
	head := x.headStyle()
	for k, h := range headers {
		x.set(sh, k+1, 1, h, head)
		x.check(x.f.SetColWidth(sh, posColName(k+1), posColName(k+1), widths[k]))
	}
	wrap := x.wrapStyle()
	row := 2
	for _, tl := range tls {
		for _, ch := range tl.Changes {
			vals := []any{ch.Topic, ch.Actor, ch.To.Date.String(), ch.From.Label(), ch.To.Label(),
				ch.To.StatementID, ch.To.Quote, ch.To.Source}
			for k, v := range vals {
				x.set(sh, k+1, row, v, wrap)
			}
			row++
		}
	}
	if row == 2 {
		x.set(sh, 1, 2, "No change of position in these statements.", 0)
	}
}
