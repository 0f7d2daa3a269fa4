package data

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
)

// Positions: governments side by side (the Matrix) and how each position moved (Timeline).
//
// Everything here is pure: it works on statements and a vocabulary the caller read from the
// store (Store.Statements, Store.Vocabulary), so the CLI, the GUI, the charts and the exports
// all compute the same grid the same way.
//
// # When a statement counts
//
// A statement counts as of a date once it is known to have been made: on or before the LAST
// day its date covers. A statement dated only "2025-11" may have been made on 30 November, so
// it is not shown as of 12 November; it is shown as of 30 November (and as of "2025-11", which
// also means the end of that month). Showing it earlier would put words in a government's mouth
// that it may not yet have said. See KnownBy. (Store.LatestStatements compares dates by their
// first day, so it counts a "2025-11" statement from 1 November; on day-precision data the two
// agree, see TestPositionsOverStore. The positions grid, its charts and exports use this rule.)
//
// # Which statement is the latest
//
// Statements are ordered by CompareStatements: by the day they are known by (the last day
// their date covers), then by their first day (of two statements known by 30 November, the one
// dated "2025-11-30" cannot be earlier than the one dated "2025-11", so it is the later), then
// by precision, then by id in natural order ("ST-9" before "ST-10"). Of two statements dated the
// same day, the one with the greater id is the latest: the last row wins, as in the store's
// LatestStatements. Statements with no date are never placed on the time line; they are listed
// in Matrix.Undated so the user can date them.

// ErrSinceAfterAsOf is returned when the reference date for changes is after the as-of date.
var ErrSinceAfterAsOf = errors.New("the since date is after the as-of date")

// CellState says what a cell of the positions matrix holds.
type CellState uint8

// The states of a cell. "No statement" (nothing on record) and "no comment" (the actor was asked
// and declined) are different things and are never shown the same way.
const (
	// CellNoStatement: no statement by the actor on the topic on or before the as-of date.
	CellNoStatement CellState = iota
	// CellNoComment: the latest statement is a stance word the vocabulary marks as "no comment".
	CellNoComment
	// CellStance: the latest statement is a stance word the vocabulary scores.
	CellStance
	// CellUnscored: the latest statement is a stance word the vocabulary does not know. The word
	// is kept and shown, with no score and no colour of its own.
	CellUnscored
)

// NoStatementLabel is how a cell with no statement is labelled, everywhere.
const NoStatementLabel = "no statement"

// NoStatementYetLabel labels a cell with no statement as of the matrix's date by an actor who
// spoke on the topic later.
const NoStatementYetLabel = "no statement yet"

// UnscoredLabel marks a stance word the vocabulary does not know.
const UnscoredLabel = "unscored"

// String names the state in plain words.
func (s CellState) String() string {
	switch s {
	case CellNoComment:
		return "no comment"
	case CellStance:
		return "stance"
	case CellUnscored:
		return UnscoredLabel
	default:
		return NoStatementLabel
	}
}

// KnownBy returns the day number (see Date.DayNumber) by which a statement dated d is known to
// have been made: the last day d covers. A date known only to the month is known by the end of
// that month. It returns false for the zero Date.
func KnownBy(d Date) (int, bool) {
	if d.IsZero() {
		return 0, false
	}
	return d.LastDayNumber(), true
}

// CompareStatements orders statements in time as positions see them (see the package notes
// above): by known-by day, first day, precision, then id in natural order. Undated statements
// sort first. It returns -1, 0 or +1.
func CompareStatements(a, b *Statement) int {
	ka, oka := KnownBy(a.Date)
	kb, okb := KnownBy(b.Date)
	switch {
	case !oka && okb:
		return -1
	case oka && !okb:
		return 1
	}
	if c := cmp.Compare(ka, kb); c != 0 {
		return c
	}
	if c := a.Date.Compare(b.Date); c != 0 {
		return c
	}
	return CompareIDs(a.ID, b.ID)
}

