package importers

import (
	"strconv"
	"strings"
	"unicode"

	"sitrep/data"
)

// Fields read from headers by meaning (see the package doc, "Reading a header by meaning").
const (
	FieldAdmin1 Field = "admin1"
	FieldAdmin2 Field = "admin2"
	// FieldEvents is a count column (strikes, air raids, attacks, number of events) that says
	// how many strikes or events the row stands for.
	FieldEvents Field = "events"
	// Date parts: a date split into year, month (number or name) and day columns.
	FieldYear     Field = "year"
	FieldMonth    Field = "month"
	FieldDay      Field = "day"
	FieldEndYear  Field = "end_year"
	FieldEndMonth Field = "end_month"
	FieldEndDay   Field = "end_day"
)

// measureWords name what a casualty column counts, in English, Spanish and French. "victims"
// is a weak word: it counts the dead only when no column names them more precisely (in
// "fatalities, injured, total_victims" the victims are the dead and the injured together).
var measureWords = map[string]string{
	"killed": "killed", "kill": "killed", "kills": "killed", "deaths": "killed", "death": "killed",
	"dead": "killed", "died": "killed", "fatalities": "killed", "fatality": "killed", "fatal": "killed",
	"deceased": "killed", "muertos": "killed", "muertes": "killed", "muerto": "killed",
	"fallecidos": "killed", "fallecidas": "killed", "asesinados": "killed", "tués": "killed", "tues": "killed",
	"morts": "killed", "mort": "killed", "décès": "killed", "deces": "killed", "décédés": "killed", "decedes": "killed",
	"victims": "victims", "victim": "victims", "víctimas": "victims", "victimas": "victims", "victimes": "victims",
	"víctima": "victims", "victima": "victims",
	"injured": "injured", "injuries": "injured", "wounded": "injured", "hurt": "injured", "heridos": "injured",
	"herido": "injured", "lesionados": "injured", "blessés": "injured", "blesses": "injured", "blessé": "injured",
	"missing": "missing", "disappeared": "missing", "desaparecidos": "missing", "disparus": "missing",
	"survivors": "survivors", "survived": "survivors", "rescued": "survivors", "sobrevivientes": "survivors",
	"supervivientes": "survivors", "survivants": "survivors",
}

// endWords say which end of a range, or which estimate, a column holds.
var endWords = map[string]string{
	"min": "min", "minimum": "min", "low": "min", "lowest": "min", "mín": "min", "mínimo": "min", "minimo": "min",
	"max": "max", "maximum": "max", "high": "max", "highest": "max", "máx": "max", "máximo": "max", "maximo": "max",
	"best": "best", "estimate": "best",
	"total": "total", "totals": "total", "sum": "total", "all": "total", "overall": "total", "todos": "total",
	"todas": "total", "tous": "total",
}

// headerFiller are words that say nothing about what a column counts.
var headerFiller = map[string]bool{"people": true, "persons": true, "number": true, "of": true, "no": true,
	"nb": true, "n": true, "num": true, "nr": true, "reported": true, "estimated": true, "est": true, "the": true,
	"count": true, "counts": true, "casualties": true, "casualities": true, "casualty": true, "personas": true,
	"de": true, "des": true, "du": true, "la": true, "le": true, "los": true, "las": true, "del": true,
	"nombre": true, "numero": true, "número": true, "cantidad": true, "affected": true, "individuals": true,
	"in": true, "and": true, "y": true, "et": true, "d": true, "l": true}

// populationWords name who a casualty column counts when the header has no measure ("Civilians"
// beside "Total_Died"): such a column is a category of the sheet's killed figure.
var populationWords = map[string]bool{"civilians": true, "civilian": true, "civiles": true, "civils": true,
	"children": true, "child": true, "kids": true, "minors": true, "niños": true, "ninos": true, "enfants": true,
	"women": true, "mujeres": true, "femmes": true, "men": true, "hombres": true, "hommes": true,
	"soldiers": true, "troops": true, "military": true, "militares": true, "militaires": true, "police": true,
	"policemen": true, "policías": true, "policias": true, "militants": true, "combatants": true, "fighters": true,
	"insurgents": true, "rebels": true, "suspects": true, "journalists": true, "aid": true, "workers": true,
	"humanitarian": true, "staff": true, "peacekeepers": true, "foreigners": true, "security": true, "forces": true,
	"government": true, "side": true, "a": true, "b": true, "unknown": true, "others": true, "other": true}

