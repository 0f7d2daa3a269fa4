package main

import (
	"errors"
	"fmt"
	"image"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"

	"sitrep/app"
	_ "sitrep/app/locale" // before Fyne initialises: a clean start under LANG=C.UTF-8
	"sitrep/assets"
	"sitrep/data"
	"sitrep/internal/buildinfo"
	"sitrep/internal/cli"
)

// appID keys the preferences (window size, theme, folders, recent stores).
const appID = "org.sitrep.app"

// runGUI opens the desktop app on the store file given (else $SITREP_DB, else the default
// store; see data.StorePath) and returns its exit status when the window closes. Hidden environment variables, for
// screenshots and measurements: SITREP_SCREEN opens a given screen (overview, incidents,
// statements, charts, positions, imports); SITREP_THEME (light, dark) overrides the theme;
// SITREP_SIZE=WxH sizes the window; SITREP_SELECT=ID selects a record on the start screen;
// SITREP_SINCE=DATE fills the Positions screen's "Changed since"; SITREP_IMPORT=FILE[:FILE]
// starts the import flow on files; SITREP_RESTORE=list opens File > Restore a backup…, and
// SITREP_RESTORE=N picks the Nth backup listed there and asks the confirmation;
// SITREP_KNOWN_ON=WHEN sets the shared "As known on" control; SITREP_CHANGES=WHEN opens View >
// What changed… from WHEN to now; SITREP_CONFLICTS=1 opens File > Merge conflicts…;
// SITREP_STARTUP_TRACE=1 prints the time from process start to the first painted frame on
// stderr.
func runGUI(given string, stderr io.Writer) int {
	icon := fyne.NewStaticResource("icon.png", assets.IconPNG())
	fyneapp.SetMetadata(fyne.AppMetadata{
		ID: appID, Name: "Sitrep", Version: buildinfo.Version(), Build: 1, Icon: icon, Release: true,
		Migrations: map[string]bool{"fyneDo": true},
	})
	a := fyneapp.NewWithID(appID)
	a.SetIcon(icon)
	w := a.NewWindow("Sitrep")
	w.SetIcon(icon)

	path := data.StorePath(given)
	if err := os.MkdirAll(dirOf(path), 0o755); err != nil {
		fmt.Fprintf(stderr, "sitrep: %v\n", err)
	}
	trace := os.Getenv("SITREP_STARTUP_TRACE") != ""
	if trace {
		fmt.Fprintf(stderr, "sitrep: window created %s after process start\n", processAge())
	}
	st, err := app.OpenStore(path)
	if trace {
		fmt.Fprintf(stderr, "sitrep: store open %s after process start\n", processAge())
	}
	if err != nil {
		fmt.Fprintf(stderr, "sitrep: %s\n", cli.OneLine(err.Error()))
		if !errors.Is(err, data.ErrStoreGone) {
			app.ShowStartError(w, path, err)
			return 1
		}
		// The way out in the window: restore a backup, or start a new, empty store.
		var ui *app.UI
		app.ShowGoneStore(w, path, guiOptions(nil).Backups, app.OpenStore, app.OpenNewStore, func(st app.Store) {
			ui = startUI(a, w, st, stderr, trace)
		})
		w.ShowAndRun()
		if ui == nil {
			return 1
		}
		return closeUI(ui, stderr)
	}
	ui := startUI(a, w, st, stderr, trace)
	w.ShowAndRun()
	return closeUI(ui, stderr)
}

