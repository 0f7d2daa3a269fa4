//go:build linux

package cli

// Issue 14: restore and stats racing an import, in real processes, many times.

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"sitrep/data"
)

// countIDs counts the incidents of the store file at path whose id starts with prefix.
func countIDs(t *testing.T, path, prefix string) int {
	t.Helper()
	st, err := data.Open(path, data.Options{ReadOnly: true, Timeout: 10 * time.Second})
	if err != nil {
		t.Fatalf("open %s: %v", filepath.Base(path), err)
	}
	defer st.Close()
	if err := st.Check(); err != nil {
		t.Fatalf("%s: %v", filepath.Base(path), err)
	}
	n := 0
	err = st.ForEachIncident(data.Filter{}, func(r *data.Incident) error {
		if strings.HasPrefix(r.ID, prefix) {
			n++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestRestoreRacesImport starts `sitrep import` and `sitrep restore 1` on one store at
// nearly the same moment, many times. Each may succeed or find the store locked, but when
// both succeed they must have taken turns: the import's rows are in the store (the import
// ran after the restore), or in the copy the restore kept, and then that copy was not written
// after the restore had exited. Before issue 14 restore let go of the lock between its check
// and its renames: an import that slipped in went on writing into the file the restore had
// moved away, after "restored".
func TestRestoreRacesImport(t *testing.T) {
	if testing.Short() {
		t.Skip("runs 2 x 16 processes")
	}
	base := t.TempDir()
	tmpl := filepath.Join(base, "tmpl.db")
	loadDemo(t, tmpl)
	extra := filepath.Join(base, "extra.csv")
	writeBigCSV(t, extra, "X", 20000) // a larger backup: a longer restore
	if code, _, e := runCLI(t, "import", "--db", tmpl, extra); code != 0 {
		t.Fatalf("import: %s", e)
	}
	const rows = 3000
	both := 0
	for trial := range 16 {
		dir := filepath.Join(base, fmt.Sprint(trial))
		os.Mkdir(dir, 0o755)
		db := filepath.Join(dir, "sitrep.db")
		copyFile(t, tmpl, db)
		copyFile(t, data.BackupPath(tmpl, 1), data.BackupPath(db, 1))
		prefix := fmt.Sprintf("T%d-", trial)
		in := filepath.Join(dir, "in.csv")
		writeBigCSV(t, in, prefix[:len(prefix)-1], rows)

		var imp, res *child
		if trial%2 == 0 {
			imp = startChild(t, nil, nil, 2*time.Minute, "import", "--db", db, in)
			time.Sleep(time.Duration(rand.IntN(400)) * time.Millisecond)
			res = startChild(t, nil, nil, 2*time.Minute, "restore", "--db", db, "1")
		} else {
			// Both wait for a third process to let go of the store, then rush in: the
			// restore's check and the import's open come within milliseconds.
			release := holdStore(t, db)
			res = startChild(t, nil, nil, 2*time.Minute, "restore", "--db", db, "1")
			imp = startChild(t, nil, nil, 2*time.Minute, "import", "--db", db, in)
			time.Sleep(300 * time.Millisecond)
			release()
		}
		<-imp.done
		<-res.done
		for _, c := range []*child{imp, res} {
			if c.code != 0 && !strings.Contains(c.stderr, "is open in another Sitrep process") {
				t.Fatalf("trial %d: exit %d: %s", trial, c.code, c.stderr)
			}
			if strings.Contains(c.stderr, "damaged") {
				t.Fatalf("trial %d: %s", trial, c.stderr)
			}
		}
		inStore := countIDs(t, db, prefix)
		if imp.code != 0 {
			if inStore != 0 {
				t.Errorf("trial %d: a failed import left %d rows", trial, inStore)
			}
			continue
		}
		if inStore == rows {
			continue // the import ran last (or alone)
		}
		if inStore != 0 {
			t.Fatalf("trial %d: %d of %d rows in the store", trial, inStore, rows)
		}
		// Not in the store: the restore must have come after the whole import.
		if res.code != 0 {
			t.Fatalf("trial %d: the import succeeded, the restore failed, and the rows are gone", trial)
		}
		both++
		kept := strings.TrimSpace(res.stdout[strings.LastIndex(res.stdout, "kept as ")+len("kept as "):])
		if fi, err := os.Stat(kept); err != nil || fi.ModTime().After(res.exited) {
			t.Errorf("trial %d: the import wrote into the copy the restore kept after the restore had exited: its %d rows are lost to the store (%v)", trial, rows, err)
		}
		if n := countIDs(t, kept, prefix); n != rows {
			t.Errorf("trial %d: the kept copy holds %d of the import's %d rows", trial, n, rows)
		}
	}
	t.Logf("%d of 16 trials had both succeed, in turn", both)
}

// TestStatsRacesImport starts `sitrep stats` while `sitrep import` grows the store, many
// times: stats waits for the lock or says the store is busy, never "damaged" (issue 14: it
// looked at the file's size before it held the lock, and called a growing file truncated).
func TestStatsRacesImport(t *testing.T) {
	if testing.Short() {
		t.Skip("runs 2 x 10 processes")
	}
	base := t.TempDir()
	db := filepath.Join(base, "sitrep.db")
	loadDemo(t, db)
	for trial := range 10 {
		in := filepath.Join(base, fmt.Sprintf("in%d.csv", trial))
		writeBigCSV(t, in, fmt.Sprintf("S%d", trial), 4000)
		imp := startChild(t, nil, nil, 2*time.Minute, "import", "--db", db, in)
		time.Sleep(time.Duration(rand.IntN(300)) * time.Millisecond)
		st := startChild(t, nil, nil, 2*time.Minute, "stats", "--db", db, "--json")
		<-imp.done
		<-st.done
		if imp.code != 0 {
			t.Fatalf("trial %d: import: %s", trial, imp.stderr)
		}
		if st.code != 0 && !strings.Contains(st.stderr, "is open in another Sitrep process") {
			t.Errorf("trial %d: stats during an import: exit %d: %s", trial, st.code, st.stderr)
		}
	}
}
