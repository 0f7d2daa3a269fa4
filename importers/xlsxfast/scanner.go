package xlsxfast

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// tokKind is the kind of the token the scanner last read.
type tokKind uint8

const (
	tokEOF     tokKind = iota // end of input
	tokText                   // character data up to the next '<' (raw, undecoded)
	tokCDATA                  // contents of a CDATA section (raw)
	tokStart                  // start tag (possibly self-closing)
	tokEnd                    // end tag
	tokComment                // comment (validated, content dropped)
	tokPI                     // processing instruction (validated, content dropped)
)

// attr is one attribute of a start tag. Slices point into the scanner
// buffer and are valid until the next call to next.
type attr struct {
	name, nameEnd int32 // raw name, with prefix: buf[name:nameEnd]
	local         int32 // local part of the name: buf[local:nameEnd]
	val, valEnd   int32 // raw value between the quotes: buf[val:valEnd]
	plain         bool  // the value needs no decoding (no entity, no CR)
}

// Token parts are kept as offsets into the buffer rather than slices, so
// that recording them writes no pointers (no GC write barriers).

// nm returns the raw name of the current tag.
func (s *scanner) nm() []byte { return s.buf[s.nameOff:s.nameEnd] }

// loc returns the local name of the current tag.
func (s *scanner) loc() []byte { return s.buf[s.localOff:s.nameEnd] }

// txt returns the current text or CDATA token.
func (s *scanner) txt() []byte { return s.buf[s.textOff:s.textEnd] }

// aname returns the raw name of an attribute of the current tag.
func (s *scanner) aname(a *attr) []byte { return s.buf[a.name:a.nameEnd] }

// alocal returns the local name of an attribute of the current tag.
func (s *scanner) alocal(a *attr) []byte { return s.buf[a.local:a.nameEnd] }

// aval returns the raw value of an attribute of the current tag.
func (s *scanner) aval(a *attr) []byte { return s.buf[a.val:a.valEnd] }

// errNeedMore is returned internally when a token is not complete in the
// buffer.
var errNeedMore = errors.New("xlsxfast: need more input")

// scanner is a purpose-built XML tokenizer for SpreadsheetML parts. It
// accepts a strict subset of what encoding/xml accepts (ASCII names, quoted
// attributes, the five predefined entities and character references, CDATA,
// comments, processing instructions) and validates text the way
// encoding/xml does, so that whatever it accepts, encoding/xml reads the
// same way. Anything outside that subset is reported as ErrUnsupported.
type scanner struct {
	r      io.Reader
	buf    []byte
	pos    int
	end    int
	eof    bool
	rerr   error
	maxTok int
	base   int64 // input offset of buf[0]
	part   string

	// current token; slices point into buf
	kind      tokKind
	textOff   int
	textEnd   int
	nameOff   int
	nameEnd   int
	localOff  int
	attrs     []attr
	selfClose bool
	tokOff    int64

	scratch    []byte
	skipNames  []byte
	skipBounds []int
	cdName     []byte
}

// newScanner returns a scanner reading r. bufSize is the initial buffer
// size; maxTok bounds the size of a single token (tag or text run).
func newScanner(r io.Reader, part string, bufSize, maxTok int) *scanner {
	if bufSize < 512 {
		bufSize = 512
	}
	if maxTok < bufSize {
		maxTok = bufSize
	}
	return &scanner{r: r, buf: make([]byte, bufSize), maxTok: maxTok, part: part, attrs: make([]attr, 0, 8)}
}

// unsupported builds an ErrUnsupported error located at the current token.
func (s *scanner) unsupported(format string, args ...any) error {
	return fmt.Errorf("%w: %s at byte %d: %s", ErrUnsupported, s.part, s.tokOff, fmt.Sprintf(format, args...))
}

