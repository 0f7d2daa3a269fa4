// Package app is Sitrep's desktop interface: a Fyne window with one screen per file (overview,
// incidents, statements, charts, positions, imports) over the store, the importers and the
// charts. It never imports Fyne's app package: the caller hands it a fyne.App (the real one in
// main, test.NewTempApp in tests) and the store; WithCore fills the services from the core
// packages. The store and the services are interfaces typed in the core's own types
// (*data.Store satisfies Store as it is), so tests hand in fakes and every screen can be
// driven headless.
package app

import (
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"io"
	"sync"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"sitrep/charts"
	"sitrep/data"
	"sitrep/importers"
)

// Store is what the app reads and writes through: *data.Store satisfies it (checked below);
// tests hand in an in-memory fake. It is every screen's source, and what the core services
// read (charts.Source, importers.Store, data.PositionsSource).
type Store interface {
	incidentSource
	statementSource
	tallySource
	overviewSource
	importLog
	positionSource
	vocabularyStore
	charts.Source
	importers.Store
	Path() string
	Close() error
	Backup(w io.Writer) (int64, error)
	// BackupBeforeImport saves the rotating backup made before every import.
	BackupBeforeImport() (string, error)
}

var _ Store = (*data.Store)(nil)

// Options are the store and the services the window works with. Only Store is required: a
// missing service disables the part of the interface that needs it, with a plain explanation.
type Options struct {
	Store Store
	// Version is shown in Help > About.
	Version string
	// Importer reads spreadsheets; nil disables importing.
	Importer Importer
	// Charts renders charts; nil shows an explanation instead of the preview.
	Charts ChartRenderer
	// Positions exports the positions grid; nil disables those exports.
	Positions PositionsExporter
	// Export writes records as .xlsx or .csv (File > Export data…): importers.ExportRecords,
	// or a fake; nil disables exporting.
	Export DataExporter
	// Backups saves the automatic backup before each import and restores backups (File >
	// Restore a backup…); nil imports without a backup and hides the restore item.
	Backups Backups
	// LoadDemo loads the bundled demo data into the store.
	LoadDemo func(ctx context.Context, s Store) error
	// WriteTemplate writes a blank import template (xlsx) with the stance words v to w
	// (importers.WriteTemplate).
	WriteTemplate func(w io.Writer, v data.Vocabulary) error
	// OpenStore opens another store file (File > Open another store); nil hides the item.
	OpenStore func(path string) (Store, error)
	// Dialogs shows dialogs; nil uses Fyne's dialogs on the window.
	Dialogs Dialogs
	// StartScreen selects the first screen by name ("overview", "incidents", ...).
	StartScreen string
	// Theme, when set ("light", "dark", "system"), overrides the remembered theme for this run.
	Theme string
	// Select, when set, selects the record with this id once the start screen's table has
	// loaded (for screenshots and links).
	Select string

	// Screen is the usable area of the screen (ScreenArea); the window opens at a size that
	// fits it. Zero: unknown (tests), the remembered or default size is used as it is.
	Screen fyne.Size

	// Trace, when set, gets timing lines ("incidents: first rows shown after 120ms") for the
	// startup and table measurements (SITREP_STARTUP_TRACE).
	Trace func(line string)

	// Since, when set, is the Positions screen's first "Changed since" date (for screenshots).
	Since string

	// uiLock, when set, is the mutex that serialises widget updates (tests share it with the
	// goroutine that drives the widgets).
	uiLock *sync.Mutex
}

// Screen names, as used by Options.StartScreen, the View menu and preferences.
const (
	ScreenOverview   = "overview"
	ScreenIncidents  = "incidents"
	ScreenStatements = "statements"
	ScreenCharts     = "charts"
	ScreenMap        = "map"
	ScreenPositions  = "positions"
	ScreenImports    = "imports"
	ScreenTallies    = "tallies"
)

// Preference keys.
const (
	prefWidth      = "window.width"
	prefHeight     = "window.height"
	prefTheme      = "theme"
	prefRecent     = "recent.stores"
	prefImportDir  = "folder.import"
	prefExportDir  = "folder.export"
	prefLastScreen = "screen"
)

