package charts

import (
	"bytes"
	"errors"
	"image/png"
	"strings"
	"testing"

	"sitrep/data"
	"sitrep/internal/demotest"
)

func TestRenderStanceDemo(t *testing.T) {
	stmts := demotest.Statements(t)
	tls, err := data.NewTimelines(stmts, data.DefaultVocabulary(), data.MatrixOptions{
		Topics: []string{"Legality of the strikes"}, AsOf: data.MustDate("2025-11-12"),
	})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	err = RenderStance(&buf, "png", tls, data.DefaultVocabulary(), StanceOptions{AsOf: data.MustDate("2025-11-12"), Demo: true})
	if err != nil {
		t.Fatal(err)
	}
	posSaveForLooking(t, "stance.png", buf.Bytes())
	img, err := png.Decode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != 1920 || b.Dy() != 1080 {
		t.Fatalf("size %dx%d", b.Dx(), b.Dy())
	}
	for i := range tls {
		if !posHasColor(img, stanceActorColors[i]) {
			t.Errorf("line colour of %s missing", tls[i].Actor)
		}
	}
	var svg bytes.Buffer
	if err := RenderStance(&svg, FormatSVG, tls, data.DefaultVocabulary(), StanceOptions{Demo: true}); err != nil || !strings.Contains(svg.String(), "Demo data") {
		t.Errorf("demo note missing from the SVG (%v)", err)
	}
}

func TestStancePlotPoints(t *testing.T) {
	stmts := []data.Statement{
		{ID: "S1", Date: data.MustDate("2025-09-01"), Actor: "UK", Topic: "T", Stance: "defends"},
		{ID: "S2", Date: data.MustDate("2025-10-01"), Actor: "UK", Topic: "T", Stance: "no comment"},
		{ID: "S3", Date: data.MustDate("2025-11"), Actor: "UK", Topic: "T", Stance: "concerned"},
		{ID: "S4", Date: data.MustDate("2025-11-15"), Actor: "UK", Topic: "T", Stance: "shrugs"},
	}
	tls, err := data.NewTimelines(stmts, data.DefaultVocabulary(), data.MatrixOptions{})
	if err != nil {
		t.Fatal(err)
	}
	p, err := NewStancePlot(tls, data.DefaultVocabulary(), StanceOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// The month-only statement sits at the end of November, after the 15 Nov one.
	xmin, xmax, ymin, ymax := p.X.Min, p.X.Max, p.Y.Min, p.Y.Max
	if !(xmin < stanceX(data.MustDate("2025-09-01")) && xmax > stanceX(data.MustDate("2025-11-30"))) {
		t.Errorf("x range %v..%v does not cover 1 Sep..30 Nov", xmin, xmax)
	}
	if ymin > -2 || ymax < 2 {
		t.Errorf("y range %v..%v does not cover -2..+2", ymin, ymax)
	}
	ticks := stanceTicks{data.DefaultVocabulary()}.Ticks(-2.5, 2.5)
	var labels []string
	for _, tk := range ticks {
		labels = append(labels, tk.Label)
	}
	want := []string{"defends  +2", "accepts with reservations  +1", "defers  0", "concerned  -1", "condemns  -2"}
	if strings.Join(labels, "|") != strings.Join(want, "|") {
		t.Errorf("y labels = %q, want %q", labels, want)
	}
	v, _ := data.DefaultVocabulary().WithWord("distances itself", -1, "")
	ticks = stanceTicks{v}.Ticks(-2.5, 2.5)
	if ticks[3].Label != "concerned / distances itself  -1" {
		t.Errorf("edited vocabulary label = %q", ticks[3].Label)
	}
	var buf bytes.Buffer
	if err := RenderStance(&buf, "svg", tls, data.DefaultVocabulary(), StanceOptions{Width: 1280, Height: 720}); err != nil {
		t.Fatal(err)
	}
	more := append(stmts,
		data.Statement{ID: "F1", Date: data.MustDate("2025-09-10"), Actor: "France", Topic: "T", Stance: "concerned"},
		data.Statement{ID: "F2", Date: data.MustDate("2025-10-20"), Actor: "France", Topic: "T", Stance: "condemns"},
		data.Statement{ID: "F3", Date: data.MustDate("2025-11-20"), Actor: "France", Topic: "T", Stance: "accepts with reservations"})
	tls2, _ := data.NewTimelines(more, data.DefaultVocabulary(), data.MatrixOptions{})
	var look bytes.Buffer
	if err := RenderStance(&look, "png", tls2, data.DefaultVocabulary(), StanceOptions{AsOf: data.MustDate("2025-12-05")}); err != nil {
		t.Fatal(err)
	}
	posSaveForLooking(t, "stance_changes.png", look.Bytes())
	if !strings.Contains(buf.String(), "shrugs") {
		t.Error("the caption does not list the unscored word")
	}
	if _, err := NewStancePlot(nil, data.DefaultVocabulary(), StanceOptions{}); !errors.Is(err, ErrEmpty) {
		t.Errorf("no timelines: err = %v, want ErrEmpty", err)
	}
}

func TestStanceTimeTicks(t *testing.T) {
	x := func(s string) float64 { return stanceX(data.MustDate(s)) }
	tests := []struct {
		from, to   string
		first      string
		minN, maxN int
	}{
		{"2025-11-05", "2025-11-12", "5 Nov 2025", 3, 6},
		{"2025-09-02", "2025-11-12", "", 3, 6},
		{"2025-01-15", "2025-12-20", "Feb 2025", 3, 6},
		{"2025-11-20", "2026-02-10", "", 3, 6},
		{"2019-03-01", "2025-11-12", "2020", 3, 6},
	}
	for _, tt := range tests {
		ticks := stanceTimeTicks{}.Ticks(x(tt.from)-3600, x(tt.to)+3600)
		seen := map[string]bool{}
		for _, tk := range ticks {
			if seen[tk.Label] {
				t.Errorf("%s..%s: label %q twice", tt.from, tt.to, tk.Label)
			}
			seen[tk.Label] = true
		}
		if len(ticks) < tt.minN || len(ticks) > tt.maxN {
			t.Errorf("%s..%s: %d ticks, want %d..%d", tt.from, tt.to, len(ticks), tt.minN, tt.maxN)
		}
		if tt.first != "" && len(ticks) > 0 && ticks[0].Label != tt.first {
			t.Errorf("%s..%s: first tick %q, want %q", tt.from, tt.to, ticks[0].Label, tt.first)
		}
	}
}
