package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"sitrep/app"
	"sitrep/data"
	"sitrep/importers"
)

func init() {
	app.ErrorTexts[data.ErrLocked] = "this store is open in another Sitrep window; close that window (or pick another store) and try again"
	app.ErrorTexts[data.ErrSchemaTooNew] = "this store was written by a newer version of Sitrep; update Sitrep to open it"
	app.ErrorTexts[data.ErrCorrupt] = "this file is not a Sitrep store, or it is damaged; it was left untouched"
	app.ErrorTexts[data.ErrNotFound] = "the record no longer exists (it may have been deleted, or its import undone)"
	app.ErrorTexts[data.ErrBusy] = "an import is still running; wait for it to finish"
}

// guiStore adapts *data.Store to app.Store (the import log in the app's own terms).
type guiStore struct {
	*data.Store
}

// Imports lists the import log for the Imports screen, summing the counts over kinds.
func (s guiStore) Imports() ([]app.ImportEntry, error) {
	logs, err := s.Store.Imports()
	if err != nil {
		return nil, err
	}
	out := make([]app.ImportEntry, 0, len(logs))
	for _, l := range logs {
		e := app.ImportEntry{ID: l.ID, File: l.File, Source: l.Source, Started: l.Started, Finished: l.Finished, Status: l.Status}
		for _, c := range l.Result.ByKind {
			e.Inserted += c.Inserted
			e.Updated += c.Updated
			e.Unchanged += c.Unchanged
		}
		out = append(out, e)
	}
	return out, nil
}

// openGUIStore opens the store file for the desktop app, waiting at most a second for another
// process to let go of it.
func openGUIStore(path string) (app.Store, error) {
	s, err := data.Open(path, data.Options{Timeout: time.Second})
	if err != nil {
		return nil, err
	}
	return guiStore{s}, nil
}

// startErrorText says in plain words why the app could not start on path.
func startErrorText(path string, err error) string {
	switch {
	case errors.Is(err, data.ErrLocked):
		return fmt.Sprintf("This store is open in another Sitrep window:\n%s\n\n"+
			"Switch to that window, or close it and start Sitrep again. "+
			"To work on another store, start Sitrep with SITREP_DB=/path/to/other.db.", path)
	case errors.Is(err, data.ErrSchemaTooNew):
		return fmt.Sprintf("This store was written by a newer version of Sitrep:\n%s\n\nUpdate Sitrep to open it. The file was not changed.", path)
	case errors.Is(err, data.ErrCorrupt):
		return fmt.Sprintf("This file is not a Sitrep store, or it is damaged:\n%s\n\nIt was left untouched. "+
			"Start Sitrep with SITREP_DB=/path/to/another.db to use another file.", path)
	}
	return fmt.Sprintf("Sitrep could not open its data file\n%s\n\n%v", path, err)
}

// addServices plugs the importers, charts, positions and demo data into opts.
func addServices(opts *app.Options) {
	opts.LoadDemo = func(ctx context.Context, s app.Store) error {
		gs, ok := s.(guiStore)
		if !ok {
			return fmt.Errorf("the demo data needs a Sitrep store")
		}
		vocab, err := gs.Vocabulary()
		if err != nil {
			return err
		}
		_, err = importers.LoadDemo(ctx, gs.Store, vocab)
		return err
	}
}