// startUI builds the app's window on the store st and applies the hidden environment
// variables runGUI describes.
func startUI(a fyne.App, w fyne.Window, st app.Store, stderr io.Writer, trace bool) *app.UI {
	opts := guiOptions(st)
	opts.Screen = app.ScreenArea() // the window exists: GLFW is set up, on the main goroutine
	if trace {
		opts.Trace = func(line string) { fmt.Fprintf(stderr, "sitrep: %s\n", line) }
	}
	ui := app.New(a, w, opts)
	var ww, wh float32
	if _, err := fmt.Sscanf(os.Getenv("SITREP_SIZE"), "%gx%g", &ww, &wh); err == nil && ww > 100 && wh > 100 {
		w.Resize(fyne.NewSize(ww, wh))
	}
	if trace {
		fmt.Fprintf(stderr, "sitrep: screens built %s after process start\n", processAge())
		traceFirstFrame(w, stderr)
	}
	if r := os.Getenv("SITREP_RESTORE"); r != "" {
		ui.RestoreDialog()
		if n, err := strconv.Atoi(r); err == nil {
			ui.PickBackup(n)
		}
	}
	if k := os.Getenv("SITREP_KNOWN_ON"); k != "" {
		if t, err := data.ParseKnownOn(k); err == nil {
			ui.SetKnownOn(t)
		}
	}
	if k := os.Getenv("SITREP_CHANGES"); k != "" {
		if t, err := data.ParseKnownOn(k); err == nil {
			ui.ShowChanges(t)
		}
	}
	if os.Getenv("SITREP_CONFLICTS") != "" {
		ui.ShowConflicts("")
	}
	if f := os.Getenv("SITREP_IMPORT"); f != "" {
		ui.ImportFiles(strings.Split(f, string(os.PathListSeparator)))
	}
	return ui
}

// closeUI waits for the window's background work and closes its store once the window closed.
func closeUI(ui *app.UI, stderr io.Writer) int {
	ui.Wait()
	if err := ui.Store().Close(); err != nil {
		fmt.Fprintf(stderr, "sitrep: closing the store: %v\n", err)
		return 1
	}
	return 0
}

// guiOptions wires the store and the core's services into the app.
func guiOptions(st app.Store) app.Options {
	return app.WithCore(app.Options{
		Store:       st,
		Version:     buildinfo.Version(),
		StartScreen: os.Getenv("SITREP_SCREEN"),
		Theme:       os.Getenv("SITREP_THEME"),
		Select:      os.Getenv("SITREP_SELECT"),
		Since:       os.Getenv("SITREP_SINCE"),
	})
}

func dirOf(p string) string {
	if i := strings.LastIndexAny(p, `/\`); i > 0 {
		return p[:i]
	}
	return "."
}

// traceFirstFrame prints how long after process start the window painted its first frame: a
// 1x1 raster's generator runs when the canvas paints.
func traceFirstFrame(w fyne.Window, stderr io.Writer) {
	done := false
	r := canvas.NewRaster(func(int, int) image.Image {
		if !done {
			done = true
			fmt.Fprintf(stderr, "sitrep: first frame %s after process start\n", processAge())
		}
		return image.NewUniform(image.Transparent)
	})
	r.SetMinSize(fyne.NewSize(1, 1))
	w.SetContent(container.NewStack(w.Content(), container.NewWithoutLayout(r)))
	r.Resize(fyne.NewSize(1, 1))
}

// processAge is the time since the process started, from /proc (Linux), else since main ran.
func processAge() time.Duration {
	stat, err1 := os.ReadFile("/proc/self/stat")
	up, err2 := os.ReadFile("/proc/uptime")
	if err1 == nil && err2 == nil {
		s := string(stat)
		if i := strings.LastIndexByte(s, ')'); i > 0 {
			f := strings.Fields(s[i+1:])
			// Fields after the command: state is f[0], so starttime (field 22) is f[19].
			if len(f) > 19 {
				ticks, e1 := strconv.ParseFloat(f[19], 64)
				upSec, e2 := strconv.ParseFloat(strings.Fields(string(up))[0], 64)
				if e1 == nil && e2 == nil {
					return time.Duration((upSec - ticks/100) * float64(time.Second)).Round(10 * time.Millisecond)
				}
			}
		}
	}
	return time.Since(mainStart).Round(time.Millisecond)
}

var mainStart = time.Now()
