package importers

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"
)

// Sentinel errors for files the importer refuses. Errors returned by Inspect wrap one of them
// (test with errors.Is) and name the file in plain words.
var (
	// ErrLegacyExcel marks a binary Excel 97-2003 workbook (.xls).
	ErrLegacyExcel = errors.New("legacy Excel 97-2003 format; open it in Excel and save it as .xlsx")
	// ErrODS marks an OpenDocument spreadsheet (.ods).
	ErrODS = errors.New("OpenDocument spreadsheet (.ods); open it and save it as .xlsx or .csv")
	// ErrPasswordRequired marks an encrypted workbook opened without a password.
	ErrPasswordRequired = errors.New("is password-protected; pass --password")
	// ErrWrongPassword marks an encrypted workbook whose password was not accepted.
	ErrWrongPassword = errors.New("is password-protected and the password given is wrong")
	// ErrCorrupt marks a truncated or damaged file.
	ErrCorrupt = errors.New("is truncated or corrupt")
	// ErrEmpty marks an empty file, or a workbook with no sheets.
	ErrEmpty = errors.New("is empty")
	// ErrHostile marks a file refused to keep memory and time bounded: zip bombs, XML entity
	// declarations.
	ErrHostile = errors.New("was refused to keep memory and time bounded")
	// ErrUnsupported marks a file that is not a spreadsheet the importer reads.
	ErrUnsupported = errors.New("is not a spreadsheet Sitrep can read (.xlsx, .xlsm, .csv, .tsv)")
)

// FileError is the error of a file that could not be opened or read at all. Its message names
// the file; Unwrap gives the sentinel (ErrLegacyExcel, ErrCorrupt...).
type FileError struct {
	File   string // the file's base name
	Err    error  // a sentinel above, or the underlying error
	Detail string // optional plain-words detail
}

// Error formats "FILE: reason (detail)".
func (e *FileError) Error() string {
	msg := e.Err.Error()
	var sep = ": "
	if strings.HasPrefix(msg, "is ") || strings.HasPrefix(msg, "was ") || strings.HasPrefix(msg, "has ") {
		sep = " "
	}
	s := e.File + sep + msg
	if e.Detail != "" {
		s += " (" + e.Detail + ")"
	}
	return s
}

// Unwrap returns the sentinel.
func (e *FileError) Unwrap() error { return e.Err }

func fileErr(path string, err error, detail string, a ...any) error {
	if len(a) > 0 {
		detail = fmt.Sprintf(detail, a...)
	}
	return &FileError{File: filepath.Base(path), Err: err, Detail: detail}
}

// Format is the kind of file detected from its first bytes.
type Format string

// The formats the importer recognises.
const (
	FormatXLSX      Format = "xlsx"
	FormatEncrypted Format = "encrypted-xlsx"
	FormatCSV       Format = "csv"
)

var (
	magicZip   = []byte("PK\x03\x04")
	magicZipE  = []byte("PK\x05\x06")
	magicOLE   = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}
	encInfoU16 = utf16le("EncryptionInfo")
	encPkgU16  = utf16le("EncryptedPackage")
)

func utf16le(s string) []byte {
	b := make([]byte, 0, 2*len(s))
	for _, r := range s {
		b = append(b, byte(r), 0)
	}
	return b
}

// detect reads the first bytes of path and says what it is, refusing what the importer cannot
// read. Extensions only break ties for text files.
func detect(path string) (Format, error) {
	// Stat before opening: opening a named pipe blocks until a writer comes (and Ctrl-C
	// cannot interrupt it), and pipes and devices report 0 bytes.
	st, err := os.Stat(path)
	if err != nil {
		return "", err
	}
	if st.IsDir() {
		return "", fileErr(path, ErrUnsupported, "it is a folder")
	}
	if !st.Mode().IsRegular() {
		return "", fileErr(path, ErrUnsupported, "it is %s, not a file; save the data to a file and import that", modeName(st.Mode()))
	}
	if st.Size() == 0 {
		return "", fileErr(path, ErrEmpty, "0 bytes")
	}
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	head := make([]byte, 4096)
	n, _ := io.ReadFull(f, head)
	head = head[:n]
	ext := strings.ToLower(filepath.Ext(path))
	switch {
	case bytes.HasPrefix(head, magicOLE):
		enc, err := oleHasEncryption(f)
		if err != nil {
			return "", fileErr(path, ErrCorrupt, "%v", err)
		}
		if enc {
			return FormatEncrypted, nil
		}
		return "", fileErr(path, ErrLegacyExcel, "")
	case bytes.HasPrefix(head, magicZip) || bytes.HasPrefix(head, magicZipE):
		return FormatXLSX, nil
	}
	if textExt(ext) && bytes.IndexByte(head, 0) >= 0 && !bytes.HasPrefix(head, []byte{0xFF, 0xFE}) && !bytes.HasPrefix(head, []byte{0xFE, 0xFF}) {
		// NUL bytes in a text file (a tool's padding, a cut download): read it without them;
		// the audit's encoding says so.
		if clean := bytes.ReplaceAll(head, []byte{0}, nil); looksText(clean) || looksLegacyText(clean) {
			return FormatCSV, nil
		}
	}
	if looksText(head) || (looksLegacyText(head) && textExt(ext)) {
		switch ext {
		case ".xls", ".xlsx", ".xlsm", ".xlsb", ".ods":
			lower := bytes.ToLower(head)
			if bytes.Contains(lower, []byte("<html")) || bytes.Contains(lower, []byte("<table")) {
				return "", fileErr(path, ErrUnsupported, "it is a web page saved with a %s name; open it in Excel and save it as .xlsx", ext)
			}
			if bytes.Contains(lower, []byte("urn:schemas-microsoft-com:office:spreadsheet")) {
				return "", fileErr(path, ErrUnsupported, "it is an Excel 2003 XML spreadsheet; open it in Excel and save it as .xlsx")
			}
			return "", fileErr(path, ErrCorrupt, "it is named %s but holds plain text, not a workbook", ext)
		}
		return FormatCSV, nil
	}
	switch ext {
	case ".xlsx", ".xlsm":
		return "", fileErr(path, ErrCorrupt, "it is not a zip archive, as an .xlsx must be")
	case ".xls":
		return "", fileErr(path, ErrCorrupt, "it is neither an Excel 97-2003 workbook nor an .xlsx")
	}
	return "", fileErr(path, ErrUnsupported, "")
}

