package data

import (
	"testing"
)

func TestTallyChecks(t *testing.T) {
	s := openTestStore(t)
	b, err := s.BeginImport(ImportInfo{File: "t.xlsx", Source: "file"})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Abort()
	incs := []Incident{
		{ID: "I1", Date: Day(2025, 9, 2), Theatre: "Caribbean", Killed: Exactly(11)},
		{ID: "I2", Date: Day(2025, 9, 15), Theatre: "Caribbean", Killed: Between(3, 5)},
		{ID: "I3", Date: Day(2025, 10, 1), Theatre: "Eastern Pacific", Killed: Exactly(2)},
		{ID: "I4", Date: Day(2025, 10, 20), Theatre: "Caribbean", Killed: Count{}},
	}
	for i := range incs {
		if err := b.PutIncident(&incs[i]); err != nil {
			t.Fatal(err)
		}
	}
	tallies := []Tally{
		{ID: "T1", AsOf: Day(2025, 9, 30), Claimant: "Government", Scope: ScopeAll, Strikes: Exactly(3), Killed: Exactly(17)},
		{ID: "T2", AsOf: Day(2025, 10, 31), Claimant: "Tracker", Scope: "Caribbean", Strikes: Exactly(3), Killed: AtLeast(20)},
		{ID: "T3", AsOf: Day(2025, 10, 31), Claimant: "Silent", Scope: "", Strikes: Count{}, Killed: Count{}},
	}
	for i := range tallies {
		if err := b.PutTally(&tallies[i]); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := b.Commit(); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		id                    string
		incidents, kmin, kmax int
		killed, strikes       Count
		killedOK, strikesOK   bool
	}{
		// T1: I1 and I2 (both theatres, up to 30 Sep): 14-16 killed; 17 published.
		{"T1", 2, 14, 16, Between(1, 3), Exactly(1), true, true},
		// T2: Caribbean only, up to 31 Oct: I1, I2, I4 (unknown toll); at least 20 published.
		{"T2", 3, 14, 16, Between(4, 6), Exactly(0), true, true},
		// T3: a blank scope is every theatre; no figures published.
		{"T3", 4, 16, 18, Count{}, Count{}, false, false},
	}
	checks, err := s.TallyChecks(Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(checks) != len(tests) {
		t.Fatalf("%d checks, want %d", len(checks), len(tests))
	}
	for i, tc := range tests {
		c := checks[i]
		if c.Tally.ID != tc.id || c.Records.Incidents != tc.incidents || c.Records.KilledMin != tc.kmin || c.Records.KilledMax != tc.kmax {
			t.Errorf("check %d: %s with %d incidents, %d-%d killed; want %s, %d, %d-%d", i, c.Tally.ID,
				c.Records.Incidents, c.Records.KilledMin, c.Records.KilledMax, tc.id, tc.incidents, tc.kmin, tc.kmax)
		}
		if k, ok := c.Killed(); ok != tc.killedOK || k != tc.killed {
			t.Errorf("%s killed difference %v (%v), want %v (%v)", tc.id, k, ok, tc.killed, tc.killedOK)
		}
		if k, ok := c.Strikes(); ok != tc.strikesOK || k != tc.strikes {
			t.Errorf("%s strikes difference %v (%v), want %v (%v)", tc.id, k, ok, tc.strikes, tc.strikesOK)
		}
	}

	// Tallies are edited, deleted and restored like the other records.
	t1 := checks[0].Tally
	t1.Killed = Exactly(14)
	if err := s.SaveTally(&t1); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete(KindTally, "T3"); err != nil {
		t.Fatal(err)
	}
	checks, err = s.TallyChecks(Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(checks) != 2 {
		t.Fatalf("after deleting T3: %d checks", len(checks))
	}
	if k, _ := checks[0].Killed(); k != Between(-2, 0) {
		t.Errorf("after the edit, T1's difference is %v, want -2 to 0", k)
	}
	if revs, err := s.Revisions(KindTally, "T1"); err != nil || len(revs) != 1 {
		t.Errorf("T1 revisions: %d, %v", len(revs), err)
	}
	if err := s.Restore(KindTally, "T3"); err != nil {
		t.Fatal(err)
	}
	if checks, _ = s.TallyChecks(Filter{}); len(checks) != 3 {
		t.Errorf("after restoring T3: %d checks", len(checks))
	}
}