// CompareIDs compares record ids in natural order: runs of digits compare as numbers, so
// "ST-9" < "ST-10"; "ST-01" and "ST-1" compare equal as numbers and are then ordered as text.
func CompareIDs(a, b string) int {
	ia, ib := 0, 0
	for ia < len(a) && ib < len(b) {
		ca, cb := a[ia], b[ib]
		if isDigit(ca) && isDigit(cb) {
			ja, jb := ia, ib
			for ja < len(a) && isDigit(a[ja]) {
				ja++
			}
			for jb < len(b) && isDigit(b[jb]) {
				jb++
			}
			na := strings.TrimLeft(a[ia:ja], "0")
			nb := strings.TrimLeft(b[ib:jb], "0")
			if c := cmp.Compare(len(na), len(nb)); c != 0 {
				return c
			}
			if c := strings.Compare(na, nb); c != 0 {
				return c
			}
			ia, ib = ja, jb
			continue
		}
		if c := cmp.Compare(ca, cb); c != 0 {
			return c
		}
		ia++
		ib++
	}
	if c := cmp.Compare(len(a)-ia, len(b)-ib); c != 0 {
		return c
	}
	return strings.Compare(a, b)
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// Cell is one actor's position on one topic as of the matrix's date, with the evidence.
type Cell struct {
	Actor string
	Topic string
	State CellState
	// Stance is the word as coded in the statement ("supports"); "" when there is no statement.
	Stance string
	// Def is the vocabulary's definition of Stance (score, colour, no comment); zero when the
	// state is CellNoStatement or CellUnscored.
	Def StanceDef
	// The statement behind the cell; all empty when there is none.
	StatementID string
	Date        Date
	Speaker     string
	Role        string
	Quote       string // the full quote; see ShortQuote
	Channel     string
	Source      string
	Notes       string
	IncidentIDs []string
	Provenance  Provenance
	// Later is set on a cell with no statement as of the matrix's date when the actor did
	// speak on the topic after it: "no statement yet", not "no statement".
	Later bool
	// ChangedFrom is this cell as of the matrix's Since date when the stance then differed
	// (a different stance, or no statement at all then); nil when unchanged or when the matrix
	// has no Since date.
	ChangedFrom *Cell
}

// NoStanceLabel labels a statement whose stance was left blank.
const NoStanceLabel = "(stance not coded)"

// Label is the word to show for the cell: the stance as coded, "no statement", or
// "(stance not coded)" for a statement with a blank stance (an unscored cell).
func (c *Cell) Label() string {
	switch {
	case c.State == CellNoStatement && c.Later:
		return NoStatementYetLabel
	case c.State == CellNoStatement:
		return NoStatementLabel
	case c.Stance == "":
		return NoStanceLabel
	}
	return c.Stance
}

// Score returns the cell's score on the vocabulary's scale and whether it has one: a stance
// and "no comment" have one (the vocabulary's, 0 by default for no comment); no statement and an
// unscored word do not.
func (c *Cell) Score() (int, bool) {
	if c.State == CellStance || c.State == CellNoComment {
		return c.Def.Score, true
	}
	return 0, false
}

// Color returns the #rrggbb colour of the stance, or "" when the cell has no vocabulary entry
// (no statement, unscored): renderers pick their own neutral look for those.
func (c *Cell) Color() string {
	if c.State == CellStance || c.State == CellNoComment {
		return c.Def.Color
	}
	return ""
}

// ShortQuote returns the cell's quote shortened to at most max characters (see ShortQuote).
func (c *Cell) ShortQuote(max int) string { return ShortQuote(c.Quote, max) }

// sameStance reports whether two cells hold the same position: the same state and, for
// stances, the same vocabulary entry (so "supports" and "defends" are the same) or, for unscored
// words, the same word.
func sameStance(a, b *Cell) bool {
	if a.State != b.State {
		return false
	}
	switch a.State {
	case CellStance, CellNoComment:
		return norm(a.Def.Word) == norm(b.Def.Word)
	case CellUnscored:
		return norm(a.Stance) == norm(b.Stance)
	}
	return true
}

// ShortQuote shortens q to at most max characters (runes) for a grid cell: white space is
// collapsed, the cut falls on a word boundary when there is one in the second half, trailing
// punctuation is dropped, an ellipsis is added, and a double quote left open by the cut is
// closed. q comes back unchanged (but for white space) when it fits; max < 3 returns "".
func ShortQuote(q string, max int) string {
	q = strings.Join(strings.Fields(q), " ")
	r := []rune(q)
	if len(r) <= max {
		return q
	}
	if max < 3 {
		return ""
	}
	var s string
	for room := 1; room <= 2; room++ { // room for "…", then for `…"`
		cut := r[:max-room]
		if i := lastSpace(cut); i >= len(cut)/2 {
			cut = cut[:i]
		}
		s = strings.TrimRightFunc(string(cut), func(r rune) bool {
			return unicode.IsSpace(r) || unicode.IsPunct(r) && r != '"' && r != ')'
		})
		if strings.Count(s, `"`)%2 == 0 {
			return s + "…"
		}
	}
	return s + `…"`
}

func lastSpace(r []rune) int {
	for i := len(r) - 1; i >= 0; i-- {
		if unicode.IsSpace(r[i]) {
			return i
		}
	}
	return -1
}

// MatrixOptions chooses what the positions matrix shows.
type MatrixOptions struct {
	// Actors are the columns, in this order (matched ignoring case and surrounding spaces; an
	// actor with no statement still gets a column of "no statement"). Empty: the actors with the
	// most statements counted (on the chosen topics, as of AsOf), most first, ties by earliest
	// statement, then by name.
	Actors []string
	// MaxActors limits the default choice of actors; 0 keeps them all. Ignored when Actors is set.
	MaxActors int
	// Topics are the rows, in this order. Empty: every topic with a statement (by the chosen
	// actors, as of AsOf), ordered like the default actors.
	Topics []string
	// AsOf: each cell shows the latest statement known by this date (its last day, for a month
	// or a year). Zero: no limit, and the matrix's AsOf becomes the latest statement's date.
	AsOf Date
	// Since: when set, cells whose stance differs from their stance as of Since carry it in
	// ChangedFrom. Zero: no change marking.
	Since Date
	// KnownOn, when set, says the statements are the store's as known on that instant
	// (ReadPositionsAt); the matrix carries it for captions.
	KnownOn time.Time
}

// Matrix is the positions grid: topics as rows, actors as columns, one Cell each.
type Matrix struct {
	// AsOf is the as-of date asked for, or the date of the latest statement counted when none was.
	AsOf Date
	// Since is the reference date for changes (zero when none).
	Since Date
	// KnownOn is the knowledge time the statements were read as of (zero: the current ones).
	KnownOn time.Time
	Actors  []string
	Topics  []string
	// Cells[i][j] is topic i, actor j.
	Cells [][]Cell
	// Unscored lists the stance words of the counted statements that the vocabulary does not
	// know, sorted; the cells show them as they are, marked "unscored".
	Unscored []string
	// Undated lists the ids of selected statements that have no date and so cannot be placed.
	Undated []string
	// Sources lists the distinct sources of the cells shown, in grid order.
	Sources []string
	// Vocabulary is the vocabulary the cells were scored with.
	Vocabulary Vocabulary
}

// Cell returns the cell of an actor and topic (matched ignoring case and surrounding spaces).
func (m *Matrix) Cell(actor, topic string) (Cell, bool) {
	for i, t := range m.Topics {
		if norm(t) != norm(topic) {
			continue
		}
		for j, a := range m.Actors {
			if norm(a) == norm(actor) {
				return m.Cells[i][j], true
			}
		}
	}
	return Cell{}, false
}

// All returns the cells in grid order: topic by topic, actor by actor.
func (m *Matrix) All() []Cell {
	var out []Cell
	for _, row := range m.Cells {
		out = append(out, row...)
	}
	return out
}

// Changed returns the cells whose stance changed since the Since date, in grid order.
func (m *Matrix) Changed() []Cell {
	var out []Cell
	for _, c := range m.All() {
		if c.ChangedFrom != nil {
			out = append(out, c)
		}
	}
	return out
}

// selection is the statements and names a matrix or a timeline works on.
type selection struct {
	stmts    []Statement         // dated, selected, known by the cutoff; sorted by CompareStatements
	byPair   map[[2]string][]int // indexes into stmts by normalised (actor, topic), in time order
	actors   []string
	topics   []string
	undated  []string
	unscored []string
	asOf     Date
}

// selectStatements applies the options: the as-of cutoff, the actor and topic choices and the
// default ordering of actors and topics.
func selectStatements(stmts []Statement, vocab Vocabulary, opts MatrixOptions) (selection, error) {
	var sel selection
	cutoff, limited := KnownBy(opts.AsOf)
	if since, ok := KnownBy(opts.Since); ok && limited && since > cutoff {
		return sel, fmt.Errorf("since %s, as of %s: %w", opts.Since, opts.AsOf, ErrSinceAfterAsOf)
	}
	inActors := func(s *Statement) bool { return matchAny(opts.Actors, s.Actor) }
	inTopics := func(s *Statement) bool { return matchAny(opts.Topics, s.Topic) }
	// Sort keys rather than the (large) statements themselves; the input index breaks the last
	// ties so the order does not depend on the sort algorithm.
	type sortKey struct {
		known, first int
		prec         Precision
		id           string
		idx          int
	}
	keys := make([]sortKey, 0, len(stmts))
	for i := range stmts {
		s := &stmts[i]
		if !inActors(s) || !inTopics(s) {
			continue
		}
		k, ok := KnownBy(s.Date)
		if !ok {
			sel.undated = append(sel.undated, s.ID)
			continue
		}
		if limited && k > cutoff {
			continue
		}
		keys = append(keys, sortKey{k, s.Date.DayNumber(), s.Date.Precision, s.ID, i})
	}
	slices.SortFunc(keys, func(a, b sortKey) int {
		if c := cmp.Compare(a.known, b.known); c != 0 {
			return c
		}
		if c := cmp.Compare(a.first, b.first); c != 0 {
			return c
		}
		if c := cmp.Compare(a.prec, b.prec); c != 0 {
			return c
		}
		if c := CompareIDs(a.id, b.id); c != 0 {
			return c
		}
		return cmp.Compare(a.idx, b.idx)
	})
	sel.stmts = make([]Statement, len(keys))
	for i, k := range keys {
		sel.stmts[i] = stmts[k.idx]
	}
	slices.SortFunc(sel.undated, CompareIDs)
	sel.byPair = make(map[[2]string][]int)
	for i := range sel.stmts {
		k := [2]string{norm(sel.stmts[i].Actor), norm(sel.stmts[i].Topic)}
		sel.byPair[k] = append(sel.byPair[k], i)
	}

	sel.asOf = opts.AsOf
	if !limited && len(sel.stmts) > 0 {
		sel.asOf = sel.stmts[len(sel.stmts)-1].Date
	}
	actor := func(s *Statement) string { return s.Actor }
	topic := func(s *Statement) string { return s.Topic }
	sel.actors = chooseNames(opts.Actors, opts.MaxActors, sel.stmts, spellings(stmts, actor), actor)
	sel.topics = chooseNames(opts.Topics, 0, sel.stmts, spellings(stmts, topic), topic)

	seen := map[string]bool{}
	for i := range sel.stmts {
		w := strings.TrimSpace(sel.stmts[i].Stance)
		if _, ok := vocab.Lookup(w); !ok && w != "" && !seen[norm(w)] {
			seen[norm(w)] = true
			sel.unscored = append(sel.unscored, w)
		}
	}
	slices.SortFunc(sel.unscored, func(a, b string) int { return strings.Compare(norm(a), norm(b)) })
	return sel, nil
}

// spellings maps each normalised name to its first spelling in stmts.
func spellings(stmts []Statement, name func(*Statement) string) map[string]string {
	out := map[string]string{}
	for i := range stmts {
		n := strings.TrimSpace(name(&stmts[i]))
		if _, ok := out[norm(n)]; !ok {
			out[norm(n)] = n
		}
	}
	return out
}

// chooseNames returns the names asked for (spelled as in the data when they occur there), or
// by default the names of the statements ordered by count (most first), earliest statement,
// then name, limited to max when max > 0.
func chooseNames(asked []string, max int, stmts []Statement, spelling map[string]string, name func(*Statement) string) []string {
	count := map[string]int{}
	first := map[string]int{}
	for i := range stmts {
		k := norm(name(&stmts[i]))
		if _, ok := first[k]; !ok {
			first[k] = i // stmts are in time order
		}
		count[k]++
	}
	if len(asked) > 0 {
		var out []string
		done := map[string]bool{}
		for _, a := range asked {
			k := norm(a)
			if k == "" || done[k] {
				continue
			}
			done[k] = true
			if s, ok := spelling[k]; ok {
				out = append(out, s)
			} else {
				out = append(out, strings.TrimSpace(a))
			}
		}
		return out
	}
	keys := make([]string, 0, len(count))
	for k := range count {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int {
		if c := cmp.Compare(count[b], count[a]); c != 0 {
			return c
		}
		if c := cmp.Compare(first[a], first[b]); c != 0 {
			return c
		}
		return strings.Compare(a, b)
	})
	if max > 0 && len(keys) > max {
		keys = keys[:max]
	}
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = spelling[k]
	}
	return out
}

