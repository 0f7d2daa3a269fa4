package importers

import (
	"context"
	"encoding/json"
	"io"
	"path/filepath"
	"testing"

	"sitrep/data"
)

// roundTripRecords covers every exported field and every shape a value can take: counts that
// are exact, ranges, open-ended and unknown; dates known to the day, month and year, with and
// without an end; coordinates (negative ones too); text that needs neutralising; linked
// incidents; unmapped source columns; a negative number kept as a number.
func roundTripRecords() ([]data.Incident, []data.Statement, []data.Tally) {
	inc := sampleIncidents()
	inc[1].Extra = map[string]string{"Reporter": "AP"}
	inc = append(inc,
		data.Incident{ID: "US-2025-05", Date: data.MustDate("2025-11-10"), Theatre: "Eastern Pacific",
			Location: "@sea", Actor: "+United States", Target: "\tBoat", Vessels: data.Exactly(2),
			Killed: data.Exactly(6), Survivors: data.Between(0, 1), Injured: data.AtLeast(1),
			Confidence: "probable", Source: "-", Notes: "Line one\nline two, \"quoted\""},
	)
	st := []data.Statement{
		{ID: "ST-01", Date: data.MustDate("2025-09-02"), Actor: "United States", Speaker: "Donald Trump",
			Role: "President", Topic: "Legality of the strikes", Stance: "defends",
			Quote: "Announced a strike that killed 11 alleged \"narcoterrorists\".", Channel: "Truth Social",
			Source: "Press reports", Notes: "Paraphrase", IncidentIDs: []string{"US-2025-01"}},
		{ID: "ST-02", Date: data.MustDate("2025-11"), Actor: "United Kingdom", Stance: "no comment",
			Quote: "=We don't comment on intelligence matters.", Extra: map[string]string{"Desk": "Europe"}},
	}
	ta := []data.Tally{
		{ID: "T-01", AsOf: data.MustDate("2025-11-06"), Claimant: "Just Security", Scope: data.ScopeAll,
			Strikes: data.Exactly(16), Killed: data.Exactly(67), Survivors: data.Exactly(2), Source: "Timeline"},
		{ID: "T-02", AsOf: data.MustDate("2025-11-06"), Claimant: "Military Times", Scope: data.ScopeAll,
			Strikes: data.Exactly(16), Killed: data.AtLeast(66), Notes: "\"At least 66\""},
		{ID: "T-04", AsOf: data.MustDate("2025-11-11"), Claimant: "US figures", Scope: "Caribbean",
			Killed: data.AtLeast(71), Survivors: data.Between(2, 3)},
	}
	return inc, st, ta
}