// UI is the main window's content and behaviour.
type UI struct {
	app   fyne.App
	win   fyne.Window
	opts  Options
	store Store
	dlg   Dialogs

	filters *filterState

	tabs       *container.AppTabs
	tabByName  map[string]*container.TabItem
	banner     *fyne.Container
	bannerText *canvas.Text
	body       *fyne.Container

	overview   *overviewScreen
	incidents  *incidentsScreen
	statements *statementsScreen
	charts     *chartsScreen
	maps       *mapScreen
	positions  *positionsScreen
	imports    *importsScreen
	tallies    *talliesScreen
	firstRun   *firstRunScreen

	// forms opens the edit forms (and keeps the last one, for tests).
	forms *editForms
	// opened holds the dialogs opened last (for tests and screenshots).
	opened openedDialogs
	// changes, conflicts and lastMerge are the last What changed view, conflict list and
	// merge result (for tests).
	changes   *changesView
	conflicts *conflictsView
	lastMerge *data.MergeResult
	// nameEntry and nameSave are the last Name this store dialog's widgets (for tests).
	nameEntry *widget.Entry
	nameSave  *widget.Button

	bannerGen generation
	painted   bool
	// onChange are the screens' reactions to a change of the store (Reload calls them);
	// storeGen counts the changes.
	onChange []func()
	storeGen atomic.Int64

	mu sync.Mutex
	*worker
}

// openedDialogs are the last dialog of each kind the window opened, kept so that tests and
// screenshots can drive them.
type openedDialogs struct {
	progress *progressDialog
	preview  *importPreview
	audit    *auditView
	vocab    *vocabEditor
	exporter *exportChooser
	restore  *restoreView
}

// worker runs the screens' background work and applies its results on the UI goroutine.
// Screens that need nothing else of the window get it instead of the whole UI.
type worker struct {
	uiMu *sync.Mutex
	jobs sync.WaitGroup
}

// New builds the interface into w: menu, shortcuts, screens and drag-and-drop import. The
// window keeps its remembered size; call w.ShowAndRun (or Show) afterwards.
func New(a fyne.App, w fyne.Window, opts Options) *UI {
	if opts.Store == nil {
		panic("app.New: Options.Store is nil")
	}
	u := &UI{app: a, win: w, opts: opts, store: opts.Store, filters: newFilterState(), worker: &worker{uiMu: opts.uiLock}}
	if u.uiMu == nil {
		u.uiMu = &sync.Mutex{}
	}
	u.dlg = opts.Dialogs
	if u.dlg == nil {
		u.dlg = &fyneDialogs{win: w, prefs: a.Preferences()}
	}
	th := opts.Theme
	if th == "" {
		th = a.Preferences().StringWithFallback(prefTheme, themeSystem)
	}
	applyTheme(a, th)

	u.overview = newOverviewScreen(u.worker, u.store, u.filters)
	u.forms = &editForms{dlg: u.dlg}
	rec := browserDeps{work: u.worker, dlg: u.dlg, host: u, filters: u.filters, forms: u.forms,
		trace: opts.Trace, selectID: opts.Select}
	u.incidents = newIncidentsScreen(rec, u.store)
	u.statements = newStatementsScreen(rec, u.store)
	u.charts = newChartsScreen(u)
	u.maps = newMapScreen(u)
	u.positions = newPositionsScreen(u)
	u.imports = newImportsScreen(u.worker, u.dlg, u.store, u.ImportDialog, u.Reload)
	u.tallies = newTalliesScreen(u, u.store)
	named, _ := u.store.(namedStore)
	u.firstRun = newFirstRunScreen(firstRunActions{
		loadDemo: u.opts.LoadDemo != nil, importFile: u.opts.Importer != nil, saveTemplate: u.opts.WriteTemplate != nil,
		onDemo: u.loadDemo, onImport: u.ImportDialog, onTemplate: u.saveTemplate, store: named})
	// Every screen reads again what it shows when the store changes, whatever changed it.
	for _, fn := range []func(){func() { u.filters.reloadChoices(u.worker, u.store) }, u.refreshBanner, u.overview.reload,
		u.incidents.reload, u.statements.reload, u.charts.storeChanged, u.maps.storeChanged, u.positions.reload, u.imports.reload,
		u.tallies.reload} {
		u.subscribe(fn)
	}

	u.tabByName = map[string]*container.TabItem{
		ScreenOverview:   container.NewTabItem("Overview", u.overview.content),
		ScreenIncidents:  container.NewTabItem("Incidents", u.incidents.content),
		ScreenStatements: container.NewTabItem("Statements", u.statements.content),
		ScreenCharts:     container.NewTabItem("Charts", u.charts.content),
		ScreenMap:        container.NewTabItem("Map", u.maps.content),
		ScreenPositions:  container.NewTabItem("Positions", u.positions.content),
		ScreenTallies:    container.NewTabItem("Tallies", u.tallies.content),
		ScreenImports:    container.NewTabItem("Imports", u.imports.content),
	}
	u.tabs = container.NewAppTabs()
	for _, n := range screenOrder {
		u.tabs.Append(u.tabByName[n])
	}
	u.tabs.SetTabLocation(container.TabLocationLeading)
	u.tabs.OnSelected = func(ti *container.TabItem) {
		for n, t := range u.tabByName {
			if t == ti {
				a.Preferences().SetString(prefLastScreen, n)
				u.screenShown(n)
			}
		}
	}

	u.bannerText = canvas.NewText("", nil)
	u.banner = newBanner(u.bannerText)
	u.banner.Hide()
	u.body = container.NewStack(u.tabs)

	// A 1x1 raster tells when the window has painted its first frame: the big reads (a
	// million table rows) wait for it, so the window appears at once whatever the store's size.
	firstPaint := canvas.NewRaster(func(int, int) image.Image {
		u.firstFrame()
		return image.NewUniform(color.Transparent)
	})
	w.SetContent(container.NewStack(
		container.NewBorder(container.NewVBox(u.toolbar(), u.banner), nil, nil, nil, u.body),
		container.NewWithoutLayout(firstPaint)))
	firstPaint.Resize(fyne.NewSize(1, 1))
	u.jobs.Add(1)
	time.AfterFunc(firstFrameFallback, func() { // no paint (headless tests): go ahead anyway
		defer u.jobs.Done()
		u.firstFrame()
	})
	w.SetMainMenu(u.mainMenu())
	u.addShortcuts()
	u.bindWindow(a, w)
	w.SetTitle(u.title())
	start := opts.StartScreen
	if start == "" {
		start = a.Preferences().StringWithFallback(prefLastScreen, ScreenOverview)
	}
	u.Show(start)
	u.Reload()
	return u
}

