package importers

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"unicode/utf16"

	"github.com/xuri/excelize/v2"

	"sitrep/data"
)

// Sheet names of an export and of the template, one per kind of record.
const (
	SheetIncidents  = "Incidents"
	SheetStatements = "Statements"
	SheetTallies    = "Tallies"
)

// Canonical headers per kind, in the order of ../shared/demo/README.md: the importer recognises
// them without any mapping. Exports write them first and add optional columns (date_end,
// country, coordinates, missing, injured, linked incidents, unmapped source columns) only when
// some record has a value there.
var (
	IncidentHeaders = []string{"id", "date", "theatre", "location", "actor", "target", "vessels",
		"alleged_affiliation", "killed_min", "killed_max", "survivors", "announced_by", "confidence",
		"source", "notes"}
	StatementHeaders = []string{"id", "date", "actor", "speaker", "role", "topic", "stance", "quote",
		"channel", "source", "notes"}
	TallyHeaders = []string{"id", "as_of", "claimant", "scope", "strikes_min", "strikes_max",
		"killed_min", "killed_max", "survivors", "source", "notes"}
)

// ErrCellTooLong is returned when a text is longer than an Excel cell can hold (32,767
// characters); the export stops rather than cut the text.
var ErrCellTooLong = errors.New("text is longer than the 32,767 characters an Excel cell holds")

// ErrChanged is returned when the records changed while an export was reading them (an import
// committed between the export's two passes); running the export again gives a consistent file.
var ErrChanged = errors.New("the records changed during the export")

// ColumnType says how an export column's values are written.
type ColumnType int

// Column types. Text cells are neutralised against formula injection (see Neutralize); numbers
// are written as numeric cells; dates known to the day as real Excel dates with a yyyy-mm-dd
// format, and dates known only to the month or year as ISO text ("2025-09", "2025") so that
// their precision survives a round trip.
const (
	Text ColumnType = iota
	Number
	DateColumn
)

// Column is one column of an exported table.
type Column struct {
	Header string
	Type   ColumnType
	// Width is the column width in Excel's character units; 0 picks one from the type.
	Width float64
}

// Table is one exported table: a sheet of a workbook or one CSV file. Other packages and
// commands can build their own tables (a positions matrix, say) and write them with WriteXLSX
// and WriteCSV.
type Table struct {
	// Name is the sheet name.
	Name    string
	Columns []Column
	// Len is the number of rows Rows emits, or -1 when unknown. When known, the workbook's used
	// range is declared up front (readers such as openpyxl's read-only mode rely on it) and a
	// different number of rows is an error wrapping ErrChanged.
	Len int
	// Rows calls emit once per row, in order. A row holds one value per column: nil for a blank
	// cell, string, int, float64 or data.Date. emit may keep no reference to the slice.
	Rows func(emit func(row []any) error) error
}

