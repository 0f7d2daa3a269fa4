// Package buildinfo says which Sitrep this is: the version and commit that scripts/dist.sh
// stamps at build time,
//
//	go build -ldflags "-X sitrep/internal/buildinfo.version=1.2.3 -X sitrep/internal/buildinfo.commit=abc1234"
//
// for `sitrep version` and the app's Help > About alike.
package buildinfo

import (
	"fmt"
	"runtime"
	"runtime/debug"
)

var (
	version = "dev"
	commit  = ""
)

// Version is the stamped version, "dev" when none was.
func Version() string { return version }

// Commit returns the stamped commit, else the VCS revision Go recorded, else "unknown".
func Commit() string {
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

// Line is the one-line version: "Sitrep 1.2.3 (commit abc1234, go1.26.0, linux/amd64)".
func Line() string {
	return fmt.Sprintf("Sitrep %s (commit %s, %s, %s/%s)", Version(), Commit(), runtime.Version(), runtime.GOOS, runtime.GOARCH)
}
