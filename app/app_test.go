package app

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"

	"sitrep/data"
	"sitrep/importers"
)

func TestShellMenuAndTitle(t *testing.T) {
	h := demoHarness(t, func(o *Options) { o.OpenStore = func(string) (Store, error) { return nil, os.ErrNotExist } })
	if got := h.win.Title(); got != "Sitrep" {
		t.Fatalf("title = %q", got)
	}
	menu := h.ui.mainMenu()
	var tops []string
	items := map[string]bool{}
	for _, m := range menu.Items {
		tops = append(tops, m.Label)
		for _, it := range m.Items {
			items[m.Label+"/"+it.Label] = true
		}
	}
	if strings.Join(tops, ",") != "File,View,Help" {
		t.Fatalf("menus = %v", tops)
	}
	for _, want := range []string{"File/Import…", "File/Export data…", "File/Save a copy of the store…",
		"File/Open another store…", "File/Recent stores", "View/Theme", "View/Charts", "Help/About Sitrep"} {
		if !items[want] {
			t.Errorf("menu item %s missing (have %v)", want, items)
		}
	}
	if !h.ui.banner.Visible() {
		t.Error("demo banner hidden on a demo store")
	}
	if !strings.Contains(h.ui.bannerText.Text, "DEMO DATA") {
		t.Errorf("banner text %q", h.ui.bannerText.Text)
	}
}

func TestShortcutsSwitchScreens(t *testing.T) {
	h := demoHarness(t, nil)
	h.act(func() { h.ui.Show(ScreenOverview) })
	for i, name := range screenOrder {
		h.act(func() { typeShortcut(h.win, fyne.KeyName(string(rune('1'+i)))) })
		if got := h.ui.Current(); got != name {
			t.Fatalf("Ctrl+%d shows %s, want %s", i+1, got, name)
		}
	}
}

func TestFirstRunOffersDemo(t *testing.T) {
	st := newMemStore(filepath.Join(t.TempDir(), "empty.db"))
	h := newHarness(t, st, nil)
	if h.ui.body.Objects[0] != h.ui.firstRun.content {
		t.Fatal("an empty store does not show the first-run screen")
	}
	if h.ui.banner.Visible() {
		t.Fatal("demo banner on an empty store")
	}
	h.act(func() { test.Tap(h.ui.firstRun.demoB) })
	h.wait()
	if h.ui.body.Objects[0] != h.ui.tabs {
		t.Fatal("after loading the demo the tabs are not shown")
	}
	if !h.ui.banner.Visible() {
		t.Fatal("no demo banner after loading the demo")
	}
	if got := h.ui.overview.cards[cardStrikes].Text; got != "4" {
		t.Fatalf("overview strikes = %q, want 4", got)
	}
	if got := h.ui.overview.cards[cardKilled].Text; got != "22–24" {
		t.Fatalf("overview killed = %q, want 22–24", got)
	}
	if got := h.ui.overview.last.Text; !strings.HasPrefix(got, "4 Nov 2025") || !strings.Contains(got, "Off Mexico") {
		t.Fatalf("last incident = %q", got)
	}
}

func TestAboutShowsVersionAndDataLocation(t *testing.T) {
	h := demoHarness(t, nil)
	h.act(func() { h.ui.about() })
	info := h.dlg.lastInfo()
	if !strings.Contains(info, "1.2.3") || !strings.Contains(info, h.store.Path()) {
		t.Fatalf("about = %q", info)
	}
}

func TestSaveCopyWritesBackup(t *testing.T) {
	h := demoHarness(t, nil)
	h.act(func() { h.ui.saveCopy() })
	h.wait()
	if len(h.dlg.saved) != 1 {
		t.Fatalf("saved %v", h.dlg.saved)
	}
	b, err := os.ReadFile(h.dlg.saved[0])
	if err != nil || !strings.Contains(string(b), h.store.Path()) {
		t.Fatalf("backup file %q, %v", b, err)
	}
}