// bindWindow makes w import the files dropped on it, and keeps its size (restored from the
// preferences, saved when it closes or the app quits).
func (u *UI) bindWindow(a fyne.App, w fyne.Window) {
	w.SetOnDropped(func(_ fyne.Position, uris []fyne.URI) {
		var paths []string
		for _, x := range uris {
			if x.Scheme() == "file" {
				paths = append(paths, x.Path())
			}
		}
		if len(paths) > 0 {
			u.ImportFiles(paths)
		}
	})
	prefs := a.Preferences()
	// The size the user left the window at (or the default), made to fit the screen: on a
	// 1366x768 laptop the window must never be taller than the screen.
	w.Resize(fitWindow(fyne.NewSize(
		float32(prefs.FloatWithFallback(prefWidth, float64(defaultWindow.Width))),
		float32(prefs.FloatWithFallback(prefHeight, float64(defaultWindow.Height)))), u.opts.Screen))
	saveSize := func() {
		s := w.Canvas().Size()
		if s.Width > 200 && s.Height > 200 {
			prefs.SetFloat(prefWidth, float64(s.Width))
			prefs.SetFloat(prefHeight, float64(s.Height))
		}
	}
	w.SetCloseIntercept(func() {
		saveSize()
		w.Close()
	})
	a.Lifecycle().SetOnStopped(saveSize) // File > Quit does not pass through the intercept
}

var screenOrder = []string{ScreenOverview, ScreenIncidents, ScreenStatements, ScreenTallies, ScreenCharts, ScreenMap, ScreenPositions, ScreenImports}

// firstFrameFallback is how long big reads wait for the first paint at most.
const firstFrameFallback = 300 * time.Millisecond

// firstFrame marks the window as painted (once) and starts the reads that were held back.
func (u *UI) firstFrame() {
	u.mu.Lock()
	if u.painted {
		u.mu.Unlock()
		return
	}
	u.painted = true
	u.mu.Unlock()
	u.jobs.Add(1)
	go func() {
		defer u.jobs.Done()
		u.do(func() { u.screenShown(u.Current()) })
	}()
}

// ready reports whether the first frame has been painted.
func (u *UI) ready() bool {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.painted
}

// screenShown loads what a screen needs when it becomes visible: the record tables read
// their rows only when shown (and again after a change only if shown, or when next shown).
func (u *UI) screenShown(name string) {
	switch name {
	case ScreenIncidents:
		u.incidents.reloadIfDirty()
	case ScreenStatements:
		u.statements.reloadIfDirty()
	case ScreenCharts:
		u.charts.refreshPreview()
	case ScreenMap:
		u.maps.shown()
	}
}

// showing reports whether screen is on screen: its tab selected, and the tabs shown (not the
// first-run screen).
func (u *UI) showing(screen string) bool {
	return u.tabs != nil && u.tabByName[screen] == u.tabs.Selected() && u.body.Objects[0] == u.tabs
}

// openIncident shows incident id on the Incidents screen, with its detail (the Map screen's
// dots open their incident).
func (u *UI) openIncident(id string) {
	if t, ok := u.tabByName[ScreenIncidents]; ok && u.tabs != nil {
		u.tabs.Select(t)
	}
	u.incidents.showDetail(id)
}

