package app

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

var screenTitles = map[string]string{
	ScreenOverview: "Overview", ScreenIncidents: "Incidents", ScreenStatements: "Statements",
	ScreenCharts: "Charts", ScreenMap: "Map", ScreenPositions: "Positions", ScreenImports: "Imports", ScreenTallies: "Tallies",
}

// mainMenu builds File, View and Help.
func (u *UI) mainMenu() *fyne.MainMenu {
	importItem := fyne.NewMenuItem("Import…", u.ImportDialog)
	importItem.Shortcut = &desktop.CustomShortcut{KeyName: fyne.KeyO, Modifier: fyne.KeyModifierShortcutDefault}
	importItem.Icon = theme.FolderOpenIcon()
	exportItem := fyne.NewMenuItem("Export data…", u.exportData)
	var mergeItems []*fyne.MenuItem
	if _, ok := u.store.(mergeStore); ok {
		mergeItems = append(mergeItems, fyne.NewMenuItem("Merge another store…", u.MergeDialog),
			fyne.NewMenuItem("Merge conflicts…", func() { u.ShowConflicts("") }))
	}
	exportItem.Shortcut = &desktop.CustomShortcut{KeyName: fyne.KeyE, Modifier: fyne.KeyModifierShortcutDefault}
	backupItem := fyne.NewMenuItem("Save a copy of the store…", u.saveCopy)
	backupItem.Shortcut = &desktop.CustomShortcut{KeyName: fyne.KeyS, Modifier: fyne.KeyModifierShortcutDefault | fyne.KeyModifierShift}
	file := fyne.NewMenu("File", importItem, exportItem)
	file.Items = append(file.Items, mergeItems...)
	if _, ok := u.store.(namedStore); ok {
		file.Items = append(file.Items, fyne.NewMenuItem("Name this store…", u.NameDialog))
	}
	file.Items = append(file.Items, fyne.NewMenuItemSeparator(), backupItem)
	if u.canRestore() {
		file.Items = append(file.Items, fyne.NewMenuItem("Restore a backup…", u.RestoreDialog))
	}
	if u.opts.OpenStore != nil {
		open := fyne.NewMenuItem("Open another store…", u.openStoreDialog)
		recent := fyne.NewMenuItem("Recent stores", nil)
		recent.ChildMenu = fyne.NewMenu("")
		for _, p := range u.recentStores() {
			recent.ChildMenu.Items = append(recent.ChildMenu.Items, fyne.NewMenuItem(p, func() { u.OpenStore(p) }))
		}
		if len(recent.ChildMenu.Items) == 0 {
			none := fyne.NewMenuItem("(none yet)", nil)
			none.Disabled = true
			recent.ChildMenu.Items = append(recent.ChildMenu.Items, none)
		}
		file.Items = append(file.Items, open, recent)
	}
	if u.opts.WriteTemplate != nil {
		file.Items = append(file.Items, fyne.NewMenuItemSeparator(), fyne.NewMenuItem("Save a blank import template…", u.saveTemplate))
	}

	themeMenu := fyne.NewMenu("")
	cur := u.app.Preferences().StringWithFallback(prefTheme, themeSystem)
	for _, c := range []struct{ id, label string }{{themeSystem, "Follow the system"}, {themeLight, "Light"}, {themeDark, "Dark"}} {
		it := fyne.NewMenuItem(c.label, func() { u.setTheme(c.id); u.win.SetMainMenu(u.mainMenu()) })
		it.Checked = cur == c.id
		themeMenu.Items = append(themeMenu.Items, it)
	}
	themeItem := fyne.NewMenuItem("Theme", nil)
	themeItem.ChildMenu = themeMenu
	view := fyne.NewMenu("View", themeItem, fyne.NewMenuItemSeparator())
	for i, n := range screenOrder {
		it := fyne.NewMenuItem(screenTitles[n], func() { u.Show(n) })
		it.Shortcut = &desktop.CustomShortcut{KeyName: fyne.KeyName(fmt.Sprint(i + 1)), Modifier: fyne.KeyModifierShortcutDefault}
		view.Items = append(view.Items, it)
	}
	if _, ok := u.store.(changesSource); ok {
		view.Items = append(view.Items, fyne.NewMenuItemSeparator(), fyne.NewMenuItem("What changed…", u.whatChanged))
	}
	reload := fyne.NewMenuItem("Reload", u.Reload)
	reload.Shortcut = &desktop.CustomShortcut{KeyName: fyne.KeyR, Modifier: fyne.KeyModifierShortcutDefault}
	view.Items = append(view.Items, fyne.NewMenuItemSeparator(), reload)

	help := fyne.NewMenu("Help", fyne.NewMenuItem("About Sitrep", u.about))
	return fyne.NewMainMenu(file, view, help)
}

