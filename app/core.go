package app

import (
	"context"
	"image"
	"io"
	"time"

	"sitrep/charts"
	"sitrep/data"
	"sitrep/importers"
)

// WithCore fills the services opts leaves nil with those of the core packages: the importers
// read and write files, the charts package draws, data keeps the backups. main calls it;
// tests leave services nil (or hand in fakes) to see what the window does without them.
func WithCore(opts Options) Options {
	if opts.Importer == nil {
		opts.Importer = coreImporter{}
	}
	if opts.Charts == nil {
		opts.Charts = coreCharts{}
	}
	if opts.Positions == nil {
		opts.Positions = corePositions{}
	}
	if opts.Export == nil {
		opts.Export = importers.ExportRecords
	}
	if opts.Backups == nil {
		opts.Backups = coreBackups{}
	}
	if opts.LoadDemo == nil {
		opts.LoadDemo = func(ctx context.Context, s Store) error {
			_, err := importers.LoadDemo(ctx, s, vocabularyOf(s))
			return err
		}
	}
	if opts.WriteTemplate == nil {
		opts.WriteTemplate = importers.WriteTemplate
	}
	if opts.OpenStore == nil {
		opts.OpenStore = OpenStore
	}
	return opts
}

// OpenStore opens the store file for the desktop app, waiting at most a second for another
// process to let go of it.
func OpenStore(path string) (Store, error) {
	s, err := data.Open(path, data.Options{Timeout: time.Second})
	if err != nil {
		return nil, err
	}
	return s, nil
}

// vocabularyOf is the store's stance vocabulary, or the default one when it has none (or
// cannot be read).
func vocabularyOf(s interface {
	Vocabulary() (data.Vocabulary, error)
}) data.Vocabulary {
	v, err := s.Vocabulary()
	if err != nil || len(v) == 0 {
		return data.DefaultVocabulary()
	}
	return v
}

// coreBackups are data's automatic backups.
type coreBackups struct{}

// BeforeImport saves the rotating backup made before every import (data.BackupBeforeImport).
func (coreBackups) BeforeImport(s Store) (string, error) { return s.BackupBeforeImport() }

// List lists the store's backups (data.ListBackups).
func (coreBackups) List(storePath string) ([]data.BackupInfo, error) {
	return data.ListBackups(storePath)
}

// Restore puts a backup in place of the store (data.RestoreBackup).
func (coreBackups) Restore(storePath, src string) (string, error) {
	return data.RestoreBackup(storePath, src)
}

// coreCharts draws with charts.Build.
type coreCharts struct{}

// Render draws spec at exactly width x height pixels.
func (coreCharts) Render(ctx context.Context, src charts.Source, spec charts.Spec, width, height int) (image.Image, error) {
	ch, err := charts.Build(src, spec)
	if err != nil {
		return nil, err
	}
	return ch.RenderImage(charts.Pixels(width, height))
}

// Export writes spec in format at size.
func (coreCharts) Export(ctx context.Context, src charts.Source, spec charts.Spec, format charts.Format, size charts.Size, w io.Writer) error {
	ch, err := charts.Build(src, spec)
	if err != nil {
		return err
	}
	return ch.Render(w, format, size)
}

// coreImporter is the Importer of the importers package.
type coreImporter struct{}

// Inspect reads the file's sheets, header rows, kinds and mappings (remembered ones included).
func (coreImporter) Inspect(ctx context.Context, s Store, path string) (*importers.Plan, error) {
	return importers.Inspect(path, importers.Options{Vocabulary: vocabularyOf(s), Settings: s, PreviewRows: 8})
}

// Run imports the plan as one all-or-nothing batch.
func (coreImporter) Run(ctx context.Context, s Store, plan *importers.Plan, progress func(done, total int)) (*importers.FileReport, error) {
	defer plan.Close()
	rep, err := importers.ImportPlan(ctx, s, plan, plan.Path, importers.SourceFile, func(n int) { progress(n, 0) })
	if err != nil {
		return nil, err
	}
	return rep, nil
}
