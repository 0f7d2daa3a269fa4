package charts

// titles are the kinds' names for people, as the app's chart picker lists them.
var titles = map[Kind]string{
	KindStrikes:    "Strikes per period, by theatre",
	KindDeaths:     "Deaths per period (range of reported counts)",
	KindCumulative: "Deaths over time, cumulative",
	KindTallies:    "Incident records against published tallies",
}

// Title names the kind for people ("Deaths over time, cumulative"); a kind without a name
// is its own.
func (k Kind) Title() string {
	if t := titles[k]; t != "" {
		return t
	}
	return string(k)
}
