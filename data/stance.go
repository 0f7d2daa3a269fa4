package data

import (
	"fmt"
	"strings"
)

// StanceDef is one word of the stance vocabulary: its ordinal score, its colour and whether it
// means the actor declined to say ("no comment", which is not the same as having no statement).
type StanceDef struct {
	Word      string `json:"word"`
	Score     int    `json:"score"`
	Color     string `json:"color"` // #rrggbb
	NoComment bool   `json:"no_comment,omitempty"`
	// Synonyms are other spellings that mean the same stance ("supports" for "defends").
	Synonyms []string `json:"synonyms,omitempty"`
}

// Vocabulary maps stance words to scores and colours. It is data the user can edit.
type Vocabulary []StanceDef

// Colours of the default vocabulary: a diverging, colour-blind-safe scale (blue for support,
// orange-red for condemnation; Paul Tol's "sunset"), with grey for neutral and a lighter
// grey for "no comment".
const (
	ColorSupport     = "#364B9A"
	ColorReservation = "#6EA6CD"
	ColorNeutral     = "#9E9E9E"
	ColorNoComment   = "#D0D0D0"
	ColorConcerned   = "#F67E4B"
	ColorCondemns    = "#A50026"
)

// DefaultVocabulary is the stance scale of the design notes: endorses/defends/supports +2,
// accepts with reservations +1, defers/neutral 0, no comment 0 (kept distinct), concerned -1,
// condemns -2.
func DefaultVocabulary() Vocabulary {
	return Vocabulary{
		{Word: "defends", Score: 2, Color: ColorSupport, Synonyms: []string{"endorses", "supports", "justifies"}},
		{Word: "accepts with reservations", Score: 1, Color: ColorReservation, Synonyms: []string{"reservations", "qualified support"}},
		{Word: "defers", Score: 0, Color: ColorNeutral, Synonyms: []string{"neutral", "defer"}},
		{Word: "no comment", Score: 0, Color: ColorNoComment, NoComment: true, Synonyms: []string{"declined to comment", "declines to comment", "no-comment"}},
		{Word: "concerned", Score: -1, Color: ColorConcerned, Synonyms: []string{"concern", "expresses concern", "distances itself"}},
		{Word: "condemns", Score: -2, Color: ColorCondemns, Synonyms: []string{"condemn", "condemned", "opposes", "rejects"}},
	}
}

// Lookup finds the definition of a stance word, by word or synonym, ignoring case and spaces.
func (v Vocabulary) Lookup(word string) (StanceDef, bool) {
	w := norm(word)
	if w == "" {
		return StanceDef{}, false
	}
	for _, d := range v {
		if norm(d.Word) == w {
			return d, true
		}
		for _, s := range d.Synonyms {
			if norm(s) == w {
				return d, true
			}
		}
	}
	return StanceDef{}, false
}

// Validate checks that words are unique (synonyms included), scores lie in -2..+2 and colours
// are #rrggbb.
func (v Vocabulary) Validate() error {
	seen := map[string]string{}
	for _, d := range v {
		if norm(d.Word) == "" {
			return fmt.Errorf("stance vocabulary: a word is empty: %w", ErrInvalid)
		}
		if d.Score < -2 || d.Score > 2 {
			return fmt.Errorf("stance %q: score %d is outside -2..+2: %w", d.Word, d.Score, ErrInvalid)
		}
		if !validColor(d.Color) {
			return fmt.Errorf("stance %q: colour %q is not #rrggbb: %w", d.Word, d.Color, ErrInvalid)
		}
		for _, w := range append([]string{d.Word}, d.Synonyms...) {
			if prev, ok := seen[norm(w)]; ok {
				return fmt.Errorf("stance word %q is used by both %q and %q: %w", w, prev, d.Word, ErrInvalid)
			}
			seen[norm(w)] = d.Word
		}
	}
	return nil
}

func validColor(c string) bool {
	if len(c) != 7 || c[0] != '#' {
		return false
	}
	return strings.Trim(strings.ToLower(c[1:]), "0123456789abcdef") == ""
}
