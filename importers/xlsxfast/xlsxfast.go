// Package xlsxfast is a fast streaming reader for the cell values of .xlsx
// and .xlsm worksheets.
//
// It returns, row by row, exactly the values that excelize v2.11.1 returns
// from f.Rows(sheet) followed by rows.Columns(excelize.Options{RawCellValue:
// true}) for every row that has at least one cell: shared, inline and
// rich-text strings (with _xHHHH_ escapes decoded), the raw <v> text of
// numbers, booleans ("1"/"0"), errors ("#N/A"), dates (t="d", the ISO text)
// and formulas (the cached value; a formula cell without a cached value is
// ""), ragged rows without trailing empty cells, and row numbers as Excel
// shows them, counting rows without an r attribute from the previous one.
//
// The worksheet and shared-strings XML is read by a purpose-built byte-level
// scanner instead of encoding/xml. The scanner accepts a strict subset of
// XML; whenever it meets something outside it (a DOCTYPE, an unknown
// entity, an encoding other than UTF-8, rows out of order, unexpected
// elements, malformed XML) it stops with an error wrapping ErrUnsupported.
// Rows delivered before that error are identical to the first rows excelize
// delivers, so a caller can fall back to excelize for the sheet (skipping
// the rows already consumed, or restarting the sheet) and log the reason.
//
// Styles, number formats and the conversion of serial dates stay with the
// caller (excelize); Workbook.Date1904 exposes the workbook's date system
// and, with Options.CellStyles, Rows.Styles each cell's style index.
//
// Use: any error from Open or Workbook.Rows means "read this file (sheet)
// with excelize"; WithFallback handles an ErrUnsupported in the middle of a
// sheet; Prefetch moves the reading to a second goroutine so that parsing
// and storing overlap it. The worksheet is inflated in a goroutine of its
// own as well (see Options.SerialInflate), and all buffers are bounded, so
// memory stays flat in the row count (the shared-strings table excepted).
//
// The reference is excelize reading a worksheet it has not loaded: if the
// caller has made excelize load the worksheet (GetMergeCells, GetCellStyle,
// SetCellValue...), excelize's f.Rows re-serialises its in-memory model
// instead, which sorts and merges rows, and may differ in odd files.
package xlsxfast

import (
	"archive/zip"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"
	"sync"
)

// ErrUnsupported means the part uses XML or a structure this reader does
// not handle; the caller should read the sheet with excelize instead.
var ErrUnsupported = errors.New("xlsxfast: unsupported workbook content")

// ErrTooLarge means a part or a single XML token exceeds a size limit in
// Options.
var ErrTooLarge = errors.New("xlsxfast: part too large")

// ErrSheetNotFound means the workbook has no worksheet of that name.
var ErrSheetNotFound = errors.New("xlsxfast: sheet not found")

// ErrNotWorkbook means the file is not a zip package with a workbook part.
var ErrNotWorkbook = errors.New("xlsxfast: not an xlsx workbook")

// Options bounds the resources the reader uses. Zero fields take the
// defaults.
type Options struct {
	// MaxPartSize refuses any worksheet part whose uncompressed size is
	// larger (default 4 GiB). Reads are bounded by the declared size too.
	MaxPartSize int64
	// MaxSharedStringsSize refuses a shared-strings part whose uncompressed
	// size is larger (default 1 GiB); the table is held in memory.
	MaxSharedStringsSize int64
	// MaxTokenSize bounds a single XML token held in memory, such as one
	// cell's text (default 64 MiB).
	MaxTokenSize int
	// BufferSize is the initial read buffer size (default 64 KiB).
	BufferSize int
	// SerialInflate decompresses the worksheet in the goroutine that scans
	// it. By default a second goroutine inflates ahead (at most 1 MiB), so
	// that decompression and scanning run on two cores.
	SerialInflate bool
	// CellStyles records each cell's style index for Rows.Styles.
	CellStyles bool
}

func (o Options) withDefaults() Options {
	if o.MaxPartSize <= 0 {
		o.MaxPartSize = 4 << 30
	}
	if o.MaxSharedStringsSize <= 0 {
		o.MaxSharedStringsSize = 1 << 30
	}
	if o.MaxTokenSize <= 0 {
		o.MaxTokenSize = 64 << 20
	}
	if o.BufferSize <= 0 {
		o.BufferSize = 64 << 10
	}
	return o
}

