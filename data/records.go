package data

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Kind names one of the three kinds of record.
type Kind string

// The kinds of record the store keeps.
const (
	KindIncident  Kind = "incidents"
	KindStatement Kind = "statements"
	KindTally     Kind = "tallies"
)

// Kinds lists every kind, in display order.
var Kinds = []Kind{KindIncident, KindStatement, KindTally}

// Confidence levels used for incidents. Other words are kept as written.
const (
	ConfidenceOfficial     = "official claim"
	ConfidenceCorroborated = "corroborated"
	ConfidenceDisputed     = "disputed"
)

// Confidences lists the standard confidence levels, for drop-downs and templates.
var Confidences = []string{ConfidenceOfficial, ConfidenceCorroborated, ConfidenceDisputed}

// Provenance says where a record came from: the import that brought it in, and the file,
// sheet and row (in the spreadsheet's own 1-based numbering) it was read from.
type Provenance struct {
	ImportID string `json:"import_id,omitempty"`
	File     string `json:"file,omitempty"`
	Sheet    string `json:"sheet,omitempty"`
	Row      int    `json:"row,omitempty"`
	// At is when an edit in Sitrep wrote this version (zero for imported versions, whose
	// time is their import's, and for edits made before Sitrep kept it).
	At time.Time `json:"at,omitzero"`
	// Store and StoreName name the store this version came from when it was brought in by
	// a merge (empty for versions made in this store).
	Store     string `json:"store,omitempty"`
	StoreName string `json:"store_name,omitempty"`
}

// String formats the provenance as "file, sheet S, row R".
func (p Provenance) String() string {
	var parts []string
	if p.File != "" {
		parts = append(parts, p.File)
	}
	if p.Sheet != "" {
		parts = append(parts, "sheet "+p.Sheet)
	}
	if p.Row > 0 {
		parts = append(parts, fmt.Sprintf("row %d", p.Row))
	}
	if len(parts) == 0 {
		parts = append(parts, "entered in Sitrep")
	}
	if p.Store != "" {
		parts = append(parts, "from "+Identity{ID: p.Store, Name: p.StoreName}.String())
	}
	return strings.Join(parts, ", ")
}

// Incident is one strike or event: when and where, who struck what, and what it cost.
type Incident struct {
	ID      string `json:"id"`
	Date    Date   `json:"date"`
	DateEnd Date   `json:"date_end"` // last day of a reported range ("March 15-17"); zero when none
	Theatre string `json:"theatre"`
	Country string `json:"country,omitempty"`
	// Admin1 and Admin2 are the first and second administrative levels under the country
	// (state, governorate, province, departamento; district, municipio), when the source has
	// them.
	Admin1 string `json:"admin1,omitempty"`
	Admin2 string `json:"admin2,omitempty"`
	// Location is free text: "International waters off Venezuela".
	Location string `json:"location"`
	// HasCoords says whether Lat and Lon hold a position.
	HasCoords          bool    `json:"has_coords,omitempty"`
	Lat                float64 `json:"lat,omitempty"`
	Lon                float64 `json:"lon,omitempty"`
	Actor              string  `json:"actor"`
	Target             string  `json:"target"`
	Vessels            Count   `json:"vessels"`
	AllegedAffiliation string  `json:"alleged_affiliation"`
	Killed             Count   `json:"killed"`
	Survivors          Count   `json:"survivors"`
	Missing            Count   `json:"missing"`
	Injured            Count   `json:"injured"`
	AnnouncedBy        string  `json:"announced_by"`
	Confidence         string  `json:"confidence"`
	Source             string  `json:"source"`
	Notes              string  `json:"notes"`
	// Casualties keeps the figures the source gave per category (deaths per side or per
	// population, or the ends of an estimate beside the best figure), in column order.
	// Killed and the other measures above stay the figures that count; these say how they
	// split.
	Casualties []CategoryCount `json:"casualties,omitempty"`
	// Events is how many strikes or events the row stands for (a count column such as "air
	// raids" or "number of events"); 0 means one.
	Events int `json:"events,omitempty"`
	// Extra keeps the columns of the source row that map to no field, by header.
	Extra      map[string]string `json:"extra,omitempty"`
	Provenance Provenance        `json:"provenance"`
}

// Strikes is how many strikes or events the incident stands for: Events, or 1.
func (r *Incident) Strikes() int {
	if r.Events > 0 {
		return r.Events
	}
	return 1
}

// Measures a CategoryCount can split.
const (
	MeasureKilled    = "killed"
	MeasureInjured   = "injured"
	MeasureMissing   = "missing"
	MeasureSurvivors = "survivors"
)