// Neutralize defuses text that a spreadsheet would otherwise run as a formula: following the
// OWASP guidance on CSV injection, a text that starts with =, +, -, @, a tab or a carriage
// return gets a single quote in front. Numbers are never passed here: they are written as
// numeric cells, so a figure like -3 stays a number.
func Neutralize(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// Unneutralize undoes Neutralize: a single quote followed by one of the characters Neutralize
// guards against is dropped. Importers call it on text cells so that an export reads back as
// the records it was made from.
func Unneutralize(s string) string {
	if len(s) >= 2 && s[0] == '\'' && strings.ContainsRune("=+-@\t\r", rune(s[1])) {
		return s[1:]
	}
	return s
}

// IncidentSource calls fn for each incident to export, in order. It is called twice (once to
// choose the columns and count the rows, once to write them), so it must give the same records
// each time; (*data.Store).ForEachIncident with a fixed filter does.
type IncidentSource func(fn func(*data.Incident) error) error

// IncidentSlice adapts a slice of incidents to an IncidentSource.
func IncidentSlice(rs []data.Incident) IncidentSource {
	return func(fn func(*data.Incident) error) error {
		for i := range rs {
			if err := fn(&rs[i]); err != nil {
				return err
			}
		}
		return nil
	}
}

// countLayout says how a count is laid out: one column when every value is exact or unknown,
// else a _min and a _max column.
type countLayout struct {
	used, split bool
}

func (l *countLayout) see(c data.Count) {
	if c.Known() {
		l.used = true
		if !c.Exact() {
			l.split = true
		}
	}
}

// columns returns the columns for a count named name; always forces the column even when no
// record has a value (canonical columns).
func (l countLayout) columns(name string, always bool) []Column {
	switch {
	case l.split:
		return []Column{{Header: name + "_min", Type: Number}, {Header: name + "_max", Type: Number}}
	case l.used || always:
		return []Column{{Header: name, Type: Number}}
	}
	return nil
}

// cells appends the values of c laid out as columns(name, always) lays it out.
func (l countLayout) cells(row []any, c data.Count, always bool) []any {
	switch {
	case l.split:
		return append(row, countEnd(c.Min, c.MinKnown), countEnd(c.Max, c.MaxKnown))
	case l.used || always:
		if c.Exact() {
			return append(row, c.Min)
		}
		return append(row, nil)
	}
	return row
}

func countEnd(n int, known bool) any {
	if known {
		return n
	}
	return nil
}

func dateCell(d data.Date) any {
	if d.IsZero() {
		return nil
	}
	return d
}

func textCell(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// extraKeys collects the headers of unmapped source columns, sorted, leaving out any that
// would repeat a header already written.
type extraKeys map[string]bool

func (e extraKeys) see(m map[string]string) {
	for k, v := range m {
		if strings.TrimSpace(k) != "" && v != "" {
			e[k] = true
		}
	}
}

func (e extraKeys) columns(taken []Column) []string {
	seen := map[string]bool{}
	for _, c := range taken {
		seen[strings.ToLower(c.Header)] = true
	}
	var keys []string
	for k := range e {
		if !seen[strings.ToLower(strings.TrimSpace(k))] {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	return keys
}

func appendExtra(row []any, keys []string, m map[string]string) []any {
	for _, k := range keys {
		row = append(row, textCell(m[k]))
	}
	return row
}

func textColumns(headers ...string) []Column {
	cols := make([]Column, len(headers))
	for i, h := range headers {
		cols[i] = Column{Header: h, Type: Text}
	}
	return cols
}

// IncidentTable builds the Incidents table. It reads src once to choose the columns (the
// canonical ones, then date_end, country, latitude and longitude, missing, injured and the
// unmapped source columns when some incident has them; vessels and survivors become _min and
// _max columns when some figure is a range) and count the rows; the table reads src again when
// written.
func IncidentTable(src IncidentSource) (Table, error) {
	var (
		n                                    int
		dateEnd, country, coords             bool
		vessels, survivors, missing, injured countLayout
		killed                               = countLayout{split: true} // canonical killed_min, killed_max
		extra                                = extraKeys{}
	)
	err := src(func(r *data.Incident) error {
		n++
		dateEnd = dateEnd || !r.DateEnd.IsZero()
		country = country || r.Country != ""
		coords = coords || r.HasCoords
		vessels.see(r.Vessels)
		survivors.see(r.Survivors)
		missing.see(r.Missing)
		injured.see(r.Injured)
		extra.see(r.Extra)
		return nil
	})
	if err != nil {
		return Table{}, fmt.Errorf("reading incidents: %w", err)
	}
	var cols []Column
	add := func(c ...Column) { cols = append(cols, c...) }
	add(Column{Header: "id", Type: Text}, Column{Header: "date", Type: DateColumn})
	add(textColumns("theatre", "location", "actor", "target")...)
	add(vessels.columns("vessels", true)...)
	add(textColumns("alleged_affiliation")...)
	add(killed.columns("killed", true)...)
	add(survivors.columns("survivors", true)...)
	add(textColumns("announced_by", "confidence", "source", "notes")...)
	if dateEnd {
		add(Column{Header: "date_end", Type: DateColumn})
	}
	if country {
		add(textColumns("country")...)
	}
	if coords {
		add(Column{Header: "latitude", Type: Number}, Column{Header: "longitude", Type: Number})
	}
	add(missing.columns("missing", false)...)
	add(injured.columns("injured", false)...)
	keys := extra.columns(cols)
	add(textColumns(keys...)...)

	rows := func(emit func([]any) error) error {
		row := make([]any, 0, len(cols))
		return src(func(r *data.Incident) error {
			row = append(row[:0], textCell(r.ID), dateCell(r.Date), textCell(r.Theatre),
				textCell(r.Location), textCell(r.Actor), textCell(r.Target))
			row = vessels.cells(row, r.Vessels, true)
			row = append(row, textCell(r.AllegedAffiliation))
			row = killed.cells(row, r.Killed, true)
			row = survivors.cells(row, r.Survivors, true)
			row = append(row, textCell(r.AnnouncedBy), textCell(r.Confidence), textCell(r.Source),
				textCell(r.Notes))
			if dateEnd {
				row = append(row, dateCell(r.DateEnd))
			}
			if country {
				row = append(row, textCell(r.Country))
			}
			if coords {
				if r.HasCoords {
					row = append(row, r.Lat, r.Lon)
				} else {
					row = append(row, nil, nil)
				}
			}
			row = missing.cells(row, r.Missing, false)
			row = injured.cells(row, r.Injured, false)
			row = appendExtra(row, keys, r.Extra)
			return emit(row)
		})
	}
	return Table{Name: SheetIncidents, Columns: cols, Len: n, Rows: rows}, nil
}

// StatementTable builds the Statements table: the canonical columns, then incident_ids (ids
// joined by "; ") and the unmapped source columns when some statement has them.
func StatementTable(rs []data.Statement) Table {
	links := false
	extra := extraKeys{}
	for i := range rs {
		links = links || len(rs[i].IncidentIDs) > 0
		extra.see(rs[i].Extra)
	}
	cols := textColumns(StatementHeaders...)
	cols[1].Type = DateColumn
	if links {
		cols = append(cols, Column{Header: "incident_ids", Type: Text})
	}
	keys := extra.columns(cols)
	cols = append(cols, textColumns(keys...)...)
	rows := func(emit func([]any) error) error {
		row := make([]any, 0, len(cols))
		for i := range rs {
			r := &rs[i]
			row = append(row[:0], textCell(r.ID), dateCell(r.Date), textCell(r.Actor),
				textCell(r.Speaker), textCell(r.Role), textCell(r.Topic), textCell(r.Stance),
				textCell(r.Quote), textCell(r.Channel), textCell(r.Source), textCell(r.Notes))
			if links {
				row = append(row, textCell(strings.Join(r.IncidentIDs, "; ")))
			}
			row = appendExtra(row, keys, r.Extra)
			if err := emit(row); err != nil {
				return err
			}
		}
		return nil
	}
	return Table{Name: SheetStatements, Columns: cols, Len: len(rs), Rows: rows}
}

// TallyTable builds the Tallies table: the canonical columns (survivors as _min and _max when
// some figure is a range), then the unmapped source columns when some tally has them.
func TallyTable(rs []data.Tally) Table {
	var survivors countLayout
	extra := extraKeys{}
	for i := range rs {
		survivors.see(rs[i].Survivors)
		extra.see(rs[i].Extra)
	}
	split := countLayout{split: true}
	cols := []Column{{Header: "id", Type: Text}, {Header: "as_of", Type: DateColumn}}
	cols = append(cols, textColumns("claimant", "scope")...)
	cols = append(cols, split.columns("strikes", true)...)
	cols = append(cols, split.columns("killed", true)...)
	cols = append(cols, survivors.columns("survivors", true)...)
	cols = append(cols, textColumns("source", "notes")...)
	keys := extra.columns(cols)
	cols = append(cols, textColumns(keys...)...)
	rows := func(emit func([]any) error) error {
		row := make([]any, 0, len(cols))
		for i := range rs {
			r := &rs[i]
			row = append(row[:0], textCell(r.ID), dateCell(r.AsOf), textCell(r.Claimant),
				textCell(r.Scope))
			row = split.cells(row, r.Strikes, true)
			row = split.cells(row, r.Killed, true)
			row = survivors.cells(row, r.Survivors, true)
			row = append(row, textCell(r.Source), textCell(r.Notes))
			row = appendExtra(row, keys, r.Extra)
			if err := emit(row); err != nil {
				return err
			}
		}
		return nil
	}
	return Table{Name: SheetTallies, Columns: cols, Len: len(rs), Rows: rows}
}

// defaultWidth picks a column width (in Excel character units) for a column.
func defaultWidth(c Column) float64 {
	if c.Width > 0 {
		return c.Width
	}
	switch {
	case c.Type == DateColumn:
		return 12
	case c.Type == Number:
		return max(8, float64(len(c.Header))+2)
	}
	switch c.Header {
	case "quote", "notes", "source", "location":
		return 40
	case "id":
		return 14
	}
	return max(14, float64(len(c.Header))+2)
}

// maxCellChars is the most UTF-16 code units an Excel cell holds.
const maxCellChars = 32767

// xlsxStyles are the cell styles an export uses.
type xlsxStyles struct {
	header, date int
}

// DateFormat is the number format of date cells in exports and the template.
const DateFormat = "yyyy-mm-dd"

// newStyles registers the header and date styles in f.
func newStyles(f *excelize.File) (xlsxStyles, error) {
	var s xlsxStyles
	var err error
	s.header, err = f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Bold: true, Color: "FFFFFF"},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"364B9A"}},
		Border:    []excelize.Border{{Type: "bottom", Color: "1F2D5C", Style: 2}},
		Alignment: &excelize.Alignment{Vertical: "center", WrapText: true},
	})
	if err != nil {
		return s, err
	}
	df := DateFormat
	s.date, err = f.NewStyle(&excelize.Style{CustomNumFmt: &df})
	return s, err
}

