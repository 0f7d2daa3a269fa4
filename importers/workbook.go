package importers

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/xuri/excelize/v2"

	"sitrep/importers/xlsxfast"
)

// sheetInfo describes one sheet of an opened file.
type sheetInfo struct {
	Name   string
	Hidden bool
	part   string // the worksheet part inside the zip, when known
}

// source is an opened spreadsheet: a workbook or a CSV file seen as one sheet.
type source interface {
	sheets() []sheetInfo
	rows(sheet string) (SheetRows, error)
	date1904() bool
	Close() error
}

// xlsxSource is an opened .xlsx/.xlsm. A plain workbook is read with xlsxfast, the byte-level
// reader, which also gives the sheet list, visibility and the 1904 flag; excelize is opened only
// when xlsxfast cannot read a sheet (ErrUnsupported: it then takes over mid-sheet) or cannot
// open the workbook at all, and for encrypted workbooks (excelize decrypts them).
type xlsxSource struct {
	path      string
	format    Format
	password  string
	lim       Limits
	logf      func(format string, args ...any)
	fast      *xlsxfast.Workbook // nil when excelize reads everything
	mu        sync.Mutex         // guards f and ferr, opened lazily on the fast path, and logged
	logged    map[string]bool    // debug messages already given
	f         *excelize.File
	ferr      error
	list      []sheetInfo
	is1904    bool
	encrypted bool
	merged    map[string][]mergeRange // by sheet, scanned once
	lastRow   map[string]int          // by sheet: the last row of its <dimension>, when given
}

// openXLSX opens a workbook with bounded unzip sizes (after prescanZip for plain zips).
// logf, when not nil, is told why the fast reader is not used.
func openXLSX(p string, format Format, opts Options) (*xlsxSource, error) {
	lim := opts.Limits
	if format == FormatEncrypted && opts.Password == "" {
		return nil, fileErr(p, ErrPasswordRequired, "")
	}
	if format == FormatXLSX {
		if err := prescanZip(p, lim); err != nil {
			return nil, err
		}
	}
	s := &xlsxSource{path: p, format: format, password: opts.Password, lim: lim, logf: debugLogger(opts),
		encrypted: format == FormatEncrypted}
	if format == FormatXLSX && !opts.excelizeOnly {
		wb, err := xlsxfast.Open(p, xlsxfast.Options{MaxPartSize: lim.MaxUnzipSize, MaxSharedStringsSize: lim.MaxUnzipSize})
		if err == nil {
			s.fast = wb
			s.is1904 = wb.Date1904()
			for _, name := range wb.Sheets() {
				state, _ := wb.SheetState(name)
				s.list = append(s.list, sheetInfo{Name: name, Hidden: state != "" && state != "visible"})
			}
			if len(s.list) == 0 {
				wb.Close()
				return nil, fileErr(p, ErrEmpty, "the workbook has no sheets")
			}
			return s, nil
		}
		s.debugf("%s: reading the workbook with excelize: %v", filepath.Base(p), err)
	}
	f, err := s.openExcelize()
	if err != nil {
		return nil, err
	}
	s.f = f
	if props, err := f.GetWorkbookProps(); err == nil && props.Date1904 != nil {
		s.is1904 = *props.Date1904
	}
	parts := sheetParts(f)
	for _, name := range f.GetSheetList() {
		vis, _ := f.GetSheetVisible(name)
		s.list = append(s.list, sheetInfo{Name: name, Hidden: !vis, part: parts[name]})
	}
	if len(s.list) == 0 {
		f.Close()
		return nil, fileErr(p, ErrEmpty, "the workbook has no sheets")
	}
	return s, nil
}

