package main

import (
	"errors"
	"fmt"

	"sitrep/app"
)

// openGUIStore opens the store file for the desktop app.
func openGUIStore(path string) (app.Store, error) {
	return nil, fmt.Errorf("open %s: the store is not part of this build yet", path)
}

// startErrorText says in plain words why the app could not start on path.
func startErrorText(path string, err error) string {
	return fmt.Sprintf("Sitrep could not open its data file\n%s\n\n%s", path, err)
}

// addServices plugs the importers, charts, positions and demo data into opts.
func addServices(opts *app.Options) {}

var _ = errors.New