// cellOf makes the cell for statement s (nil: no statement).
func cellOf(actor, topic string, s *Statement, vocab Vocabulary) Cell {
	c := Cell{Actor: actor, Topic: topic}
	if s == nil {
		return c
	}
	c.Stance = strings.TrimSpace(s.Stance)
	def, ok := vocab.Lookup(c.Stance)
	switch {
	case !ok:
		c.State = CellUnscored
	case def.NoComment:
		c.State, c.Def = CellNoComment, def
	default:
		c.State, c.Def = CellStance, def
	}
	c.StatementID = s.ID
	c.Date = s.Date
	c.Speaker = s.Speaker
	c.Role = s.Role
	c.Quote = s.Quote
	c.Channel = s.Channel
	c.Source = s.Source
	c.Notes = s.Notes
	c.IncidentIDs = slices.Clone(s.IncidentIDs)
	c.Provenance = s.Provenance
	return c
}

// NewMatrix builds the positions grid from statements (in any order) and a vocabulary. It
// fails only with ErrSinceAfterAsOf. See the notes at the top of this file for which statement
// a cell shows.
func NewMatrix(stmts []Statement, vocab Vocabulary, opts MatrixOptions) (Matrix, error) {
	sel, err := selectStatements(stmts, vocab, opts)
	if err != nil {
		return Matrix{}, err
	}
	m := Matrix{
		AsOf:       sel.asOf,
		Since:      opts.Since,
		KnownOn:    opts.KnownOn,
		Actors:     sel.actors,
		Topics:     sel.topics,
		Unscored:   sel.unscored,
		Undated:    sel.undated,
		Vocabulary: vocab,
	}
	since, hasSince := KnownBy(opts.Since)
	// Pairs that have a statement after the as-of date: their empty cells are "not yet".
	later := map[[2]string]bool{}
	if cutoff, limited := KnownBy(opts.AsOf); limited {
		for i := range stmts {
			if k, ok := KnownBy(stmts[i].Date); ok && k > cutoff {
				later[[2]string{norm(stmts[i].Actor), norm(stmts[i].Topic)}] = true
			}
		}
	}
	srcSeen := map[string]bool{}
	m.Cells = make([][]Cell, len(m.Topics))
	for i, topic := range m.Topics {
		m.Cells[i] = make([]Cell, len(m.Actors))
		for j, actor := range m.Actors {
			var latest, before *Statement
			for _, k := range sel.byPair[[2]string{norm(actor), norm(topic)}] {
				s := &sel.stmts[k]
				latest = s // sorted: the last match is the latest
				if kb, _ := KnownBy(s.Date); hasSince && kb <= since {
					before = s
				}
			}
			c := cellOf(actor, topic, latest, vocab)
			c.Later = latest == nil && later[[2]string{norm(actor), norm(topic)}]
			if hasSince {
				prev := cellOf(actor, topic, before, vocab)
				if !sameStance(&c, &prev) {
					c.ChangedFrom = &prev
				}
			}
			if src := strings.TrimSpace(c.Source); src != "" && !srcSeen[norm(src)] {
				srcSeen[norm(src)] = true
				m.Sources = append(m.Sources, src)
			}
			m.Cells[i][j] = c
		}
	}
	return m, nil
}

