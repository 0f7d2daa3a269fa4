package cli

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sitrep/data"
	"sitrep/internal/storetest"
)

// oneLineErr fails unless stderr is exactly one line containing want.
func oneLineErr(t *testing.T, what, stderr, want string) {
	t.Helper()
	if !strings.Contains(stderr, want) || strings.Count(stderr, "\n") != 1 {
		t.Errorf("%s: stderr %q, want one line with %q", what, stderr, want)
	}
}

// Issue 14, defect 9: "--" was not honoured: a file named "-odd.csv" after it was a flag.
func TestImportDoubleDash(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	body := "id,date,actor,killed\nD-1,2025-03-01,United States,2\n"
	if err := os.WriteFile("-odd.csv", []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCLI(t, "import", "--db", "s.db", "--", "-odd.csv")
	if code != 0 || !strings.Contains(out, "-odd.csv") {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	if code, _, errOut := runCLI(t, "import", "--db", "s.db", "-odd.csv"); code != 2 {
		t.Errorf("without --: exit %d, %s; want a usage error", code, errOut)
	}
}

// Issue 14, defect 3: import and demo into an emptied or missing store with backups beside it
// stop and say so; --new goes ahead; and demo makes a backup like any import.
func TestGoneStoreNeedsNew(t *testing.T) {
	db := filepath.Join(t.TempDir(), "s.db")
	loadDemo(t, db)
	if _, err := os.Stat(db + ".backup-1"); err != nil {
		t.Fatalf("demo made no backup: %v", err)
	}
	csv := filepath.Join(t.TempDir(), "a.csv")
	os.WriteFile(csv, []byte("id,date,actor,killed\nG-1,2025-03-01,United States,2\n"), 0o644)
	for _, gone := range []func() error{func() error { return os.Truncate(db, 0) }, func() error { return os.Remove(db) }} {
		if err := gone(); err != nil {
			t.Fatal(err)
		}
		code, _, errOut := runCLI(t, "import", "--db", db, csv)
		if code != 1 {
			t.Errorf("import into a gone store: exit %d", code)
		}
		oneLineErr(t, "import", errOut, "the store is gone but backups exist: restore one, or pass --new")
		code, _, errOut = runCLI(t, "demo", "--db", db)
		if code != 1 {
			t.Errorf("demo into a gone store: exit %d", code)
		}
		oneLineErr(t, "demo", errOut, "pass --new")
	}
	if code, _, e := runCLI(t, "import", "--new", "--db", db, csv); code != 0 {
		t.Fatalf("import --new: %s", e)
	}
}

// Issue 14, defect 5: a store damaged inside is refused for writing, with the way out: sitrep
// check says what is wrong, sitrep salvage copies every readable record.
func TestCheckAndSalvage(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "s.db")
	csv := filepath.Join(dir, "big.csv")
	var b strings.Builder
	b.WriteString("id,date,actor,killed,notes\n")
	for i := range 3000 {
		fmt.Fprintf(&b, "C-%d,2025-03-01,United States,%d,check-marker %s\n", i, i%5, strings.Repeat("n", 150))
	}
	os.WriteFile(csv, []byte(b.String()), 0o644)
	if code, _, e := runCLI(t, "import", "--db", db, csv); code != 0 {
		t.Fatal(e)
	}
	code, out, _ := runCLI(t, "check", "--db", db)
	if code != 0 || !strings.Contains(out, "is sound: 3000 incidents") {
		t.Fatalf("check of a sound store: exit %d, %s", code, out)
	}
	if err := storetest.DamageLeaf(db, "check-marker"); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(db)
	code, _, errOut := runCLI(t, "import", "--db", db, csv)
	if code != 1 {
		t.Errorf("import into a damaged store: exit %d", code)
	}
	oneLineErr(t, "import", errOut, "sitrep salvage --out NEW.db")
	if after, _ := os.ReadFile(db); !bytes.Equal(before, after) {
		for off := 0; off < len(before) && off < len(after); off += 4096 {
			if !bytes.Equal(before[off:off+4096], after[off:off+4096]) {
				t.Logf("page %d differs", off/4096)
			}
		}
		t.Errorf("the refused import changed the store file (%d -> %d bytes)", len(before), len(after))
	}
	code, _, errOut = runCLI(t, "check", "--db", db)
	if code != 1 {
		t.Errorf("check of a damaged store: exit %d", code)
	}
	oneLineErr(t, "check", errOut, "sitrep salvage --db")
	newDB := filepath.Join(dir, "new.db")
	code, out, errOut = runCLI(t, "salvage", "--db", db, "--out", newDB)
	if code != 0 || !strings.Contains(out, "salvaged") || !strings.Contains(out, "could not read") {
		t.Fatalf("salvage: exit %d\n%s\n%s", code, out, errOut)
	}
	code, out, _ = runCLI(t, "check", "--db", newDB)
	if code != 0 || !strings.Contains(out, "is sound") || strings.Contains(out, ": 3000 incidents") || strings.Contains(out, ": 0 incidents") {
		t.Errorf("check of the salvaged store: exit %d, %s", code, out)
	}
	if code, _, errOut := runCLI(t, "salvage", "--db", db); code != 2 || !strings.Contains(errOut, "--out") {
		t.Errorf("salvage without --out: exit %d, %s", code, errOut)
	}
}

// Issue 14 (session 2): a byte changed inside one record's text, which bbolt's page check
// cannot see. check names the record, import refuses without changing the file, and salvage
// copies every other record and names the one it left out.
func TestCheckFindsAChangedByteInARecord(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "s.db")
	csv := filepath.Join(dir, "a.csv")
	var b strings.Builder
	b.WriteString("id,date,actor,killed,notes\n")
	for i := range 300 {
		fmt.Fprintf(&b, "R-%03d,2025-03-01,United States,%d,text of row %03d to look for\n", i, i%5, i)
	}
	os.WriteFile(csv, []byte(b.String()), 0o644)
	if code, _, e := runCLI(t, "import", "--db", db, csv); code != 0 {
		t.Fatal(e)
	}
	raw, err := os.ReadFile(db)
	if err != nil {
		t.Fatal(err)
	}
	at := bytes.Index(raw, []byte("text of row 157 to look for"))
	if at < 0 {
		t.Fatal("record text not found in the file")
	}
	raw[at+3] ^= 0x20 // "texT of row 157"
	if err := os.WriteFile(db, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := runCLI(t, "check", "--db", db)
	if code != 1 {
		t.Errorf("check: exit %d", code)
	}
	oneLineErr(t, "check", errOut, `incident "R-157"`)
	code, _, errOut = runCLI(t, "import", "--db", db, csv)
	if code != 1 {
		t.Errorf("import into the damaged store: exit %d", code)
	}
	oneLineErr(t, "import", errOut, "sitrep salvage --out NEW.db")
	if after, _ := os.ReadFile(db); !bytes.Equal(raw, after) {
		t.Errorf("the refused import changed the store file")
	}
	newDB := filepath.Join(dir, "new.db")
	code, out, errOut := runCLI(t, "salvage", "--db", db, "--out", newDB)
	if code != 0 || !strings.Contains(out, ": 299 incidents") || !strings.Contains(out, `left out incident "R-157"`) {
		t.Fatalf("salvage: exit %d\n%s\n%s", code, out, errOut)
	}
	code, out, _ = runCLI(t, "check", "--db", newDB)
	if code != 0 || !strings.Contains(out, "is sound: 299 incidents") {
		t.Errorf("check of the salvaged store: exit %d, %s", code, out)
	}
}

// Issue 14, defect 7: a 20000x20000 picture at 1200 DPI ran out of memory; and the DPI was
// blamed for a pixel size.
func TestChartRasterIsBounded(t *testing.T) {
	db := demoDB(t)
	out := filepath.Join(t.TempDir(), "x.png")
	for _, c := range []struct {
		args       []string
		want, flag string
	}{
		{[]string{"--width", "20000", "--height", "20000", "--dpi", "1200"}, "megapixels", "--width/--height"},
		{[]string{"--size", "9000x9000"}, "megapixels", "--size"},
		{[]string{"--size", "20x10"}, "want between", "--size"},
		{[]string{"--dpi", "5000"}, "DPI", "--dpi"},
	} {
		args := append([]string{"chart", "--db", db, "--kind", "strikes", "--out", out}, c.args...)
		code, _, errOut := runCLI(t, args...)
		if code != 2 || !strings.Contains(errOut, c.flag+": ") || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d, %q; want a usage error on %s saying %q", c.args, code, errOut, c.flag, c.want)
		}
	}
}

