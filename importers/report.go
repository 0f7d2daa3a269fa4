package importers

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"

	"sitrep/data"
)

// File statuses of a report.
const (
	StatusImported  = "imported"
	StatusUnchanged = "unchanged"
	StatusFailed    = "failed"
)

// Report is the audit of one `sitrep import`: one entry per file. Its JSON is the --json
// output of the CLI.
type Report struct {
	Files []*FileReport `json:"files"`
}

// FileReport is the audit of one file.
type FileReport struct {
	Path   string `json:"path"`
	Status string `json:"status"` // imported | unchanged | failed
	Error  string `json:"error,omitempty"`
	// DryRun says nothing was written.
	DryRun   bool           `json:"dry_run,omitempty"`
	ImportID string         `json:"import_id,omitempty"`
	Sheets   []*SheetReport `json:"sheets"`
	// Encoding is how a CSV's text was decoded, when it was not plain UTF-8.
	Encoding string `json:"encoding,omitempty"`
	// Warnings are things that went wrong around an import that did not stop it.
	Warnings []string `json:"warnings,omitempty"`

	csv bool
}

// SheetReport is the audit of one sheet.
type SheetReport struct {
	Name      string            `json:"name"`
	Kind      string            `json:"kind"`
	HeaderRow int               `json:"header_row"`
	Mapping   map[string]string `json:"mapping"`
	Rows      int               `json:"rows"`
	Inserted  int               `json:"inserted"`
	Updated   int               `json:"updated"`
	Unchanged int               `json:"unchanged"`
	Rejected  int               `json:"rejected"`
	Problems  []Problem         `json:"problems"`
	// Duplicates counts rows skipped because an identical row with the same id came first.
	Duplicates int `json:"duplicates,omitempty"`
	// DateOrder says how numeric dates were read, and why.
	DateOrder string `json:"date_order,omitempty"`
	// Note says why a sheet was skipped or ignored.
	Note   string `json:"note,omitempty"`
	Hidden bool   `json:"hidden,omitempty"`
	// Remembered says the mapping was the one remembered for this header layout.
	Remembered bool `json:"remembered,omitempty"`
	// CasualtyRule says in a sentence how the casualty figures were read: which column is
	// the figure, which are categories, whether they were summed, and how the total compares
	// with them ("killed = Total_Died, the total; Civilians kept as categories ...").
	CasualtyRule string `json:"casualty_rule"`
	// DateRule says where the dates come from (a column, or year, month and day parts).
	DateRule string `json:"date_rule,omitempty"`
	// Ignored lists the headers of the columns mapped to no field (kept in each record's
	// extra columns).
	Ignored []string `json:"ignored"`
	// Reading says what the columns' content decided (see SheetPlan.Reading).
	Reading []string `json:"reading,omitempty"`
	// UnknownCodes names the codebook codes (-9, -8, 999...) read as unknown, per column.
	UnknownCodes []string `json:"unknown_codes,omitempty"`

	rejected int
	written  int
}

// Written is how many records of the sheet were handed to the sink (or would be, in a dry run).
func (s *SheetReport) Written() int { return s.written }

func (s *SheetReport) add(p Problem) {
	s.Problems = append(s.Problems, p)
}

// Rejected sums the rejected rows of all sheets.
func (f *FileReport) Rejected() int {
	n := 0
	for _, s := range f.Sheets {
		n += s.rejected
	}
	return n
}

// Written sums the records handed to the sink.
func (f *FileReport) Written() int {
	n := 0
	for _, s := range f.Sheets {
		n += s.written
	}
	return n
}

func (f *FileReport) fail(err error) {
	f.Status, f.Error, f.ImportID = StatusFailed, err.Error(), ""
	for _, s := range f.Sheets {
		s.Rejected = s.rejected
	}
}

// SetCounts records what the store did with each sheet's records (data.ImportResult.BySheet,
// keyed by sheet name; "" for a CSV file) and sets the status: "unchanged" when records were
// written and none was inserted or updated.
func (f *FileReport) SetCounts(bySheet map[string]data.Counts) {
	changed := false
	for _, s := range f.Sheets {
		s.Rejected = s.rejected
		key := s.Name
		if f.csv {
			key = ""
		}
		c, ok := bySheet[key]
		if ok {
			s.Inserted, s.Updated, s.Unchanged = c.Inserted, c.Updated, c.Unchanged
		}
		if s.Inserted+s.Updated > 0 {
			changed = true
		}
	}
	f.Status = StatusImported
	if !changed && f.Written() > 0 {
		f.Status = StatusUnchanged
	}
}

