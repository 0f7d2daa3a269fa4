package app

import (
	"strings"
	"testing"

	"sitrep/data"
)

func TestIncidentSentenceLeavesOutEmptyFields(t *testing.T) {
	tests := []struct {
		r    data.Incident
		want string
	}{
		{data.Incident{Date: data.Day(2025, 9, 2), Theatre: "Caribbean", Location: "off Venezuela", Actor: "United States",
			Target: "a speedboat", Killed: data.Exactly(11), Survivors: data.Exactly(0), Confidence: "official claim", Source: "White House"},
			"2 Sep 2025 — Caribbean, off Venezuela: United States struck a speedboat; killed 11; survivors 0 (official claim). Source: White House"},
		{data.Incident{Date: data.Day(2025, 9, 2), Killed: data.Between(2, 4)},
			"2 Sep 2025: killed 2–4."},
		{data.Incident{Date: data.Day(2025, 9, 2), Actor: "United States"},
			"2 Sep 2025: strike by United States."},
		{data.Incident{Date: data.Day(2025, 9, 2), Location: "Red Sea", Target: "a tanker"},
			"2 Sep 2025 — Red Sea: strike on a tanker."},
	}
	for _, tc := range tests {
		got := incidentSentence(&tc.r)
		if got != tc.want {
			t.Errorf("got  %q\nwant %q", got, tc.want)
		}
		if strings.Contains(got, "—,") || strings.Contains(got, ": —") || strings.Contains(got, "Source: —") {
			t.Errorf("dash for an empty field: %q", got)
		}
	}
}
