package cli

import (
	"fmt"

	"sitrep/data"
)

// runSalvage implements `sitrep salvage [--db PATH] --out NEW.db`: every record of a
// (damaged) store that can still be read, copied into a new store.
func runSalvage(e *env, args []string) error {
	fs := e.flags()
	db := dbFlag(fs)
	outPath := fs.String("out", "", "the new store to write (must not exist)")
	if err := e.parseNoArgs(fs, args); err != nil {
		return err
	}
	if *outPath == "" {
		return usageError("--out NEW.db is required (usage: sitrep salvage [--db PATH] --out NEW.db)")
	}
	src := db()
	rep, err := data.Salvage(src, *outPath)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.out, "salvaged %s into %s: %d incidents, %d statements, %d tallies\n", src, *outPath,
		rep.Copied[data.KindIncident], rep.Copied[data.KindStatement], rep.Copied[data.KindTally])
	lost := rep.Unreadable[data.KindIncident] + rep.Unreadable[data.KindStatement] + rep.Unreadable[data.KindTally]
	if rep.Skipped > 0 || lost > 0 {
		fmt.Fprintf(e.out, "could not read %d damaged stretches of the file and %d stored versions: records in them are not in the new store (an earlier backup may hold them: sitrep restore --db %s --list)\n",
			rep.Skipped, lost, QuoteArg(src))
	}
	for _, d := range rep.Damaged {
		fmt.Fprintf(e.out, "left out %s: its checksum does not match (a byte of it changed on disk)\n", d)
	}
	fmt.Fprintf(e.out, "work on the new store with --db %s\n", QuoteArg(*outPath))
	return nil
}
