package app

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"sitrep/data"
)

// answerDialogs answers every question yes and records what the app says.
type answerDialogs struct {
	mu     sync.Mutex
	errors []string
	infos  []string
	asked  []string
	open   string // the file "chosen" in an open dialog
}

func (d *answerDialogs) Error(err error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.errors = append(d.errors, err.Error())
}
func (d *answerDialogs) Info(title, msg string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.infos = append(d.infos, title+": "+msg)
}
func (d *answerDialogs) Confirm(title, msg string, fn func(bool)) {
	d.asked = append(d.asked, msg)
	fn(true)
}
func (d *answerDialogs) OpenFile(_ string, _ []string, fn func(string)) {
	if d.open != "" {
		fn(d.open)
	}
}
func (d *answerDialogs) SaveFile(string, string, func(io.WriteCloser, string))  {}
func (d *answerDialogs) Custom(string, string, fyne.CanvasObject) (hide func()) { return func() {} }

// TestGUIRestoreEndToEnd drives File > Restore a backup… on a real store with the real
// services: the app closes its own store (else the restore would be refused as locked),
// restores the backup made before the second import, reopens the store and shows it; the
// replaced store is kept and listed.
func TestGUIRestoreEndToEnd(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "s.db")
	st, err := OpenStore(path)
	if err != nil {
		t.Fatal(err)
	}
	ds := st.(*data.Store)
	put := func(id string) {
		t.Helper()
		if _, err := data.BackupBeforeImport(ds); err != nil {
			t.Fatal(err)
		}
		importInto(t, ds, id+".csv", data.Incident{ID: id, Date: data.Day(2025, 1, 1), Theatre: "Caribbean"})
	}
	put("E-1")
	put("E-2") // backup-1 holds E-1 only

	a := test.NewTempApp(t)
	w := test.NewWindow(nil)
	defer w.Close()
	dlg := &answerDialogs{}
	opts := WithCore(Options{Store: st})
	opts.Dialogs = dlg
	opts.StartScreen = ScreenOverview
	// Fyne's test driver runs fyne.Do on the calling goroutine: hold the UI lock while New
	// builds the screens, as the other tests do, so background updates wait for it.
	var lock sync.Mutex
	opts.uiLock = &lock
	lock.Lock()
	ui := New(a, w, opts)
	lock.Unlock()
	ui.Wait()
	defer func() { ui.Store().Close() }()

	ui.RestoreDialog()
	ui.PickBackup(1)
	ui.Wait()
	if len(dlg.asked) != 1 || !strings.HasPrefix(dlg.asked[0], "Replace the current store with the backup of ") {
		t.Fatalf("questions = %q", dlg.asked)
	}
	if len(dlg.errors) != 0 {
		t.Fatalf("errors = %q", dlg.errors)
	}
	if len(dlg.infos) == 0 || !strings.HasPrefix(dlg.infos[len(dlg.infos)-1], "Backup restored: ") {
		t.Fatalf("infos = %q", dlg.infos)
	}
	if ui.Store() == st {
		t.Fatal("the window still holds the closed store")
	}
	got, err := ui.Store().(*data.Store).Incidents(data.Filter{})
	if err != nil || len(got) != 1 || got[0].ID != "E-1" {
		t.Fatalf("restored store holds %v (%v), want E-1 only", got, err)
	}
	list, err := data.ListBackups(path)
	if err != nil {
		t.Fatal(err)
	}
	var kept string
	for _, b := range list {
		if b.N == 0 {
			kept = b.Path
		}
	}
	if kept == "" || !strings.Contains(dlg.infos[len(dlg.infos)-1], kept) {
		t.Fatalf("kept copy %q not listed or not reported: %+v", kept, list)
	}
	// Restoring a file that is not a store is refused; the window reopens the store as it was.
	junk := filepath.Join(dir, "junk.db")
	if err := os.WriteFile(junk, []byte("not a store at all"), 0o644); err != nil {
		t.Fatal(err)
	}
	dlg.open = junk
	ui.RestoreDialog()
	ui.BrowseBackup()
	ui.Wait()
	if len(dlg.errors) != 1 || !strings.Contains(dlg.errors[0], "The store is as it was") {
		t.Fatalf("errors = %q, infos %q, asked %q", dlg.errors, dlg.infos, dlg.asked)
	}
	got, err = ui.Store().(*data.Store).Incidents(data.Filter{})
	if err != nil || len(got) != 1 || got[0].ID != "E-1" {
		t.Fatalf("store after a refused restore holds %v (%v)", got, err)
	}
}
