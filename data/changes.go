package data

import (
	"bytes"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// ChangeReport says what changed in the store between two known-on times: the records added,
// changed (field by field) and removed, and the headline totals at both times.
type ChangeReport struct {
	Since   time.Time      `json:"since"`
	Until   time.Time      `json:"until"` // zero: now
	Added   []RecordChange `json:"added"`
	Changed []RecordChange `json:"changed"`
	Removed []RecordChange `json:"removed"`
	// Before and After are Stats as known on Since and Until.
	Before Stats `json:"before"`
	After  Stats `json:"after"`
}

// RecordChange is one record that differs between the two times.
type RecordChange struct {
	Kind Kind   `json:"kind"`
	ID   string `json:"id"`
	// Fields lists the fields that differ (changed records only).
	Fields []FieldChange `json:"fields,omitempty"`
	// By lists what made the changes, oldest first: imports, edits, deletions, undos.
	By []Cause `json:"by"`
	// Before and After are the record (Incident, Statement or Tally) at each time; nil
	// when it did not exist.
	Before any `json:"before,omitempty"`
	After  any `json:"after,omitempty"`
}

// FieldChange is one field of a record, before and after, as text.
type FieldChange struct {
	Field  string `json:"field"`
	Before string `json:"before"`
	After  string `json:"after"`
}

// Cause is what changed a record: an import (its id and file), an edit, a deletion, an undo.
type Cause struct {
	By   string    `json:"by"`   // "imp-000004", "edit", "delete", "undo of imp-000003", "merge ..."
	File string    `json:"file"` // the import's file, when By is an import
	At   time.Time `json:"at"`
}

// String is "imp-000004 (upd.xlsx) at 2025-11-06 18:00".
func (c Cause) String() string {
	s := c.By
	if c.File != "" {
		s += " (" + c.File + ")"
	}
	if !c.At.IsZero() {
		s += " at " + c.At.Local().Format("2006-01-02 15:04")
	}
	return s
}

// Changes compares the store as known on since with the store as known on until (zero:
// now): records added, changed and removed, with what changed them, and the totals.
func (s *Store) Changes(since, until time.Time) (ChangeReport, error) {
	if !until.IsZero() && until.Before(since) {
		return ChangeReport{}, fmt.Errorf("changes: %s is before %s", KnownOnLabel(until), KnownOnLabel(since))
	}
	rep := ChangeReport{Since: since, Until: until, Added: []RecordChange{}, Changed: []RecordChange{}, Removed: []RecordChange{}}
	var err error
	if rep.Before, err = s.Stats(Filter{KnownOn: since}); err != nil {
		return rep, fmt.Errorf("changes: %w", err)
	}
	if rep.After, err = s.Stats(Filter{KnownOn: until}); err != nil {
		return rep, fmt.Errorf("changes: %w", err)
	}
	files := map[string]ImportLog{}
	if logs, err := s.Imports(); err == nil {
		for _, l := range logs {
			files[l.ID] = l
		}
	}
	for _, k := range Kinds {
		win, err := s.windowChanges(k, since, until)
		if err != nil {
			return rep, fmt.Errorf("changes: %w", err)
		}
		ids := make([]string, 0, len(win))
		for id := range win {
			ids = append(ids, id)
		}
		slices.SortFunc(ids, CompareIDs)
		for _, id := range ids {
			var states [2]record
			for i, val := range win[id] {
				if val == nil {
					continue
				}
				if states[i], err = decodeAny(k, val); err != nil {
					return rep, fmt.Errorf("changes: %s %q: %w", singular(k), id, err)
				}
			}
			before, after := states[0], states[1]
			if sameRecord(before, after) {
				continue
			}
			rc := RecordChange{Kind: k, ID: id}
			if before != nil {
				rc.Before = plain(before)
			}
			if after != nil {
				rc.After = plain(after)
			}
			if rc.By, err = s.causes(k, id, since, until, after, files); err != nil {
				return rep, fmt.Errorf("changes: %w", err)
			}
			switch {
			case before == nil:
				rep.Added = append(rep.Added, rc)
			case after == nil:
				rep.Removed = append(rep.Removed, rc)
			default:
				rc.Fields = diffFields(plain(before), plain(after))
				rep.Changed = append(rep.Changed, rc)
			}
		}
	}
	return rep, nil
}

func sameRecord(a, b record) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	var ea, eb enc
	a.encodeBody(&ea)
	b.encodeBody(&eb)
	return bytes.Equal(ea.b, eb.b)
}

