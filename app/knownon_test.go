package app

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"sitrep/data"
)

// storeUI opens the app on a real store (the known-on reads, What changed and merge need the
// core's), with the fake dialogs.
func storeUI(t *testing.T, st *data.Store) (*UI, *fakeDialogs, func(func())) {
	t.Helper()
	a := test.NewTempApp(t)
	w := test.NewWindow(nil)
	t.Cleanup(w.Close)
	dlg := &fakeDialogs{t: t, saveDir: t.TempDir(), confirm: true}
	var lock sync.Mutex
	act := func(fn func()) {
		lock.Lock()
		defer lock.Unlock()
		fn()
	}
	var u *UI
	act(func() {
		u = New(a, w, Options{Store: st, Dialogs: dlg, uiLock: &lock})
		w.Resize(fyne.NewSize(1366, 768))
	})
	u.Wait()
	t.Cleanup(u.Wait)
	return u, dlg, act
}

func importInto(t *testing.T, st *data.Store, file string, recs ...data.Incident) {
	t.Helper()
	b, err := st.BeginImport(data.ImportInfo{File: file, Source: "file"})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Abort()
	for i := range recs {
		if err := b.PutIncident(&recs[i]); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := b.Commit(); err != nil {
		t.Fatal(err)
	}
}

func TestKnownOnControlSharedAndWhatChanged(t *testing.T) {
	clock := time.Date(2025, 11, 4, 9, 0, 0, 0, time.UTC)
	st, err := data.Open(filepath.Join(t.TempDir(), "s.db"), data.Options{Now: func() time.Time { return clock }})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	base := []data.Incident{
		{ID: "S-1", Date: data.Day(2025, 10, 1), Theatre: "Caribbean", Killed: data.Exactly(3)},
		{ID: "S-2", Date: data.Day(2025, 10, 2), Theatre: "Caribbean", Killed: data.Exactly(2)},
	}
	importInto(t, st, "week1.xlsx", base...)
	tuesday := clock.Add(time.Hour)
	clock = clock.Add(48 * time.Hour)
	upd := base[0]
	upd.Killed = data.Exactly(11)
	importInto(t, st, "week2.xlsx", upd, data.Incident{ID: "S-3", Date: data.Day(2025, 11, 2), Theatre: "Eastern Pacific", Killed: data.Exactly(4)})

	u, _, act := storeUI(t, st)
	killedShown := func() (int, []string) {
		col := -1
		for i, title := range u.incidents.kind.m.titles() {
			if strings.EqualFold(title, "Killed") {
				col = i
			}
		}
		if col < 0 {
			t.Fatalf("no Killed column in %v", u.incidents.kind.m.titles())
		}
		tb := u.incidents.table
		var ks []string
		for i := range tb.rows() {
			ks = append(ks, tb.view.text(i, col))
		}
		return tb.rows(), ks
	}
	act(func() { u.Show(ScreenIncidents) })
	u.Wait()
	if n, ks := killedShown(); n != 3 || ks[0] != "11" {
		t.Fatalf("now: %d incidents, killed %v", n, ks)
	}
	// Typing a time into the Incidents screen's control sets it everywhere.
	act(func() { u.incidents.filter.knownOn.SetText(tuesday.Local().Format("2006-01-02 15:04")) })
	u.Wait()
	if n, ks := killedShown(); n != 2 || ks[0] != "3" {
		t.Errorf("as known on Tuesday: %d incidents, killed %v; want 2, first 3", n, ks)
	}
	if got := u.charts.filter.knownOn.Text; got != tuesday.Local().Format("2006-01-02 15:04") {
		t.Errorf("the Charts screen's control shows %q", got)
	}
	if spec, _ := u.charts.request(); !spec.Filter.KnownOn.Equal(tuesday) {
		t.Errorf("chart spec known on %v, want %v", spec.Filter.KnownOn, tuesday)
	}
	act(func() { u.Show(ScreenOverview) })
	u.Wait()
	if got := u.overview.cards[cardKilled].Text; got != "5" {
		t.Errorf("Overview killed as known on Tuesday: %q, want 5", got)
	}
	if !strings.Contains(u.overview.range_.Text, "As known on") {
		t.Errorf("Overview does not say the knowledge time: %q", u.overview.range_.Text)
	}
	if u.positions.knownOn() != u.filters.f.KnownOn {
		t.Error("Positions does not share the control")
	}
	// Clearing it goes back to now.
	act(func() { u.overview.knownOn.knownOn.SetText("") })
	u.Wait()
	if got := u.overview.cards[cardKilled].Text; got != "17" {
		t.Errorf("Overview killed now: %q, want 17", got)
	}

	// What changed since Tuesday: S-1's toll and S-3, with the import that did it.
	act(func() { u.ShowChanges(tuesday) })
	u.Wait()
	v := u.changes
	if len(v.report.Added) != 1 || len(v.report.Changed) != 1 || v.report.After.KilledMin-v.report.Before.KilledMin != 12 {
		t.Fatalf("report: %+v", v.report)
	}
	joined := strings.Join(v.lines, "\n")
	for _, want := range []string{"Added incident S-3", "Changed incident S-1 — killed: 3 → 11", "week2.xlsx"} {
		if !strings.Contains(joined, want) {
			t.Errorf("What changed lacks %q:\n%s", want, joined)
		}
	}
	if !strings.Contains(v.totals.Text, "+12") {
		t.Errorf("totals: %s", v.totals.Text)
	}
	// A later start: nothing changed.
	act(func() { v.since.SetText(clock.Add(time.Hour).Local().Format("2006-01-02 15:04")) })
	u.Wait()
	if len(v.lines) != 1 || !strings.HasPrefix(v.lines[0], "Nothing changed") {
		t.Errorf("after the last change: %v", v.lines)
	}
}

func TestMergeAnotherStoreWithConflict(t *testing.T) {
	clock := time.Date(2025, 11, 4, 9, 0, 0, 0, time.UTC)
	now := func() time.Time { return clock }
	dir := t.TempDir()
	mine, err := data.Open(filepath.Join(dir, "mine.db"), data.Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	defer mine.Close()
	importInto(t, mine, "base.xlsx", data.Incident{ID: "S-1", Date: data.Day(2025, 10, 1), Theatre: "Caribbean", Killed: data.Exactly(3)})
	// Theirs: a copy, renamed, with a different toll for S-1 and a new S-2.
	theirsPath := filepath.Join(dir, "theirs.db")
	f, err := os.Create(theirsPath)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := mine.Backup(f); err != nil {
		t.Fatal(err)
	}
	f.Close()
	theirs, err := data.Open(theirsPath, data.Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if err := theirs.SetName("Ana"); err != nil {
		t.Fatal(err)
	}
	clock = clock.Add(time.Hour)
	r, _ := theirs.Incident("S-1")
	r.Killed = data.Exactly(6)
	if err := theirs.SaveIncident(&r); err != nil {
		t.Fatal(err)
	}
	if err := theirs.SaveIncident(&data.Incident{ID: "S-2", Date: data.Day(2025, 10, 5), Theatre: "Caribbean", Killed: data.Exactly(1)}); err != nil {
		t.Fatal(err)
	}
	theirs.Close()
	clock = clock.Add(time.Hour)
	r, _ = mine.Incident("S-1")
	r.Killed = data.Exactly(5)
	if err := mine.SaveIncident(&r); err != nil {
		t.Fatal(err)
	}
	clock = clock.Add(time.Hour)

	u, dlg, act := storeUI(t, mine)
	dlg.openPath = theirsPath
	act(func() { u.MergeDialog() })
	u.Wait()
	if len(dlg.messages) != 1 || !strings.Contains(dlg.messages[0], "would add 1 records, update 1") {
		t.Fatalf("merge preview: %q", dlg.messages)
	}
	if u.lastMerge == nil || u.lastMerge.Added != 1 || len(u.lastMerge.Conflicts) != 1 {
		t.Fatalf("merge result: %+v (errors %v)", u.lastMerge, dlg.errors)
	}
	if !fileExistsTest(data.BackupPath(mine.Path(), 1)) {
		t.Error("no backup before the merge")
	}
	if got, _ := mine.Incident("S-1"); got.Killed != data.Exactly(5) {
		t.Errorf("S-1 after the merge: %v (mine is newer)", got.Killed)
	}
	if u.conflicts == nil {
		t.Fatal("the conflict list was not shown")
	}
	// Keep Ana's version.
	var keepTheirs *widget.Button
	for _, o := range test.LaidOutObjects(u.conflicts.content) {
		if b, ok := o.(*widget.Button); ok && b.Text == "Keep Ana's" {
			keepTheirs = b
		}
	}
	if keepTheirs == nil {
		t.Fatal("no Keep Ana's button")
	}
	act(func() { test.Tap(keepTheirs) })
	u.Wait()
	if got, _ := mine.Incident("S-1"); got.Killed != data.Exactly(6) {
		t.Errorf("S-1 after keeping Ana's version: %v", got.Killed)
	}
	if cs, _ := mine.Conflicts(); len(cs) != 0 {
		t.Errorf("%d conflicts left", len(cs))
	}
}

func fileExistsTest(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

func TestFirstStartNamesTheStore(t *testing.T) {
	st, err := data.Open(filepath.Join(t.TempDir(), "s.db"), data.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	u, _, act := storeUI(t, st)
	if u.firstRun.name == nil {
		t.Fatal("the first-run screen has no name field")
	}
	act(func() {
		u.firstRun.name.SetText("  Caribbean desk ")
		test.Tap(u.firstRun.nameB)
	})
	if id, _ := st.Identity(); id.Name != "Caribbean desk" {
		t.Errorf("store name %q", id.Name)
	}
	if !strings.Contains(u.firstRun.nameNote.Text, "Caribbean desk") {
		t.Errorf("note: %q", u.firstRun.nameNote.Text)
	}
}

func TestNameThisStoreDialog(t *testing.T) {
	st, err := data.Open(filepath.Join(t.TempDir(), "s.db"), data.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.SetName("Old name"); err != nil {
		t.Fatal(err)
	}
	u, dlg, act := storeUI(t, st)
	act(func() { u.NameDialog() })
	if len(dlg.customs) != 1 || dlg.customs[0] != "Name this store" || u.nameEntry.Text != "Old name" {
		t.Fatalf("dialog %v showing %q", dlg.customs, u.nameEntry.Text)
	}
	act(func() {
		u.nameEntry.SetText("Team B")
		test.Tap(u.nameSave)
	})
	if id, _ := st.Identity(); id.Name != "Team B" {
		t.Errorf("store name %q", id.Name)
	}
}

// The Tallies screen follows the shared "As known on" control as the other screens do: set
// on any screen (or on its own control), it shows the tallies and record sums of that time
// without a reload; cleared, the current ones.
func TestTalliesFollowKnownOn(t *testing.T) {
	clock := time.Date(2025, 11, 4, 9, 0, 0, 0, time.UTC)
	st, err := data.Open(filepath.Join(t.TempDir(), "s.db"), data.Options{Now: func() time.Time { return clock }})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	put := func(file string, tl data.Tally, incs ...data.Incident) {
		t.Helper()
		b, err := st.BeginImport(data.ImportInfo{File: file, Source: "file"})
		if err != nil {
			t.Fatal(err)
		}
		defer b.Abort()
		if err := b.PutTally(&tl); err != nil {
			t.Fatal(err)
		}
		for i := range incs {
			if err := b.PutIncident(&incs[i]); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := b.Commit(); err != nil {
			t.Fatal(err)
		}
	}
	tally := data.Tally{ID: "T-1", AsOf: data.Day(2025, 11, 6), Claimant: "Tracker", Scope: data.ScopeAll,
		Killed: data.Exactly(66), Strikes: data.Exactly(16)}
	put("week1.xlsx", tally, data.Incident{ID: "S-1", Date: data.Day(2025, 10, 1), Theatre: "Caribbean", Killed: data.Exactly(60)})
	tuesday := clock.Add(time.Hour)
	clock = clock.Add(48 * time.Hour)
	tally.Killed = data.Exactly(71)
	put("week2.xlsx", tally, data.Incident{ID: "S-2", Date: data.Day(2025, 10, 5), Theatre: "Caribbean", Killed: data.Exactly(11)})

	u, _, act := storeUI(t, st)
	act(func() { u.Show(ScreenTallies) })
	u.Wait()
	shown := func() (published, records string) {
		t.Helper()
		var p, r string
		act(func() {
			if len(u.tallies.rows) != 1 {
				t.Fatalf("%d tallies shown", len(u.tallies.rows))
			}
			p, r = u.tallies.cell(0, 3), u.tallies.cell(0, 4)
		})
		return p, r
	}
	if p, r := shown(); p != "71" || r != "71" {
		t.Fatalf("now: published %q, records %q; want 71 and 71", p, r)
	}
	when := tuesday.Local().Format("2006-01-02 15:04")
	for _, tc := range []struct {
		name         string
		set          func()
		wantP, wantR string
		wantStatus   string
	}{
		{"set on Incidents", func() { u.incidents.filter.knownOn.SetText(when) }, "66", "60", "as known on"},
		{"cleared on Overview", func() { u.overview.knownOn.knownOn.SetText("") }, "71", "71", "1 published tally"},
		{"set on the Tallies screen", func() { u.tallies.knownOnBar.knownOn.SetText(when) }, "66", "60", "as known on"},
	} {
		act(tc.set)
		u.Wait()
		if p, r := shown(); p != tc.wantP || r != tc.wantR {
			t.Errorf("%s: published %q, records %q; want %q and %q", tc.name, p, r, tc.wantP, tc.wantR)
		}
		var status, own string
		act(func() { status, own = u.tallies.status.Text, u.tallies.knownOnBar.knownOn.Text })
		if !strings.Contains(status, tc.wantStatus) {
			t.Errorf("%s: status %q lacks %q", tc.name, status, tc.wantStatus)
		}
		if want := u.incidents.filter.knownOn.Text; own != want {
			t.Errorf("%s: the Tallies control shows %q, Incidents' %q", tc.name, own, want)
		}
	}
}
