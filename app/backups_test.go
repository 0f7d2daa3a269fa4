package app

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"sitrep/data"
)

// fakeBackups records the backups and restores the app asks for.
type fakeBackups struct {
	mu       sync.Mutex
	imp      *fakeImporter // to check the backup comes before the import runs
	calls    []string
	failWith error
	list     []data.BackupInfo
	current  *memStore // the store a restore must find closed
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
			if len(bk.calls) != 0 { // the preview reads the file only
				t.Fatalf("backup made for the preview: %v", bk.calls)
			}
			h.act(func() { test.Tap(h.ui.opened.preview.importB) })
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
			if a := h.ui.opened.audit; a == nil || !strings.Contains(a.summary.Text, st.Path()+".backup-1") {
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

func (b *fakeBackups) List(storePath string) ([]data.BackupInfo, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.calls = append(b.calls, "list "+storePath)
	return b.list, nil
}

func (b *fakeBackups) Restore(storePath, src string) (string, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	closed := "open"
	if b.current != nil && b.current.closed {
		closed = "closed"
	}
	b.calls = append(b.calls, fmt.Sprintf("restore %s from %s (store %s)", storePath, src, closed))
	if b.failWith != nil {
		return "", b.failWith
	}
	return storePath + ".before-restore-20261126-010200", nil
}

func TestRestoreBackup(t *testing.T) {
	t1 := time.Date(2026, 11, 26, 1, 2, 0, 0, time.Local)
	for _, tc := range []struct {
		name   string
		browse string // a file chosen with "Choose a backup file…" instead of a listed one
		fail   error
	}{
		{"listed backup", "", nil},
		{"chosen file", "/elsewhere/copy.db", nil},
		{"restore fails", "", fmt.Errorf("restore: %w", errBadBackup)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "s.db")
			st := newMemStore(path)
			st.load("demo", "demo", demoIncidents(), demoStatements())
			// What the file holds after the restore: one incident, no demo data.
			restored := newMemStore(path)
			restored.load("file", "old.xlsx", demoIncidents()[:1], nil)
			// What it holds when the restore failed: the original records.
			original := newMemStore(path)
			original.load("demo", "demo", demoIncidents(), demoStatements())
			bk := &fakeBackups{current: st, failWith: tc.fail, list: []data.BackupInfo{
				{N: 1, Path: path + ".backup-1", Size: 3 << 20, ModTime: t1},
				{N: 2, Path: path + ".backup-2", Size: 900 << 10, ModTime: t1.Add(-time.Hour)},
				{Path: path + ".before-restore-20261125-120000", Size: 2 << 20, ModTime: t1.Add(-13 * time.Hour)},
			}}
			var opened []string
			h := newHarness(t, st, func(o *Options) {
				o.Backups = bk
				o.OpenStore = func(p string) (Store, error) {
					opened = append(opened, p)
					if tc.fail != nil {
						return original, nil
					}
					return restored, nil
				}
			})
			h.dlg.openPath = tc.browse
			if !menuHas(h.ui.mainMenu(), "Restore a backup…") {
				t.Fatal("File menu has no Restore a backup…")
			}
			h.act(h.ui.RestoreDialog)
			v := h.ui.opened.restore
			if v == nil || v.list.Length() != 3 || !v.restoreB.Disabled() {
				t.Fatalf("dialog = %+v", v)
			}
			if got := []string{backupName(v.items[0]), backupName(v.items[1]), backupName(v.items[2])}; strings.Join(got, "|") !=
				"Backup 1 (newest)|Backup 2|The store as it was before a restore" {
				t.Fatalf("list = %v", got)
			}
			src := path + ".backup-1"
			if tc.browse != "" {
				src = tc.browse
				h.act(func() { test.Tap(v.browseB) })
			} else {
				h.act(func() { v.list.Select(0) })
				h.act(func() { test.Tap(v.restoreB) })
			}
			h.wait()
			if len(h.dlg.messages) != 1 {
				t.Fatalf("questions = %v", h.dlg.messages)
			}
			q := h.dlg.messages[0]
			if strings.Join(h.dlg.actions, "|") != "Restore" {
				t.Fatalf("question's buttons: %v", h.dlg.actions)
			}
			if !strings.HasPrefix(q, "Replace the current store with ") || !strings.Contains(q, "s.db.before-restore-") {
				t.Fatalf("question = %q", q)
			}
			if tc.browse == "" && !strings.Contains(q, "the backup of "+backupTime(t1)+"?") {
				t.Fatalf("question does not date the backup: %q", q)
			}
			wantCall := "restore " + path + " from " + src + " (store closed)"
			if bk.calls[len(bk.calls)-1] != wantCall {
				t.Fatalf("calls = %q, want last %q", bk.calls, wantCall)
			}
			if strings.Join(opened, "|") != path {
				t.Fatalf("reopened %v", opened)
			}
			if tc.fail != nil {
				if h.ui.Store() != original {
					t.Fatal("the original store was not reopened")
				}
				if len(h.dlg.errors) != 1 || !strings.Contains(h.dlg.errors[0].Error(), "The store is as it was") ||
					!strings.Contains(h.dlg.errors[0].Error(), errBadBackup.Error()) {
					t.Fatalf("errors = %v", h.dlg.errors)
				}
				if got := h.ui.overview.cards[cardStrikes].Text; got != fmt.Sprint(len(demoIncidents())) {
					t.Fatalf("strikes after a failed restore = %q", got)
				}
				return
			}
			if h.ui.Store() != restored {
				t.Fatal("the window does not show the restored store")
			}
			if got := h.ui.overview.cards[cardStrikes].Text; got != "1" {
				t.Fatalf("strikes after the restore = %q", got)
			}
			if h.ui.banner.Visible() {
				t.Fatal("demo banner stays after restoring a store without demo data")
			}
			if info := h.dlg.lastInfo(); !strings.HasPrefix(info, "Backup restored: ") || !strings.Contains(info, path+".before-restore-20261126-010200") {
				t.Fatalf("outcome = %q", info)
			}
		})
	}
}

