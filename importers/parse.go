package importers

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash/fnv"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"sitrep/data"
)

// Problem is one thing the importer could not read, or read with a guess: where it is, the
// value, and why. Level "error" rejects the row; "note" keeps it.
type Problem struct {
	Row     int    `json:"row"`
	Column  string `json:"column"`
	Header  string `json:"header"`
	Value   string `json:"value"`
	Message string `json:"message"`
	Level   string `json:"level"`
}

// Problem levels.
const (
	LevelError = "error"
	LevelNote  = "note"
)

// orderState is the day/month order of one date column.
type orderState struct {
	col    int
	order  DateOrder
	source string // why the order is what it is
	// numeric counts the values whose reading depended on the order.
	numeric int
}

// sheetParser turns the rows of one sheet into records.
type sheetParser struct {
	plan   *Plan
	sp     *SheetPlan
	kind   data.Kind
	file   string
	stem   string
	vocab  data.Vocabulary
	col    map[Field]int
	mapped []bool // by column
	extra  []string
	orders map[int]*orderState
	d1904  bool
	// cats are the casualty categories of the sheet, in column order; parts the date-part
	// columns; stats what the casualty rule and the codebook codes found, for the audit.
	cats     []catGroup
	hasParts bool
	stats    sheetStats
	// inc is the incident parse fills, reused for every row: Run hands it to its Sink
	// before the next row is parsed, and a Sink copies what it keeps.
	inc data.Incident
	// cc tests coordinates for a swapped latitude and longitude (coordcheck.go).
	cc *coordCheck
}

func newSheetParser(p *Plan, sp *SheetPlan) *sheetParser {
	sh := &sheetParser{plan: p, sp: sp, kind: sp.Kind, file: p.File, vocab: p.opts.Vocabulary, d1904: p.Date1904,
		col: map[Field]int{}, orders: map[int]*orderState{}}
	sh.stem = Normalize(strings.TrimSuffix(p.File, fileExt(p.File)))
	sh.stem = strings.ReplaceAll(sh.stem, " ", "_")
	width := len(sp.Headers)
	for f, c := range sp.Mapping {
		sh.col[f] = c
		if c+1 > width {
			width = c + 1
		}
	}
	sh.mapped = make([]bool, width)
	for _, c := range sp.Mapping {
		sh.mapped[c] = true
	}
	// Extra keys: the header, made unique ("location (column H)") and never empty.
	seen := map[string]int{}
	sh.extra = make([]string, len(sp.Headers))
	for _, h := range sp.Headers {
		seen[Normalize(h)]++
	}
	for c, h := range sp.Headers {
		key := oneLineText(h)
		if key == "" {
			key = "column " + colName(c)
		} else if seen[Normalize(h)] > 1 {
			key += " (column " + colName(c) + ")"
		}
		sh.extra[c] = key
	}
	for _, f := range []Field{FieldDate, FieldDateEnd, FieldAsOf} {
		c, ok := sh.col[f]
		if !ok {
			continue
		}
		st := &orderState{col: c, order: sp.DateOrder}
		switch {
		case sp.DateOrder != DateOrderAuto:
			st.source = "chosen (--" + sp.DateOrder.String() + ")"
		default:
			if o := headerDateOrder(sp.Header(c)); o != DateOrderAuto {
				st.order = o
				st.source = fmt.Sprintf("from the header %q", oneLineText(sp.Header(c)))
			}
		}
		sh.orders[c] = st
	}
	sh.cats = categoryGroups(sp.Mapping)
	_, sh.hasParts = sp.Mapping[FieldYear]
	sh.stats.sentinels = map[int]map[string]int{}
	return sh
}

func fileExt(name string) string {
	if i := strings.LastIndexByte(name, '.'); i > 0 {
		return name[i:]
	}
	return ""
}

// rowResult is one parsed row: a record, or the problems that reject it.
type rowResult struct {
	row       int
	incident  *data.Incident
	statement *data.Statement
	tally     *data.Tally
	problems  []Problem
	rejected  bool
	// pending is set when a date's day/month order is not yet known.
	pending bool
	// keyHash identifies the natural key (when the id is not from an id column); contentHash
	// the row's values, for duplicate detection.
	idFromColumn bool
	natural      string
	content      packedContent
	// keep lists mapped columns whose value could not be used and is kept in Extra.
	keep []int
}

// MaxCellChars is the most characters a spreadsheet cell holds (Excel's limit). A longer cell
// is a problem for that cell: its row is not imported.
const MaxCellChars = 32767