// importInto imports path into a new store with the importer, as `sitrep import` does.
func importInto(t *testing.T, path string) *data.Store {
	t.Helper()
	st, err := data.Open(filepath.Join(t.TempDir(), "sitrep.db"), data.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	plan, err := Inspect(path, Options{})
	if err != nil {
		t.Fatalf("Inspect(%s): %v", path, err)
	}
	defer plan.Close()
	b, err := st.BeginImport(data.ImportInfo{File: path, SHA256: plan.SHA256(), Source: "file"})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Run(context.Background(), plan, b, nil)
	if err != nil {
		t.Fatalf("importing %s: %v", path, err)
	}
	for _, s := range rep.Sheets {
		for _, p := range s.Problems {
			t.Errorf("%s: sheet %s, row %d, column %s: value %q: %s", path, s.Name, p.Row, p.Header, p.Value, p.Message)
		}
	}
	return st
}

// same compares two records by their JSON, provenance aside (the import sets its own).
func same(t *testing.T, what string, got, want any) {
	t.Helper()
	g, _ := json.Marshal(got)
	w, _ := json.Marshal(want)
	if string(g) != string(w) {
		t.Errorf("%s differs after the round trip\n got %s\nwant %s", what, g, w)
	}
}

func TestExportRoundTrip(t *testing.T) {
	inc, sts, tas := roundTripRecords()
	dir := t.TempDir()
	it, err := IncidentTable(IncidentSlice(inc))
	if err != nil {
		t.Fatal(err)
	}
	xlsx := filepath.Join(dir, "all.xlsx")
	if err := WriteFile(xlsx, func(w io.Writer) error {
		return WriteXLSX(w, it, StatementTable(sts), TallyTable(tas))
	}); err != nil {
		t.Fatal(err)
	}
	csvs := map[data.Kind]string{}
	for kind, tb := range map[data.Kind]Table{data.KindIncident: it, data.KindStatement: StatementTable(sts),
		data.KindTally: TallyTable(tas)} {
		p := filepath.Join(dir, string(kind)+".csv")
		if err := WriteFile(p, func(w io.Writer) error { return WriteCSV(w, tb) }); err != nil {
			t.Fatal(err)
		}
		csvs[kind] = p
	}

	check := func(t *testing.T, st *data.Store, kinds ...data.Kind) {
		for _, k := range kinds {
			switch k {
			case data.KindIncident:
				got, err := st.Incidents(data.Filter{})
				if err != nil {
					t.Fatal(err)
				}
				if len(got) != len(inc) {
					t.Fatalf("%d incidents after the round trip, want %d", len(got), len(inc))
				}
				for _, want := range inc {
					r, err := st.Incident(want.ID)
					if err != nil {
						t.Errorf("incident %s: %v", want.ID, err)
						continue
					}
					r.Provenance = data.Provenance{}
					same(t, "incident "+want.ID, r, want)
				}
			case data.KindStatement:
				got, err := st.Statements(data.Filter{})
				if err != nil {
					t.Fatal(err)
				}
				if len(got) != len(sts) {
					t.Fatalf("%d statements after the round trip, want %d", len(got), len(sts))
				}
				for _, want := range sts {
					r, err := st.Statement(want.ID)
					if err != nil {
						t.Errorf("statement %s: %v", want.ID, err)
						continue
					}
					r.Provenance = data.Provenance{}
					same(t, "statement "+want.ID, r, want)
				}
			case data.KindTally:
				got, err := st.Tallies(data.Filter{})
				if err != nil {
					t.Fatal(err)
				}
				if len(got) != len(tas) {
					t.Fatalf("%d tallies after the round trip, want %d", len(got), len(tas))
				}
				for _, want := range tas {
					r, err := st.Tally(want.ID)
					if err != nil {
						t.Errorf("tally %s: %v", want.ID, err)
						continue
					}
					r.Provenance = data.Provenance{}
					same(t, "tally "+want.ID, r, want)
				}
			}
		}
	}
	t.Run("xlsx", func(t *testing.T) {
		check(t, importInto(t, xlsx), data.Kinds...)
	})
	for _, k := range data.Kinds {
		t.Run("csv "+string(k), func(t *testing.T) {
			check(t, importInto(t, csvs[k]), k)
		})
	}
}

// TestExportDemoRoundTrip loads the bundled demo data, exports it and imports the export into
// an empty store: the records are the same.
func TestExportDemoRoundTrip(t *testing.T) {
	src, err := data.Open(filepath.Join(t.TempDir(), "demo.db"), data.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	if _, err := LoadDemo(context.Background(), src, data.DefaultVocabulary()); err != nil {
		t.Fatalf("LoadDemo: %v", err)
	}
	inc, err := src.Incidents(data.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	sts, err := src.Statements(data.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	tas, err := src.Tallies(data.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(inc) != 17 || len(sts) != 8 || len(tas) != 4 {
		t.Fatalf("demo import gave %d incidents, %d statements, %d tallies; want 17, 8, 4", len(inc), len(sts), len(tas))
	}
	it, err := IncidentTable(IncidentSlice(inc))
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "demo.xlsx")
	if err := WriteFile(out, func(w io.Writer) error {
		return WriteXLSX(w, it, StatementTable(sts), TallyTable(tas))
	}); err != nil {
		t.Fatal(err)
	}
	st := importInto(t, out)
	for _, want := range inc {
		got, err := st.Incident(want.ID)
		if err != nil {
			t.Errorf("incident %s: %v", want.ID, err)
			continue
		}
		got.Provenance, want.Provenance = data.Provenance{}, data.Provenance{}
		same(t, "demo incident "+want.ID, got, want)
	}
	for _, want := range sts {
		got, err := st.Statement(want.ID)
		if err != nil {
			t.Errorf("statement %s: %v", want.ID, err)
			continue
		}
		got.Provenance, want.Provenance = data.Provenance{}, data.Provenance{}
		same(t, "demo statement "+want.ID, got, want)
	}
	for _, want := range tas {
		got, err := st.Tally(want.ID)
		if err != nil {
			t.Errorf("tally %s: %v", want.ID, err)
			continue
		}
		got.Provenance, want.Provenance = data.Provenance{}, data.Provenance{}
		same(t, "demo tally "+want.ID, got, want)
	}
	stats, err := st.Stats(data.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if stats.KilledMin != 79 || stats.KilledMax != 79 || stats.Incidents != 17 {
		t.Errorf("after the round trip: %d incidents, killed %d-%d; want 17, 79", stats.Incidents, stats.KilledMin, stats.KilledMax)
	}
}