// maxMetaPart bounds the small parts (rels, workbook.xml) parsed with
// encoding/xml.
const maxMetaPart = 64 << 20

// sheetInfo describes one sheet listed in workbook.xml.
type sheetInfo struct {
	name  string
	state string
	part  string // zip path of the worksheet part, "" when missing
}

// Workbook is an open .xlsx/.xlsm package. It is safe to read several
// sheets concurrently.
type Workbook struct {
	path     string
	opts     Options
	zr       *zip.ReadCloser
	files    map[string]*zip.File
	sheets   []sheetInfo
	date1904 bool

	sstOnce sync.Once
	sst     []string
	sstErr  error
}

// Open opens the workbook at path and reads its sheet list. It does not
// read any worksheet yet.
func Open(path string, opts Options) (*Workbook, error) {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrNotWorkbook, path, err)
	}
	wb := &Workbook{path: path, opts: opts.withDefaults(), zr: zr, files: make(map[string]*zip.File, len(zr.File))}
	for _, f := range zr.File {
		wb.files[strings.ReplaceAll(f.Name, "\\", "/")] = f
	}
	if err := wb.readWorkbook(); err != nil {
		zr.Close()
		return nil, err
	}
	return wb, nil
}

// Close releases the file. Rows iterators must be closed first.
func (wb *Workbook) Close() error {
	return wb.zr.Close()
}

// Sheets returns the sheet names in workbook order, hidden sheets included
// (as excelize's GetSheetList does).
func (wb *Workbook) Sheets() []string {
	names := make([]string, len(wb.sheets))
	for i, s := range wb.sheets {
		names[i] = s.name
	}
	return names
}

// SheetState returns the sheet's visibility as written in workbook.xml:
// "" (visible), "hidden" or "veryHidden".
func (wb *Workbook) SheetState(sheet string) (string, error) {
	si, err := wb.sheet(sheet)
	if err != nil {
		return "", err
	}
	return si.state, nil
}

// Date1904 reports whether the workbook uses the 1904 date system.
func (wb *Workbook) Date1904() bool { return wb.date1904 }

func (wb *Workbook) sheet(name string) (*sheetInfo, error) {
	for i := range wb.sheets {
		if strings.EqualFold(wb.sheets[i].name, name) && wb.sheets[i].part != "" {
			return &wb.sheets[i], nil
		}
	}
	return nil, fmt.Errorf("%w: %s: %q", ErrSheetNotFound, wb.path, name)
}

const relTypeOfficeDocument = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"

type xmlRels struct {
	Rels []struct {
		ID     string `xml:"Id,attr"`
		Type   string `xml:"Type,attr"`
		Target string `xml:"Target,attr"`
	} `xml:"Relationship"`
}

type xmlWorkbook struct {
	Pr *struct {
		Date1904 string `xml:"date1904,attr"`
	} `xml:"workbookPr"`
	Sheets struct {
		Sheet []struct {
			Name  string     `xml:"name,attr"`
			State string     `xml:"state,attr"`
			Attrs []xml.Attr `xml:",any,attr"`
		} `xml:"sheet"`
	} `xml:"sheets"`
}

// readMeta unmarshals a small XML part.
func (wb *Workbook) readMeta(name string, v any) error {
	f := wb.files[name]
	if f == nil {
		return fmt.Errorf("%w: %s: missing part %s", ErrNotWorkbook, wb.path, name)
	}
	if f.UncompressedSize64 > maxMetaPart {
		return fmt.Errorf("%w: %s: part %s is %d bytes", ErrTooLarge, wb.path, name, f.UncompressedSize64)
	}
	rc, err := f.Open()
	if err != nil {
		return fmt.Errorf("%s: opening %s: %w", wb.path, name, err)
	}
	defer rc.Close()
	d := xml.NewDecoder(&boundedReader{r: rc, n: maxMetaPart, part: name})
	if err := d.Decode(v); err != nil {
		return fmt.Errorf("%w: %s: reading %s: %w", ErrUnsupported, wb.path, name, err)
	}
	return nil
}

