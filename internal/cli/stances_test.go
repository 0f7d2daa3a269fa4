package cli

import (
	"strings"
	"testing"

	"sitrep/data"
	"sitrep/internal/demotest"
)

func TestStancesCommand(t *testing.T) {
	db := demotest.StatementStore(t, demotest.Statements(t), "file")
	code, out, errOut := runCLI(t, "stances", "--db", db)
	if code != 0 || !strings.Contains(out, "condemns") || !strings.Contains(out, "distances itself") {
		t.Fatalf("list: exit %d %s\n%s", code, errOut, out)
	}
	code, out, errOut = runCLI(t, "stances", "--db", db, "--add", "distances itself", "--score", "-1")
	if code != 0 {
		t.Fatalf("add: exit %d %s", code, errOut)
	}
	var row string
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "distances itself") {
			row = l
		}
	}
	if !strings.Contains(row, "-1") || !strings.Contains(row, "#F67E4B") {
		t.Errorf("added word row = %q\n%s", row, out)
	}
	// The positions now score the word as its own stance.
	st, err := data.Open(db, data.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	v, _ := st.Vocabulary()
	st.Close()
	if d, ok := v.Lookup("distances itself"); !ok || d.Word != "distances itself" {
		t.Errorf("saved vocabulary: %+v", d)
	}
	for _, tt := range []struct {
		args []string
		msg  string
	}{
		{[]string{"stances", "--db", db, "--add", "furious", "--score", "-3"}, "outside -2..+2"},
		{[]string{"stances", "--db", db, "--add", "furious"}, "needs --score"},
		{[]string{"stances", "--db", db, "--score", "1"}, "go with --add"},
	} {
		code, _, errOut := runCLI(t, tt.args...)
		if code != 2 || !strings.Contains(errOut, tt.msg) {
			t.Errorf("%q: exit %d %q, want 2 and %q", tt.args, code, errOut, tt.msg)
		}
	}
}
