package cli

import (
	"bytes"
	"testing"
)

// runCLI runs the command line in process and returns its exit status, stdout and stderr.
func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var o, e bytes.Buffer
	code = Run(args, &o, &e)
	return code, o.String(), e.String()
}

// loadDemo loads the demo data into the store file db (made if missing), or fails the test.
func loadDemo(t *testing.T, db string) {
	t.Helper()
	if code, _, e := runCLI(t, "demo", "--db", db); code != 0 {
		t.Fatalf("demo: exit %d: %s", code, e)
	}
}