// frozenHeader is the pane setting that keeps row 1 in view.
var frozenHeader = excelize.Panes{
	Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
	Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}},
}

// WriteXLSX writes tables to w as a workbook, one sheet per table in order, streaming the rows
// (memory stays flat in the number of rows). Each sheet has a styled, frozen header row,
// column widths, and dates as real dates with a yyyy-mm-dd format. Errors name the sheet, row
// and column.
func WriteXLSX(w io.Writer, tables ...Table) error {
	if len(tables) == 0 {
		return errors.New("nothing to export: no tables")
	}
	f := excelize.NewFile()
	defer f.Close()
	styles, err := newStyles(f)
	if err != nil {
		return err
	}
	for i, t := range tables {
		if i == 0 {
			err = f.SetSheetName(f.GetSheetName(0), t.Name)
		} else {
			_, err = f.NewSheet(t.Name)
		}
		if err != nil {
			return fmt.Errorf("sheet %q: %w", t.Name, err)
		}
		if err := writeSheet(f, styles, t); err != nil {
			return fmt.Errorf("sheet %s: %w", t.Name, err)
		}
	}
	f.SetActiveSheet(0)
	return f.Write(w)
}

func writeSheet(f *excelize.File, styles xlsxStyles, t Table) error {
	if len(t.Columns) == 0 {
		return errors.New("no columns")
	}
	// The StreamWriter writes <dimension> from the sheet as it is before the first row, so the
	// used range has to be set now; without it, readers that trust it (openpyxl in read-only
	// mode) see one cell. When the row count is unknown, drop the element rather than lie.
	dim := ""
	if t.Len >= 0 {
		last, err := excelize.CoordinatesToCellName(len(t.Columns), t.Len+1)
		if err != nil {
			return err
		}
		dim = "A1:" + last
	}
	if err := f.SetSheetDimension(t.Name, dim); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(t.Name)
	if err != nil {
		return err
	}
	if err := sw.SetPanes(&frozenHeader); err != nil {
		return err
	}
	for i, c := range t.Columns {
		if err := sw.SetColWidth(i+1, i+1, defaultWidth(c)); err != nil {
			return err
		}
	}
	head := make([]any, len(t.Columns))
	for i, c := range t.Columns {
		head[i] = excelize.Cell{StyleID: styles.header, Value: c.Header}
	}
	if err := sw.SetRow("A1", head, excelize.RowOpts{Height: 20}); err != nil {
		return err
	}
	rowNum := 1
	cells := make([]any, len(t.Columns))
	err = t.Rows(func(row []any) error {
		rowNum++
		if t.Len >= 0 && rowNum-1 > t.Len {
			return fmt.Errorf("more than the %d rows counted: %w", t.Len, ErrChanged)
		}
		if len(row) != len(t.Columns) {
			return fmt.Errorf("row %d: %d values for %d columns", rowNum, len(row), len(t.Columns))
		}
		for i, v := range row {
			c, err := xlsxCell(v, styles)
			if err != nil {
				return fmt.Errorf("row %d, column %s (%s): %w", rowNum, columnLetter(i), t.Columns[i].Header, err)
			}
			cells[i] = c
		}
		return sw.SetRow("A"+strconv.Itoa(rowNum), cells)
	})
	if err != nil {
		return err
	}
	if t.Len >= 0 && rowNum-1 != t.Len {
		return fmt.Errorf("%d rows written, %d counted: %w", rowNum-1, t.Len, ErrChanged)
	}
	return sw.Flush()
}

