package demotest

import "testing"

func TestDemoTablesMatchTheirReadme(t *testing.T) {
	inc, st, ta := Incidents(t), Statements(t), Tallies(t)
	killed, survivors := 0, 0
	for _, r := range inc {
		killed += r.Killed.Low()
		survivors += r.Survivors.Low()
	}
	if len(inc) != 17 || len(st) != 8 || len(ta) != 4 || killed != 79 || survivors != 3 {
		t.Errorf("demo: %d incidents, %d statements, %d tallies, %d killed, %d survivors; README says 17, 8, 4, 79, 3",
			len(inc), len(st), len(ta), killed, survivors)
	}
	// "At least 66": a min with no max.
	if k := ta[1].Killed; !k.MinKnown || k.Min != 66 || k.MaxKnown {
		t.Errorf("tally %s killed = %+v, want at least 66", ta[1].ID, k)
	}
}