// addShortcuts registers the menu shortcuts on the canvas too, so they work where the
// platform shows no native menu bar.
func (u *UI) addShortcuts() {
	c := u.win.Canvas()
	add := func(k fyne.KeyName, mod fyne.KeyModifier, fn func()) {
		c.AddShortcut(&desktop.CustomShortcut{KeyName: k, Modifier: mod}, func(fyne.Shortcut) { fn() })
	}
	def := fyne.KeyModifierShortcutDefault
	add(fyne.KeyO, def, u.ImportDialog)
	add(fyne.KeyE, def, u.exportData)
	add(fyne.KeyS, def|fyne.KeyModifierShift, u.saveCopy)
	add(fyne.KeyR, def, u.Reload)
	for i, n := range screenOrder {
		add(fyne.KeyName(fmt.Sprint(i+1)), def, func() { u.Show(n) })
	}
}

// toolbar is the strip above the screens.
func (u *UI) toolbar() fyne.CanvasObject {
	return widget.NewToolbar(
		widget.NewToolbarAction(theme.FolderOpenIcon(), u.ImportDialog),
		widget.NewToolbarAction(theme.DocumentSaveIcon(), u.exportData),
		widget.NewToolbarSeparator(),
		widget.NewToolbarAction(theme.ViewRefreshIcon(), u.Reload),
		widget.NewToolbarSpacer(),
		widget.NewToolbarAction(theme.InfoIcon(), u.about),
	)
}

func (u *UI) about() {
	v := u.opts.Version
	if v == "" {
		v = "development build"
	}
	u.dlg.Info("About Sitrep", fmt.Sprintf(
		"Sitrep %s\n\nImports incident and statement spreadsheets, charts strikes and deaths over time, "+
			"and compares government positions. Works offline; nothing leaves this computer.\n\n"+
			"Data location:\n%s\n\nPreferences: %s", v, u.store.Path(), u.app.UniqueID()))
}

// saveCopy writes a consistent copy of the store (File > Save a copy of the store…).
func (u *UI) saveCopy() {
	name := strings.TrimSuffix(filepath.Base(u.store.Path()), ".db") + "-copy.db"
	u.dlg.SaveFile(prefExportDir, name, func(w io.WriteCloser, path string) {
		u.runWithProgress("Saving a copy", "Writing "+filepath.Base(path)+"…", func(ctx context.Context, progress func(float64, string)) (string, error) {
			defer w.Close()
			n, err := u.store.Backup(w)
			if err != nil {
				return "", err
			}
			return fmt.Sprintf("Saved a copy of the store (%s bytes) to\n%s", thousands(int(n)), path), nil
		})
	})
}

func (u *UI) saveTemplate() {
	u.dlg.SaveFile(prefExportDir, "sitrep-template.xlsx", func(w io.WriteCloser, path string) {
		defer w.Close()
		if err := u.opts.WriteTemplate(w, vocabularyOf(u.store)); err != nil {
			u.showError("Could not write the template", err)
			return
		}
		u.dlg.Info("Template saved", "Saved a blank template with the Incidents, Statements and Tallies sheets to\n"+path)
	})
}

func (u *UI) recentStores() []string {
	var out []string
	for _, p := range strings.Split(u.app.Preferences().String(prefRecent), "\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func (u *UI) rememberStore(path string) {
	list := slices.DeleteFunc(u.recentStores(), func(p string) bool { return p == path })
	list = append([]string{path}, list...)
	if len(list) > 8 {
		list = list[:8]
	}
	u.app.Preferences().SetString(prefRecent, strings.Join(list, "\n"))
}

func (u *UI) openStoreDialog() {
	u.dlg.OpenFile("folder.store", []string{".db"}, u.OpenStore)
}

// OpenStore switches the window to another store file; the current one is closed. A store
// open in another Sitrep window is reported as such and the current store stays open.
func (u *UI) OpenStore(path string) {
	if u.opts.OpenStore == nil {
		return
	}
	if path == u.store.Path() {
		return
	}
	s, err := u.opts.OpenStore(path)
	if err != nil {
		u.showError("Could not open "+path, err)
		return
	}
	u.Wait()
	old := u.rememberCurrent()
	u.store = s
	u.rebindStore()
	if old != nil {
		old.Close()
	}
	u.rememberStore(path)
	u.win.SetMainMenu(u.mainMenu())
	u.Reload()
}

func (u *UI) rememberCurrent() Store {
	u.rememberStore(u.store.Path())
	return u.opts.Store
}

// rebindStore points every screen at u.store.
func (u *UI) rebindStore() {
	old := u.opts.Store
	u.opts.Store = u.store
	u.overview.src = u.store
	u.incidents.setStore(u.store)
	u.statements.setStore(u.store)
	u.positions.src = u.store
	u.positions.order, u.positions.selActor, u.positions.selTopic = nil, "", "" // another store, other actors
	u.imports.src = u.store
	u.charts.store = u.store
	u.maps.src = u.store
	_ = old
}