func columnLetter(i int) string {
	n, _ := excelize.ColumnNumberToName(i + 1)
	return n
}

// firstSerialDay is the first day Excel numbers the same way as everyone else: before it,
// Excel's 1900 serials count a 29 February 1900 that never was, so earlier days are written
// as ISO text.
var firstSerialDay = data.Day(1900, 3, 1)

// xlsxCell turns a table value into what the StreamWriter writes.
func xlsxCell(v any, styles xlsxStyles) (any, error) {
	switch v := v.(type) {
	case nil:
		return nil, nil
	case string:
		if v == "" {
			return nil, nil
		}
		v = Neutralize(v)
		if len(v) > maxCellChars/2 && len(utf16.Encode([]rune(v))) > maxCellChars {
			return nil, ErrCellTooLong
		}
		return v, nil
	case int, float64:
		return v, nil
	case data.Date:
		switch v.Precision {
		case data.PrecisionNone:
			return nil, nil
		case data.PrecisionDay:
			if v.Compare(firstSerialDay) >= 0 {
				return excelize.Cell{StyleID: styles.date, Value: v.Time()}, nil
			}
		}
		return v.String(), nil // month or year: ISO text keeps the precision
	}
	return nil, fmt.Errorf("cannot export a value of type %T", v)
}

// WriteCSV writes t to w as CSV: UTF-8 with a byte-order mark (so Excel reads accents right),
// comma-separated, CRLF line ends, the header row first. Text is neutralised against formula
// injection; numbers are written plainly; dates as ISO text at their precision.
func WriteCSV(w io.Writer, t Table) error {
	bw := bufio.NewWriter(w)
	if _, err := bw.WriteString("\uFEFF"); err != nil {
		return err
	}
	cw := csv.NewWriter(bw)
	cw.UseCRLF = true
	rec := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		rec[i] = Neutralize(c.Header)
	}
	if err := cw.Write(rec); err != nil {
		return err
	}
	line := 1
	err := t.Rows(func(row []any) error {
		line++
		if len(row) != len(t.Columns) {
			return fmt.Errorf("row %d: %d values for %d columns", line, len(row), len(t.Columns))
		}
		for i, v := range row {
			s, err := csvCell(v)
			if err != nil {
				return fmt.Errorf("row %d, column %s: %w", line, t.Columns[i].Header, err)
			}
			rec[i] = s
		}
		return cw.Write(rec)
	})
	if err != nil {
		return err
	}
	if t.Len >= 0 && line-1 != t.Len {
		return fmt.Errorf("%d rows written, %d counted: %w", line-1, t.Len, ErrChanged)
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return bw.Flush()
}

func csvCell(v any) (string, error) {
	switch v := v.(type) {
	case nil:
		return "", nil
	case string:
		return Neutralize(v), nil
	case int:
		return strconv.Itoa(v), nil
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64), nil
	case data.Date:
		return v.String(), nil
	}
	return "", fmt.Errorf("cannot export a value of type %T", v)
}

// WriteFile writes to path through a temporary file in the same folder, renamed into place
// only when write succeeded, so a failed export never leaves a half-written file (nor
// replaces a good one).
func WriteFile(path string, write func(io.Writer) error) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	bw := bufio.NewWriterSize(tmp, 1<<16)
	if err = write(bw); err != nil {
		return err
	}
	if err = bw.Flush(); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	if err = os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