// TimelinePoint is one statement on an actor's stance time line.
type TimelinePoint struct {
	// Cell is the position the statement states (State, Stance, Def, Date, quote, source...).
	Cell
}

// PositionChange is a move from one stance to another between two consecutive statements of
// an actor on a topic.
type PositionChange struct {
	Actor string
	Topic string
	// From and To are the positions before and after: their Label, Def and State say the stance;
	// To is the statement that made the change and its Date is the date of the change.
	From Cell
	To   Cell
}

// Date is the date of the change: the date of the statement that made it.
func (c PositionChange) Date() Date { return c.To.Date }

// String says the change in one line: "United Kingdom, Intelligence sharing: no comment ->
// concerned (11 Nov 2025, ST-06)".
func (c PositionChange) String() string {
	return fmt.Sprintf("%s, %s: %s -> %s (%s, %s)", c.Actor, c.Topic, c.From.Label(), c.To.Label(),
		c.To.Date.Label(), c.To.StatementID)
}

// Timeline is one actor's statements on one topic in time order, and the changes of position
// between them.
type Timeline struct {
	Actor   string
	Topic   string
	Points  []TimelinePoint
	Changes []PositionChange
}

// ChangesSince returns the changes made by statements known after d (all of them for the zero
// Date).
func (t *Timeline) ChangesSince(d Date) []PositionChange {
	k, ok := KnownBy(d)
	if !ok {
		return t.Changes
	}
	var out []PositionChange
	for _, c := range t.Changes {
		if kb, _ := KnownBy(c.To.Date); kb > k {
			out = append(out, c)
		}
	}
	return out
}

