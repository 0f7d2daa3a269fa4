package importers

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"unicode"
	"unicode/utf8"

	"sitrep/data"
)

// KindIgnored is the kind of a sheet that is not imported.
const KindIgnored data.Kind = "ignored"

// Field is a record field a column can map to. Its names are the canonical headers of the
// demo data (killed_min, announced_by...), plus "killed" (one figure for both ends of the
// range), "latlon" (one "lat,long" cell) and "date_end".
type Field string

// Fields of incidents, statements and tallies.
const (
	FieldID                 Field = "id"
	FieldDate               Field = "date"
	FieldDateEnd            Field = "date_end"
	FieldAsOf               Field = "as_of"
	FieldTheatre            Field = "theatre"
	FieldCountry            Field = "country"
	FieldLocation           Field = "location"
	FieldLat                Field = "lat"
	FieldLon                Field = "lon"
	FieldLatLon             Field = "latlon"
	FieldActor              Field = "actor"
	FieldTarget             Field = "target"
	FieldAllegedAffiliation Field = "alleged_affiliation"
	FieldAnnouncedBy        Field = "announced_by"
	FieldConfidence         Field = "confidence"
	FieldSource             Field = "source"
	FieldNotes              Field = "notes"
	FieldSpeaker            Field = "speaker"
	FieldRole               Field = "role"
	FieldTopic              Field = "topic"
	FieldStance             Field = "stance"
	FieldQuote              Field = "quote"
	FieldChannel            Field = "channel"
	FieldIncidentIDs        Field = "incident_ids"
	FieldClaimant           Field = "claimant"
	FieldScope              Field = "scope"
)

// countBases are the count fields; each also exists as BASE_min and BASE_max.
var countBases = map[data.Kind][]string{
	data.KindIncident: {"killed", "survivors", "missing", "injured", "vessels"},
	data.KindTally:    {"strikes", "killed", "survivors"},
}

// synonyms lists, per kind and field, the normalised headers that map to it, best first.
var synonyms = map[data.Kind]map[Field][]string{
	data.KindIncident: {
		FieldID:                 {"id", "strike id", "incident id", "event id", "record id", "ref", "reference", "uid", "identifier", "meta id", "event code"},
		FieldDate:               {"date", "event date", "incident date", "date of strike", "date of incident", "date of attack", "date of event", "start date", "date start", "day", "when", "fecha", "fecha hecho", "fecha del hecho", "fecha de los hechos", "fecha evento", "fecha incidente", "date de l incident", "date de l evenement", "date de l événement", "datum"},
		FieldDateEnd:            {"date end", "end date", "end", "until", "last date", "date end"},
		FieldTheatre:            {"theatre", "theater", "region", "theatre of operations", "area of operations", "zone", "mission", "mission acronym", "mission name", "peacekeeping mission", "operation"},
		FieldCountry:            {"country", "nation", "country name", "country code", "pais", "país", "pays"},
		FieldLocation:           {"most specific location", "location", "place", "site", "locality", "city", "village", "town", "location name", "place name", "where", "village local area", "loc", "location country"},
		FieldLat:                {"latitude", "lat", "geo lat"},
		FieldLon:                {"longitude", "long", "lon", "lng", "geo lon", "geo long"},
		FieldLatLon:             {"most specific lat long", "lat long", "latlong", "lat lon", "lat lng", "latitude longitude", "coordinates", "coords", "coordinate", "gps", "geo coord", "lat long of location", "location coordinates"},
		FieldActor:              {"actor", "perpetrator", "attacker", "striker", "who struck", "struck by", "carried out by", "attacking force", "belligerent"},
		FieldTarget:             {"target", "target type", "reported target type", "description of target", "targeted", "vessel type", "target description"},
		FieldAllegedAffiliation: {"alleged affiliation", "affiliation", "alleged group", "reported target group", "target group", "group", "cartel"},
		FieldAnnouncedBy:        {"announced by", "announced", "announcement", "claimed by", "reported by", "announcer"},
		FieldConfidence:         {"confidence", "certainty", "status", "confirmation", "us confirmation", "verification"},
		FieldSource:             {"source", "sources", "url", "link", "links", "source url", "source link", "strike link", "reference url", "citation", "citations", "meta source", "meta url"},
		FieldNotes:              {"notes", "note", "comments", "comment", "remarks", "description", "summary", "details", "narrative"},
	},
	data.KindStatement: {
		FieldID:          {"id", "statement id", "quote id", "quoteid", "ref", "reference", "identifier"},
		FieldDate:        {"date", "date of statement", "statement date", "day", "when"},
		FieldActor:       {"actor", "country", "government", "state", "organisation", "organization", "party", "entity", "institution", "member veto1", "member veto", "vetoing member", "org"},
		FieldSpeaker:     {"speaker", "politician", "person", "official", "spokesperson", "spokesman", "said by", "author", "representative", "name"},
		FieldRole:        {"role", "title", "office", "function", "position held"},
		FieldTopic:       {"topic", "subject", "issue", "theme", "crisis topic", "agenda item"},
		FieldStance:      {"stance", "position", "attitude", "stance word"},
		FieldQuote:       {"quote", "quotation", "statement", "text", "what was said", "words", "excerpt", "content"},
		FieldChannel:     {"channel", "medium", "venue", "platform", "outlet", "via", "forum"},
		FieldSource:      {"source", "sources", "url", "link", "links", "source url", "citation", "meta source", "meta url"},
		FieldNotes:       {"notes", "note", "comments", "comment", "remarks", "description", "summary", "details"},
		FieldIncidentIDs: {"incident ids", "incident id", "incidents", "linked incidents", "related incidents"},
	},
	data.KindTally: {
		FieldID:       {"id", "tally id", "ref", "reference", "identifier"},
		FieldAsOf:     {"as of", "as at", "as of date", "date as of", "date", "reported on", "published"},
		FieldClaimant: {"claimant", "claimed by", "published by", "tracker", "by", "who"},
		FieldScope:    {"scope", "theatre", "theater", "region", "area", "coverage"},
		FieldSource:   {"source", "sources", "url", "link", "source url", "citation"},
		FieldNotes:    {"notes", "note", "comments", "comment", "remarks", "description"},
	},
}

