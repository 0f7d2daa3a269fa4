package importers

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/xuri/excelize/v2"

	"sitrep/data"
)

// Settings is where column mappings are remembered per header layout; *data.Store satisfies it.
type Settings interface {
	Setting(key string) ([]byte, bool, error)
	SetSetting(key string, value []byte) error
}

// Options are the choices of one import (the flags of `sitrep import`).
type Options struct {
	// Password opens an encrypted workbook.
	Password string
	// Sheets, when set, restricts the import to these sheets (by name, case-insensitive).
	// A hidden sheet named here is read.
	Sheets []string
	// IncludeHidden reads hidden sheets too.
	IncludeHidden bool
	// Map overrides the mapping: field -> header (or column letter, "C"); an empty header
	// unmaps the field.
	Map map[Field]string
	// Kind, when set, forces the kind of every selected sheet.
	Kind data.Kind
	// DateOrder forces day-first or month-first reading of numeric dates.
	DateOrder DateOrder
	// Strict rejects the whole file when any row has a problem.
	Strict bool
	// DryRun reads and reports without writing.
	DryRun bool
	// Vocabulary maps stance words; nil means data.DefaultVocabulary().
	Vocabulary data.Vocabulary
	// Settings remembers mappings per header layout; nil remembers nothing.
	Settings Settings
	// PreviewRows is how many data rows Inspect keeps per sheet (default 20).
	PreviewRows int
	// Limits bound what a workbook may unpack to.
	Limits Limits
	// Set gives every row of every sheet one value for a field (theatre or country):
	// --set theatre=Yemen.
	Set map[Field]string
	// Debugf, when set, is told internal decisions a user does not need, such as why a
	// workbook or sheet is read with excelize instead of the fast reader. With it unset,
	// SITREP_DEBUG=1 in the environment prints them to stderr.
	Debugf func(format string, args ...any)

	// excelizeOnly reads workbooks with excelize only (tests compare it with the fast path).
	excelizeOnly bool
}

// Plan is an opened file and what the importer will do with it: its sheets, their kinds,
// header rows and mappings. Change it through SheetPlan's methods, then pass it to Run.
// Close it when done.
type Plan struct {
	Path     string `json:"path"`
	File     string `json:"file"`
	Format   Format `json:"format"`
	Encoding string `json:"encoding,omitempty"`
	// Delimiter is the CSV field separator that was detected.
	Delimiter string `json:"delimiter,omitempty"`
	// Date1904 is the workbook's 1904 date system flag.
	Date1904 bool         `json:"date1904,omitempty"`
	Sheets   []*SheetPlan `json:"sheets"`

	opts   Options
	src    source
	sha    chan string
	shaVal string
}

// SheetPlan is one sheet of a Plan.
type SheetPlan struct {
	Name   string `json:"name"`
	Hidden bool   `json:"hidden,omitempty"`
	// Skip says the sheet is not read (hidden, or not selected); Note says why.
	Skip bool      `json:"skip,omitempty"`
	Kind data.Kind `json:"kind"`
	// Detected is the kind the headers suggest.
	Detected data.Kind `json:"detected"`
	// HeaderRow is the 1-based row of the headers (0 when none was found); TagRow is a
	// following HXL-style tag row, skipped (0 when none).
	HeaderRow int      `json:"header_row"`
	TagRow    int      `json:"tag_row,omitempty"`
	Headers   []string `json:"headers"`
	// Tags are the cells of the HXL tag row, by column (nil when none).
	Tags    []string `json:"tags,omitempty"`
	Mapping Mapping  `json:"-"`
	// DateOrder is the order chosen for numeric dates of this sheet (auto: inferred).
	DateOrder DateOrder `json:"date_order"`
	// Preview holds the first data rows after the header, with their row numbers.
	Preview    [][]string `json:"preview"`
	PreviewRow []int      `json:"preview_rows"`
	Note       string     `json:"note,omitempty"`
	// RowsEstimate is about how many data rows the sheet has, for a progress bar (from the
	// sheet's declared dimension, or a CSV file's size); 0 when unknown.
	RowsEstimate int `json:"rows_estimate,omitempty"`
	// Remembered says the mapping came from an earlier import of the same layout.
	Remembered bool `json:"remembered,omitempty"`
	// PerRow, when set to a measure ("killed"), counts each row as one person of it: the
	// sheet's rows are individual deaths and it has no count column. Inspect offers it
	// (sets it) when the headers name casualties but no column counts them; clear it to
	// import the rows without a figure.
	PerRow string `json:"per_row,omitempty"`
	// PerRowColumn is the column that says what happened to each person ("type of
	// casualty"): a row whose value reads as injured or missing counts there instead (-1:
	// none).
	PerRowColumn int `json:"-"`
	// Claimant is who published a sheet read as tallies when no column names one (a running
	// total: "OHCHR" from the header "Civilian casualties(OHCHR) - Killed", else the file's
	// name).
	Claimant string `json:"claimant,omitempty"`
	// Set gives every row one value for a field the file lacks or gets wrong: theatre or
	// country (--set theatre=Yemen).
	Set map[Field]string `json:"set,omitempty"`
	// Reading says, in sentences, what the content of the columns decided: a column that is
	// not a date after all, a running total read as tallies, rows read as one death each,
	// Hijri dates left as text.
	Reading []string `json:"reading,omitempty"`

	userMapped bool
	csv        bool
	badRows    []csvBadRow
}

