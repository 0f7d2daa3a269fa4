package main

import (
	"context"
	"errors"
	"fmt"
	"image"
	"io"
	"runtime"
	"strings"
	"time"

	"sitrep/app"
	"sitrep/charts"
	"sitrep/data"
	"sitrep/importers"
	"sitrep/internal/cli"
)

func init() {
	app.ErrorTexts[data.ErrLocked] = "this store is open in another Sitrep window; close that window (or pick another store) and try again"
	app.ErrorTexts[data.ErrSchemaTooNew] = "this store was written by a newer version of Sitrep; update Sitrep to open it"
	app.ErrorTexts[data.ErrCorrupt] = "this file is not a Sitrep store, or it is damaged; it was left untouched"
	app.ErrorTexts[data.ErrNotFound] = "the record no longer exists (it may have been deleted, or its import undone)"
	app.ErrorTexts[data.ErrBusy] = "an import is still running; wait for it to finish"
}

// guiStore adapts *data.Store to app.Store (the import log in the app's own terms).
type guiStore struct {
	*data.Store
}

// Imports lists the import log for the Imports screen, summing the counts over kinds.
func (s guiStore) Imports() ([]app.ImportEntry, error) {
	logs, err := s.Store.Imports()
	if err != nil {
		return nil, err
	}
	out := make([]app.ImportEntry, 0, len(logs))
	for _, l := range logs {
		e := app.ImportEntry{ID: l.ID, File: l.File, Source: l.Source, Started: l.Started, Finished: l.Finished, Status: l.Status}
		for _, c := range l.Result.ByKind {
			e.Inserted += c.Inserted
			e.Updated += c.Updated
			e.Unchanged += c.Unchanged
		}
		out = append(out, e)
	}
	return out, nil
}

// openGUIStore opens the store file for the desktop app, waiting at most a second for another
// process to let go of it.
func openGUIStore(path string) (app.Store, error) {
	s, err := data.Open(path, data.Options{Timeout: time.Second})
	if err != nil {
		return nil, err
	}
	return guiStore{s}, nil
}

// startErrorText says in plain words why the app could not start on path.
func startErrorText(path string, err error) string {
	switch {
	case errors.Is(err, data.ErrLocked):
		return fmt.Sprintf("This store is open in another Sitrep window:\n%s\n\n"+
			"Switch to that window, or close it and start Sitrep again. "+
			"To work on another store, start Sitrep with %s.", path, otherStoreHint("other.db"))
	case errors.Is(err, data.ErrStoreGone):
		return fmt.Sprintf("The store file is missing or empty, but backups of it lie beside it:\n%s\n\n"+
			"Restore one with: sitrep restore --db %s 1\nor start a new store anyway with: sitrep demo --new --db %s",
			path, cli.QuoteArg(path), cli.QuoteArg(path))
	case errors.Is(err, data.ErrSchemaTooNew):
		return fmt.Sprintf("This store was written by a newer version of Sitrep:\n%s\n\nUpdate Sitrep to open it. The file was not changed.", path)
	case errors.Is(err, data.ErrCorrupt):
		return fmt.Sprintf("This file is not a Sitrep store, or it is damaged:\n%s\n\nIt was left untouched. "+
			"Start Sitrep with %s to use another file, or check it with: sitrep check --db %s", path, otherStoreHint("another.db"), cli.QuoteArg(path))
	}
	return fmt.Sprintf("Sitrep could not open its data file\n%s\n\n%v", path, err)
}

// otherStoreHint is how to start Sitrep on another store, in the words and path style of the
// user's system: --db and a path ("C:\Users\you\Documents\other.db" on Windows).
func otherStoreHint(name string) string {
	if runtime.GOOS == "windows" {
		return `--db "C:\Users\you\Documents\` + name + `"`
	}
	return "--db /path/to/" + name
}

// dataStore unwraps the store the app hands back.
func dataStore(s app.Store) (*data.Store, error) {
	if gs, ok := s.(guiStore); ok {
		return gs.Store, nil
	}
	return nil, fmt.Errorf("not a Sitrep store")
}

