package app

import (
	"strings"

	"sitrep/data"
)

// incidentSentence says an incident in one sentence, leaving out what the record does not
// give instead of writing a dash for it: "2 Sep 2025, Caribbean, off Venezuela: United States
// struck a speedboat; killed 11 (official claim). Source: ..." and, for a record with only a
// date and a toll, "2 Sep 2025: killed 3."
func incidentSentence(r *data.Incident) string {
	var b strings.Builder
	switch {
	case r.Date.IsZero():
		b.WriteString("Undated")
	case r.DateEnd.IsZero() || r.DateEnd == r.Date:
		b.WriteString(r.Date.Label())
	default:
		b.WriteString(r.Date.Label() + " – " + r.DateEnd.Label())
	}
	var where []string
	for _, s := range []string{r.Theatre, r.Location} {
		if s = strings.TrimSpace(s); s != "" {
			where = append(where, s)
		}
	}
	if len(where) > 0 {
		b.WriteString(" — " + strings.Join(where, ", "))
	}
	actor, target := strings.TrimSpace(r.Actor), strings.TrimSpace(r.Target)
	var what []string
	switch {
	case actor != "" && target != "":
		what = append(what, actor+" struck "+target)
	case actor != "":
		what = append(what, "strike by "+actor)
	case target != "":
		what = append(what, "strike on "+target)
	}
	if r.Killed.Known() {
		what = append(what, "killed "+r.Killed.String())
	}
	if r.Survivors.Known() {
		what = append(what, "survivors "+r.Survivors.String())
	}
	if len(what) > 0 {
		b.WriteString(": " + strings.Join(what, "; "))
	}
	if c := strings.TrimSpace(r.Confidence); c != "" {
		b.WriteString(" (" + c + ")")
	}
	b.WriteString(".")
	if s := oneLineText(r.Source); s != "" {
		b.WriteString(" Source: " + s)
	}
	return b.String()
}
