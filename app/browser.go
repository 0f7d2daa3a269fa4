package app

import (
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"sitrep/data"
)

// recordEditor is what the record screens need to show history and change records: the
// revisions, delete and restore, and the import log (to name the file a revision came from).
type recordEditor interface {
	Revisions(kind data.Kind, id string) ([]data.Revision, error)
	Delete(kind data.Kind, id string) error
	Restore(kind data.Kind, id string) error
	Imports() ([]data.ImportLog, error)
}

// screenHost is what a record screen asks of the window it is on (the UI; a fake in tests).
type screenHost interface {
	// ready reports whether the window has painted its first frame.
	ready() bool
	// showing reports whether screen is the one on screen (its tab selected, and the tabs
	// shown rather than the first-run screen).
	showing(screen string) bool
	// Reload tells every screen that the store changed.
	Reload()
}

// browserDeps are what the Incidents and Statements screens get from the window, and nothing
// else of it.
type browserDeps struct {
	work    *worker      // background reads, updates on the UI goroutine
	dlg     Dialogs      // confirmations and errors
	host    screenHost   // ready, on screen, store changed
	filters *filterState // the filters shared by the screens
	forms   *editForms   // opens the edit forms
	// trace gets timing lines for the table loads (Options.Trace); nil: none.
	trace func(string)
	// selectID is selected once the table has loaded (Options.Select); "": none.
	selectID string
}

// field is one labelled value of a record, as shown in the detail panel.
type field struct{ label, value string }

// recordKind is what differs between the Incidents and the Statements screens.
type recordKind interface {
	kind() data.Kind
	noun() string
	// model is the table model of the screen's records (columns, sort keys).
	model() rowModel
	// fields reads record id from the store and lists every field.
	fields(id string) ([]field, error)
	// fieldsOf lists the fields of a record value (a revision's old version).
	fieldsOf(rec any) []field
	// edit opens the edit form for record id; done is called after a save.
	edit(id string, done func())
}

// linkedRecords is implemented by a recordKind whose records other records point to (the
// statements about an incident): the detail panel lists them under title.
type linkedRecords interface {
	linked(id string) (title string, lines []string, err error)
}

// browser is a record screen: search box, shared filters, a virtualised table, a detail panel
// with provenance and revision history, and edit/delete/undo.
type browser struct {
	d       browserDeps
	k       recordKind
	ed      recordEditor
	search  *widget.Entry
	filter  *filterBar
	status  *widget.Label
	table   *recordTable
	detail  *fyne.Container
	editBtn *widget.Button
	delBtn  *widget.Button
	undoBtn *widget.Button
	content fyne.CanvasObject

	screen   string      // the screen name this browser is on
	dirty    bool        // a reload is due when the screen is next shown
	filt     data.Filter // the filter of the last load
	selected string      // id of the selected record
	deleted  string      // id of the last deleted record, for Undo

	mu    sync.Mutex
	timer *time.Timer
}

func newBrowser(d browserDeps, screen string, k recordKind, ed recordEditor, filterFields ...string) *browser {
	b := &browser{d: d, k: k, ed: ed, screen: screen, dirty: true}
	b.search = widget.NewEntry()
	b.search.SetPlaceHolder("Search " + string(k.kind()) + " (any text field)")
	b.search.OnChanged = func(string) { b.debouncedSearch() }
	b.filter = newFilterBar(d.filters, filterFields...)
	d.filters.listeners = append(d.filters.listeners, b.reload)
	b.status = widget.NewLabel("")
	b.status.Truncation = fyne.TextTruncateEllipsis
	b.table = newRecordTable(d.work, d.dlg, k.model(), b.showDetail)
	b.table.onState = func(busy bool, what string) {
		if busy {
			b.status.SetText(fmt.Sprintf("%s %s…", what, b.k.noun()+"s"))
		} else {
			b.status.SetText(b.countText(b.table.rows()))
		}
	}
	b.editBtn = widget.NewButtonWithIcon("Edit…", theme.DocumentCreateIcon(), func() {
		if b.selected != "" {
			b.k.edit(b.selected, func() { b.d.host.Reload(); b.showDetail(b.selected) })
		}
	})
	b.delBtn = widget.NewButtonWithIcon("Delete…", theme.DeleteIcon(), b.confirmDelete)
	b.undoBtn = widget.NewButtonWithIcon("Undo delete", theme.ContentUndoIcon(), b.undoDelete)
	b.undoBtn.Hide()
	b.editBtn.Disable()
	b.delBtn.Disable()
	hint := widget.NewLabel("Select a row to see every field, its sources, where it was imported from and its history.")
	hint.Wrapping = fyne.TextWrapWord
	b.detail = container.NewVBox(hint)
	detailPane := container.NewBorder(
		container.NewHBox(heading("Details"), layoutSpacer(), b.editBtn, b.delBtn),
		nil, nil, nil, container.NewVScroll(b.detail))
	top := container.NewVBox(
		container.NewBorder(nil, nil, widget.NewIcon(theme.SearchIcon()), nil, b.search),
		container.NewHScroll(b.filter.content),
	)
	split := container.NewHSplit(b.table.table, detailPane)
	split.Offset = 0.7
	b.content = container.NewBorder(top, container.NewBorder(nil, nil, nil, b.undoBtn, b.status), nil, nil, split)
	return b
}

