package app

import (
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	_ "sitrep/app/locale" // tests run under LANG=C.UTF-8 too
	"sitrep/charts"
	"sitrep/data"
	"sitrep/importers"
)

var errNotFound = errors.New("not found")

// memStore is an in-memory Store for screen tests: it keeps records, revisions and an import
// log with the semantics the real store documents.
type memStore struct {
	mu         sync.Mutex
	path       string
	incidents  map[string]data.Incident
	statements map[string]data.Statement
	tallies    map[string]data.Tally
	revisions  map[string][]data.Revision
	deleted    map[string]any
	imports    []data.ImportLog
	settings   map[string][]byte
	vocab      data.Vocabulary
	closed     bool
	// refLog holds the record copies handed out as refs (fake_refs_test.go).
	refLog []any
}

func newMemStore(path string) *memStore {
	return &memStore{path: path, incidents: map[string]data.Incident{}, statements: map[string]data.Statement{},
		tallies: map[string]data.Tally{}, revisions: map[string][]data.Revision{}, deleted: map[string]any{},
		vocab: data.DefaultVocabulary()}
}

func (s *memStore) Path() string { return s.path }
func (s *memStore) Close() error { s.closed = true; return nil }
func (s *memStore) Backup(w io.Writer) (int64, error) {
	n, err := io.WriteString(w, "bbolt copy of "+s.path)
	return int64(n), err
}

// load adds records as one committed import.
func (s *memStore) load(source, file string, inc []data.Incident, st []data.Statement) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := fmt.Sprintf("imp-%d", len(s.imports)+1)
	e := data.ImportLog{ID: id, File: file, Source: source, Started: time.Date(2025, 11, 20, 10, len(s.imports), 0, 0, time.UTC), Status: "committed"}
	var inc0, st0 data.Counts
	for _, r := range inc {
		r.Provenance.ImportID = id
		if old, ok := s.incidents[r.ID]; ok {
			s.revisions["i/"+r.ID] = append(s.revisions["i/"+r.ID], data.Revision{Replaced: time.Now(), By: id, Record: old})
			inc0.Updated++
		} else {
			inc0.Inserted++
		}
		s.incidents[r.ID] = r
	}
	for _, r := range st {
		r.Provenance.ImportID = id
		s.statements[r.ID] = r
		st0.Inserted++
	}
	e.Result = data.ImportResult{ByKind: map[data.Kind]data.Counts{data.KindIncident: inc0, data.KindStatement: st0}}
	s.imports = append([]data.ImportLog{e}, s.imports...)
	return id
}

// sortedRecords lists the records of m that match selects, in date order then id (the
// store's order).
func sortedRecords[R any](m map[string]R, match func(*R) bool, date func(*R) data.Date, id func(*R) string) []R {
	var out []R
	for _, r := range m {
		if match(&r) {
			out = append(out, r)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if c := date(&out[i]).Compare(date(&out[j])); c != 0 {
			return c < 0
		}
		return id(&out[i]) < id(&out[j])
	})
	return out
}

func (s *memStore) sortedIncidents(f data.Filter) []data.Incident {
	return sortedRecords(s.incidents, f.MatchesIncident, func(r *data.Incident) data.Date { return r.Date },
		func(r *data.Incident) string { return r.ID })
}

func (s *memStore) sortedStatements(f data.Filter) []data.Statement {
	return sortedRecords(s.statements, f.MatchesStatement, func(r *data.Statement) data.Date { return r.Date },
		func(r *data.Statement) string { return r.ID })
}

func (s *memStore) sortedTallies(f data.Filter) []data.Tally {
	return sortedRecords(s.tallies, f.MatchesTally, func(r *data.Tally) data.Date { return r.AsOf },
		func(r *data.Tally) string { return r.ID })
}

// getRecord returns record id from m, or an error naming the record (noun id) wrapping
// errNotFound.
func getRecord[R any](s *memStore, m map[string]R, noun, id string) (R, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := m[id]
	if !ok {
		return r, fmt.Errorf("%s %s: %w", noun, id, errNotFound)
	}
	return r, nil
}

// saveRecord stores r as record id of kind k in m; the version it replaces becomes an edit
// revision, replaced at when.
func saveRecord[R any](s *memStore, m map[string]R, k data.Kind, id string, r R, when time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if old, ok := m[id]; ok {
		key := revKey(k, id)
		s.revisions[key] = append(s.revisions[key], data.Revision{Replaced: when, By: "edit", Record: old})
	}
	m[id] = r
}