// Show selects a screen by name; unknown names are ignored.
func (u *UI) Show(name string) {
	if t, ok := u.tabByName[name]; ok {
		u.tabs.Select(t)
	}
}

// Current returns the name of the selected screen.
func (u *UI) Current() string {
	sel := u.tabs.Selected()
	for n, t := range u.tabByName {
		if t == sel {
			return n
		}
	}
	return ""
}

// Store returns the store the window shows.
func (u *UI) Store() Store { return u.store }

func (u *UI) title() string {
	return "Sitrep"
}

// Reload tells every screen that the store changed (an import, an undo, an edit, a
// delete, a restore, the demo, another store opened, or View > Reload): each screen
// subscribed to the change reads again what it shows, in the background. No screen keeps
// what it drew from an earlier state of the store.
func (u *UI) Reload() {
	u.storeGen.Add(1)
	for _, fn := range u.onChange {
		fn()
	}
}

// subscribe calls fn (on the UI goroutine) after every change of the store.
func (u *UI) subscribe(fn func()) { u.onChange = append(u.onChange, fn) }

// StoreVersion counts the changes of the store seen so far (for tests and caches).
func (u *UI) StoreVersion() int64 { return u.storeGen.Load() }

// refreshBanner shows the demo banner when the store holds demo data, and the first-run
// screen instead of the tabs when the store is empty.
func (u *UI) refreshBanner() {
	g := u.bannerGen.next()
	u.background(func(ctx context.Context) {
		demo, err := u.store.HasDemoData()
		st, err2 := u.store.Stats(data.Filter{})
		empty := err2 == nil && st.Incidents == 0 && st.Statements == 0 && st.Tallies == 0
		u.do(func() {
			if !u.bannerGen.current(g) {
				return
			}
			if err == nil && demo {
				u.bannerText.Text = "DEMO DATA: these are the bundled sample records, not your own. " +
					"Undo the demo import (Imports screen) before presenting from this store."
				u.bannerText.Refresh()
				u.banner.Show()
			} else {
				u.banner.Hide()
			}
			wasEmpty := u.body.Objects[0] != u.tabs
			if empty {
				u.body.Objects = []fyne.CanvasObject{u.firstRun.content}
			} else {
				u.body.Objects = []fyne.CanvasObject{u.tabs}
			}
			u.body.Refresh()
			if wasEmpty && !empty {
				u.screenShown(u.Current())
			}
		})
	})
}

// do runs fn on the UI goroutine (through fyne.Do). Updates are also serialised by a mutex:
// with the GL driver they all run on the main goroutine anyway, while Fyne's test driver runs
// them on the calling goroutine, where two background reads could otherwise update widgets
// at the same time.
func (w *worker) do(fn func()) {
	fyne.Do(func() {
		w.uiMu.Lock()
		defer w.uiMu.Unlock()
		fn()
	})
}

// background runs fn in a goroutine with a context, tracked so tests (and closing) can wait.
func (w *worker) background(fn func(ctx context.Context)) {
	w.jobs.Add(1)
	go func() {
		defer w.jobs.Done()
		fn(context.Background())
	}()
}

// Wait blocks until the background work started so far has finished (for tests and for a
// clean shutdown).
func (u *UI) Wait() { u.jobs.Wait() }

// showError reports err in plain words.
func (u *UI) showError(context string, err error) { showError(u.dlg, context, err) }

// showError reports err through dlg in plain words.
func showError(dlg Dialogs, context string, err error) {
	if err == nil {
		return
	}
	dlg.Error(fmt.Errorf("%s: %s", context, plainError(err)))
}

// errorTexts are the plain words shown for the core's sentinel errors a user can meet.
var errorTexts = []struct {
	err  error
	text string
}{
	{data.ErrLocked, "this store is open in another Sitrep window; close that window (or pick another store) and try again"},
	{data.ErrSchemaTooNew, "this store was written by a newer version of Sitrep; update Sitrep to open it"},
	{data.ErrCorrupt, "this file is not a Sitrep store, or it is damaged; it was left untouched"},
	{data.ErrNotFound, "the record no longer exists (it may have been deleted, or its import undone)"},
	{data.ErrBusy, "an import is still running; wait for it to finish"},
}

// plainError turns the errors a user can meet into words they can act on.
func plainError(err error) string {
	if errors.Is(err, context.Canceled) {
		return "cancelled; nothing was changed"
	}
	for _, e := range errorTexts {
		if errors.Is(err, e.err) {
			return e.text + " (" + err.Error() + ")"
		}
	}
	return err.Error()
}