// NewTimelines returns, for each chosen topic and actor (chosen and ordered as in NewMatrix;
// Since is not used), the statements known by AsOf in time order and the changes of stance
// between consecutive ones. Two statements with words of the same vocabulary entry ("supports",
// "defends") are no change. Pairs with no statement are left out.
func NewTimelines(stmts []Statement, vocab Vocabulary, opts MatrixOptions) ([]Timeline, error) {
	opts.Since = Date{}
	sel, err := selectStatements(stmts, vocab, opts)
	if err != nil {
		return nil, err
	}
	var out []Timeline
	for _, topic := range sel.topics {
		for _, actor := range sel.actors {
			t := Timeline{Actor: actor, Topic: topic}
			for _, k := range sel.byPair[[2]string{norm(actor), norm(topic)}] {
				s := &sel.stmts[k]
				p := TimelinePoint{cellOf(actor, topic, s, vocab)}
				if n := len(t.Points); n > 0 && !sameStance(&t.Points[n-1].Cell, &p.Cell) {
					t.Changes = append(t.Changes, PositionChange{Actor: actor, Topic: topic,
						From: t.Points[n-1].Cell, To: p.Cell})
				}
				t.Points = append(t.Points, p)
			}
			if len(t.Points) > 0 {
				out = append(out, t)
			}
		}
	}
	return out, nil
}

