package app

import (
	"fmt"
	"strings"

	"sitrep/data"
	"sitrep/table"
)

// statementSource is what the Statements screen reads and writes.
type statementSource interface {
	table.Source
	Statements(f data.Filter) ([]data.Statement, error)
	Statement(id string) (data.Statement, error)
	SaveStatement(r *data.Statement) error
	recordEditor
}

type statementKind struct {
	src   statementSource
	m     rowModel
	dlg   Dialogs
	forms *editForms
}

// statementsScreen is the Statements tab.
type statementsScreen struct {
	*browser
	kind *statementKind
}

func newStatementsScreen(d browserDeps, src statementSource) *statementsScreen {
	k := &statementKind{src: src, dlg: d.dlg, forms: d.forms}
	k.m = statementModel(src)
	b := newBrowser(d, ScreenStatements, k, src, "dates", "actor", "topic", "knownon")
	return &statementsScreen{browser: b, kind: k}
}

// statementModel is the table model of the statements of src.
func statementModel(src statementSource) rowModel {
	return newRowModel(src, data.KindStatement, statementColumns(), func(r *data.Statement) string { return r.ID })
}

// setStore points the screen at another store (File > Open another store): its table, its
// detail panel and its edits.
func (s *statementsScreen) setStore(src statementSource) {
	s.kind.src = src
	s.ed = src
	s.kind.m = statementModel(src)
	s.table.setModel(s.kind.m)
}

func (k *statementKind) kind() data.Kind { return data.KindStatement }
func (k *statementKind) noun() string    { return "statement" }
func (k *statementKind) model() rowModel { return k.m }

// statementColumns are the Statements table's columns: the quote is the widest and cut in
// the middle when longer (the full quote is on hover and in the detail panel).
func statementColumns() []rowColumn[data.Statement] {
	str := func(title string, max float32, get func(*data.Statement) string) rowColumn[data.Statement] {
		return rowColumn[data.Statement]{title: title, text: get, max: max, sort: table.Column[data.Statement]{Text: get}}
	}
	return []rowColumn[data.Statement]{
		{title: "Date", text: func(r *data.Statement) string { return dateRangeLabel(r.Date, data.Date{}) },
			sort: table.Column[data.Statement]{Natural: true}, max: 160},
		str("ID", 160, func(x *data.Statement) string { return x.ID }),
		str("Actor", 180, func(x *data.Statement) string { return x.Actor }),
		str("Topic", 200, func(x *data.Statement) string { return x.Topic }),
		str("Stance", 160, func(x *data.Statement) string { return x.Stance }),
		str("Quote", 380, func(x *data.Statement) string { return x.Quote }),
		str("Speaker", 180, func(x *data.Statement) string { return x.Speaker }),
		str("Channel", 150, func(x *data.Statement) string { return x.Channel }),
		str("Source", 240, func(x *data.Statement) string { return x.Source }),
	}
}

func oneLineText(s string) string { return strings.Join(strings.Fields(s), " ") }

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
		showError(k.dlg, "Could not open "+id, err)
		return
	}
	k.forms.show("Edit statement "+id, statementFields(&r), func() error {
		if err := r.Validate(); err != nil {
			return err
		}
		return k.src.SaveStatement(&r)
	}, done)
}