// openExcelize opens the workbook with excelize, mapping its errors to the importer's.
func (s *xlsxSource) openExcelize() (*excelize.File, error) {
	opts := excelize.Options{
		UnzipSizeLimit:    s.lim.MaxUnzipSize,
		UnzipXMLSizeLimit: 16 << 20,
		RawCellValue:      true,
	}
	if s.format == FormatEncrypted {
		opts.Password = s.password
	}
	f, err := excelize.OpenFile(s.path, opts)
	if err != nil {
		switch {
		case s.format == FormatEncrypted && (errors.Is(err, excelize.ErrWorkbookPassword) || errors.Is(err, excelize.ErrWorkbookFileFormat) || errors.Is(err, zip.ErrFormat)):
			return nil, fileErr(s.path, ErrWrongPassword, "")
		case strings.Contains(err.Error(), "unzip size"):
			return nil, fileErr(s.path, ErrHostile, "%v", err)
		}
		return nil, fileErr(s.path, ErrCorrupt, "%v", err)
	}
	return f, nil
}

// excel returns the excelize workbook, opening it on first use on the fast path.
func (s *xlsxSource) excel() (*excelize.File, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.f == nil && s.ferr == nil {
		s.f, s.ferr = s.openExcelize()
	}
	return s.f, s.ferr
}

func (s *xlsxSource) debugf(format string, args ...any) {
	if s.logf != nil {
		s.logf(format, args...)
	}
}

// debugLogger returns Options.Debugf, or with SITREP_DEBUG=1 a logger to stderr, or nil.
func debugLogger(opts Options) func(format string, args ...any) {
	if opts.Debugf != nil {
		return opts.Debugf
	}
	if os.Getenv("SITREP_DEBUG") == "1" {
		return func(format string, args ...any) {
			fmt.Fprintf(os.Stderr, "sitrep: debug: "+format+"\n", args...)
		}
	}
	return nil
}

func (s *xlsxSource) sheets() []sheetInfo { return s.list }
func (s *xlsxSource) date1904() bool      { return s.is1904 }