// debouncedSearch applies the search text a moment after the last key stroke: the table
// filters the rows it has loaded (a million rows are read once, not once per letter).
func (b *browser) debouncedSearch() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.timer != nil && b.timer.Stop() {
		b.d.work.jobs.Done() // the stopped timer's job will not run
	}
	b.d.work.jobs.Add(1)
	b.timer = time.AfterFunc(250*time.Millisecond, func() {
		defer b.d.work.jobs.Done()
		b.d.work.do(func() {
			if b.dirty || !b.shown() {
				b.reload()
				return
			}
			b.table.setSearch(b.search.Text)
		})
	})
}

// currentFilter is the shared filter plus this screen's search text.
func (b *browser) currentFilter() data.Filter {
	f := b.d.filters.f
	f.Search = strings.TrimSpace(b.search.Text)
	return f
}

// shown reports whether this browser's screen is on screen.
func (b *browser) shown() bool {
	return b.d.host.showing(b.screen)
}

// reloadIfDirty reloads when a change happened while the screen was hidden (or never loaded).
func (b *browser) reloadIfDirty() {
	if b.dirty {
		b.reload()
	}
}

// reload re-reads the rows in the background; a newer reload cancels an older one. While the
// screen is hidden, or before the window's first frame, it only notes that a reload is due.
func (b *browser) reload() {
	if !b.d.host.ready() || !b.shown() {
		b.dirty = true
		return
	}
	b.dirty = false
	f := b.currentFilter()
	b.filt = f
	b.table.trace, b.table.traceName = b.d.trace, b.screen
	b.table.load(f, func(n int) {
		b.status.SetText(fmt.Sprintf("Loading %s… %s read", b.k.kind(), thousands(n)))
	}, func(v rowView, err error) {
		if err != nil {
			b.status.SetText("Could not read " + string(b.k.kind()) + ": " + plainError(err))
			return
		}
		b.status.SetText(b.countText(v.Len()))
		if id := b.d.selectID; id != "" && b.selected == "" {
			b.table.selectID(id)
		}
		if b.selected != "" {
			b.showDetail(b.selected)
		}
	})
}

func (b *browser) countText(n int) string {
	noun := b.k.noun() + "s"
	if n == 1 {
		noun = b.k.noun()
	}
	s := thousands(n) + " " + noun
	f := b.filt
	f.Search = b.table.search
	if d := f.Describe(); d != "" {
		s += " (" + d + ")"
	}
	return s
}

