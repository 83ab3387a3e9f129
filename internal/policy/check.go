package policy

import (
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/spofhq/spof/internal/analysis"
	"github.com/spofhq/spof/internal/diag"
	"github.com/spofhq/spof/internal/model"
)

// Options tune Check.
type Options struct {
	// Now is the clock that decides which waivers have expired.
	Now func() time.Time
	// Strict makes violations that the baseline already has fail too.
	Strict bool
	// Inventory and Baseline name the inventories in the report.
	Inventory string
	Baseline  string
}

// Check evaluates p on cur and returns the report. When base is not nil, every violation is compared
// with base's by identity (rule, service, entity): those base has too are existing and pass unless
// o.Strict; the others are new, each explained by the declaration the change introduced. An empty base
// (no inventory at the baseline) makes everything new.
func Check(cur, base *model.Inventory, p *Policy, o Options) *Report {
	aopts := analysis.Options{MaxOrder: p.maxOrder()}
	var bev *evaluation
	var wg sync.WaitGroup
	if base != nil {
		// The baseline is a second, independent analysis: run it on the other core.
		wg.Go(func() { bev = evaluate(analysis.Analyze(base, aopts), p) })
	}
	ev := evaluate(analysis.Analyze(cur, aopts), p)
	wg.Wait()

	rep := &Report{Inventory: o.Inventory, Policy: p.Source, BuiltinRules: p.BuiltinRules, Strict: o.Strict}
	for i, r := range p.Rules {
		rs := RuleSummary{ID: r.ID, Forbid: r.Forbid, Severity: r.Severity, Message: r.Message, Subjects: make([]string, len(ev.subjects[i]))}
		for j, s := range ev.subjects[i] {
			rs.Subjects[j] = cur.ID(s)
		}
		rep.Rules = append(rep.Rules, rs)
	}
	x := &explainer{res: ev.res, base: base}
	var baseKeys map[key]int
	if bev != nil {
		rep.Baseline = o.Baseline
		baseKeys = bev.keys()
	}
	rep.Violations = make([]Violation, len(ev.found))
	analysis.ForEach(len(ev.found), func(i int) {
		f := &ev.found[i]
		status := NoBaseline
		if bev != nil {
			status = New
			if _, ok := baseKeys[ev.key(f)]; ok {
				status = Existing
			}
		}
		rep.Violations[i] = x.violation(&p.Rules[f.rule], f, status)
	})
	if bev != nil {
		curKeys := ev.keys()
		for i := range bev.found {
			f := &bev.found[i]
			if k := bev.key(f); !hasKey(curKeys, k) {
				rep.Fixed = append(rep.Fixed, Fixed{Rule: k.rule, Service: k.service, Entity: k.entity, Detail: fixedDetail(&p.Rules[f.rule], k)})
			}
		}
	}
	rep.WaiverNotes = applyWaivers(rep.Violations, p.Waivers, o.Now(), cur)
	for i := range rep.Violations {
		v := &rep.Violations[i]
		v.Fails = v.Severity == diag.Error && v.Waiver == nil && (v.Status != Existing || o.Strict)
	}
	return rep
}

func hasKey(m map[key]int, k key) bool {
	_, ok := m[k]
	return ok
}

// applyWaivers attaches to each violation the first waiver, in file order, that matches it and has not
// expired, and returns the problems of the waivers: expired ones that still match a violation (errors),
// and ones that match nothing (stale warnings).
func applyWaivers(vs []Violation, ws []Waiver, now time.Time, inv *model.Inventory) []WaiverNote {
	var notes []WaiverNote
	for wi := range ws {
		w := &ws[wi]
		expired := w.ExpiredOn(now)
		matched := 0
		for i := range vs {
			v := &vs[i]
			if !w.Matches(v.Rule, v.Service, v.Entity) {
				continue
			}
			matched++
			if !expired && v.Waiver == nil {
				v.Waiver = w
			}
		}
		what := fmt.Sprintf("waiver for %s on %s", w.Rule, w.Service)
		if w.Entity != "" {
			what += " about " + w.Entity
		}
		switch {
		case matched == 0:
			msg := what + " matches no violation: delete it"
			if _, ok := inv.Lookup(w.Service); !ok {
				msg += fmt.Sprintf(" (the inventory has no entity %q%s)", w.Service, diag.DidYouMean(w.Service, inv.IDs()))
			}
			notes = append(notes, WaiverNote{Waiver: *w, Problem: Stale, Severity: diag.Warning, Message: msg})
		case expired:
			notes = append(notes, WaiverNote{Waiver: *w, Problem: Expired, Severity: diag.Error,
				Message: fmt.Sprintf("%s expired on %s: fix the violation, or renew the waiver with a later expires date", what, w.Expires.Format(time.DateOnly))})
		}
	}
	return notes
}

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
}

