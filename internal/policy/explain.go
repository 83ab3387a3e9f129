package policy

import (
	"fmt"

	"github.com/spofhq/spof/internal/analysis"
	"github.com/spofhq/spof/internal/diag"
	"github.com/spofhq/spof/internal/human"
	"github.com/spofhq/spof/internal/model"
)

// explainer turns found violations into the report's violations: text, path, and the declaration
// that causes each one.
type explainer struct {
	res  *analysis.Result
	base *model.Inventory
}

// hop is one reference on a dependency path: entity's key names the next entity at pos.
type hop struct {
	entity int32
	key    string
	pos    diag.Pos
	// name, when set, names a declaration that is not an entity's (an incident record).
	name string
}

// evidence is what explains a violation: the declaration that causes it, and the candidates for the
// declaration a change introduced — the hops of a SPOF's path (path) or hops along the evidence,
// shallowest first, and the starts and target of the failure cone for the references the failure
// travels through off that path.
type evidence struct {
	cause hop
	hops  []hop
	// path, when set, is a dependency path whose hops are the candidates before hops, found from
	// the deepest only as far as needed: a path may run down 20,000 services, each a violation.
	path     []int32
	coneFrom []int32
	coneTo   int32
	// cone, when coneTo is -1, are the references of a failure of several entities.
	cone []hop
}

func (x *explainer) violation(r *Rule, f *found, status Status) Violation {
	inv := x.res.Inv
	s := &inv.Entities[f.subject]
	v := Violation{Rule: r.ID, Severity: r.Severity, Forbid: r.Forbid, Message: r.Message, Service: s.ID, Status: status}
	if f.entity >= 0 {
		v.Entity = inv.ID(f.entity)
	}
	ev := evidence{cause: hop{entity: f.subject, pos: s.Pos}, coneTo: -1}
	switch r.Forbid {
	case ProviderSPOF, AnySPOF, SingleCarrier:
		x.spof(&v, &ev, r, f)
	case LowTolerance:
		what := inv.ID(f.cut[0]) + " takes it down"
		if len(f.cut) > 1 {
			what = "{" + joinIDs(inv, f.cut) + "} take it down together"
		}
		v.Detail = fmt.Sprintf("%s has tolerance %d, below %d: %s", s.ID, len(f.cut), r.MinTolerance, what)
		for _, ref := range s.Refs {
			ev.hops = append(ev.hops, hop{entity: f.subject, key: ref.Key, pos: ref.Pos})
		}
	case FalseRedundancy:
		x.falseRedundancy(&v, &ev, f)
	case Cycle:
		loop := x.res.ShortestCycle(f.subject)
		if loop == nil {
			loop = []int32{f.subject}
		}
		v.Path = stored(x.res, loop)
		v.Detail = fmt.Sprintf("%s is in a dependency cycle: %s", s.ID, joinArrow(inv.IDsOf(loop)))
		ev.hops = x.hops(loop)
		if len(ev.hops) > 0 {
			ev.cause = ev.hops[0]
		}
	case MissingOwner:
		what := s.Kind.String()
		if s.Kind == model.Service {
			what = s.Tier.String() + " service"
		}
		v.Detail = fmt.Sprintf("%s %s has no owner", what, s.ID)
	case LowAvailability, SLOMissed:
		v.Detail = availabilityDetail(r, f.svc, s.ID, f.undecided)
		if f.undecided {
			v.Severity = diag.Warning // an undecided figure never fails the check
		}
		for _, ref := range s.Refs {
			ev.hops = append(ev.hops, hop{entity: f.subject, key: ref.Key, pos: ref.Pos})
		}
	case UntestedRedundancy:
		x.untested(&v, &ev, r, f)
	case IncidentRecurrence:
		x.incident(&v, &ev, f)
	case BlindSpot:
		x.blindSpot(&v, &ev, f)
	}
	if status == New {
		h, ok := x.introducedOnPath(ev.path)
		if !ok {
			cone := ev.cone
			if ev.coneTo >= 0 {
				cone = x.cone(ev.coneFrom, ev.coneTo)
			}
			h, ok = x.introduced(ev.hops, cone)
		}
		if ok {
			ev.cause, v.Introduced = h, true
		} else if _, existed := x.base.Lookup(s.ID); !existed {
			ev.cause, v.Introduced = hop{entity: f.subject, pos: s.Pos}, true
		}
	}
	v.Pos = ev.cause.pos
	v.Cause = declName(inv, ev.cause)
	if f.incident != nil && v.Introduced {
		// Positioned at the change: say where the incident is recorded too.
		v.Detail += fmt.Sprintf(" (incident recorded at %s)", f.incident.Pos)
	}
	return v
}

