package cli

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"strings"
	"text/tabwriter"
	"time"

	"sitrep/data"
)

// positionsFlags are the options of the positions views: "positions", and the positions
// kinds of "chart" and "export".
type positionsFlags struct {
	topics, actors *multiFlag
	asOf, since    *string
	knownOn        *string
	maxActors      *int
}

// positionsNames are the flags only the positions views take.
var positionsNames = []string{"as-of", "since", "max-actors"}

// addPositionsFlags adds the positions options to fs. With ff (a command that also filters
// records), --topic and --actor are the filters' own.
func addPositionsFlags(fs *flag.FlagSet, ff *filterFlags) *positionsFlags {
	p := &positionsFlags{}
	if ff != nil {
		p.topics, p.actors, p.knownOn = &ff.topics, &ff.actors, ff.knownOn
	} else {
		p.knownOn = fs.String("known-on", "", knownOnUsage)
		p.topics, p.actors = &multiFlag{}, &multiFlag{}
		fs.Var(p.topics, "topic", "topic to show, as a row (repeat for several; default: every topic)")
		fs.Var(p.actors, "actor", "actor to show, as a column, in this order (repeat; default: the actors with the most statements)")
	}
	p.asOf = fs.String("as-of", "", "show the latest statement on or before this date, YYYY-MM-DD (default: the latest statement)")
	p.since = fs.String("since", "", "mark cells whose stance changed since this date, YYYY-MM-DD")
	p.maxActors = fs.Int("max-actors", 0, "with no --actor, show at most this many actors (0: all)")
	return p
}

// options turns the flags into matrix options; a bad date is a usage error.
func (p *positionsFlags) options() (data.MatrixOptions, error) {
	opts := data.MatrixOptions{Actors: *p.actors, Topics: *p.topics, MaxActors: *p.maxActors}
	var err error
	if opts.AsOf, err = data.ParseDate(*p.asOf); err != nil {
		return opts, usageError("--as-of: %v", err)
	}
	if opts.Since, err = data.ParseDate(*p.since); err != nil {
		return opts, usageError("--since: %v", err)
	}
	if opts.KnownOn, err = parseKnownOn(*p.knownOn); err != nil {
		return opts, err
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
	s := fmt.Sprintf("positions of %s on %s as of %s", posPlural(len(m.Actors), "actor", "actors"),
		posPlural(len(m.Topics), "topic", "topics"), m.AsOf.Label())
	if !m.KnownOn.IsZero() {
		s += " (statements as known on " + data.KnownOnLabel(m.KnownOn) + ")"
	}
	return s
}

// posPlural writes n with the singular or plural noun.
func posPlural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// matrix parses the flags, reads the store at path and builds the positions matrix.
func (p *positionsFlags) matrix(path string) (data.Positions, data.MatrixOptions, data.Matrix, error) {
	opts, err := p.options()
	if err != nil {
		return data.Positions{}, opts, data.Matrix{}, err
	}
	pd, err := loadPositions(path, opts.KnownOn)
	if err != nil {
		return pd, opts, data.Matrix{}, err
	}
	m, err := pd.Matrix(opts)
	return pd, opts, m, err
}

// loadPositions opens the store read-only (so it works while the app has it open for reading
// elsewhere) and reads the statements, the stance vocabulary and whether it holds demo data.
func loadPositions(path string, knownOn time.Time) (data.Positions, error) {
	st, err := openStore(path, true)
	if errors.Is(err, fs.ErrNotExist) {
		return data.Positions{}, fmt.Errorf("no store at %s (import statements first, or pass --db): %w", path, err)
	}
	if err != nil {
		return data.Positions{}, err
	}
	defer st.Close()
	pd, err := data.ReadPositionsAt(st, knownOn)
	if err != nil {
		return pd, fmt.Errorf("%s: %w", path, err)
	}
	return pd, nil
}

func runPositions(e *env, args []string) error {
	out := e.out
	fs := e.flags()
	db := dbFlag(fs)
	asJSON := fs.Bool("json", false, "write JSON: {as_of, actors, topics, cells: [{actor, topic, stance, score, date, speaker, role, quote, source, changed_from}]}")
	pf := addPositionsFlags(fs, nil)
	if err := e.parseNoArgs(fs, args); err != nil {
		return err
	}
	pd, opts, m, err := pf.matrix(db())
	if err != nil {
		return err
	}
	if *asJSON {
		return writePositionsJSON(out, m)
	}
	tls, err := pd.Timelines(opts)
	if err != nil {
		return err
	}
	return writePositionsTable(out, m, tls, pd.Demo)
}

// positionsJSON is the JSON form of the matrix; the shape is part of the CLI's contract.
type positionsJSON struct {
	AsOf *string `json:"as_of"`
	// KnownOn is the knowledge time (RFC 3339) when --known-on was given.
	KnownOn string              `json:"known_on,omitempty"`
	Actors  []string            `json:"actors"`
	Topics  []string            `json:"topics"`
	Cells   []positionsCellJSON `json:"cells"`
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
	if !m.KnownOn.IsZero() {
		out.KnownOn = m.KnownOn.Format(time.RFC3339)
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
	if !m.KnownOn.IsZero() {
		fmt.Fprintf(&b, "; statements as known on %s", data.KnownOnLabel(m.KnownOn))
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
