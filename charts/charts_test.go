package charts

import (
	"bytes"
	"errors"
	"fmt"
	"image/png"
	"math"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"sitrep/data"
)

func TestFormatInt(t *testing.T) {
	for _, c := range []struct {
		in   int
		want string
	}{{0, "0"}, {7, "7"}, {999, "999"}, {1000, "1,000"}, {12345, "12,345"}, {1234567, "1,234,567"}, {-4500, "-4,500"}} {
		if got := FormatInt(c.in); got != c.want {
			t.Errorf("FormatInt(%d) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestIntTicks(t *testing.T) {
	for _, c := range []struct {
		max  float64
		want []string
	}{
		{1, []string{"0", "1"}},
		{3, []string{"0", "1", "2", "3"}},
		{25, []string{"0", "5", "10", "15", "20", "25"}},
		{100, []string{"0", "20", "40", "60", "80", "100"}},
		{11800, []string{"0", "2,000", "4,000", "6,000", "8,000", "10,000", "12,000"}},
		{140, []string{"0", "25", "50", "75", "100", "125", "150"}},
		{1000000, []string{"0", "200,000", "400,000", "600,000", "800,000", "1,000,000"}},
	} {
		top := NiceMax(c.max)
		ticks := IntTicks{}.Ticks(0, top)
		var got []string
		for _, tk := range ticks {
			if tk.Value != math.Trunc(tk.Value) {
				t.Errorf("max %v: tick %v is not a whole number", c.max, tk.Value)
			}
			got = append(got, tk.Label)
		}
		if len(got) > 7 {
			t.Errorf("max %v: %d ticks, want at most 7: %v", c.max, len(got), got)
		}
		if top < c.max || got[len(got)-1] != FormatInt(int(top)) {
			t.Errorf("max %v: axis top %v, last tick %q: want the top labelled and above the data", c.max, top, got[len(got)-1])
		}
		if len(c.want) > 0 && !slices.Equal(got, c.want) {
			t.Errorf("max %v: ticks %v, want %v", c.max, got, c.want)
		}
	}
}

func TestTimeTicks(t *testing.T) {
	d := func(s string) float64 { return DayX(data.MustDate(s)) }
	for _, c := range []struct {
		name      string
		from, to  string
		wantFirst string
		wantStep  string // what consecutive labels differ by
	}{
		{"a week", "2025-09-01", "2025-09-08", "1 Sep 2025", "day"},
		{"ten weeks", "2025-09-01", "2025-11-10", "1 Sep 2025", "2 weeks"},
		{"a year", "2025-01-01", "2026-01-01", "Jan 2025", "2 months"},
		{"ten years", "2016-01-01", "2026-01-01", "2016", "2 years"},
	} {
		t.Run(c.name, func(t *testing.T) {
			ticks := TimeTicks{}.Ticks(d(c.from), d(c.to))
			var major []float64
			var ls []string
			for _, tk := range ticks {
				if tk.Value < d(c.from) || tk.Value > d(c.to) {
					t.Errorf("tick %v outside the range", tk.Value)
				}
				if tk.Label != "" {
					major = append(major, tk.Value)
					ls = append(ls, tk.Label)
				}
			}
			if len(ls) < 2 || len(ls) > 8 {
				t.Fatalf("%d labels, want 2 to 8: %v", len(ls), ls)
			}
			if ls[0] != c.wantFirst {
				t.Errorf("first label %q, want %q (all: %v)", ls[0], c.wantFirst, ls)
			}
			gap := major[1] - major[0]
			ok := map[string]bool{"day": gap == 1 && major[0] == d(c.from)+0.5, "2 weeks": gap == 14, "2 months": gap >= 59 && gap <= 62, "2 years": gap >= 730 && gap <= 731}[c.wantStep]
			if !ok {
				t.Errorf("step %v days, want %s (labels %v)", gap, c.wantStep, ls)
			}
			if !slices.IsSorted(major) {
				t.Errorf("ticks not in order: %v", major)
			}
		})
	}
	// Monthly bars get month ticks even over three months, where fortnights would fit: the
	// label in the middle of its month, an unlabelled tick where each month starts.
	var got []string
	starts := 0
	for _, tk := range (TimeTicks{Period: data.PeriodMonth}).Ticks(d("2025-09-01"), d("2025-12-01")) {
		day := dayTime(int(tk.Value))
		switch {
		case tk.Label == "" && day.Day() == 1 && tk.Value == math.Trunc(tk.Value):
			starts++
		case tk.Label != "" && day.Day() >= 14 && day.Day() <= 16:
			got = append(got, tk.Label+" "+day.Format("Jan"))
		default:
			t.Errorf("monthly tick %q at %s", tk.Label, day.Format("2 Jan"))
		}
	}
	if !slices.Equal(got, []string{"Sep 2025 Sep", "Oct Oct", "Nov Nov"}) || starts != 4 {
		t.Errorf("monthly ticks %v with %d month starts, want Sep 2025, Oct, Nov mid-month and 4 starts (the last closes Nov)", got, starts)
	}
	// Week ticks fall on Mondays.
	for _, tk := range (TimeTicks{MaxTicks: 8}).Ticks(d("2025-09-01"), d("2025-10-20")) {
		if tk.Label != "" {
			if wd := dayTime(int(tk.Value)).Weekday().String(); wd != "Monday" || tk.Value != math.Trunc(tk.Value) {
				t.Errorf("week tick %q on a %s", tk.Label, wd)
			}
		}
	}
}

func sum(v []float64) float64 {
	s := 0.0
	for _, x := range v {
		s += x
	}
	return s
}

func layer(t *testing.T, ch *Chart, name string) Layer {
	t.Helper()
	for _, l := range ch.Layers {
		if l.Name == name {
			return l
		}
	}
	var names []string
	for _, l := range ch.Layers {
		names = append(names, l.Name)
	}
	t.Fatalf("no layer %q in %v", name, names)
	return Layer{}
}

func TestStrikesMatchAggregate(t *testing.T) {
	src := demoSource(t)
	for _, p := range []data.Period{data.PeriodDay, data.PeriodWeek, data.PeriodMonth} {
		ch, err := Build(src, Spec{Kind: KindStrikes, Period: p})
		if err != nil {
			t.Fatal(err)
		}
		ser, _ := src.Aggregate(data.Filter{}, p)
		car, ep := layer(t, ch, "Caribbean"), layer(t, ch, "Eastern Pacific")
		if sum(car.Y) != 11 || sum(ep.Y) != 6 {
			t.Errorf("%s: Caribbean %v and Eastern Pacific %v strikes, want 11 and 6", p, sum(car.Y), sum(ep.Y))
		}
		for i, b := range ser.Buckets {
			if car.X[i] != DayX(b.Start) || car.Y[i]+ep.Y[i] != float64(b.Incidents) {
				t.Errorf("%s bucket %s: x %v y %v, want x %v y %d", p, b.Start, car.X[i], car.Y[i]+ep.Y[i], DayX(b.Start), b.Incidents)
			}
		}
		if ch.Plot.X.Min != DayX(ser.Buckets[0].Start) || ch.Plot.X.Max != DayX(ser.Buckets[len(ser.Buckets)-1].End)+1 {
			t.Errorf("%s: x axis %v..%v, want the first to the last bucket", p, ch.Plot.X.Min, ch.Plot.X.Max)
		}
		maxStack := 0
		for _, b := range ser.Buckets {
			maxStack = max(maxStack, b.Incidents)
		}
		if ch.Plot.Y.Min != 0 || ch.Plot.Y.Max != NiceMax(float64(maxStack)) {
			t.Errorf("%s: y axis %v..%v, want 0..%v", p, ch.Plot.Y.Min, ch.Plot.Y.Max, NiceMax(float64(maxStack)))
		}
	}
	// Weekly on the demo: the busiest ISO week has 3 strikes, so the y axis is 0..3.
	ch, err := Build(src, Spec{Kind: KindStrikes})
	if err != nil {
		t.Fatal(err)
	}
	var ls []string
	for _, tk := range ch.Plot.Y.Tick.Marker.Ticks(ch.Plot.Y.Min, ch.Plot.Y.Max) {
		ls = append(ls, tk.Label)
	}
	if !slices.Equal(ls, []string{"0", "1", "2", "3"}) {
		t.Errorf("weekly strikes y ticks %v, want 0 1 2 3", ls)
	}
	// Vessels: US-2025-11 hit 4 boats and US-2025-16 two: 21 vessels in all.
	ch, err = Build(src, Spec{Kind: KindStrikes, Unit: UnitVessels})
	if err != nil {
		t.Fatal(err)
	}
	if got := sum(layer(t, ch, "Caribbean").Y) + sum(layer(t, ch, "Eastern Pacific").Y); got != 21 {
		t.Errorf("vessels: %v, want 21", got)
	}
	if !strings.Contains(ch.Title, "Vessels") {
		t.Errorf("vessels title %q", ch.Title)
	}
}

func TestDeathsAndRunningTotals(t *testing.T) {
	src := demoSource(t)
	ch, err := Build(src, Spec{Kind: KindDeaths})
	if err != nil {
		t.Fatal(err)
	}
	if got := sum(layer(t, ch, "Deaths").Y); got != 79 {
		t.Errorf("deaths per week sum to %v, want 79", got)
	}
	ch, err = Build(src, Spec{Kind: KindCumulative})
	if err != nil {
		t.Fatal(err)
	}
	l := ch.Layers[0]
	if l.Y[0] != 0 || l.Y[len(l.Y)-1] != 79 || !slices.IsSorted(l.Y) {
		t.Errorf("running total from %v to %v (sorted %v), want 0 to 79 rising", l.Y[0], l.Y[len(l.Y)-1], slices.IsSorted(l.Y))
	}
	if ch.Plot.Y.Max != 80 {
		t.Errorf("running total y axis top %v, want 80", ch.Plot.Y.Max)
	}
	// By theatre: the Eastern Pacific has 31 deaths in the demo.
	ch, err = Build(src, Spec{Kind: KindCumulative, Filter: data.Filter{Theatres: []string{"Eastern Pacific"}}})
	if err != nil {
		t.Fatal(err)
	}
	if l := ch.Layers[0]; l.Y[len(l.Y)-1] != 31 {
		t.Errorf("Eastern Pacific running total ends at %v, want 31", l.Y[len(l.Y)-1])
	}
}

// rangeSource has disputed tolls: {2,4}, {3,3}, {5, unknown} and an unknown toll.
func rangeSource() *fakeSource {
	mk := func(id, date string, c data.Count) data.Incident {
		return data.Incident{ID: id, Date: data.MustDate(date), Theatre: "Caribbean", Killed: c, Source: "test"}
	}
	return &fakeSource{incidents: []data.Incident{
		mk("a", "2025-09-01", data.Between(2, 4)),
		mk("b", "2025-09-02", data.Exactly(3)),
		mk("c", "2025-09-10", data.AtLeast(5)),
		mk("d", "2025-09-11", data.Unknown),
	}}
}

func TestCountingRules(t *testing.T) {
	src := rangeSource()
	for _, c := range []struct {
		rule           CountRule
		lowName        string
		wantLo, wantHi float64
	}{
		{CountMin, "Deaths (lowest reported figure)", 10, 0},
		{CountMax, "Deaths (highest reported figure)", 12, 0},
		{CountRange, "Deaths, lowest reported figure", 10, 2},
	} {
		ch, err := Build(src, Spec{Kind: KindDeaths, Count: c.rule})
		if err != nil {
			t.Fatal(err)
		}
		if got := sum(layer(t, ch, c.lowName).Y); got != c.wantLo {
			t.Errorf("%s: %v deaths, want %v", c.rule, got, c.wantLo)
		}
		if c.rule == CountRange {
			if got := sum(layer(t, ch, "Up to the highest reported figure").Y); got != c.wantHi {
				t.Errorf("range: the lighter part sums to %v, want %v", got, c.wantHi)
			}
		}
		lines := strings.Join(ch.Caption.Lines(), "\n")
		if !strings.Contains(lines, "1 incident has no reported death toll and is not counted") {
			t.Errorf("%s: caption does not say the unknown toll is left out:\n%s", c.rule, lines)
		}
	}
	ch, err := Build(src, Spec{Kind: KindCumulative})
	if err != nil {
		t.Fatal(err)
	}
	lo, hi := ch.Layers[0], layer(t, ch, "highest")
	if lo.Y[len(lo.Y)-1] != 10 || hi.Y[len(hi.Y)-1] != 12 {
		t.Errorf("running total band ends at %v..%v, want 10..12", lo.Y[len(lo.Y)-1], hi.Y[len(hi.Y)-1])
	}
}

func TestTallies(t *testing.T) {
	src := demoSource(t)
	ch, err := Build(src, Spec{Kind: KindTallies})
	if err != nil {
		t.Fatal(err)
	}
	tl := layer(t, ch, "tallies")
	// T-03 gives no deaths figure and is left out; T-04 "more than 70" is at least 71.
	if !slices.Equal(tl.Y, []float64{67, 66, 71}) {
		t.Errorf("tallies %v, want 67 66 71", tl.Y)
	}
	if want := float64(data.MustDate("2025-11-06").DayNumber() + 1); tl.X[0] != want {
		t.Errorf("tally x %v, want the end of its as-of day %v", tl.X[0], want)
	}
	for _, a := range []string{"Just Security, 6 Nov 2025: 67", "Military Times, 6 Nov 2025: at least 66", "11 Nov 2025: at least 71"} {
		found := false
		for _, l := range tallyLabels(ch) {
			found = found || strings.Contains(l, a)
		}
		if !found {
			t.Errorf("no tally label with %q in %v", a, tallyLabels(ch))
		}
	}
	if ch.Plot.X.Max < tl.X[2] {
		t.Errorf("x axis ends at %v, before the last tally %v", ch.Plot.X.Max, tl.X[2])
	}
	// Strikes: T-03 (Caribbean only, 14) is marked with its scope.
	ch, err = Build(src, Spec{Kind: KindTallies, Unit: UnitStrikes})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(tallyLabels(ch), func(s string) bool { return strings.HasSuffix(s, ": 14 (Caribbean only)") }) {
		t.Errorf("strike tallies %v: want the Caribbean-only tally marked", tallyLabels(ch))
	}
}

func tallyLabels(ch *Chart) []string {
	var out []string
	for _, tk := range ch.tallyPoints() {
		out = append(out, tk.Label)
	}
	return out
}

func TestEmptyChart(t *testing.T) {
	src := demoSource(t)
	for _, k := range Kinds {
		for _, f := range []data.Filter{
			{Theatres: []string{"Mediterranean"}},
			{From: data.MustDate("2030-01-01"), To: data.MustDate("2030-03-01")},
		} {
			ch, err := Build(src, Spec{Kind: k, Filter: f, Annotate: true})
			if err != nil {
				t.Fatalf("%s %s: %v", k, f.Describe(), err)
			}
			if ch.Message != EmptyMessage {
				t.Errorf("%s %s: message %q, want %q", k, f.Describe(), ch.Message, EmptyMessage)
			}
			var buf bytes.Buffer
			if err := ch.Render(&buf, FormatPNG, SizeSocial); err != nil {
				t.Errorf("%s %s: render: %v", k, f.Describe(), err)
			}
		}
	}
	empty := &fakeSource{}
	ch, err := Build(empty, Spec{Kind: KindDeaths})
	if err != nil {
		t.Fatal(err)
	}
	if ch.Message != EmptyMessage || strings.Contains(strings.Join(ch.Caption.Lines(), " "), "Demo") {
		t.Errorf("empty store: message %q, caption %q", ch.Message, ch.Caption.Lines())
	}
}

func TestCaption(t *testing.T) {
	src := demoSource(t)
	f := data.Filter{Theatres: []string{"Caribbean"}, From: data.MustDate("2025-09-01"), To: data.MustDate("2025-10-31")}
	ch, err := Build(src, Spec{Kind: KindDeaths, Filter: f, Count: CountMax})
	if err != nil {
		t.Fatal(err)
	}
	lines := ch.Caption.Lines()
	all := strings.Join(lines, "\n")
	for _, want := range []string{
		"Selection: theatre: Caribbean; 1 Sep 2025 to 31 Oct 2025.",
		"Data: 2 Sep 2025 to 24 Oct 2025, 8 incidents.",
		"Deaths counted at the highest reported figure",
		"Chart made 12 Nov 2025.",
		"Sources: Press reports of the US announcement (7 records); US President's post; wide press coverage (1 record).",
		DemoNote,
	} {
		if !strings.Contains(all, want) {
			t.Errorf("caption lacks %q:\n%s", want, all)
		}
	}
	if lines[len(lines)-1] != DemoNote+"." {
		t.Errorf("last caption line %q, want the demo note", lines[len(lines)-1])
	}
	src.demo = false
	ch, _ = Build(src, Spec{Kind: KindDeaths})
	if strings.Contains(strings.Join(ch.Caption.Lines(), "\n"), "Demo data") {
		t.Error("caption says demo data for data that is not")
	}
}

func TestSourcesPartial(t *testing.T) {
	src := &fakeSource{}
	for i := range MaxSourceScan + 5 {
		src.incidents = append(src.incidents, data.Incident{ID: fmt.Sprint(i), Date: data.DateFromDayNumber(20000 + i/100),
			Theatre: "Caribbean", Killed: data.Exactly(1), Source: fmt.Sprintf("source %d", i%7)})
	}
	ch, err := Build(src, Spec{Kind: KindDeaths})
	if err != nil {
		t.Fatal(err)
	}
	s := ch.Caption.Sources.String()
	if !strings.Contains(s, "of the first 20,000 of 20,005 incidents") || !strings.Contains(s, "and 3 more") {
		t.Errorf("sources %q: want the partial scan said and 3 sources folded", s)
	}
}

func TestSpecErrors(t *testing.T) {
	for _, s := range []Spec{
		{Kind: "pie"},
		{Kind: KindDeaths, Unit: UnitVessels},
		{Kind: KindStrikes, Unit: UnitDeaths},
		{Kind: KindTallies, Unit: UnitVessels},
		{Kind: KindDeaths, Count: "median"},
		{Kind: KindDeaths, Theme: "sepia"},
		{Kind: KindDeaths, Period: "fortnight"},
	} {
		if _, err := Build(demoSource(t), s); !errors.Is(err, ErrSpec) {
			t.Errorf("%+v: error %v, want ErrSpec", s, err)
		}
	}
}

func TestTheatreColor(t *testing.T) {
	if TheatreColor("Caribbean", nil) != Blue || TheatreColor(" eastern pacific ", nil) != Orange || TheatreColor("", nil) != Grey {
		t.Error("fixed theatre colours changed")
	}
	all := []string{"Caribbean", "Mediterranean", "Eastern Pacific", "Atlantic"}
	a := TheatreColor("Mediterranean", all)
	if b := TheatreColor("Mediterranean", []string{"Atlantic", "Mediterranean"}); a != b {
		t.Errorf("Mediterranean is %v with one list and %v with the same theatres in another order", a, b)
	}
	if TheatreColor("Atlantic", all) == a {
		t.Error("two other theatres share a colour")
	}
}

func TestAnnotationsDoNotCollide(t *testing.T) {
	src := demoSource(t)
	for _, sz := range []Size{SizeSlide, SizeSocial, Pixels(800, 500)} {
		ch, err := Build(src, Spec{Kind: KindStrikes, Annotate: true})
		if err != nil {
			t.Fatal(err)
		}
		// One label per actor and day: the UK's three statements of 11 Nov share a label.
		if len(ch.Annotations) != 6 {
			t.Fatalf("%d annotations, want 6: %+v", len(ch.Annotations), ch.Annotations)
		}
		c := vgimg.NewWith(vgimg.UseWH(sizeW(sz)), vgimg.UseDPI(sz.DPI))
		dc := draw.New(c)
		lane := ch.placeAnnotations(dc)
		if lane.more != 0 {
			t.Errorf("%dx%d: %d labels left out", sz.Width, sz.Height, lane.more)
		}
		ts := ch.Style.Text(SizeNote, ch.Style.Foreground, false)
		for i, a := range lane.labels {
			wa := dotsWidth(a.a, ts.Height("X")*0.35) + 4 + ts.Width(a.a.Label)
			if a.leftX < 0 || a.leftX+wa > dc.Max.X {
				t.Errorf("%dx%d: label %q runs off the chart", sz.Width, sz.Height, a.a.Label)
			}
			for _, b := range lane.labels[i+1:] {
				wb := dotsWidth(b.a, ts.Height("X")*0.35) + 4 + ts.Width(b.a.Label)
				if a.row == b.row && a.leftX < b.leftX+wb && b.leftX < a.leftX+wa {
					t.Errorf("%dx%d: labels %q and %q overlap in row %d", sz.Width, sz.Height, a.a.Label, b.a.Label, a.row)
				}
			}
		}
	}
}

func sizeW(s Size) (vg.Length, vg.Length) { return s.Page() }

func TestRenderFormats(t *testing.T) {
	ch, err := Build(demoSource(t), Spec{Kind: KindDeaths, Annotate: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, sz := range []Size{SizeSlide, SizeSocial, SizeA4, Pixels(1001, 667), Physical(297*vg.Millimeter, 210*vg.Millimeter, 150)} {
		var buf bytes.Buffer
		if err := ch.Render(&buf, FormatPNG, sz); err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(&buf)
		if err != nil {
			t.Fatal(err)
		}
		if b := img.Bounds(); b.Dx() != sz.Width || b.Dy() != sz.Height {
			t.Errorf("PNG is %dx%d, want %dx%d", b.Dx(), b.Dy(), sz.Width, sz.Height)
		}
	}
	if a4 := Physical(297*vg.Millimeter, 210*vg.Millimeter, 300); a4 != SizeA4 {
		t.Errorf("A4 at 300 DPI is %+v, want %+v", a4, SizeA4)
	}
	var svg bytes.Buffer
	if err := ch.Render(&svg, FormatSVG, SizeSlide); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"@font-face", "font-family:\"Liberation Sans\"", "data:font/ttf;charset=utf-8;base64,", "Deaths per week"} {
		if !strings.Contains(svg.String(), want) {
			t.Errorf("SVG lacks %q", want)
		}
	}
	var pdf bytes.Buffer
	if err := ch.Render(&pdf, FormatPDF, SizeSlide); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(pdf.Bytes(), []byte("%PDF")) || !bytes.Contains(pdf.Bytes(), []byte("/FontFile2")) {
		t.Errorf("PDF: header %q, embedded TrueType font %v", pdf.Bytes()[:8], bytes.Contains(pdf.Bytes(), []byte("/FontFile2")))
	}
	if err := ch.Render(&pdf, "gif", SizeSlide); !errors.Is(err, ErrFormat) {
		t.Errorf("gif: %v, want ErrFormat", err)
	}
	if img := ch.Image(640, 360); img.Bounds().Dx() != 640 || img.Bounds().Dy() != 360 {
		t.Errorf("Image(640, 360) is %v", img.Bounds())
	}
	if img := ch.Image(20, 10); img.Bounds().Dx() != 20 {
		t.Errorf("Image(20, 10) is %v, want a blank 20x10", img.Bounds())
	}
}

func TestParseSize(t *testing.T) {
	for _, c := range []struct {
		in   string
		dpi  int
		want Size
		err  bool
	}{
		{"slide", 0, Size{1920, 1080, 144}, false},
		{"social", 0, Size{1200, 675, 90}, false},
		{"A4", 0, Size{3508, 2480, 300}, false},
		{"1920x1080", 0, Size{1920, 1080, 144}, false},
		{"297x210mm", 300, Size{3508, 2480, 300}, false},
		{"10x7.5in", 200, Size{2000, 1500, 200}, false},
		{"29.7x21cm", 0, Size{3508, 2480, 300}, false},
		{"big", 0, Size{}, true},
		{"10x", 0, Size{}, true},
		{"50x40", 0, Size{}, true},
	} {
		got, err := ParseSize(c.in, c.dpi)
		if (err != nil) != c.err || (!c.err && got != c.want) {
			t.Errorf("ParseSize(%q, %d) = %+v, %v; want %+v, error %v", c.in, c.dpi, got, err, c.want, c.err)
		}
	}
}

func TestShorten(t *testing.T) {
	s := Shorten("US figures as cited in the Nov 2025 report on the UK intelligence pause", 32)
	if len([]rune(s)) > 32 || !strings.HasSuffix(s, "…") || !strings.HasPrefix(s, "US figures as cited") {
		t.Errorf("Shorten: %q", s)
	}
	if Shorten("short", 32) != "short" {
		t.Error("Shorten changed a short string")
	}
}

func TestCP1252(t *testing.T) {
	for in, want := range map[string]string{
		"plain":               "plain",
		"Demo data — 2–4 …":   "Demo data \x97 2\x964 \x85",
		"≤5 and \u4e2d":       "?5 and ?",
		"Volker Türk, café é": "Volker T\xfcrk, caf\xe9 \xe9",
	} {
		if got := toCP1252(in); got != want {
			t.Errorf("toCP1252(%q) = %q, want %q", in, got, want)
		}
	}
}

// A row that stands for several strikes (a strikes or events count column) counts each in the
// strikes chart and its running total.
func TestWeightedStrikes(t *testing.T) {
	src := &fakeSource{incidents: []data.Incident{
		{ID: "a", Date: data.Day(2015, 1, 5), Theatre: "FATA", Events: 3},
		{ID: "b", Date: data.Day(2015, 1, 6), Theatre: "FATA"},
	}}
	ch, err := Build(src, Spec{Kind: KindStrikes})
	if err != nil {
		t.Fatal(err)
	}
	if got := sum(layer(t, ch, "FATA").Y); got != 4 {
		t.Errorf("strikes %v, want 4 (3 + 1)", got)
	}
	ch, err = Build(src, Spec{Kind: KindCumulative, Unit: UnitStrikes})
	if err != nil {
		t.Fatal(err)
	}
	last := ch.Layers[0].Y
	if got := last[len(last)-1]; got != 4 {
		t.Errorf("running total of strikes ends at %v, want 4", got)
	}
}

// Deaths split by group: one segment per group of the series, adding up to the deaths.
func TestSplitDeaths(t *testing.T) {
	src := demoSource(t)
	ch, err := Build(src, Spec{Kind: KindDeaths, SplitDeaths: true, Period: data.PeriodMonth})
	if err != nil {
		t.Fatal(err)
	}
	total := 0.0
	for _, l := range ch.Layers {
		total += sum(l.Y)
	}
	if len(ch.Layers) != 2 || total != 79 || !strings.Contains(ch.Caption.Rule, "split by group") {
		t.Errorf("%d layers, %v deaths, rule %q; want 2 theatres, 79", len(ch.Layers), total, ch.Caption.Rule)
	}
}

// Two long web addresses of one site, or two long names with the same beginning, must stay
// different in a caption's source list: they are cut in the middle, keeping the part that
// differs.
func TestSourceListKeepsDifferentSourcesDifferent(t *testing.T) {
	for _, c := range []struct {
		name    string
		sources []string
		want    []string // substrings the caption must hold, one per source
	}{
		{"web addresses of one site", []string{
			"https://www.southcom.mil/MEDIA/NEWS-ARTICLES/Article/4312345/strike-in-the-caribbean-sea/",
			"https://www.southcom.mil/MEDIA/NEWS-ARTICLES/Article/4319876/strike-in-the-eastern-pacific/",
		}, []string{"eastern-pacific/", "caribbean-sea/"}},
		{"names alike at the start", []string{
			"Office of the United Nations High Commissioner for Human Rights, press briefing notes, Geneva, 31 October",
			"Office of the United Nations High Commissioner for Human Rights, press briefing notes, Geneva, 14 November",
		}, []string{"31 October", "14 November"}},
		{"short names untouched", []string{"Hansard", "CNN"}, []string{"Hansard (1 record)", "CNN (1 record)"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			var l SourceList
			for _, s := range c.sources {
				l.Add(s)
			}
			got := l.String()
			for _, w := range c.want {
				if !strings.Contains(got, w) {
					t.Errorf("caption %q does not hold %q", got, w)
				}
			}
			for _, part := range strings.Split(strings.TrimSuffix(strings.TrimPrefix(got, "Sources: "), "."), "; ") {
				if name, _, _ := strings.Cut(part, " ("); len([]rune(name)) > 60 {
					t.Errorf("source %q is longer than 60 characters", name)
				}
			}
		})
	}
}

func TestShortenMiddle(t *testing.T) {
	for _, c := range []struct {
		in   string
		max  int
		want string
	}{
		{"short", 10, "short"},
		{"abcdefghijklmnopqrstuvwxyz", 11, "abcd…uvwxyz"},
	} {
		if got := ShortenMiddle(c.in, c.max); got != c.want {
			t.Errorf("ShortenMiddle(%q, %d) = %q, want %q", c.in, c.max, got, c.want)
		}
	}
}
