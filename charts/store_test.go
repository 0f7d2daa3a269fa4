package charts

import (
	"reflect"
	"strings"
	"testing"

	"sitrep/data"
	"sitrep/internal/demotest"
)

// demoStore loads the demo CSVs into a real store, as a demo import.
func demoStore(t testing.TB) *data.Store {
	t.Helper()
	fake := demoSource(t)
	path := demotest.Store(t, "demo", demotest.Records{Incidents: fake.incidents, Statements: fake.statements, Tallies: fake.tallies})
	st, err := data.Open(path, data.Options{Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// TestStoreMatchesFake builds every chart from a real store loaded with the demo data and
// checks the numbers drawn against the store's own aggregates and against the charts built
// from the in-memory fake (so the fake tests above speak for the store too).
func TestStoreMatchesFake(t *testing.T) {
	st := demoStore(t)
	fake := demoSource(t)
	filters := []data.Filter{
		{},
		{Theatres: []string{"Caribbean"}},
		{From: data.MustDate("2025-10-01"), To: data.MustDate("2025-10-31")},
	}
	for _, k := range Kinds {
		for _, f := range filters {
			for _, p := range []data.Period{data.PeriodDay, data.PeriodWeek, data.PeriodMonth} {
				spec := Spec{Kind: k, Filter: f, Period: p, Annotate: true}
				got, err := Build(st, spec)
				if err != nil {
					t.Fatalf("%s %s %s: %v", k, f.Describe(), p, err)
				}
				want, err := Build(fake, spec)
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(got.Layers, want.Layers) {
					t.Errorf("%s %q per %s: store layers %+v\nfake layers %+v", k, f.Describe(), p, got.Layers, want.Layers)
				}
				if !reflect.DeepEqual(got.Caption.Lines(), want.Caption.Lines()) {
					t.Errorf("%s %q: store caption %q\nfake caption %q", k, f.Describe(), got.Caption.Lines(), want.Caption.Lines())
				}
				if got.Plot.X.Min != want.Plot.X.Min || got.Plot.X.Max != want.Plot.X.Max || got.Plot.Y.Max != want.Plot.Y.Max {
					t.Errorf("%s %q: store axes x %v..%v y ..%v, fake x %v..%v y ..%v", k, f.Describe(),
						got.Plot.X.Min, got.Plot.X.Max, got.Plot.Y.Max, want.Plot.X.Min, want.Plot.X.Max, want.Plot.Y.Max)
				}
			}
		}
	}
	// Deaths per week against the store's own Aggregate.
	ser, err := st.Aggregate(data.Filter{}, data.PeriodWeek)
	if err != nil {
		t.Fatal(err)
	}
	ch, err := Build(st, Spec{Kind: KindDeaths})
	if err != nil {
		t.Fatal(err)
	}
	l := layer(t, ch, "Deaths")
	if len(l.Y) != len(ser.Buckets) {
		t.Fatalf("%d bars, store has %d weeks", len(l.Y), len(ser.Buckets))
	}
	for i, b := range ser.Buckets {
		if l.Y[i] != float64(b.KilledMin) || l.X[i] != DayX(b.Start) {
			t.Errorf("week %s: bar %v at %v, store %d at %v", b.Start, l.Y[i], l.X[i], b.KilledMin, DayX(b.Start))
		}
	}
	if !strings.Contains(strings.Join(ch.Caption.Lines(), " "), DemoNote) {
		t.Error("a chart of the demo import does not say it is demo data")
	}
}