// headerScanRows is how many non-empty rows are searched for the header row.
const headerScanRows = 30

// Inspect opens a file, detects its format, finds each sheet's header row and kind, maps its
// columns and keeps a preview. It refuses what it cannot read with a *FileError wrapping a
// sentinel (ErrLegacyExcel, ErrPasswordRequired, ErrCorrupt...). Close the plan when done.
func Inspect(path string, opts Options) (*Plan, error) {
	if opts.PreviewRows <= 0 {
		opts.PreviewRows = 20
	}
	if opts.Vocabulary == nil {
		opts.Vocabulary = data.DefaultVocabulary()
	}
	opts.Limits = opts.Limits.withDefaults()
	format, err := detect(path)
	if err != nil {
		var fe *FileError
		if errors.As(err, &fe) {
			return nil, err
		}
		return nil, fmt.Errorf("%s: %w", filepath.Base(path), err)
	}
	p := &Plan{Path: path, File: filepath.Base(path), Format: format, opts: opts, sha: make(chan string, 1)}
	go func() { p.sha <- fileSHA256(path) }()
	switch format {
	case FormatCSV:
		s, err := openCSV(path)
		if err != nil {
			return nil, err
		}
		p.src, p.Encoding, p.Delimiter = s, s.encoding, delimName(s.comma)
	default:
		s, err := openXLSX(path, format, opts)
		if err != nil {
			return nil, err
		}
		p.src, p.Date1904 = s, s.is1904
	}
	if err := p.inspectSheets(); err != nil {
		p.Close()
		return nil, err
	}
	return p, nil
}

func delimName(r rune) string {
	switch r {
	case '\t':
		return "tab"
	case ';':
		return "semicolon"
	case '|':
		return "pipe"
	}
	return "comma"
}

func fileSHA256(path string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return ""
	}
	return hex.EncodeToString(h.Sum(nil))
}

// SHA256 returns the hex SHA-256 of the file (computed while the file is inspected).
func (p *Plan) SHA256() string {
	if p.sha != nil {
		p.shaVal = <-p.sha
		p.sha = nil
	}
	return p.shaVal
}

// Close releases the file (and excelize's temporary files).
func (p *Plan) Close() error {
	p.SHA256()
	if p.src == nil {
		return nil
	}
	err := p.src.Close()
	p.src = nil
	return err
}

// Options returns the options the plan was made with.
func (p *Plan) Options() Options { return p.opts }

// Sheet returns the sheet named name (case-insensitive), or nil.
func (p *Plan) Sheet(name string) *SheetPlan {
	for _, s := range p.Sheets {
		if strings.EqualFold(s.Name, name) {
			return s
		}
	}
	return nil
}