// checkCellLengths rejects the row when a cell is longer than MaxCellChars characters; the
// problem shows the start of the cell, not all of it.
func (sh *sheetParser) checkCellLengths(r *rowResult, cells []string) {
	for c, v := range cells {
		if len(v) <= MaxCellChars {
			continue // fewer bytes than the limit: fewer characters too
		}
		n := utf8.RuneCountInString(v)
		if n <= MaxCellChars {
			continue
		}
		preview := v[:64]
		for !utf8.ValidString(preview) {
			preview = preview[:len(preview)-1]
		}
		sh.problem(r, c, preview+"…", LevelError, "the cell holds %d characters; a spreadsheet cell holds at most %d", n, MaxCellChars)
	}
}

func (sh *sheetParser) cell(cells []string, f Field) (string, int, bool) {
	c, ok := sh.col[f]
	if !ok || c >= len(cells) {
		return "", c, ok
	}
	return strings.TrimSpace(cells[c]), c, ok
}

func (sh *sheetParser) problem(r *rowResult, col int, value, level, format string, a ...any) {
	msg := format
	if len(a) > 0 {
		msg = fmt.Sprintf(format, a...)
	}
	p := Problem{Row: r.row, Value: value, Message: msg, Level: level}
	if col >= 0 {
		p.Column = colName(col)
		p.Header = oneLineText(sh.sp.Header(col))
	}
	r.problems = append(r.problems, p)
	if level == LevelError {
		r.rejected = true
	}
}

// text reads a text field; an Excel error value is noted and left out. The quote an export
// puts before text starting with = + - @ (see Neutralize) is dropped.
func (sh *sheetParser) text(r *rowResult, cells []string, f Field) string {
	v, c, ok := sh.cell(cells, f)
	if !ok || v == "" {
		return ""
	}
	if isExcelError(v) {
		sh.problem(r, c, v, LevelNote, "Excel error value; the field is left empty")
		return ""
	}
	return Unneutralize(v)
}

func isExcelError(v string) bool {
	switch v {
	case "#N/A", "#DIV/0!", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!", "#GETTING_DATA", "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#UNKNOWN!", "#CONNECT!", "#BUSY!", "#PYTHON!":
		return true
	}
	return false
}

// date reads a date field. It returns pending=true when the column's order is not yet known
// and the value is ambiguous.
func (sh *sheetParser) date(r *rowResult, cells []string, f Field, required bool) (data.Date, data.Date) {
	v, c, ok := sh.cell(cells, f)
	if !ok {
		return data.Date{}, data.Date{}
	}
	if v == "" {
		if required {
			sh.problem(r, c, v, LevelError, "no date")
		}
		return data.Date{}, data.Date{}
	}
	st := sh.orders[c]
	order := DateOrderAuto
	if st != nil {
		order = st.order
	}
	dv, err := ParseDateCell(v, order, sh.d1904)
	if err == ErrAmbiguousDate {
		r.pending = true
		return data.Date{}, data.Date{}
	}
	if st != nil && dv.Numeric {
		st.numeric++
	}
	if st != nil && st.order == DateOrderAuto && dv.Vote != 0 && err == nil {
		if dv.Vote > 0 {
			st.order = DateOrderDayFirst
		} else {
			st.order = DateOrderMonthFirst
		}
		st.source = fmt.Sprintf("settled by row %d, %q", r.row, v)
	}
	if err != nil {
		msg := err.Error()
		if err == errNotDate {
			msg = "not a date"
		}
		if st != nil && st.order != DateOrderAuto && dv.Vote != 0 {
			msg += fmt.Sprintf(" (the column reads %s: %s)", st.order, st.source)
		}
		sh.problem(r, c, v, LevelError, "%s", msg)
		return data.Date{}, data.Date{}
	}
	return dv.Start, dv.End
}