// Issue 14, defect 8: a failed import left the store file as large as it had made it. A
// --strict import that fails at its last row has written thousands of rows first.
func TestFailedImportGivesBackTheSpace(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "s.db")
	loadDemo(t, db)
	fi, _ := os.Stat(db)
	size0 := fi.Size()
	csv := filepath.Join(dir, "big.csv")
	var b strings.Builder
	b.WriteString("id,date,actor,killed,notes\n")
	for i := range 40000 {
		fmt.Fprintf(&b, "F-%d,2025-03-01,United States,%d,%s\n", i, i%5, strings.Repeat("n", 100))
	}
	b.WriteString("F-bad,2025-03-01,United States,NaN,x\n")
	os.WriteFile(csv, []byte(b.String()), 0o644)
	code, _, errOut := runCLI(t, "import", "--strict", "--db", db, csv)
	if code != 1 || !strings.Contains(errOut, "gave back") {
		t.Fatalf("exit %d, %s", code, errOut)
	}
	fi, _ = os.Stat(db)
	if fi.Size() > size0 {
		t.Errorf("store grew from %d to %d bytes after a failed import", size0, fi.Size())
	}
	code, out, _ := runCLI(t, "check", "--db", db)
	if code != 0 || !strings.Contains(out, "17 incidents") {
		t.Errorf("check after give-back: exit %d, %s", code, out)
	}
	// The failed import is still in the import log, failed, saying why (session 2).
	st, err := data.Open(db, data.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	log, err := st.Imports()
	if err != nil {
		t.Fatal(err)
	}
	last := log[0] // newest first
	if filepath.Base(last.File) != "big.csv" || last.Status != data.StatusFailed || !strings.Contains(last.Error, "rejected") {
		t.Errorf("last import log entry after give-back: %+v; want big.csv failed, saying rows were rejected", last)
	}
}
