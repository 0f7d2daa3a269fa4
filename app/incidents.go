package app

import (
	"cmp"
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"sitrep/data"
	"sitrep/geo"
)

// incidentSource is what the Incidents screen reads and writes.
type incidentSource interface {
	ForEachIncident(f data.Filter, fn func(*data.Incident) error) error
	Incident(id string) (data.Incident, error)
	SaveIncident(r *data.Incident) error
	Statements(f data.Filter) ([]data.Statement, error)
	recordEditor
}

// pdate is a Date packed into 6 bytes, for the in-memory row index.
type pdate struct {
	y    int16
	m, d uint8
	p    data.Precision
}

func packDate(d data.Date) pdate {
	return pdate{y: int16(d.Year), m: uint8(d.Month), d: uint8(d.Day), p: d.Precision}
}

func (p pdate) date() data.Date {
	return data.Date{Year: int(p.y), Month: time.Month(p.m), Day: int(p.d), Precision: p.p}
}

func (p pdate) compare(o pdate) int { return p.date().Compare(o.date()) }

// pcount is a Count packed into 9 bytes.
type pcount struct {
	lo, hi int32
	known  uint8 // bit 0: lo known, bit 1: hi known
}

func packCount(c data.Count) pcount {
	var k uint8
	if c.MinKnown {
		k |= 1
	}
	if c.MaxKnown {
		k |= 2
	}
	return pcount{lo: int32(c.Min), hi: int32(c.Max), known: k}
}

func (p pcount) count() data.Count {
	return data.Count{Min: int(p.lo), Max: int(p.hi), MinKnown: p.known&1 != 0, MaxKnown: p.known&2 != 0}
}

// compare orders unknown first, then by low bound, then by high bound.
func (p pcount) compare(o pcount) int {
	a, b := p.count(), o.count()
	if a.Known() != b.Known() {
		if a.Known() {
			return 1
		}
		return -1
	}
	if c := cmp.Compare(a.Low(), b.Low()); c != 0 {
		return c
	}
	return cmp.Compare(a.High(), b.High())
}

// incRow is the compact in-memory form of an incident: what the table shows and sorts by,
// about 100 bytes. Text columns are indices into a table of distinct strings (theatres,
// places, sources repeat), so a million rows take about a hundred megabytes; the full record
// is read from the store only for the selected row.
type incRow struct {
	id                         string
	text                       [nText]uint32
	date, end                  pdate
	vessels, killed, survivors pcount
}

// Text columns of incRow.text.
const (
	tTheatre = iota
	tLocation
	tActor
	tTarget
	tConfidence
	tAnnounced
	tSource
	nText
)

// interner numbers distinct strings.
type interner struct {
	idx  map[string]uint32
	strs []string
}

func newInterner() *interner { return &interner{idx: map[string]uint32{}} }

func (in *interner) get(s string) uint32 {
	if v, ok := in.idx[s]; ok {
		return v
	}
	n := uint32(len(in.strs))
	in.idx[s] = n
	in.strs = append(in.strs, s)
	return n
}

type incidentKind struct {
	u    *UI
	src  incidentSource
	rows []incRow
	strs []string // the distinct strings incRow.text points into
	rank []uint32 // rank[i] orders strs[i] case-insensitively, for sorting
}

// incidentsScreen is the Incidents tab.
type incidentsScreen struct {
	*browser
	kind *incidentKind
}

func newIncidentsScreen(u *UI) *incidentsScreen {
	k := &incidentKind{u: u, src: u.store}
	b := newBrowser(u, ScreenIncidents, k, u.store, "dates", "theatre", "actor", "confidence")
	return &incidentsScreen{browser: b, kind: k}
}

func (k *incidentKind) kind() data.Kind { return data.KindIncident }
func (k *incidentKind) noun() string    { return "incident" }
func (k *incidentKind) id(i int) string { return k.rows[i].id }