func (s *memStore) ForEachIncident(f data.Filter, fn func(*data.Incident) error) error {
	s.mu.Lock()
	rows := s.sortedIncidents(f)
	s.mu.Unlock()
	for i := range rows {
		if err := fn(&rows[i]); err != nil {
			return err
		}
	}
	return nil
}

func (s *memStore) Incidents(f data.Filter) ([]data.Incident, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sortedIncidents(f), nil
}

func (s *memStore) Incident(id string) (data.Incident, error) {
	return getRecord(s, s.incidents, "incident", id)
}

func (s *memStore) SaveIncident(r *data.Incident) error {
	saveRecord(s, s.incidents, data.KindIncident, r.ID, *r, time.Now())
	return nil
}

func (s *memStore) Statements(f data.Filter) ([]data.Statement, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sortedStatements(f), nil
}

func (s *memStore) Statement(id string) (data.Statement, error) {
	return getRecord(s, s.statements, "statement", id)
}

func (s *memStore) SaveStatement(r *data.Statement) error {
	saveRecord(s, s.statements, data.KindStatement, r.ID, *r, time.Now())
	return nil
}

func revKey(k data.Kind, id string) string { return string(k)[:1] + "/" + id }

func (s *memStore) Revisions(k data.Kind, id string) ([]data.Revision, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]data.Revision(nil), s.revisions[revKey(k, id)]...), nil
}

func (s *memStore) Delete(k data.Kind, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch k {
	case data.KindIncident:
		r, ok := s.incidents[id]
		if !ok {
			return errNotFound
		}
		s.deleted[revKey(k, id)] = r
		s.revisions[revKey(k, id)] = append(s.revisions[revKey(k, id)], data.Revision{Replaced: time.Now(), By: "edit", Record: r})
		delete(s.incidents, id)
	case data.KindStatement:
		r, ok := s.statements[id]
		if !ok {
			return errNotFound
		}
		s.deleted[revKey(k, id)] = r
		delete(s.statements, id)
	case data.KindTally:
		r, ok := s.tallies[id]
		if !ok {
			return errNotFound
		}
		s.deleted[revKey(k, id)] = r
		delete(s.tallies, id)
	}
	return nil
}

func (s *memStore) Restore(k data.Kind, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.deleted[revKey(k, id)]
	if !ok {
		return errNotFound
	}
	switch r := v.(type) {
	case data.Incident:
		s.incidents[id] = r
	case data.Statement:
		s.statements[id] = r
	case data.Tally:
		s.tallies[id] = r
	}
	delete(s.deleted, revKey(k, id))
	return nil
}

func (s *memStore) Stats(f data.Filter) (data.Stats, error) { return s.StatsBy(f, data.ByTheatre) }

// StatsBy is Stats grouped by a place level, as *data.Store's.
func (s *memStore) StatsBy(f data.Filter, by data.PlaceLevel) (data.Stats, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := data.Stats{ByTheatre: map[string]data.Totals{}, ByActor: map[string]data.ActorSummary{}}
	for _, r := range s.sortedIncidents(f) {
		st.Add(&r)
		t := st.ByTheatre[by.Of(&r)]
		t.Add(&r)
		st.ByTheatre[by.Of(&r)] = t
		if st.FirstDate.IsZero() || r.Date.Before(st.FirstDate) {
			st.FirstDate = r.Date
		}
		if st.LastDate.IsZero() || st.LastDate.Before(r.Date) {
			st.LastDate = r.Date
		}
	}
	for _, r := range s.statements {
		st.Statements++
		a := st.ByActor[r.Actor]
		a.Statements++
		st.ByActor[r.Actor] = a
	}
	st.Tallies = len(s.tallies)
	return st, nil
}

func (s *memStore) HasDemoData() (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, e := range s.imports {
		if e.Source == "demo" && e.Status == "committed" {
			return true, nil
		}
	}
	return false, nil
}

func (s *memStore) LatestStatements(asOf data.Date, f data.Filter) ([]data.Statement, error) {
	all, _ := s.Statements(f)
	latest := map[[2]string]data.Statement{}
	for _, r := range all {
		if r.Date.Compare(asOf) > 0 {
			continue
		}
		latest[[2]string{r.Actor, r.Topic}] = r // date order, then id: last wins
	}
	var out []data.Statement
	for _, r := range latest {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

func (s *memStore) Distinct(field string) ([]string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	set := map[string]bool{}
	for _, r := range s.incidents {
		switch field {
		case "theatre":
			set[r.Theatre] = true
		case "actor":
			set[r.Actor] = true
		case "confidence":
			set[r.Confidence] = true
		}
	}
	for _, r := range s.statements {
		switch field {
		case "actor":
			set[r.Actor] = true
		case "topic":
			set[r.Topic] = true
		}
	}
	delete(set, "")
	var out []string
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return out, nil
}

func (s *memStore) Imports() ([]data.ImportLog, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]data.ImportLog(nil), s.imports...), nil
}

