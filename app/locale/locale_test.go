package locale

import "testing"

func TestFix(t *testing.T) {
	tests := []struct {
		name    string
		env     map[string]string
		changed bool
	}{
		{"empty", map[string]string{}, false},
		{"plain C", map[string]string{"LANG": "C"}, false},
		{"plain POSIX", map[string]string{"LC_ALL": "POSIX"}, false},
		{"C.UTF-8", map[string]string{"LANG": "C.UTF-8"}, true},
		{"LC_ALL C.utf8 wins over LANG", map[string]string{"LC_ALL": "C.utf8", "LANG": "en_GB.UTF-8"}, true},
		{"english", map[string]string{"LANG": "en_GB.UTF-8"}, false},
		{"C.UTF-8 with good LANGUAGE", map[string]string{"LANG": "C.UTF-8", "LANGUAGE": "fr_FR:en"}, false},
		{"bad LANGUAGE", map[string]string{"LANG": "en_US.UTF-8", "LANGUAGE": "C.UTF-8"}, true},
		{"POSIX with modifier", map[string]string{"LANG": "POSIX@euro"}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			env := map[string]string{}
			for k, v := range tc.env {
				env[k] = v
			}
			got := Fix(func(k string) string { return env[k] }, func(k, v string) error { env[k] = v; return nil })
			if got != tc.changed {
				t.Fatalf("Fix changed = %v, want %v", got, tc.changed)
			}
			if tc.changed && env["LANGUAGE"] != "en" {
				t.Fatalf("LANGUAGE = %q, want en", env["LANGUAGE"])
			}
			if !tc.changed && env["LANGUAGE"] != tc.env["LANGUAGE"] {
				t.Fatalf("LANGUAGE changed to %q", env["LANGUAGE"])
			}
		})
	}
}