// showDetail fills the detail panel with every field of record id, its provenance and its
// revision history.
func (b *browser) showDetail(id string) {
	b.selected = id
	fs, err := b.k.fields(id)
	if err != nil {
		b.detail.Objects = []fyne.CanvasObject{widget.NewLabel(plainError(err))}
		b.detail.Refresh()
		b.editBtn.Disable()
		b.delBtn.Disable()
		return
	}
	b.editBtn.Enable()
	b.delBtn.Enable()
	var objs []fyne.CanvasObject
	revs, err := b.ed.Revisions(b.k.kind(), id)
	files := map[string]string{}
	if len(revs) > 0 {
		if log, err := b.ed.Imports(); err == nil {
			for _, e := range log {
				files[e.ID] = filepath.Base(e.File)
			}
		}
	}
	switch {
	case err != nil:
		objs = append(objs, widget.NewLabel("History unavailable: "+plainError(err)))
	case len(revs) == 0:
		objs = append(objs, heading("History"), widget.NewLabel("No earlier versions: unchanged since it was first imported."))
	default:
		objs = append(objs, heading(fmt.Sprintf("History (%d earlier version%s)", len(revs), plural(len(revs)))))
		// Walk from newest to oldest, diffing each old version against the one that replaced it.
		newer := fs
		for i := len(revs) - 1; i >= 0; i-- {
			r := revs[i]
			old := b.k.fieldsOf(r.Record)
			by := r.By
			if by == "" {
				by = "an edit"
			} else if by != "edit" {
				if f, ok := files[by]; ok {
					by = fmt.Sprintf("the import of %s (%s)", f, by)
				} else {
					by = "import " + by
				}
			} else {
				by = "an edit in Sitrep"
			}
			lines := diffFields(old, newer)
			text := fmt.Sprintf("Changed %s by %s:", r.Replaced.Local().Format("2 Jan 2006 15:04"), by)
			if len(lines) == 0 {
				text += " no visible field changed."
			} else {
				text += "\n" + strings.Join(lines, "\n")
			}
			l := widget.NewLabel(text)
			l.Wrapping = fyne.TextWrapWord
			objs = append(objs, l)
			newer = old
		}
	}
	if lk, ok := b.k.(linkedRecords); ok {
		title, lines, err := lk.linked(id)
		if err != nil {
			objs = append(objs, widget.NewLabel("Linked statements unavailable: "+plainError(err)))
		} else {
			objs = append(objs, widget.NewSeparator(), heading(title))
			for _, line := range lines {
				l := widget.NewLabel(line)
				l.Wrapping = fyne.TextWrapWord
				l.Selectable = true
				objs = append(objs, l)
			}
		}
	}
	objs = append(objs, widget.NewSeparator(), fieldGrid(fs))
	b.detail.Objects = objs
	b.detail.Refresh()
}

// diffFields lists "Label: old → new" for each field that differs.
func diffFields(old, cur []field) []string {
	idx := map[string]string{}
	for _, f := range cur {
		idx[f.label] = f.value
	}
	var out []string
	for _, f := range old {
		if v, ok := idx[f.label]; ok && v != f.value {
			out = append(out, fmt.Sprintf("  %s: %s → %s", f.label, orDash(f.value), orDash(v)))
		}
	}
	return out
}

func (b *browser) confirmDelete() {
	id := b.selected
	if id == "" {
		return
	}
	b.d.dlg.Confirm("Delete "+b.k.noun()+"?",
		fmt.Sprintf("Delete %s %s? The deleted version is kept in its history, and you can undo this.", b.k.noun(), id),
		func(ok bool) {
			if !ok {
				return
			}
			if err := b.ed.Delete(b.k.kind(), id); err != nil {
				showError(b.d.dlg, "Could not delete "+id, err)
				return
			}
			b.deleted = id
			b.selected = ""
			b.undoBtn.SetText("Undo delete of " + id)
			b.undoBtn.Show()
			b.detail.Objects = []fyne.CanvasObject{widget.NewLabel(fmt.Sprintf("Deleted %s %s.", b.k.noun(), id))}
			b.detail.Refresh()
			b.editBtn.Disable()
			b.delBtn.Disable()
			b.d.host.Reload()
		})
}

func (b *browser) undoDelete() {
	if b.deleted == "" {
		return
	}
	id := b.deleted
	if err := b.ed.Restore(b.k.kind(), id); err != nil {
		showError(b.d.dlg, "Could not restore "+id, err)
		return
	}
	b.deleted = ""
	b.undoBtn.Hide()
	b.selected = id
	b.d.host.Reload()
}

// fieldGrid shows fields as a two-column form with wrapped values.
func fieldGrid(fs []field) fyne.CanvasObject {
	form := widget.NewForm()
	for _, f := range fs {
		v := widget.NewLabel(orDash(f.value))
		v.Wrapping = fyne.TextWrapWord
		v.Selectable = true
		form.Append(f.label, v)
	}
	return form
}

func orDash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "—"
	}
	return s
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// thousands formats n with thin separators: 1,000,000.
func thousands(n int) string { return data.Thousands(n) }

func layoutSpacer() fyne.CanvasObject { return layout.NewSpacer() }