// modeName says what kind of non-regular file mode is, in plain words.
func modeName(mode os.FileMode) string {
	switch {
	case mode&os.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case mode&os.ModeSocket != 0:
		return "a socket"
	case mode&os.ModeCharDevice != 0:
		return "a character device"
	case mode&os.ModeDevice != 0:
		return "a device"
	}
	return "a special file"
}

// looksText reports whether b is text: a UTF-16 BOM, or valid UTF-8 without NUL bytes (a
// multi-byte character cut at the end of the sample is allowed).
func looksText(b []byte) bool {
	if bytes.HasPrefix(b, []byte{0xFF, 0xFE}) || bytes.HasPrefix(b, []byte{0xFE, 0xFF}) {
		return true
	}
	if bytes.IndexByte(b, 0) >= 0 {
		return false
	}
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		if r == utf8.RuneError && size <= 1 {
			return len(b) < utf8.UTFMax && !utf8.FullRune(b)
		}
		if r < 0x20 && r != '\t' && r != '\r' && r != '\n' && r != '\f' {
			return false
		}
		b = b[size:]
	}
	return true
}

// looksLegacyText reports whether b could be text in an 8-bit code page such as
// Windows-1252, which Excel on Windows writes for "CSV (Comma delimited)": no NUL bytes and no
// control bytes but tab, CR, LF and form feed.
func looksLegacyText(b []byte) bool {
	for _, c := range b {
		if c < 0x20 && c != '\t' && c != '\r' && c != '\n' && c != '\f' {
			return false
		}
	}
	return len(b) > 0
}

// textExt reports whether ext names a delimited text file.
func textExt(ext string) bool {
	switch ext {
	case ".csv", ".tsv", ".txt":
		return true
	}
	return false
}

// oleHasEncryption reports whether an OLE2 compound file holds the EncryptionInfo and
// EncryptedPackage streams of an encrypted OOXML workbook. It scans the file in chunks for the
// UTF-16 stream names, which appear in the directory sectors.
func oleHasEncryption(f *os.File) (bool, error) {
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return false, err
	}
	buf := make([]byte, 64<<10)
	keep := len(encPkgU16)
	var carry []byte
	foundInfo, foundPkg := false, false
	for {
		n, err := f.Read(buf)
		if n > 0 {
			chunk := append(carry, buf[:n]...)
			foundInfo = foundInfo || bytes.Contains(chunk, encInfoU16)
			foundPkg = foundPkg || bytes.Contains(chunk, encPkgU16)
			if foundInfo && foundPkg {
				return true, nil
			}
			if len(chunk) > keep {
				carry = append(carry[:0], chunk[len(chunk)-keep:]...)
			} else {
				carry = append(carry[:0], chunk...)
			}
		}
		if err == io.EOF {
			return false, nil
		}
		if err != nil {
			return false, err
		}
	}
}

// Limits bound what a workbook may unpack to, so that zip bombs are refused before reading.
type Limits struct {
	// MaxUnzipSize bounds the total unpacked size of the workbook (default 2 GiB; a
	// million-row, 11-column sheet unpacks to about 500 MiB).
	MaxUnzipSize int64
	// MaxPartSize bounds the unpacked size of any part other than a worksheet or the shared
	// strings (default 256 MiB).
	MaxPartSize int64
	// MaxRatio bounds the compression ratio of parts larger than 16 MiB (default 200; real
	// sheets compress about 6 to 12 to 1, a zip bomb about 1000 to 1).
	MaxRatio int64
	// MaxParts bounds the number of parts (default 20000).
	MaxParts int
}

