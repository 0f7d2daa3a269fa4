package main

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"sitrep/data"
	"sitrep/importers"
)

func init() {
	register(command{name: "template", summary: "write an empty workbook to fill in and import", run: runTemplate})
}

// runTemplate implements `sitrep template --out FILE.xlsx [--force]`.
func runTemplate(args []string, out io.Writer) error {
	fs := newFlags("template", out)
	path := fs.String("out", "", "workbook to write (.xlsx)")
	force := fs.Bool("force", false, "replace FILE if it exists")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError("unexpected argument %q (the file goes after --out)", fs.Arg(0))
	}
	if err := checkOut(*path, *force, ".xlsx"); err != nil {
		return err
	}
	err := importers.WriteFile(*path, func(w io.Writer) error {
		return importers.WriteTemplate(w, data.DefaultVocabulary())
	})
	if err != nil {
		return fmt.Errorf("writing %s: %w", *path, err)
	}
	_, err = fmt.Fprintf(out, "Wrote %s: sheets %s, %s and %s, and %q with instructions.\n", *path,
		importers.SheetIncidents, importers.SheetStatements, importers.SheetTallies, importers.SheetReadMe)
	return err
}

// checkOut checks an --out path: given, with one of the allowed extensions, and not an
// existing file unless force is set. Its errors are usage errors except for the existing file.
func checkOut(path string, force bool, exts ...string) error {
	if path == "" {
		return usageError("--out FILE is required")
	}
	ext := strings.ToLower(filepath.Ext(path))
	ok := false
	for _, e := range exts {
		ok = ok || ext == e
	}
	if !ok {
		return usageError("--out %s: the file name must end in %s", path, strings.Join(exts, " or "))
	}
	if fileExists(path) && !force {
		return fmt.Errorf("%s already exists (add --force to replace it)", path)
	}
	return nil
}