// count reads a count field, combining BASE, BASE_min and BASE_max columns.
func (sh *sheetParser) count(r *rowResult, cells []string, base string) data.Count {
	one := func(f Field) (data.Count, bool) {
		v, c, ok := sh.cell(cells, f)
		if !ok {
			return data.Count{}, false
		}
		if v != "" && (v[0] == '-' || v[0] == '9') && isSentinel(v) {
			sh.sentinel(c, v)
			return data.Count{}, true
		}
		cv, err := ParseCount(v)
		if err != nil {
			sh.problem(r, c, v, LevelError, "%s", countMessage(err))
			return data.Count{}, true
		}
		if cv.Note != "" {
			sh.problem(r, c, v, LevelNote, "%s", cv.Note)
		}
		return cv.Count, true
	}
	lo, hasLo := one(Field(base + "_min"))
	hi, hasHi := one(Field(base + "_max"))
	if !hasLo && !hasHi {
		c, _ := one(Field(base))
		return c
	}
	var out data.Count
	switch {
	case hasLo && hasHi:
		if lo.MinKnown {
			out.Min, out.MinKnown = lo.Min, true
		}
		switch {
		case hi.MaxKnown:
			out.Max, out.MaxKnown = hi.Max, true
		case hi.MinKnown && hi.Min >= out.Min:
			out.Max, out.MaxKnown = hi.Min, true
		}
		if out.MinKnown && out.MaxKnown && out.Min > out.Max {
			c := sh.col[Field(base+"_min")]
			sh.problem(r, c, cells[c], LevelNote, "the minimum %d is more than the maximum %d; read as exactly %d (the maximum, as written)", out.Min, out.Max, out.Max)
			out.Min = out.Max
		}
		switch {
		case out.MaxKnown && !out.MinKnown:
			sh.stats.inc(&sh.stats.onlyMax, base)
		case out.MinKnown && !out.MaxKnown:
			sh.stats.inc(&sh.stats.onlyMin, base)
		}
	case hasLo:
		out = lo
	default:
		out = hi
	}
	if !out.Known() {
		if c, ok := sh.col[Field(base)]; ok && c < len(cells) {
			v, _ := one(Field(base))
			return v
		}
	}
	return out
}

func countMessage(err error) string {
	if err == errNotCount {
		return "not a number, a range (2-4), an open range (10+) or a known word (unknown, dozens)"
	}
	return err.Error()
}

// coords reads lat/lon from two columns or one "lat,long" cell. Unreadable coordinates are a
// note: the row is kept without a position (the cell stays in Extra).
func (sh *sheetParser) coords(r *rowResult, cells []string) (float64, float64, bool) {
	latS, lc, hasLat := sh.cell(cells, FieldLat)
	lonS, _, hasLon := sh.cell(cells, FieldLon)
	if hasLat && hasLon && latS != "" && lonS != "" {
		lat, err1 := strconv.ParseFloat(strings.TrimSpace(strings.TrimPrefix(latS, ",")), 64)
		lon, err2 := strconv.ParseFloat(strings.TrimSpace(strings.TrimPrefix(lonS, ",")), 64)
		if err1 == nil && err2 == nil && validLatLon(lat, lon) {
			return lat, lon, true
		}
		if slat, slon, ok := swappedPair(lat, lon); err1 == nil && err2 == nil && ok {
			sh.noteSwapped(r, lc, slat, slon, "the latitude "+fmtCoord(lat)+" is beyond 90")
			return slat, slon, true
		}
		if !isUnknownText(latS) || !isUnknownText(lonS) {
			sh.problem(r, lc, latS+" "+lonS, LevelNote, "not a latitude and longitude; kept without a position")
			r.keepExtra(lc)
		}
	}
	v, c, ok := sh.cell(cells, FieldLatLon)
	if !ok || v == "" || isUnknownText(v) {
		return 0, 0, false
	}
	a, b, found := strings.Cut(v, ",")
	if !found {
		a, b, found = strings.Cut(strings.TrimSpace(v), " ")
	}
	lat, err1 := strconv.ParseFloat(strings.TrimSpace(a), 64)
	lon, err2 := strconv.ParseFloat(strings.TrimSpace(b), 64)
	if found && err1 == nil && err2 == nil && validLatLon(lat, lon) {
		return lat, lon, true
	}
	if slat, slon, ok := swappedPair(lat, lon); found && err1 == nil && err2 == nil && ok {
		sh.noteSwapped(r, c, slat, slon, "the latitude "+fmtCoord(lat)+" is beyond 90")
		return slat, slon, true
	}
	sh.problem(r, c, v, LevelNote, "not a \"latitude,longitude\" pair; kept without a position")
	r.keepExtra(c)
	return 0, 0, false
}

func (r *rowResult) keepExtra(col int) { r.keep = append(r.keep, col) }

func validLatLon(lat, lon float64) bool {
	return !math.IsNaN(lat) && !math.IsNaN(lon) && lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180
}

func isUnknownText(s string) bool {
	return unknownWords[strings.ToLower(strings.TrimSpace(s))]
}