// spof explains a SPOF of the subject: the path to it, and the last hop as the cause.
func (x *explainer) spof(v *Violation, ev *evidence, r *Rule, f *found) {
	inv := x.res.Inv
	s := v.Service
	now := ""
	if v.Status == New {
		now = "now "
	}
	// The path is kept as what walks it, and walked here only as far as the cause needs: a chain of
	// n critical services ending on a provider has n violations on paths of n/2 steps on average.
	from := f.subject
	v.Path = walked(x.res, from, f.entity)
	var lead *lead
	if f.via >= 0 && f.via != f.subject {
		// Through the published number, so that the path shows the number the message names.
		lead, from = f.lead, f.via
		v.Path = led(x.res, lead, from, f.entity)
	}
	path := func() []int32 {
		var before []int32
		if lead != nil {
			before = lead.appendHead(nil, -1)
		}
		return append(before, x.res.Path(from, f.entity)...)
	}
	ev.coneFrom, ev.coneTo = []int32{f.subject}, f.entity
	// The cause is the last hop; its other hops are read only for a new violation, from the
	// deepest and as far as needed: a dense platform has hundreds of thousands of SPOF violations
	// on paths of a dozen steps, and finding every hop searched every reference of each step.
	if h, ok := x.lastHopTo(from, f.entity); ok {
		ev.cause = h
	} else if h, ok := x.lastHop(path()); ok {
		ev.cause = h
	}
	if v.Status == New {
		// The hops are the candidates for the declaration the change introduced.
		ev.path = path()
	}
	switch {
	case r.Forbid != SingleCarrier:
		v.Detail = fmt.Sprintf("%s %sdepends only on %s (%s SPOF)", s, now, v.Entity, inv.Entities[f.entity].Kind)
	case f.via == f.subject:
		v.Detail = fmt.Sprintf("published number %s %sdepends only on %s (single carrier)", s, now, v.Entity)
	case len(f.numbers) == 1:
		v.Detail = fmt.Sprintf("%s %sdepends only on %s (single carrier of published number %s)", s, now, v.Entity, inv.ID(f.via))
	default:
		v.Detail = fmt.Sprintf("%s %sdepends only on %s (single carrier of published numbers %s)", s, now, v.Entity, joinIDs(inv, f.numbers))
	}
}

// falseRedundancy explains the defeated groups of one entity: the first group is the cause, and the
// paths from its members to its first defeater are where a change usually broke it.
func (x *explainer) falseRedundancy(v *Violation, ev *evidence, f *found) {
	g := f.groups[0]
	ev.cause = hop{entity: f.entity, key: g.Key, pos: g.Pos}
	msgs := make([]string, len(f.groups))
	for i, fg := range f.groups {
		msgs[i] = fg.Message
	}
	v.Detail = joinStrings(msgs, "; ")
	if f.entity != f.subject {
		v.Detail = fmt.Sprintf("%s needs %s: %s", v.Service, v.Entity, v.Detail)
	}
	ev.hops = append(ev.hops, ev.cause)
	for _, m := range g.Group.Members {
		if m.Op == model.Need && m.Entity != g.Related[0] {
			ev.hops = append(ev.hops, x.hops(x.res.Path(m.Entity, g.Related[0]))...)
			ev.coneFrom = append(ev.coneFrom, m.Entity)
		}
	}
	ev.coneTo = g.Related[0]
}

// hops returns the references along path: hop i is where path[i] names path[i+1].
func (x *explainer) hops(path []int32) []hop {
	var out []hop
	for i := 0; i+1 < len(path); i++ {
		if h, ok := x.hopTo(path[i], path[i+1]); ok {
			out = append(out, h)
		}
	}
	return out
}

// hopTo returns the hop from a to b: the first reference of a that names b.
func (x *explainer) hopTo(a, b int32) (hop, bool) {
	if k, pos, ok := refTo(&x.res.Inv.Entities[a], b); ok {
		return hop{entity: a, key: k, pos: pos}, true
	}
	return hop{}, false
}

// lastHop returns the last of hops(path), if any, without the others.
func (x *explainer) lastHop(path []int32) (hop, bool) { return x.deepestHop(path, nil) }

// deepestHop returns the deepest of hops(path) that keep accepts (nil: any), finding each reference
// only when it gets there.
func (x *explainer) deepestHop(path []int32, keep func(hop) bool) (hop, bool) {
	for i := len(path) - 2; i >= 0; i-- {
		if h, ok := x.hopTo(path[i], path[i+1]); ok && (keep == nil || keep(h)) {
			return h, true
		}
	}
	return hop{}, false
}

// lastHopTo returns the last hop of the path from e to its SPOF target, as lastHop does, when it is
// the reference of the entity before target that names target (false otherwise: lastHop then
// searches the whole path). It does not walk the part of the path that runs down a chain of the
// analysis (analysis.Result.BeforeLast): down a chain of n services, that is most of n/2 steps.
func (x *explainer) lastHopTo(e, target int32) (hop, bool) {
	b := x.res.BeforeLast(e, target)
	if b < 0 {
		return hop{}, false
	}
	return x.hopTo(b, target)
}

