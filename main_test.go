package main

import "testing"

// TestGUIArgs: the arguments that open the desktop app (and on which store), and those that
// go to the CLI.
func TestGUIArgs(t *testing.T) {
	tests := []struct {
		args []string
		path string
		gui  bool
	}{
		{nil, "", true},
		{[]string{"--db", "/tmp/a.db"}, "/tmp/a.db", true},
		{[]string{"-db", "b.sitrep"}, "b.sitrep", true},
		{[]string{"--db=/tmp/c.db"}, "/tmp/c.db", true},
		{[]string{"/home/me/work.db"}, "/home/me/work.db", true},
		{[]string{`C:\Users\me\Work.DB`}, `C:\Users\me\Work.DB`, true},
		{[]string{"stats"}, "", false},
		{[]string{"stats", "--db", "x.db"}, "", false},
		{[]string{"--db", "x.db", "stats"}, "", false},
		{[]string{"import", "a.db"}, "", false},
		{[]string{"--db"}, "", false},
		{[]string{"--db", ""}, "", false},
		{[]string{"-h"}, "", false},
		{[]string{"notes.xlsx"}, "", false},
	}
	for _, tt := range tests {
		path, gui := guiArgs(tt.args)
		if path != tt.path || gui != tt.gui {
			t.Errorf("guiArgs(%q) = %q, %v; want %q, %v", tt.args, path, gui, tt.path, tt.gui)
		}
	}
}
