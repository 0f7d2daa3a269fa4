package cli

import (
	"fmt"

	"sitrep/internal/buildinfo"
)

func runVersion(e *env, args []string) error {
	fs := e.flags()
	if err := e.parse(fs, args); err != nil {
		return err
	}
	_, err := fmt.Fprintln(e.out, buildinfo.Line())
	return err
}
