package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"sitrep/data"
)

type mergeJSON struct {
	Added     *int `json:"added"`
	Updated   *int `json:"updated"`
	Unchanged *int `json:"unchanged"`
	Conflicts []struct {
		Kind   string   `json:"kind"`
		ID     string   `json:"id"`
		Fields []string `json:"fields"`
	} `json:"conflicts"`
}

func mergeOf(t *testing.T, out string) mergeJSON {
	t.Helper()
	var m mergeJSON
	if err := json.Unmarshal([]byte(out), &m); err != nil || m.Added == nil || m.Updated == nil || m.Unchanged == nil || m.Conflicts == nil {
		t.Fatalf("merge --json: %v: %s", err, out)
	}
	return m
}

func TestMergeRenameExportStoreChanges(t *testing.T) {
	dir := t.TempDir()
	alice := demoDB(t)
	if out := mustRun(t, "rename", "--db", alice, "Alice's", "laptop"); !strings.Contains(out, "Name: Alice's laptop") {
		t.Errorf("rename: %q", out)
	}
	bob := filepath.Join(dir, "bob.db")
	mustRun(t, "rename", "Bob", "--db", bob)
	var total int
	withStore(t, alice, func(s *data.Store) {
		st, _ := s.Stats(data.Filter{})
		total = st.Incidents + st.Statements + st.Tallies
	})
	// A dry run changes nothing; the merge brings everything; a second adds nothing.
	dry := mergeOf(t, mustRun(t, "merge", alice, "--db", bob, "--dry-run", "--json"))
	if *dry.Added != total {
		t.Errorf("dry run: %+v", dry)
	}
	got := mergeOf(t, mustRun(t, "merge", alice, "--db", bob, "--json"))
	if *got.Added != total || *got.Updated != 0 || len(got.Conflicts) != 0 {
		t.Errorf("first merge: added %d updated %d conflicts %v", *got.Added, *got.Updated, got.Conflicts)
	}
	if !fileExists(data.BackupPath(bob, 1)) {
		t.Error("no backup before the merge")
	}
	again := mergeOf(t, mustRun(t, "merge", "--db", bob, "--json", alice))
	if *again.Added != 0 || *again.Updated != 0 || *again.Unchanged != total {
		t.Errorf("second merge: %+v", again)
	}
	// Both edit the same incident differently: a conflict, reported with its fields.
	since := time.Now()
	for i, db := range []string{alice, bob} {
		withStore(t, db, func(s *data.Store) {
			r, err := s.Incident("US-2025-07")
			if err != nil {
				t.Fatal(err)
			}
			r.Killed = data.Exactly(70 + i)
			if err := s.SaveIncident(&r); err != nil {
				t.Fatal(err)
			}
		})
	}
	c := mergeOf(t, mustRun(t, "merge", alice, "--db", bob, "--json"))
	if len(c.Conflicts) != 1 || c.Conflicts[0].ID != "US-2025-07" || c.Conflicts[0].Kind != "incidents" || strings.Join(c.Conflicts[0].Fields, ",") != "killed" {
		t.Errorf("conflict: %+v", c.Conflicts)
	}
	text := mustRun(t, "merge", alice, "--db", bob)
	if !strings.Contains(text, "Alice's laptop") || !strings.Contains(text, "0 conflicts") {
		t.Errorf("merge report: %q", text)
	}
	// changes: what Bob's store learned since.
	var rep data.ChangeReport
	out := mustRun(t, "changes", "--db", bob, "--since", since.Format(time.RFC3339Nano), "--json")
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Changed) != 1 || rep.Changed[0].ID != "US-2025-07" || rep.Changed[0].Fields[0].Field != "killed" || rep.Before.Incidents != rep.After.Incidents {
		t.Errorf("changes --json: %s", out)
	}
	if out := mustRun(t, "changes", "--db", bob, "--since", since.Format(time.RFC3339Nano)); !strings.Contains(out, "incident US-2025-07") || !strings.Contains(out, "killed:") {
		t.Errorf("changes: %q", out)
	}
	// export --kind store: one theatre, to hand over; merging it elsewhere names Alice.
	hand := filepath.Join(dir, "handover.db")
	if out := mustRun(t, "export", "--db", alice, "--kind", "store", "--theatre", "Eastern Pacific", "--out", hand); !strings.Contains(out, "Alice's laptop") {
		t.Errorf("export --kind store: %q", out)
	}
	carol := filepath.Join(dir, "carol.db")
	m := mergeOf(t, mustRun(t, "merge", hand, "--db", carol, "--json"))
	withStore(t, carol, func(s *data.Store) {
		st, _ := s.Stats(data.Filter{})
		if st.Incidents == 0 || len(st.ByTheatre) != 1 || *m.Added == 0 {
			t.Errorf("Carol after merging the Eastern Pacific hand-over: %+v", st.ByTheatre)
		}
		inc, _ := s.Incidents(data.Filter{})
		if inc[0].Provenance.StoreName != "Alice's laptop" {
			t.Errorf("provenance: %+v", inc[0].Provenance)
		}
	})
	for _, bad := range [][]string{
		{"merge", "--db", bob},
		{"changes", "--db", bob},
		{"changes", "--db", bob, "--since", "2025-11-06", "--until", "2025-11-01"},
		{"export", "--db", alice, "--kind", "store", "--out", filepath.Join(dir, "x.db"), "--known-on", "2025-11-06"},
	} {
		if code, _, _ := runCLI(t, bad...); code != 2 {
			t.Errorf("%v: exit %d, want 2", bad, code)
		}
	}
}

// Merging a byte copy of the store (same store id) says so: the merged records name the copy
// by that id and its name, and the note tells the user to name copies apart.
func TestMergeCopyNote(t *testing.T) {
	db := demoDB(t)
	cp := filepath.Join(t.TempDir(), "copy.db")
	raw, err := os.ReadFile(db)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cp, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	withStore(t, cp, func(s *data.Store) {
		r, err := s.Incident("US-2025-07")
		if err != nil {
			t.Fatal(err)
		}
		r.Killed = data.Exactly(70)
		if err := s.SaveIncident(&r); err != nil {
			t.Fatal(err)
		}
	})
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"merge", cp, "--db", db, "--dry-run"}, []string{"Note: " + cp + " is a copy of this store", "cannot be told apart"}},
		{[]string{"merge", cp, "--db", db, "--dry-run", "--json"}, []string{`"note": "` + strings.ReplaceAll(cp, `\`, `\\`) + ` is a copy of this store`}},
	} {
		if out := mustRun(t, tc.args...); !containsAll(out, tc.want) {
			t.Errorf("%v: %s\nwant %q", tc.args, out, tc.want)
		}
	}
	mustRun(t, "rename", "--db", cp, "Ben")
	out := mustRun(t, "merge", cp, "--db", db)
	if !strings.Contains(out, `its name ("Ben").`) || strings.Contains(out, "cannot be told apart") {
		t.Errorf("merge of the renamed copy: %s", out)
	}
	withStore(t, db, func(s *data.Store) {
		id, _ := s.Identity()
		r, _ := s.Incident("US-2025-07")
		if r.Killed != data.Exactly(70) || r.Provenance.Store != id.ID || r.Provenance.StoreName != "Ben" {
			t.Errorf("merged from the copy: %v, %+v", r.Killed, r.Provenance)
		}
	})
}

func containsAll(s string, subs []string) bool {
	for _, x := range subs {
		if !strings.Contains(s, x) {
			return false
		}
	}
	return true
}