func vocabularyOf(s *data.Store) data.Vocabulary {
	v, err := s.Vocabulary()
	if err != nil || len(v) == 0 {
		return data.DefaultVocabulary()
	}
	return v
}

// addServices plugs the importers and charts into opts. They reach the store the window
// currently shows through opts.Store's successor, so they are given a function to it.
func addServices(opts *app.Options) {
	cur := func() (*data.Store, error) { return dataStore(opts.Store) }
	var ui *app.UI
	current := func() (*data.Store, error) {
		if ui != nil {
			return dataStore(ui.Store())
		}
		return cur()
	}
	opts.LoadDemo = func(ctx context.Context, s app.Store) error {
		ds, err := dataStore(s)
		if err != nil {
			return err
		}
		_, err = importers.LoadDemo(ctx, ds, vocabularyOf(ds))
		return err
	}
	opts.WriteTemplate = func(w io.Writer) error {
		ds, err := current()
		if err != nil {
			return err
		}
		return importers.WriteTemplate(w, vocabularyOf(ds))
	}
	opts.Importer = &guiImporter{store: current}
	opts.Backups = guiBackups{}
	opts.Charts = &guiCharts{store: current}
	opts.Positions = currentPositions{store: current}
	opts.Export = guiExporter{store: current}
	opts.Bind = func(u *app.UI) { ui = u }
}

// guiBackups adapts data's automatic backups to app.Backups.
type guiBackups struct{}

// BeforeImport saves the rotating backup made before every import (data.BackupBeforeImport).
func (guiBackups) BeforeImport(s app.Store) (string, error) {
	ds, err := dataStore(s)
	if err != nil {
		return "", err
	}
	return data.BackupBeforeImport(ds)
}

// List lists the store's backups (data.ListBackups).
func (guiBackups) List(storePath string) ([]data.BackupInfo, error) {
	return data.ListBackups(storePath)
}

// Restore puts a backup in place of the store (data.RestoreBackup).
func (guiBackups) Restore(storePath, src string) (string, error) {
	return data.RestoreBackup(storePath, src)
}

// guiImporter adapts the importers package to app.Importer.
type guiImporter struct {
	store func() (*data.Store, error)
}

var appKinds = []data.Kind{data.KindIncident, data.KindStatement, data.KindTally}

