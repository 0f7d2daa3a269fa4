package app

import (
	"context"
	"fmt"
	"image"
	"io"
	"strings"
	"time"

	"sitrep/charts"
	"sitrep/data"
	"sitrep/importers"
)

// WithCore fills the services opts leaves nil with those of the core packages: the importers
// read and write files, the charts package draws, data keeps the backups. main calls it;
// tests leave services nil (or hand in fakes) to see what the window does without them.
func WithCore(opts Options) Options {
	if opts.Importer == nil {
		opts.Importer = coreImporter{}
	}
	if opts.Charts == nil {
		opts.Charts = coreCharts{}
	}
	if opts.Positions == nil {
		opts.Positions = corePositions{}
	}
	if opts.Export == nil {
		opts.Export = importers.ExportRecords
	}
	if opts.Backups == nil {
		opts.Backups = coreBackups{}
	}
	if opts.LoadDemo == nil {
		opts.LoadDemo = func(ctx context.Context, s Store) error {
			_, err := importers.LoadDemo(ctx, s, vocabularyOf(s))
			return err
		}
	}
	if opts.WriteTemplate == nil {
		opts.WriteTemplate = importers.WriteTemplate
	}
	if opts.OpenStore == nil {
		opts.OpenStore = OpenStore
	}
	return opts
}

// OpenStore opens the store file for the desktop app, waiting at most a second for another
// process to let go of it.
func OpenStore(path string) (Store, error) {
	s, err := data.Open(path, data.Options{Timeout: time.Second})
	if err != nil {
		return nil, err
	}
	return s, nil
}

// vocabularyOf is the store's stance vocabulary, or the default one when it has none (or
// cannot be read).
func vocabularyOf(s interface {
	Vocabulary() (data.Vocabulary, error)
}) data.Vocabulary {
	v, err := s.Vocabulary()
	if err != nil || len(v) == 0 {
		return data.DefaultVocabulary()
	}
	return v
}

// coreBackups are data's automatic backups.
type coreBackups struct{}

// BeforeImport saves the rotating backup made before every import (data.BackupBeforeImport).
func (coreBackups) BeforeImport(s Store) (string, error) { return s.BackupBeforeImport() }

// List lists the store's backups (data.ListBackups).
func (coreBackups) List(storePath string) ([]data.BackupInfo, error) {
	return data.ListBackups(storePath)
}

// Restore puts a backup in place of the store (data.RestoreBackup).
func (coreBackups) Restore(storePath, src string) (string, error) {
	return data.RestoreBackup(storePath, src)
}

// coreCharts draws with charts.Build.
type coreCharts struct{}

// Render draws spec at exactly width x height pixels.
func (coreCharts) Render(ctx context.Context, src charts.Source, spec charts.Spec, width, height int) (image.Image, error) {
	ch, err := charts.Build(src, spec)
	if err != nil {
		return nil, err
	}
	return ch.RenderImage(charts.Pixels(width, height))
}

// Export writes spec in format at size.
func (coreCharts) Export(ctx context.Context, src charts.Source, spec charts.Spec, format charts.Format, size charts.Size, w io.Writer) error {
	ch, err := charts.Build(src, spec)
	if err != nil {
		return err
	}
	return ch.Render(w, format, size)
}

// coreImporter is the Importer of the importers package.
type coreImporter struct{}

var planKinds = []data.Kind{data.KindIncident, data.KindStatement, data.KindTally}

// Inspect reads the file's sheets, header rows, kinds and mappings (remembered ones included).
func (coreImporter) Inspect(ctx context.Context, s Store, path string) (*ImportPlan, error) {
	p, err := importers.Inspect(path, importers.Options{Vocabulary: vocabularyOf(s), Settings: s, PreviewRows: 8})
	if err != nil {
		return nil, err
	}
	out := &ImportPlan{File: path, DateOrder: DateOrderAuto, Fields: map[string][]string{}, Native: p}
	for _, k := range planKinds {
		for _, f := range importers.KnownFields(k) {
			out.Fields[string(k)] = append(out.Fields[string(k)], string(f))
		}
	}
	var notes []string
	for _, sp := range p.Sheets {
		s := SheetPlan{Name: sp.Name, HeaderRow: sp.HeaderRow, Headers: append([]string(nil), sp.Headers...),
			Rows: sp.Preview, Mapping: make([]string, len(sp.Headers))}
		if !sp.Skip && sp.Kind != importers.KindIgnored {
			s.Kind = string(sp.Kind)
		}
		for f, c := range sp.Mapping {
			if c >= 0 && c < len(s.Mapping) {
				s.Mapping[c] = string(f)
			}
		}
		if sp.Note != "" {
			s.Notes = append(s.Notes, sp.Note)
		}
		if sp.Remembered {
			s.Notes = append(s.Notes, "The column mapping is the one you chose last time for this layout.")
		}
		if p.Delimiter != "" || p.Encoding != "" {
			notes = append(notes, fmt.Sprintf("CSV read as %s, %s-separated.", orWord(p.Encoding, "UTF-8"), orWord(p.Delimiter, "comma")))
		}
		out.Sheets = append(out.Sheets, s)
	}
	if p.Date1904 {
		notes = append(notes, "The workbook uses Excel's 1904 date system; its dates are read accordingly.")
	}
	out.DateOrderNote = strings.Join(notes, " ")
	return out, nil
}