// eventWords name a count of strikes or events: a column of them weights its row.
var eventWords = map[string]bool{"strikes": true, "strike": true, "raids": true, "raid": true, "attacks": true,
	"attack": true, "events": true, "event": true, "incidents": true, "blasts": true, "blast": true,
	"bombings": true, "explosions": true, "sorties": true, "operations": true, "casos": true, "caso": true,
	"cases": true, "ataques": true, "frappes": true, "attaques": true}

// notCountWords make a header something other than a count: "Ratio of Civilians to Total
// Killed", "% killed".
var notCountWords = map[string]bool{"ratio": true, "percent": true, "percentage": true, "share": true,
	"rate": true, "proportion": true, "pct": true, "porcentaje": true, "tasa": true, "taux": true, "average": true,
	"mean": true, "median": true, "code": true, "cod": true, "codigo": true, "código": true, "id": true}

// countingWords say a header counts something ("No_of_Strike", "number of events").
var countingWords = map[string]bool{"number": true, "no": true, "nb": true, "n": true, "num": true, "nr": true,
	"count": true, "numero": true, "número": true, "cantidad": true, "nombre": true}

// eventQualifiers may stand beside an event word ("No. of Suicide Blasts", "air raids").
var eventQualifiers = map[string]bool{"air": true, "airstrikes": true, "suicide": true, "drone": true,
	"missile": true, "total": true, "aereos": true, "aéreos": true}

var admin1Words = map[string]bool{"province": true, "provinces": true, "state": true, "governorate": true,
	"departamento": true, "department": true, "departement": true, "département": true, "provincia": true,
	"estado": true, "division": true, "oblast": true, "wilaya": true, "prefecture": true, "adm1": true,
	"admin1": true, "muhafazah": true, "canton": true, "region1": true}

var admin2Words = map[string]bool{"district": true, "county": true, "municipio": true, "municipality": true,
	"municipalité": true, "municipalite": true, "commune": true, "adm2": true, "admin2": true, "raion": true,
	"rayon": true, "tehsil": true, "upazila": true, "agency": true, "distrito": true}

// splitWords splits a header into lower-case words at spaces, punctuation, case changes
// ("SideADeaths": side a deaths) and between letters and digits ("StartYear1": start year 1).
// Parenthesised parts are left out.
func splitWords(h string) []string {
	h, _ = stripParens(h)
	h, _ = stripParens(h)
	var words []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			words = append(words, strings.ToLower(string(cur)))
			cur = cur[:0]
		}
	}
	rs := []rune(h)
	for i, r := range rs {
		switch {
		case unicode.IsLetter(r):
			if len(cur) > 0 {
				prev := cur[len(cur)-1]
				switch {
				case unicode.IsDigit(prev):
					flush()
				case unicode.IsUpper(r) && unicode.IsLower(prev):
					flush() // sideA -> side A
				case unicode.IsUpper(r) && unicode.IsUpper(prev) && i+1 < len(rs) && unicode.IsLower(rs[i+1]):
					flush() // SideADeaths -> Side A Deaths
				}
			}
			cur = append(cur, r)
		case unicode.IsDigit(r):
			if len(cur) > 0 && !unicode.IsDigit(cur[len(cur)-1]) {
				w := strings.ToLower(string(cur))
				// "adm1", "admin2" are words of their own.
				if w != "adm" && w != "admin" && w != "region" {
					flush()
				}
			}
			cur = append(cur, r)
		default:
			flush()
		}
	}
	flush()
	return words
}