func (x *explainer) violation(r *Rule, f *found, status Status) Violation {
	inv := x.res.Inv
	s := &inv.Entities[f.subject]
	v := Violation{Rule: r.ID, Severity: r.Severity, Forbid: r.Forbid, Message: r.Message, Service: s.ID, Status: status}
	if f.entity >= 0 {
		v.Entity = inv.ID(f.entity)
	}
	now := ""
	if status == New {
		now = "now "
	}
	// Candidates for the declaration that introduced a new violation: hops along the evidence,
	// shallowest first, then (for SPOFs) the other references through which the failure travels.
	var hops, cone []hop
	var coneFrom []int32
	coneTo := int32(-1)
	cause := hop{entity: f.subject, pos: s.Pos}
	switch r.Forbid {
	case ProviderSPOF, AnySPOF, SingleCarrier:
		var path []int32
		if f.via >= 0 && f.via != f.subject {
			// Through the published number, so that the path shows the number the message names.
			path = append(slices.Clone(f.viaPath), x.res.Path(f.via, f.entity)[1:]...)
		} else {
			path = x.res.Path(f.subject, f.entity)
		}
		v.Path = ids(inv, path)
		hops = x.hops(path)
		coneFrom, coneTo = []int32{f.subject}, f.entity
		if len(hops) > 0 {
			cause = hops[len(hops)-1]
		}
		switch {
		case r.Forbid != SingleCarrier:
			v.Detail = fmt.Sprintf("%s %sdepends only on %s (%s SPOF)", s.ID, now, v.Entity, inv.Entities[f.entity].Kind)
		case f.via == f.subject:
			v.Detail = fmt.Sprintf("published number %s %sdepends only on %s (single carrier)", s.ID, now, v.Entity)
		case len(f.numbers) == 1:
			v.Detail = fmt.Sprintf("%s %sdepends only on %s (single carrier of published number %s)", s.ID, now, v.Entity, inv.ID(f.via))
		default:
			v.Detail = fmt.Sprintf("%s %sdepends only on %s (single carrier of published numbers %s)", s.ID, now, v.Entity, joinIDs(inv, f.numbers))
		}
	case LowTolerance:
		what := inv.ID(f.cut[0]) + " takes it down"
		if len(f.cut) > 1 {
			what = "{" + joinIDs(inv, f.cut) + "} take it down together"
		}
		v.Detail = fmt.Sprintf("%s has tolerance %d, below %d: %s", s.ID, len(f.cut), r.MinTolerance, what)
		for _, ref := range s.Refs {
			hops = append(hops, hop{entity: f.subject, key: ref.Key, pos: ref.Pos})
		}
	case FalseRedundancy:
		g := f.groups[0]
		cause = hop{entity: f.entity, key: g.Key, pos: g.Pos}
		msgs := make([]string, len(f.groups))
		for i, fg := range f.groups {
			msgs[i] = fg.Message
		}
		v.Detail = joinStrings(msgs, "; ")
		if f.entity != f.subject {
			v.Detail = fmt.Sprintf("%s needs %s: %s", s.ID, v.Entity, v.Detail)
		}
		hops = append(hops, cause)
		// A member moved onto the defeater is the usual way a change breaks redundancy.
		for _, m := range g.Group.Members {
			if m.Op == model.Need && m.Entity != g.Related[0] {
				hops = append(hops, x.hops(x.res.Path(m.Entity, g.Related[0]))...)
				coneFrom = append(coneFrom, m.Entity)
			}
		}
		coneTo = g.Related[0]
	case Cycle:
		loop := x.loop(f.subject)
		v.Path = ids(inv, loop)
		v.Detail = fmt.Sprintf("%s is in a dependency cycle: %s", s.ID, joinArrow(v.Path))
		hops = x.hops(loop)
		if len(hops) > 0 {
			cause = hops[0]
		}
	case MissingOwner:
		what := s.Kind.String()
		if s.Kind == model.Service {
			what = s.Tier.String() + " service"
		}
		v.Detail = fmt.Sprintf("%s %s has no owner", what, s.ID)
	}
	if status == New {
		if coneTo >= 0 {
			cone = x.cone(coneFrom, coneTo)
		}
		if h, ok := x.introduced(hops, cone); ok {
			cause, v.Introduced = h, true
		} else if _, existed := x.base.Lookup(s.ID); !existed {
			cause, v.Introduced = hop{entity: f.subject, pos: s.Pos}, true
		}
	}
	v.Pos = cause.pos
	v.Cause = declName(inv, cause)
	return v
}

// hops returns the references along path: hop i is where path[i] names path[i+1].
func (x *explainer) hops(path []int32) []hop {
	inv := x.res.Inv
	var out []hop
	for i := 0; i+1 < len(path); i++ {
		if k, pos, ok := refTo(&inv.Entities[path[i]], path[i+1]); ok {
			out = append(out, hop{entity: path[i], key: k, pos: pos})
		}
	}
	return out
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
	inv := x.res.Inv
	down := func(e int32) bool { return e == target || containsSorted(x.res.SPOFs(e), target) }
	seen := map[int32]bool{}
	var queue []int32
	for _, s := range starts {
		if !seen[s] && down(s) {
			seen[s] = true
			queue = append(queue, s)
		}
	}
	var out []hop
	for len(queue) > 0 {
		cur := queue[0]
		queue = queue[1:]
		if cur == target {
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

// loop returns a shortest dependency cycle from s back to s, s first and not repeated at the end.
func (x *explainer) loop(s int32) []int32 {
	prev := map[int32]int32{}
	queue := []int32{s}
	for len(queue) > 0 {
		cur := queue[0]
		queue = queue[1:]
		for _, d := range x.res.Deps(cur) {
			if d == s {
				var loop []int32
				for at := cur; at != s; at = prev[at] {
					loop = append(loop, at)
				}
				loop = append(loop, s)
				slices.Reverse(loop)
				return loop
			}
			if _, seen := prev[d]; !seen {
				prev[d] = cur
				queue = append(queue, d)
			}
		}
	}
	return []int32{s}
}

// declName names a declaration for people: "numbers.num-support.carrier", or "services.pbx" for an
// entity as a whole.
func declName(inv *model.Inventory, h hop) string {
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
	}
	return ""
}