func (l Limits) withDefaults() Limits {
	if l.MaxUnzipSize <= 0 {
		l.MaxUnzipSize = 2 << 30
	}
	if l.MaxPartSize <= 0 {
		l.MaxPartSize = 256 << 20
	}
	if l.MaxRatio <= 0 {
		l.MaxRatio = 200
	}
	if l.MaxParts <= 0 {
		l.MaxParts = 20000
	}
	return l
}

// prescanZip checks a zip-based file before excelize opens it: it must be a complete zip,
// be an OOXML workbook (not an .ods), stay within the limits, and hold no XML document type
// declarations (the vehicle of entity-expansion bombs).
func prescanZip(path string, lim Limits) error {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return fileErr(path, ErrCorrupt, "not a complete zip archive: %v", err)
	}
	defer zr.Close()
	if len(zr.File) > lim.MaxParts {
		return fileErr(path, ErrHostile, "it holds %d parts, more than the limit of %d", len(zr.File), lim.MaxParts)
	}
	var total uint64
	hasWorkbook, hasODFContent, hasBinary := false, false, false
	var xmlParts []*zip.File
	for _, zf := range zr.File {
		name := strings.ToLower(strings.ReplaceAll(zf.Name, "\\", "/"))
		switch name {
		case "mimetype":
			if isODS(zf) {
				return fileErr(path, ErrODS, "")
			}
		case "content.xml":
			hasODFContent = true
		case "xl/workbook.xml":
			hasWorkbook = true
		case "xl/workbook.bin":
			hasBinary = true
		}
		size := zf.UncompressedSize64
		total += size
		if total > uint64(lim.MaxUnzipSize) {
			return fileErr(path, ErrHostile, "it would unpack to more than %s (a zip bomb?)", humanBytes(lim.MaxUnzipSize))
		}
		isSheet := strings.HasPrefix(name, "xl/worksheets/") || name == "xl/sharedstrings.xml"
		if !isSheet && size > uint64(lim.MaxPartSize) {
			return fileErr(path, ErrHostile, "its part %s would unpack to %s (a zip bomb?)", zf.Name, humanBytes(int64(size)))
		}
		if size > 16<<20 && zf.CompressedSize64 > 0 && size/zf.CompressedSize64 > uint64(lim.MaxRatio) {
			return fileErr(path, ErrHostile, "its part %s is compressed %d to 1 (a zip bomb?)", zf.Name, size/zf.CompressedSize64)
		}
		if strings.HasSuffix(name, ".xml") || strings.HasSuffix(name, ".rels") {
			xmlParts = append(xmlParts, zf)
		}
	}
	if !hasWorkbook && hasBinary {
		return fileErr(path, ErrUnsupported, "it is a binary Excel workbook (.xlsb); open it in Excel and save it as .xlsx")
	}
	if !hasWorkbook && hasODFContent {
		return fileErr(path, ErrODS, "")
	}
	if !hasWorkbook {
		return fileErr(path, ErrUnsupported, "a zip archive without an Excel workbook inside")
	}
	for _, zf := range xmlParts {
		if err := checkNoDTD(zf); err != nil {
			return fileErr(path, ErrHostile, "its part %s %v; spreadsheets never need one (an entity bomb?)", zf.Name, err)
		}
	}
	return nil
}

func isODS(zf *zip.File) bool {
	rc, err := zf.Open()
	if err != nil {
		return false
	}
	defer rc.Close()
	b := make([]byte, 128)
	n, _ := io.ReadFull(rc, b)
	return bytes.Contains(b[:n], []byte("opendocument"))
}

// checkNoDTD reads the start of an XML part (up to its root element) and refuses a DOCTYPE or
// ENTITY declaration.
func checkNoDTD(zf *zip.File) error {
	rc, err := zf.Open()
	if err != nil {
		return fmt.Errorf("cannot be unpacked: %v", err)
	}
	defer rc.Close()
	b := make([]byte, 2048)
	n, _ := io.ReadFull(rc, b)
	b = b[:n]
	// Only the prolog matters: stop at the first element that is not a declaration.
	if i := firstElement(b); i >= 0 {
		b = b[:i]
	}
	if bytes.Contains(b, []byte("<!DOCTYPE")) || bytes.Contains(b, []byte("<!ENTITY")) {
		return errors.New("has an XML document type declaration")
	}
	return nil
}

// firstElement returns the offset of the first "<x" that starts an element (not "<?" or "<!").
func firstElement(b []byte) int {
	for i := 0; i+1 < len(b); i++ {
		if b[i] == '<' && b[i+1] != '?' && b[i+1] != '!' {
			return i
		}
	}
	return -1
}

func humanBytes(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}
