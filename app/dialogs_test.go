package app

import (
	"io"
	"os"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// TestPathDialogs: the save dialog takes a full path typed into it as it is (it used to be
// joined onto the current folder), a bare name in the remembered folder, and adds the default
// extension; the open dialog has a path entry too.
func TestPathDialogs(t *testing.T) {
	a := test.NewTempApp(t)
	w := a.NewWindow("dialogs")
	w.Resize(fyne.NewSize(1000, 700))
	remembered, elsewhere := t.TempDir(), t.TempDir()
	a.Preferences().SetString(prefExportDir, remembered)
	d := &fyneDialogs{win: w, prefs: a.Preferences()}

	tests := []struct {
		typed, want string
	}{
		{filepath.Join(elsewhere, "briefing.png"), filepath.Join(elsewhere, "briefing.png")},
		{"slide.png", filepath.Join(remembered, "slide.png")},
		{filepath.Join(elsewhere, "noext"), filepath.Join(elsewhere, "noext.png")},
	}
	for _, tc := range tests {
		var got string
		d.SaveFile(prefExportDir, "chart.png", func(out io.WriteCloser, p string) {
			got = p
			out.Write([]byte("x"))
			out.Close()
		})
		if want := filepath.Join(remembered, "chart.png"); d.lastPath.Text != want {
			t.Errorf("save dialog starts at %q, want %q", d.lastPath.Text, want)
		}
		d.lastPath.SetText(tc.typed)
		d.lastConfirm()
		if got != tc.want {
			t.Errorf("typed %q: saved to %q, want %q", tc.typed, got, tc.want)
		}
		if b, err := os.ReadFile(tc.want); err != nil || string(b) != "x" {
			t.Errorf("typed %q: file %q: %v", tc.typed, b, err)
		}
		a.Preferences().SetString(prefExportDir, remembered)
	}

	// Open: a full path to a file opens; a folder or a missing file does not.
	file := filepath.Join(elsewhere, "briefing.png")
	for _, tc := range []struct {
		typed string
		ok    bool
	}{{file, true}, {elsewhere, false}, {filepath.Join(elsewhere, "missing.xlsx"), false}} {
		var got string
		d.OpenFile(prefImportDir, []string{".xlsx"}, func(p string) { got = p })
		d.lastPath.SetText(tc.typed)
		d.lastConfirm()
		if (got == tc.typed) != tc.ok {
			t.Errorf("open %q: got %q, want ok=%v", tc.typed, got, tc.ok)
		}
	}
}