// extras collects unmapped columns, by header; coordinates that could not be read are kept
// too.
func (sh *sheetParser) extras(cells []string, r *rowResult) map[string]string {
	var m map[string]string
	for c, v := range cells {
		if c < len(sh.mapped) && sh.mapped[c] && !slices.Contains(r.keep, c) {
			continue
		}
		v = strings.TrimSpace(v)
		if v == "" {
			continue
		}
		if m == nil {
			m = make(map[string]string, 4)
		}
		key := "column " + colName(c)
		if c < len(sh.extra) {
			key = sh.extra[c]
		}
		m[key] = Unneutralize(v)
	}
	return m
}

// parse turns one row into a record (or problems).
func (sh *sheetParser) parse(num int, cells []string) *rowResult {
	r := &rowResult{row: num}
	sh.checkCellLengths(r, cells)
	prov := data.Provenance{File: sh.file, Sheet: sh.sp.Name, Row: num}
	if sh.sp.csv {
		prov.Sheet = ""
	}
	id, idCol, hasID := sh.cell(cells, FieldID)
	if hasID && id != "" {
		if isExcelError(id) {
			sh.problem(r, idCol, id, LevelError, "Excel error value in the id column")
		}
		r.idFromColumn = true
		if isDigits(id) {
			// Bare numbers are only unique within their file.
			id = sh.stem + ":" + id
		}
	}
	switch sh.kind {
	case data.KindIncident:
		rec := &sh.inc
		*rec = data.Incident{ID: id, Provenance: prov}
		if sh.hasParts {
			rec.Date, rec.DateEnd = sh.partsDate(r, cells)
		} else {
			rec.Date, rec.DateEnd = sh.date(r, cells, FieldDate, true)
		}
		if end, _ := sh.date(r, cells, FieldDateEnd, false); !end.IsZero() {
			rec.DateEnd = end
		}
		rec.Theatre = sh.text(r, cells, FieldTheatre)
		rec.Country = sh.text(r, cells, FieldCountry)
		rec.Admin1 = sh.text(r, cells, FieldAdmin1)
		rec.Admin2 = sh.text(r, cells, FieldAdmin2)
		if len(sh.sp.Set) > 0 {
			sh.applySet(rec)
		}
		if rec.Theatre == "" {
			// Files without a theatre (per-country strike lists) chart by country; without a
			// country, by the first administrative level present.
			rec.Theatre = firstNonEmpty(rec.Country, rec.Admin1, rec.Admin2)
		}
		rec.Location = sh.text(r, cells, FieldLocation)
		rec.Lat, rec.Lon, rec.HasCoords = sh.coords(r, cells)
		if rec.HasCoords && nullIsland(rec.Lat, rec.Lon) {
			sh.problem(r, sh.coordCol(), "0, 0", LevelNote, "0, 0 is the usual placeholder for an unknown position; kept without a position")
			rec.HasCoords = false
		}
		if rec.HasCoords {
			rec.Lat, rec.Lon = sh.checkSwap(r, sh.coordCol(), rec.Country, rec.Lat, rec.Lon)
		}
		rec.Actor = sh.text(r, cells, FieldActor)
		rec.Target = sh.text(r, cells, FieldTarget)
		rec.Vessels = sh.count(r, cells, "vessels")
		rec.AllegedAffiliation = sh.text(r, cells, FieldAllegedAffiliation)
		rec.Killed = sh.count(r, cells, "killed")
		rec.Survivors = sh.count(r, cells, "survivors")
		rec.Missing = sh.count(r, cells, "missing")
		rec.Injured = sh.count(r, cells, "injured")
		if len(sh.cats) > 0 {
			sh.casualties(r, cells, rec)
		}
		if sh.sp.PerRow != "" {
			sh.perRow(cells, rec)
		}
		if _, ok := sh.col[FieldEvents]; ok {
			rec.Events = sh.events(r, cells)
		}
		rec.AnnouncedBy = sh.text(r, cells, FieldAnnouncedBy)
		rec.Confidence = sh.text(r, cells, FieldConfidence)
		rec.Source = sh.text(r, cells, FieldSource)
		rec.Notes = sh.text(r, cells, FieldNotes)
		rec.Extra = sh.extras(cells, r)
		if !rec.DateEnd.IsZero() && rec.DateEnd.Before(rec.Date) {
			c := sh.col[FieldDateEnd]
			sh.problem(r, c, rec.DateEnd.String(), LevelError, "the end date is before the date %s", rec.Date)
		}
		if !r.idFromColumn {
			if rec.Admin1 == "" && rec.Admin2 == "" {
				r.natural = naturalKey("inc", rec.Date.String(), rec.DateEnd.String(), rec.Country, rec.Theatre, rec.Location,
					coordKey(rec.HasCoords, rec.Lat, rec.Lon), rec.Actor, rec.Target)
			} else {
				// Administrative levels join the key only when present, so that the ids of
				// files without them stay as they were.
				r.natural = naturalKey("inc", rec.Date.String(), rec.DateEnd.String(), rec.Country, rec.Theatre, rec.Location,
					coordKey(rec.HasCoords, rec.Lat, rec.Lon), rec.Actor, rec.Target, rec.Admin1, rec.Admin2)
			}
		}
		r.incident = rec
	case data.KindStatement:
		rec := &data.Statement{ID: id, Provenance: prov}
		rec.Date, _ = sh.date(r, cells, FieldDate, true)
		rec.Actor = sh.text(r, cells, FieldActor)
		rec.Speaker = sh.text(r, cells, FieldSpeaker)
		rec.Role = sh.text(r, cells, FieldRole)
		rec.Topic = sh.text(r, cells, FieldTopic)
		rec.Stance = sh.stance(r, cells)
		rec.Quote = sh.text(r, cells, FieldQuote)
		rec.Channel = sh.text(r, cells, FieldChannel)
		rec.Source = sh.text(r, cells, FieldSource)
		rec.Notes = sh.text(r, cells, FieldNotes)
		if v := sh.text(r, cells, FieldIncidentIDs); v != "" {
			rec.IncidentIDs = strings.FieldsFunc(v, func(c rune) bool { return c == ',' || c == ';' || c == ' ' || c == '\n' })
		}
		rec.Extra = sh.extras(cells, r)
		if rec.Actor == "" {
			c := -1
			if cc, ok := sh.col[FieldActor]; ok {
				c = cc
			}
			sh.problem(r, c, "", LevelError, "no actor: a statement needs who made it")
		}
		if !r.idFromColumn {
			r.natural = naturalKey("st", rec.Date.String(), rec.Actor, rec.Speaker, rec.Topic, rec.Quote)
		}
		r.statement = rec
	case data.KindTally:
		rec := &data.Tally{ID: id, Provenance: prov}
		rec.AsOf, _ = sh.date(r, cells, FieldAsOf, true)
		rec.Claimant = sh.text(r, cells, FieldClaimant)
		if rec.Claimant == "" {
			rec.Claimant = sh.sp.Claimant
		}
		rec.Scope = sh.text(r, cells, FieldScope)
		if rec.Scope == "" {
			rec.Scope = sh.sp.Set[FieldTheatre]
		}
		if rec.Scope == "" {
			rec.Scope = data.ScopeAll
		}
		rec.Strikes = sh.count(r, cells, "strikes")
		rec.Killed = sh.count(r, cells, "killed")
		if sh.sp.Claimant != "" {
			sh.runningTotal(r, rec.Killed)
		}
		rec.Survivors = sh.count(r, cells, "survivors")
		rec.Source = sh.text(r, cells, FieldSource)
		rec.Notes = sh.text(r, cells, FieldNotes)
		rec.Extra = sh.extras(cells, r)
		if !r.idFromColumn {
			r.natural = naturalKey("tal", rec.AsOf.String(), rec.Claimant, rec.Scope)
		}
		r.tally = rec
	}
	r.content = r.recordContent()
	return r
}