// countSynonyms are the normalised names of count bases, after min/max words and filler words
// ("people", "total", "number of", "reported") are removed.
var countSynonyms = map[string][]string{
	"killed":    {"killed", "deaths", "dead", "fatalities", "death toll", "deaths total", "killed total", "affected killed"},
	"survivors": {"survivors", "survived", "rescued", "affected survivors"},
	"missing":   {"missing", "affected missing"},
	"injured":   {"injured", "wounded", "injuries", "affected injured"},
	"vessels":   {"vessels", "boats", "vessels struck", "boats struck", "vessel count"},
	"strikes":   {"strikes", "strike count", "strikes total"},
}

var fillerWords = map[string]bool{"people": true, "total": true, "number": true, "of": true, "no": true,
	"reported": true, "persons": true, "estimated": true, "est": true, "the": true, "count": true, "num": true, "nb": true, "n": true}

var minWords = map[string]bool{"min": true, "minimum": true, "lowest": true, "low": true, "from": true}
var maxWords = map[string]bool{"max": true, "maximum": true, "highest": true, "high": true}

// lookup maps a normalised header to a field of kind, with a rank (lower is better).
type lookupEntry struct {
	field Field
	rank  int
}

var lookups = map[data.Kind]map[string]lookupEntry{}
var countLookup = map[string]string{}

func init() {
	for kind, fields := range synonyms {
		m := map[string]lookupEntry{}
		for f, names := range fields {
			for i, n := range names {
				if _, dup := m[n]; !dup {
					m[n] = lookupEntry{f, i}
				}
			}
		}
		lookups[kind] = m
	}
	for base, names := range countSynonyms {
		for _, n := range names {
			countLookup[n] = base
		}
	}
}

// Normalize lowercases a header and turns every run of characters that are not letters or
// digits (spaces, newlines, slashes, underscores, punctuation) into one space.
func Normalize(s string) string {
	if isNormal(s) {
		return s
	}
	return string(appendNormalized(make([]byte, 0, len(s)), s))
}

// isNormal reports whether Normalize(s) == s for ASCII s: lower-case letters and digits,
// single spaces between them.
func isNormal(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z' || '0' <= c && c <= '9':
		case c == ' ' && i > 0 && i < len(s)-1 && s[i-1] != ' ':
		default:
			return false
		}
	}
	return true
}