// more reads more input, compacting or growing the buffer as needed. It
// reports whether new bytes arrived.
func (s *scanner) more() (bool, error) {
	if s.eof {
		return false, nil
	}
	if s.rerr != nil {
		return false, s.rerr
	}
	if s.pos > 0 {
		n := copy(s.buf, s.buf[s.pos:s.end])
		s.base += int64(s.pos)
		s.end = n
		s.pos = 0
	}
	if s.end == len(s.buf) {
		if len(s.buf) >= s.maxTok {
			return false, fmt.Errorf("%w: %s at byte %d: a single XML token is larger than %d bytes", ErrTooLarge, s.part, s.base, s.maxTok)
		}
		n := min(2*len(s.buf), s.maxTok)
		nb := make([]byte, n)
		copy(nb, s.buf[:s.end])
		s.buf = nb
	}
	for range 100 {
		n, err := s.r.Read(s.buf[s.end:])
		s.end += n
		if err != nil {
			if err == io.EOF {
				s.eof = true
			} else {
				s.rerr = fmt.Errorf("reading %s: %w", s.part, err)
			}
		}
		if n > 0 {
			return true, nil
		}
		if err == io.EOF {
			return false, nil
		}
		if err != nil {
			return false, s.rerr
		}
	}
	s.rerr = fmt.Errorf("reading %s: %w", s.part, io.ErrNoProgress)
	return false, s.rerr
}

// next reads the next token.
func (s *scanner) next() error {
	for {
		b := s.buf[s.pos:s.end]
		s.tokOff = s.base + int64(s.pos)
		if len(b) > 0 {
			if b[0] != '<' {
				i := bytes.IndexByte(b, '<')
				if i >= 0 || s.eof {
					if i < 0 {
						i = len(b)
					}
					s.kind, s.textOff, s.textEnd = tokText, s.pos, s.pos+i
					s.pos += i
					return nil
				}
			} else {
				n, err := s.markup(b)
				if err == nil {
					s.pos += n
					return nil
				}
				if err != errNeedMore {
					return err
				}
				if s.eof {
					return s.unsupported("truncated XML")
				}
			}
		} else if s.eof {
			s.kind = tokEOF
			return nil
		}
		if _, err := s.more(); err != nil {
			return err
		}
	}
}

func isNameByte(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
		c == '_' || c == ':' || c == '.' || c == '-'
}

// nameTab marks the ASCII name bytes; plainTab the bytes an attribute value
// or text may contain without decoding or validation.
var nameTab, plainTab [256]bool

func init() {
	for c := 0; c < 256; c++ {
		nameTab[c] = isNameByte(byte(c))
		plainTab[c] = c >= 0x20 && c < utf8.RuneSelf && c != '&' && c != '<' && c != '>'
	}
}

func isSpace(c byte) bool { return c == ' ' || c == '\n' || c == '\t' || c == '\r' }

// scanName reads an ASCII XML name at b[i:]. It returns the end index and
// the index of the colon (or -1).
func (s *scanner) scanName(b []byte, i int) (end, colon int, err error) {
	if i >= len(b) {
		return 0, 0, errNeedMore
	}
	c := b[i]
	if !('A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || c == '_') {
		return 0, 0, s.unsupported("unexpected character %q where a name should start", c)
	}
	colon = -1
	j := i + 1
	for j < len(b) && nameTab[b[j]] {
		if b[j] == ':' {
			if colon >= 0 {
				return 0, 0, s.unsupported("name with two colons")
			}
			colon = j
		}
		j++
	}
	if j >= len(b) {
		return 0, 0, errNeedMore
	}
	if b[j] >= utf8.RuneSelf {
		return 0, 0, s.unsupported("non-ASCII XML name")
	}
	if colon == j-1 {
		return 0, 0, s.unsupported("name ending with a colon")
	}
	return j, colon, nil
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && isSpace(b[i]) {
		i++
	}
	return i
}

