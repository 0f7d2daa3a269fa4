package importers

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"

	"sitrep/data"
)

// csvSource is a CSV (or TSV) file seen as a single sheet named after the file.
type csvSource struct {
	path     string
	name     string
	encoding string // "UTF-8", "UTF-8 with BOM", "UTF-16LE", "UTF-16BE", or legacyEncoding
	comma    rune
	lazy     bool
	// records estimates the number of records from the sample's bytes per record.
	records int
}

func openCSV(p string) (*csvSource, error) {
	s := &csvSource{path: p, name: strings.TrimSuffix(filepath.Base(p), filepath.Ext(p))}
	rc, enc, err := openDecoded(p)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	s.encoding = enc
	sample := make([]byte, 64<<10)
	n, _ := io.ReadFull(rc, sample)
	sample = sample[:n]
	if len(bytes.TrimSpace(sample)) == 0 {
		return nil, fileErr(p, ErrEmpty, "no text")
	}
	if !utf8.Valid(trimCutRune(sample)) {
		return nil, fileErr(p, ErrUnsupported, "its text is neither UTF-8, UTF-16 with a byte-order mark nor Windows-1252; save it as CSV UTF-8")
	}
	s.comma = sniffDelimiter(sample, strings.ToLower(filepath.Ext(p)) == ".tsv")
	// Excel's "sep=;" first line names the delimiter (the line itself is then no header).
	if line, _, _ := bytes.Cut(sample, []byte("\n")); bytes.HasPrefix(bytes.ToLower(line), []byte("sep=")) {
		if r, size := utf8.DecodeRune(bytes.TrimRight(line[4:], "\r")); size > 0 && r != utf8.RuneError {
			s.comma = r
		}
	}
	// Try the sample strictly; fall back to lazy quotes when it has bare quotes.
	r := csv.NewReader(bytes.NewReader(sample))
	r.Comma, r.FieldsPerRecord = s.comma, -1
	sampled := 0
	defer func() {
		if sampled == 0 {
			return
		}
		if n < len(sample) {
			s.records = sampled // the whole file was sampled
			return
		}
		if st, err := os.Stat(p); err == nil {
			size := st.Size()
			if strings.HasPrefix(s.encoding, "UTF-16") {
				size /= 2
			}
			s.records = int(size * int64(sampled) / int64(len(sample)))
		}
	}()
	for {
		_, err := r.Read()
		if err == io.EOF {
			break
		}
		if err == nil {
			sampled++
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) && (errors.Is(pe.Err, csv.ErrBareQuote) || errors.Is(pe.Err, csv.ErrQuote)) {
			// A quote error at the very end of the sample may just be a cut-off quoted cell.
			if n < len(sample) || pe.Line < bytes.Count(sample, []byte("\n")) {
				s.lazy = true
			}
			break
		}
		if err != nil {
			break
		}
	}
	return s, nil
}

// trimCutRune drops an incomplete UTF-8 sequence at the end of a sample.
func trimCutRune(b []byte) []byte {
	for i := 1; i <= utf8.UTFMax && i <= len(b); i++ {
		if utf8.RuneStart(b[len(b)-i]) {
			if !utf8.FullRune(b[len(b)-i:]) {
				return b[:len(b)-i]
			}
			break
		}
	}
	return b
}

func (s *csvSource) sheets() []sheetInfo { return []sheetInfo{{Name: s.name}} }
func (s *csvSource) date1904() bool      { return false }

// Close does nothing: each row source opens and closes the file itself.
func (s *csvSource) Close() error { return nil }

func (s *csvSource) rows(string) (SheetRows, error) {
	rc, _, err := openDecoded(s.path)
	if err != nil {
		return nil, err
	}
	lim := &recordLimiter{r: rc, max: MaxCSVRecord, maxSeps: MaxCSVFields}
	if s.comma < utf8.RuneSelf {
		lim.sep = byte(s.comma)
	}
	r := csv.NewReader(lim)
	r.Comma = s.comma
	r.FieldsPerRecord = -1
	r.LazyQuotes = s.lazy
	r.ReuseRecord = true
	return &csvRows{rc: rc, r: r, lim: lim}, nil
}

// csvRows implements SheetRows over encoding/csv. Row numbers count records (as Excel numbers
// the rows of an opened CSV), so a quoted line break does not shift them.
type csvRows struct {
	rc    io.Closer
	r     *csv.Reader
	lim   *recordLimiter
	num   int
	cells []string
	err   error
	// badRows are records that could not be parsed (bad quoting); they are reported, not fatal.
	badRows []csvBadRow
}