// headerMeaning is what a header says by its words.
type headerMeaning struct {
	measure  string // killed, victims, injured, missing, survivors; "" when none
	end      string // min, max, best, total; ""
	category string // the other words: a population or side ("civilians", "side A")
	// population is true when the header is only population words ("Civilians").
	population bool
	events     bool
	weekday    bool
	datePart   Field // FieldYear, FieldMonth, FieldDay or their end forms
	episode    int   // the number after a date part ("StartYear1": 1); 0 when none
	admin      Field // FieldAdmin1 or FieldAdmin2
}

// readMeaning reads a header by its words (see the package doc).
func readMeaning(h string) headerMeaning {
	words := splitWords(h)
	var m headerMeaning
	if len(words) == 0 {
		return m
	}
	var rest []string
	allPop := true
	hasEvent, onlyEventWords, counted := false, true, false
	for _, w := range words {
		if notCountWords[w] {
			return headerMeaning{} // a ratio, a share, a rate: not a count
		}
		if eventWords[w] {
			// "Air strike?" is a yes/no flag; "strikes" and "No_of_Strike" count.
			hasEvent = hasEvent || strings.HasSuffix(w, "s") || counted
		} else if countingWords[w] {
			counted = true
		} else if !eventQualifiers[w] && !headerFiller[w] {
			onlyEventWords = false
		}
		switch {
		case measureWords[w] != "" && m.measure == "":
			m.measure = measureWords[w]
		case endWords[w] != "":
			if m.end == "" || m.end == "total" {
				m.end = endWords[w]
			}
		case headerFiller[w]:
		default:
			rest = append(rest, w)
			if !populationWords[w] {
				allPop = false
			}
		}
	}
	if len(words) == 1 && (words[0] == "number" || words[0] == "count") {
		// A bare "number" beside dates and places counts events; a row number is vetoed by
		// its content (1, 2, 3...).
		hasEvent, onlyEventWords = true, true
	}
	if hasEvent && onlyEventWords && m.measure == "" {
		m.events = true
		return m
	}
	if m.measure != "" {
		m.category = categoryLabel(rest)
		return m
	}
	if len(rest) > 0 && allPop && m.end == "" {
		m.population = true
		m.category = categoryLabel(rest)
		return m
	}
	if len(rest) == 0 && m.end != "" && m.end != "total" {
		return m // a bare end of a range ("low", "best", "high"): resolved per sheet
	}
	m.end = ""
	m.datePart, m.episode, m.weekday = readDatePart(words)
	if m.datePart == "" && !m.weekday && len(words) <= 2 {
		for _, w := range words {
			switch {
			case admin1Words[w]:
				m.admin = FieldAdmin1
			case admin2Words[w]:
				m.admin = FieldAdmin2
			}
		}
		if len(words) == 2 && m.admin != "" && !strings.HasPrefix(words[1], "name") && words[0] != "adm" && words[0] != "admin" {
			// "province code" is not a province; "adm 1" is.
			if words[1] != "1" && words[1] != "2" {
				m.admin = ""
			}
		}
		if len(words) == 2 && (words[0] == "adm" || words[0] == "admin") {
			switch words[1] {
			case "1":
				m.admin = FieldAdmin1
			case "2":
				m.admin = FieldAdmin2
			}
		}
	}
	return m
}

// categoryLabel turns the words left beside a measure into a category name: a lone letter is
// a side ("deaths_a": "side A").
func categoryLabel(words []string) string {
	if len(words) == 0 {
		return ""
	}
	if len(words) == 1 && len(words[0]) == 1 && words[0][0] >= 'a' && words[0][0] <= 'z' {
		return "side " + strings.ToUpper(words[0])
	}
	if len(words) == 2 && words[0] == "side" && len(words[1]) == 1 {
		return "side " + strings.ToUpper(words[1])
	}
	return strings.Join(words, " ")
}

var yearWords = map[string]bool{"year": true, "yr": true, "iyear": true, "año": true, "ano": true, "anio": true,
	"année": true, "annee": true, "jahr": true}
var monthWords = map[string]bool{"month": true, "imonth": true, "mes": true, "mois": true, "monat": true}
var dayWords = map[string]bool{"day": true, "iday": true, "día": true, "dia": true, "jour": true, "tag": true}
var weekdayWords = map[string]bool{"weekday": true, "dow": true, "wday": true, "week": true, "semana": true, "semaine": true}

