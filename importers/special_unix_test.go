//go:build unix

package importers

import (
	"errors"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// Issue 14, defect 9: a named pipe was "empty (0 bytes)", and an import of one blocked in
// open(2) where Ctrl-C could not stop it. Pipes and devices are refused before any open.
func TestSpecialFilesAreRefused(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "pipe.csv")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	tests := []struct{ path, want string }{
		{fifo, "named pipe"},
		{"/dev/null", "character device"},
	}
	for _, tt := range tests {
		_, err := Inspect(tt.path, Options{}) // a blocking open would hang here
		if !errors.Is(err, ErrUnsupported) || !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), "0 bytes") {
			t.Errorf("Inspect(%s) = %v, want ErrUnsupported saying %q", tt.path, err, tt.want)
		}
	}
}
