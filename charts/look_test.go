package charts

import (
	"os"
	"path/filepath"
	"testing"

	"sitrep/data"
)

// TestLookMore writes further sample charts for a person to look at (CHARTS_LOOK_DIR).
func TestLookMore(t *testing.T) {
	if lookDir == "" {
		t.Skip("set CHARTS_LOOK_DIR to write sample charts")
	}
	src := demoSource(t)
	// Ten years of a range-y source, with events.
	long := &fakeSource{demo: false}
	for i := range 3000 {
		d := data.DateFromDayNumber(data.MustDate("2016-01-04").DayNumber() + i*3650/3000)
		th := []string{"Caribbean", "Eastern Pacific", "Atlantic", "Mediterranean"}[i%4]
		long.incidents = append(long.incidents, data.Incident{ID: "L" + d.String(), Date: d, Theatre: th,
			Killed: data.Between(i%5, i%5+i%3), Vessels: data.Between(1, 1+i%2), Source: "Long-running tracker"})
	}
	for _, c := range []struct {
		name string
		src  Source
		spec Spec
		size Size
		fmt  Format
	}{
		{"vessels-month", src, Spec{Kind: KindStrikes, Unit: UnitVessels, Period: data.PeriodMonth}, SizeSlide, FormatPNG},
		{"strikes-day-dark", src, Spec{Kind: KindStrikes, Period: data.PeriodDay, Theme: ThemeDark, Annotate: true}, SizeSlide, FormatPNG},
		{"deaths-a4", src, Spec{Kind: KindDeaths, Annotate: true}, SizeA4, FormatPNG},
		{"preview-800", src, Spec{Kind: KindTallies, Annotate: true}, Pixels(800, 450), FormatPNG},
		{"long-strikes", long, Spec{Kind: KindStrikes, Period: data.PeriodMonth, Events: []Event{
			{Date: data.MustDate("2019-03-01"), Label: "Policy change"}, {Date: data.MustDate("2019-04-15"), Label: "Second event with a long label"}}}, SizeSlide, FormatPNG},
		{"long-cumulative", long, Spec{Kind: KindCumulative, Period: data.PeriodMonth}, SizeSocial, FormatPNG},
		{"long-deaths-week", long, Spec{Kind: KindDeaths}, SizeSocial, FormatPNG},
		{"one-week", src, Spec{Kind: KindDeaths, Period: data.PeriodDay, Filter: data.Filter{From: data.MustDate("2025-10-20"), To: data.MustDate("2025-10-26")}}, SizeSocial, FormatPNG},
	} {
		ch, err := Build(c.src, c.spec)
		if err != nil {
			t.Fatal(err)
		}
		fh, err := os.Create(filepath.Join(lookDir, c.name+"."+string(c.fmt)))
		if err != nil {
			t.Fatal(err)
		}
		if err := ch.Render(fh, c.fmt, c.size); err != nil {
			t.Fatal(err)
		}
		fh.Close()
	}
}
