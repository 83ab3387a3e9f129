package policy

import (
	"fmt"

	"github.com/spofhq/spof/internal/diag"
	"github.com/spofhq/spof/internal/model"
)

// This file is the incident-recurrence rule: every incident recorded in the inventory is a regression
// test. Its failure is replayed on the inventory under review (analysis.Replay, the down set of
// `spof simulate --fail`), and a selected service that goes down again violates the rule when the
// incident impacted it, or when it is critical: a past failure must not take down what it took down
// then, nor anything critical since. The violation is (rule, service, incident ID), so a waiver names
// the incident as its entity; it is positioned at the incident's table, or, when the baseline shows a
// change that reintroduced the path, at that change.

// recurrences returns the incidents whose replay takes service s down again, by incident ID. A
// service the incident itself lists as failed is not a recurrence: no change to the inventory can keep
// up what fails on its own.
func (c *evalContext) recurrences(s int32) []found {
	e := &c.res.Inv.Entities[s]
	var out []found
	for _, rep := range c.replays {
		o := rep.Outage
		if !o.Down[s] || o.Cause[s] < 0 {
			continue
		}
		if rep.Incident.Observed(s) || e.Tier == model.Critical {
			out = append(out, found{entity: -1, via: -1, incident: rep.Incident, chain: o.Chain(s)})
		}
	}
	return out
}

// incident explains a recurrence: the incident and the chain by which its failure reaches the service
// again. The declaration is the incident's table, unless the baseline shows the reference a change
// added on the chain or, off it, on another way the failure now travels.
func (x *explainer) incident(v *Violation, ev *evidence, f *found) {
	inv := x.res.Inv
	in := f.incident
	v.Entity = in.ID
	v.Path = stored(x.res, f.chain)
	failed := joinIDs(inv, in.Failed)
	verb := "would take"
	if v.Status == New {
		verb = "now takes"
	}
	if in.Observed(f.subject) {
		v.Detail = fmt.Sprintf("incident %s (%s failed) %s %s down again", in.ID, failed, verb, v.Service)
	} else {
		v.Detail = fmt.Sprintf("incident %s (%s failed) %s critical service %s down, which it did not take down then", in.ID, failed, verb, v.Service)
	}
	ev.cause = hop{entity: -1, name: model.IncidentsTable + "." + in.ID, pos: in.Pos}
	ev.hops = x.hops(f.chain)
	if v.Status == New {
		ev.cone = x.outageCone(f.subject, in.Failed)
	}
}

// outageCone returns, breadth first from s, the references through which the failure of failed
// reaches s: those of entities the failure puts down that name another entity it puts down. For one
// failed entity it is cone, computed from the outage rather than the SPOFs, since an incident may
// fail several entities at once.
func (x *explainer) outageCone(s int32, failed []int32) []hop {
	o := x.res.Simulate(failed)
	// A failed entity is where the failure starts.
	return x.walkCone([]int32{s}, func(e int32) bool { return o.Down[e] }, func(e int32) bool { return o.Cause[e] < 0 })
}

// withIncidentsOf returns base with the incident records of cur, their IDs resolved in base, so that
// a change is judged by one set of records, as it is by one policy: a record added with the change
// does not make a recurrence that the baseline already had look new. IDs that base lacks are left out
// of the replay there.
func withIncidentsOf(base, cur *model.Inventory) *model.Inventory {
	if len(cur.Incidents) == 0 && len(base.Incidents) == 0 {
		return base
	}
	out := *base
	out.Incidents = make([]model.Incident, len(cur.Incidents))
	for i, in := range cur.Incidents {
		in.Failed, in.FailedPos = resolveIn(base, cur, in.Failed, in.FailedPos)
		in.Impacted, in.ImpactedPos = resolveIn(base, cur, in.Impacted, in.ImpactedPos)
		out.Incidents[i] = in
	}
	return &out
}

// resolveIn maps the entities xs of cur to their indexes in base, keeping them ascending.
func resolveIn(base, cur *model.Inventory, xs []int32, pos []diag.Pos) ([]int32, []diag.Pos) {
	var ys []int32
	var ps []diag.Pos
	for i, x := range xs {
		if y, ok := base.Lookup(cur.ID(x)); ok {
			ys = append(ys, y)
			ps = append(ps, pos[i])
		}
	}
	// Entities keep their ID order in both inventories, so ys is ascending.
	return ys, ps
}
