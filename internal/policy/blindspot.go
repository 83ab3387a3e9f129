package policy

import (
	"fmt"
	"slices"
	"strings"

	"github.com/spofhq/spof/internal/analysis"
	"github.com/spofhq/spof/internal/model"
)

// This file is the blind-spot rule (docs/detection.md): a failure that takes a selected service down
// with every monitoring service that could see it, or a service that nothing watches at all. A
// violation's entity is the failure: an ID, or two joined by FailureSep for a minimal cut set of two,
// which is also what a waiver's entity names.

// FailureSep joins the IDs of a failure of several entities in a violation's entity ("a+b"): IDs
// never hold it.
const FailureSep = "+"

// FailureID is the identity of a failure in violations and waivers: its IDs, ascending, joined by
// FailureSep.
func FailureID(inv *model.Inventory, f []int32) string {
	return strings.Join(inv.IDsOf(f), FailureSep)
}

// blindSpots returns the violations of the blind-spot rule ri by service s: none while the inventory
// declares no monitoring service; one about s alone when nothing watches it (its blind spots would be
// every failure); else one per blind spot.
func (c *evalContext) blindSpots(ri int, s int32) []found {
	d := c.res.Detection()
	if len(d.Monitoring) == 0 || c.res.Inv.Entities[s].Kind != model.Service {
		return nil
	}
	if d.Unwatched(s) {
		return []found{{rule: ri, subject: s, entity: -1, via: -1}}
	}
	var out []found
	for _, b := range d.BlindSpots(s) {
		out = append(out, found{rule: ri, subject: s, entity: b.Failure[0], via: -1, blind: &b})
	}
	return out
}

// blindSpot explains a blind spot: the chain that takes the service down is the path, and the
// declaration to fix is where the first watcher that goes down meets the failure (the monitoring
// hosted on what it should watch), else the service, which nothing that survives watches.
func (x *explainer) blindSpot(v *Violation, ev *evidence, f *found) {
	inv := x.res.Inv
	d := x.res.Detection()
	if f.blind == nil {
		v.Detail = d.DescribeUnwatched(f.subject)
		return
	}
	b := f.blind
	v.Entity = FailureID(inv, b.Failure)
	v.Path = stored(x.res, b.Chain)
	now := ""
	if v.Status == New {
		now = "now "
	}
	v.Detail = fmt.Sprintf("%s %shas a blind spot: %s", v.Service, now, d.Describe(*b))
	ev.hops = x.hops(b.Chain)
	var cause *hop
	for _, w := range b.Watchers {
		hops := x.hops(w.Chain)
		ev.hops = append(ev.hops, hops...)
		if cause == nil && len(hops) > 0 {
			cause = &hops[len(hops)-1]
		}
	}
	if cause != nil {
		ev.cause = *cause
	}
	if len(b.Failure) == 1 {
		ev.coneFrom, ev.coneTo = []int32{f.subject}, b.Failure[0]
		for _, w := range b.Watchers {
			if w.Chain != nil {
				ev.coneFrom = append(ev.coneFrom, w.Entity)
			}
		}
	}
}

func blindSpotFixed(k key) string {
	if k.entity == "" {
		return fmt.Sprintf("%s is watched now", k.service)
	}
	return fmt.Sprintf("%s no longer has the blind spot %s", k.service, k.entity)
}

// prepareBlindSpots solves at once what the blind spots of every service a blind-spot rule selects
// need, before the rules run on every core.
func prepareBlindSpots(res *analysis.Result, p *Policy, subjects [][]int32) {
	var services []int32
	for ri, r := range p.Rules {
		if r.Forbid == BlindSpot {
			services = append(services, subjects[ri]...)
		}
	}
	slices.Sort(services)
	res.Detection().Prepare(slices.Compact(services))
}
