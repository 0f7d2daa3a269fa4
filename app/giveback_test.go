package app

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"fyne.io/fyne/v2/test"

	"sitrep/data"
	"sitrep/importers"
)

// failingImporter writes many records into the real store and then fails, as an import on a
// full disk does: the batch is rolled back inside the file, which stays as large as the
// import made it.
type failingImporter struct {
	rows int
	why  error
}

func (f *failingImporter) Inspect(ctx context.Context, _ Store, path string) (*importers.Plan, error) {
	return &importers.Plan{Path: path, File: filepath.Base(path), Sheets: []*importers.SheetPlan{
		{Name: "", Kind: data.KindIncident, HeaderRow: 1, Headers: []string{"id", "date"},
			Preview: [][]string{{"G-1", "2025-03-01"}}, Mapping: importers.Mapping{"id": 0, "date": 1}}}}, nil
}

func (f *failingImporter) Run(ctx context.Context, s Store, plan *importers.Plan, progress func(int, int)) (*importers.FileReport, error) {
	b, err := s.(*data.Store).BeginImport(data.ImportInfo{File: plan.Path, Source: importers.SourceFile})
	if err != nil {
		return nil, err
	}
	for i := range f.rows {
		r := data.Incident{ID: fmt.Sprintf("G-%d", i), Date: data.Day(2025, 3, 1), Notes: strings.Repeat("n", 100)}
		if err := b.PutIncident(&r); err != nil {
			return nil, err
		}
	}
	if err := b.AbortBecause(f.why); err != nil {
		return nil, err
	}
	return nil, f.why
}

// TestGUIFailedImportGivesBackTheSpace (issue 14, session 2): after a failed import the
// desktop app gives the disk space back as the command line does (the store file is back to
// the backup's size), says so, and the Imports screen still lists the import as failed,
// saying why.
func TestGUIFailedImportGivesBackTheSpace(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.db")
	st, err := OpenStore(path)
	if err != nil {
		t.Fatal(err)
	}
	ds := st.(*data.Store)
	b, err := ds.BeginImport(data.ImportInfo{File: "first.csv", Source: "file"})
	if err != nil {
		t.Fatal(err)
	}
	if err := b.PutIncident(&data.Incident{ID: "K-1", Date: data.Day(2025, 1, 1), Theatre: "Caribbean"}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Commit(); err != nil {
		t.Fatal(err)
	}

	a := test.NewTempApp(t)
	w := test.NewWindow(nil)
	defer w.Close()
	dlg := &answerDialogs{}
	why := errors.New("big.csv: row 30001: write: no space left on device")
	opts := WithCore(Options{Store: st, Importer: &failingImporter{rows: 30000, why: why}})
	opts.Dialogs = dlg
	opts.StartScreen = ScreenImports
	var lock sync.Mutex
	opts.uiLock = &lock
	lock.Lock()
	ui := New(a, w, opts)
	lock.Unlock()
	ui.Wait()
	defer func() { ui.Store().Close() }()

	lock.Lock()
	ui.ImportFiles([]string{"/data/big.csv"})
	lock.Unlock()
	ui.Wait()
	lock.Lock()
	test.Tap(ui.opened.preview.importB)
	lock.Unlock()
	ui.Wait()

	dlg.mu.Lock()
	errs := append([]string(nil), dlg.errors...)
	dlg.mu.Unlock()
	if len(errs) != 1 || !strings.Contains(errs[0], "of disk space it took were given back") || !strings.Contains(errs[0], "no space left on device") {
		t.Fatalf("errors = %q; want one saying the space was given back, and why the import failed", errs)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	bi, err := os.Stat(data.BackupPath(path, 1))
	if err != nil {
		t.Fatal(err)
	}
	if fi.Size() != bi.Size() {
		t.Errorf("store file %d bytes after the failed import, want the backup's %d", fi.Size(), bi.Size())
	}
	if err := ds.Check(); err != nil {
		t.Fatal(err)
	}
	lock.Lock()
	entries := append([]data.ImportLog(nil), ui.imports.entries...)
	lock.Unlock()
	if len(entries) != 2 || entries[0].Status != data.StatusFailed || entries[0].Error != why.Error() {
		t.Fatalf("Imports screen lists %+v; want the failed import first, with why", entries)
	}
	if text := logSummary(entries[0]); !strings.Contains(text, "Why it failed: "+why.Error()) {
		t.Errorf("the Imports screen says %q", text)
	}
}
