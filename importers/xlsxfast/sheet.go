package xlsxfast

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// SheetRows is the row-source interface of the importer (declared again here
// so that this package does not import the importer): Next advances to the
// next row with at least one non-empty cell, Row returns its 1-based number and its
// cells indexed by 0-based column (ragged), Err the error that stopped the
// iteration, and Close releases it.
type SheetRows interface {
	Next() bool
	Row() (num int, cells []string)
	Err() error
	Close() error
}

// Rows iterates over the rows of one worksheet. It implements SheetRows.
// The cells slice and its strings stay valid after Next; they are never
// reused.
type Rows struct {
	wb    *Workbook
	sheet string
	rc    io.ReadCloser
	sc    *scanner
	sst   []string

	state    int // 0 before sheetData, 1 inside, 2 done
	sdName   []byte
	curRow   int  // number of the last row start read
	pendRow  bool // a row start has been read and its body not yet
	pendSelf bool // the pending row is self-closing

	num   int
	cells []string
	err   error
	count int

	// per-row scratch
	rowName, cName []byte
	arena          []byte
	pend           []pending
	v              []byte
	is             []byte
	si             siParser
	block          []string
	styles         []int
	nonEmpty       bool // the row being parsed has a non-empty cell

	// damage lists the first maxDamage cells that refer to a missing shared string; damaged
	// counts them all.
	damage  []string
	damaged int
}

// maxDamage bounds the damaged cells Damage names.
const maxDamage = 10

// Damage describes the cells read so far that the workbook contradicts (a shared string it
// does not have): they read as empty, as excelize reads them, and the importer puts these
// lines in the audit.
func (r *Rows) Damage() []string {
	if r.damaged > len(r.damage) {
		return append(slices.Clone(r.damage), fmt.Sprintf("and %d more such cells", r.damaged-len(r.damage)))
	}
	return slices.Clone(r.damage)
}

// pending is one cell value of the row being parsed: a shared string or a
// span of the row arena.
type pending struct {
	idx      int
	s        string
	off, end int
	style    int
	inArena  bool
}

// Rows opens an iterator over the rows of sheet (matched case-insensitively,
// as excelize does).
func (wb *Workbook) Rows(sheet string) (*Rows, error) {
	si, err := wb.sheet(sheet)
	if err != nil {
		return nil, err
	}
	sst, err := wb.sharedStrings()
	if err != nil {
		return nil, err
	}
	rc, err := wb.openPart(wb.files[si.part], wb.opts.MaxPartSize)
	if err != nil {
		return nil, err
	}
	if !wb.opts.SerialInflate {
		rc = newReadAhead(rc)
	}
	part := fmt.Sprintf("%s: sheet %q (%s)", wb.path, si.name, si.part)
	return &Rows{
		wb:    wb,
		sheet: si.name,
		rc:    rc,
		sc:    newScanner(rc, part, wb.opts.BufferSize, wb.opts.MaxTokenSize),
		sst:   sst,
	}, nil
}

// Next advances to the next row that has at least one non-empty cell (the
// importer's excelize row source skips rows whose cells are all "", which
// only happens for formula cells without a cached value).
//
// A row is delivered only after the start tag of the following row (or the
// end of sheetData) has been read and checked: excelize merges a row that
// is out of order into the row before it, so a row is only known to be
// complete once its successor is known to be in order.
func (r *Rows) Next() bool {
	if r.err != nil || r.state == 2 {
		return false
	}
	if r.state == 0 {
		if r.err = r.findSheetData(); r.err != nil || r.state == 2 {
			return false
		}
		if r.err = r.advance(); r.err != nil {
			return false
		}
	}
	for r.state == 1 && r.pendRow {
		num := r.curRow
		n, err := r.parseRow()
		if err == nil {
			err = r.advance()
		}
		if err != nil {
			r.err = err
			return false
		}
		if n > 0 && r.nonEmpty {
			r.finishRow(n, num)
			r.count++
			return true
		}
	}
	return false
}