// readDatePart reads a date-part header: "Year", "StartMonth1", "EndDay1", "MonthT", "iday".
// A weekday column ("Week_Day") is never a date part.
func readDatePart(words []string) (Field, int, bool) {
	var part Field
	end, episode := false, 0
	for _, w := range words {
		switch {
		case weekdayWords[w]:
			return "", 0, true
		case yearWords[w]:
			part = FieldYear
		case monthWords[w]:
			part = FieldMonth
		case dayWords[w]:
			part = FieldDay
		case w == "end" || w == "fin" || w == "until":
			end = true
		case w == "start" || w == "begin" || w == "inicio" || w == "debut" || w == "début":
		case w == "name" || w == "t" || w == "of" || w == "number" || w == "no":
		case isDigits(w):
			episode, _ = strconv.Atoi(w)
		default:
			return "", 0, false
		}
	}
	if part != "" && end {
		part = "end_" + part
	}
	return part, episode, false
}

// isCategoryField reports whether f is a casualty category ("killed/civilians",
// "killed/civilians_min") and returns its measure, category and end ("", "min", "max").
func isCategoryField(f Field) (measure, category, end string, ok bool) {
	s := string(f)
	i := strings.IndexByte(s, '/')
	if i <= 0 {
		return "", "", "", false
	}
	measure, category = s[:i], s[i+1:]
	if c, found := strings.CutSuffix(category, "_min"); found {
		category, end = c, "min"
	} else if c, found := strings.CutSuffix(category, "_max"); found {
		category, end = c, "max"
	}
	switch measure {
	case data.MeasureKilled, data.MeasureInjured, data.MeasureMissing, data.MeasureSurvivors:
		return measure, category, end, category != ""
	}
	return "", "", "", false
}

// categoryField names the field of a casualty category.
func categoryField(measure, category, end string) Field {
	f := measure + "/" + category
	if end == "min" || end == "max" {
		f += "_" + end
	}
	return Field(f)
}

// Estimate categories: the ends of an estimate kept beside the best figure.
const (
	categoryLowEstimate  = "lowest estimate"
	categoryHighEstimate = "highest estimate"
)