// Close closes the workbook and removes excelize's temporary files.
func (s *xlsxSource) Close() error {
	var err error
	if s.fast != nil {
		err = s.fast.Close()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.f != nil {
		if cerr := s.f.Close(); err == nil {
			err = cerr
		}
	}
	return err
}

func (s *xlsxSource) rows(sheet string) (SheetRows, error) {
	var info sheetInfo
	for _, si := range s.list {
		if si.Name == sheet {
			info = si
		}
	}
	merges, err := s.merges(info)
	if err != nil {
		return nil, err
	}
	slow := func() (xlsxfast.SheetRows, error) {
		f, err := s.excel()
		if err != nil {
			return nil, err
		}
		return newXLSXRows(f, sheet)
	}
	var r SheetRows
	if s.fast != nil {
		fr, err := s.fast.Rows(sheet)
		if err != nil {
			s.debugf("%s: sheet %s: reading it with excelize: %v", filepath.Base(s.path), sheet, err)
			if r, err = slow(); err != nil {
				return nil, err
			}
		} else {
			logf := s.logf
			if logf != nil {
				name := filepath.Base(s.path)
				logf = func(format string, args ...any) {
					// Inspect and Run read a sheet each: say it once per sheet and message.
					msg := fmt.Sprintf("%s: sheet %s: %s", name, sheet, fmt.Sprintf(format, args...))
					s.mu.Lock()
					dup := s.logged[msg]
					if s.logged == nil {
						s.logged = map[string]bool{}
					}
					s.logged[msg] = true
					s.mu.Unlock()
					if !dup {
						s.logf("%s", msg)
					}
				}
			}
			r = xlsxfast.WithFallback(fr, slow, logf)
		}
	} else if r, err = slow(); err != nil {
		return nil, err
	}
	return newMergeFill(r, merges), nil
}

// merges returns fresh copies of the merged ranges of a sheet, scanning the sheet once.
func (s *xlsxSource) merges(info sheetInfo) ([]*mergeRange, error) {
	cached, ok := s.merged[info.Name]
	if !ok {
		found, last, err := s.scanSheetMerges(info)
		if err != nil {
			return nil, err
		}
		if s.lastRow == nil {
			s.lastRow = map[string]int{}
		}
		s.lastRow[info.Name] = last
		for _, m := range found {
			cached = append(cached, *m)
		}
		if s.merged == nil {
			s.merged = map[string][]mergeRange{}
		}
		s.merged[info.Name] = cached
	}
	out := make([]*mergeRange, len(cached))
	for i := range cached {
		m := cached[i]
		out[i] = &m
	}
	return out, nil
}

// scanSheetMerges finds the merged ranges of a sheet by scanning its XML for
// <mergeCell ref="...">, without building the worksheet in memory.
func (s *xlsxSource) scanSheetMerges(info sheetInfo) ([]*mergeRange, int, error) {
	if s.fast != nil {
		rc, err := s.fast.OpenSheetPart(info.Name)
		if err != nil {
			return nil, 0, nil
		}
		defer rc.Close()
		return scanMerges(rc)
	}
	if info.part == "" {
		return nil, 0, nil
	}
	var rd io.Reader
	if v, ok := s.f.Pkg.Load(info.part); ok {
		b, _ := v.([]byte)
		rd = bytes.NewReader(b)
	} else if !s.encrypted {
		zr, err := zip.OpenReader(s.path)
		if err != nil {
			return nil, 0, nil
		}
		defer zr.Close()
		for _, zf := range zr.File {
			if strings.EqualFold(zf.Name, info.part) {
				rc, err := zf.Open()
				if err != nil {
					return nil, 0, nil
				}
				defer rc.Close()
				rd = rc
				break
			}
		}
	}
	if rd == nil {
		return nil, 0, nil
	}
	return scanMerges(rd)
}

// scanMerges reads merged ranges from worksheet XML. It looks for the "mergeCell" element
// name (any namespace prefix) followed by a ref attribute, in large blocks. It also returns
// the last row of the sheet's <dimension> (0 when absent), an estimate of its size.
func scanMerges(rd io.Reader) ([]*mergeRange, int, error) {
	var out []*mergeRange
	var head []byte
	lastRow := -1
	pat := []byte("mergeCell ")
	tmp := make([]byte, 256<<10)
	var buf []byte
	for {
		n, err := rd.Read(tmp)
		buf = append(buf, tmp[:n]...)
		if lastRow < 0 {
			head = append(head, tmp[:min(n, 8192-len(head))]...)
			if len(head) >= 8192 || err != nil || bytes.Contains(head, []byte("<sheetData")) {
				lastRow = dimensionLastRow(head)
			}
		}
		pos, pending := 0, false
		for {
			i := bytes.Index(buf[pos:], pat)
			if i < 0 {
				break
			}
			i += pos
			j := bytes.IndexByte(buf[i:], '>')
			if j < 0 {
				pos, pending = i, true
				break
			}
			if i > 0 && (buf[i-1] == '<' || buf[i-1] == ':') {
				if ref := attr(buf[i:i+j], "ref"); ref != "" {
					if m := parseRange(ref); m != nil {
						out = append(out, m)
					}
				}
			}
			pos = i + j
		}
		// Keep only what may hold the start of a match cut by the block boundary.
		keep := max(pos-1, 0) // with the byte before a pending match (its '<' or ':')
		if !pending {
			keep = max(pos, len(buf)-len(pat)-1, 0)
		}
		buf = append(buf[:0], buf[keep:]...)
		if len(buf) > 1<<20 { // an unterminated element: give up on it
			buf = buf[:0]
		}
		if err != nil {
			break
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].r1 < out[j].r1 })
	if lastRow < 0 {
		lastRow = dimensionLastRow(head)
	}
	return out, lastRow, nil
}

