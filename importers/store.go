package importers

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

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
		if err := SaveReport(st, rep); err != nil {
			rep.Warnings = append(rep.Warnings, fmt.Sprintf("the audit could not be kept with the import: %v", err))
		}
	}
	return rep, nil
}

// reportKey is the setting that keeps the audit of an import.
func reportKey(importID string) string { return "import-audit/" + importID }

// SaveReport keeps the audit of a committed import in the store's settings, under its import
// id, so that the import log can show it again later (mapping, problems, counts). Reports of
// dry runs and failed imports, which have no import id, are not kept.
func SaveReport(st Settings, rep *FileReport) error {
	if rep == nil || rep.ImportID == "" || rep.DryRun || rep.Status == StatusFailed {
		return nil
	}
	b, err := json.Marshal(rep)
	if err != nil {
		return fmt.Errorf("audit of %s: %w", rep.ImportID, err)
	}
	return st.SetSetting(reportKey(rep.ImportID), b)
}

// LoadReport reads the audit kept for an import; ok is false when none was kept (an import
// made before audits were kept, or the demo data).
func LoadReport(st interface {
	Setting(key string) ([]byte, bool, error)
}, importID string) (rep *FileReport, ok bool, err error) {
	b, ok, err := st.Setting(reportKey(importID))
	if err != nil || !ok {
		return nil, false, err
	}
	rep = &FileReport{}
	if err := json.Unmarshal(b, rep); err != nil {
		return nil, false, fmt.Errorf("audit of %s: %w", importID, err)
	}
	return rep, true, nil
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

// LoadDemo imports the bundled demo data (assets.Demo) through the same reader as a user's
// files, as one import with source "demo", so that it can be marked and undone as a whole.
// Loading it again adds nothing: the tables carry ids, so a second load counts every record
// as unchanged. The report has one entry per table.
func LoadDemo(ctx context.Context, st Store, vocab data.Vocabulary) (*Report, error) {
	dir, err := os.MkdirTemp("", "sitrep-demo-")
	if err != nil {
		return nil, fmt.Errorf("demo data: %w", err)
	}
	defer os.RemoveAll(dir)
	batch, err := st.BeginImport(data.ImportInfo{File: "Sitrep demo data (" + strings.Join(assets.DemoFiles, ", ") + ")",
		Source: SourceDemo})
	if err != nil {
		return nil, fmt.Errorf("demo data: %w", err)
	}
	defer batch.Abort() // does nothing after a commit
	report := &Report{}
	kinds := make([]data.Kind, 0, len(assets.DemoFiles))
	for _, name := range assets.DemoFiles {
		path := filepath.Join(dir, name)
		if err := copyOut(assets.Demo(), name, path); err != nil {
			return report, fmt.Errorf("demo data: %w", err)
		}
		plan, err := Inspect(path, Options{Vocabulary: vocab})
		if err != nil {
			return report, fmt.Errorf("demo data: %w", err)
		}
		rep, err := Run(ctx, plan, sharedBatch{batch}, nil)
		kind := data.Kind("")
		if len(plan.Sheets) > 0 {
			kind = plan.Sheets[0].Kind
		}
		plan.Close()
		rep.Path = "demo/" + name
		report.Files = append(report.Files, rep)
		kinds = append(kinds, kind)
		if err != nil {
			return report, fmt.Errorf("demo data: %w", err)
		}
	}
	res, err := batch.Commit()
	if err != nil {
		return report, fmt.Errorf("demo data: %w", err)
	}
	for i, rep := range report.Files {
		rep.SetCounts(map[string]data.Counts{"": res.ByKind[kinds[i]]})
	}
	return report, nil
}

// sharedBatch lets several files write into one batch: Run's commit and abort are left to
// the caller, who commits (or aborts) the batch once all files are read.
type sharedBatch struct{ *data.Batch }

// Commit does nothing; the caller commits the shared batch.
func (sharedBatch) Commit() (data.ImportResult, error) { return data.ImportResult{}, nil }

// Abort does nothing; the caller aborts the shared batch.
func (sharedBatch) Abort() error { return nil }

// copyOut writes the file name of fsys to dst.
func copyOut(fsys fs.FS, name, dst string) error {
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		return err
	}
	return os.WriteFile(dst, b, 0o600)
}