// StatementsForIncident returns the statements that refer to an incident through their
// IncidentIDs (matched ignoring case and surrounding spaces), in time order (CompareStatements).
// The incident view calls it with the store's statements.
func StatementsForIncident(stmts []Statement, incidentID string) []Statement {
	id := norm(incidentID)
	if id == "" {
		return nil
	}
	var out []Statement
	for _, s := range stmts {
		if slices.ContainsFunc(s.IncidentIDs, func(x string) bool { return norm(x) == id }) {
			out = append(out, s)
		}
	}
	slices.SortStableFunc(out, func(a, b Statement) int { return CompareStatements(&a, &b) })
	return out
}

// VocabularyStore is what AddStanceWord needs of the store: *Store satisfies it.
type VocabularyStore interface {
	Vocabulary() (Vocabulary, error)
	SetVocabulary(v Vocabulary) error
}

// AddStanceWord adds a stance word to the store's vocabulary, or changes its score and colour if
// it is there (see Vocabulary.WithWord), and returns the vocabulary saved.
func AddStanceWord(s VocabularyStore, word string, score int, color string) (Vocabulary, error) {
	v, err := s.Vocabulary()
	if err != nil {
		return nil, fmt.Errorf("reading the stance vocabulary: %w", err)
	}
	nv, err := v.WithWord(word, score, color)
	if err != nil {
		return nil, err
	}
	if err := s.SetVocabulary(nv); err != nil {
		return nil, fmt.Errorf("saving stance word %q: %w", word, err)
	}
	return nv, nil
}

