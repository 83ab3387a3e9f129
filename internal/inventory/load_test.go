package inventory

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/spofhq/spof/internal/model"
)

func parse(t *testing.T, files ...string) (*model.Inventory, string) {
	t.Helper()
	var srcs []Source
	for i := 0; i+1 < len(files); i += 2 {
		srcs = append(srcs, Source{Name: files[i], Data: []byte(files[i+1])})
	}
	// A fixed clock, so that the tested dates of the tests stay in the past (or the future) for good.
	inv, diags := Parse(srcs, testOptions)
	var b strings.Builder
	for _, d := range diags {
		b.WriteString(d.String())
		b.WriteByte('\n')
	}
	return inv, b.String()
}

// parseErrors checks that files do not load, with the errors want (one diagnostic a line).
func parseErrors(t *testing.T, want string, files ...string) {
	t.Helper()
	inv, got := parse(t, files...)
	if inv != nil {
		t.Fatalf("Parse succeeded, want errors")
	}
	if got != want {
		t.Errorf("Parse errors:\n%s\nwant:\n%s", got, want)
	}
}

func TestParseValid(t *testing.T) {
	inv, errs := parse(t, "a.toml", `
[providers.hostco]
type = "hosting"
[components.cluster-a]
type = "hypervisor-cluster"
provider = "hostco"
[vms.pbx-01]
host = "cluster-a"
[vms.pbx-02]
host = "cluster-a"
availability = 0.999
[services.pbx]
tier = "critical"
runs_on = { any_of = ["pbx-01", "pbx-02"] }
depends_on = ["hostco", { at_least = 1, of = ["pbx-01", { all_of = ["pbx-02"] }] }]
[numbers.num-support]
number = "+33 4 66 00 00 01"
routes_to = "pbx"
carrier = "hostco"
published = true
`)
	if errs != "" {
		t.Fatalf("Parse: %s", errs)
	}
	if inv.Len() != 6 {
		t.Fatalf("Len = %d, want 6", inv.Len())
	}
	i, _ := inv.Lookup("pbx")
	e := inv.Entities[i]
	if e.Tier != model.Critical || len(e.Refs) != 2 || e.Refs[0].Key != "runs_on" {
		t.Errorf("pbx = %+v", e)
	}
	if got := e.Refs[1].Req.Members[1].Members[1].Op; got != model.AllOf {
		t.Errorf("nested group op = %v, want AllOf", got)
	}
	if e.Pos.Line != 12 || e.Pos.Col != 11 {
		t.Errorf("pbx declared at %v, want line 12 col 11", e.Pos)
	}
}

// nestedGroups returns n any_of groups, each the second member of the one around it.
func nestedGroups(n int) string {
	return strings.Repeat(`{ any_of = ["a", `, n) + `"a"` + strings.Repeat("] }", n)
}

