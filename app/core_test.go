package app

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image/png"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"github.com/xuri/excelize/v2"

	"sitrep/assets"
	"sitrep/charts"
	"sitrep/data"
	"sitrep/importers"
)

func TestDemoLoadsOnceAsDemo(t *testing.T) {
	path := os.Getenv("SITREP_WRITE_DEMO_STORE") // lets a developer keep the store for screenshots
	if path == "" {
		path = filepath.Join(t.TempDir(), "demo.db")
	}
	st, err := OpenStore(path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	s := st.(*data.Store)
	opts := WithCore(Options{})
	if err := opts.LoadDemo(context.Background(), st); err != nil {
		t.Fatal(err)
	}
	stats, err := s.Stats(data.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if stats.Incidents != 17 || stats.KilledMin != 79 || stats.KilledMax != 79 || stats.Statements != 8 || stats.Tallies != 4 {
		t.Fatalf("demo totals = %+v", stats.Totals)
	}
	if demo, _ := s.HasDemoData(); !demo {
		t.Fatal("HasDemoData false after loading the demo")
	}
	logs, err := st.Imports()
	if err != nil || len(logs) == 0 {
		t.Fatalf("import log = %+v, %v", logs, err)
	}
	first := len(logs)
	inserted := 0
	for _, l := range logs {
		if l.Source != "demo" {
			t.Fatalf("import %s has source %q", l.ID, l.Source)
		}
		inserted += l.Result.Total().Inserted
	}
	if inserted != 29 {
		t.Fatalf("demo inserted %d records, want 29", inserted)
	}
	// Loading it again changes nothing.
	if err := opts.LoadDemo(context.Background(), st); err != nil {
		t.Fatal(err)
	}
	logs, _ = st.Imports()
	for _, l := range logs[:len(logs)-first] { // newest first: the second load's imports
		if c := l.Result.Total(); c.Inserted != 0 || c.Updated != 0 {
			t.Fatalf("second load = %+v", l)
		}
	}
}

func TestSecondWindowReportsLocked(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.db")
	st, err := OpenStore(path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	_, err = OpenStore(path)
	if !errors.Is(err, data.ErrLocked) {
		t.Fatalf("second open: %v", err)
	}
	if txt := startErrorText(path, err); !strings.Contains(txt, "open in another Sitrep window") {
		t.Fatalf("text = %q", txt)
	}
}

// TestWriteBigStore fills the store named by SITREP_WRITE_BIG_STORE with a million synthetic
// incidents (for measuring the GUI's startup and scrolling); it is skipped otherwise.
func TestWriteBigStore(t *testing.T) {
	path := os.Getenv("SITREP_WRITE_BIG_STORE")
	if path == "" {
		t.Skip("set SITREP_WRITE_BIG_STORE=/path/to/big.db to write the million-incident store")
	}
	st, err := OpenStore(path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	s := st.(*data.Store)
	b, err := s.BeginImport(data.ImportInfo{File: "synthetic-1M.csv", Source: "file"})
	if err != nil {
		t.Fatal(err)
	}
	theatres := []string{"Caribbean", "Eastern Pacific", "Gulf of Mexico", "Atlantic"}
	confs := data.Confidences
	start := data.Day(2015, 1, 1).DayNumber()
	for i := 0; i < 1_000_000; i++ {
		d := data.DateFromDayNumber(start + i/250)
		r := &data.Incident{ID: fmt.Sprintf("S-%07d", i), Date: d, Theatre: theatres[i%4],
			Location: fmt.Sprintf("Grid square %d", i%5000), Actor: "United States", Target: "Boat",
			Vessels: data.Exactly(1 + i%3), Killed: data.Between(i%7, i%7+i%3), Survivors: data.Exactly(i % 2),
			Confidence: confs[i%3], AnnouncedBy: "Synthetic", Source: "generated for the startup measurement",
			Provenance: data.Provenance{File: "synthetic-1M.csv", Row: i + 2}}
		if err := b.PutIncident(r); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := b.Commit(); err != nil {
		t.Fatal(err)
	}
}

// TestGUIImporterAppliesChangedMapping drives the import adapter as the preview does: inspect
// a generated workbook, remap a column the importer did not recognise, choose month-first
// dates, import, and check the store and the audit.
func TestGUIImporterAppliesChangedMapping(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "partner.xlsx")
	f := excelize.NewFile()
	f.SetSheetName("Sheet1", "Strikes")
	rows := [][]any{
		{"id", "date", "theatre", "Toll (people)", "notes"},
		{"P-1", "03/04/2025", "Caribbean", "3", "first"},
		{"P-2", "05/06/2025", "Eastern Pacific", "2-4", "second"},
		{"P-3", "not a date", "Caribbean", "1", "bad row"},
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Strikes", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	st, opts := coreStore(t, filepath.Join(dir, "s.db"))
	plan, err := opts.Importer.Inspect(context.Background(), st, path)
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.Sheets) != 1 || plan.Sheets[0].Kind != "incidents" {
		t.Fatalf("sheets = %+v", plan.Sheets)
	}
	sp := plan.Sheets[0]
	if _, ok := sp.Mapping["killed"]; ok {
		t.Fatalf("Toll (people) mapped to killed before the user chose: %v", sp.Mapping)
	}
	if len(sp.Preview) != 3 || sp.Preview[0][0] != "P-1" {
		t.Fatalf("preview rows = %v", sp.Preview)
	}
	// The preview's widgets: the user maps the Toll column to killed, dates month first.
	var se *sheetEditor
	test.NewTempApp(t)
	se = newSheetEditor(sp, plan.Date1904)
	if got := se.mapping[3].Selected; got != ignoreColumn {
		t.Fatalf("Toll (people) shown as %q", got)
	}
	se.mapping[3].SetSelected("Killed")
	if err := se.apply(importers.DateOrderMonthFirst); err != nil {
		t.Fatal(err)
	}
	var progressed bool
	fr, err := opts.Importer.Run(context.Background(), st, plan, func(done, total int) { progressed = progressed || done > 0 })
	if err != nil {
		t.Fatal(err)
	}
	rep := newAudit(fr, "")
	if rep.inserted != 2 || rep.rejected != 1 {
		t.Fatalf("report: %+v", rep)
	}
	if len(rep.problems) == 0 || rep.problems[0].row != 4 || rep.problems[0].sheet != "Strikes" {
		t.Fatalf("problems: %+v", rep.problems)
	}
	// The audit says in words that the row with an error was left out.
	if r := rep.problems[0].why; !strings.HasPrefix(r, "row not imported: ") {
		t.Fatalf("reason of the rejected row = %q", r)
	}
	if !strings.Contains(strings.Join(rep.notes, "\n"), "month-first") {
		t.Fatalf("notes do not say how dates were read: %v", rep.notes)
	}
	ds := st.(*data.Store)
	r, err := ds.Incident("P-2")
	if err != nil {
		t.Fatal(err)
	}
	if r.Killed != data.Between(2, 4) || r.Date != data.Day(2025, 5, 6) {
		t.Fatalf("P-2 = killed %v, date %v", r.Killed, r.Date)
	}
}

// TestWriteScreenshotStore writes, to SITREP_WRITE_SCREENSHOT_STORE, the demo data plus a
// re-import of the incidents in which one toll was revised (3 to 11), as in the users'
// journeys: the store the documentation's screenshots show. Skipped otherwise.
func TestWriteScreenshotStore(t *testing.T) {
	path := os.Getenv("SITREP_WRITE_SCREENSHOT_STORE")
	if path == "" {
		t.Skip("set SITREP_WRITE_SCREENSHOT_STORE=/path/to/shots.db to write the screenshot store")
	}
	st, opts := coreDemoStore(t, path)
	b, err := fs.ReadFile(assets.Demo(), "incidents.csv")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(b), "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, "US-2025-02,") {
			lines[i] = strings.Replace(l, ",3,3,", ",11,11,", 1)
		}
	}
	upd := filepath.Join(t.TempDir(), "strikes-december.csv")
	if err := os.WriteFile(upd, []byte(strings.Join(lines, "\n")), 0o600); err != nil {
		t.Fatal(err)
	}
	plan, err := opts.Importer.Inspect(context.Background(), st, upd)
	if err != nil {
		t.Fatal(err)
	}
	fr, err := opts.Importer.Run(context.Background(), st, plan, func(int, int) {})
	if err != nil {
		t.Fatal(err)
	}
	if rep := newAudit(fr, ""); rep.updated != 1 {
		t.Fatalf("re-import: %+v", rep)
	}
}

// TestChartsAdapterRendersAndExports draws the demo's strikes chart at a preview size and
// exports it as a PNG of the asked size.
func TestChartsAdapterRendersAndExports(t *testing.T) {
	st, opts := coreDemoStore(t, filepath.Join(t.TempDir(), "s.db"))
	spec := charts.Spec{Kind: charts.KindDeaths, Period: data.PeriodWeek, Count: charts.CountRange, Annotate: true}
	img, err := opts.Charts.Render(context.Background(), st, spec, 640, 360)
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != 640 || b.Dy() != 360 {
		t.Fatalf("preview is %v", b)
	}
	var buf bytes.Buffer
	if err := opts.Charts.Export(context.Background(), st, spec, charts.FormatPNG, charts.Size{Width: 1920, Height: 1080, DPI: 144}, &buf); err != nil {
		t.Fatal(err)
	}
	cfg, err := png.DecodeConfig(&buf)
	if err != nil || cfg.Width != 1920 || cfg.Height != 1080 {
		t.Fatalf("export: %+v, %v", cfg, err)
	}
}

// TestGUIExporterWritesWorkbookAndCSV: File > Export data… writes, through the same exporters
// as `sitrep export`, a workbook with a sheet per kind and a CSV of one kind, filtered.
func TestGUIExporterWritesWorkbookAndCSV(t *testing.T) {
	st, opts := coreDemoStore(t, filepath.Join(t.TempDir(), "demo.db"))
	ds := st.(*data.Store)
	all, err := ds.Stats(data.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	f := data.Filter{Theatres: []string{"Caribbean"}}
	want, err := ds.Stats(f)
	if err != nil {
		t.Fatal(err)
	}
	if want.Incidents == 0 || want.Incidents == all.Incidents {
		t.Fatalf("the filter should select some incidents: %d of %d", want.Incidents, all.Incidents)
	}
	var buf bytes.Buffer
	kinds := []data.Kind{data.KindIncident, data.KindStatement, data.KindTally}
	counts, err := opts.Export(context.Background(), st, "xlsx", kinds, f, &buf)
	if err != nil {
		t.Fatal(err)
	}
	if counts[data.KindIncident] != want.Incidents || counts[data.KindStatement] != want.Statements || counts[data.KindTally] != want.Tallies {
		t.Fatalf("counts %v, want %+v", counts, want.Totals)
	}
	wb, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer wb.Close()
	for _, k := range kinds {
		rows, err := wb.GetRows(exportSheetName(t, wb, k))
		if err != nil {
			t.Fatal(err)
		}
		if len(rows)-1 != counts[k] {
			t.Errorf("sheet of %s has %d data rows, want %d", k, len(rows)-1, counts[k])
		}
	}
	buf.Reset()
	counts, err = opts.Export(context.Background(), st, "csv", []data.Kind{data.KindIncident}, f, &buf)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines)-1 != want.Incidents || counts[data.KindIncident] != want.Incidents || strings.Contains(buf.String(), "Eastern Pacific") {
		t.Fatalf("csv (%v):\n%s", counts, buf.String())
	}
	if _, err := opts.Export(context.Background(), st, "csv", kinds, f, &buf); err == nil {
		t.Fatal("a CSV of three kinds did not fail")
	}
}

// exportSheetName finds the sheet of kind k in an exported workbook.
func exportSheetName(t *testing.T, wb *excelize.File, k data.Kind) string {
	t.Helper()
	for _, s := range wb.GetSheetList() {
		if strings.EqualFold(s, string(k)) {
			return s
		}
	}
	t.Fatalf("no sheet for %s in %v", k, wb.GetSheetList())
	return ""
}

// TestGUIBackupBeforeImport checks the GUI's backup service on a real store: each call
// saves a copy that opens as a store with the records of the moment, rotated newest first.
func TestGUIBackupBeforeImport(t *testing.T) {
	dir := t.TempDir()
	st, opts := coreStore(t, filepath.Join(dir, "s.db"))
	ds := st.(*data.Store)
	for i, id := range []string{"B-1", "B-2"} {
		b, err := ds.BeginImport(data.ImportInfo{File: "x.csv", Source: "file"})
		if err != nil {
			t.Fatal(err)
		}
		if err := b.PutIncident(&data.Incident{ID: id, Date: data.Day(2025, 1, i+1), Theatre: "Caribbean"}); err != nil {
			t.Fatal(err)
		}
		if _, err := b.Commit(); err != nil {
			t.Fatal(err)
		}
		p, err := opts.Backups.BeforeImport(st)
		if err != nil {
			t.Fatal(err)
		}
		if p != data.BackupPath(st.Path(), 1) {
			t.Fatalf("backup path = %s", p)
		}
	}
	for n, want := range map[int]int{1: 2, 2: 1} {
		b, err := data.Open(data.BackupPath(st.Path(), n), data.Options{ReadOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		got, err := b.Incidents(data.Filter{})
		b.Close()
		if err != nil || len(got) != want {
			t.Fatalf("backup %d holds %d incidents (%v), want %d", n, len(got), err, want)
		}
	}
}

// TestGUIRestoreNeedsStoreClosed checks the order the app's restore follows on a real store:
// the restore is refused while the app holds the store open, and after closing it the
// reopened store holds the backup's records.
func TestGUIRestoreNeedsStoreClosed(t *testing.T) {
	dir := t.TempDir()
	st, err := OpenStore(filepath.Join(dir, "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	opts := WithCore(Options{Store: st})
	ds := st.(*data.Store)
	if _, err := opts.Backups.BeforeImport(st); err != nil { // an empty store
		t.Fatal(err)
	}
	b, err := ds.BeginImport(data.ImportInfo{File: "x.csv", Source: "file"})
	if err != nil {
		t.Fatal(err)
	}
	if err := b.PutIncident(&data.Incident{ID: "R-1", Date: data.Day(2025, 1, 1), Theatre: "Caribbean"}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Commit(); err != nil {
		t.Fatal(err)
	}
	list, err := opts.Backups.List(st.Path())
	if err != nil || len(list) != 1 || list[0].N != 1 {
		t.Fatalf("backups = %+v, %v", list, err)
	}
	if _, err := opts.Backups.Restore(st.Path(), list[0].Path); !errors.Is(err, data.ErrLocked) {
		t.Fatalf("restore while the app has the store open: %v, want ErrLocked", err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	kept, err := opts.Backups.Restore(st.Path(), list[0].Path)
	if err != nil || kept == "" {
		t.Fatalf("restore: kept %q, %v", kept, err)
	}
	re, err := WithCore(Options{}).OpenStore(st.Path()) // how the app reopens it
	if err != nil {
		t.Fatal(err)
	}
	defer re.Close()
	if n, err := re.(*data.Store).Incidents(data.Filter{}); err != nil || len(n) != 0 {
		t.Fatalf("restored store holds %d incidents (%v), want the empty backup", len(n), err)
	}
	after, err := opts.Backups.List(st.Path())
	if err != nil || len(after) != 2 || after[1].N != 0 || after[1].Path != kept {
		t.Fatalf("backups after the restore = %+v, %v", after, err)
	}
}

// coreStore opens the store at path with the core's services, closed at the end of the test.
func coreStore(t *testing.T, path string) (Store, Options) {
	t.Helper()
	st, err := OpenStore(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st, WithCore(Options{Store: st})
}

// coreDemoStore is coreStore with the demo data loaded.
func coreDemoStore(t *testing.T, path string) (Store, Options) {
	t.Helper()
	st, opts := coreStore(t, path)
	if err := opts.LoadDemo(context.Background(), st); err != nil {
		t.Fatal(err)
	}
	return st, opts
}