// contentParts names the facts compared when an id is met twice.
var contentParts = map[data.Kind][contentN]string{
	data.KindIncident:  {"date", "place", "killed figure", "injured figure", "actor", "target"},
	data.KindStatement: {"date", "actor", "speaker", "topic", "stance", "quote"},
	data.KindTally:     {"date", "claimant", "scope", "strikes figure", "killed figure", ""},
}

const contentN = 6

// packedContent holds contentN part hashes of 10 bits each (0: the part is empty), so that
// remembering every id of a million-row file costs little memory.
type packedContent uint64

func packContent(parts [contentN]uint32) packedContent {
	var p packedContent
	for i, h := range parts {
		if h != 0 {
			p |= packedContent(h%1023+1) << (10 * i)
		}
	}
	return p
}

// part returns the 10-bit hash of part i (0: empty).
func (p packedContent) part(i int) uint32 { return uint32(p>>(10*i)) & 1023 }

// recordContent hashes what identifies a record's facts, in parts, so that the same record
// met again in another sheet is recognised even when the sheets have different columns (an
// empty part, 0, matches anything), and a conflict can say what differs.
func (r *rowResult) recordContent() packedContent {
	var out [contentN]uint32
	hash := func(parts ...string) uint32 {
		var h uint32 = 2166136261
		empty := true
		for _, p := range parts {
			h = normHash(h, p)
			if !blank(p) {
				empty = false
			}
			h = (h ^ 0x1f) * 16777619
		}
		if empty {
			return 0
		}
		return h | 1
	}
	cnt := func(c data.Count) string {
		if !c.Known() {
			return ""
		}
		return c.String()
	}
	low := func(c data.Count) string {
		if !c.MinKnown {
			return ""
		}
		return strconv.Itoa(c.Min)
	}
	switch {
	case r.incident != nil:
		x := r.incident
		out = [contentN]uint32{hash(x.Date.String(), x.DateEnd.String()), hash(x.Country, x.Location),
			hash(cnt(x.Killed)), hash(low(x.Injured)), hash(x.Actor), hash(x.Target)}
	case r.statement != nil:
		x := r.statement
		out = [contentN]uint32{hash(x.Date.String()), hash(x.Actor), hash(x.Speaker), hash(x.Topic), hash(x.Stance), hash(x.Quote)}
	case r.tally != nil:
		x := r.tally
		out = [contentN]uint32{hash(x.AsOf.String()), hash(x.Claimant), hash(x.Scope), hash(cnt(x.Strikes)), hash(cnt(x.Killed))}
	}
	return packContent(out)
}

