package data

import (
	"encoding/csv"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// posDemoPath finds the demo statements embedded in assets/, in the source tree.
func posDemoPath(t *testing.T) string {
	t.Helper()
	f := filepath.Join("..", "assets", "demo", "statements.csv")
	if _, err := os.Stat(f); err != nil {
		t.Fatalf("assets/demo/statements.csv is missing from the source tree: %v", err)
	}
	return f
}

// posLoadDemo parses the demo statements.csv into Statements, by header name.
func posLoadDemo(t *testing.T) []Statement {
	t.Helper()
	f, err := os.Open(posDemoPath(t))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	var out []Statement
	for n, r := range rows[1:] {
		d, err := ParseDate(r[col["date"]])
		if err != nil {
			t.Fatalf("row %d: %v", n+2, err)
		}
		out = append(out, Statement{
			ID: r[col["id"]], Date: d, Actor: r[col["actor"]], Speaker: r[col["speaker"]],
			Role: r[col["role"]], Topic: r[col["topic"]], Stance: r[col["stance"]],
			Quote: r[col["quote"]], Channel: r[col["channel"]], Source: r[col["source"]],
			Notes:      r[col["notes"]],
			Provenance: Provenance{File: "statements.csv", Row: n + 2},
		})
	}
	return out
}

const (
	posLegality = "Legality of the strikes"
	posIntel    = "Intelligence sharing"
)

func TestMatrixDemoLegalityAsOf12Nov(t *testing.T) {
	stmts := posLoadDemo(t)
	if len(stmts) != 8 {
		t.Fatalf("demo has %d statements, want 8", len(stmts))
	}
	m, err := NewMatrix(stmts, DefaultVocabulary(), MatrixOptions{
		Topics: []string{posLegality}, AsOf: MustDate("2025-11-12"),
	})
	if err != nil {
		t.Fatal(err)
	}
	// On this topic the US has 2 statements, the others 1 each, ordered by first statement
	// (UK and Venezuela both on 11 Nov: ST-05 before ST-08).
	wantActors := []string{"United States", "United Nations", "United Kingdom", "Venezuela"}
	if !slices.Equal(m.Actors, wantActors) {
		t.Errorf("actors = %q, want %q", m.Actors, wantActors)
	}
	if !slices.Equal(m.Topics, []string{posLegality}) {
		t.Errorf("topics = %q", m.Topics)
	}
	if m.AsOf != MustDate("2025-11-12") {
		t.Errorf("as of = %v", m.AsOf)
	}
	want := map[string]struct {
		stance, id string
		score      int
	}{
		"United States":  {"defends", "ST-03", 2},
		"United Nations": {"condemns", "ST-02", -2},
		"Venezuela":      {"condemns", "ST-08", -2},
		"United Kingdom": {"defers", "ST-05", 0},
	}
	for actor, w := range want {
		c, ok := m.Cell(actor, posLegality)
		if !ok {
			t.Fatalf("no cell for %s", actor)
		}
		score, scored := c.Score()
		if c.State != CellStance || c.Stance != w.stance || c.StatementID != w.id || !scored || score != w.score {
			t.Errorf("%s: state %v stance %q id %s score %d/%v, want %q %s %d",
				actor, c.State, c.Stance, c.StatementID, score, scored, w.stance, w.id, w.score)
		}
		if c.Source == "" || c.Quote == "" || c.Speaker == "" {
			t.Errorf("%s: evidence missing: %+v", actor, c)
		}
	}
	if len(m.Unscored) != 0 || len(m.Undated) != 0 {
		t.Errorf("unscored %q undated %q, want none", m.Unscored, m.Undated)
	}
	if !slices.Equal(m.Sources, []string{"As cited in the Nov 2025 report on the UK intelligence pause"}) {
		t.Errorf("sources = %q, want the one source of the four cells", m.Sources)
	}
}

func TestMatrixDemoAllTopics(t *testing.T) {
	stmts := posLoadDemo(t)
	m, err := NewMatrix(stmts, DefaultVocabulary(), MatrixOptions{
		AsOf: MustDate("2025-11-12"), Since: MustDate("2025-11-01"),
	})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(m.Topics, []string{posLegality, posIntel}) {
		t.Fatalf("topics = %q", m.Topics)
	}
	tests := []struct {
		actor, topic string
		state        CellState
		label        string
		changedFrom  string // "" = unchanged
	}{
		// ST-04 (no comment) and ST-06 (concerned) are both dated 11 Nov: the greater id wins.
		{"United Kingdom", posIntel, CellStance, "concerned", NoStatementLabel},
		{"United States", posIntel, CellNoComment, "no comment", NoStatementLabel},
		{"Venezuela", posIntel, CellNoStatement, NoStatementLabel, ""},
		{"United Nations", posIntel, CellNoStatement, NoStatementLabel, ""},
		{"United States", posLegality, CellStance, "defends", ""},
		{"United Nations", posLegality, CellStance, "condemns", ""},
		{"United Kingdom", posLegality, CellStance, "defers", NoStatementLabel},
		{"Venezuela", posLegality, CellStance, "condemns", NoStatementLabel},
	}
	for _, tt := range tests {
		c, ok := m.Cell(tt.actor, tt.topic)
		if !ok {
			t.Fatalf("no cell %s/%s", tt.actor, tt.topic)
		}
		if c.State != tt.state || c.Label() != tt.label {
			t.Errorf("%s/%s: %v %q, want %v %q", tt.actor, tt.topic, c.State, c.Label(), tt.state, tt.label)
		}
		got := ""
		if c.ChangedFrom != nil {
			got = c.ChangedFrom.Label()
		}
		if got != tt.changedFrom {
			t.Errorf("%s/%s: changed from %q, want %q", tt.actor, tt.topic, got, tt.changedFrom)
		}
	}
	if n := len(m.Changed()); n != 4 {
		t.Errorf("%d changed cells, want 4", n)
	}
	// "no comment" and "no statement" must never look alike.
	nc, _ := m.Cell("United States", posIntel)
	ns, _ := m.Cell("Venezuela", posIntel)
	if nc.Label() == ns.Label() || nc.Color() == ns.Color() {
		t.Errorf("no comment (%q %q) looks like no statement (%q %q)", nc.Label(), nc.Color(), ns.Label(), ns.Color())
	}
}

func TestMatrixAsOfBeforeStatements(t *testing.T) {
	stmts := posLoadDemo(t)
	m, err := NewMatrix(stmts, DefaultVocabulary(), MatrixOptions{
		Actors: []string{"united kingdom", "United States", "France"}, Topics: []string{posLegality},
		AsOf: MustDate("2025-11-10"),
	})
	if err != nil {
		t.Fatal(err)
	}
	// Spelling comes from the data; an actor with no statement keeps its column.
	if !slices.Equal(m.Actors, []string{"United Kingdom", "United States", "France"}) {
		t.Errorf("actors = %q", m.Actors)
	}
	// The UK spoke on legality after 10 Nov: "no statement yet"; France never did.
	for actor, want := range map[string]string{"United Kingdom": NoStatementYetLabel, "United States": "defends", "France": NoStatementLabel} {
		c, _ := m.Cell(actor, posLegality)
		if c.Label() != want {
			t.Errorf("%s = %q, want %q", actor, c.Label(), want)
		}
	}
	us, _ := m.Cell("United States", posLegality)
	if us.StatementID != "ST-03" {
		t.Errorf("US as of 10 Nov shows %s, want ST-03 (dated 10 Nov)", us.StatementID)
	}
}

func posSt(id, date, actor, topic, stance string) Statement {
	return Statement{ID: id, Date: MustDate(date), Actor: actor, Topic: topic, Stance: stance,
		Quote: "quote " + id, Source: "source " + id}
}

func TestMatrixGeneratedCases(t *testing.T) {
	tests := []struct {
		name      string
		stmts     []Statement
		asOf      string
		since     string
		wantState CellState
		wantLabel string
		wantID    string
		wantFrom  string // label of ChangedFrom, "" when nil
	}{
		{
			name: "same day: greater id wins, in natural order",
			stmts: []Statement{
				posSt("ST-10", "2025-11-11", "A", "T", "condemns"),
				posSt("ST-9", "2025-11-11", "A", "T", "defends"),
			},
			asOf: "2025-11-12", wantState: CellStance, wantLabel: "condemns", wantID: "ST-10",
		},
		{
			name: "same day, input order does not matter",
			stmts: []Statement{
				posSt("ST-9", "2025-11-11", "A", "T", "defends"),
				posSt("ST-10", "2025-11-11", "A", "T", "condemns"),
			},
			asOf: "2025-11-12", wantState: CellStance, wantLabel: "condemns", wantID: "ST-10",
		},
		{
			name: "month-only date is not known in the middle of the month",
			stmts: []Statement{
				posSt("S1", "2025-10-20", "A", "T", "defends"),
				posSt("S2", "2025-11", "A", "T", "condemns"),
			},
			asOf: "2025-11-12", wantState: CellStance, wantLabel: "defends", wantID: "S1",
		},
		{
			name: "month-only date is known by the end of the month",
			stmts: []Statement{
				posSt("S1", "2025-10-20", "A", "T", "defends"),
				posSt("S2", "2025-11", "A", "T", "condemns"),
			},
			asOf: "2025-11-30", wantState: CellStance, wantLabel: "condemns", wantID: "S2",
		},
		{
			name: "as of a month means the end of that month",
			stmts: []Statement{
				posSt("S1", "2025-10-20", "A", "T", "defends"),
				posSt("S2", "2025-11", "A", "T", "condemns"),
			},
			asOf: "2025-11", wantState: CellStance, wantLabel: "condemns", wantID: "S2",
		},
		{
			name: "month-only is later than a day earlier in that month",
			stmts: []Statement{
				posSt("S1", "2025-11-20", "A", "T", "defends"),
				posSt("S2", "2025-11", "A", "T", "condemns"),
			},
			asOf: "2025-12-01", wantState: CellStance, wantLabel: "condemns", wantID: "S2",
		},
		{
			name: "the last day of the month is not earlier than the month",
			stmts: []Statement{
				posSt("S9", "2025-11", "A", "T", "condemns"),
				posSt("S1", "2025-11-30", "A", "T", "defends"),
			},
			asOf: "2025-12-01", wantState: CellStance, wantLabel: "defends", wantID: "S1",
		},
		{
			name:  "only no comment",
			stmts: []Statement{posSt("S1", "2025-11-01", "A", "T", "No Comment"), posSt("S2", "2025-11-05", "A", "T", "declined to comment")},
			asOf:  "2025-11-12", wantState: CellNoComment, wantLabel: "declined to comment", wantID: "S2",
		},
		{
			name:  "unknown stance word is kept, unscored",
			stmts: []Statement{posSt("S1", "2025-11-01", "A", "T", "shrugs")},
			asOf:  "2025-11-12", wantState: CellUnscored, wantLabel: "shrugs", wantID: "S1",
		},
		{
			name:  "blank stance is unscored and says so",
			stmts: []Statement{posSt("S1", "2025-11-01", "A", "T", "  ")},
			asOf:  "2025-11-12", wantState: CellUnscored, wantLabel: NoStanceLabel, wantID: "S1",
		},
		{
			name: "changed since: earlier stance kept",
			stmts: []Statement{
				posSt("S1", "2025-10-01", "A", "T", "concerned"),
				posSt("S2", "2025-11-05", "A", "T", "condemns"),
			},
			asOf: "2025-11-12", since: "2025-10-31", wantState: CellStance, wantLabel: "condemns", wantID: "S2", wantFrom: "concerned",
		},
		{
			name: "synonym of the same stance is no change",
			stmts: []Statement{
				posSt("S1", "2025-10-01", "A", "T", "supports"),
				posSt("S2", "2025-11-05", "A", "T", "defends"),
			},
			asOf: "2025-11-12", since: "2025-10-31", wantState: CellStance, wantLabel: "defends", wantID: "S2",
		},
		{
			name: "statement on the since date counts as before",
			stmts: []Statement{
				posSt("S1", "2025-10-31", "A", "T", "concerned"),
				posSt("S2", "2025-11-05", "A", "T", "concerned"),
			},
			asOf: "2025-11-12", since: "2025-10-31", wantState: CellStance, wantLabel: "concerned", wantID: "S2",
		},
		{
			name: "no comment then a stance is a change",
			stmts: []Statement{
				posSt("S1", "2025-10-01", "A", "T", "no comment"),
				posSt("S2", "2025-11-05", "A", "T", "defers"),
			},
			asOf: "2025-11-12", since: "2025-10-31", wantState: CellStance, wantLabel: "defers", wantID: "S2", wantFrom: "no comment",
		},
		{
			name: "actor and topic match ignoring case and spaces",
			stmts: []Statement{
				posSt("S1", "2025-10-01", " a ", "t", "defends"),
			},
			asOf: "2025-11-12", wantState: CellStance, wantLabel: "defends", wantID: "S1",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := MatrixOptions{Actors: []string{"A"}, Topics: []string{"T"}, AsOf: MustDate(tt.asOf)}
			if tt.since != "" {
				opts.Since = MustDate(tt.since)
			}
			m, err := NewMatrix(tt.stmts, DefaultVocabulary(), opts)
			if err != nil {
				t.Fatal(err)
			}
			c, ok := m.Cell("a", "t")
			if !ok {
				t.Fatal("no cell")
			}
			if c.State != tt.wantState || c.Label() != tt.wantLabel || c.StatementID != tt.wantID {
				t.Errorf("got %v %q %s, want %v %q %s", c.State, c.Label(), c.StatementID, tt.wantState, tt.wantLabel, tt.wantID)
			}
			from := ""
			if c.ChangedFrom != nil {
				from = c.ChangedFrom.Label()
			}
			if from != tt.wantFrom {
				t.Errorf("changed from %q, want %q", from, tt.wantFrom)
			}
		})
	}
}

