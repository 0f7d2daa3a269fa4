package app

import (
	"fmt"
	"sort"
	"strings"

	"sitrep/data"
	"sitrep/geo"
	"sitrep/table"
)

// incidentSource is what the Incidents screen reads and writes.
type incidentSource interface {
	table.Source
	ForEachIncident(f data.Filter, fn func(*data.Incident) error) error
	Incident(id string) (data.Incident, error)
	SaveIncident(r *data.Incident) error
	Statements(f data.Filter) ([]data.Statement, error)
	recordEditor
}

type incidentKind struct {
	src   incidentSource
	m     rowModel
	dlg   Dialogs
	forms *editForms
}

// incidentsScreen is the Incidents tab.
type incidentsScreen struct {
	*browser
	kind *incidentKind
}

func newIncidentsScreen(d browserDeps, src incidentSource) *incidentsScreen {
	k := &incidentKind{src: src, dlg: d.dlg, forms: d.forms}
	k.m = incidentModel(src)
	b := newBrowser(d, ScreenIncidents, k, src, "dates", "theatre", "actor", "confidence", "knownon")
	return &incidentsScreen{browser: b, kind: k}
}

// incidentModel is the table model of the incidents of src.
func incidentModel(src incidentSource) rowModel {
	return newRowModel(src, data.KindIncident, incidentColumns(), func(r *data.Incident) string { return r.ID })
}

// setStore points the screen at another store (File > Open another store): its table, its
// detail panel and its edits.
func (s *incidentsScreen) setStore(src incidentSource) {
	s.kind.src = src
	s.ed = src
	s.kind.m = incidentModel(src)
	s.table.setModel(s.kind.m)
}

func (k *incidentKind) kind() data.Kind { return data.KindIncident }
func (k *incidentKind) noun() string    { return "incident" }
func (k *incidentKind) model() rowModel { return k.m }

// countKey orders counts unknown first, then by low and high bound.
func countKey(c data.Count) int64 {
	if !c.Known() {
		return -1
	}
	return int64(c.Low())<<31 | int64(min(c.High(), 1<<31-1))
}

// incidentColumns are the Incidents table's columns. Short columns size to their content;
// long text ones stop at a maximum and cut their text in the middle (full text on hover and
// in the detail panel).
func incidentColumns() []rowColumn[data.Incident] {
	txt := func(title string, max float32, get func(*data.Incident) string) rowColumn[data.Incident] {
		return rowColumn[data.Incident]{title: title, text: get, max: max, sort: table.Column[data.Incident]{Text: get}}
	}
	cnt := func(title string, get func(*data.Incident) data.Count) rowColumn[data.Incident] {
		return rowColumn[data.Incident]{title: title, text: func(r *data.Incident) string { return countText(get(r)) },
			sort: table.Column[data.Incident]{Int: func(r *data.Incident) int64 { return countKey(get(r)) }}}
	}
	return []rowColumn[data.Incident]{
		{title: "Date", text: func(r *data.Incident) string { return dateRangeLabel(r.Date, r.DateEnd) },
			sort: table.Column[data.Incident]{Natural: true}, max: 220},
		txt("ID", 220, func(r *data.Incident) string { return r.ID }),
		txt("Theatre", 200, func(r *data.Incident) string { return r.Theatre }),
		cnt("Killed", func(r *data.Incident) data.Count { return r.Killed }),
		cnt("Survivors", func(r *data.Incident) data.Count { return r.Survivors }),
		cnt("Vessels", func(r *data.Incident) data.Count { return r.Vessels }),
		txt("Confidence", 160, func(r *data.Incident) string { return r.Confidence }),
		txt("Location", 300, func(r *data.Incident) string { return r.Location }),
		txt("Actor", 200, func(r *data.Incident) string { return r.Actor }),
		txt("Target", 200, func(r *data.Incident) string { return r.Target }),
		txt("Announced by", 220, func(r *data.Incident) string { return r.AnnouncedBy }),
		txt("Source", 320, func(r *data.Incident) string { return r.Source }),
	}
}

func (k *incidentKind) fields(id string) ([]field, error) {
	r, err := k.src.Incident(id)
	if err != nil {
		return nil, err
	}
	return k.fieldsOf(r), nil
}