func TestOpenAnotherStore(t *testing.T) {
	other := newMemStore(filepath.Join(t.TempDir(), "other.db"))
	other.load("file", "other.xlsx", demoIncidents()[:1], []data.Statement{
		{ID: "C-1", Date: data.Day(2025, 11, 1), Actor: "Colombia", Topic: "Legality of the strikes", Stance: "condemns"}})
	var h *harness
	h = demoHarness(t, func(o *Options) {
		o.OpenStore = func(p string) (Store, error) {
			if p != other.Path() {
				t.Fatalf("opened %s", p)
			}
			return other, nil
		}
	})
	first := h.store
	h.act(func() { h.ui.positions.SetActors([]string{"United Kingdom", "United States"}) }) // a choice for this store
	h.wait()
	h.act(func() { h.ui.OpenStore(other.Path()) })
	h.wait()
	if h.ui.Store() != other || !first.closed {
		t.Fatal("store not switched or old store not closed")
	}
	if got := h.ui.overview.cards[cardStrikes].Text; got != "1" {
		t.Fatalf("strikes after switching = %q", got)
	}
	if h.ui.banner.Visible() {
		t.Fatal("demo banner stays on a store without demo data")
	}
	// The record tables read the other store (their table models too, not only the detail).
	h.show(ScreenStatements)
	if got := columnTexts(h.ui.statements.table, 1); len(got) != 1 || got[0] != "C-1" {
		t.Fatalf("statements table after switching = %v", got)
	}
	h.show(ScreenIncidents)
	if got := h.ui.incidents.table.rows(); got != 1 {
		t.Fatalf("incidents table after switching: %d rows, want 1", got)
	}
	// The positions grid shows the other store's actors, not the columns chosen on the first.
	if got := h.ui.positions.matrix.Actors; len(got) != 1 || got[0] != "Colombia" {
		t.Fatalf("positions columns after switching = %v", got)
	}
	if rec := h.ui.recentStores(); len(rec) == 0 || rec[0] != other.Path() {
		t.Fatalf("recent = %v", rec)
	}
}

// TestExportDataCSV: with no exporter handed in, the app writes with the importers' exporter
// (importers.ExportRecords): the file `sitrep export` writes, which an import reads back.
func TestExportDataCSV(t *testing.T) {
	h := demoHarness(t, func(o *Options) { o.Export = nil })
	h.act(func() { h.ui.Show(ScreenIncidents) })
	h.act(func() { h.ui.exportData() })
	h.act(func() { h.ui.opened.exporter.format.SetSelected(h.ui.opened.exporter.labels[exportCSV]) })
	h.act(func() { test.Tap(h.ui.opened.exporter.save) })
	h.wait()
	b, err := os.ReadFile(h.dlg.saved[0])
	if err != nil {
		t.Fatal(err)
	}
	var want bytes.Buffer
	if _, err := importers.ExportRecords(context.Background(), h.store, "csv", []data.Kind{data.KindIncident}, data.Filter{}, &want); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b, want.Bytes()) {
		t.Fatalf("csv is not the importers' export:\n%s\nwant:\n%s", b, want.Bytes())
	}
	if lines := strings.Split(strings.TrimSpace(string(b)), "\n"); len(lines) != 5 {
		t.Fatalf("%d lines, want a header and 4 incidents:\n%s", len(lines), b)
	}
}

func TestThemeChoiceRemembered(t *testing.T) {
	h := demoHarness(t, nil)
	h.act(func() { h.ui.setTheme(themeDark) })
	if got := h.app.Preferences().String(prefTheme); got != themeDark {
		t.Fatalf("pref = %q", got)
	}
	th := h.app.Settings().Theme()
	bg := th.Color("background", 0)
	r, g, b, _ := bg.RGBA()
	if r > 0x8000 || g > 0x8000 || b > 0x8000 {
		t.Fatalf("dark theme background is light: %v", bg)
	}
	h.act(func() { h.ui.setTheme(themeLight) })
	r, g, b, _ = h.app.Settings().Theme().Color("background", 1).RGBA()
	if r < 0x8000 || g < 0x8000 || b < 0x8000 {
		t.Fatal("light theme background is dark")
	}
}