// advance reads up to the start tag of the next row, checks its number and
// records it as pending, or notes the end of sheetData.
func (r *Rows) advance() error {
	sc := r.sc
	r.pendRow = false
	for {
		if err := sc.next(); err != nil {
			return err
		}
		if ok, err := sc.ignorable(); ok {
			if err != nil {
				return err
			}
			continue
		}
		switch sc.kind {
		case tokStart:
			if string(sc.loc()) != "row" {
				return sc.unsupported("element <%s> in sheetData", sc.nm())
			}
			if err := r.rowStart(); err != nil {
				return err
			}
			r.pendRow = true
			return nil
		case tokEnd:
			if !bytes.Equal(sc.nm(), r.sdName) {
				return sc.unsupported("element <%s> closed by </%s>", r.sdName, sc.nm())
			}
			r.state = 2
			return nil
		default:
			return sc.unsupported("unexpected end of XML inside sheetData")
		}
	}
}

// Row returns the current row number and cells.
func (r *Rows) Row() (int, []string) { return r.num, r.cells }

// Styles returns the style index (the s attribute, an index into the
// cellXfs of styles.xml, as excelize's GetCellStyle returns it) of each cell
// of the current row, aligned with the cells; 0 where a cell has none. It is
// only filled when Options.CellStyles is set, and the slice is reused by the
// next call to Next. The importer can use it to tell date serials from
// numbers (through excelize's styles) without loading the worksheet.
func (r *Rows) Styles() []int { return r.styles }

// Err returns the error that stopped the iteration, if any.
func (r *Rows) Err() error { return r.err }

// Delivered returns how many rows Next has delivered; after an
// ErrUnsupported error these are the rows excelize also delivers first.
func (r *Rows) Delivered() int { return r.count }

// Close releases the worksheet part.
func (r *Rows) Close() error {
	r.state = 2
	if r.rc == nil {
		return nil
	}
	err := r.rc.Close()
	r.rc = nil
	return err
}

// findSheetData skips the worksheet up to the start of <sheetData>.
func (r *Rows) findSheetData() error {
	sc := r.sc
	var names []byte
	bounds := []int{0}
	for {
		if err := sc.next(); err != nil {
			return err
		}
		if ok, err := sc.ignorable(); ok {
			if err != nil {
				return err
			}
			continue
		}
		depth := len(bounds) - 1
		switch sc.kind {
		case tokStart:
			switch string(sc.loc()) {
			case "sheetData":
				if depth != 1 {
					return sc.unsupported("<%s> at depth %d", sc.nm(), depth)
				}
				if sc.selfClose {
					r.state = 2
					return nil
				}
				r.sdName = append(r.sdName[:0], sc.nm()...)
				r.state = 1
				return nil
			case "row", "c":
				return sc.unsupported("<%s> outside sheetData", sc.nm())
			}
			if sc.selfClose {
				continue
			}
			if depth >= maxDepth {
				return sc.unsupported("elements nested deeper than %d", maxDepth)
			}
			names = append(names, sc.nm()...)
			bounds = append(bounds, len(names))
		case tokEnd:
			if depth == 0 {
				return sc.unsupported("unexpected end tag </%s>", sc.nm())
			}
			open := names[bounds[depth-1]:bounds[depth]]
			if !bytes.Equal(open, sc.nm()) {
				return sc.unsupported("element <%s> closed by </%s>", open, sc.nm())
			}
			names = names[:bounds[depth-1]]
			bounds = bounds[:depth]
		case tokEOF:
			if depth != 0 {
				return sc.unsupported("unexpected end of XML")
			}
			r.state = 2
			return nil
		}
	}
}

// totalRows is Excel's (and excelize's) row limit.
const totalRows = 1048576

// atoi parses s as strconv.Atoi does, with a fast path for plain digits.
func atoi(s []byte) (int, error) {
	if n := len(s); n > 0 && n < 10 {
		v := 0
		for _, c := range s {
			if c < '0' || c > '9' {
				return strconv.Atoi(string(s))
			}
			v = v*10 + int(c-'0')
		}
		return v, nil
	}
	return strconv.Atoi(string(s))
}

