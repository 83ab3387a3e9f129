package policy

import (
	"fmt"
	"strings"

	"github.com/spofhq/spof/internal/analysis"
	"github.com/spofhq/spof/internal/avail"
	"github.com/spofhq/spof/internal/human"
)

// This file explains the violations of the availability rules: low-availability, slo-missed and
// untested-redundancy. Figures are printed as spof analyze prints them.

// availabilityDetail says how a service's availability breaks rule r (low-availability or
// slo-missed), or that it may, when undecided.
func availabilityDetail(r *Rule, svc *avail.Service, id string, undecided bool) string {
	figure := human.Percent(svc.Availability)
	if svc.Method == avail.Bounds {
		figure = human.Interval(svc.Low, svc.High) + " (bounds)"
	}
	downtime := human.Minutes(svc.DowntimeMinutes()) + " min/year expected downtime"
	assumed := ""
	if n := svc.NumAssumed(); n > 0 {
		assumed = fmt.Sprintf("; %d of its figures are defaults", n)
	}
	switch {
	case r.Forbid == LowAvailability && undecided:
		return fmt.Sprintf("%s may be below availability %s: %s is too uncertain to tell%s", id, human.Percent(r.MinAvailability), figure, assumed)
	case r.Forbid == LowAvailability:
		return fmt.Sprintf("%s has availability %s, below %s (%s%s)", id, figure, human.Percent(r.MinAvailability), downtime, assumed)
	case undecided:
		return fmt.Sprintf("%s may miss its SLO of %s: availability %s, the SLO is within the bounds%s", id, human.Percent(svc.SLO), figure, assumed)
	}
	return fmt.Sprintf("%s misses its SLO of %s by %s min/year: availability %s, %s, %s allowed%s",
		id, human.Percent(svc.SLO), human.Minutes(-svc.SLOMarginMinutes()), figure, downtime, human.Minutes((1-svc.SLO)*avail.MinutesPerYear), assumed)
}

// untested explains a SPOF that only exists if unproven failovers fail: the chain through the groups
// that did not fail over, and the group nearest the SPOF as the cause (the drill to run).
func (x *explainer) untested(v *Violation, ev *evidence, r *Rule, f *found) {
	inv := x.res.Inv
	v.Path = stored(x.res, f.chain)
	ev.hops = x.hops(f.chain)
	groups := make([]string, len(f.untested))
	for i, g := range f.untested {
		tested := "never tested"
		if g.Group.Tested != "" {
			tested = "last tested " + g.Group.Tested
		}
		groups[i] = fmt.Sprintf("%s in %s of %s, %s", analysis.GroupLabel(g.Group), g.Key, inv.ID(g.Entity), tested)
	}
	if n := len(f.untested); n > 0 {
		g := f.untested[n-1]
		ev.cause = hop{entity: g.Entity, key: g.Key, pos: g.Group.Pos}
	}
	v.Detail = fmt.Sprintf("%s depends only on %s (%s SPOF) if failover fails: %s (drills before %s, older than %s, do not count)",
		v.Service, v.Entity, inv.Entities[f.entity].Kind, strings.Join(groups, "; "), f.cutoff, r.UntestedAfter)
}
