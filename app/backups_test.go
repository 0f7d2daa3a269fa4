package app

import (
	"errors"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"fyne.io/fyne/v2/test"
)

// fakeBackups records the backups and restores the app asks for.
type fakeBackups struct {
	mu       sync.Mutex
	imp      *fakeImporter // to check the backup comes before the import runs
	calls    []string
	failWith error
}

func (b *fakeBackups) BeforeImport(s Store) (string, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.imp != nil {
		b.imp.mu.Lock()
		ran := b.imp.ran != nil
		b.imp.mu.Unlock()
		if ran {
			b.calls = append(b.calls, "backup after the import ran")
		}
	}
	b.calls = append(b.calls, "backup "+s.Path())
	if b.failWith != nil {
		return "", b.failWith
	}
	return s.Path() + ".backup-1", nil
}

func TestImportMakesBackupFirst(t *testing.T) {
	for _, tc := range []struct {
		name    string
		fail    error
		wantRan bool
	}{
		{"backup saved", nil, true},
		{"backup fails", errors.New("disk full"), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := newMemStore(filepath.Join(t.TempDir(), "s.db"))
			imp := &fakeImporter{store: st}
			bk := &fakeBackups{imp: imp, failWith: tc.fail}
			h := newHarness(t, st, func(o *Options) { o.Importer = imp; o.Backups = bk })
			h.act(func() { h.ui.ImportFiles([]string{"/data/a.xlsx"}) })
			h.wait()
			h.act(func() { test.Tap(h.ui.preview.importB) })
			h.wait()
			if want := []string{"backup " + st.Path()}; strings.Join(bk.calls, "|") != strings.Join(want, "|") {
				t.Fatalf("backup calls = %q, want %q", bk.calls, want)
			}
			if (imp.ran != nil) != tc.wantRan {
				t.Fatalf("import ran = %v, want %v", imp.ran != nil, tc.wantRan)
			}
			if !tc.wantRan {
				if len(st.incidents) != 0 {
					t.Fatalf("%d incidents imported without a backup", len(st.incidents))
				}
				if len(h.dlg.errors) != 1 {
					t.Fatalf("errors = %v", h.dlg.errors)
				}
				msg := h.dlg.errors[0].Error()
				if !strings.HasPrefix(msg, "Sitrep could not save a backup of the store before importing, so nothing was imported: ") ||
					!strings.Contains(msg, "disk full") {
					t.Fatalf("error = %q", msg)
				}
				return
			}
			if a := h.ui.audit; a == nil || !strings.Contains(a.summary.Text, st.Path()+".backup-1") {
				t.Fatalf("audit does not name the backup: %+v", a)
			}
		})
	}
}

func TestDemoLoadMakesNoBackup(t *testing.T) {
	st := newMemStore(filepath.Join(t.TempDir(), "s.db"))
	bk := &fakeBackups{}
	h := newHarness(t, st, func(o *Options) { o.Backups = bk })
	h.act(func() { test.Tap(h.ui.firstRun.demoB) })
	h.wait()
	if len(st.incidents) == 0 {
		t.Fatal("demo not loaded")
	}
	if len(bk.calls) != 0 {
		t.Fatalf("backup calls for the demo load: %v", bk.calls)
	}
}
