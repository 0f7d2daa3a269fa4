//go:build linux

package cli

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestHugeCSVLineUnderAddressLimit imports CSV files with one 400 MB record under a 3 GiB
// address-space limit (`prlimit --as`), as issue 14 tried: a long line, a quoted cell of many
// short lines, and a line of millions of tiny cells. Each fails with one clear line, no
// "fatal error: out of memory", and a bounded peak RSS (measured about 110 MB each; the
// bound here is 1 GiB). 633cf11 ran out of memory on the first; session 1's 16 MiB cap still
// let the second and third grow unbounded.
func TestHugeCSVLineUnderAddressLimit(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 400 MB files")
	}
	if _, err := exec.LookPath("prlimit"); err != nil {
		t.Skip("prlimit (util-linux) is not installed")
	}
	dir := t.TempDir()
	db := filepath.Join(dir, "sitrep.db")
	loadDemo(t, db)
	const mb = 1 << 20
	cases := []struct {
		name   string
		record func(w *bufio.Writer) // writes 400 MB after "L-2,2025-03-01,"
		want   string
	}{
		{"one long line", func(w *bufio.Writer) {
			chunk := strings.Repeat("x", mb)
			for range 400 {
				w.WriteString(chunk)
			}
			w.WriteString(",1\n")
		}, "a record longer than 16 MiB"},
		{"quoted cell of many lines", func(w *bufio.Writer) {
			chunk := strings.Repeat(strings.Repeat("q", 1023)+"\n", 1024)
			w.WriteString("\"")
			for range 400 {
				w.WriteString(chunk)
			}
			w.WriteString("\",1\n")
		}, "a record longer than 16 MiB"},
		{"millions of cells", func(w *bufio.Writer) {
			chunk := strings.Repeat("a,", mb/2)
			for range 400 {
				w.WriteString(chunk)
			}
			w.WriteString("1\n")
		}, "a record with more than 1,048,576 cells"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			csv := filepath.Join(dir, "huge.csv")
			f, err := os.Create(csv)
			if err != nil {
				t.Fatal(err)
			}
			w := bufio.NewWriterSize(f, mb)
			w.WriteString("id,date,actor,killed\nL-1,2025-03-01,United States,1\nL-2,2025-03-01,")
			tc.record(w)
			w.WriteString("L-3,2025-03-01,United States,3\n")
			if err := w.Flush(); err != nil {
				t.Fatal(err)
			}
			f.Close()
			defer os.Remove(csv)
			c := runChild(t, nil, []string{"prlimit", "--as=3221225472"}, 5*time.Minute, "import", "--db", db, csv)
			if c.code != 1 || strings.Count(strings.TrimSpace(c.stderr), "\n") != 0 || !strings.Contains(c.stderr, tc.want) ||
				strings.Contains(c.stderr, "fatal error") {
				t.Errorf("exit %d, stderr %q; want exit 1 and one line saying %q", c.code, firstBytes(c.stderr, 600), tc.want)
			}
			t.Logf("peak RSS %d MB", c.maxRSS>>20)
			if c.maxRSS > 1<<30 {
				t.Errorf("peak RSS %d MB, want under 1 GiB", c.maxRSS>>20)
			}
		})
	}
}

// firstBytes is s cut to at most n bytes (a goroutine dump is long).
func firstBytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
