package app

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2/test"

	"sitrep/data"
)

// goneStoreWithBackups makes a store with incidents G-1 (backup 2 holds none, backup 1 holds
// G-1) and empties its file, as issue 14 found stores emptied: the app must not recreate it.
func goneStoreWithBackups(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "s.db")
	ds, err := data.Open(path, data.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"G-1", "G-2"} {
		if _, err := data.BackupBeforeImport(ds); err != nil {
			t.Fatal(err)
		}
		importInto(t, ds, id+".csv", data.Incident{ID: id, Date: data.Day(2025, 1, 1), Theatre: "Caribbean"})
	}
	ds.Close()
	if err := os.Truncate(path, 0); err != nil {
		t.Fatal(err)
	}
	if _, err := OpenStore(path); !errors.Is(err, data.ErrStoreGone) {
		t.Fatalf("OpenStore of an emptied store with backups: %v, want ErrStoreGone", err)
	}
	return path
}

// TestGoneStoreWayOut (issue 14, session 2): when the store file is empty but backups lie
// beside it, the start window lists the backups and restores the picked one, or starts a new,
// empty store keeping the backups; either way the app then opens on that store.
func TestGoneStoreWayOut(t *testing.T) {
	tests := []struct {
		name    string
		tap     func(v *goneStoreView)
		pick    int // backup to pick in the list (index)
		wantIDs []string
	}{
		{"restore the newest backup", func(v *goneStoreView) { test.Tap(v.restoreB) }, 0, []string{"G-1"}},
		{"restore the older backup", func(v *goneStoreView) { test.Tap(v.restoreB) }, 1, nil},
		{"start a new, empty store", func(v *goneStoreView) { test.Tap(v.newB) }, 0, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := goneStoreWithBackups(t)
			test.NewTempApp(t)
			var got Store
			v := newGoneStoreView(path, WithCore(Options{}).Backups, OpenStore, OpenNewStore, func(s Store) { got = s })
			w := test.NewWindow(v.content)
			defer w.Close()
			if len(v.list.Options) != 2 || v.list.Selected != v.list.Options[0] {
				t.Fatalf("backups listed %q, selected %q; want backups 1 and 2, the newest selected", v.list.Options, v.list.Selected)
			}
			v.list.SetSelected(v.list.Options[tc.pick])
			tc.tap(v)
			if got == nil {
				t.Fatalf("no store opened; status %q", v.status.Text)
			}
			defer got.Close()
			incs, err := got.(*data.Store).Incidents(data.Filter{})
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, r := range incs {
				ids = append(ids, r.ID)
			}
			if len(ids) != len(tc.wantIDs) || (len(ids) > 0 && ids[0] != tc.wantIDs[0]) {
				t.Errorf("store holds %v, want %v", ids, tc.wantIDs)
			}
			if kept, _ := filepath.Glob(path + ".before-restore-*"); len(kept) != 0 {
				t.Errorf("the emptied store file was kept as %q (nothing to keep)", kept)
			}
			for _, n := range []int{1, 2} {
				if _, err := os.Stat(data.BackupPath(path, n)); err != nil {
					t.Errorf("backup %d is gone: %v", n, err)
				}
			}
		})
	}
}

// TestGoneStoreWithNoBackupListed: with no backup to list (they went between the start and
// the window), Restore is off; a new store can still be started.
func TestGoneStoreWithNoBackupListed(t *testing.T) {
	test.NewTempApp(t)
	path := filepath.Join(t.TempDir(), "s.db")
	var got Store
	v := newGoneStoreView(path, &fakeBackups{}, OpenStore, OpenNewStore, func(s Store) { got = s })
	w := test.NewWindow(v.content)
	defer w.Close()
	if !v.restoreB.Disabled() || len(v.list.Options) != 0 {
		t.Errorf("restore enabled with nothing listed: %q", v.list.Options)
	}
	test.Tap(v.newB)
	if got == nil {
		t.Fatalf("no store made; status %q", v.status.Text)
	}
	got.Close()
}