func (p *Plan) inspectSheets() error {
	_, isCSV := p.src.(*csvSource)
	selected := map[string]bool{}
	for _, n := range p.opts.Sheets {
		selected[strings.ToLower(n)] = true
	}
	found := 0
	for _, info := range p.src.sheets() {
		sp := &SheetPlan{Name: info.Name, Hidden: info.Hidden, Kind: KindIgnored, Detected: KindIgnored, csv: isCSV, PerRowColumn: -1}
		p.Sheets = append(p.Sheets, sp)
		switch {
		case len(selected) > 0 && !selected[strings.ToLower(info.Name)] && !isCSV:
			sp.Skip, sp.Note = true, "not selected (--sheet)"
			continue
		case info.Hidden && !p.opts.IncludeHidden && len(selected) == 0:
			sp.Skip, sp.Note = true, "hidden sheet, skipped"
			continue
		}
		found++
		if err := p.inspectSheet(sp); err != nil {
			return err
		}
	}
	if len(selected) > 0 && found == 0 && !isCSV {
		var names []string
		for _, s := range p.Sheets {
			names = append(names, s.Name)
		}
		return fmt.Errorf("%s: no sheet named %s (sheets: %s)", p.File, strings.Join(p.opts.Sheets, ", "), strings.Join(names, ", "))
	}
	return p.applyMapOverrides()
}

func (p *Plan) inspectSheet(sp *SheetPlan) error {
	rows, err := p.src.rows(sp.Name)
	if err != nil {
		return fmt.Errorf("%s: sheet %s: %w", p.File, sp.Name, err)
	}
	defer rows.Close()
	var head [][]string
	var nums []int
	for len(head) < headerScanRows && rows.Next() {
		n, cells := rows.Row()
		head = append(head, append([]string(nil), cells...))
		nums = append(nums, n)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("%s: sheet %s: %w", p.File, sp.Name, err)
	}
	if len(head) == 0 {
		sp.Note = "empty sheet"
		return nil
	}
	hi, headers, kind, m, why := findHeader(head)
	if hi < 0 {
		// Keep the first row as the headers, so that a caller can still map it by hand.
		sp.HeaderRow, sp.Headers = nums[0], trimTrailingEmpty(head[0])
		sp.Note = "no header row found in the first rows (" + why + ")"
		for i := 1; i < len(head) && len(sp.Preview) < p.opts.PreviewRows; i++ {
			sp.Preview = append(sp.Preview, head[i])
			sp.PreviewRow = append(sp.PreviewRow, nums[i])
		}
		if hint := unmappedNumbersHint(sp); hint != "" {
			sp.Note += "; " + hint
		} else if hint := embeddedYearHint(sp); hint != "" {
			sp.Note += "; " + hint
		}
		if p.opts.Kind != "" {
			sp.SetKind(p.opts.Kind)
		} else if k := kindForFields(p.opts.Map); k != "" && len(p.opts.Map) > 0 {
			sp.SetKind(k)
		}
		p.applyRemembered(sp)
		if sp.Kind != KindIgnored {
			// Mapped by hand: the first row is the header, and is not previewed as data.
			sp.Note = ""
			sp.applySet(p.opts.Set)
		}
		sp.DateOrder = p.opts.DateOrder
		return nil
	}
	sp.HeaderRow, sp.Headers = nums[hi], trimTrailingEmpty(headers)
	sp.Detected, sp.Kind, sp.Mapping = kind, kind, m
	next := hi + 1
	if next < len(head) && isTagRow(head[next]) {
		sp.TagRow = nums[next]
		sp.Tags = trimTrailingEmpty(append([]string(nil), head[next]...))
		// Tags decide the mapping before the headers.
		p.applyTags(sp, head[next])
		next++
	}
	if p.opts.Kind != "" && p.opts.Kind != kind {
		sp.SetKind(p.opts.Kind)
	}
	sp.DateOrder = p.opts.DateOrder
	// Preview: rows already read, then more.
	for i := next; i < len(head) && len(sp.Preview) < p.opts.PreviewRows; i++ {
		sp.Preview = append(sp.Preview, head[i])
		sp.PreviewRow = append(sp.PreviewRow, nums[i])
	}
	for len(sp.Preview) < p.opts.PreviewRows && len(head) >= headerScanRows && rows.Next() {
		n, cells := rows.Row()
		sp.Preview = append(sp.Preview, append([]string(nil), cells...))
		sp.PreviewRow = append(sp.PreviewRow, n)
	}
	if p.opts.Kind == "" {
		p.checkContent(sp)
	}
	p.applyRemembered(sp)
	sp.applySet(p.opts.Set)
	if sp.Kind == KindIgnored && sp.Note == "" {
		sp.Note = why
	}
	sp.RowsEstimate = p.estimateRows(sp)
	return nil
}

