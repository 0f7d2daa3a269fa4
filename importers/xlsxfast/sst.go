package xlsxfast

import (
	"bytes"
	"unicode/utf8"
)

const (
	nsMain       = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
	nsMainStrict = "http://purl.oclc.org/ooxml/spreadsheetml/main"
)

// readSST reads a shared-strings part into a table. The text of all items
// is held in one string, so the table costs one allocation for the text and
// one for the headers.
func readSST(sc *scanner) ([]string, error) {
	// Find the root element.
	for {
		if err := sc.next(); err != nil {
			return nil, err
		}
		if ok, err := sc.ignorable(); ok {
			if err != nil {
				return nil, err
			}
			continue
		}
		if sc.kind == tokEOF {
			return nil, nil // empty part: excelize reads an empty table
		}
		if sc.kind != tokStart {
			return nil, sc.unsupported("unexpected end tag </%s>", sc.nm())
		}
		break
	}
	if string(sc.loc()) != "sst" {
		return nil, sc.unsupported("shared strings root is <%s>, not <sst>", sc.nm())
	}
	// The root must be in the SpreadsheetML namespace, as excelize checks.
	prefix := []byte(nil)
	if len(sc.loc()) < len(sc.nm()) {
		prefix = sc.nm()[:len(sc.nm())-len(sc.loc())-1]
	}
	ns := ""
	for i := range sc.attrs {
		a := &sc.attrs[i]
		if prefix == nil && string(sc.aname(a)) == "xmlns" || prefix != nil && len(sc.aname(a)) == 6+len(prefix) &&
			string(sc.aname(a)[:6]) == "xmlns:" && bytes.Equal(sc.aname(a)[6:], prefix) {
			v, err := sc.attrValue(a)
			if err != nil {
				return nil, err
			}
			ns = string(v)
		}
	}
	if ns != nsMain && ns != nsMainStrict {
		return nil, sc.unsupported("shared strings root in namespace %q", ns)
	}
	if sc.selfClose {
		return nil, nil
	}
	root := append([]byte(nil), sc.nm()...)
	var (
		data []byte
		offs = []int{0}
		si   siParser
	)
	for {
		if err := sc.next(); err != nil {
			return nil, err
		}
		if ok, err := sc.ignorable(); ok {
			if err != nil {
				return nil, err
			}
			continue
		}
		switch sc.kind {
		case tokStart:
			if string(sc.loc()) == "si" {
				var err error
				if data, err = si.parse(sc, data, false); err != nil {
					return nil, err
				}
				offs = append(offs, len(data))
				continue
			}
			if err := sc.skip(); err != nil {
				return nil, err
			}
		case tokEnd:
			if !bytes.Equal(sc.nm(), root) {
				return nil, sc.unsupported("element <%s> closed by </%s>", root, sc.nm())
			}
			all := string(data)
			table := make([]string, len(offs)-1)
			for i := range table {
				table[i] = all[offs[i]:offs[i+1]]
			}
			return table, nil
		case tokEOF:
			return nil, sc.unsupported("unexpected end of XML")
		}
	}
}

// siParser decodes a string item (<si> in the shared-strings table, <is> in
// a cell) as excelize's xlsxSI.String does: the text of the last direct <t>,
// then the text of the last <t> of each <r> run, then _xHHHH_ unescaping.
type siParser struct {
	t, run, tmp []byte
	name, rname []byte
}

// parse reads the item whose start tag was just read and appends its value
// to dst. strict (for inline strings in cells) refuses run properties and
// phonetic elements, which excelize decodes into typed fields that can fail.
func (p *siParser) parse(sc *scanner, dst []byte, strict bool) ([]byte, error) {
	if sc.selfClose {
		return dst, nil
	}
	p.name = append(p.name[:0], sc.nm()...)
	p.t = p.t[:0]
	p.run = p.run[:0]
	for {
		if err := sc.next(); err != nil {
			return dst, err
		}
		if ok, err := sc.ignorable(); ok {
			if err != nil {
				return dst, err
			}
			continue
		}
		var err error
		switch sc.kind {
		case tokStart:
			switch string(sc.loc()) {
			case "t":
				p.t, err = sc.charData(p.t[:0])
			case "r":
				err = p.parseRun(sc, strict)
			default:
				if strict {
					return dst, sc.unsupported("element <%s> in an inline string", sc.nm())
				}
				err = sc.skip()
			}
		case tokEnd:
			if !bytes.Equal(sc.nm(), p.name) {
				return dst, sc.unsupported("element <%s> closed by </%s>", p.name, sc.nm())
			}
			p.tmp = append(append(p.tmp[:0], p.t...), p.run...)
			return appendBstr(dst, p.tmp), nil
		case tokEOF:
			return dst, sc.unsupported("unexpected end of XML")
		}
		if err != nil {
			return dst, err
		}
	}
}

// parseRun reads a rich-text run and appends the text of its last <t>.
func (p *siParser) parseRun(sc *scanner, strict bool) error {
	if sc.selfClose {
		return nil
	}
	p.rname = append(p.rname[:0], sc.nm()...)
	start := len(p.run)
	have := false
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
		var err error
		switch sc.kind {
		case tokStart:
			if string(sc.loc()) == "t" {
				p.run, err = sc.charData(p.run[:start])
				have = true
			} else if strict {
				return sc.unsupported("element <%s> in an inline rich-text run", sc.nm())
			} else {
				err = sc.skip()
			}
		case tokEnd:
			if !bytes.Equal(sc.nm(), p.rname) {
				return sc.unsupported("element <%s> closed by </%s>", p.rname, sc.nm())
			}
			if !have {
				p.run = p.run[:start]
			}
			return nil
		case tokEOF:
			return sc.unsupported("unexpected end of XML")
		}
		if err != nil {
			return err
		}
	}
}

func hexVal(c byte) (rune, bool) {
	switch {
	case '0' <= c && c <= '9':
		return rune(c - '0'), true
	case 'a' <= c && c <= 'f':
		return rune(c-'a') + 10, true
	case 'A' <= c && c <= 'F':
		return rune(c-'A') + 10, true
	}
	return 0, false
}

// appendBstr appends s with the OOXML _xHHHH_ escapes decoded, exactly as
// excelize's bstrUnmarshal does: matches are found left to right without
// overlap, and an escape of a UTF-16 surrogate is dropped.
func appendBstr(dst, s []byte) []byte {
	if bytes.Index(s, []byte("_x")) < 0 {
		return append(dst, s...)
	}
	for i := 0; i < len(s); {
		if s[i] == '_' && i+7 <= len(s) && s[i+1] == 'x' && s[i+6] == '_' {
			var r rune
			ok := true
			for _, c := range s[i+2 : i+6] {
				v, isHex := hexVal(c)
				if !isHex {
					ok = false
					break
				}
				r = r<<4 | v
			}
			if ok {
				if utf8.ValidRune(r) {
					dst = utf8.AppendRune(dst, r)
				}
				i += 7
				continue
			}
		}
		dst = append(dst, s[i])
		i++
	}
	return dst
}