// markup parses the markup at the start of b (b[0] == '<') and returns its
// length.
func (s *scanner) markup(b []byte) (int, error) {
	if len(b) < 2 {
		return 0, errNeedMore
	}
	switch b[1] {
	case '/':
		j, colon, err := s.scanName(b, 2)
		if err != nil {
			return 0, err
		}
		s.nameOff, s.nameEnd, s.localOff = s.pos+2, s.pos+j, s.pos+2
		if colon >= 0 {
			s.localOff = s.pos + colon + 1
		}
		j = skipSpace(b, j)
		if j >= len(b) {
			return 0, errNeedMore
		}
		if b[j] != '>' {
			return 0, s.unsupported("invalid characters in end tag </%s", s.nm())
		}
		s.kind = tokEnd
		return j + 1, nil
	case '?':
		j, _, err := s.scanName(b, 2)
		if err != nil {
			return 0, err
		}
		target := b[2:j]
		j = skipSpace(b, j)
		if j >= len(b) {
			return 0, errNeedMore
		}
		k := bytes.Index(b[j:], []byte("?>"))
		if k < 0 {
			return 0, errNeedMore
		}
		if string(target) == "xml" {
			content := string(b[j : j+k])
			if v := procInst("version", content); v != "" && v != "1.0" {
				return 0, s.unsupported("XML version %q", v)
			}
			if enc := procInst("encoding", content); enc != "" && !strings.EqualFold(enc, "utf-8") {
				return 0, s.unsupported("XML encoding %q", enc)
			}
		}
		s.kind = tokPI
		return j + k + 2, nil
	case '!':
		if len(b) < 4 {
			return 0, errNeedMore
		}
		if b[2] == '-' && b[3] == '-' {
			k := bytes.Index(b[4:], []byte("--"))
			if k < 0 || 4+k+2 >= len(b) {
				return 0, errNeedMore
			}
			if b[4+k+2] != '>' {
				return 0, s.unsupported(`"--" inside a comment`)
			}
			s.kind = tokComment
			return 4 + k + 3, nil
		}
		const cd = "<![CDATA["
		if len(b) < len(cd) {
			if bytes.HasPrefix([]byte(cd), b) {
				return 0, errNeedMore
			}
			return 0, s.unsupported("XML directive (DOCTYPE or entity declaration)")
		}
		if !bytes.HasPrefix(b, []byte(cd)) {
			return 0, s.unsupported("XML directive (DOCTYPE or entity declaration)")
		}
		k := bytes.Index(b[len(cd):], []byte("]]>"))
		if k < 0 {
			return 0, errNeedMore
		}
		s.kind, s.textOff, s.textEnd = tokCDATA, s.pos+len(cd), s.pos+len(cd)+k
		return len(cd) + k + 3, nil
	}
	j, colon, err := s.scanName(b, 1)
	if err != nil {
		return 0, err
	}
	s.nameOff, s.nameEnd, s.localOff = s.pos+1, s.pos+j, s.pos+1
	if colon >= 0 {
		s.localOff = s.pos + colon + 1
	}
	s.attrs = s.attrs[:0]
	for {
		j = skipSpace(b, j)
		if j >= len(b) {
			return 0, errNeedMore
		}
		switch b[j] {
		case '>':
			s.kind, s.selfClose = tokStart, false
			return j + 1, nil
		case '/':
			if j+1 >= len(b) {
				return 0, errNeedMore
			}
			if b[j+1] != '>' {
				return 0, s.unsupported("expected /> in element <%s", s.nm())
			}
			s.kind, s.selfClose = tokStart, true
			return j + 2, nil
		}
		ns := j
		e, c2, err := s.scanName(b, j)
		if err != nil {
			return 0, err
		}
		a := attr{name: int32(s.pos + ns), nameEnd: int32(s.pos + e), local: int32(s.pos + ns)}
		if c2 >= 0 {
			a.local = int32(s.pos + c2 + 1)
		}
		j = skipSpace(b, e)
		if j >= len(b) {
			return 0, errNeedMore
		}
		if b[j] != '=' {
			return 0, s.unsupported("attribute %s without value", b[ns:e])
		}
		j = skipSpace(b, j+1)
		if j >= len(b) {
			return 0, errNeedMore
		}
		q := b[j]
		if q != '"' && q != '\'' {
			return 0, s.unsupported("unquoted attribute value")
		}
		k := bytes.IndexByte(b[j+1:], q)
		if k < 0 {
			return 0, errNeedMore
		}
		val := b[j+1 : j+1+k]
		a.val, a.valEnd = int32(s.pos+j+1), int32(s.pos+j+1+k)
		a.plain = true
		for _, c := range val {
			if !plainTab[c] {
				a.plain = false
				break
			}
		}
		if !a.plain {
			if bytes.IndexByte(val, '<') >= 0 {
				return 0, s.unsupported("'<' inside an attribute value")
			}
			var err error
			if s.scratch, err = s.appendText(s.scratch[:0], val, true); err != nil {
				return 0, err
			}
		}
		s.attrs = append(s.attrs, a)
		j += 1 + k + 1
	}
}