// linked lists the statements that name incident id (data.StatementsForIncident), oldest
// first, one line each: date, actor, speaker, stance, shortened quote and source.
func (k *incidentKind) linked(id string) (string, []string, error) {
	all, err := k.src.Statements(data.Filter{})
	if err != nil {
		return "", nil, err
	}
	st := data.StatementsForIncident(all, id)
	title := fmt.Sprintf("Statements about this incident (%d)", len(st))
	if len(st) == 0 {
		return title, []string{"No statement names this incident (statements link to incidents through their incident_ids column)."}, nil
	}
	lines := make([]string, len(st))
	for i, s := range st {
		who := s.Actor
		if sp := strings.TrimSpace(s.Speaker); sp != "" {
			who += " (" + sp + ")"
		}
		lines[i] = fmt.Sprintf("%s · %s: %s — “%s” — %s [%s]", s.Date.Label(), who, orDash(s.Stance),
			data.ShortQuote(s.Quote, 140), orDash(s.Source), s.ID)
	}
	return title, lines, nil
}

func (k *incidentKind) fieldsOf(rec any) []field {
	var r data.Incident
	switch v := rec.(type) {
	case data.Incident:
		r = v
	case *data.Incident:
		r = *v
	default:
		return []field{{"Record", fmt.Sprint(rec)}}
	}
	coords := ""
	if r.HasCoords {
		coords = fmt.Sprintf("%.4f, %.4f", r.Lat, r.Lon)
	}
	fs := []field{
		{"ID", r.ID},
		{"Date", dateRangeLabel(r.Date, r.DateEnd) + precisionNote(r.Date)},
		{"Theatre", r.Theatre},
		{"Country", r.Country},
		{"Region (admin 1)", r.Admin1},
		{"District (admin 2)", r.Admin2},
		{"Location", r.Location},
		{"Coordinates", coords},
		{"On the map", geo.World().Place(&r).Describe()},
		{"Actor", r.Actor},
		{"Target", r.Target},
		{"Vessels", r.Vessels.String()},
		{"Alleged affiliation", r.AllegedAffiliation},
		{"Killed", r.Killed.String()},
		{"Survivors", r.Survivors.String()},
		{"Missing", r.Missing.String()},
		{"Injured", r.Injured.String()},
	}
	// The figures per category the source gave (deaths per side or population, the ends of
	// an estimate), and the strikes a row stands for.
	for _, c := range r.Casualties {
		fs = append(fs, field{c.Label(), c.Count.String()})
	}
	if r.Events > 1 {
		fs = append(fs, field{"Strikes or events", fmt.Sprint(r.Events)})
	}
	fs = append(fs, []field{
		{"Announced by", r.AnnouncedBy},
		{"Confidence", r.Confidence},
		{"Sources", r.Source},
		{"Notes", r.Notes},
	}...)
	fs = append(fs, extraFields(r.Extra)...)
	return append(fs, field{"Imported from", provenanceText(r.Provenance)})
}

func (k *incidentKind) edit(id string, done func()) {
	r, err := k.src.Incident(id)
	if err != nil {
		showError(k.dlg, "Could not open "+id, err)
		return
	}
	k.forms.show("Edit incident "+id, incidentFields(&r), func() error {
		if err := r.Validate(); err != nil {
			return err
		}
		return k.src.SaveIncident(&r)
	}, done)
}

// countText formats a count for a table cell: "3", "2–4", "6+", "unknown" shown as "?".
func countText(c data.Count) string {
	if !c.Known() {
		return "?"
	}
	return c.String()
}

// dateRangeLabel is "2 Sep 2025" or "15–17 Mar 2025"-like "15 Mar 2025 – 17 Mar 2025".
func dateRangeLabel(d, end data.Date) string {
	if d.IsZero() {
		return "undated"
	}
	if end.IsZero() || end == d {
		return d.String()
	}
	return d.String() + " – " + end.String()
}

func precisionNote(d data.Date) string {
	switch d.Precision {
	case data.PrecisionMonth:
		return " (known to the month)"
	case data.PrecisionYear:
		return " (known to the year)"
	}
	return ""
}

func extraFields(m map[string]string) []field {
	if len(m) == 0 {
		return nil
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var fs []field
	for _, k := range keys {
		fs = append(fs, field{k + " (extra column)", m[k]})
	}
	return fs
}

func provenanceText(p data.Provenance) string {
	s := p.String()
	if p.ImportID != "" {
		s += " (import " + p.ImportID + ")"
	}
	return s
}