// rowStart reads the number of the row whose start tag was just read, as
// excelize counts it, and refuses rows excelize would merge or reject.
func (r *Rows) rowStart() error {
	sc := r.sc
	rowNum := 0
	for i := range sc.attrs {
		a := &sc.attrs[i]
		if string(sc.alocal(a)) != "r" {
			continue
		}
		v, err := sc.attrValue(a)
		if err != nil {
			return err
		}
		if rowNum, err = atoi(v); err != nil {
			return sc.unsupported("row number %q", v)
		}
	}
	switch {
	case rowNum < 0 || rowNum > totalRows:
		return sc.unsupported("row number %d", rowNum)
	case rowNum == 0:
		rowNum = r.curRow + 1
	case rowNum <= r.curRow:
		return sc.unsupported("row %d after row %d", rowNum, r.curRow)
	}
	r.curRow = rowNum
	r.pendSelf = sc.selfClose
	r.rowName = append(r.rowName[:0], sc.nm()...)
	return nil
}

// parseRow reads the body of the pending row and reports how many cells it
// has.
func (r *Rows) parseRow() (int, error) {
	sc := r.sc
	if r.pendSelf {
		return 0, nil
	}
	r.arena = r.arena[:0]
	r.pend = r.pend[:0]
	r.nonEmpty = false
	n, col := 0, 0
	for {
		if err := sc.next(); err != nil {
			return 0, err
		}
		switch sc.kind {
		case tokText:
			if len(sc.txt()) > 0 {
				if err := sc.validateText(); err != nil {
					return 0, err
				}
			}
			continue
		case tokStart:
			if string(sc.loc()) != "c" {
				return 0, sc.unsupported("element <%s> in a row", sc.nm())
			}
			var err error
			if n, col, err = r.parseCell(n, col); err != nil {
				return 0, err
			}
			continue
		case tokEnd:
			if !bytes.Equal(sc.nm(), r.rowName) {
				return 0, sc.unsupported("element <%s> closed by </%s>", r.rowName, sc.nm())
			}
		case tokEOF:
			return 0, sc.unsupported("unexpected end of XML inside a row")
		default:
			if _, err := sc.ignorable(); err != nil {
				return 0, err
			}
			continue
		}
		break
	}
	return n, nil
}

// finishRow builds the cells of the row: one string for all the bytes the
// row owns, and the cell slice carved from a shared block.
func (r *Rows) finishRow(n, num int) {
	if cap(r.block)-len(r.block) < n {
		r.block = make([]string, 0, max(4096, n))
	}
	l := len(r.block)
	r.block = r.block[:l+n]
	cells := r.block[l : l+n : l+n]
	var all string
	if len(r.arena) > 0 {
		all = string(r.arena)
	}
	for _, p := range r.pend {
		if p.inArena {
			cells[p.idx] = all[p.off:p.end]
		} else {
			cells[p.idx] = p.s
		}
	}
	r.num, r.cells = num, cells
	if r.wb.opts.CellStyles {
		r.styles = append(r.styles[:0], make([]int, n)...)
		for _, p := range r.pend {
			r.styles[p.idx] = p.style
		}
	}
}

// cellCol returns the 1-based column of a cell reference, as excelize's
// CellNameToCoordinates does.
func cellCol(ref []byte) (int, bool) {
	col, i := 0, 0
	for ; i < len(ref) && i < 3 && 'A' <= ref[i] && ref[i] <= 'Z'; i++ {
		col = col*26 + int(ref[i]-'A'+1)
	}
	if i > 0 && i < len(ref) && ref[i] >= '1' && ref[i] <= '9' && len(ref)-i <= 7 && col <= 16384 {
		row := 0
		for _, c := range ref[i:] {
			if c < '0' || c > '9' {
				row = -1
				break
			}
			row = row*10 + int(c-'0')
		}
		if row > 0 && row <= totalRows {
			return col, true
		}
	}
	c, _, err := excelize.CellNameToCoordinates(string(ref))
	return c, err == nil
}

// matchTag reports whether b starts with <name> (close=false) or </name>
// (close=true), where name is prefix+local, and returns its length.
func matchTag(b, prefix []byte, local string, close bool) int {
	i := 1
	if close {
		i = 2
	}
	n := i + len(prefix) + len(local) + 1
	if len(b) < n || b[0] != '<' || close && b[1] != '/' || b[n-1] != '>' ||
		!bytes.Equal(b[i:i+len(prefix)], prefix) || string(b[i+len(prefix):n-1]) != local {
		return 0
	}
	return n
}