// procInst returns the value of param in a processing instruction, exactly
// as encoding/xml parses it.
func procInst(param, s string) string {
	param += "="
	lenp := len(param)
	i := 0
	var sep byte
	for i < len(s) {
		sub := s[i:]
		k := strings.Index(sub, param)
		if k < 0 || lenp+k >= len(sub) {
			return ""
		}
		i += lenp + k + 1
		if c := sub[lenp+k]; c == '\'' || c == '"' {
			sep = c
			break
		}
	}
	if sep == 0 {
		return ""
	}
	j := strings.IndexByte(s[i:], sep)
	if j < 0 {
		return ""
	}
	return s[i : i+j]
}

// attrValue returns the decoded value of a.
func (s *scanner) attrValue(a *attr) ([]byte, error) {
	if a.plain {
		return s.aval(a), nil
	}
	return s.appendText(nil, s.aval(a), true)
}

// appendText decodes raw character data (entities, CR normalisation) onto
// dst and validates it as encoding/xml does. inAttr selects the rules for
// attribute values (where "]]>" is allowed).
func (s *scanner) appendText(dst, raw []byte, inAttr bool) ([]byte, error) {
	fast := true
	for _, c := range raw {
		if !plainTab[c] && c != '\n' && c != '\t' {
			fast = false
			break
		}
	}
	if fast {
		return append(dst, raw...), nil
	}
	start := len(dst)
	var b0, b1 byte
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		if !inAttr && b0 == ']' && b1 == ']' && c == '>' {
			return dst, s.unsupported("unescaped ]]> in text")
		}
		if c == '&' {
			var err error
			var n int
			dst, n, err = s.entity(dst, raw[i:])
			if err != nil {
				return dst, err
			}
			i += n - 1
			b0, b1 = 0, 0
			continue
		}
		switch {
		case c == '\r':
			dst = append(dst, '\n')
		case b1 == '\r' && c == '\n':
		default:
			dst = append(dst, c)
		}
		b0, b1 = b1, c
	}
	if err := s.checkChars(dst[start:]); err != nil {
		return dst, err
	}
	return dst, nil
}

// appendCDATA appends the contents of a CDATA section with CR normalisation.
func (s *scanner) appendCDATA(dst, raw []byte) ([]byte, error) {
	start := len(dst)
	var b1 byte
	for _, c := range raw {
		switch {
		case c == '\r':
			dst = append(dst, '\n')
		case b1 == '\r' && c == '\n':
		default:
			dst = append(dst, c)
		}
		b1 = c
	}
	return dst, s.checkChars(dst[start:])
}

// checkChars rejects invalid UTF-8 and characters outside the XML range.
func (s *scanner) checkChars(b []byte) error {
	for i := 0; i < len(b); {
		c := b[i]
		if c < utf8.RuneSelf {
			if c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
				return s.unsupported("illegal character code %U", rune(c))
			}
			i++
			continue
		}
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 {
			return s.unsupported("invalid UTF-8")
		}
		if !(r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF) {
			return s.unsupported("illegal character code %U", r)
		}
		i += n
	}
	return nil
}

// entity decodes the entity reference at the start of b (b[0] == '&').
func (s *scanner) entity(dst, b []byte) ([]byte, int, error) {
	semi := bytes.IndexByte(b, ';')
	if semi < 0 || semi > 12 {
		return dst, 0, s.unsupported("invalid or undeclared character entity")
	}
	name := b[1:semi]
	switch string(name) {
	case "amp":
		return append(dst, '&'), semi + 1, nil
	case "lt":
		return append(dst, '<'), semi + 1, nil
	case "gt":
		return append(dst, '>'), semi + 1, nil
	case "quot":
		return append(dst, '"'), semi + 1, nil
	case "apos":
		return append(dst, '\''), semi + 1, nil
	}
	if len(name) < 2 || name[0] != '#' {
		return dst, 0, s.unsupported("undeclared entity &%s;", name)
	}
	digits := name[1:]
	base := rune(10)
	if digits[0] == 'x' {
		base, digits = 16, digits[1:]
	}
	if len(digits) == 0 || len(digits) > 8 {
		return dst, 0, s.unsupported("invalid character reference &%s;", name)
	}
	var r rune
	for _, c := range digits {
		var d rune
		switch {
		case '0' <= c && c <= '9':
			d = rune(c - '0')
		case base == 16 && 'a' <= c && c <= 'f':
			d = rune(c-'a') + 10
		case base == 16 && 'A' <= c && c <= 'F':
			d = rune(c-'A') + 10
		default:
			return dst, 0, s.unsupported("invalid character reference &%s;", name)
		}
		r = r*base + d
	}
	if !(r == 0x09 || r == 0x0A || r == 0x0D || r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF) {
		return dst, 0, s.unsupported("character reference &%s; outside the XML range", name)
	}
	return utf8.AppendRune(dst, r), semi + 1, nil
}