// Tallies: the memStore holds none.
func (s *memStore) Tallies(data.Filter) ([]data.Tally, error) { return nil, nil }

// Setting and SetSetting keep settings in memory.
func (s *memStore) Setting(key string) ([]byte, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.settings[key]
	return v, ok, nil
}

func (s *memStore) SetSetting(key string, value []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.settings == nil {
		s.settings = map[string][]byte{}
	}
	s.settings[key] = value
	return nil
}

// BackupBeforeImport is refused: the tests back up through fakeBackups.
func (s *memStore) BackupBeforeImport() (string, error) {
	return "", errors.New("memStore: backups go through the fake backups")
}

// BeginImport is refused: the tests import through fakeImporter.
func (s *memStore) BeginImport(data.ImportInfo) (*data.Batch, error) {
	return nil, errors.New("memStore: imports go through the fake importer")
}

func (s *memStore) UndoImport(id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range s.imports {
		if s.imports[i].ID == id {
			s.imports[i].Status = "undone"
			for k, r := range s.incidents {
				if r.Provenance.ImportID == id {
					delete(s.incidents, k)
				}
			}
			for k, r := range s.statements {
				if r.Provenance.ImportID == id {
					delete(s.statements, k)
				}
			}
			return nil
		}
	}
	return errNotFound
}

func (s *memStore) Vocabulary() (data.Vocabulary, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.vocab, nil
}

