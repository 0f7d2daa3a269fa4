package app

import (
	"context"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"sitrep/data"
)

// mergeStore is what File > Merge another store… needs: *data.Store offers it (a store that
// does not hides the item).
type mergeStore interface {
	MergeFile(path string, opts data.MergeOptions) (data.MergeResult, error)
	Conflicts() ([]data.Conflict, error)
	ResolveConflict(k data.Kind, id string, keep any) error
}

// MergeDialog is File > Merge another store…: pick a store file (a colleague's, handed over
// on a USB stick, or one written by "Export data" as a store); Sitrep says what merging it
// would do, and on confirmation backs this store up and merges it, all or nothing. Records
// both stores changed are listed for review (conflictsView).
func (u *UI) MergeDialog() {
	if _, ok := u.store.(mergeStore); !ok {
		return
	}
	u.dlg.OpenFile(prefImportDir, []string{".db"}, u.MergeFile)
}

// MergeFile previews the merge of the store at path (a dry run), then asks to merge it.
func (u *UI) MergeFile(path string) {
	ms, ok := u.store.(mergeStore)
	if !ok {
		return
	}
	u.worker.background(func(ctx context.Context) {
		dry, err := ms.MergeFile(path, data.MergeOptions{DryRun: true})
		u.worker.do(func() {
			if err != nil {
				u.showError("Could not read "+path, err)
				return
			}
			msg := fmt.Sprintf("Merging %s (%s) would add %d records, update %d and leave %d unchanged.",
				path, dry.From, dry.Added, dry.Updated, dry.Unchanged)
			if dry.Note != "" {
				msg += "\n\n" + dry.Note
			}
			if n := len(dry.Conflicts); n > 0 {
				msg += fmt.Sprintf("\n\n%d records were changed in both stores: both versions will be kept, the newer shown, and you can choose afterwards.", n)
			}
			msg += "\n\nThis store is backed up first. Merge?"
			u.dlg.Confirm("Merge another store", msg, func(ok bool) {
				if ok {
					u.runMerge(ms, path)
				}
			})
		})
	})
}

func (u *UI) runMerge(ms mergeStore, path string) {
	var res data.MergeResult
	u.runJob("Merging", "Backing up, then merging "+path+"…", func(ctx context.Context, progress func(float64, string)) error {
		if _, err := u.store.BackupBeforeImport(); err != nil {
			return fmt.Errorf("backing up before the merge: %w", err)
		}
		var err error
		res, err = ms.MergeFile(path, data.MergeOptions{})
		return err
	}, func(err error) {
		if err != nil && res.ImportID == "" {
			u.showError("The merge failed; nothing was changed", err)
			return
		}
		if err != nil {
			// Committed: only the filing of the replaced versions failed (Open retries it).
			u.showError("The merge is done, but tidying up after it did not finish", err)
		}
		u.Reload()
		u.lastMerge = &res
		msg := fmt.Sprintf("Merged %s from %s: %d added, %d updated, %d unchanged.", path, res.From, res.Added, res.Updated, res.Unchanged)
		if res.Note != "" {
			msg += "\n\n" + res.Note
		}
		if len(res.Conflicts) == 0 {
			u.dlg.Info("Merge another store", msg)
			return
		}
		u.ShowConflicts(msg)
	})
}

// conflictsView lists the merge conflicts waiting to be settled; for each, the user keeps
// this store's version or the other's, keeps the one shown, or edits it: the record's edit
// form opens filled with the version shown, and saving it settles the conflict (the edit is
// a new version of the record, kept in its history like any edit).
type conflictsView struct {
	store   mergeStore
	forms   *editForms
	list    *fyne.Container
	status  *widget.Label
	content fyne.CanvasObject
	onDone  func()
}

func newConflictsView(ms mergeStore, forms *editForms, intro string, onDone func()) *conflictsView {
	v := &conflictsView{store: ms, forms: forms, list: container.NewVBox(), onDone: onDone}
	v.status = widget.NewLabel(intro)
	v.status.Wrapping = fyne.TextWrapWord
	v.content = container.NewBorder(v.status, nil, nil, nil, container.NewVScroll(v.list))
	v.reload()
	return v
}