// dimensionLastRow reads the last row of <dimension ref="A1:K100001"> (0 when absent).
func dimensionLastRow(head []byte) int {
	i := bytes.Index(head, []byte("dimension "))
	if i < 0 {
		return 0
	}
	end := bytes.IndexByte(head[i:], '>')
	if end < 0 {
		return 0
	}
	ref := attr(head[i:i+end], "ref")
	if m := parseRange(ref); m != nil {
		return m.r2
	}
	return 0
}

func attr(b []byte, name string) string {
	key := []byte(" " + name + "=\"")
	i := bytes.Index(b, key)
	if i < 0 {
		return ""
	}
	rest := b[i+len(key):]
	j := bytes.IndexByte(rest, '"')
	if j < 0 {
		return ""
	}
	return string(rest[:j])
}

func parseRange(ref string) *mergeRange {
	a, b, ok := strings.Cut(ref, ":")
	if !ok {
		b = a
	}
	c1, r1, err1 := excelize.CellNameToCoordinates(a)
	c2, r2, err2 := excelize.CellNameToCoordinates(b)
	if err1 != nil || err2 != nil {
		return nil
	}
	if c2 < c1 {
		c1, c2 = c2, c1
	}
	if r2 < r1 {
		r1, r2 = r2, r1
	}
	return &mergeRange{c1: c1 - 1, r1: r1, c2: c2 - 1, r2: r2}
}

// sheetParts maps sheet names to their worksheet parts, from the workbook and its
// relationships. It returns an empty map when they cannot be read.
func sheetParts(f *excelize.File) map[string]string {
	out := map[string]string{}
	wbPath := "xl/workbook.xml"
	if rels := loadPart(f, "_rels/.rels"); rels != nil {
		for _, r := range parseRels(rels) {
			if strings.HasSuffix(r.Type, "/officeDocument") {
				wbPath = strings.TrimPrefix(r.Target, "/")
			}
		}
	}
	wb := loadPart(f, wbPath)
	rels := loadPart(f, path.Join(path.Dir(wbPath), "_rels", path.Base(wbPath)+".rels"))
	if wb == nil || rels == nil {
		return out
	}
	targets := map[string]string{}
	for _, r := range parseRels(rels) {
		t := r.Target
		if strings.HasPrefix(t, "/") {
			t = strings.TrimPrefix(t, "/")
		} else {
			t = path.Join(path.Dir(wbPath), t)
		}
		targets[r.ID] = t
	}
	var doc struct {
		Sheets []struct {
			Name string     `xml:"name,attr"`
			Attr []xml.Attr `xml:",any,attr"`
		} `xml:"sheets>sheet"`
	}
	if err := xml.Unmarshal(wb, &doc); err != nil {
		return out
	}
	for _, sh := range doc.Sheets {
		for _, a := range sh.Attr {
			if a.Name.Local == "id" {
				if t, ok := targets[a.Value]; ok {
					out[sh.Name] = t
				}
			}
		}
	}
	return out
}

type rel struct {
	ID     string `xml:"Id,attr"`
	Type   string `xml:"Type,attr"`
	Target string `xml:"Target,attr"`
}

func parseRels(b []byte) []rel {
	var doc struct {
		Rels []rel `xml:"Relationship"`
	}
	if err := xml.Unmarshal(b, &doc); err != nil {
		return nil
	}
	return doc.Rels
}

func loadPart(f *excelize.File, name string) []byte {
	if v, ok := f.Pkg.Load(name); ok {
		if b, ok := v.([]byte); ok {
			return b
		}
	}
	return nil
}

// cellRef names a cell as Excel does ("C12"); col is 0-based.
func cellRef(col, row int) string {
	name, err := excelize.CoordinatesToCellName(col+1, row)
	if err != nil {
		return fmt.Sprintf("R%dC%d", row, col+1)
	}
	return name
}

// colName names a 0-based column as Excel does ("C").
func colName(col int) string {
	name, err := excelize.ColumnNumberToName(col + 1)
	if err != nil {
		return fmt.Sprintf("column %d", col+1)
	}
	return name
}