func (s *memStore) SetVocabulary(v data.Vocabulary) error {
	if err := v.Validate(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.vocab = v
	return nil
}

// demoIncidents and demoStatements are a small hand-made data set.
func demoIncidents() []data.Incident {
	return []data.Incident{
		{ID: "US-01", Date: data.Day(2025, 9, 2), Theatre: "Caribbean", Location: "Off Venezuela", Actor: "United States",
			Target: "Speedboat", Vessels: data.Exactly(1), Killed: data.Exactly(11), Survivors: data.Exactly(0),
			Confidence: "official claim", Source: "Truth Social post", Provenance: data.Provenance{File: "strikes.xlsx", Sheet: "Strikes", Row: 2}},
		{ID: "US-02", Date: data.Day(2025, 9, 15), Theatre: "Caribbean", Location: "Off Venezuela", Actor: "United States",
			Target: "Boat", Vessels: data.Exactly(1), Killed: data.Exactly(3), Confidence: "official claim",
			Source: "Press reports", Provenance: data.Provenance{File: "strikes.xlsx", Sheet: "Strikes", Row: 3}},
		{ID: "US-03", Date: data.Day(2025, 10, 21), Theatre: "Eastern Pacific", Location: "Off Colombia", Actor: "United States",
			Target: "Semi-submersible", Vessels: data.Exactly(1), Killed: data.Between(2, 4), Survivors: data.Exactly(2),
			Confidence: "disputed", Source: "Pentagon statement", Provenance: data.Provenance{File: "strikes.xlsx", Sheet: "Strikes", Row: 4}},
		{ID: "US-04", Date: data.Day(2025, 11, 4), Theatre: "Eastern Pacific", Location: "Off Mexico", Actor: "United States",
			Target: "Boat", Vessels: data.Exactly(2), Killed: data.AtLeast(6), Confidence: "corroborated",
			Source: "Wire reports", Provenance: data.Provenance{File: "strikes.xlsx", Sheet: "Strikes", Row: 5}},
	}
}

func demoStatements() []data.Statement {
	return []data.Statement{
		{ID: "ST-01", Date: data.Day(2025, 9, 2), Actor: "United States", Speaker: "President", Topic: "Legality of the strikes",
			Stance: "defends", Quote: "They were narcoterrorists.", Source: "Truth Social", Provenance: data.Provenance{File: "statements.csv", Row: 2}},
		{ID: "ST-02", Date: data.Day(2025, 10, 31), Actor: "United Nations", Speaker: "High Commissioner", Topic: "Legality of the strikes",
			Stance: "condemns", Quote: "Unacceptable; extrajudicial killing.", Source: "OHCHR press statement", Provenance: data.Provenance{File: "statements.csv", Row: 3}},
		{ID: "ST-03", Date: data.Day(2025, 9, 20), Actor: "United Kingdom", Speaker: "Spokesperson", Topic: "Intelligence sharing",
			Stance: "accepts with reservations", Quote: "We keep cooperating.", Source: "Briefing", Provenance: data.Provenance{File: "statements.csv", Row: 4}},
		{ID: "ST-04", Date: data.Day(2025, 11, 11), Actor: "United Kingdom", Speaker: "Spokesperson", Topic: "Intelligence sharing",
			Stance: "concerned", Quote: "We paused sharing intelligence on suspected boats.", Source: "CNN report", Provenance: data.Provenance{File: "statements.csv", Row: 5}},
		{ID: "ST-05", Date: data.Day(2025, 11, 12), Actor: "United Kingdom", Speaker: "Minister", Topic: "Legality of the strikes",
			Stance: "no comment", Quote: "We do not comment on intelligence matters.", Source: "Parliament", Provenance: data.Provenance{File: "statements.csv", Row: 6}},
	}
}

// fakeDialogs records what the app shows and answers its questions.
type fakeDialogs struct {
	t        *testing.T
	mu       sync.Mutex
	errors   []error
	infos    []string
	confirm  bool
	asked    []string
	messages []string // the questions of Confirm
	actions  []string // the action buttons of ConfirmAction
	openPath string
	saveDir  string
	saved    []string
	customs  []string
}

func (d *fakeDialogs) Error(err error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.errors = append(d.errors, err)
}

func (d *fakeDialogs) Info(title, msg string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.infos = append(d.infos, title+": "+msg)
}

func (d *fakeDialogs) Confirm(title, msg string, fn func(bool)) {
	d.asked = append(d.asked, title)
	d.messages = append(d.messages, msg)
	fn(d.confirm)
}

// ConfirmAction records the action's label and answers as Confirm does.
func (d *fakeDialogs) ConfirmAction(title, msg, action string, fn func(bool)) {
	d.actions = append(d.actions, action)
	d.Confirm(title, msg, fn)
}

func (d *fakeDialogs) OpenFile(_ string, _ []string, fn func(string)) {
	if d.openPath != "" {
		fn(d.openPath)
	}
}

func (d *fakeDialogs) SaveFile(_ string, name string, fn func(io.WriteCloser, string)) {
	p := filepath.Join(d.saveDir, name)
	f, err := os.Create(p)
	if err != nil {
		d.t.Fatal(err)
	}
	d.saved = append(d.saved, p)
	fn(f, p)
}

func (d *fakeDialogs) Custom(title, _ string, _ fyne.CanvasObject) func() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.customs = append(d.customs, title)
	return func() {}
}

func (d *fakeDialogs) lastInfo() string {
	d.mu.Lock()
	defer d.mu.Unlock()
	if len(d.infos) == 0 {
		return ""
	}
	return d.infos[len(d.infos)-1]
}

// fakeCharts renders a solid image and records the requests.
type fakeCharts struct {
	mu      sync.Mutex
	renders []string
	exports []string
	// exportSpecs are the specs of the exports (title, theme).
	exportSpecs []charts.Spec
}

func (c *fakeCharts) Render(_ context.Context, _ charts.Source, spec charts.Spec, w, h int) (image.Image, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.renders = append(c.renders, fmt.Sprintf("%s/%s/%s/%s %dx%d", spec.Kind, spec.Period, spec.Count, spec.Filter.Describe(), w, h))
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = 0x80
	}
	return img, nil
}

func (c *fakeCharts) Export(_ context.Context, _ charts.Source, spec charts.Spec, format charts.Format, size charts.Size, out io.Writer) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.exports = append(c.exports, fmt.Sprintf("%s %s %dx%d@%d", spec.Kind, format, size.Width, size.Height, size.DPI))
	c.exportSpecs = append(c.exportSpecs, spec)
	_, err := fmt.Fprintf(out, "%s chart", format)
	return err
}

// fakePositions records exports.
type fakePositions struct {
	// dark is whether the last stance chart was asked for in the dark theme.
	dark  bool
	mu    sync.Mutex
	calls []string
}

func (p *fakePositions) PNG(_ context.Context, _ data.PositionsSource, o data.MatrixOptions, w, h int, out io.Writer) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.calls = append(p.calls, fmt.Sprintf("png %s since %s %s %dx%d", o.AsOf, o.Since, strings.Join(o.Actors, "|"), w, h))
	_, err := io.WriteString(out, "png")
	return err
}