// validateText checks raw character data that is going to be ignored.
func (s *scanner) validateText() error {
	for _, c := range s.txt() {
		if !isSpace(c) {
			var err error
			s.scratch, err = s.appendText(s.scratch[:0], s.txt(), false)
			return err
		}
	}
	return nil
}

// ignorable handles tokens that may appear anywhere and carry no data
// (whitespace, comments, processing instructions). It reports whether the
// token was consumed.
func (s *scanner) ignorable() (bool, error) {
	switch s.kind {
	case tokText:
		return true, s.validateText()
	case tokCDATA:
		var err error
		s.scratch, err = s.appendCDATA(s.scratch[:0], s.txt())
		return true, err
	case tokComment, tokPI:
		return true, nil
	}
	return false, nil
}

// maxDepth bounds element nesting in skipped subtrees.
const maxDepth = 256

// skip consumes the rest of the element whose start tag was just read,
// checking that end tags match.
func (s *scanner) skip() error {
	if s.selfClose {
		return nil
	}
	names := append(s.skipNames[:0], s.nm()...)
	bounds := append(s.skipBounds[:0], 0, len(names))
	defer func() { s.skipNames, s.skipBounds = names[:0], bounds[:0] }()
	for {
		if err := s.next(); err != nil {
			return err
		}
		if ok, err := s.ignorable(); ok {
			if err != nil {
				return err
			}
			continue
		}
		switch s.kind {
		case tokStart:
			if s.selfClose {
				continue
			}
			if len(bounds) > maxDepth {
				return s.unsupported("elements nested deeper than %d", maxDepth)
			}
			names = append(names, s.nm()...)
			bounds = append(bounds, len(names))
		case tokEnd:
			n := len(bounds)
			if !bytes.Equal(s.nm(), names[bounds[n-2]:bounds[n-1]]) {
				return s.unsupported("element <%s> closed by </%s>", names[bounds[n-2]:bounds[n-1]], s.nm())
			}
			names = names[:bounds[n-2]]
			bounds = bounds[:n-1]
			if len(bounds) == 1 {
				return nil
			}
		case tokEOF:
			return s.unsupported("unexpected end of XML")
		}
	}
}

// charData reads the character data of the element whose start tag was just
// read, as encoding/xml's Unmarshal into a string does: text and CDATA are
// concatenated, comments dropped and child elements skipped. The decoded
// text is appended to dst.
func (s *scanner) charData(dst []byte) ([]byte, error) {
	if s.selfClose {
		return dst, nil
	}
	// Fast path: plain text directly followed by the end tag, both in the
	// buffer (the usual <v>123</v>).
	if b := s.buf[s.pos:s.end]; len(b) > 0 {
		if i := bytes.IndexByte(b, '<'); i >= 0 {
			n := len(s.nm())
			if e := i + 2 + n; e < len(b) && b[i+1] == '/' && b[e] == '>' && bytes.Equal(b[i+2:e], s.nm()) {
				s.tokOff = s.base + int64(s.pos)
				dst, err := s.appendText(dst, b[:i], false)
				s.pos += e + 1
				return dst, err
			}
		}
	}
	s.cdName = append(s.cdName[:0], s.nm()...)
	for {
		if err := s.next(); err != nil {
			return dst, err
		}
		var err error
		switch s.kind {
		case tokText:
			dst, err = s.appendText(dst, s.txt(), false)
		case tokCDATA:
			dst, err = s.appendCDATA(dst, s.txt())
		case tokComment, tokPI:
		case tokStart:
			err = s.skip()
		case tokEnd:
			if !bytes.Equal(s.nm(), s.cdName) {
				return dst, s.unsupported("element <%s> closed by </%s>", s.cdName, s.nm())
			}
			return dst, nil
		case tokEOF:
			return dst, s.unsupported("unexpected end of XML")
		}
		if err != nil {
			return dst, err
		}
	}
}