func (wb *Workbook) readWorkbook() error {
	var root xmlRels
	if err := wb.readMeta("_rels/.rels", &root); err != nil {
		return err
	}
	wbPath := ""
	for _, r := range root.Rels {
		if r.Type == relTypeOfficeDocument {
			wbPath = strings.TrimPrefix(r.Target, "/")
			break
		}
	}
	if wbPath == "" {
		return fmt.Errorf("%w: %s: no officeDocument relationship", ErrNotWorkbook, wb.path)
	}
	var w xmlWorkbook
	if err := wb.readMeta(wbPath, &w); err != nil {
		return err
	}
	if w.Pr != nil {
		wb.date1904, _ = strconv.ParseBool(strings.TrimSpace(w.Pr.Date1904))
	}
	relsPath := path.Dir(wbPath) + "/_rels/" + path.Base(wbPath) + ".rels"
	if path.Dir(wbPath) == "." {
		relsPath = "_rels/" + path.Base(wbPath) + ".rels"
	}
	var rels xmlRels
	if _, ok := wb.files[relsPath]; ok {
		if err := wb.readMeta(relsPath, &rels); err != nil {
			return err
		}
	}
	for _, s := range w.Sheets.Sheet {
		si := sheetInfo{name: s.Name, state: s.State}
		id := ""
		for _, a := range s.Attrs {
			if a.Name.Local == "id" {
				id = a.Value
			}
		}
		for _, r := range rels.Rels {
			if r.ID == id {
				p := path.Clean(path.Dir(wbPath) + "/" + r.Target)
				if strings.HasPrefix(r.Target, "/") {
					p = path.Clean(r.Target)
				}
				p = strings.TrimPrefix(p, "/")
				if _, ok := wb.files[p]; ok {
					si.part = p
				}
			}
		}
		wb.sheets = append(wb.sheets, si)
	}
	return nil
}

// openPart opens a zip part for streaming, refusing parts larger than limit
// and bounding the bytes read to the declared size.
func (wb *Workbook) openPart(f *zip.File, limit int64) (io.ReadCloser, error) {
	if f.UncompressedSize64 > uint64(limit) {
		return nil, fmt.Errorf("%w: %s: part %s is %d bytes uncompressed (limit %d)", ErrTooLarge, wb.path, f.Name, f.UncompressedSize64, limit)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("%s: opening %s: %w", wb.path, f.Name, err)
	}
	return &boundedReader{r: rc, c: rc, n: int64(f.UncompressedSize64), part: f.Name}, nil
}

// sharedStrings loads the shared-strings table once. Like excelize it reads
// xl/sharedStrings.xml (any letter case), whatever the relationships say.
func (wb *Workbook) sharedStrings() ([]string, error) {
	wb.sstOnce.Do(func() {
		var f *zip.File
		for name, zf := range wb.files {
			if strings.EqualFold(name, "xl/sharedStrings.xml") {
				f = zf
			}
		}
		if f == nil {
			return
		}
		rc, err := wb.openPart(f, wb.opts.MaxSharedStringsSize)
		if err != nil {
			wb.sstErr = err
			return
		}
		defer rc.Close()
		sc := newScanner(rc, f.Name, wb.opts.BufferSize, wb.opts.MaxTokenSize)
		wb.sst, wb.sstErr = readSST(sc)
		if wb.sstErr != nil {
			wb.sstErr = fmt.Errorf("%s: %w", wb.path, wb.sstErr)
		}
	})
	return wb.sst, wb.sstErr
}

// boundedReader fails when more than n bytes arrive (a zip entry whose
// declared size lies).
type boundedReader struct {
	r    io.Reader
	c    io.Closer
	n    int64
	part string
}

func (b *boundedReader) Read(p []byte) (int, error) {
	if b.n < 0 {
		return 0, fmt.Errorf("%w: %s is larger than its declared size", ErrTooLarge, b.part)
	}
	if int64(len(p)) > b.n+1 {
		p = p[:b.n+1]
	}
	n, err := b.r.Read(p)
	b.n -= int64(n)
	if b.n < 0 {
		return n, fmt.Errorf("%w: %s is larger than its declared size", ErrTooLarge, b.part)
	}
	return n, err
}

func (b *boundedReader) Close() error {
	if b.c != nil {
		return b.c.Close()
	}
	return nil
}

// OpenSheetPart returns the uncompressed worksheet XML of sheet (matched as
// Rows matches it), bounded by Options.MaxPartSize, for callers that scan
// parts of the worksheet this reader does not return (merged ranges, the
// dimension). The caller closes it.
func (wb *Workbook) OpenSheetPart(sheet string) (io.ReadCloser, error) {
	si, err := wb.sheet(sheet)
	if err != nil {
		return nil, err
	}
	return wb.openPart(wb.files[si.part], wb.opts.MaxPartSize)
}
