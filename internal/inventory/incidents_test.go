package inventory

import (
	"slices"
	"testing"
	"time"
)

// platform is a small inventory for the incident records to name.
const platform = `
[providers.hostco]
[providers.carrier-a]
[vms.pbx-01]
provider = "hostco"
[services.pbx]
tier = "critical"
runs_on = "pbx-01"
[numbers.num-support]
number = "+33 4 66 00 00 01"
carrier = "carrier-a"
routes_to = "pbx"
[services.support-line]
depends_on = "num-support"
`

func TestParseIncidents(t *testing.T) {
	inv, errs := parse(t, "p.toml", platform, "i.toml", `
[incidents.2026-06-18-hostco]
title = "HostCo outage"
started = 2026-06-18T07:40:00+02:00
ended = 2026-06-18T11:05:00+02:00
failed = ["hostco"]
impacted = ["support-line", "pbx"]
report = "https://wiki.example/2026-06-18"
notes = "customers noticed first"

# An incident may share its ID with an entity: records are a space of their own.
[incidents.hostco]
title = "Near miss"
started = 2026-01-02T10:00:00Z
ended = 2026-01-02T10:30:00Z
failed = ["carrier-a", "pbx-01"]
impacted = []
`)
	if errs != "" {
		t.Fatalf("Parse: %s", errs)
	}
	if len(inv.Incidents) != 2 {
		t.Fatalf("Incidents = %d, want 2", len(inv.Incidents))
	}
	in := inv.Incidents[0]
	if in.ID != "2026-06-18-hostco" || in.Title != "HostCo outage" || in.Report != "https://wiki.example/2026-06-18" || in.Notes != "customers noticed first" {
		t.Errorf("incident = %+v", in)
	}
	if in.Duration() != 205*time.Minute {
		t.Errorf("Duration = %v, want 3h25m", in.Duration())
	}
	if got := inv.IDsOf(in.Impacted); !slices.Equal(got, []string{"pbx", "support-line"}) {
		t.Errorf("Impacted = %v, want ascending [pbx support-line]", got)
	}
	if in.ImpactedPos[0].Line != 7 || in.ImpactedPos[0].Col != 29 {
		t.Errorf("pbx written at %v, want i.toml:7:29", in.ImpactedPos[0])
	}
	if in.Pos.Line != 2 || in.Pos.Col != 12 {
		t.Errorf("incident declared at %v, want line 2 col 12", in.Pos)
	}
	near := inv.Incidents[1]
	if got := inv.IDsOf(near.Failed); !slices.Equal(got, []string{"carrier-a", "pbx-01"}) || len(near.Impacted) != 0 {
		t.Errorf("near miss = failed %v, impacted %v", got, near.Impacted)
	}
}