// fastCell reads the body of the cell just opened when it is exactly
// <v>text</v></c> or <is><t>text</t></is></c> (same namespace prefix as the
// cell, no attributes, all in the buffer), the shapes Excel and excelize
// write. It reports whether it did, and whether the value is an inline
// string (in r.is) rather than r.v; otherwise nothing is consumed.
func (r *Rows) fastCell() (ok, inline bool, err error) {
	sc := r.sc
	b := sc.buf[sc.pos:sc.end]
	prefix := r.cName[:len(r.cName)-1] // "c" or "x:c" less the "c"
	if len(r.cName) > 1 && r.cName[len(r.cName)-2] != ':' {
		return false, false, nil // a name that is not c (e.g. prefix "xc:")
	}
	var local string
	i := matchTag(b, prefix, "v", false)
	if i > 0 {
		local = "v"
	} else if i = matchTag(b, prefix, "is", false); i > 0 {
		j := matchTag(b[i:], prefix, "t", false)
		if j == 0 {
			// <t xml:space="preserve">: let the tag parser check it.
			tb, l := b[i:], len(prefix)
			if len(tb) < l+3 || tb[0] != '<' || !bytes.Equal(tb[1:1+l], prefix) || tb[1+l] != 't' || !isSpace(tb[2+l]) {
				return false, false, nil
			}
			save := sc.pos
			sc.pos += i // markup records offsets from sc.pos
			n, err := sc.markup(tb)
			sc.pos = save
			if err != nil || sc.kind != tokStart || sc.selfClose {
				return false, false, nil
			}
			j = n
		}
		i += j
		local, inline = "t", true
	} else {
		return false, false, nil
	}
	k := bytes.IndexByte(b[i:], '<')
	if k < 0 {
		return false, false, nil
	}
	text := b[i : i+k]
	e := i + k
	n := matchTag(b[e:], prefix, local, true)
	if n == 0 {
		return false, false, nil
	}
	e += n
	if inline {
		if n = matchTag(b[e:], prefix, "is", true); n == 0 {
			return false, false, nil
		}
		e += n
	}
	if n = matchTag(b[e:], prefix, "c", true); n == 0 {
		return false, false, nil
	}
	sc.tokOff = sc.base + int64(sc.pos+i)
	if inline {
		r.si.tmp, err = sc.appendText(r.si.tmp[:0], text, false)
		r.is = appendBstr(r.is[:0], r.si.tmp)
	} else {
		r.v, err = sc.appendText(r.v[:0], text, false)
	}
	if err != nil {
		return false, false, err
	}
	sc.pos += e + n
	return true, inline, nil
}

// fBoolAttrs are the boolean attributes of <f> that excelize decodes.
var fBoolAttrs = map[string]bool{"aca": true, "dt2D": true, "dtr": true, "del1": true, "del2": true, "ca": true, "bx": true}

// checkFormula validates the attributes of <f> that excelize decodes into
// typed fields.
func (r *Rows) checkFormula() error {
	sc := r.sc
	for i := range sc.attrs {
		a := &sc.attrs[i]
		if len(sc.aname(a)) != len(sc.alocal(a)) {
			continue // prefixed attributes do not match excelize's fields
		}
		l := string(sc.alocal(a))
		if l != "si" && !fBoolAttrs[l] {
			continue
		}
		v, err := sc.attrValue(a)
		if err != nil {
			return err
		}
		t := strings.TrimSpace(string(v))
		if l == "si" {
			_, err = strconv.ParseInt(t, 10, 64)
		} else {
			_, err = strconv.ParseBool(t)
		}
		if err != nil || t == "" {
			return sc.unsupported("formula attribute %s=%q", sc.aname(a), v)
		}
	}
	return nil
}