// refTo returns the first reference of e that names entity x: its key and where x is written.
func refTo(e *model.Entity, x int32) (string, diag.Pos, bool) {
	for _, ref := range e.Refs {
		var found *model.Req
		ref.Req.Walk(func(r *model.Req) {
			if found == nil && r.Op == model.Need && r.Entity == x {
				found = r
			}
		})
		if found != nil {
			return ref.Key, found.Pos, true
		}
	}
	return "", diag.Pos{}, false
}

// introduced returns the declaration that the change touched and that explains a new violation: the
// deepest of hops (the evidence path) whose reference is new or different in the baseline, else the
// farthest such reference of cone. The path is one way the failure travels; when nothing on it changed,
// the change is on another (a second number moved onto the same carrier, say), which cone covers.
func (x *explainer) introduced(hops, cone []hop) (hop, bool) {
	for _, list := range [][]hop{hops, cone} {
		for i := len(list) - 1; i >= 0; i-- {
			if x.changed(list[i]) {
				return list[i], true
			}
		}
	}
	return hop{}, false
}

// introducedOnPath returns the deepest hop of path whose reference the change touched: what
// introduced returns of hops(path), finding each reference only when it gets there.
func (x *explainer) introducedOnPath(path []int32) (hop, bool) { return x.deepestHop(path, x.changed) }

// changed reports whether h's reference is new or different in the baseline.
func (x *explainer) changed(h hop) bool {
	inv := x.res.Inv
	e := &inv.Entities[h.entity]
	bi, ok := x.base.Lookup(e.ID)
	return !ok || canonRef(x.base, &x.base.Entities[bi], h.key) != canonRef(inv, e, h.key)
}

// cone returns, in breadth-first order from starts, the references through which the failure of
// target travels: those of entities that target's failure puts down, naming target or another such
// entity.
func (x *explainer) cone(starts []int32, target int32) []hop {
	down := func(e int32) bool { return e == target || x.res.IsSPOF(e, target) }
	var from []int32
	for _, s := range starts {
		if down(s) {
			from = append(from, s)
		}
	}
	return x.walkCone(from, down, func(e int32) bool { return e == target })
}

// walkCone returns, breadth first from starts, the references of entities that are down, other than
// where the failure starts (origin), that name another entity that is down: the ways a failure
// travels, as cone and outageCone define down and origin.
func (x *explainer) walkCone(starts []int32, down, origin func(int32) bool) []hop {
	inv := x.res.Inv
	seen := map[int32]bool{}
	var queue []int32
	for _, s := range starts {
		if !seen[s] {
			seen[s] = true
			queue = append(queue, s)
		}
	}
	var out []hop
	for len(queue) > 0 {
		cur := queue[0]
		queue = queue[1:]
		if origin(cur) {
			continue
		}
		for _, ref := range inv.Entities[cur].Refs {
			ref.Req.Walk(func(r *model.Req) {
				if r.Op != model.Need || !down(r.Entity) {
					return
				}
				out = append(out, hop{entity: cur, key: ref.Key, pos: r.Pos})
				if !seen[r.Entity] {
					seen[r.Entity] = true
					queue = append(queue, r.Entity)
				}
			})
		}
	}
	return out
}

// declName names a declaration for people: "numbers.num-support.carrier", or "services.pbx" for an
// entity as a whole.
func declName(inv *model.Inventory, h hop) string {
	if h.name != "" {
		return h.name
	}
	e := &inv.Entities[h.entity]
	name := e.Kind.Table() + "." + e.ID
	if h.key != "" {
		name += "." + h.key
	}
	return name
}

func fixedDetail(r *Rule, k key) string {
	switch r.Forbid {
	case ProviderSPOF, AnySPOF, SingleCarrier:
		return fmt.Sprintf("%s no longer depends only on %s", k.service, k.entity)
	case LowTolerance:
		return fmt.Sprintf("%s no longer has a tolerance below %d", k.service, r.MinTolerance)
	case FalseRedundancy:
		if k.entity != k.service {
			return fmt.Sprintf("the false redundancy in %s no longer affects %s", k.entity, k.service)
		}
		return fmt.Sprintf("%s no longer has a false redundancy", k.service)
	case Cycle:
		return fmt.Sprintf("%s is no longer in a dependency cycle", k.service)
	case MissingOwner:
		return fmt.Sprintf("%s is no longer without an owner", k.service)
	case LowAvailability:
		return fmt.Sprintf("%s is no longer below availability %s", k.service, human.Percent(r.MinAvailability))
	case SLOMissed:
		return fmt.Sprintf("%s no longer misses its SLO", k.service)
	case UntestedRedundancy:
		return fmt.Sprintf("%s no longer depends only on %s if failover fails", k.service, k.entity)
	case IncidentRecurrence:
		return fmt.Sprintf("incident %s would no longer take %s down", k.entity, k.service)
	case BlindSpot:
		return blindSpotFixed(k)
	}
	return ""
}
