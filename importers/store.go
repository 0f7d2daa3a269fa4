package importers

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"sitrep/assets"
	"sitrep/data"
)

// Store is what an import needs of the store: a batch per file and somewhere to remember
// column mappings. *data.Store satisfies it.
type Store interface {
	Settings
	BeginImport(info data.ImportInfo) (*data.Batch, error)
}

// Import sources recorded in the import log.
const (
	SourceFile = "file"
	SourceDemo = "demo"
)

// ImportPlan writes an inspected plan to the store as one all-or-nothing batch, remembers its
// mappings (unless it is a dry run) and returns the audit. name is the file as the user named
// it, for the import log and the report. The error, when not nil, is also in the report.
func ImportPlan(ctx context.Context, st Store, plan *Plan, name, source string, progress Progress) (*FileReport, error) {
	dry := plan.Options().DryRun
	batch, err := st.BeginImport(data.ImportInfo{File: name, SHA256: plan.SHA256(), Source: source, DryRun: dry})
	if err != nil {
		return failedReport(name, dry, err), err
	}
	defer batch.Abort() // does nothing after a commit
	rep, err := Run(ctx, plan, batch, progress)
	rep.Path = name
	if err != nil {
		return rep, err
	}
	if !dry {
		if err := plan.RememberMappings(st); err != nil {
			rep.Warnings = append(rep.Warnings, fmt.Sprintf("the column mapping could not be remembered: %v", err))
		}
	}
	return rep, nil
}

// ImportFile inspects the file at path with opts and imports it (see ImportPlan).
func ImportFile(ctx context.Context, st Store, path string, opts Options, progress Progress) (*FileReport, error) {
	plan, err := Inspect(path, opts)
	if err != nil {
		return failedReport(path, opts.DryRun, err), err
	}
	defer plan.Close()
	return ImportPlan(ctx, st, plan, path, SourceFile, progress)
}

func failedReport(path string, dry bool, err error) *FileReport {
	return &FileReport{Path: path, Status: StatusFailed, Error: err.Error(), DryRun: dry, Sheets: []*SheetReport{}}
}

// LoadDemo imports the bundled demo data (assets.Demo) through the same path as a user's
// files, one import per table with source "demo". Loading it again adds nothing: the tables
// carry ids, so a second load counts every record as unchanged.
func LoadDemo(ctx context.Context, st Store, vocab data.Vocabulary) (*Report, error) {
	dir, err := os.MkdirTemp("", "sitrep-demo-")
	if err != nil {
		return nil, fmt.Errorf("demo data: %w", err)
	}
	defer os.RemoveAll(dir)
	report := &Report{}
	for _, name := range assets.DemoFiles {
		path := filepath.Join(dir, name)
		if err := copyOut(assets.Demo(), name, path); err != nil {
			return report, fmt.Errorf("demo data: %w", err)
		}
		plan, err := Inspect(path, Options{Vocabulary: vocab})
		if err != nil {
			return report, fmt.Errorf("demo data: %w", err)
		}
		rep, err := ImportPlan(ctx, st, plan, "demo/"+name, SourceDemo, nil)
		plan.Close()
		report.Files = append(report.Files, rep)
		if err != nil {
			return report, fmt.Errorf("demo data: %w", err)
		}
	}
	return report, nil
}

// copyOut writes the file name of fsys to dst.
func copyOut(fsys fs.FS, name, dst string) error {
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		return err
	}
	return os.WriteFile(dst, b, 0o600)
}
