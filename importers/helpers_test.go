package importers

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"sitrep/data"
)

// fakeSink keeps what it is given, in memory, like a batch that is never committed.
type fakeSink struct {
	incidents  []*data.Incident
	statements []*data.Statement
	tallies    []*data.Tally
	aborted    bool
	committed  bool
	failWith   error
}

func (s *fakeSink) PutIncident(r *data.Incident) error {
	if s.failWith != nil {
		return s.failWith
	}
	if err := r.Validate(); err != nil {
		return err
	}
	c := *r // Run reuses r for the next row
	s.incidents = append(s.incidents, &c)
	return nil
}

func (s *fakeSink) PutStatement(r *data.Statement) error {
	if s.failWith != nil {
		return s.failWith
	}
	if err := r.Validate(); err != nil {
		return err
	}
	s.statements = append(s.statements, r)
	return nil
}

func (s *fakeSink) PutTally(r *data.Tally) error {
	if s.failWith != nil {
		return s.failWith
	}
	if err := r.Validate(); err != nil {
		return err
	}
	s.tallies = append(s.tallies, r)
	return nil
}

func (s *fakeSink) Abort() error { s.aborted = true; return nil }

// Commit counts every record as inserted, by sheet, like a commit into an empty store.
func (s *fakeSink) Commit() (data.ImportResult, error) {
	s.committed = true
	res := data.ImportResult{ByKind: map[data.Kind]data.Counts{}, BySheet: map[string]data.Counts{}}
	add := func(k data.Kind, sheet string) {
		c := res.BySheet[sheet]
		c.Inserted++
		res.BySheet[sheet] = c
		kc := res.ByKind[k]
		kc.Inserted++
		res.ByKind[k] = kc
	}
	for _, r := range s.incidents {
		add(data.KindIncident, r.Provenance.Sheet)
	}
	for _, r := range s.statements {
		add(data.KindStatement, r.Provenance.Sheet)
	}
	for _, r := range s.tallies {
		add(data.KindTally, r.Provenance.Sheet)
	}
	return res, nil
}

func (s *fakeSink) incident(t *testing.T, id string) *data.Incident {
	t.Helper()
	for _, r := range s.incidents {
		if r.ID == id {
			return r
		}
	}
	t.Fatalf("no incident %q among %d", id, len(s.incidents))
	return nil
}

// memSettings is an in-memory Settings.
type memSettings map[string][]byte

func (m memSettings) Setting(key string) ([]byte, bool, error) {
	v, ok := m[key]
	return v, ok, nil
}

func (m memSettings) SetSetting(key string, value []byte) error {
	m[key] = append([]byte(nil), value...)
	return nil
}

// sheet is a sheet to generate: a name and rows of cell values (nil leaves a cell empty).
type sheet struct {
	name string
	rows [][]any
}

// writeXLSX generates a workbook in dir; edit may change it before it is saved.
func writeXLSX(t *testing.T, name string, sheets []sheet, edit func(f *excelize.File), saveOpts ...excelize.Options) string {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, sh := range sheets {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", sh.name); err != nil {
				t.Fatal(err)
			}
		} else if _, err := f.NewSheet(sh.name); err != nil {
			t.Fatal(err)
		}
		for r, row := range sh.rows {
			for c, v := range row {
				if v == nil {
					continue
				}
				cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
				if err := f.SetCellValue(sh.name, cell, v); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	if edit != nil {
		edit(f)
	}
	p := filepath.Join(t.TempDir(), name)
	if err := f.SaveAs(p, saveOpts...); err != nil {
		t.Fatal(err)
	}
	return p
}

func writeFile(t *testing.T, name string, b []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// importFile inspects and runs a file into a fake sink. A workbook is imported twice, with the
// fast reader and with excelize alone, and the two imports must agree (see diffImports).
func importFile(t *testing.T, path string, opts Options) (*FileReport, *fakeSink) {
	t.Helper()
	rep, sink := importFileWith(t, path, opts)
	if ext := strings.ToLower(filepath.Ext(path)); (ext == ".xlsx" || ext == ".xlsm") && !opts.excelizeOnly {
		slow := opts
		slow.excelizeOnly = true
		srep, ssink := importFileWith(t, path, slow)
		diffImports(t, filepath.Base(path), rep, sink, srep, ssink)
	}
	return rep, sink
}

func importFileWith(t *testing.T, path string, opts Options) (*FileReport, *fakeSink) {
	t.Helper()
	p, err := Inspect(path, opts)
	if err != nil {
		t.Fatalf("Inspect(%s): %v", filepath.Base(path), err)
	}
	defer p.Close()
	sink := &fakeSink{}
	rep, err := Run(context.Background(), p, sink, nil)
	if err != nil {
		t.Fatalf("Run(%s): %v", filepath.Base(path), err)
	}
	return rep, sink
}

func sheetReport(t *testing.T, rep *FileReport, name string) *SheetReport {
	t.Helper()
	for _, s := range rep.Sheets {
		if s.Name == name {
			return s
		}
	}
	t.Fatalf("no sheet %q in report", name)
	return nil
}

func problemsText(s *SheetReport) string {
	out := ""
	for _, p := range s.Problems {
		out += fmt.Sprintf("row %d %s(%s) %q: %s [%s]\n", p.Row, p.Column, p.Header, p.Value, p.Message, p.Level)
	}
	return out
}