func orWord(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// colLetter is the spreadsheet letter of a 0-based column.
func colLetter(c int) string {
	s := ""
	for c++; c > 0; c = (c - 1) / 26 {
		s = string(rune('A'+(c-1)%26)) + s
	}
	return s
}

// apply copies the user's choices (kind, mapping, date order) into the importer's plan.
func apply(in *ImportPlan, p *importers.Plan) error {
	order := importers.DateOrderAuto
	switch in.DateOrder {
	case DateOrderDayFirst:
		order = importers.DateOrderDayFirst
	case DateOrderMonthFirst:
		order = importers.DateOrderMonthFirst
	}
	for i, s := range in.Sheets {
		sp := p.Sheets[i]
		sp.DateOrder = order
		kind := data.Kind(s.Kind)
		if s.Kind == "" {
			kind = importers.KindIgnored
		}
		if kind != sp.Kind || (sp.Skip && kind != importers.KindIgnored) {
			sp.Skip = false
			sp.SetKind(kind)
		}
		if kind == importers.KindIgnored {
			continue
		}
		want := map[string]int{}
		for c, f := range s.Mapping {
			if f != "" {
				want[f] = c
			}
		}
		for _, f := range importers.KnownFields(kind) {
			c, ok := want[string(f)]
			cur, has := sp.Mapping[f]
			if ok == has && (!ok || c == cur) {
				continue
			}
			target := ""
			if ok {
				target = colLetter(c)
			}
			if err := sp.SetMapping(f, target); err != nil {
				return fmt.Errorf("sheet %s, field %s: %w", sp.Name, f, err)
			}
		}
	}
	return nil
}

// Run imports the plan as one all-or-nothing batch and turns the importer's audit into the
// app's.
func (coreImporter) Run(ctx context.Context, s Store, in *ImportPlan, progress func(done, total int)) (*ImportReport, error) {
	p, ok := in.Native.(*importers.Plan)
	if !ok {
		return nil, fmt.Errorf("import plan of %s is missing", in.File)
	}
	defer p.Close()
	if err := apply(in, p); err != nil {
		return nil, err
	}
	rep, err := importers.ImportPlan(ctx, s, p, in.File, importers.SourceFile, func(n int) { progress(n, 0) })
	if err != nil {
		return nil, err
	}
	out := &ImportReport{File: in.File, ImportID: rep.ImportID}
	for _, s := range rep.Sheets {
		out.Inserted += s.Inserted
		out.Updated += s.Updated
		out.Unchanged += s.Unchanged
		out.Rejected += s.Rejected
		line := fmt.Sprintf("Sheet %s: ", orWord(s.Name, "(CSV)"))
		switch {
		case s.Kind == "" || s.Kind == string(importers.KindIgnored):
			line += "not imported"
			if s.Note != "" {
				line += " (" + s.Note + ")"
			}
		default:
			line += fmt.Sprintf("read as %s from header row %d", s.Kind, s.HeaderRow)
			if s.DateOrder != "" {
				line += "; dates " + s.DateOrder
			}
			if s.Duplicates > 0 {
				line += fmt.Sprintf("; %d duplicate row(s) skipped", s.Duplicates)
			}
		}
		out.Notes = append(out.Notes, line)
		rejected := map[int]bool{} // rows left out for an error
		for _, pr := range s.Problems {
			if pr.Level != importers.LevelNote && pr.Row > 0 {
				rejected[pr.Row] = true
			}
		}
		for _, pr := range s.Problems {
			col := pr.Column
			if pr.Header != "" {
				col = strings.TrimSpace(col + " " + pr.Header)
			}
			reason := pr.Message
			switch {
			case pr.Level == importers.LevelNote && rejected[pr.Row]:
				reason = "note: " + reason
			case pr.Level == importers.LevelNote:
				reason = "note: " + reason + " (row imported)"
			case pr.Row > 0:
				reason = "row not imported: " + reason
			}
			out.Problems = append(out.Problems, ImportProblem{Sheet: s.Name, Row: pr.Row, Column: col, Value: pr.Value, Reason: reason})
		}
	}
	out.Notes = append(out.Notes, rep.Warnings...)
	return out, nil
}