// parseCell reads the cell whose start tag was just read. n is the number
// of cells of the row so far and col the column of the previous cell; it
// returns both updated.
func (r *Rows) parseCell(n, col int) (int, int, error) {
	sc := r.sc
	col++
	var typ []byte
	style := 0
	for i := range sc.attrs {
		a := &sc.attrs[i]
		switch string(sc.alocal(a)) {
		case "r":
			v, err := sc.attrValue(a)
			if err != nil {
				return 0, 0, err
			}
			if len(v) > 0 {
				c, ok := cellCol(v)
				if !ok {
					return 0, 0, sc.unsupported("cell reference %q", v)
				}
				col = c
			}
		case "s":
			v, err := sc.attrValue(a)
			if err != nil {
				return 0, 0, err
			}
			if len(v) > 0 && len(v) < 10 && isDigits(v) {
				style, _ = atoi(v)
			} else {
				st, err := strconv.ParseInt(string(v), 10, 64)
				if err != nil {
					return 0, 0, sc.unsupported("cell style %q", v)
				}
				style = int(st)
			}
		case "t":
			v, err := sc.attrValue(a)
			if err != nil {
				return 0, 0, err
			}
			typ = v
		}
	}
	// typ may point into the scanner buffer: classify it now.
	kind := cellKind(typ)
	r.v = r.v[:0]
	hasF, hasIS := false, false
	fast, selfClose := false, sc.selfClose
	if !selfClose {
		r.cName = append(r.cName[:0], sc.nm()...)
		var err error
		if fast, hasIS, err = r.fastCell(); err != nil {
			return 0, 0, err
		}
	}
	if !selfClose && !fast {
	loop:
		for {
			if err := sc.next(); err != nil {
				return 0, 0, err
			}
			var err error
			switch sc.kind {
			case tokStart:
				switch string(sc.loc()) {
				case "v":
					r.v, err = sc.charData(r.v[:0])
				case "f":
					hasF = true
					if err = r.checkFormula(); err == nil {
						err = sc.skip()
					}
				case "is":
					if hasIS {
						return 0, 0, sc.unsupported("two <is> elements in a cell")
					}
					hasIS = true
					r.is, err = r.si.parse(sc, r.is[:0], true)
				default:
					return 0, 0, sc.unsupported("element <%s> in a cell", sc.nm())
				}
			case tokEnd:
				if !bytes.Equal(sc.nm(), r.cName) {
					return 0, 0, sc.unsupported("element <%s> closed by </%s>", r.cName, sc.nm())
				}
				break loop
			case tokEOF:
				return 0, 0, sc.unsupported("unexpected end of XML inside a cell")
			default:
				_, err = sc.ignorable()
			}
			if err != nil {
				return 0, 0, err
			}
		}
	}
	p := pending{style: style}
	switch kind {
	case kindShared:
		if len(r.v) == 0 {
			break
		}
		idx, err := atoi(r.v)
		if err != nil {
			idx, _ = strconv.Atoi(strings.TrimSpace(string(r.v)))
		}
		if idx < 0 || idx >= len(r.sst) {
			// Read as empty, as excelize does, but said: Damage lists it for the audit.
			r.damaged++
			if len(r.damage) < maxDamage {
				r.damage = append(r.damage, fmt.Sprintf("cell %s%d refers to shared string %d, but the shared-strings table has %d: read as empty (the workbook is damaged)", columnLetters(col), r.curRow, idx, len(r.sst)))
			}
			break
		}
		p.s = r.sst[idx]
	case kindInline:
		if hasIS {
			p.inArena, p.off = true, len(r.arena)
			r.arena = append(r.arena, r.is...)
			p.end = len(r.arena)
			break
		}
		fallthrough
	default:
		p.inArena, p.off = true, len(r.arena)
		r.arena = append(r.arena, r.v...)
		p.end = len(r.arena)
	}
	if p.s == "" && p.off == p.end && !hasF {
		return n, col, nil
	}
	if col > n {
		n = col
	} else {
		n++
	}
	p.idx = n - 1
	r.pend = append(r.pend, p)
	if p.s != "" || p.off != p.end {
		r.nonEmpty = true
	}
	return n, col, nil
}

const (
	kindOther = iota
	kindShared
	kindInline
)

func cellKind(t []byte) int {
	switch string(t) {
	case "s":
		return kindShared
	case "inlineStr":
		return kindInline
	}
	return kindOther
}

func isDigits(b []byte) bool {
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// columnLetters names 1-based column col as Excel does: 1 A, 27 AA.
func columnLetters(col int) string {
	var b []byte
	for col > 0 {
		col--
		b = append([]byte{byte('A' + col%26)}, b...)
		col /= 26
	}
	return string(b)
}