// TestPlainErrorTexts: the core's sentinel errors, however wrapped, are shown in plain words.
func TestPlainErrorTexts(t *testing.T) {
	tests := []struct {
		err  error
		want string
	}{
		{data.ErrLocked, "this store is open in another Sitrep window"},
		{data.ErrSchemaTooNew, "this store was written by a newer version of Sitrep"},
		{data.ErrCorrupt, "this file is not a Sitrep store, or it is damaged"},
		{data.ErrNotFound, "the record no longer exists"},
		{data.ErrBusy, "an import is still running"},
		{context.Canceled, "cancelled; nothing was changed"},
	}
	for _, tt := range tests {
		got := plainError(&os.PathError{Op: "open", Path: "x.db", Err: fmt.Errorf("opening: %w", tt.err)})
		if !strings.HasPrefix(got, tt.want) {
			t.Errorf("plainError(%v) = %q, want it to start with %q", tt.err, got, tt.want)
		}
	}
	if got := plainError(errors.New("disk full")); got != "disk full" {
		t.Errorf("other errors as they are: %q", got)
	}
}

// typeShortcut sends Ctrl+key (Cmd on macOS) to the window's canvas.
func typeShortcut(w fyne.Window, key fyne.KeyName) {
	w.Canvas().(interface{ TypedShortcut(fyne.Shortcut) }).TypedShortcut(
		&desktop.CustomShortcut{KeyName: key, Modifier: fyne.KeyModifierShortcutDefault})
}

func TestWindowSizeFromPreferences(t *testing.T) {
	a := test.NewTempApp(t)
	a.Preferences().SetFloat(prefWidth, 1111)
	a.Preferences().SetFloat(prefHeight, 777)
	w := test.NewWindow(nil)
	defer w.Close()
	st := newMemStore(filepath.Join(t.TempDir(), "s.db"))
	var lock sync.Mutex
	lock.Lock()
	u := New(a, w, Options{Store: st, Dialogs: &fakeDialogs{t: t}, uiLock: &lock})
	lock.Unlock()
	u.Wait()
	if s := w.Canvas().Size(); s.Width != 1111 || s.Height != 777 {
		t.Fatalf("window %v, want the remembered 1111x777", s)
	}
}

// TestExportDataFormats: File > Export data… offers a workbook of every kind and a CSV of the
// screen's kind, with the current filters, and remembers the format chosen.
func TestExportDataFormats(t *testing.T) {
	h := demoHarness(t, nil)
	h.show(ScreenStatements)
	h.act(func() { h.ui.statements.filter.theatre.SetSelected("Eastern Pacific") })
	h.wait()
	h.act(func() { h.ui.exportData() })
	c := h.ui.opened.exporter
	if c.format.Selected != c.labels[exportXLSX] {
		t.Fatalf("default format %q", c.format.Selected)
	}
	h.act(func() { test.Tap(c.save) })
	h.wait()
	h.act(func() { h.ui.exportData() })
	c = h.ui.opened.exporter
	h.act(func() { c.format.SetSelected(c.labels[exportCSV]) })
	h.act(func() { test.Tap(c.save) })
	h.wait()
	if got := strings.Join(h.export.calls, "; "); got != "xlsx incidents,statements,tallies theatre=Eastern Pacific; csv statements theatre=Eastern Pacific" {
		t.Fatalf("exports = %s", got)
	}
	if len(h.dlg.saved) != 2 || filepath.Ext(h.dlg.saved[0]) != ".xlsx" || filepath.Base(h.dlg.saved[1]) != "sitrep-statements.csv" {
		t.Fatalf("saved = %v", h.dlg.saved)
	}
	if !strings.Contains(h.dlg.lastInfo(), "Exported 2 statements (") {
		t.Fatalf("info = %q", h.dlg.lastInfo())
	}
	// The format chosen last is offered first next time.
	h.act(func() { h.ui.exportData() })
	if c := h.ui.opened.exporter; c.format.Selected != c.labels[exportCSV] {
		t.Fatalf("format not remembered: %q", c.format.Selected)
	}
}