func TestMatrixUnscoredAndUndated(t *testing.T) {
	stmts := []Statement{
		posSt("S1", "2025-11-01", "A", "T", "shrugs"),
		posSt("S2", "2025-11-02", "B", "T", "Waffles"),
		posSt("S3", "2025-11-03", "C", "T", "shrugs"),
		posSt("S4", "2025-11-04", "C", "U", "condemns"),
		{ID: "S5", Actor: "A", Topic: "T", Stance: "defends"},
	}
	m, err := NewMatrix(stmts, DefaultVocabulary(), MatrixOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(m.Unscored, []string{"shrugs", "Waffles"}) {
		t.Errorf("unscored = %q", m.Unscored)
	}
	if !slices.Equal(m.Undated, []string{"S5"}) {
		t.Errorf("undated = %q", m.Undated)
	}
	// No as-of date asked: the matrix is as of the latest statement.
	if m.AsOf != MustDate("2025-11-04") {
		t.Errorf("as of = %v, want 2025-11-04", m.AsOf)
	}
	c, _ := m.Cell("A", "T")
	if _, scored := c.Score(); scored || c.Color() != "" || c.State != CellUnscored {
		t.Errorf("unscored cell has a score or colour: %+v", c)
	}
	// Default order: C has 2 statements, then A and B by first statement.
	if !slices.Equal(m.Actors, []string{"C", "A", "B"}) {
		t.Errorf("actors = %q", m.Actors)
	}
	m2, _ := NewMatrix(stmts, DefaultVocabulary(), MatrixOptions{MaxActors: 2})
	if !slices.Equal(m2.Actors, []string{"C", "A"}) {
		t.Errorf("MaxActors 2: actors = %q", m2.Actors)
	}
}

func TestMatrixSinceAfterAsOf(t *testing.T) {
	_, err := NewMatrix(nil, DefaultVocabulary(), MatrixOptions{AsOf: MustDate("2025-11-01"), Since: MustDate("2025-11-02")})
	if !errors.Is(err, ErrSinceAfterAsOf) {
		t.Fatalf("err = %v, want ErrSinceAfterAsOf", err)
	}
	m, err := NewMatrix(nil, DefaultVocabulary(), MatrixOptions{AsOf: MustDate("2025-11-01")})
	if err != nil || len(m.Actors) != 0 || len(m.Cells) != 0 {
		t.Errorf("empty input: %+v, %v", m, err)
	}
}

func TestMatrixVocabularyEdit(t *testing.T) {
	stmts := []Statement{posSt("S1", "2025-11-01", "UK", "T", "distances itself")}
	before, _ := NewMatrix(stmts, DefaultVocabulary(), MatrixOptions{})
	c, _ := before.Cell("UK", "T")
	if c.Def.Word != "concerned" {
		t.Fatalf("by default %q is a synonym of concerned, got %q", c.Stance, c.Def.Word)
	}
	v, err := DefaultVocabulary().WithWord("distances itself", -1, "")
	if err != nil {
		t.Fatal(err)
	}
	after, _ := NewMatrix(stmts, v, MatrixOptions{})
	c, _ = after.Cell("UK", "T")
	if c.Def.Word != "distances itself" || c.Def.Score != -1 || c.Def.Color != ColorConcerned {
		t.Errorf("after the edit: %+v", c.Def)
	}
	v2, err := v.WithWord("shrugs", 0, "#123456")
	if err != nil {
		t.Fatal(err)
	}
	m, _ := NewMatrix([]Statement{posSt("S1", "2025-11-01", "A", "T", "Shrugs")}, v2, MatrixOptions{})
	c, _ = m.Cell("A", "T")
	if c.State != CellStance || c.Color() != "#123456" || len(m.Unscored) != 0 {
		t.Errorf("new word not scored: %+v, unscored %q", c, m.Unscored)
	}
}

func TestVocabularyWithWord(t *testing.T) {
	def := DefaultVocabulary()
	tests := []struct {
		name      string
		word      string
		score     int
		color     string
		wantErr   bool
		wantColor string
		wantLen   int
	}{
		{"synonym becomes its own word", "distances itself", -1, "", false, ColorConcerned, len(def) + 1},
		{"existing word rescored", "Defers", 1, "", false, ColorReservation, len(def)},
		{"new word with colour", "welcomes", 2, "#00ff00", false, "#00ff00", len(def) + 1},
		{"score out of range", "furious", -3, "", true, "", 0},
		{"bad colour", "furious", -2, "red", true, "", 0},
		{"empty word", "  ", 0, "", true, "", 0},
		{"words collapse spaces", "  keeps   distance ", -1, "", false, ColorConcerned, len(def) + 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := def.WithWord(tt.word, tt.score, tt.color)
			if tt.wantErr {
				if !errors.Is(err, ErrInvalid) {
					t.Fatalf("err = %v, want ErrInvalid", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(v) != tt.wantLen {
				t.Errorf("len = %d, want %d", len(v), tt.wantLen)
			}
			d, ok := v.Lookup(strings.Join(strings.Fields(tt.word), " "))
			if !ok || norm(d.Word) != norm(strings.Join(strings.Fields(tt.word), " ")) || d.Score != tt.score || d.Color != tt.wantColor {
				t.Errorf("lookup = %+v %v", d, ok)
			}
		})
	}
	// The original is untouched.
	if d, _ := def.Lookup("distances itself"); d.Word != "concerned" {
		t.Errorf("WithWord changed its receiver: %+v", d)
	}
}

// posMemVocab is an in-memory VocabularyStore, as the real store behaves: defaults until set.
type posMemVocab struct {
	v    Vocabulary
	sets int
}

func (m *posMemVocab) Vocabulary() (Vocabulary, error) {
	if m.v == nil {
		return DefaultVocabulary(), nil
	}
	return m.v.Clone(), nil
}

func (m *posMemVocab) SetVocabulary(v Vocabulary) error {
	if err := v.Validate(); err != nil {
		return err
	}
	m.v = v.Clone()
	m.sets++
	return nil
}

func TestAddStanceWord(t *testing.T) {
	s := &posMemVocab{}
	if _, err := AddStanceWord(s, "distances itself", -1, ""); err != nil {
		t.Fatal(err)
	}
	v, _ := s.Vocabulary()
	if d, ok := v.Lookup("distances itself"); !ok || d.Word != "distances itself" || d.Score != -1 {
		t.Errorf("saved vocabulary: %+v %v", d, ok)
	}
	if _, err := AddStanceWord(s, "bad", 5, ""); !errors.Is(err, ErrInvalid) || s.sets != 1 {
		t.Errorf("bad word: err %v, %d saves", err, s.sets)
	}
}

func TestTimelinesDemo(t *testing.T) {
	stmts := posLoadDemo(t)
	tls, err := NewTimelines(stmts, DefaultVocabulary(), MatrixOptions{Actors: []string{"United Kingdom"}, Topics: []string{posIntel}})
	if err != nil {
		t.Fatal(err)
	}
	if len(tls) != 1 {
		t.Fatalf("%d timelines, want 1", len(tls))
	}
	tl := tls[0]
	var ids []string
	for _, p := range tl.Points {
		ids = append(ids, p.StatementID)
	}
	if !slices.Equal(ids, []string{"ST-04", "ST-06"}) {
		t.Errorf("points = %q", ids)
	}
	if len(tl.Changes) != 1 || tl.Changes[0].From.Label() != "no comment" || tl.Changes[0].To.Label() != "concerned" ||
		tl.Changes[0].Date() != MustDate("2025-11-11") {
		t.Errorf("changes = %+v", tl.Changes)
	}
	if got := tl.Changes[0].String(); got != "United Kingdom, Intelligence sharing: no comment -> concerned (11 Nov 2025, ST-06)" {
		t.Errorf("String() = %q", got)
	}

	all, _ := NewTimelines(stmts, DefaultVocabulary(), MatrixOptions{Topics: []string{posLegality}})
	var actors []string
	for _, tl := range all {
		actors = append(actors, tl.Actor)
		if tl.Actor == "United States" && (len(tl.Points) != 2 || len(tl.Changes) != 0) {
			t.Errorf("US posLegality: %d points %d changes, want 2 and 0", len(tl.Points), len(tl.Changes))
		}
	}
	if !slices.Equal(actors, []string{"United States", "United Nations", "United Kingdom", "Venezuela"}) {
		t.Errorf("actors = %q", actors)
	}
}

func TestTimelineChanges(t *testing.T) {
	stmts := []Statement{
		posSt("S4", "2025-12", "A", "T", "condemns"),
		posSt("S1", "2025-09-01", "A", "T", "supports"),
		posSt("S2", "2025-10-01", "A", "T", "defends"),
		posSt("S3", "2025-11-01", "A", "T", "concerned"),
		posSt("S5", "2025-12-31", "A", "T", "shrugs"),
	}
	tls, err := NewTimelines(stmts, DefaultVocabulary(), MatrixOptions{AsOf: MustDate("2025-12-31")})
	if err != nil || len(tls) != 1 {
		t.Fatalf("%v, %d timelines", err, len(tls))
	}
	var got []string
	for _, c := range tls[0].Changes {
		got = append(got, c.From.Label()+">"+c.To.Label())
	}
	want := []string{"defends>concerned", "concerned>condemns", "condemns>shrugs"}
	if !slices.Equal(got, want) {
		t.Errorf("changes = %q, want %q", got, want)
	}
	if n := len(tls[0].ChangesSince(MustDate("2025-11-30"))); n != 2 {
		t.Errorf("changes since 30 Nov = %d, want 2", n)
	}
	// As of mid-December the month-only statement is not yet known.
	tls, _ = NewTimelines(stmts, DefaultVocabulary(), MatrixOptions{AsOf: MustDate("2025-12-15")})
	if n := len(tls[0].Points); n != 3 {
		t.Errorf("points as of 15 Dec = %d, want 3", n)
	}
}

func TestStatementsForIncident(t *testing.T) {
	stmts := []Statement{
		{ID: "S2", Date: MustDate("2025-10-02"), Actor: "A", IncidentIDs: []string{"INC-1", "inc-2"}},
		{ID: "S1", Date: MustDate("2025-10-01"), Actor: "B", IncidentIDs: []string{" INC-2 "}},
		{ID: "S3", Date: MustDate("2025-10-03"), Actor: "C"},
	}
	var ids []string
	for _, s := range StatementsForIncident(stmts, "inc-2") {
		ids = append(ids, s.ID)
	}
	if !slices.Equal(ids, []string{"S1", "S2"}) {
		t.Errorf("INC-2: %q", ids)
	}
	if got := StatementsForIncident(stmts, "INC-9"); len(got) != 0 {
		t.Errorf("INC-9: %v", got)
	}
	if got := StatementsForIncident(stmts, ""); got != nil {
		t.Errorf("empty id: %v", got)
	}
}

func TestShortQuote(t *testing.T) {
	tests := []struct {
		q    string
		max  int
		want string
	}{
		{"Short enough.", 40, "Short enough."},
		{"  spaces \n collapse  ", 40, "spaces collapse"},
		{"We don't comment on security or intelligence matters.", 30, "We don't comment on security…"},
		{`Announced "lethal kinetic strikes" on vessels`, 25, `Announced "lethal…"`},
		{"abcdefghijklmnopqrstuvwxyz", 10, "abcdefghi…"},
		{"abc def", 2, ""},
	}
	for _, tt := range tests {
		got := ShortQuote(tt.q, tt.max)
		if got != tt.want {
			t.Errorf("ShortQuote(%q, %d) = %q, want %q", tt.q, tt.max, got, tt.want)
		}
		if n := len([]rune(got)); n > tt.max && tt.max >= 3 {
			t.Errorf("ShortQuote(%q, %d) is %d long", tt.q, tt.max, n)
		}
	}
}

func TestCompareIDs(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"ST-9", "ST-10", -1},
		{"ST-10", "ST-9", 1},
		{"ST-01", "ST-02", -1},
		{"ST-1", "ST-01", 1},
		{"A", "B", -1},
		{"ST-2a", "ST-2b", -1},
		{"ST", "ST-1", -1},
		{"x", "x", 0},
	}
	for _, tt := range tests {
		if got := CompareIDs(tt.a, tt.b); got != tt.want {
			t.Errorf("CompareIDs(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

// TestPositionsOverStore runs the positions functions over the real store: the demo import,
// a vocabulary edit saved with SetVocabulary, and a statement linked to an incident.
func TestPositionsOverStore(t *testing.T) {
	s, _ := demoStore(t)
	stmts, err := s.Statements(Filter{})
	if err != nil {
		t.Fatal(err)
	}
	asOf := MustDate("2025-11-12")
	m, err := NewMatrix(stmts, posMustVocab(t, s), MatrixOptions{AsOf: asOf})
	if err != nil {
		t.Fatal(err)
	}
	// With day-precision dates the matrix agrees with the store's LatestStatements.
	latest, err := s.LatestStatements(asOf, Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(latest) != 6 {
		t.Errorf("LatestStatements gave %d, want 6", len(latest))
	}
	for _, l := range latest {
		c, ok := m.Cell(l.Actor, l.Topic)
		if !ok || c.StatementID != l.ID {
			t.Errorf("%s/%s: matrix shows %q, store's latest is %s", l.Actor, l.Topic, c.StatementID, l.ID)
		}
	}

	// Sam's own stance word, saved in the store.
	if _, err := AddStanceWord(s, "distances itself", -1, ""); err != nil {
		t.Fatal(err)
	}
	r, err := s.Statement("ST-05")
	if err != nil {
		t.Fatal(err)
	}
	r.Stance = "distances itself"
	r.IncidentIDs = []string{"INC-03"}
	if err := s.SaveStatement(&r); err != nil {
		t.Fatal(err)
	}
	stmts, _ = s.Statements(Filter{})
	m, _ = NewMatrix(stmts, posMustVocab(t, s), MatrixOptions{AsOf: asOf, Actors: []string{"United Kingdom"}, Topics: []string{"Legality of the strikes"}})
	c, _ := m.Cell("United Kingdom", "Legality of the strikes")
	if c.State != CellStance || c.Def.Word != "distances itself" || c.Def.Score != -1 {
		t.Errorf("after the vocabulary edit: %v %+v", c.State, c.Def)
	}
	linked := StatementsForIncident(stmts, "inc-03")
	if len(linked) != 1 || linked[0].ID != "ST-05" {
		t.Errorf("statements for INC-03: %v", linked)
	}
}

func posMustVocab(t *testing.T, s *Store) Vocabulary {
	t.Helper()
	v, err := s.Vocabulary()
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestMatrixNoStatementYet: as of a date before an actor first spoke on a topic, its cell is
// "no statement yet" when it is asked for; an actor who never spoke on it says "no statement".
func TestMatrixNoStatementYet(t *testing.T) {
	stmts := []Statement{
		{ID: "S1", Date: MustDate("2025-09-01"), Actor: "A", Topic: "T", Stance: "supports"},
		{ID: "S2", Date: MustDate("2025-10-01"), Actor: "B", Topic: "T", Stance: "condemns"},
		{ID: "S3", Date: MustDate("2025-10-05"), Actor: "C", Topic: "U", Stance: "condemns"},
	}
	m, err := NewMatrix(stmts, DefaultVocabulary(), MatrixOptions{AsOf: MustDate("2025-09-15"),
		Actors: []string{"B", "A", "C"}, Topics: []string{"T"}})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(m.Actors, []string{"B", "A", "C"}) {
		t.Fatalf("actors %v, want the order asked for", m.Actors)
	}
	tests := []struct {
		j     int
		label string
		later bool
	}{
		{0, NoStatementYetLabel, true},
		{1, "supports", false},
		{2, NoStatementLabel, false}, // C spoke later, but on another topic
	}
	for _, tc := range tests {
		c := m.Cells[0][tc.j]
		if c.Label() != tc.label || c.Later != tc.later {
			t.Errorf("%s: %q (later %v), want %q (%v)", c.Actor, c.Label(), c.Later, tc.label, tc.later)
		}
	}
}