type csvBadRow struct {
	row int
	err error
}

// Next implements SheetRows.
func (c *csvRows) Next() bool {
	if c.err != nil || c.r == nil {
		return false
	}
	for {
		if c.lim != nil {
			c.lim.startRecord(c.r.InputOffset())
		}
		rec, err := c.r.Read()
		if err == io.EOF {
			return false
		}
		c.num++
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) && len(c.badRows) < 10000 {
				c.badRows = append(c.badRows, csvBadRow{row: c.num, err: pe.Err})
				continue
			}
			c.err = fmt.Errorf("row %d: %w", c.num, err)
			return false
		}
		if hasValue(rec) {
			c.cells = rec
			return true
		}
	}
}

// Row implements SheetRows.
func (c *csvRows) Row() (int, []string) { return c.num, c.cells }

// Err implements SheetRows.
func (c *csvRows) Err() error { return c.err }

// Close implements SheetRows.
func (c *csvRows) Close() error {
	if c.rc == nil {
		return nil
	}
	err := c.rc.Close()
	c.rc, c.r = nil, nil
	return err
}

// openDecoded opens a text file and returns a UTF-8 reader without BOM, and the encoding.
func openDecoded(p string) (io.ReadCloser, string, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, "", err
	}
	br := bufio.NewReaderSize(f, 64<<10)
	bom, _ := br.Peek(3)
	switch {
	case bytes.HasPrefix(bom, []byte{0xEF, 0xBB, 0xBF}):
		br.Discard(3)
		return readCloser{br, f}, "UTF-8 with BOM", nil
	case bytes.HasPrefix(bom, []byte{0xFF, 0xFE}):
		br.Discard(2)
		return readCloser{&utf16Reader{r: br, le: true}, f}, "UTF-16LE", nil
	case bytes.HasPrefix(bom, []byte{0xFE, 0xFF}):
		br.Discard(2)
		return readCloser{&utf16Reader{r: br}, f}, "UTF-16BE", nil
	}
	// Text that is not UTF-8 is most likely Windows-1252: what Excel on Windows writes for
	// "CSV (Comma delimited)" in Western locales (café, naïve, £, €). Latin-1 is the same for
	// every printable character.
	sample, _ := br.Peek(64 << 10)
	var r io.Reader = br
	suffix := ""
	if bytes.IndexByte(sample, 0) >= 0 {
		r, suffix = &nulDropper{r: br}, nulNote
		sample = bytes.ReplaceAll(sample, []byte{0}, nil)
	}
	if !utf8.Valid(trimCutRune(sample)) {
		return readCloser{charmap.Windows1252.NewDecoder().Reader(r), f}, legacyEncoding + suffix, nil
	}
	return readCloser{r, f}, "UTF-8" + suffix, nil
}

// nulNote is added to the encoding the audit shows when a text file's NUL bytes were dropped.
const nulNote = "; NUL bytes in the file were dropped"

// nulDropper reads through r without its NUL bytes.
type nulDropper struct{ r io.Reader }

// Read implements io.Reader.
func (d *nulDropper) Read(p []byte) (int, error) {
	for {
		n, err := d.r.Read(p)
		k := 0
		for _, c := range p[:n] {
			if c != 0 {
				p[k] = c
				k++
			}
		}
		if k > 0 || err != nil || n == 0 {
			return k, err
		}
	}
}

// MaxCSVRecord bounds the bytes of one CSV record (a line, or several when a quoted cell
// holds line breaks). A spreadsheet cell holds at most 32,767 characters, so a longer record
// is not a table row; the limit keeps a hostile file from exhausting memory.
const MaxCSVRecord = 16 << 20

// errRecordTooLong is the error of a CSV record longer than MaxCSVRecord.
var errRecordTooLong = fmt.Errorf("a record longer than %d MiB: no spreadsheet row is that long (a cell holds at most %d characters); is this really a CSV file?", MaxCSVRecord>>20, MaxCellChars)

// MaxCSVFields bounds the separators in one CSV record. Excel has at most 16,384 columns; a
// record of millions of one-character cells would make the csv.Reader hold a slice entry for
// each (a 16 MiB line of "a," is 8 million cells, about 400 MB).
const MaxCSVFields = 1 << 20

// errTooManyFields is the error of a CSV record with more than MaxCSVFields separators.
var errTooManyFields = fmt.Errorf("a record with more than %s cells: no spreadsheet has that many columns (at most 16,384); is this really a CSV file?", data.Thousands(MaxCSVFields))

