package policy

import (
	"fmt"
	"strings"
	"testing"

	"github.com/spofhq/spof/internal/avail"
	"github.com/spofhq/spof/internal/testinv"
)

// avPlatform has services whose availability is known exactly: weak rests on a provider at 99.8%,
// strong on one at 99.99%; old, recent and never run on two VMs on two providers, any_of groups
// last drilled long ago, recently, and never.
const avPlatform = `
[providers.p1]
type = "hosting"
availability = 0.998
[providers.p2]
type = "hosting"
availability = 0.9999
[vms.vm-1]
provider = "p1"
availability = 1
[vms.vm-2]
provider = "p2"
availability = 1
[services.weak]
tier = "critical"
owner = "ops"
availability = 1
slo = 0.999
depends_on = "p1"
[services.strong]
tier = "critical"
owner = "ops"
availability = 1
slo = 0.999
depends_on = "p2"
[services.noslo]
tier = "low"
owner = "ops"
availability = 1
depends_on = "p1"
[services.old]
tier = "high"
owner = "ops"
availability = 1
runs_on = { any_of = ["vm-1", "vm-2"], tested = 2025-01-10 }
[services.recent]
tier = "high"
owner = "ops"
availability = 1
runs_on = { any_of = ["vm-1", "vm-2"], tested = 2026-03-01 }
[services.never]
tier = "high"
owner = "ops"
availability = 1
runs_on = { any_of = ["vm-2", "vm-1"] }
`

