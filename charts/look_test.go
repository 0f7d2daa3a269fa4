package charts

import (
	"os"
	"testing"
)

func TestLookVector(t *testing.T) {
	if lookDir == "" {
		t.Skip()
	}
	ch, err := Build(demoSource(t), Spec{Kind: KindTallies, Annotate: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []Format{FormatSVG, FormatPDF} {
		fh, _ := os.Create(lookDir + "/tallies." + string(f))
		if err := ch.Render(fh, f, SizeSlide); err != nil {
			t.Fatal(err)
		}
		fh.Close()
	}
}