// recordLimiter fails a read once the csv.Reader has read more than max bytes, or more than
// maxSeps separators, since the start of the record it is reading (startRecord): a line, or
// several when a quoted cell holds line breaks (the csv.Reader's own offset moves on with each
// line, so it cannot tell alone). The csv.Reader then never holds more than about max bytes.
type recordLimiter struct {
	r       io.Reader
	n       int64 // bytes read
	start   int64 // where the record being read starts
	max     int64
	sep     byte // the separator, when it is one byte
	seps    int  // separators read since the record started (and a little beyond)
	maxSeps int
}

// startRecord says that the csv.Reader begins a record at byte offset off.
func (l *recordLimiter) startRecord(off int64) {
	l.start = off
	l.seps = 0
}

// Read implements io.Reader.
func (l *recordLimiter) Read(p []byte) (int, error) {
	if l.n-l.start > l.max {
		return 0, errRecordTooLong
	}
	if l.maxSeps > 0 && l.seps > l.maxSeps {
		return 0, errTooManyFields
	}
	n, err := l.r.Read(p)
	l.n += int64(n)
	if l.sep != 0 {
		l.seps += bytes.Count(p[:n], []byte{l.sep})
	}
	return n, err
}

// legacyEncoding names the 8-bit encoding a CSV that is not UTF-8 is read in; the audit shows it.
const legacyEncoding = "Windows-1252 (not UTF-8: read as Western European)"

type readCloser struct {
	io.Reader
	io.Closer
}

// utf16Reader decodes UTF-16 (little- or big-endian) to UTF-8 as it reads.
type utf16Reader struct {
	r    *bufio.Reader
	le   bool
	out  []byte
	hi   uint16 // a pending high surrogate
	done bool
}

func (u *utf16Reader) unit() (uint16, bool) {
	a, err1 := u.r.ReadByte()
	b, err2 := u.r.ReadByte()
	if err1 != nil || err2 != nil {
		return 0, false
	}
	if u.le {
		return uint16(a) | uint16(b)<<8, true
	}
	return uint16(b) | uint16(a)<<8, true
}

// Read implements io.Reader, giving UTF-8.
func (u *utf16Reader) Read(p []byte) (int, error) {
	for len(u.out) < len(p) && !u.done {
		v, ok := u.unit()
		if !ok {
			u.done = true
			if u.hi != 0 {
				u.out = utf8.AppendRune(u.out, utf8.RuneError)
			}
			break
		}
		switch {
		case utf16.IsSurrogate(rune(v)) && v < 0xDC00:
			if u.hi != 0 {
				u.out = utf8.AppendRune(u.out, utf8.RuneError)
			}
			u.hi = v
		case utf16.IsSurrogate(rune(v)):
			if u.hi == 0 {
				u.out = utf8.AppendRune(u.out, utf8.RuneError)
			} else {
				u.out = utf8.AppendRune(u.out, utf16.DecodeRune(rune(u.hi), rune(v)))
				u.hi = 0
			}
		default:
			if u.hi != 0 {
				u.out = utf8.AppendRune(u.out, utf8.RuneError)
				u.hi = 0
			}
			u.out = utf8.AppendRune(u.out, rune(v))
		}
	}
	n := copy(p, u.out)
	u.out = u.out[:copy(u.out, u.out[n:])]
	if n == 0 && u.done {
		return 0, io.EOF
	}
	return n, nil
}

// sniffDelimiter picks comma, semicolon or tab: the one that splits the sample's first lines
// (outside quotes) most consistently into more than one field.
func sniffDelimiter(sample []byte, tsv bool) rune {
	cands := []rune{',', ';', '\t', '|'}
	best, bestScore := ',', -1
	if tsv {
		best = '\t'
	}
	for _, d := range cands {
		counts := countPerLine(sample, byte(d), 30)
		if len(counts) == 0 {
			continue
		}
		// Score: lines agreeing with the first line's count, when that count is > 0.
		first := counts[0]
		if first == 0 {
			continue
		}
		agree := 0
		for _, c := range counts {
			if c == first {
				agree++
			}
		}
		score := agree*1000 + first
		if score > bestScore {
			best, bestScore = d, score
		}
	}
	return best
}

// countPerLine counts delimiter bytes outside double quotes on each of the first max records.
func countPerLine(b []byte, d byte, maxLines int) []int {
	var out []int
	inQ, n := false, 0
	for i := 0; i < len(b) && len(out) < maxLines; i++ {
		switch c := b[i]; {
		case c == '"':
			inQ = !inQ
		case c == d && !inQ:
			n++
		case c == '\n' && !inQ:
			out = append(out, n)
			n = 0
		}
	}
	return out
}