func (v *conflictsView) reload() {
	cs, err := v.store.Conflicts()
	v.list.RemoveAll()
	if err != nil {
		v.list.Add(widget.NewLabel("Could not read the conflicts: " + plainError(err)))
		return
	}
	if len(cs) == 0 {
		v.list.Add(widget.NewLabel("No conflicts left to settle."))
		return
	}
	for _, c := range cs {
		c := c
		kept := "this store's version is shown"
		if c.Kept == "other" {
			kept = "the version from " + c.From.String() + " is shown"
		}
		title := widget.NewLabelWithStyle(fmt.Sprintf("%s %s: %s differ; %s", recordNoun(c.Kind), c.ID,
			strings.Join(c.Fields, ", "), kept), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		title.Wrapping = fyne.TextWrapWord
		keep := func(side string) func() {
			return func() {
				rec, err := c.ConflictVersion(side)
				if err == nil {
					if rec == nil {
						err = fmt.Errorf("that side deleted the record: delete it in its screen to follow it")
					} else {
						err = v.store.ResolveConflict(c.Kind, c.ID, rec)
					}
				}
				if err != nil {
					v.status.SetText("Could not settle " + c.ID + ": " + plainError(err))
					return
				}
				v.reload()
				if v.onDone != nil {
					v.onDone()
				}
			}
		}
		mine := widget.NewButton("Keep this store's", keep("this"))
		theirs := widget.NewButton("Keep "+orDash(c.From.Name)+"'s", keep("other"))
		as := widget.NewButton("Keep as shown", func() {
			if err := v.store.ResolveConflict(c.Kind, c.ID, nil); err != nil {
				v.status.SetText("Could not settle " + c.ID + ": " + plainError(err))
				return
			}
			v.reload()
		})
		edit := widget.NewButton("Edit…", func() { v.edit(c) })
		v.list.Add(container.NewVBox(title, conflictValues(c), container.NewHBox(mine, theirs, as, edit), widget.NewSeparator()))
	}
}

// conflictValues shows what each side holds in the fields that differ, so that the user can
// choose: "killed: this store 5 · Ana 4".
func conflictValues(c data.Conflict) fyne.CanvasObject {
	diffs, err := c.Differences()
	var lines []string
	switch {
	case err != nil:
		lines = append(lines, "Could not read the two versions: "+plainError(err))
	case len(diffs) == 0:
		lines = append(lines, "One side deleted the record.")
	}
	other := orDash(c.From.Name)
	for _, d := range diffs {
		lines = append(lines, fmt.Sprintf("%s: this store %s · %s %s", d.Field, conflictValue(d.Before), other, conflictValue(d.After)))
	}
	l := widget.NewLabel(strings.Join(lines, "\n"))
	l.Wrapping = fyne.TextWrapWord
	return l
}

// conflictValue is a field's value for the conflict list: "—" when
// empty, cut at 80 characters.
func conflictValue(s string) string {
	if s == "" {
		return "—"
	}
	if r := []rune(s); len(r) > 80 {
		s = string(r[:79]) + "…"
	}
	return s
}

// edit opens the record's edit form filled with the version shown (when the shown side is a
// deletion, with the other side's version, so that saving brings the record back); saving
// settles the conflict with the edited record.
func (v *conflictsView) edit(c data.Conflict) {
	side, other, from := c.Kept, "other", "this store's version"
	if side == "other" {
		other = "this"
	}
	if other == "other" {
		from = "the version from " + c.From.String()
	}
	rec, err := c.ConflictVersion(side)
	title := fmt.Sprintf("Settle the conflict on %s %s: edit the version shown", recordNoun(c.Kind), c.ID)
	if err == nil && rec == nil {
		// The version shown is a deletion: start from the other side's.
		rec, err = c.ConflictVersion(other)
		title = fmt.Sprintf("Settle the conflict on %s %s: the version shown deletes it; edit %s to keep the record", recordNoun(c.Kind), c.ID, from)
	}
	if err == nil && rec == nil {
		err = fmt.Errorf("both sides deleted it")
	}
	var fields []*editField
	var validate func() error
	if err == nil {
		if fields, validate = recordFields(rec); fields == nil {
			err = fmt.Errorf("cannot edit a %T", rec)
		}
	}
	if err != nil {
		v.status.SetText("Could not edit " + c.ID + ": " + plainError(err))
		return
	}
	v.forms.show(title, fields, func() error {
		if err := validate(); err != nil {
			return err
		}
		return v.store.ResolveConflict(c.Kind, c.ID, rec)
	}, func() {
		v.status.SetText(fmt.Sprintf("Settled %s %s with your edit (a new version; the others stay in its history).", recordNoun(c.Kind), c.ID))
		v.reload()
		if v.onDone != nil {
			v.onDone()
		}
	})
}

// ShowConflicts opens the list of merge conflicts to settle, under intro.
func (u *UI) ShowConflicts(intro string) {
	ms, ok := u.store.(mergeStore)
	if !ok {
		return
	}
	if intro == "" {
		intro = "Records changed in both stores since they last shared a version. Both versions are kept; pick the one to keep, or edit the one shown."
	}
	v := newConflictsView(ms, u.forms, intro, u.Reload)
	u.conflicts = v
	box := container.NewGridWrap(fyne.NewSize(760, 420), v.content)
	u.dlg.Custom("Merge conflicts", "Close", box)
}