// appendNormalized appends Normalize(s) to b without allocating, ASCII on a fast path.
func appendNormalized(b []byte, s string) []byte {
	start := len(b)
	space := false
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			switch {
			case 'a' <= c && c <= 'z' || '0' <= c && c <= '9':
			case 'A' <= c && c <= 'Z':
				c += 'a' - 'A'
			default:
				space = true
				continue
			}
			if space && len(b) > start {
				b = append(b, ' ')
			}
			space = false
			b = append(b, c)
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if space && len(b) > start {
				b = append(b, ' ')
			}
			space = false
			b = utf8.AppendRune(b, unicode.ToLower(r))
		} else {
			space = true
		}
	}
	return b
}

// stripParens removes parenthesised parts: "Date (MM-DD-YYYY)" -> "Date ".
func stripParens(s string) (string, string) {
	i := strings.IndexByte(s, '(')
	if i < 0 {
		return s, ""
	}
	j := strings.IndexByte(s[i:], ')')
	if j < 0 {
		return s[:i], s[i+1:]
	}
	return s[:i] + " " + s[i+j+1:], s[i+1 : i+j]
}

// MatchHeader returns the field of kind that a header maps to, and a rank (lower is a better
// match), or "" when it maps to none.
func MatchHeader(kind data.Kind, header string) (Field, int) {
	h := strings.TrimSpace(header)
	if h == "" {
		return "", 0
	}
	if f, r := matchNorm(kind, Normalize(h)); f != "" {
		return f, r
	}
	if base, _ := stripParens(h); base != h {
		if f, r := matchNorm(kind, Normalize(base)); f != "" {
			return f, r + 1
		}
	}
	return "", 0
}

func matchNorm(kind data.Kind, n string) (Field, int) {
	if n == "" {
		return "", 0
	}
	if e, ok := lookups[kind][n]; ok {
		return e.field, e.rank
	}
	// Count fields: drop filler and min/max words, then look the rest up.
	words := strings.Fields(n)
	var rest []string
	suffix := ""
	for _, w := range words {
		switch {
		case minWords[w]:
			suffix = "_min"
		case maxWords[w]:
			suffix = "_max"
		case fillerWords[w]:
		default:
			rest = append(rest, w)
		}
	}
	base, ok := countLookup[strings.Join(rest, " ")]
	if !ok {
		return "", 0
	}
	for _, b := range countBases[kind] {
		if b == base {
			return Field(base + suffix), len(words) - len(rest)
		}
	}
	return "", 0
}

// isCountField reports whether f is a count (base, _min or _max) and returns its base.
func isCountField(f Field) (string, bool) {
	s := string(f)
	s = strings.TrimSuffix(strings.TrimSuffix(s, "_min"), "_max")
	for _, bases := range countBases {
		for _, b := range bases {
			if b == s {
				return b, true
			}
		}
	}
	return "", false
}

// KnownFields lists the fields a sheet of kind can map, for help texts and drop-downs.
func KnownFields(kind data.Kind) []Field {
	var out []Field
	for _, f := range fieldOrder {
		if _, ok := synonyms[kind][f]; ok {
			out = append(out, f)
		}
	}
	for _, b := range countBases[kind] {
		out = append(out, Field(b), Field(b+"_min"), Field(b+"_max"))
	}
	if kind == data.KindIncident {
		out = append(out, FieldAdmin1, FieldAdmin2, FieldEvents, FieldYear, FieldMonth, FieldDay, FieldEndYear, FieldEndMonth, FieldEndDay)
	}
	return out
}

var fieldOrder = []Field{FieldID, FieldDate, FieldDateEnd, FieldAsOf, FieldClaimant, FieldScope, FieldTheatre,
	FieldCountry, FieldLocation, FieldLat, FieldLon, FieldLatLon, FieldActor, FieldSpeaker, FieldRole, FieldTopic,
	FieldStance, FieldQuote, FieldChannel, FieldTarget, FieldAllegedAffiliation, FieldAnnouncedBy, FieldConfidence,
	FieldIncidentIDs, FieldSource, FieldNotes}

// validField reports whether f is a field of kind.
func validField(kind data.Kind, f Field) bool {
	if _, _, _, ok := isCategoryField(f); ok && kind == data.KindIncident {
		return true
	}
	for _, k := range KnownFields(kind) {
		if k == f {
			return true
		}
	}
	return false
}

// Mapping maps fields to 0-based columns.
type Mapping map[Field]int