// readByMeaning maps, for incidents, the columns the synonym lists left: casualty columns by
// their words (measure, end of range, population), places by administrative level, date
// parts, and count columns that weight a row. It returns the fields it added.
func readByMeaning(headers []string, m Mapping) []Field {
	used := map[int]bool{}
	for _, c := range m {
		used[c] = true
	}
	var added []Field
	put := func(f Field, c int) {
		if _, taken := m[f]; taken || used[c] {
			return
		}
		m[f] = c
		used[c] = true
		added = append(added, f)
	}
	means := make([]headerMeaning, len(headers))
	strong := false // a column names the dead precisely
	for c, h := range headers {
		means[c] = readMeaning(h)
		if means[c].measure == "killed" && !used[c] {
			strong = true
		}
	}
	for f := range m {
		if b, ok := isCountField(f); ok && b == "killed" {
			strong = true
		}
	}
	measures := map[string]bool{}
	for f := range m {
		if b, ok := isCountField(f); ok && b != "vessels" && b != "strikes" {
			measures[b] = true
		}
	}
	// Casualty columns with a measure.
	for c, mm := range means {
		if used[c] || mm.measure == "" {
			continue
		}
		measure := mm.measure
		if measure == "victims" {
			if strong {
				continue // "total_victims" beside "fatalities": the dead and the injured together
			}
			measure = "killed"
		}
		measures[measure] = true
		switch {
		case mm.category != "":
			put(categoryField(measure, mm.category, mm.end), c)
		case mm.end == "min":
			put(Field(measure+"_min"), c)
		case mm.end == "max":
			put(Field(measure+"_max"), c)
		default:
			put(Field(measure), c)
		}
	}
	// A bare end word ("low", "best", "high") belongs to the sheet's one measure.
	if len(measures) == 1 {
		var measure string
		for k := range measures {
			measure = k
		}
		for _, end := range []string{"best", "min", "max"} {
			for c, mm := range means {
				if used[c] || mm.measure != "" || mm.category != "" || mm.end != end {
					continue
				}
				switch end {
				case "best":
					if _, ok := m[Field(measure)]; ok {
						put(categoryField(measure, "best estimate", ""), c)
					} else {
						put(Field(measure), c)
					}
				case "min":
					put(categoryField(measure, categoryLowEstimate, ""), c)
				case "max":
					put(categoryField(measure, categoryHighEstimate, ""), c)
				}
			}
		}
	}
	// Population-only columns ("Civilians") beside a killed column are categories of it.
	if measures["killed"] {
		for c, mm := range means {
			if !used[c] && mm.population {
				put(categoryField("killed", mm.category, ""), c)
			}
		}
	}
	for c, mm := range means {
		switch {
		case used[c]:
		case mm.events:
			put(FieldEvents, c)
		case mm.admin != "":
			put(mm.admin, c)
		}
	}
	// Date parts, when no column holds whole dates (or the only one is a "Day" column).
	dateCol, hasDate := m[FieldDate]
	dayAsDate := hasDate && means[dateCol].datePart == FieldDay
	if !hasDate || dayAsDate {
		parts := map[Field]int{}
		for c, mm := range means {
			if mm.datePart == "" || (used[c] && !(dayAsDate && c == dateCol)) || mm.episode > 1 {
				continue
			}
			if _, ok := parts[mm.datePart]; !ok {
				parts[mm.datePart] = c
			}
		}
		if _, ok := parts[FieldYear]; ok {
			if dayAsDate {
				delete(m, FieldDate)
				used[dateCol] = false
			}
			for _, f := range []Field{FieldYear, FieldMonth, FieldDay, FieldEndYear, FieldEndMonth, FieldEndDay} {
				if c, ok := parts[f]; ok {
					put(f, c)
				}
			}
		}
	}
	return added
}

// FieldLabel names a field as words, for the preview and the audit: "Killed, lowest",
// "Killed, civilians", "Year".
func FieldLabel(f Field) string {
	if measure, category, end, ok := isCategoryField(f); ok {
		s := strings.ToUpper(measure[:1]) + measure[1:] + ", " + category
		switch end {
		case "min":
			s += ", lowest"
		case "max":
			s += ", highest"
		}
		return s
	}
	if base, ok := isCountField(f); ok {
		s := strings.ToUpper(base[:1]) + base[1:]
		switch {
		case strings.HasSuffix(string(f), "_min"):
			s += ", lowest"
		case strings.HasSuffix(string(f), "_max"):
			s += ", highest"
		}
		return s
	}
	if l, ok := fieldLabels[f]; ok {
		return l
	}
	s := strings.ReplaceAll(string(f), "_", " ")
	if s == "" {
		return ""
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

var fieldLabels = map[Field]string{
	FieldID: "Id", FieldDate: "Date", FieldDateEnd: "End date", FieldAsOf: "As of", FieldTheatre: "Theatre",
	FieldCountry: "Country", FieldAdmin1: "Region (admin 1)", FieldAdmin2: "District (admin 2)",
	FieldLocation: "Place", FieldLat: "Latitude", FieldLon: "Longitude", FieldLatLon: "Latitude, longitude",
	FieldEvents: "Strikes or events in the row", FieldYear: "Year", FieldMonth: "Month", FieldDay: "Day of month",
	FieldEndYear: "End year", FieldEndMonth: "End month", FieldEndDay: "End day of month",
	FieldAllegedAffiliation: "Alleged affiliation", FieldAnnouncedBy: "Announced by", FieldIncidentIDs: "Incident ids",
}

// IsCasualtyCategory reports whether f names a casualty category ("killed/civilians",
// "injured/children_min"): a field --map and the preview may give any number of columns.
func IsCasualtyCategory(f Field) bool {
	_, _, _, ok := isCategoryField(f)
	return ok
}
