package charts

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"sitrep/data"
	"sitrep/importers"
)

// importedStore imports a real file (from ../shared) into a new store, skipping the test
// when the file is not there.
func importedStore(t testing.TB, path string) *data.Store {
	t.Helper()
	if _, err := os.Stat(path); err != nil {
		t.Skipf("real test file not available: %v", err)
	}
	st, err := data.Open(filepath.Join(t.TempDir(), "sitrep.db"), data.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := importers.ImportFile(context.Background(), st, path, importers.Options{}, nil); err != nil {
		t.Fatalf("importing %s: %v", path, err)
	}
	return st
}