// TestNestedGroupsAtTheLimit checks that groups nested as deep as allowed load.
func TestNestedGroupsAtTheLimit(t *testing.T) {
	if inv, errs := parse(t, "a.toml", "[services.s]\nruns_on = "+nestedGroups(MaxGroupDepth)+"\n[vms.a]\n"); inv == nil {
		t.Fatalf("Parse failed:\n%s", errs)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name  string
		files []string
		want  string
	}{
		{"syntax", []string{"a.toml", "[services.x]\ntier = \n"},
			"a.toml:2:8: error: invalid TOML: expected value but found '\\n' instead\n"},
		{"unknown table", []string{"a.toml", "[service.x]\n"},
			"a.toml:1:2: error: unknown table \"service\"; did you mean \"services\"?\n"},
		{"unknown key", []string{"a.toml", "[services.x]\nrun_on = \"y\"\n[vms.y]\n"},
			"a.toml:2:1: error: unknown key \"run_on\" in services.x; did you mean \"runs_on\"?\n"},
		{"key of another kind", []string{"a.toml", "[vms.x]\ntier = \"high\"\n"},
			"a.toml:2:1: error: key \"tier\" does not apply to vms (it is for services)\n"},
		{"invalid id", []string{"a.toml", "[vms.PBX-01]\n"},
			"a.toml:1:6: error: invalid id \"PBX-01\": ids are lower-case letters, digits, '.', '_' and '-', starting with a letter or digit; did you mean \"pbx-01\"?\n"},
		{"duplicate id", []string{"a.toml", "[vms.x]\n", "b.toml", "\n[services.x]\n"},
			"b.toml:2:11: error: duplicate id \"x\", first declared at a.toml:1:6 (ids are unique across kinds and files)\n"},
		{"the later of two declarations in one file is the duplicate, whatever the kinds", []string{"a.toml", "[vms.x]\n[services.x]\n"},
			"a.toml:2:11: error: duplicate id \"x\", first declared at a.toml:1:6 (ids are unique across kinds and files)\n"},
		{"a duplicate's number is dropped with it", []string{"a.toml", "[vms.n]\n", "b.toml", "[numbers.n]\nnumber = \"+33 4 66 00 00 01\"\n", "c.toml", "[numbers.m]\nnumber = \"+33466000001\"\n"},
			"b.toml:1:10: error: duplicate id \"n\", first declared at a.toml:1:6 (ids are unique across kinds and files)\n"},
		{"a duplicate's other mistakes", []string{"a.toml", "[vms.x]\n", "b.toml", "[services.x]\nruns_on = \"nope\"\ntier = \"hihg\"\n"},
			"b.toml:1:11: error: duplicate id \"x\", first declared at a.toml:1:6 (ids are unique across kinds and files)\n" +
				"b.toml:2:11: error: unknown entity \"nope\" in runs_on of x\n" +
				"b.toml:3:8: error: invalid tier \"hihg\": want one of critical, high, medium, low; did you mean \"high\"?\n"},
		{"dangling reference", []string{"a.toml", "[vms.pbx-01]\n[services.s]\nruns_on = \"pbx-1\"\n"},
			"a.toml:3:11: error: unknown entity \"pbx-1\" in runs_on of s; did you mean \"pbx-01\"?\n"},
		{"suggestions of the kinds the key accepts, never the entity itself", []string{"a.toml", "[components.c1]\ntype = \"switch\"\n[vms.v1]\nhost = \"p1\"\n[services.s1]\nruns_on = \"v1\"\ndepends_on = \"s2\"\n"},
			"a.toml:4:8: error: unknown entity \"p1\" in host of v1; did you mean \"c1\"?\n" +
				"a.toml:7:14: error: unknown entity \"s2\" in depends_on of s1\n"},
		{"wrong kind", []string{"a.toml", "[vms.v]\nprovider = \"w\"\n[vms.w]\n"},
			"a.toml:2:12: error: provider of v must name providers, but \"w\" is a vm\n"},
		{"self reference", []string{"a.toml", "[services.s]\ndepends_on = [\"t\", \"s\"]\n[services.t]\n"},
			"a.toml:2:20: error: s refers to itself in depends_on: an entity cannot depend on itself\n"},
		{"empty group", []string{"a.toml", "[services.s]\nruns_on = { any_of = [] }\n"},
			"a.toml:2:22: error: any_of is empty: a group needs at least one member\n"},
		{"at_least too big", []string{"a.toml", "[services.s]\nruns_on = { at_least = 3, of = [\"a\", \"b\"] }\n[vms.a]\n[vms.b]\n"},
			"a.toml:2:24: error: at_least = 3 is out of range: the group has 2 members, so at_least must be between 1 and 2\n"},
		{"at_least zero", []string{"a.toml", "[services.s]\nruns_on = { at_least = 0, of = [\"a\"] }\n[vms.a]\n"},
			"a.toml:2:24: error: at_least = 0 is out of range: the group has 1 member, so at_least must be 1\n"},
		{"conflicting group keys", []string{"a.toml", "[services.s]\nruns_on = { any_of = [\"a\"], all_of = [\"a\"] }\n[vms.a]\n"},
			"a.toml:2:11: error: requirement group has conflicting keys all_of and any_of: give exactly one of any_of, all_of, or at_least with of\n"},
		{"unknown group key", []string{"a.toml", "[services.s]\nruns_on = { anyof = [\"a\"] }\n[vms.a]\n"},
			"a.toml:2:13: error: unknown key \"anyof\" in requirement group; did you mean \"any_of\"?\n"},
		{"wrong type", []string{"a.toml", "[services.s]\ncustomer_facing = \"yes\"\ntags = [\"a\", 1]\n"},
			"a.toml:2:19: error: customer_facing must be a boolean (true or false), not a string\n" +
				"a.toml:3:14: error: tags must hold strings, not an integer\n"},
		{"invalid tier", []string{"a.toml", "[services.s]\ntier = \"critcal\"\n"},
			"a.toml:2:8: error: invalid tier \"critcal\": want one of critical, high, medium, low; did you mean \"critical\"?\n"},
		{"availability", []string{"a.toml", "[vms.v]\navailability = 1.5\n"},
			"a.toml:2:16: error: availability must be in (0,1], got 1.5\n"},
		{"availability zero", []string{"a.toml", "[vms.v]\navailability = 0\n"},
			"a.toml:2:16: error: availability must be in (0,1], got 0\n"},
		{"mttf without mttr", []string{"a.toml", "[vms.v]\nmttf_hours = 8760\n"},
			"a.toml:2:1: error: mttf_hours needs mttr_hours: give both (availability = mttf/(mttf+mttr)), or availability\n"},
		{"mttr without mttf", []string{"a.toml", "[vms.v]\nmttr_hours = 4\n"},
			"a.toml:2:1: error: mttr_hours needs mttf_hours: give both (availability = mttf/(mttf+mttr)), or availability\n"},
		{"mttf with availability", []string{"a.toml", "[vms.v]\navailability = 0.999\nmttf_hours = 8760\nmttr_hours = 4\n"},
			"a.toml:3:1: error: vms.v gives both availability and mttf_hours: give availability, or mttf_hours and mttr_hours\n"},
		{"negative hours", []string{"a.toml", "[vms.v]\nmttf_hours = -5\nmttr_hours = -0.5\n"},
			"a.toml:2:14: error: mttf_hours must not be negative, got -5\n" +
				"a.toml:3:14: error: mttr_hours must not be negative, got -0.5\n"},
		{"mttf zero", []string{"a.toml", "[vms.v]\nmttf_hours = 0\nmttr_hours = 1\n"},
			"a.toml:2:14: error: mttf_hours must be greater than 0: an entity that fails at once is never up\n"},
		{"hours type", []string{"a.toml", "[vms.v]\nmttf_hours = \"1y\"\nmttr_hours = 1\n"},
			"a.toml:2:14: error: mttf_hours must be a number of hours, not a string\n"},
		{"slo of one", []string{"a.toml", "[services.s]\nslo = 1\n"},
			"a.toml:2:7: error: slo must be below 1, got 1: no service that can fail meets an objective of 100%; write e.g. 0.9999\n"},
		{"slo zero", []string{"a.toml", "[services.s]\nslo = 0\n"},
			"a.toml:2:7: error: slo must be in (0,1), got 0\n"},
		{"slo on a vm", []string{"a.toml", "[vms.v]\nslo = 0.99\n"},
			"a.toml:2:1: error: key \"slo\" does not apply to vms (it is for services)\n"},
		{"tested in the future", []string{"a.toml", "[services.s]\nruns_on = { any_of = [\"a\", \"b\"], tested = 2026-11-26 }\n[vms.a]\n[vms.b]\n"},
			"a.toml:2:43: error: tested date 2026-11-26 is in the future (today is 2026-11-25): give the date of the last drill that happened\n"},
		{"tested quoted", []string{"a.toml", "[services.s]\nruns_on = { any_of = [\"a\"], tested = \"2026-01-02\" }\n[vms.a]\n"},
			"a.toml:2:38: error: tested must be a TOML date, written without quotes: tested = 2026-01-02\n"},
		{"tested datetime", []string{"a.toml", "[services.s]\nruns_on = { any_of = [\"a\"], tested = 2026-01-02T10:00:00Z }\n[vms.a]\n"},
			"a.toml:2:38: error: tested must be a date like 2026-06-12, not a date-time: give the day of the drill\n"},
		{"tested type", []string{"a.toml", "[services.s]\nruns_on = { any_of = [\"a\"], tested = true }\n[vms.a]\n"},
			"a.toml:2:38: error: tested must be a date like 2026-06-12 (a TOML date, no quotes), not a boolean\n"},
		{"tested misspelt", []string{"a.toml", "[services.s]\nruns_on = { any_of = [\"a\"], tsted = 2026-01-02 }\n[vms.a]\n"},
			"a.toml:2:29: error: unknown key \"tsted\" in requirement group; did you mean \"tested\"?\n"},
		{"defaults", []string{"a.toml", "[defaults]\nvm = 0.99\nservices = 1.5\nproviders = \"high\"\n", "b.toml", "[defaults]\ncomponents = 0.9\n", "c.toml", "[defaults]\ncomponents = 0.99\n"},
			"a.toml:2:1: error: unknown key \"vm\" in [defaults]; did you mean \"vms\"?\n" +
				"a.toml:3:12: error: defaults.services must be in (0,1], got 1.5\n" +
				"a.toml:4:13: error: defaults.providers must be a number in (0,1], not a string\n" +
				"c.toml:2:1: error: duplicate default for components, first set at b.toml:2:1\n"},
		{"defaults not a table", []string{"a.toml", "defaults = 0.999\n"},
			"a.toml:1:1: error: defaults must be a table, like [defaults] with vms = 0.999, not a float\n"},
		{"invalid number", []string{"a.toml", "[numbers.n]\nnumber = \"04 66 00 00 01\"\n"},
			"a.toml:2:10: error: invalid phone number \"04 66 00 00 01\": want E.164, a '+' and 8 to 15 digits, spaces allowed (e.g. \"+33 4 66 00 00 01\")\n"},
		{"duplicate number", []string{"a.toml", "[numbers.n]\nnumber = \"+33 4 66 00 00 01\"\n[numbers.m]\nnumber = \"+33466000001\"\n"},
			"a.toml:4:10: error: duplicate phone number \"+33466000001\", also used by n at a.toml:2:10\n"},
		{"nested array", []string{"a.toml", "[services.s]\nruns_on = { any_of = [[\"a\"]] }\n[vms.a]\n"},
			"a.toml:2:23: error: a group member must be an id or a group table; write a nested array as { all_of = [...] }\n"},
		{"groups nested too deep", []string{"a.toml", "[services.s]\nruns_on = " + nestedGroups(MaxGroupDepth+1) + "\n[vms.a]\n"},
			fmt.Sprintf("a.toml:2:%d: error: groups nested %d deep; at most %d\n", 11+17*MaxGroupDepth, MaxGroupDepth+1, MaxGroupDepth)},
		{"several problems sorted", []string{"b.toml", "[vms.v]\nhost = \"nope\"\n", "a.toml", "[vms.w]\nsite = 3\n"},
			"a.toml:2:8: error: site must be an id, an array of ids or a group table ({ any_of = [...] }, { all_of = [...] } or { at_least = N, of = [...] }), not an integer\n" +
				"b.toml:2:8: error: unknown entity \"nope\" in host of v\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { parseErrors(t, tt.want, tt.files...) })
	}
}

func TestParseAvailabilityInputs(t *testing.T) {
	inv, errs := parse(t, "a.toml", `
[defaults]
vms = 0.998
providers = 1
[providers.p]
[vms.a]
mttf_hours = 999
mttr_hours = 1
[vms.b]
mttf_hours = 100
mttr_hours = 0
[services.s]
slo = 0.9995
runs_on = { any_of = ["a", { all_of = ["b"], tested = 2026-11-25 }], tested = 2025-06-12 }
depends_on = ["p"]
`)
	if errs != "" {
		t.Fatalf("Parse: %s", errs)
	}
	get := func(id string) model.Entity {
		i, _ := inv.Lookup(id)
		return inv.Entities[i]
	}
	if a := get("a"); a.Availability != 0.999 || a.MTTFHours != 999 || a.MTTRHours != 1 {
		t.Errorf("a = availability %v, mttf %v, mttr %v; want 0.999, 999, 1", a.Availability, a.MTTFHours, a.MTTRHours)
	}
	if b := get("b"); b.Availability != 1 {
		t.Errorf("b availability = %v, want 1 (no repair time)", b.Availability)
	}
	s := get("s")
	if s.SLO != 0.9995 {
		t.Errorf("s slo = %v, want 0.9995", s.SLO)
	}
	g := s.Refs[0].Req
	if g.Tested != "2025-06-12" || g.Members[1].Tested != "2026-11-25" || g.Members[0].Tested != "" {
		t.Errorf("tested = %q, %q, %q; want 2025-06-12, 2026-11-25 and none", g.Tested, g.Members[1].Tested, g.Members[0].Tested)
	}
	want := [5]float64{}
	want[model.VM], want[model.Provider] = 0.998, 1
	if inv.Defaults != want {
		t.Errorf("Defaults = %v, want %v", inv.Defaults, want)
	}
}

// testOptions load with a fixed clock, so that no test depends on the day it runs.
var testOptions = Options{Now: func() time.Time { return time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC) }}

// A file above MaxFileSize is refused before it is read (a sparse file: nothing is written to disk).
func TestReadRefusesHugeFiles(t *testing.T) {
	dir := t.TempDir()
	f, err := os.Create(filepath.Join(dir, "huge.toml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(MaxFileSize + 1); err != nil {
		t.Skip(err)
	}
	f.Close()
	if err := os.WriteFile(filepath.Join(dir, "ok.toml"), []byte("[vms.a]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	srcs, diags := Read(dir)
	if len(srcs) != 1 || len(diags) != 1 || !strings.Contains(diags[0].Summary, "larger than 256 MiB: split the inventory into several files") {
		t.Fatalf("Read = %d sources, %v", len(srcs), diags)
	}
	if diags[0].Pos.File != filepath.Join(dir, "huge.toml") {
		t.Errorf("problem reported at %q, want the file", diags[0].Pos.File)
	}
}