// Each malformed record is reported at the value (or the table) that is wrong, with what was meant.
func TestParseIncidentErrors(t *testing.T) {
	head := "[incidents.i]\ntitle = \"t\"\nstarted = 2026-06-18T07:40:00+02:00\n"
	tail := "failed = [\"hostco\"]\nimpacted = [\"pbx\"]\n"
	tests := []struct {
		name, src, want string
	}{
		{"ended before started", head + "ended = 2026-06-18T07:00:00+02:00\n" + tail,
			"i.toml:4:9: error: ended 2026-06-18T07:00:00+02:00 is not after started 2026-06-18T07:40:00+02:00: give when the service was restored\n"},
		{"ended in the future", head + "ended = 2026-11-26T07:00:00Z\n" + tail,
			"i.toml:4:9: error: ended 2026-11-26T07:00:00Z is in the future (today is 2026-11-25): record an incident once it is over\n"},
		{"local date-time", head + "ended = 2026-06-18T11:05:00\n" + tail,
			"i.toml:4:9: error: ended needs an offset: write ended = 2026-06-18T11:05:00Z for UTC, or the local offset such as 2026-06-18T11:05:00+02:00\n"},
		{"date only", head + "ended = 2026-06-18\n" + tail,
			"i.toml:4:9: error: ended must be a date-time, not a date: give the time and its offset, e.g. ended = 2026-06-18T07:40:00+02:00\n"},
		{"quoted", head + "ended = \"2026-06-18T11:05:00+02:00\"\n" + tail,
			"i.toml:4:9: error: ended must be a TOML date-time, written without quotes: ended = 2026-06-18T11:05:00+02:00\n"},
		{"missing ended", head + tail,
			"i.toml:1:12: error: incident i has no ended: give when the service was restored, e.g. ended = 2026-06-18T11:05:00+02:00\n"},
		{"unknown key", head + "ended = 2026-06-18T11:05:00+02:00\n" + tail + "impact = []\n",
			"i.toml:7:1: error: unknown key \"impact\" in incidents.i; did you mean \"impacted\"?\n"},
		{"empty failed", head + "ended = 2026-06-18T11:05:00+02:00\nfailed = []\nimpacted = []\n",
			"i.toml:5:10: error: failed is empty: list the entities that failed, e.g. failed = [\"hostco\"]\n"},
		{"failed a requirement", head + "ended = 2026-06-18T11:05:00+02:00\nfailed = { any_of = [\"hostco\"] }\nimpacted = []\n",
			"i.toml:5:10: error: failed is a plain list of IDs, not a requirement group: write failed = [\"hostco\"]\n"},
		{"failed a number", head + "ended = 2026-06-18T11:05:00+02:00\nfailed = 3\nimpacted = []\n",
			"i.toml:5:10: error: failed must be an ID or an array of IDs, not an integer: list the entities that failed, e.g. failed = [\"hostco\"]\n"},
		{"unknown failed", head + "ended = 2026-06-18T11:05:00+02:00\nfailed = [\"hostcoo\"]\nimpacted = []\n",
			"i.toml:5:11: error: unknown entity \"hostcoo\" in failed of incident i; did you mean \"hostco\"?\n"},
		{"impacted not a service", head + "ended = 2026-06-18T11:05:00+02:00\nfailed = [\"hostco\"]\nimpacted = [\"num-support\"]\n",
			"i.toml:6:13: error: impacted of incident i must name services, but \"num-support\" is a number; did you mean \"support-line\", the service that uses it?\n"},
		{"impacted unknown", head + "ended = 2026-06-18T11:05:00+02:00\nfailed = [\"hostco\"]\nimpacted = [\"suport-line\"]\n",
			"i.toml:6:13: error: unknown service \"suport-line\" in impacted of incident i; did you mean \"support-line\"?\n"},
		{"listed twice", head + "ended = 2026-06-18T11:05:00+02:00\nfailed = [\"hostco\", \"hostco\"]\nimpacted = []\n",
			"i.toml:5:21: error: \"hostco\" is listed twice in failed, first at i.toml:5:11\n"},
		{"invalid id", "[incidents.\"2026 HostCo\"]\n",
			"i.toml:1:12: error: invalid incident id \"2026 HostCo\": ids are lower-case letters, digits, '.', '_' and '-', starting with a letter or digit; did you mean \"2026-hostco\"?\n"},
		{"not a table", "incidents = [\"x\"]\n",
			"i.toml:1:1: error: incidents must be a table of incident records, like [incidents.<id>], not an array\n"},
		{"misspelt table", "[incident.i]\n",
			"i.toml:1:2: error: unknown table \"incident\"; did you mean \"incidents\"?\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inv, got := parse(t, "p.toml", platform, "i.toml", tt.src)
			if inv != nil {
				t.Fatalf("Parse succeeded, want errors")
			}
			if got != tt.want {
				t.Errorf("Parse errors:\n%s\nwant:\n%s", got, tt.want)
			}
		})
	}
}

func TestParseDuplicateIncident(t *testing.T) {
	rec := "[incidents.i]\ntitle = \"t\"\nstarted = 2026-06-18T07:40:00+02:00\nended = 2026-06-18T08:00:00+02:00\nfailed = [\"hostco\"]\nimpacted = []\n"
	_, got := parse(t, "p.toml", platform, "a.toml", rec, "b.toml", "\n"+rec)
	if want := "b.toml:2:12: error: duplicate incident id \"i\", first recorded at a.toml:1:12\n"; got != want {
		t.Errorf("Parse errors:\n%s\nwant:\n%s", got, want)
	}
}
