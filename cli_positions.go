package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"strings"
	"text/tabwriter"

	"sitrep/data"
)

func init() {
	register(command{
		name:    "positions",
		summary: "governments' positions side by side, as of a date (table or --json)",
		run:     runPositions,
	})
	register(command{
		name:    "stances",
		summary: "list the stance vocabulary, or add a word with --add WORD --score N",
		run:     runStances,
	})
}

// runStances implements `sitrep stances [--db PATH] [--add WORD --score N [--color #rrggbb]]`:
// it lists the stance vocabulary, after adding (or re-scoring) a word when --add is given.
func runStances(args []string, out io.Writer) error {
	fl := newFlags("stances", out)
	db := dbFlag(fl)
	add := fl.String("add", "", "stance word to add, or to re-score if it exists (a synonym becomes a word of its own)")
	score := fl.Int("score", 0, "score of the --add word, from -2 (condemns) to +2 (defends)")
	color := fl.String("color", "", "colour of the --add word, #rrggbb (default: that of the first word with the same score)")
	if err := parseFlags(fl, args); err != nil {
		return err
	}
	if fl.NArg() > 0 {
		return usageError("unexpected argument %q", fl.Arg(0))
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

// positionsFlags are the options shared by "positions", "chart --kind positions|stance" and
// "export --kind positions".
type positionsFlags struct {
	topics, actors multiFlag
	asOf, since    *string
	maxActors      *int
}

func addPositionsFlags(fs *flag.FlagSet) *positionsFlags {
	p := &positionsFlags{}
	fs.Var(&p.topics, "topic", "topic to show, as a row (repeat for several; default: every topic)")
	fs.Var(&p.actors, "actor", "actor to show, as a column, in this order (repeat; default: the actors with the most statements)")
	p.asOf = fs.String("as-of", "", "show the latest statement on or before this date, YYYY-MM-DD (default: the latest statement)")
	p.since = fs.String("since", "", "mark cells whose stance changed since this date, YYYY-MM-DD")
	p.maxActors = fs.Int("max-actors", 0, "with no --actor, show at most this many actors (0: all)")
	return p
}

// options turns the flags into matrix options; a bad date is a usage error.
func (p *positionsFlags) options() (data.MatrixOptions, error) {
	opts := data.MatrixOptions{Actors: p.actors, Topics: p.topics, MaxActors: *p.maxActors}
	var err error
	if opts.AsOf, err = data.ParseDate(*p.asOf); err != nil {
		return opts, usageError("--as-of: %v", err)
	}
	if opts.Since, err = data.ParseDate(*p.since); err != nil {
		return opts, usageError("--since: %v", err)
	}
	if *p.maxActors < 0 {
		return opts, usageError("--max-actors %d: want 0 or more", *p.maxActors)
	}
	if !opts.AsOf.IsZero() && !opts.Since.IsZero() && opts.AsOf.LastDayNumber() < opts.Since.LastDayNumber() {
		return opts, usageError("--since %s is after --as-of %s", opts.Since, opts.AsOf)
	}
	return opts, nil
}

// positionsSummary says in words what a matrix holds: "positions of 4 actors on 1 topic as of
// 12 Nov 2025".
func positionsSummary(m data.Matrix) string {
	return fmt.Sprintf("positions of %s on %s as of %s", posPlural(len(m.Actors), "actor", "actors"),
		posPlural(len(m.Topics), "topic", "topics"), m.AsOf.Label())
}

// posPlural writes n with the singular or plural noun.
func posPlural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// positionsData is what the positions commands read from the store.
// matrix parses the flags, reads the store at path and builds the positions matrix.
func (p *positionsFlags) matrix(path string) (positionsData, data.MatrixOptions, data.Matrix, error) {
	opts, err := p.options()
	if err != nil {
		return positionsData{}, opts, data.Matrix{}, err
	}
	pd, err := loadPositions(path)
	if err != nil {
		return pd, opts, data.Matrix{}, err
	}
	m, err := data.NewMatrix(pd.statements, pd.vocab, opts)
	return pd, opts, m, err
}

type positionsData struct {
	statements []data.Statement
	vocab      data.Vocabulary
	demo       bool
}

// loadPositions opens the store read-only (so it works while the app has it open for reading
// elsewhere) and reads the statements, the stance vocabulary and whether it holds demo data.
func loadPositions(path string) (positionsData, error) {
	var pd positionsData
	st, err := openStore(path, true)
	if errors.Is(err, fs.ErrNotExist) {
		return pd, fmt.Errorf("no store at %s (import statements first, or pass --db): %w", path, err)
	}
	if err != nil {
		return pd, err
	}
	defer st.Close()
	if pd, err = readPositions(st); err != nil {
		return pd, fmt.Errorf("%s: %w", path, err)
	}
	return pd, nil
}

func runPositions(args []string, out io.Writer) error {
	fs := newFlags("positions", out)
	db := dbFlag(fs)
	asJSON := fs.Bool("json", false, "write JSON: {as_of, actors, topics, cells: [{actor, topic, stance, score, date, speaker, role, quote, source, changed_from}]}")
	pf := addPositionsFlags(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError("unexpected argument %q", fs.Arg(0))
	}
	pd, opts, m, err := pf.matrix(db())
	if err != nil {
		return err
	}
	if *asJSON {
		return writePositionsJSON(out, m)
	}
	tls, err := data.NewTimelines(pd.statements, pd.vocab, opts)
	if err != nil {
		return err
	}
	return writePositionsTable(out, m, tls, pd.demo)
}

// positionsJSON is the JSON form of the matrix; the shape is part of the CLI's contract.
type positionsJSON struct {
	AsOf   *string             `json:"as_of"`
	Actors []string            `json:"actors"`
	Topics []string            `json:"topics"`
	Cells  []positionsCellJSON `json:"cells"`
}

// positionsCellJSON is one cell. A cell with no statement has null stance, score, date and
// evidence; "no comment" is a stance (with the vocabulary's score); an unscored word has a
// null score. changed_from is null when unchanged (or with no --since), else the earlier
// stance or "no statement".
type positionsCellJSON struct {
	Actor       string  `json:"actor"`
	Topic       string  `json:"topic"`
	Stance      *string `json:"stance"`
	Score       *int    `json:"score"`
	Date        *string `json:"date"`
	Speaker     *string `json:"speaker"`
	Role        *string `json:"role"`
	Quote       *string `json:"quote"`
	Source      *string `json:"source"`
	ChangedFrom *string `json:"changed_from"`
}

func strPtr(s string) *string { return &s }

func positionsToJSON(m data.Matrix) positionsJSON {
	out := positionsJSON{Actors: m.Actors, Topics: m.Topics, Cells: []positionsCellJSON{}}
	if out.Actors == nil {
		out.Actors = []string{}
	}
	if out.Topics == nil {
		out.Topics = []string{}
	}
	if !m.AsOf.IsZero() {
		out.AsOf = strPtr(m.AsOf.String())
	}
	for _, c := range m.All() {
		j := positionsCellJSON{Actor: c.Actor, Topic: c.Topic}
		if c.State != data.CellNoStatement {
			j.Stance = strPtr(c.Stance)
			if s, ok := c.Score(); ok {
				j.Score = &s
			}
			j.Date = strPtr(c.Date.String())
			j.Speaker, j.Role = strPtr(c.Speaker), strPtr(c.Role)
			j.Quote, j.Source = strPtr(c.Quote), strPtr(c.Source)
		}
		if c.ChangedFrom != nil {
			j.ChangedFrom = strPtr(c.ChangedFrom.Label())
		}
		out.Cells = append(out.Cells, j)
	}
	return out
}

func writePositionsJSON(w io.Writer, m data.Matrix) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(positionsToJSON(m))
}

// writePositionsTable writes the grid as an aligned table (topics as rows, actors as columns,
// "stance, date" in each cell), then the evidence behind each cell, the changes since the
// since date, every change of position in the timelines, and notes.
func writePositionsTable(w io.Writer, m data.Matrix, tls []data.Timeline, demo bool) error {
	if len(m.Actors) == 0 || len(m.Topics) == 0 {
		_, err := fmt.Fprintln(w, "No statements to compare (no statement matches, or none is dated on or before the as-of date).")
		return err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Positions as of %s", m.AsOf.Label())
	if !m.Since.IsZero() {
		fmt.Fprintf(&b, " (* changed since %s)", m.Since.Label())
	}
	b.WriteString("\n\n")
	tw := tabwriter.NewWriter(&b, 0, 0, 3, ' ', 0)
	fmt.Fprint(tw, "TOPIC")
	for _, a := range m.Actors {
		fmt.Fprintf(tw, "\t%s", a)
	}
	fmt.Fprintln(tw)
	for i, topic := range m.Topics {
		fmt.Fprint(tw, topic)
		for j := range m.Actors {
			c := &m.Cells[i][j]
			text := c.Label()
			if c.State == data.CellUnscored {
				text += " (unscored)"
			}
			if c.State != data.CellNoStatement {
				text += ", " + c.Date.Label()
			}
			switch {
			case c.ChangedFrom == nil:
			case c.ChangedFrom.State == data.CellNoStatement:
				text += " *new"
			default:
				text += " *was " + c.ChangedFrom.Label()
			}
			fmt.Fprintf(tw, "\t%s", text)
		}
		fmt.Fprintln(tw)
	}
	tw.Flush()

	b.WriteString("\nEvidence:\n")
	for _, c := range m.All() {
		if c.State == data.CellNoStatement {
			continue
		}
		who := c.Speaker
		if c.Role != "" && !strings.EqualFold(c.Role, c.Speaker) {
			who = strings.TrimPrefix(who+" ("+c.Role+")", " ")
		}
		fmt.Fprintf(&b, "  %s / %s: %s, %s", c.Actor, c.Topic, c.Label(), c.Date.Label())
		if who != "" {
			fmt.Fprintf(&b, ", %s", who)
		}
		fmt.Fprintf(&b, " [%s]\n", c.StatementID)
		if q := strings.TrimSpace(c.Quote); q != "" {
			fmt.Fprintf(&b, "    %s\n", data.ShortQuote(q, 160))
		}
		if s := strings.TrimSpace(c.Source); s != "" {
			fmt.Fprintf(&b, "    Source: %s\n", s)
		}
	}
	if changed := m.Changed(); len(changed) > 0 {
		fmt.Fprintf(&b, "\nChanged since %s:\n", m.Since.Label())
		for _, c := range changed {
			fmt.Fprintf(&b, "  %s / %s: %s -> %s\n", c.Actor, c.Topic, c.ChangedFrom.Label(), c.Label())
		}
	}
	var all []data.PositionChange
	for _, tl := range tls {
		all = append(all, tl.Changes...)
	}
	if len(all) > 0 {
		fmt.Fprintf(&b, "\nEvery change of position up to %s:\n", m.AsOf.Label())
		for _, c := range all {
			fmt.Fprintf(&b, "  %s\n", c)
		}
	}
	if len(m.Unscored) > 0 {
		fmt.Fprintf(&b, "\nStance words not in the vocabulary (unscored): %s\n", strings.Join(m.Unscored, ", "))
	}
	if len(m.Undated) > 0 {
		fmt.Fprintf(&b, "\nStatements with no date, not placed: %s\n", strings.Join(m.Undated, ", "))
	}
	b.WriteString("\nA statement dated only to a month counts from the end of that month.\n")
	if demo {
		b.WriteString("Demo data: an approximate reconstruction of press reports, unverified.\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}
