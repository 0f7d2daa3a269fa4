package cli

import (
	"fmt"
	"strings"
)

// runRename implements `sitrep rename [NAME]`: name the store (the analyst's or the team's
// name, shown in the provenance of records merged elsewhere); with no name, print the store's
// identity.
func runRename(e *env, args []string) error {
	fs := e.flags()
	db := dbFlag(fs)
	var name []string
	for len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		name, args = append(name, args[0]), args[1:]
	}
	if err := e.parse(fs, args); err != nil {
		return err
	}
	name = append(name, fs.Args()...)
	st, err := openStore(db(), len(name) == 0)
	if err != nil {
		return err
	}
	defer st.Close()
	if len(name) > 0 {
		if err := st.SetName(strings.Join(name, " ")); err != nil {
			return err
		}
	}
	id, err := st.Identity()
	if err != nil {
		return err
	}
	n := id.Name
	if n == "" {
		n = "(no name: sitrep rename NAME)"
	}
	_, err = fmt.Fprintf(e.out, "Store %s\nName: %s\nId:   %s\n", st.Path(), n, id.ID)
	return err
}