// causes lists what changed record id between since and until: the revisions and erased
// states that ended in that span (each names what ended it), and, for a record that had no
// earlier version in the span, what wrote its version at until.
func (s *Store) causes(k Kind, id string, since, until time.Time, after record, files map[string]ImportLog) ([]Cause, error) {
	in := func(t time.Time) bool { return t.After(since) && (until.IsZero() || !t.After(until)) }
	var out []Cause
	// afterG is the import (or merge) that wrote the version at until, found by its body: a
	// merged version's provenance names the other store's import, not this store's merge.
	var afterBody []byte
	var afterG uint64
	if after != nil {
		var e enc
		after.encodeBody(&e)
		afterBody = e.b
	}
	matchAfter := func(val []byte) {
		if ver, err := splitVersion(val); err == nil && afterBody != nil && bytes.Equal(ver.body, afterBody) {
			afterG = ver.g
		}
	}
	err := s.view(func(tx *bolt.Tx) error {
		kb, err := kindOf(tx, k)
		if err != nil {
			return err
		}
		v := newView(tx)
		pending := v.pending
		prefix := revPrefix(id)
		c := kb.rev.Cursor()
		for key, val := c.Seek(prefix); key != nil && bytes.HasPrefix(key, prefix) && len(key) == len(prefix)+8; key, val = c.Next() {
			when, by, old, err := decodeRev(val)
			if err != nil {
				return err
			}
			if pending != 0 && versionG(old) == pending {
				continue // brought by a merge in progress
			}
			matchAfter(old)
			if in(when) {
				out = append(out, Cause{By: by, At: when})
			}
		}
		if pb := tx.Bucket([]byte(k)).Bucket(bktPast); pb != nil {
			pc := pb.Cursor()
			for key, val := pc.Seek(prefix); key != nil && bytes.HasPrefix(key, prefix) && len(key) == len(prefix)+16; key, val = pc.Next() {
				p, err := decodePast(key, val)
				if err != nil {
					return err
				}
				if in(p.to) {
					out = append(out, Cause{By: p.by, At: p.to})
				}
			}
		}
		if cur, _ := v.current(kb, id); cur != nil {
			matchAfter(cur)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if after != nil {
		p := after.prov()
		by := p.ImportID
		if afterG != 0 {
			by = importIDOf(afterG)
		}
		switch {
		case afterG == 0 && p.ImportID == ByEdit:
			if len(out) == 0 || out[len(out)-1].By != ByEdit {
				out = append(out, Cause{By: ByEdit, At: p.At})
			}
		case !slices.ContainsFunc(out, func(c Cause) bool { return c.By == by }):
			out = append(out, Cause{By: by})
		}
	}
	for i := range out {
		if l, ok := files[out[i].By]; ok {
			out[i].File = l.File
			if out[i].At.IsZero() {
				out[i].At = l.Finished
			}
		}
	}
	slices.SortStableFunc(out, func(a, b Cause) int { return a.At.Compare(b.At) })
	return out, nil
}

// diffFields compares two records of one kind field by field (provenance aside) and returns
// the fields that differ, by their JSON names, with their values as text.
func diffFields(a, b any) []FieldChange {
	va, vb := reflect.ValueOf(a), reflect.ValueOf(b)
	if va.Type() != vb.Type() || va.Kind() != reflect.Struct {
		return nil
	}
	var out []FieldChange
	t := va.Type()
	for i := range t.NumField() {
		f := t.Field(i)
		if f.Name == "Provenance" || !f.IsExported() {
			continue
		}
		x, y := va.Field(i).Interface(), vb.Field(i).Interface()
		if reflect.DeepEqual(x, y) {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "" || name == "-" {
			name = f.Name
		}
		out = append(out, FieldChange{Field: name, Before: fieldText(x), After: fieldText(y)})
	}
	return out
}

func fieldText(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case Date:
		if x.IsZero() {
			return ""
		}
		return x.String()
	case Count:
		return x.String()
	case []string:
		return strings.Join(x, ", ")
	case map[string]string:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = k + "=" + x[k]
		}
		return strings.Join(parts, "; ")
	}
	return fmt.Sprint(v)
}