// stance maps a stance word through the vocabulary; an unknown word is kept as written and
// noted.
func (sh *sheetParser) stance(r *rowResult, cells []string) string {
	v := sh.text(r, cells, FieldStance)
	if v == "" {
		return ""
	}
	if def, ok := sh.vocab.Lookup(v); ok {
		return def.Word
	}
	sh.problem(r, sh.col[FieldStance], v, LevelNote, "stance word not in the vocabulary; kept as written")
	return v
}

func coordKey(has bool, lat, lon float64) string {
	if !has {
		return ""
	}
	return strconv.FormatFloat(lat, 'f', 4, 64) + "," + strconv.FormatFloat(lon, 'f', 4, 64)
}

// normHash folds the normalised form of s (as Normalize gives it) into an FNV-1a hash,
// without allocating for ASCII text.
func normHash(h uint32, s string) uint32 {
	space := false
	started := false
	for _, r := range s {
		if r < utf8.RuneSelf {
			c := byte(r)
			switch {
			case c >= 'A' && c <= 'Z':
				c += 'a' - 'A'
			case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
			default:
				space = true
				continue
			}
			if space && started {
				h = (h ^ ' ') * 16777619
			}
			space, started = false, true
			h = (h ^ uint32(c)) * 16777619
			continue
		}
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			space = true
			continue
		}
		if space && started {
			h = (h ^ ' ') * 16777619
		}
		space, started = false, true
		var buf [utf8.UTFMax]byte
		n := utf8.EncodeRune(buf[:], unicode.ToLower(r))
		for _, c := range buf[:n] {
			h = (h ^ uint32(c)) * 16777619
		}
	}
	return h
}

func blank(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return false
		}
	}
	return true
}

// naturalKey is the stable key of a record without an id: its kind, date and normalised key
// fields. The occurrence index among identical keys is added by the caller.
func naturalKey(prefix string, parts ...string) string {
	n := len(prefix)
	for _, p := range parts {
		n += len(p) + 1
	}
	b := make([]byte, 0, n+8)
	b = append(b, prefix...)
	for _, p := range parts {
		b = append(b, 0x1f)
		b = appendNormalized(b, p)
	}
	return string(b)
}

func naturalID(prefix, key string, occurrence int) string {
	var sum [sha256.Size]byte
	if occurrence > 0 {
		h := sha256.New()
		h.Write([]byte(key))
		fmt.Fprintf(h, "\x1e%d", occurrence)
		h.Sum(sum[:0])
	} else {
		sum = sha256.Sum256([]byte(key))
	}
	var out [24]byte
	b := append(out[:0], prefix...)
	b = append(b, '-')
	b = hex.AppendEncode(b, sum[:8])
	return string(b)
}

func idHash(kind data.Kind, id string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(kind))
	h.Write([]byte{0})
	h.Write([]byte(id))
	return h.Sum64()
}