// Clone returns a deep copy of v.
func (v Vocabulary) Clone() Vocabulary {
	if v == nil {
		return nil
	}
	out := make(Vocabulary, len(v))
	for i, d := range v {
		d.Synonyms = slices.Clone(d.Synonyms)
		out[i] = d
	}
	return out
}

// WithWord returns a copy of v in which word has its own entry with the given score and colour:
// an existing entry is updated in place; a word that was a synonym of another entry (as
// "distances itself" is of "concerned" by default) leaves that entry's synonyms and becomes an
// entry of its own; a new word is added. An empty colour takes the colour of the first entry
// with the same score that is not "no comment" (so equal scores look equal), else neutral grey.
// The result is validated (score in -2..+2, #rrggbb colour): errors wrap ErrInvalid.
func (v Vocabulary) WithWord(word string, score int, color string) (Vocabulary, error) {
	word = strings.Join(strings.Fields(word), " ")
	if word == "" {
		return nil, fmt.Errorf("stance vocabulary: the new word is empty: %w", ErrInvalid)
	}
	out := v.Clone()
	if color == "" {
		color = ColorNeutral
		for _, d := range out {
			if d.Score == score && !d.NoComment && norm(d.Word) != norm(word) {
				color = d.Color
				break
			}
		}
	}
	found := false
	for i := range out {
		if norm(out[i].Word) == norm(word) {
			out[i].Score, out[i].Color = score, color
			found = true
			continue
		}
		out[i].Synonyms = slices.DeleteFunc(out[i].Synonyms, func(s string) bool { return norm(s) == norm(word) })
	}
	if !found {
		out = append(out, StanceDef{Word: word, Score: score, Color: color})
	}
	if err := out.Validate(); err != nil {
		return nil, err
	}
	return out, nil
}
