package app

import (
	"errors"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"sitrep/data"
	"sitrep/importers"
)

// editField is one entry of an edit form and how to apply its text to the record.
type editField struct {
	label string
	entry *widget.Entry
	apply func(string) error
}

func textField(label, value string, apply func(string) error) *editField {
	e := widget.NewEntry()
	e.SetText(value)
	return &editField{label: label, entry: e, apply: apply}
}

func multiField(label, value string, apply func(string) error) *editField {
	e := widget.NewMultiLineEntry()
	e.Wrapping = fyne.TextWrapWord
	e.SetMinRowsVisible(3)
	e.SetText(value)
	return &editField{label: label, entry: e, apply: apply}
}

// countField edits a Count as text: "3", "2-4", "at least 6", "6+", "up to 5", "unknown".
// dateField edits a date written as YYYY-MM-DD, YYYY-MM or YYYY into *dst.
func dateField(label string, dst *data.Date) *editField {
	return textField(label, dst.String(), func(s string) error {
		d, err := data.ParseDate(s)
		if err != nil {
			return fmt.Errorf("date %q: write it as YYYY-MM-DD, YYYY-MM or YYYY", s)
		}
		*dst = d
		return nil
	})
}

func countField(label string, value data.Count, dst *data.Count) *editField {
	text := value.String()
	if !value.Known() {
		text = ""
	}
	f := textField(label, text, func(s string) error {
		c, err := parseCount(s)
		if err != nil {
			return fmt.Errorf("%s: %w", label, err)
		}
		*dst = c
		return nil
	})
	f.entry.SetPlaceHolder("3, 2-4, at least 6, or blank for unknown")
	return f
}

// errBadCount is returned for text that is not a count.
var errBadCount = errors.New("write a number, a range like 2-4, \"at least 6\", or leave it blank for unknown")

// parseCount reads what a person types into a count field the way the importers read a
// count cell (importers.ParseCount): whatever imports can be typed.
func parseCount(s string) (data.Count, error) {
	v, err := importers.ParseCount(s)
	if err != nil {
		return data.Unknown, fmt.Errorf("%q: %w (%v)", strings.TrimSpace(s), errBadCount, err)
	}
	return v.Count, nil
}

// editForms opens the edit forms in dialogs, and keeps the last one (for tests).
type editForms struct {
	dlg  Dialogs
	last *editSession
}

// showEditForm shows fields in u's edit-form dialog (forms.show); for the screens that still
// hold the UI.
func showEditForm(u *UI, title string, fields []*editField, save func() error, done func()) {
	u.forms.show(title, fields, save, done)
}

// show shows fields in a dialog; Save applies them all, then save; an error keeps the
// dialog open with the message. The change is kept as a revision by the store.
func (ef *editForms) show(title string, fields []*editField, save func() error, done func()) {
	form := widget.NewForm()
	for _, f := range fields {
		form.Append(f.label, f.entry)
	}
	msg := widget.NewLabel("Your change is kept as a new version; the old one stays in the history.")
	msg.Wrapping = fyne.TextWrapWord
	var hide func()
	saveBtn := widget.NewButton("Save", nil)
	saveBtn.Importance = widget.HighImportance
	saveBtn.OnTapped = func() {
		for _, f := range fields {
			if err := f.apply(f.entry.Text); err != nil {
				msg.SetText("Not saved: " + err.Error())
				return
			}
		}
		if err := save(); err != nil {
			msg.SetText("Not saved: " + plainError(err))
			return
		}
		hide()
		done()
	}
	scroll := container.NewVScroll(form)
	scroll.SetMinSize(fyne.NewSize(620, 480))
	content := container.NewBorder(nil, container.NewVBox(msg, saveBtn), nil, nil, scroll)
	hide = ef.dlg.Custom(title, "Cancel", content)
	ef.last = &editSession{fields: fields, save: saveBtn, msg: msg}
}

// editSession keeps the widgets of the open edit form, for tests.
type editSession struct {
	fields []*editField
	save   *widget.Button
	msg    *widget.Label
}

// entry returns the entry labelled label.
func (s *editSession) entry(label string) *widget.Entry {
	for _, f := range s.fields {
		if f.label == label {
			return f.entry
		}
	}
	return nil
}

// incidentFields are the edit form's fields for an incident, filled from r; Save applies
// them to r.
func incidentFields(r *data.Incident) []*editField {
	return []*editField{
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
}

// statementFields are the edit form's fields for a statement, filled from r.
func statementFields(r *data.Statement) []*editField {
	return []*editField{
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
}

// tallyFields are the edit form's fields for a tally, filled from r.
func tallyFields(r *data.Tally) []*editField {
	return []*editField{
		dateField("As of", &r.AsOf),
		textField("Claimant", r.Claimant, func(v string) error { r.Claimant = v; return nil }),
		textField("Scope", r.Scope, func(v string) error { r.Scope = v; return nil }),
		countField("Strikes", r.Strikes, &r.Strikes),
		countField("Killed", r.Killed, &r.Killed),
		countField("Survivors", r.Survivors, &r.Survivors),
		multiField("Sources", r.Source, func(v string) error { r.Source = v; return nil }),
		multiField("Notes", r.Notes, func(v string) error { r.Notes = v; return nil }),
	}
}

// recordFields returns the edit form's fields for rec (an *Incident, *Statement or *Tally,
// as data.Conflict.ConflictVersion gives them) and its validation; nil for anything else.
func recordFields(rec any) ([]*editField, func() error) {
	switch r := rec.(type) {
	case *data.Incident:
		return incidentFields(r), r.Validate
	case *data.Statement:
		return statementFields(r), r.Validate
	case *data.Tally:
		return tallyFields(r), r.Validate
	}
	return nil, nil
}
