package cli

import (
	"encoding/json"
	"fmt"
	"path/filepath"

	"sitrep/data"
)

// runMerge implements `sitrep merge OTHER.db [--dry-run] [--json]`: bring another store's
// records, revisions, provenance and deletions into this one, after a backup, all or nothing.
func runMerge(e *env, args []string) error {
	fs := e.flags()
	db := dbFlag(fs)
	dry := fs.Bool("dry-run", false, "say what the merge would do and change nothing")
	asJSON := fs.Bool("json", false, `print JSON: {"added","updated","unchanged","conflicts":[{"kind","id","fields"}]}`)
	// The other store may come before the options: sitrep merge OTHER.db --dry-run.
	var other string
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		other, args = args[0], args[1:]
	}
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if other == "" && fs.NArg() > 0 {
		other = fs.Arg(0)
	} else if fs.NArg() > 0 {
		return usageError("unexpected argument %q", fs.Arg(0))
	}
	if other == "" {
		return usageError("name the store to merge: sitrep merge OTHER.db")
	}
	if !fileExists(other) {
		return fmt.Errorf("no store at %s", other)
	}
	src, err := openStore(other, true)
	if err != nil {
		return fmt.Errorf("opening %s: %w", other, err)
	}
	defer src.Close()
	st, err := openStore(db(), *dry)
	if err != nil {
		return err
	}
	defer st.Close()
	if a, b := filepath.Clean(src.Path()), filepath.Clean(st.Path()); a == b {
		return usageError("%s is the store itself", other)
	}
	backup := ""
	if !*dry {
		if backup, err = data.BackupBeforeImport(st); err != nil {
			return fmt.Errorf("backing up before the merge: %w", err)
		}
	}
	res, err := st.Merge(src, data.MergeOptions{File: other, DryRun: *dry})
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(e.out)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	}
	verb := "Merged"
	if *dry {
		verb = "Dry run: merging would bring"
	}
	fmt.Fprintf(e.out, "%s %s from %s: %d added, %d updated, %d unchanged, %d conflicts.\n",
		verb, other, res.From, res.Added, res.Updated, res.Unchanged, len(res.Conflicts))
	if res.Note != "" {
		fmt.Fprintf(e.out, "Note: %s\n", res.Note)
	}
	for _, c := range res.Conflicts {
		fmt.Fprintf(e.out, "  conflict: %s %s (%s): both versions kept, the newer shows\n", singularKind(c.Kind), c.ID, joinFields(c.Fields))
	}
	if len(res.Conflicts) > 0 && !*dry {
		fmt.Fprintln(e.out, "Review the conflicts in the app (File > Merge conflicts…: keep either version or edit the one shown), or keep the version shown.")
	}
	if backup != "" {
		fmt.Fprintf(e.out, "Backup taken before the merge: %s\n", backup)
	}
	return nil
}

func joinFields(fs []string) string {
	if len(fs) == 0 {
		return "no field differs"
	}
	out := fs[0]
	for _, f := range fs[1:] {
		out += ", " + f
	}
	return out
}