// setWouldWrite counts, when there is no sink, every record that would be written as inserted.
func (f *FileReport) setWouldWrite() {
	for _, s := range f.Sheets {
		s.Rejected = s.rejected
		s.Inserted = s.written
	}
}

// Failed reports whether any file could not be imported.
func (r *Report) Failed() bool {
	for _, f := range r.Files {
		if f.Status == StatusFailed {
			return true
		}
	}
	return false
}

// WriteJSON writes the report as indented JSON.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// WriteText writes the report for people: per file and sheet the kind, header row, mapping,
// counts and date order, then each problem as
// `FILE: sheet S, row R, column C (Header): value "v": reason`.
func (r *Report) WriteText(w io.Writer) error {
	for _, f := range r.Files {
		if err := f.WriteText(w); err != nil {
			return err
		}
	}
	return nil
}

// WriteText writes one file's audit (see Report.WriteText).
func (f *FileReport) WriteText(w io.Writer) error {
	var b strings.Builder
	name := f.Path
	status := f.Status
	if f.DryRun && f.Status != StatusFailed {
		status += " (dry run: nothing written)"
	}
	if f.ImportID != "" {
		status += ", import " + f.ImportID
	}
	fmt.Fprintf(&b, "%s: %s\n", name, status)
	if f.Error != "" {
		fmt.Fprintf(&b, "  error: %s\n", oneLineText(f.Error))
	}
	if f.Encoding != "" {
		fmt.Fprintf(&b, "  text encoding: %s\n", f.Encoding)
	}
	for _, s := range f.Sheets {
		label := "sheet " + s.Name
		if f.csv {
			label = "rows"
		}
		if s.Kind == string(KindIgnored) || s.Kind == "" {
			note := s.Note
			if note == "" {
				note = "not recognised"
			}
			fmt.Fprintf(&b, "  %s: ignored (%s)\n", label, note)
			continue
		}
		fmt.Fprintf(&b, "  %s: %s, header row %d, %d rows read: %d inserted, %d updated, %d unchanged, %d rejected",
			label, s.Kind, s.HeaderRow, s.Rows, s.Inserted, s.Updated, s.Unchanged, s.Rejected)
		if s.Duplicates > 0 {
			fmt.Fprintf(&b, ", %d duplicates skipped", s.Duplicates)
		}
		b.WriteString("\n")
		fields := make([]string, 0, len(s.Mapping))
		for k := range s.Mapping {
			fields = append(fields, k)
		}
		sort.Strings(fields)
		parts := make([]string, len(fields))
		for i, k := range fields {
			parts[i] = fmt.Sprintf("%s=%q", k, s.Mapping[k])
		}
		remembered := ""
		if s.Remembered {
			remembered = " (remembered from an earlier import of this layout)"
		}
		fmt.Fprintf(&b, "    mapping%s: %s\n", remembered, strings.Join(parts, ", "))
		switch {
		case s.DateRule != "":
			fmt.Fprintf(&b, "    dates: %s\n", s.DateRule)
		case s.DateOrder != "":
			fmt.Fprintf(&b, "    dates: %s\n", s.DateOrder)
		}
		if s.CasualtyRule != "" {
			fmt.Fprintf(&b, "    casualties: %s\n", s.CasualtyRule)
		}
		for _, r := range s.Reading {
			fmt.Fprintf(&b, "    read: %s\n", r)
		}
		for _, u := range s.UnknownCodes {
			fmt.Fprintf(&b, "    unknown: %s\n", u)
		}
		if len(s.Ignored) > 0 {
			fmt.Fprintf(&b, "    ignored (kept as extra columns): %s\n", strings.Join(s.Ignored, ", "))
		}
	}
	for _, s := range f.Sheets {
		for _, p := range s.Problems {
			b.WriteString(f.problemLine(s, p))
			b.WriteByte('\n')
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func (f *FileReport) problemLine(s *SheetReport, p Problem) string {
	var b strings.Builder
	b.WriteString(f.Path)
	b.WriteString(": ")
	if !f.csv {
		b.WriteString("sheet " + s.Name + ", ")
	}
	fmt.Fprintf(&b, "row %d", p.Row)
	if p.Column != "" {
		fmt.Fprintf(&b, ", column %s", p.Column)
		if p.Header != "" {
			fmt.Fprintf(&b, " (%s)", p.Header)
		}
	}
	fmt.Fprintf(&b, ": value %q: ", oneLineText(p.Value))
	if p.Level == LevelNote {
		b.WriteString("note: ")
	}
	b.WriteString(p.Message)
	return b.String()
}
