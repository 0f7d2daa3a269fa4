package cli

import (
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"strings"
	"text/tabwriter"

	"sitrep/data"
)

// runStances implements `sitrep stances [--db PATH] [--add WORD --score N [--color #rrggbb]]`:
// it lists the stance vocabulary, after adding (or re-scoring) a word when --add is given.
func runStances(e *env, args []string) error {
	out := e.out
	fl := e.flags()
	db := dbFlag(fl)
	add := fl.String("add", "", "stance word to add, or to re-score if it exists (a synonym becomes a word of its own)")
	score := fl.Int("score", 0, "score of the --add word, from -2 (condemns) to +2 (defends)")
	color := fl.String("color", "", "colour of the --add word, #rrggbb (default: that of the first word with the same score)")
	if err := e.parseNoArgs(fl, args); err != nil {
		return err
	}
	scoreSet := false
	fl.Visit(func(f *flag.Flag) { scoreSet = scoreSet || f.Name == "score" })
	if *add == "" && (scoreSet || *color != "") {
		return usageError("--score and --color go with --add WORD")
	}
	if *add != "" && !scoreSet {
		return usageError("--add %q needs --score N (-2 to +2)", *add)
	}
	st, err := openStore(db(), *add == "")
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("no store at %s (pass --db): %w", db(), err)
	}
	if err != nil {
		return err
	}
	defer st.Close()
	var v data.Vocabulary
	if *add != "" {
		if v, err = data.AddStanceWord(st, *add, *score, *color); err != nil {
			if errors.Is(err, data.ErrInvalid) {
				return usageError("%v", err)
			}
			return err
		}
	} else if v, err = st.Vocabulary(); err != nil {
		return err
	}
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "WORD\tSCORE\tCOLOUR\tALSO")
	for _, d := range v {
		sc := fmt.Sprintf("%+d", d.Score)
		if d.NoComment {
			sc = "0 (no comment)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", d.Word, sc, d.Color, strings.Join(d.Synonyms, ", "))
	}
	return tw.Flush()
}
