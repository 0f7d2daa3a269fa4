package app

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"

	"sitrep/data"
	"sitrep/importers"
)

// Importer reads spreadsheets for the import flow: coreImporter (the importers package) is
// the real one.
type Importer interface {
	// Inspect reads the start of a file and proposes how to import it into s, changing
	// nothing.
	Inspect(ctx context.Context, s Store, path string) (*importers.Plan, error)
	// Run imports the file into s as plan says, all or nothing, reporting progress as rows
	// done out of total (total may be 0 when unknown), and closes the plan.
	Run(ctx context.Context, s Store, plan *importers.Plan, progress func(done, total int)) (*importers.FileReport, error)
}

var kindChoices = []string{"Incidents", "Statements", "Tallies", "Skip this sheet"}

// kindLabel names a sheet's kind in the preview; a skipped sheet is "Skip this sheet".
func kindLabel(sp *importers.SheetPlan) string {
	if sp.Skip {
		return "Skip this sheet"
	}
	switch sp.Kind {
	case data.KindIncident:
		return "Incidents"
	case data.KindStatement:
		return "Statements"
	case data.KindTally:
		return "Tallies"
	}
	return "Skip this sheet"
}

// kindOf is the kind a preview label chooses (importers.KindIgnored to skip the sheet).
func kindOf(label string) data.Kind {
	switch label {
	case "Incidents":
		return data.KindIncident
	case "Statements":
		return data.KindStatement
	case "Tallies":
		return data.KindTally
	}
	return importers.KindIgnored
}

const ignoreColumn = "(ignore)"

// ImportDialog asks for a file and imports it (File > Import…, Ctrl+O, toolbar).
func (u *UI) ImportDialog() {
	if u.opts.Importer == nil {
		u.dlg.Info("Import", "Importing is not available in this build.")
		return
	}
	u.dlg.OpenFile(prefImportDir, []string{".xlsx", ".xlsm", ".csv"}, func(p string) { u.ImportFiles([]string{p}) })
}

// ImportFiles runs the import flow for each path in turn: preview, progress, audit.
func (u *UI) ImportFiles(paths []string) {
	if u.opts.Importer == nil {
		u.dlg.Info("Import", "Importing is not available in this build.")
		return
	}
	if len(paths) == 0 {
		return
	}
	path, rest := paths[0], paths[1:]
	next := func() { u.ImportFiles(rest) }
	var plan *importers.Plan
	store := u.store // read on the UI goroutine, which alone switches stores
	u.runJob("Reading "+filepath.Base(path), "Looking at the sheets and columns of "+filepath.Base(path)+"…",
		func(ctx context.Context, _ func(float64, string)) error {
			var err error
			plan, err = u.opts.Importer.Inspect(ctx, store, path)
			return err
		},
		func(err error) {
			if err != nil {
				if !errors.Is(err, context.Canceled) {
					u.showError("Could not read "+filepath.Base(path), err)
				}
				next()
				return
			}
			u.showPreview(plan, next)
		})
}

// runImport runs the import behind the progress dialog and shows the audit.
func (u *UI) runImport(plan *importers.Plan, next func()) {
	var rep *importers.FileReport
	var backup, gaveBack string
	name := filepath.Base(plan.Path)
	store := u.store // read on the UI goroutine, which alone switches stores
	u.runJob("Importing "+name, "Importing "+name+"… Cancel leaves the store exactly as it was.",
		func(ctx context.Context, progress func(float64, string)) error {
			if u.opts.Backups != nil {
				progress(-1, "Saving a backup of the store before importing "+name+"…")
				var err error
				if backup, err = u.opts.Backups.BeforeImport(store); err != nil {
					plan.Close()
					return &backupError{err: err}
				}
			}
			if err := ctx.Err(); err != nil {
				plan.Close()
				return err
			}
			var err error
			rep, err = u.opts.Importer.Run(ctx, store, plan, func(done, total int) {
				msg := fmt.Sprintf("Importing %s… %s rows read. Cancel leaves the store exactly as it was.", name, thousands(done))
				if total > 0 {
					progress(float64(done)/float64(total), msg)
				} else {
					progress(-1, msg)
				}
			})
			if err != nil && backup != "" {
				// A failed or cancelled import is rolled back inside the file, which keeps
				// the size the import gave it: give that space back, as the CLI does.
				progress(-1, "Giving back the disk space the import took…")
				gaveBack = giveBackAfterFailure(store)
			}
			return err
		},
		func(err error) {
			var be *backupError
			switch {
			case errors.As(err, &be):
				u.dlg.Error(fmt.Errorf("Sitrep could not save a backup of the store before importing, so nothing was imported: %s", plainError(be.err)))
			case errors.Is(err, context.Canceled):
				u.dlg.Info("Import cancelled", "The import of "+name+" was cancelled. Nothing was imported."+gaveBack)
				u.Reload() // the Imports list shows the cancelled import
			case err != nil:
				u.showError("Could not import "+name+" (nothing was imported"+gaveBack+")", err)
				u.Reload()
			default:
				u.showAudit(newAudit(rep, backup))
				u.Reload()
			}
			next()
		})
}

// giveBackAfterFailure gives back the disk space a failed or cancelled import took
// (data.Store.GiveBackAfterFailedImports: the decision the command line makes too) and says so
// in a phrase for the message ("" when there was nothing to give back or the store cannot).
func giveBackAfterFailure(s Store) string {
	gb, ok := s.(interface {
		GiveBackAfterFailedImports() (int64, error)
	})
	if !ok {
		return ""
	}
	freed, err := gb.GiveBackAfterFailedImports()
	switch {
	case err != nil:
		return "; the store file keeps the disk space the import took: " + plainError(err)
	case freed > 0:
		return "; the " + data.ByteSize(freed) + " of disk space it took were given back"
	}
	return ""
}

// backupError is a failure to save the backup made before an import (nothing was imported).
type backupError struct{ err error }

func (e *backupError) Error() string { return "backup before import: " + e.err.Error() }
func (e *backupError) Unwrap() error { return e.err }
