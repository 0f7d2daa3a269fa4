package cli

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"sitrep/internal/demotest"
)

func TestPositionsJSONDemo(t *testing.T) {
	db := demotest.StatementStore(t, demotest.Statements(t), "demo")
	code, out, errOut := runCLI(t, "positions", "--db", db, "--json", "--topic", "Legality of the strikes", "--as-of", "2025-11-12")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var got struct {
		AsOf   string   `json:"as_of"`
		Actors []string `json:"actors"`
		Topics []string `json:"topics"`
		Cells  []map[string]any
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if got.AsOf != "2025-11-12" || len(got.Topics) != 1 || got.Topics[0] != "Legality of the strikes" || len(got.Actors) != 4 {
		t.Errorf("as_of %q topics %q actors %q", got.AsOf, got.Topics, got.Actors)
	}
	want := map[string]string{"United States": "defends", "United Nations": "condemns", "Venezuela": "condemns", "United Kingdom": "defers"}
	keys := []string{"actor", "topic", "stance", "score", "date", "speaker", "role", "quote", "source", "changed_from"}
	for _, c := range got.Cells {
		if len(c) != len(keys) {
			t.Errorf("cell has keys %v, want exactly %v", c, keys)
		}
		for _, k := range keys {
			if _, ok := c[k]; !ok {
				t.Errorf("cell lacks %q: %v", k, c)
			}
		}
		actor, _ := c["actor"].(string)
		if c["stance"] != want[actor] {
			t.Errorf("%s: stance %v, want %s", actor, c["stance"], want[actor])
		}
		delete(want, actor)
	}
	if len(want) != 0 {
		t.Errorf("missing actors: %v", want)
	}
}

func TestPositionsJSONNoStatementAndChanges(t *testing.T) {
	db := demotest.StatementStore(t, demotest.Statements(t), "demo")
	code, out, errOut := runCLI(t, "positions", "--db", db, "--json", "--as-of", "2025-11-12", "--since", "2025-11-01",
		"--actor", "Venezuela", "--actor", "United Kingdom", "--topic", "Intelligence sharing")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var got struct {
		Actors []string `json:"actors"`
		Cells  []struct {
			Actor       string  `json:"actor"`
			Stance      *string `json:"stance"`
			Score       *int    `json:"score"`
			ChangedFrom *string `json:"changed_from"`
		} `json:"cells"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	if strings.Join(got.Actors, "|") != "Venezuela|United Kingdom" || len(got.Cells) != 2 {
		t.Fatalf("actors %q, %d cells", got.Actors, len(got.Cells))
	}
	ve, uk := got.Cells[0], got.Cells[1]
	if ve.Stance != nil || ve.Score != nil || ve.ChangedFrom != nil {
		t.Errorf("Venezuela (no statement) = %+v, want nulls", ve)
	}
	if uk.Stance == nil || *uk.Stance != "concerned" || uk.Score == nil || *uk.Score != -1 ||
		uk.ChangedFrom == nil || *uk.ChangedFrom != "no statement" {
		t.Errorf("United Kingdom = %+v", uk)
	}
}

func TestPositionsTable(t *testing.T) {
	db := demotest.StatementStore(t, demotest.Statements(t), "demo")
	code, out, errOut := runCLI(t, "positions", "--db", db, "--as-of", "2025-11-12", "--since", "2025-11-01")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	lines := strings.Split(out, "\n")
	if lines[0] != "Positions as of 12 Nov 2025 (* changed since 1 Nov 2025)" {
		t.Errorf("first line = %q", lines[0])
	}
	// The header and the rows are aligned: every actor column starts at the same offset.
	head := lines[2]
	col := strings.Index(head, "United Kingdom")
	for _, l := range lines[3:5] {
		if len(l) < col || l[col-1] != ' ' || l[col] == ' ' {
			t.Errorf("row not aligned with header at %d:\n%s\n%s", col, head, l)
		}
	}
	for _, s := range []string{"no statement", "no comment, 11 Nov 2025", "concerned, 11 Nov 2025 *new",
		"Source: CNN report not denied by Downing Street", "Demo data",
		"Every change of position up to 12 Nov 2025:\n  United Kingdom, Intelligence sharing: no comment -> concerned (11 Nov 2025, ST-06)"} {
		if !strings.Contains(out, s) {
			t.Errorf("output lacks %q:\n%s", s, out)
		}
	}
}

func TestPositionsErrors(t *testing.T) {
	db := demotest.StatementStore(t, demotest.Statements(t), "file")
	tests := []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"positions", "--db", db, "--as-of", "12/11/2025"}, 2, "--as-of"},
		{[]string{"positions", "--db", db, "--as-of", "2025-11-01", "--since", "2025-11-12"}, 2, "after --as-of"},
		{[]string{"positions", "--db", db, "extra"}, 2, "unexpected argument"},
		{[]string{"positions", "--db", filepath.Join(t.TempDir(), "none.db")}, 1, "no store at"},
	}
	for _, tt := range tests {
		code, _, errOut := runCLI(t, tt.args...)
		if code != tt.code || !strings.Contains(errOut, tt.msg) || strings.Count(errOut, "\n") != 1 {
			t.Errorf("%q: exit %d, stderr %q; want %d and %q on one line", tt.args, code, errOut, tt.code, tt.msg)
		}
	}
	code, out, _ := runCLI(t, "positions", "--db", db, "--as-of", "2025-11-12")
	if code != 0 || strings.Contains(out, "Demo data") {
		t.Errorf("data imported from a file is labelled demo data:\n%s", out)
	}
}