func TestAvailabilityRules(t *testing.T) {
	inv := testinv.ParseFiles(t, "p.toml", avPlatform)
	tests := []struct {
		name   string
		policy string
		day    string
		want   []string
	}{
		// old, recent and never are 99.8% × 99.99% redundant: about 99.99998%.
		{"below a min availability", oneRule(`forbid = "low-availability"
min_availability = 0.999`), "2026-06-01", []string{"r noslo", "r weak"}},
		{"min availability of the selection", oneRule(`forbid = "low-availability"
min_availability = 0.9999
select = { tier = "critical" }`), "2026-06-01", []string{"r weak"}},
		{"slo missed, not met or absent", oneRule(`forbid = "slo-missed"`), "2026-06-01", []string{"r weak"}},
		// Cutoff 2025-12-03: old's drill is too old, never has none, recent's counts.
		{"untested redundancy", oneRule(`forbid = "untested-redundancy"
untested_after = "180d"`), "2026-06-01", []string{"r never p2", "r never vm-2", "r old p1", "r old vm-1"}},
		// Eighteen months later, recent's drill is too old as well.
		{"untested redundancy later", oneRule(`forbid = "untested-redundancy"
untested_after = "180d"
select = { id = "recent" }`), "2027-09-01", []string{"r recent p1", "r recent vm-1"}},
		{"untested redundancy, long age", oneRule(`forbid = "untested-redundancy"
untested_after = "1000d"`), "2026-06-01", []string{"r never p2", "r never vm-2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkRule(t, inv, tt.policy, tt.day, tt.want) })
	}
}

func TestAvailabilityDetail(t *testing.T) {
	inv := testinv.ParseFiles(t, "p.toml", avPlatform)
	rep := Check(inv, nil, mustPolicy(t, `
[[rule]]
id = "avail"
forbid = "low-availability"
min_availability = 0.999
select = { id = "weak" }
[[rule]]
id = "slo"
forbid = "slo-missed"
[[rule]]
id = "drill"
forbid = "untested-redundancy"
untested_after = "180d"
select = { id = "old" }
`), Options{Now: fixedClock("2026-06-01")})
	var got []string
	for _, v := range rep.Violations {
		got = append(got, fmt.Sprintf("%s %s %s | %s | %s | %s | %s", v.Rule, v.Severity, v.Detail, strings.Join(v.Path.IDs(), " → "), v.Cause, v.Pos, v.Entity))
	}
	want := []string{
		"avail error weak has availability 99.8%, below 99.9% (1051.2 min/year expected downtime) |  | services.weak | p.toml:14:11 | ",
		"slo error weak misses its SLO of 99.9% by 525.6 min/year: availability 99.8%, 1051.2 min/year expected downtime, 525.6 allowed |  | services.weak | p.toml:14:11 | ",
		"drill error old depends only on p1 (provider SPOF) if failover fails: any_of in runs_on of old, last tested 2025-01-10 (drills before 2025-12-03, older than 180d, do not count) | old → vm-1 → p1 | services.old.runs_on | p.toml:35:11 | p1",
		"drill error old depends only on vm-1 (vm SPOF) if failover fails: any_of in runs_on of old, last tested 2025-01-10 (drills before 2025-12-03, older than 180d, do not count) | old → vm-1 | services.old.runs_on | p.toml:35:11 | vm-1",
	}
	testinv.EqualLines(t, "violations", got, want)
}

// A drill done in the change makes the untested-redundancy violation fixed; dropping the SLO's
// headroom makes the slo violation new, explained by the service's declaration.
func TestAvailabilityBaseline(t *testing.T) {
	base := testinv.ParseFiles(t, "p.toml", avPlatform)
	cur := testinv.ParseFiles(t, "p.toml", strings.NewReplacer("tested = 2025-01-10", "tested = 2026-05-20", `depends_on = "p2"`, `depends_on = "p1"`).Replace(avPlatform))
	p := mustPolicy(t, `
[[rule]]
id = "slo"
forbid = "slo-missed"
[[rule]]
id = "drill"
forbid = "untested-redundancy"
untested_after = "180d"
`)
	rep := Check(cur, base, p, Options{Now: fixedClock("2026-06-01"), Baseline: "main"})
	var got []string
	for _, v := range rep.Violations {
		got = append(got, fmt.Sprintf("%s %s %s %s fails %v: %s at %s", v.Status, v.Rule, v.Service, v.Entity, v.Fails, v.Cause, v.Pos))
	}
	for _, f := range rep.Fixed {
		got = append(got, "fixed: "+f.Detail)
	}
	want := []string{
		"new slo strong  fails true: services.strong.depends_on at p.toml:25:1",
		"existing slo weak  fails false: services.weak at p.toml:14:11",
		"existing drill never p2 fails false: services.never.runs_on at p.toml:45:11",
		"existing drill never vm-2 fails false: services.never.runs_on at p.toml:45:11",
		"fixed: old no longer depends only on p1 if failover fails",
		"fixed: old no longer depends only on vm-1 if failover fails",
	}
	testinv.EqualLines(t, "report", got, want)
}

// A bounded figure states its interval; when the threshold lies inside it, the text says undecided.
func TestAvailabilityDetailBounded(t *testing.T) {
	svc := &avail.Service{Availability: 0.9991, Unavailability: 0.0009, Low: 0.9989, High: 0.9993, Method: avail.Bounds, BoundedBy: avail.NodeBudget, SLO: 0.999}
	low := &Rule{Forbid: LowAvailability, MinAvailability: 0.999}
	slo := &Rule{Forbid: SLOMissed}
	tests := []struct {
		r         *Rule
		undecided bool
		want      string
	}{
		{low, true, "big may be below availability 99.9%: 99.89% to 99.93% (bounds) is too uncertain to tell"},
		{slo, true, "big may miss its SLO of 99.9%: availability 99.89% to 99.93% (bounds), the SLO is within the bounds"},
		{&Rule{Forbid: LowAvailability, MinAvailability: 0.9999}, false, "big has availability 99.89% to 99.93% (bounds), below 99.99% (473.0 min/year expected downtime)"},
	}
	for _, tt := range tests {
		if got := availabilityDetail(tt.r, svc, "big", tt.undecided); got != tt.want {
			t.Errorf("detail = %q, want %q", got, tt.want)
		}
	}
	if met, decided := svc.SLOMet(); met || decided {
		t.Errorf("SLOMet = %v, %v: the test expects an undecided SLO", met, decided)
	}
}

// TestAvailabilityOnTheThreshold is the tie an independent oracle found: s's availability is exactly
// 0.9 (10 h between failures, 1 h to repair, on a provider at 99%), which floating point computes
// as 0.8999999999999999. It meets a minimum and an SLO of 0.9: verdicts decide at the precision
// availabilities are printed to.
func TestAvailabilityOnTheThreshold(t *testing.T) {
	inv := testinv.ParseFiles(t, "p.toml", `
[services.s]
mttf_hours = 10.0
mttr_hours = 1.0
slo = 0.9
depends_on = "p"
[providers.p]
availability = 0.99
`)
	for _, rule := range []string{"forbid = \"low-availability\"\nmin_availability = 0.9", "forbid = \"slo-missed\""} {
		checkRule(t, inv, oneRule(rule), "2026-06-01", nil)
	}
}
