package app

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"sitrep/data"
)

// vocabularyStore reads and replaces the stance vocabulary.
type vocabularyStore interface {
	Vocabulary() (data.Vocabulary, error)
	SetVocabulary(v data.Vocabulary) error
}

// vocabEditor is the "Stance words" dialog: the current words with their scores, and a form to
// add a word as another spelling of a stance or as a new stance with its own score.
type vocabEditor struct {
	list    *widget.Label
	word    *widget.Entry
	meaning *widget.Select
	msg     *widget.Label
	add     *widget.Button
}

var newStanceScores = []struct {
	label string
	score int
	color string
}{
	{"a new stance scored +2 (supports)", 2, data.ColorSupport},
	{"a new stance scored +1 (reservations)", 1, data.ColorReservation},
	{"a new stance scored 0 (neutral)", 0, data.ColorNeutral},
	{"a new stance scored -1 (concerned)", -1, data.ColorConcerned},
	{"a new stance scored -2 (condemns)", -2, data.ColorCondemns},
}

func stanceLabel(d data.StanceDef) string {
	return fmt.Sprintf("%s (%+d)", d.Word, d.Score)
}

// showVocabulary opens the stance words dialog.
func (u *UI) showVocabulary() {
	vs := u.store
	v, err := vs.Vocabulary()
	if err != nil {
		u.showError("Could not read the stance words", err)
		return
	}
	e := &vocabEditor{list: widget.NewLabel(""), word: widget.NewEntry(), msg: widget.NewLabel("")}
	u.opened.vocab = e
	e.list.Wrapping = fyne.TextWrapWord
	e.msg.Wrapping = fyne.TextWrapWord
	e.word.SetPlaceHolder("distances itself")
	e.meaning = widget.NewSelect(nil, nil)
	refresh := func() {
		var lines, opts []string
		for _, d := range v {
			line := stanceLabel(d)
			if d.NoComment {
				line += " — declined to comment, kept apart from having said nothing"
			}
			if len(d.Synonyms) > 0 {
				line += "; also: " + strings.Join(d.Synonyms, ", ")
			}
			lines = append(lines, line)
			opts = append(opts, "the same as "+stanceLabel(d))
		}
		for _, n := range newStanceScores {
			opts = append(opts, n.label)
		}
		e.list.SetText(strings.Join(lines, "\n"))
		e.meaning.Options = opts
		e.meaning.Refresh()
	}
	refresh()
	e.add = widget.NewButton("Add", func() {
		nv, err := addStanceWord(v, e.word.Text, e.meaning.Selected)
		if err != nil {
			e.msg.SetText(err.Error())
			return
		}
		if err := vs.SetVocabulary(nv); err != nil {
			e.msg.SetText("Not saved: " + plainError(err))
			return
		}
		v = nv
		e.msg.SetText(fmt.Sprintf("Saved: statements coded %q now count as %s.", strings.TrimSpace(e.word.Text), meaningOf(nv, e.word.Text)))
		e.word.SetText("")
		refresh()
		u.positions.reload()
		u.overview.reload()
		u.charts.refreshPreview()
	})
	form := widget.NewForm(widget.NewFormItem("Word", e.word), widget.NewFormItem("Means", e.meaning))
	body := container.NewBorder(
		container.NewVBox(heading("Stance words and their scores"), e.list, widget.NewSeparator(), heading("Add a word")),
		container.NewVBox(form, e.add, e.msg), nil, nil)
	u.dlg.Custom("Stance words", "Close", container.NewGridWrap(fyne.NewSize(640, body.MinSize().Height+60), body))
}

func meaningOf(v data.Vocabulary, word string) string {
	if d, ok := v.Lookup(word); ok {
		return stanceLabel(d)
	}
	return "?"
}

// addStanceWord returns v with word added as meaning says: "the same as WORD (+n)" adds it as a
// synonym of that stance, a "new stance" choice adds a stance of its own. A word already in
// use moves (it is taken off the stance that had it).
func addStanceWord(v data.Vocabulary, word, meaning string) (data.Vocabulary, error) {
	word = strings.TrimSpace(word)
	if word == "" {
		return nil, fmt.Errorf("type the word as you code it in your statements")
	}
	if meaning == "" {
		return nil, fmt.Errorf("choose what %q means", word)
	}
	out := make(data.Vocabulary, 0, len(v)+1)
	for _, d := range v {
		d.Synonyms = append([]string(nil), d.Synonyms...)
		if strings.EqualFold(strings.TrimSpace(d.Word), word) {
			if meaning == "the same as "+stanceLabel(d) {
				return nil, fmt.Errorf("%q is already %s", word, stanceLabel(d))
			}
			if len(d.Synonyms) == 0 {
				return nil, fmt.Errorf("%q is a stance of its own; it cannot become another one's spelling", word)
			}
			// Promote the first synonym to be the stance's word.
			d.Word, d.Synonyms = d.Synonyms[0], d.Synonyms[1:]
		}
		keep := d.Synonyms[:0]
		for _, s := range d.Synonyms {
			if !strings.EqualFold(strings.TrimSpace(s), word) {
				keep = append(keep, s)
			}
		}
		d.Synonyms = keep
		out = append(out, d)
	}
	done := false
	for i := range out {
		if meaning == "the same as "+stanceLabel(v[i]) {
			out[i].Synonyms = append(out[i].Synonyms, word)
			done = true
		}
	}
	for _, n := range newStanceScores {
		if meaning == n.label {
			out = append(out, data.StanceDef{Word: word, Score: n.score, Color: n.color})
			done = true
		}
	}
	if !done {
		return nil, fmt.Errorf("choose what %q means", word)
	}
	if err := out.Validate(); err != nil {
		return nil, err
	}
	return out, nil
}