// estimateRows guesses a sheet's data rows from what is cheap to know.
func (p *Plan) estimateRows(sp *SheetPlan) int {
	last := 0
	switch src := p.src.(type) {
	case *xlsxSource:
		last = src.lastRow[sp.Name]
	case *csvSource:
		last = src.records
	}
	n := last - sp.HeaderRow
	if sp.TagRow > 0 {
		n--
	}
	return max(n, 0)
}

func trimTrailingEmpty(h []string) []string {
	for len(h) > 0 && strings.TrimSpace(h[len(h)-1]) == "" {
		h = h[:len(h)-1]
	}
	return h
}

// findHeader picks the header row among the first rows: the one whose headers map best to a
// kind (the earliest on ties). A row may be stacked on the one above it ("Killed" over
// "min | max"). It returns -1 when no row maps to any kind.
func findHeader(head [][]string) (int, []string, data.Kind, Mapping, string) {
	best, bestScore := -1, 0
	var bestHeaders []string
	var bestKind data.Kind
	var bestMap Mapping
	why := "no row names a date and what happened"
	for i, row := range head {
		if isTagRow(row) && i > 0 {
			continue
		}
		k, m, score, reason := classify(row)
		headers := row
		if i > 0 && !isTagRow(head[i-1]) {
			stacked := stackHeaders(head[i-1], row)
			if k2, m2, s2, _ := classify(stacked); s2 > score {
				k, m, score, headers = k2, m2, s2, stacked
			}
		}
		if k == KindIgnored {
			if i == 0 && reason != "" {
				why = reason
			}
			continue
		}
		if score > bestScore {
			best, bestScore, bestHeaders, bestKind, bestMap = i, score, headers, k, m
		}
	}
	if best < 0 {
		return -1, nil, KindIgnored, nil, why
	}
	return best, bestHeaders, bestKind, bestMap, ""
}

// stackHeaders joins a group row above a header row: a sub-header keeps its own name when it
// maps alone, and otherwise becomes "group sub" ("Killed" over "min" gives "Killed min").
func stackHeaders(above, row []string) []string {
	out := make([]string, len(row))
	group := ""
	for c, h := range row {
		if c < len(above) && strings.TrimSpace(above[c]) != "" {
			group = strings.TrimSpace(above[c])
		}
		out[c] = h
		if strings.TrimSpace(h) == "" || group == "" {
			continue
		}
		if f, _ := MatchHeader(data.KindIncident, h); f != "" {
			continue
		}
		out[c] = group + " " + h
	}
	return out
}

// applyTags maps a sheet from its HXL tag row: a column whose tag Sitrep knows ("#date",
// "#adm1+name", "#affected+killed") takes that field before any header guess; a column with
// a tag Sitrep does not use ("#region+name") is not guessed from its header; untagged columns
// are mapped from their headers.
func (p *Plan) applyTags(sp *SheetPlan, tags []string) {
	if sp.Kind == KindIgnored {
		return
	}
	m := Mapping{}
	blanked := make([]string, len(sp.Headers))
	copy(blanked, sp.Headers)
	for c, t := range tags {
		t = strings.TrimSpace(t)
		if t == "" {
			continue
		}
		if c < len(blanked) {
			blanked[c] = ""
		}
		f := hxlField(sp.Kind, t)
		if f == "" {
			continue
		}
		if _, taken := m[f]; !taken {
			m[f] = c
		}
	}
	// Headers map the untagged columns, around what the tags decided.
	hm, _ := mapHeaders(sp.Kind, blanked)
	used := map[int]bool{}
	for _, c := range m {
		used[c] = true
	}
	for f, c := range hm {
		if _, taken := m[f]; !taken && !used[c] {
			m[f] = c
			used[c] = true
		}
	}
	if _, hasDate := m[FieldDate]; hasDate {
		delete(m, FieldYear) // a year column beside whole dates is not a date part
	}
	// Bare ends of a range and population columns follow the tagged measure.
	if _, ok := m["killed"]; ok {
		readByMeaning(blanked, m)
	}
	sp.Mapping = m
}