func TestRestoreDialogWithoutBackups(t *testing.T) {
	h := demoHarness(t, func(o *Options) {
		o.Backups = &fakeBackups{}
		o.OpenStore = func(string) (Store, error) { return nil, errors.New("not used") }
	})
	h.act(h.ui.RestoreDialog)
	v := h.ui.opened.restore
	if v.list.Length() != 0 || !strings.Contains(v.empty.Text, "no backups of this store yet") {
		t.Fatalf("empty dialog: %d items, %q", v.list.Length(), v.empty.Text)
	}
	// Without a way to reopen a store there is no restore item.
	h2 := demoHarness(t, func(o *Options) { o.Backups = &fakeBackups{} })
	if menuHas(h2.ui.mainMenu(), "Restore a backup…") {
		t.Fatal("Restore a backup… offered without OpenStore")
	}
}

var errBadBackup = errors.New("this file is not a Sitrep store")

func menuHas(m *fyne.MainMenu, label string) bool {
	for _, menu := range m.Items {
		for _, it := range menu.Items {
			if it.Label == label {
				return true
			}
		}
	}
	return false
}

func TestPickBackupAsksAndCancelChangesNothing(t *testing.T) {
	t2 := time.Date(2026, 11, 25, 23, 40, 0, 0, time.Local)
	bk := &fakeBackups{list: []data.BackupInfo{{N: 1, Path: "/s.db.backup-1", ModTime: t2.Add(time.Hour)}, {N: 2, Path: "/s.db.backup-2", ModTime: t2}}}
	h := demoHarness(t, func(o *Options) {
		o.Backups = bk
		o.OpenStore = func(string) (Store, error) { return nil, errors.New("not used") }
	})
	first := h.ui.Store()
	h.dlg.confirm = false
	h.act(func() { h.ui.RestoreDialog(); h.ui.PickBackup(2) })
	h.wait()
	if len(h.dlg.messages) != 1 || !strings.Contains(h.dlg.messages[0], "with the backup of "+backupTime(t2)+"?") {
		t.Fatalf("question = %v", h.dlg.messages)
	}
	for _, c := range bk.calls {
		if strings.HasPrefix(c, "restore") {
			t.Fatalf("restored after the user said no: %v", bk.calls)
		}
	}
	if h.ui.Store() != first || h.store.closed {
		t.Fatal("store changed after the user said no")
	}
}
