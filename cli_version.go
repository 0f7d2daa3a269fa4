package main

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
)

// version and commit are stamped at build time by scripts/dist.sh:
//
//	go build -ldflags "-X main.version=1.2.3 -X main.commit=abc1234"
var (
	version = "dev"
	commit  = ""
)

func init() {
	register(command{name: "version", summary: "print the version, commit and Go version", run: runVersion})
}

// buildCommit returns the stamped commit, else the VCS revision Go recorded, else "unknown".
func buildCommit() string {
	if commit != "" {
		return commit
	}
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 7 {
				return s.Value[:7]
			}
		}
	}
	return "unknown"
}

// versionLine is the one-line version used by `sitrep version` and Help > About.
func versionLine() string {
	return fmt.Sprintf("Sitrep %s (commit %s, %s, %s/%s)", version, buildCommit(), runtime.Version(), runtime.GOOS, runtime.GOARCH)
}

func runVersion(args []string, out io.Writer) error {
	fs := newFlags("version", out)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	_, err := fmt.Fprintln(out, versionLine())
	return err
}