func (k *incidentKind) columns() []column {
	r := func(i int) *incRow { return &k.rows[i] }
	// Text columns sort by the precomputed rank of their string; the id by its text.
	txt := func(title string, w float32, col int) column {
		return column{title: title, width: w, text: func(i int) string { return k.strs[r(i).text[col]] },
			cmp: func() func(a, b int) int {
				rows, rank := k.rows, k.rank
				return func(a, b int) int { return cmp.Compare(rank[rows[a].text[col]], rank[rows[b].text[col]]) }
			}}
	}
	cnt := func(title string, w float32, get func(*incRow) pcount) column {
		return column{title: title, width: w, text: func(i int) string { return countText(get(r(i)).count()) },
			cmp: func() func(a, b int) int {
				rows := k.rows
				return func(a, b int) int { return get(&rows[a]).compare(get(&rows[b])) }
			}}
	}
	return []column{
		{title: "Date", width: 105, text: func(i int) string { return dateRangeLabel(r(i).date.date(), r(i).end.date()) },
			cmp: func() func(a, b int) int {
				rows := k.rows
				return func(a, b int) int { return rows[a].date.compare(rows[b].date) }
			}},
		{title: "ID", width: 105, text: func(i int) string { return r(i).id },
			cmp: func() func(a, b int) int {
				rows := k.rows
				return func(a, b int) int { return strings.Compare(rows[a].id, rows[b].id) }
			}},
		txt("Theatre", 125, tTheatre),
		cnt("Killed", 70, func(x *incRow) pcount { return x.killed }),
		cnt("Survivors", 90, func(x *incRow) pcount { return x.survivors }),
		cnt("Vessels", 75, func(x *incRow) pcount { return x.vessels }),
		txt("Confidence", 125, tConfidence),
		txt("Location", 210, tLocation),
		txt("Actor", 120, tActor),
		txt("Target", 120, tTarget),
		txt("Announced by", 200, tAnnounced),
		txt("Source", 260, tSource),
	}
}

func (k *incidentKind) load(ctx context.Context, f data.Filter, progress func(int)) (func() int, error) {
	rows := make([]incRow, 0, 1024)
	in := newInterner()
	err := k.src.ForEachIncident(f, func(r *data.Incident) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		rows = append(rows, incRow{
			id: r.ID, text: [nText]uint32{in.get(r.Theatre), in.get(r.Location), in.get(r.Actor), in.get(r.Target),
				in.get(r.Confidence), in.get(r.AnnouncedBy), in.get(r.Source)},
			date: packDate(r.Date), end: packDate(r.DateEnd),
			vessels: packCount(r.Vessels), killed: packCount(r.Killed), survivors: packCount(r.Survivors),
		})
		if len(rows)%100000 == 0 {
			progress(len(rows))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	strs := in.strs
	rank := rankStrings(strs)
	return func() int { k.rows, k.strs, k.rank = rows, strs, rank; return len(rows) }, nil
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
		k.u.showError("Could not open "+id, err)
		return
	}
	entries := []*editField{
		dateField("Date", &r.Date),
		textField("Theatre", r.Theatre, func(s string) error { r.Theatre = s; return nil }),
		textField("Location", r.Location, func(s string) error { r.Location = s; return nil }),
		textField("Actor", r.Actor, func(s string) error { r.Actor = s; return nil }),
		textField("Target", r.Target, func(s string) error { r.Target = s; return nil }),
		countField("Vessels", r.Vessels, &r.Vessels),
		textField("Alleged affiliation", r.AllegedAffiliation, func(s string) error { r.AllegedAffiliation = s; return nil }),
		countField("Killed", r.Killed, &r.Killed),
		countField("Survivors", r.Survivors, &r.Survivors),
		countField("Missing", r.Missing, &r.Missing),
		countField("Injured", r.Injured, &r.Injured),
		textField("Announced by", r.AnnouncedBy, func(s string) error { r.AnnouncedBy = s; return nil }),
		textField("Confidence", r.Confidence, func(s string) error { r.Confidence = s; return nil }),
		multiField("Sources", r.Source, func(s string) error { r.Source = s; return nil }),
		multiField("Notes", r.Notes, func(s string) error { r.Notes = s; return nil }),
	}
	showEditForm(k.u, "Edit incident "+id, entries, func() error {
		if err := r.Validate(); err != nil {
			return err
		}
		return k.src.SaveIncident(&r)
	}, done)
}

// rankStrings returns, for each string, its position in case-insensitive order.
func rankStrings(strs []string) []uint32 {
	order := make([]int, len(strs))
	lower := make([]string, len(strs))
	for i, s := range strs {
		order[i], lower[i] = i, strings.ToLower(s)
	}
	sort.SliceStable(order, func(a, b int) bool { return lower[order[a]] < lower[order[b]] })
	rank := make([]uint32, len(strs))
	for pos, i := range order {
		rank[i] = uint32(pos)
	}
	return rank
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