// hxlField maps an HXL hashtag with attributes to a field, or "".
func hxlField(kind data.Kind, tag string) Field {
	parts := strings.Split(strings.ToLower(strings.TrimSpace(tag)), "+")
	base := strings.TrimPrefix(strings.TrimSpace(parts[0]), "#")
	attrs := map[string]bool{}
	for _, a := range parts[1:] {
		attrs[strings.TrimSpace(a)] = true
	}
	switch base {
	case "date":
		switch {
		case attrs["end"]:
			if kind == data.KindIncident {
				return FieldDateEnd
			}
			return ""
		case attrs["year"]:
			if kind == data.KindIncident {
				return FieldYear
			}
			return ""
		case attrs["reported"] && kind == data.KindTally:
			return FieldAsOf
		}
		if kind == data.KindTally {
			return FieldAsOf
		}
		return FieldDate
	case "country":
		if attrs["code"] && !attrs["name"] {
			return ""
		}
		if kind == data.KindStatement {
			return FieldActor
		}
		return FieldCountry
	case "adm1":
		if attrs["code"] || kind != data.KindIncident {
			return ""
		}
		return FieldAdmin1
	case "adm2":
		if attrs["code"] || kind != data.KindIncident {
			return ""
		}
		return FieldAdmin2
	case "loc":
		if attrs["code"] || kind != data.KindIncident {
			return ""
		}
		return FieldLocation
	case "geo":
		if kind != data.KindIncident {
			return ""
		}
		switch {
		case attrs["lat"]:
			return FieldLat
		case attrs["lon"]:
			return FieldLon
		case attrs["coord"]:
			return FieldLatLon
		}
	case "affected", "inneed", "casualties":
		measure := ""
		for _, m := range []string{"killed", "injured", "missing"} {
			if attrs[m] {
				measure = m
			}
		}
		if attrs["dead"] {
			measure = "killed"
		}
		if measure == "" || kind == data.KindStatement {
			return ""
		}
		for a := range attrs {
			if populationWords[a] && a != "a" && a != "b" {
				return categoryField(measure, a, "")
			}
		}
		return Field(measure)
	case "event", "incident":
		if attrs["id"] || attrs["code"] {
			return FieldID
		}
	case "org":
		if kind == data.KindStatement {
			return FieldActor
		}
		if kind == data.KindIncident {
			return FieldActor
		}
	case "description":
		return FieldNotes
	case "meta":
		if attrs["source"] || attrs["url"] {
			return FieldSource
		}
		if attrs["id"] {
			return FieldID
		}
	}
	return ""
}

// SetKind changes the kind of a sheet and maps its headers afresh for that kind.
// KindIgnored skips the sheet.
func (s *SheetPlan) SetKind(k data.Kind) {
	s.Kind = k
	s.userMapped = true
	if k == KindIgnored {
		s.Mapping = nil
		return
	}
	s.Mapping, _ = mapHeaders(k, s.Headers)
}

// SetMapping maps field to the column whose header is header (compared after Normalize), or
// to a column letter ("C"); an empty header unmaps the field.
func (s *SheetPlan) SetMapping(field Field, header string) error {
	if s.Kind == KindIgnored {
		return fmt.Errorf("sheet %s is not imported; set its kind first", s.Name)
	}
	if !validField(s.Kind, field) {
		return fmt.Errorf("%q is not a field of %s (fields: %s)", field, s.Kind, joinFields(KnownFields(s.Kind)))
	}
	if s.Mapping == nil {
		s.Mapping = Mapping{}
	}
	s.userMapped = true
	if strings.TrimSpace(header) == "" {
		delete(s.Mapping, field)
		return nil
	}
	col := s.column(header)
	if col < 0 {
		return fmt.Errorf("sheet %s has no column %q", s.Name, header)
	}
	for f, c := range s.Mapping {
		if c == col {
			delete(s.Mapping, f)
		}
	}
	s.Mapping[field] = col
	return nil
}

func (s *SheetPlan) column(header string) int {
	n := Normalize(header)
	for c, h := range s.Headers {
		if Normalize(h) == n && n != "" {
			return c
		}
	}
	if up := strings.ToUpper(strings.TrimSpace(header)); up != "" && len(up) <= 3 {
		if c, err := excelize.ColumnNameToNumber(up); err == nil && strings.Trim(up, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") == "" {
			return c - 1
		}
	}
	return -1
}