// CategoryCount is one figure of an incident's casualties by category: the deaths of one side
// or population ("civilians", "side A"), or one end of an estimate ("lowest estimate") kept
// beside the figure that counts.
type CategoryCount struct {
	// Measure is what is counted: MeasureKilled, MeasureInjured, MeasureMissing or
	// MeasureSurvivors.
	Measure string `json:"measure"`
	// Category names the group in words, from the source's header ("civilians", "side A").
	Category string `json:"category"`
	// Estimate says the figure is an alternative estimate of the whole (low or high), not a
	// part of it: parts add up to the whole, estimates do not.
	Estimate bool  `json:"estimate,omitempty"`
	Count    Count `json:"count"`
}

// Label names the category as words: "Killed, civilians", "Killed, lowest estimate".
func (c CategoryCount) Label() string {
	m := c.Measure
	if m != "" {
		m = strings.ToUpper(m[:1]) + m[1:]
	}
	if c.Category == "" {
		return m
	}
	return m + ", " + c.Category
}

// Statement is an official position: who said what, when, on which topic, with which stance.
type Statement struct {
	ID      string `json:"id"`
	Date    Date   `json:"date"`
	Actor   string `json:"actor"`
	Speaker string `json:"speaker"`
	Role    string `json:"role"`
	Topic   string `json:"topic"`
	// Stance is the word as coded ("defends", "no comment"); the Vocabulary scores it.
	Stance      string            `json:"stance"`
	Quote       string            `json:"quote"`
	Channel     string            `json:"channel"`
	Source      string            `json:"source"`
	Notes       string            `json:"notes"`
	IncidentIDs []string          `json:"incident_ids,omitempty"`
	Extra       map[string]string `json:"extra,omitempty"`
	Provenance  Provenance        `json:"provenance"`
}

// Tally is a running total that someone published: "16 strikes, 67 killed as of 6 Nov 2025".
type Tally struct {
	ID        string `json:"id"`
	AsOf      Date   `json:"as_of"`
	Claimant  string `json:"claimant"`
	Scope     string `json:"scope"` // a theatre, or ScopeAll
	Strikes   Count  `json:"strikes"`
	Killed    Count  `json:"killed"`
	Survivors Count  `json:"survivors"`
	Source    string `json:"source"`
	Notes     string `json:"notes"`
	// Extra keeps unmapped columns of the source row, by header.
	Extra      map[string]string `json:"extra,omitempty"`
	Provenance Provenance        `json:"provenance"`
}

// ScopeAll is the tally scope that covers every theatre.
const ScopeAll = "All theatres"

// Revision is an earlier version of a record, kept when an import or an edit changed it.
type Revision struct {
	// Replaced is when this version stopped being current.
	Replaced time.Time `json:"replaced"`
	// By is the import id (or "edit") that replaced it.
	By string `json:"by"`
	// Record is the earlier version: an Incident, Statement or Tally.
	Record any `json:"record"`
}

// ErrInvalid is wrapped by Validate errors.
var ErrInvalid = errors.New("invalid record")

// Validate checks what the store needs of an incident: an id and a valid date.
func (r *Incident) Validate() error {
	if strings.TrimSpace(r.ID) == "" {
		return fmt.Errorf("incident has no id: %w", ErrInvalid)
	}
	if !r.Date.Valid() || !r.DateEnd.Valid() {
		return fmt.Errorf("incident %s: date out of range: %w", r.ID, ErrInvalid)
	}
	return nil
}

// Validate checks what the store needs of a statement: an id, an actor and a valid date.
func (r *Statement) Validate() error {
	if strings.TrimSpace(r.ID) == "" {
		return fmt.Errorf("statement has no id: %w", ErrInvalid)
	}
	if strings.TrimSpace(r.Actor) == "" {
		return fmt.Errorf("statement %s has no actor: %w", r.ID, ErrInvalid)
	}
	if !r.Date.Valid() {
		return fmt.Errorf("statement %s: date out of range: %w", r.ID, ErrInvalid)
	}
	return nil
}

// Validate checks what the store needs of a tally: an id and a valid date.
func (r *Tally) Validate() error {
	if strings.TrimSpace(r.ID) == "" {
		return fmt.Errorf("tally has no id: %w", ErrInvalid)
	}
	if !r.AsOf.Valid() {
		return fmt.Errorf("tally %s: date out of range: %w", r.ID, ErrInvalid)
	}
	return nil
}