// Inspect reads the file's sheets, header rows, kinds and mappings (remembered ones included).
func (g *guiImporter) Inspect(ctx context.Context, path string) (*app.ImportPlan, error) {
	ds, err := g.store()
	if err != nil {
		return nil, err
	}
	p, err := importers.Inspect(path, importers.Options{Vocabulary: vocabularyOf(ds), Settings: ds, PreviewRows: 8})
	if err != nil {
		return nil, err
	}
	out := &app.ImportPlan{File: path, DateOrder: app.DateOrderAuto, Fields: map[string][]string{}, Native: p}
	for _, k := range appKinds {
		for _, f := range importers.KnownFields(k) {
			out.Fields[string(k)] = append(out.Fields[string(k)], string(f))
		}
	}
	var notes []string
	for _, sp := range p.Sheets {
		s := app.SheetPlan{Name: sp.Name, HeaderRow: sp.HeaderRow, Headers: append([]string(nil), sp.Headers...),
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
func apply(in *app.ImportPlan, p *importers.Plan) error {
	order := importers.DateOrderAuto
	switch in.DateOrder {
	case app.DateOrderDayFirst:
		order = importers.DateOrderDayFirst
	case app.DateOrderMonthFirst:
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
func (g *guiImporter) Run(ctx context.Context, in *app.ImportPlan, progress func(done, total int)) (*app.ImportReport, error) {
	p, ok := in.Native.(*importers.Plan)
	if !ok {
		return nil, fmt.Errorf("import plan of %s is missing", in.File)
	}
	defer p.Close()
	ds, err := g.store()
	if err != nil {
		return nil, err
	}
	if err := apply(in, p); err != nil {
		return nil, err
	}
	rep, err := importers.ImportPlan(ctx, ds, p, in.File, importers.SourceFile, func(n int) { progress(n, 0) })
	if err != nil {
		return nil, err
	}
	out := &app.ImportReport{File: in.File, ImportID: rep.ImportID}
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
			out.Problems = append(out.Problems, app.ImportProblem{Sheet: s.Name, Row: pr.Row, Column: col, Value: pr.Value, Reason: reason})
		}
	}
	out.Notes = append(out.Notes, rep.Warnings...)
	return out, nil
}

// guiCharts adapts the charts package to app.ChartRenderer.
type guiCharts struct {
	store func() (*data.Store, error)
}

func (g *guiCharts) Kinds() []app.ChartKind {
	var out []app.ChartKind
	for _, k := range charts.Kinds {
		out = append(out, app.ChartKind{ID: string(k), Name: k.Title()})
	}
	return out
}

func (g *guiCharts) build(req app.ChartRequest) (*charts.Chart, error) {
	ds, err := g.store()
	if err != nil {
		return nil, err
	}
	f := req.Filter
	if !req.AsOf.IsZero() && (f.To.IsZero() || req.AsOf.Compare(f.To) < 0) {
		f.To = req.AsOf
	}
	spec := charts.Spec{Kind: charts.Kind(req.Kind), Period: req.Period, Filter: f, Count: charts.CountRule(req.Rule),
		Annotate: req.Annotations}
	if req.Dark {
		spec.Theme = "dark"
	}
	return charts.Build(ds, spec)
}

func (g *guiCharts) Render(ctx context.Context, req app.ChartRequest, w, h int) (image.Image, error) {
	ch, err := g.build(req)
	if err != nil {
		return nil, err
	}
	return ch.RenderImage(charts.Pixels(w, h))
}

func (g *guiCharts) Export(ctx context.Context, req app.ChartRequest, format string, w, h int, dpi float64, out io.Writer) error {
	req.Dark = false
	ch, err := g.build(req)
	if err != nil {
		return err
	}
	return ch.Render(out, charts.Format(format), charts.Size{Width: w, Height: h, DPI: int(dpi)})
}

// currentPositions is positionsExporter over the store the window currently shows.
type currentPositions struct {
	store func() (*data.Store, error)
}

func (c currentPositions) exporter() (positionsExporter, error) {
	ds, err := c.store()
	return positionsExporter{src: ds}, err
}

func (c currentPositions) PNG(ctx context.Context, opts data.MatrixOptions, width, height int, w io.Writer) error {
	p, err := c.exporter()
	if err != nil {
		return err
	}
	return p.PNG(ctx, opts, width, height, w)
}

func (c currentPositions) XLSX(ctx context.Context, opts data.MatrixOptions, w io.Writer) error {
	p, err := c.exporter()
	if err != nil {
		return err
	}
	return p.XLSX(ctx, opts, w)
}

func (c currentPositions) StanceChart(ctx context.Context, actors []string, topic string, asOf data.Date, width, height int) (image.Image, error) {
	p, err := c.exporter()
	if err != nil {
		return nil, err
	}
	return p.StanceChart(ctx, actors, topic, asOf, width, height)
}

// guiExporter adapts importers.ExportRecords (what `sitrep export` writes) to
// app.DataExporter, over the store the window currently shows.
type guiExporter struct {
	store func() (*data.Store, error)
}

// Export writes the records of kinds that f selects as an xlsx workbook (one sheet per kind) or
// a CSV file (one kind).
func (g guiExporter) Export(ctx context.Context, format string, kinds []data.Kind, f data.Filter, w io.Writer) (map[data.Kind]int, error) {
	ds, err := g.store()
	if err != nil {
		return nil, err
	}
	return importers.ExportRecords(ctx, ds, format, kinds, f, w)
}