func joinFields(fs []Field) string {
	s := make([]string, len(fs))
	for i, f := range fs {
		s[i] = string(f)
	}
	return strings.Join(s, ", ")
}

// Header returns the header of a 0-based column ("" when there is none).
func (s *SheetPlan) Header(col int) string {
	if col >= 0 && col < len(s.Headers) {
		return strings.TrimSpace(s.Headers[col])
	}
	return ""
}

// MappingByHeader returns the mapping as field -> header (or column letter when the header is
// empty), for display.
func (s *SheetPlan) MappingByHeader() map[string]string {
	out := map[string]string{}
	for f, c := range s.Mapping {
		h := s.Header(c)
		if h == "" {
			h = "column " + colName(c)
		}
		out[string(f)] = oneLineText(h)
	}
	return out
}

func oneLineText(s string) string { return strings.Join(strings.Fields(s), " ") }

// applyMapOverrides applies Options.Map to every sheet that has the named columns.
func (p *Plan) applyMapOverrides() error {
	if len(p.opts.Map) == 0 {
		return nil
	}
	fields := make([]string, 0, len(p.opts.Map))
	for f := range p.opts.Map {
		fields = append(fields, string(f))
	}
	sort.Strings(fields)
	for _, fs := range fields {
		f, header := Field(fs), p.opts.Map[Field(fs)]
		applied := false
		var lastErr error
		for _, sp := range p.Sheets {
			if sp.Skip || len(sp.Headers) == 0 {
				continue
			}
			if sp.Kind == KindIgnored {
				lastErr = fmt.Errorf("sheet %s is not imported (%s)", sp.Name, sp.Note)
				continue
			}
			if err := sp.SetMapping(f, header); err != nil {
				lastErr = err
				continue
			}
			applied = true
		}
		if !applied {
			if lastErr == nil {
				lastErr = errors.New("no sheet is imported")
			}
			return fmt.Errorf("%s: --map %s=%s: %w", p.File, f, header, lastErr)
		}
	}
	return nil
}

// kindForFields returns the first kind (incidents, statements, tallies) that has every field
// of m, or "".
func kindForFields(m map[Field]string) data.Kind {
	for _, k := range data.Kinds {
		ok := true
		for f := range m {
			ok = ok && validField(k, f)
		}
		if ok {
			return k
		}
	}
	return ""
}

type rememberedMapping struct {
	Kind    data.Kind         `json:"kind"`
	Mapping map[string]string `json:"mapping"` // field -> header
}

// applyRemembered applies a mapping remembered for this header layout, unless the caller
// overrides the mapping.
func (p *Plan) applyRemembered(sp *SheetPlan) {
	if p.opts.Settings == nil || len(p.opts.Map) > 0 || p.opts.Kind != "" || len(sp.Headers) == 0 {
		return
	}
	b, ok, err := p.opts.Settings.Setting(layoutKey(sp.Headers))
	if err != nil || !ok {
		return
	}
	var rm rememberedMapping
	if json.Unmarshal(b, &rm) != nil {
		return
	}
	m := Mapping{}
	for f, h := range rm.Mapping {
		c := sp.column(h)
		if c < 0 {
			return // the layout changed after all: keep the detected mapping
		}
		m[Field(f)] = c
	}
	sp.Kind, sp.Mapping, sp.Remembered = rm.Kind, m, true
}

// RememberMappings stores the mapping of every sheet the caller changed (kind or columns),
// keyed by its header layout, so that the next file with the same headers maps the same way.
func (p *Plan) RememberMappings(s Settings) error {
	if s == nil {
		return nil
	}
	for _, sp := range p.Sheets {
		if !sp.userMapped || len(sp.Headers) == 0 {
			continue
		}
		rm := rememberedMapping{Kind: sp.Kind, Mapping: map[string]string{}}
		for f, c := range sp.Mapping {
			h := sp.Header(c)
			if h == "" {
				h = colName(c)
			}
			rm.Mapping[string(f)] = h
		}
		b, _ := json.Marshal(rm)
		if err := s.SetSetting(layoutKey(sp.Headers), b); err != nil {
			return fmt.Errorf("remembering the mapping of sheet %s: %w", sp.Name, err)
		}
	}
	return nil
}