// mapHeaders maps a header row for kind: each field goes to the best-ranked column (the
// leftmost on ties); a column maps to at most one field.
func mapHeaders(kind data.Kind, headers []string) (Mapping, int) {
	type cand struct{ col, rank int }
	best := map[Field]cand{}
	for c, h := range headers {
		f, r := MatchHeader(kind, h)
		if f == "" {
			continue
		}
		if b, ok := best[f]; !ok || r < b.rank {
			best[f] = cand{c, r}
		}
	}
	m := Mapping{}
	score := 0
	for f, c := range best {
		m[f] = c.col
		score += fieldWeight(kind, f)
	}
	if kind == data.KindIncident {
		for _, f := range readByMeaning(headers, m) {
			score += fieldWeight(kind, f)
		}
	}
	return m, score
}

func fieldWeight(kind data.Kind, f Field) int {
	if _, ok := isCountField(f); ok {
		return 3
	}
	if _, _, _, ok := isCategoryField(f); ok {
		return 3
	}
	switch kind {
	case data.KindIncident:
		switch f {
		case FieldLocation, FieldLat, FieldLon, FieldLatLon, FieldTarget, FieldAllegedAffiliation, FieldAnnouncedBy, FieldAdmin1, FieldAdmin2:
			return 3
		}
	case data.KindStatement:
		switch f {
		case FieldStance, FieldQuote, FieldSpeaker, FieldRole, FieldChannel, FieldTopic:
			return 3
		}
	case data.KindTally:
		switch f {
		case FieldClaimant, FieldScope:
			return 3
		case FieldAsOf:
			return 2
		}
	}
	return 1
}

// eligible reports whether a mapping has what a kind needs, or says what is missing.
func eligible(kind data.Kind, m Mapping) (bool, string) {
	has := func(fs ...Field) bool {
		for _, f := range fs {
			if _, ok := m[f]; ok {
				return true
			}
		}
		return false
	}
	hasCount := func() bool {
		for f := range m {
			if _, ok := isCountField(f); ok {
				return true
			}
			if _, _, _, ok := isCategoryField(f); ok && kind == data.KindIncident {
				return true
			}
		}
		return false
	}
	switch kind {
	case data.KindIncident:
		if !has(FieldDate, FieldYear) {
			return false, "no date column"
		}
		if !hasCount() && !has(FieldLocation, FieldLat, FieldLatLon, FieldTarget, FieldTheatre, FieldCountry, FieldActor, FieldAdmin1, FieldAdmin2) {
			return false, "no column for places, targets or casualties"
		}
	case data.KindStatement:
		if !has(FieldDate) {
			return false, "no date column"
		}
		if !has(FieldActor) {
			return false, "no actor column"
		}
		if !has(FieldStance, FieldQuote, FieldSpeaker, FieldTopic) {
			return false, "no stance, quote, speaker or topic column"
		}
	case data.KindTally:
		if !has(FieldAsOf) {
			return false, "no as-of date column"
		}
		if !has(FieldClaimant) {
			return false, "no claimant column"
		}
		if !hasCount() {
			return false, "no strikes or killed column"
		}
	}
	return true, ""
}

// classify picks the kind whose mapping of headers scores best among the eligible kinds.
func classify(headers []string) (data.Kind, Mapping, int, string) {
	bestKind, bestScore := KindIgnored, 0
	var bestMap Mapping
	why := ""
	for _, k := range data.Kinds {
		m, score := mapHeaders(k, headers)
		ok, reason := eligible(k, m)
		if !ok {
			if k == data.KindIncident {
				why = reason
			}
			continue
		}
		if score > bestScore {
			bestKind, bestScore, bestMap = k, score, m
		}
	}
	if bestKind == KindIgnored {
		return KindIgnored, nil, 0, why
	}
	return bestKind, bestMap, bestScore, ""
}

// isTagRow reports whether a row is an HXL-style tag row: every non-empty cell starts with '#'.
func isTagRow(cells []string) bool {
	n := 0
	for _, c := range cells {
		c = strings.TrimSpace(c)
		if c == "" {
			continue
		}
		if c[0] != '#' {
			return false
		}
		n++
	}
	return n > 0
}

// layoutKey is the settings key of a header layout: a hash of its normalised headers.
func layoutKey(headers []string) string {
	h := sha256.New()
	for _, s := range headers {
		h.Write([]byte(Normalize(s)))
		h.Write([]byte{0x1f})
	}
	return "importers.mapping." + hex.EncodeToString(h.Sum(nil)[:12])
}
