package app

import (
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"

	"sitrep/data"
)

// Issue 14: the lock and damaged-store messages told Windows users to "start Sitrep with
// SITREP_DB=/path/to/other.db". They name --db, with a path of the user's system.
func TestStartErrorTextNamesDBFlag(t *testing.T) {
	path := "/x/sitrep.db"
	want := "--db /path/to/"
	if runtime.GOOS == "windows" {
		want = `--db "C:\Users\`
	}
	for _, err := range []error{data.ErrLocked, data.ErrCorrupt, data.ErrStoreGone} {
		txt := startErrorText(path, fmt.Errorf("%s: %w", path, err))
		if strings.Contains(txt, "SITREP_DB") {
			t.Errorf("%v: %q tells users to set SITREP_DB", err, txt)
		}
		if !errors.Is(err, data.ErrStoreGone) && !strings.Contains(txt, want) {
			t.Errorf("%v: %q does not say %q", err, txt, want)
		}
	}
	if txt := startErrorText(path, data.ErrStoreGone); !strings.Contains(txt, "sitrep restore --db /x/sitrep.db 1") {
		t.Errorf("gone store: %q", txt)
	}
}