func (p *fakePositions) XLSX(_ context.Context, _ data.PositionsSource, o data.MatrixOptions, out io.Writer) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.calls = append(p.calls, fmt.Sprintf("xlsx %s since %s %s", o.AsOf, o.Since, strings.Join(o.Topics, "|")))
	_, err := io.WriteString(out, "xlsx")
	return err
}

func (p *fakePositions) StanceChart(_ context.Context, _ data.PositionsSource, actors []string, topic string, asOf data.Date, w, h int, dark bool) (image.Image, error) {
	p.dark = dark
	return image.NewUniform(color.White), nil
}

// fakeExporter records data exports and answers with two records per kind.
type fakeExporter struct {
	mu    sync.Mutex
	calls []string
}

func (e *fakeExporter) Export(_ context.Context, _ importers.RecordSource, format string, kinds []data.Kind, f data.Filter, w io.Writer) (map[data.Kind]int, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	var ks []string
	n := map[data.Kind]int{}
	for _, k := range kinds {
		ks = append(ks, string(k))
		n[k] = 2
	}
	e.calls = append(e.calls, fmt.Sprintf("%s %s theatre=%s", format, strings.Join(ks, ","), strings.Join(f.Theatres, "|")))
	_, err := io.WriteString(w, format)
	return n, err
}

// harness is a window with the app on a memStore.
type harness struct {
	t      *testing.T
	app    fyne.App
	win    fyne.Window
	store  *memStore
	dlg    *fakeDialogs
	charts *fakeCharts
	pos    *fakePositions
	export *fakeExporter
	ui     *UI
	lock   sync.Mutex
}

func newHarness(t *testing.T, st *memStore, mod func(*Options)) *harness {
	t.Helper()
	a := test.NewTempApp(t)
	w := test.NewWindow(nil)
	t.Cleanup(w.Close)
	h := &harness{t: t, app: a, win: w, store: st, dlg: &fakeDialogs{t: t, saveDir: t.TempDir(), confirm: true},
		charts: &fakeCharts{}, pos: &fakePositions{}, export: &fakeExporter{}}
	opts := Options{Store: st, Version: "1.2.3", Dialogs: h.dlg, Charts: h.charts, Positions: h.pos, Export: h.export.Export,
		LoadDemo: func(ctx context.Context, s Store) error {
			s.(*memStore).load("demo", "demo", demoIncidents(), demoStatements())
			return nil
		}}
	if mod != nil {
		mod(&opts)
	}
	opts.uiLock = &h.lock
	h.act(func() {
		h.ui = New(a, w, opts)
		w.Resize(fyne.NewSize(1400, 900))
	})
	h.ui.Wait()
	t.Cleanup(h.ui.Wait) // no background work of this test runs into the next one
	return h
}

// act drives the widgets while holding the lock that background updates take, as the GL
// driver's single UI goroutine would: Fyne's test driver runs fyne.Do callbacks on the calling
// goroutine, so without it a test's taps and the app's background updates would interleave.
func (h *harness) act(fn func()) {
	h.lock.Lock()
	defer h.lock.Unlock()
	fn()
}

// demoHarness is a harness on a store holding the demo records.
func demoHarness(t *testing.T, mod func(*Options)) *harness {
	st := newMemStore(filepath.Join(t.TempDir(), "s.db"))
	st.load("demo", "demo", demoIncidents(), demoStatements())
	return newHarness(t, st, mod)
}

func (h *harness) wait() { h.ui.Wait() }

func (s *memStore) Aggregate(f data.Filter, p data.Period) (data.Series, error) {
	s.mu.Lock()
	rows := s.sortedIncidents(f)
	s.mu.Unlock()
	ser := data.Series{Period: p, Filter: f}
	if len(rows) == 0 {
		return ser, nil
	}
	idx := map[data.Date]int{}
	last := p.Start(rows[len(rows)-1].Date)
	for d := p.Start(rows[0].Date); d.Compare(last) <= 0; d = p.Next(d) {
		idx[d] = len(ser.Buckets)
		ser.Buckets = append(ser.Buckets, data.Bucket{Start: d, ByTheatre: map[string]data.Totals{}})
	}
	for i := range rows {
		b := &ser.Buckets[idx[p.Start(rows[i].Date)]]
		b.Add(&rows[i])
	}
	return ser, nil
}

// show selects a screen and waits for what it loads.
func (h *harness) show(name string) {
	h.act(func() { h.ui.Show(name) })
	h.wait()
}
