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
