package app

import (
	"context"
	"fmt"
	"strings"

	"sitrep/data"
)

// statementSource is what the Statements screen reads and writes.
type statementSource interface {
	Statements(f data.Filter) ([]data.Statement, error)
	Statement(id string) (data.Statement, error)
	SaveStatement(r *data.Statement) error
	recordEditor
}

type statementKind struct {
	u    *UI
	src  statementSource
	rows []data.Statement
}

// statementsScreen is the Statements tab.
type statementsScreen struct {
	*browser
	kind *statementKind
}

func newStatementsScreen(u *UI) *statementsScreen {
	k := &statementKind{u: u, src: u.store}
	b := newBrowser(u, ScreenStatements, k, u.store, "dates", "actor", "topic", "knownon")
	return &statementsScreen{browser: b, kind: k}
}

func (k *statementKind) kind() data.Kind { return data.KindStatement }
func (k *statementKind) noun() string    { return "statement" }
func (k *statementKind) id(i int) string { return k.rows[i].ID }

func (k *statementKind) columns() []column {
	r := func(i int) *data.Statement { return &k.rows[i] }
	str := func(title string, w float32, get func(*data.Statement) string) column {
		return column{title: title, width: w, text: func(i int) string { return oneLineText(get(r(i))) },
			cmp: func() func(a, b int) int {
				rows := k.rows
				return func(a, b int) int {
					return strings.Compare(strings.ToLower(get(&rows[a])), strings.ToLower(get(&rows[b])))
				}
			}}
	}
	return []column{
		{title: "Date", width: 110, text: func(i int) string { return dateRangeLabel(r(i).Date, data.Date{}) },
			cmp: func() func(a, b int) int {
				rows := k.rows
				return func(a, b int) int { return rows[a].Date.Compare(rows[b].Date) }
			}},
		str("ID", 80, func(x *data.Statement) string { return x.ID }),
		str("Actor", 140, func(x *data.Statement) string { return x.Actor }),
		str("Speaker", 150, func(x *data.Statement) string { return x.Speaker }),
		str("Topic", 190, func(x *data.Statement) string { return x.Topic }),
		str("Stance", 130, func(x *data.Statement) string { return x.Stance }),
		str("Quote", 380, func(x *data.Statement) string { return x.Quote }),
		str("Channel", 130, func(x *data.Statement) string { return x.Channel }),
		str("Source", 240, func(x *data.Statement) string { return x.Source }),
	}
}

func oneLineText(s string) string { return strings.Join(strings.Fields(s), " ") }

func (k *statementKind) load(ctx context.Context, f data.Filter, progress func(int)) (func() int, error) {
	rows, err := k.src.Statements(f)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return func() int { k.rows = rows; return len(rows) }, nil
}

func (k *statementKind) fields(id string) ([]field, error) {
	r, err := k.src.Statement(id)
	if err != nil {
		return nil, err
	}
	return k.fieldsOf(r), nil
}

func (k *statementKind) fieldsOf(rec any) []field {
	var r data.Statement
	switch v := rec.(type) {
	case data.Statement:
		r = v
	case *data.Statement:
		r = *v
	default:
		return []field{{"Record", fmt.Sprint(rec)}}
	}
	fs := []field{
		{"ID", r.ID},
		{"Date", dateRangeLabel(r.Date, data.Date{}) + precisionNote(r.Date)},
		{"Actor", r.Actor},
		{"Speaker", r.Speaker},
		{"Role", r.Role},
		{"Topic", r.Topic},
		{"Stance", r.Stance},
		{"Quote", r.Quote},
		{"Channel", r.Channel},
		{"Sources", r.Source},
		{"Notes", r.Notes},
		{"Linked incidents", strings.Join(r.IncidentIDs, ", ")},
	}
	fs = append(fs, extraFields(r.Extra)...)
	return append(fs, field{"Imported from", provenanceText(r.Provenance)})
}

func (k *statementKind) edit(id string, done func()) {
	r, err := k.src.Statement(id)
	if err != nil {
		k.u.showError("Could not open "+id, err)
		return
	}
	entries := []*editField{
		dateField("Date", &r.Date),
		textField("Actor", r.Actor, func(s string) error { r.Actor = s; return nil }),
		textField("Speaker", r.Speaker, func(s string) error { r.Speaker = s; return nil }),
		textField("Role", r.Role, func(s string) error { r.Role = s; return nil }),
		textField("Topic", r.Topic, func(s string) error { r.Topic = s; return nil }),
		textField("Stance", r.Stance, func(s string) error { r.Stance = s; return nil }),
		multiField("Quote", r.Quote, func(s string) error { r.Quote = s; return nil }),
		textField("Channel", r.Channel, func(s string) error { r.Channel = s; return nil }),
		multiField("Sources", r.Source, func(s string) error { r.Source = s; return nil }),
		multiField("Notes", r.Notes, func(s string) error { r.Notes = s; return nil }),
	}
	showEditForm(k.u, "Edit statement "+id, entries, func() error {
		if err := r.Validate(); err != nil {
			return err
		}
		return k.src.SaveStatement(&r)
	}, done)
}
