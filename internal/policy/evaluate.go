package policy

import (
	"slices"
	"time"

	"github.com/spofhq/spof/internal/analysis"
	"github.com/spofhq/spof/internal/avail"
	"github.com/spofhq/spof/internal/model"
	"github.com/spofhq/spof/internal/par"
)

// found is one violation as evaluation finds it: its identity (rule, subject, entity) as indexes, and
// the handles Check needs to explain it.
type found struct {
	rule    int   // index in Policy.Rules
	subject int32 // the selected service (or number)
	entity  int32 // the SPOF, carrier or group owner; -1 when the violation is about the subject alone
	// via is the published number through which a carrier is a SPOF (single-carrier), lead the
	// dependency path from the subject to it, and numbers every published number the carrier's failure
	// takes down on the way, ascending.
	via     int32
	lead    *lead
	numbers []int32
	// groups are the defeated groups of a false redundancy, all declared by entity.
	groups []analysis.Finding
	// cut is a smallest cut set (low-tolerance).
	cut []int32
	// svc is the subject's availability (low-availability, slo-missed); undecided is true when it is
	// bounded and the threshold lies within the interval, which makes the violation a warning.
	svc       *avail.Service
	undecided bool
	// chain is how the SPOF's failure reaches the subject when unproven failovers fail, subject first,
	// and untested the unproven groups on it that did not fail over, subject side first
	// (untested-redundancy); cutoff is the day before which a drill is too old.
	chain    []int32
	untested []avail.Untested
	cutoff   string
	// incident is the recorded incident whose failure takes the subject down again (incident-recurrence,
	// with chain), nil for the other rules.
	incident *model.Incident
	// blind is the blind spot (blind-spot), nil when the subject is watched by nothing at all.
	blind *analysis.BlindSpot
}

// evaluation is a policy applied to one analysed inventory.
type evaluation struct {
	res      *analysis.Result
	p        *Policy
	subjects [][]int32 // per rule: the entities it selects, ascending
	found    []found   // sorted by rule, subject, entity
}

// evaluate applies every rule of p to res; now is the day that judges failover drills.
func evaluate(res *analysis.Result, p *Policy, now time.Time) *evaluation {
	inv := res.Inv
	ev := &evaluation{res: res, p: p, subjects: make([][]int32, len(p.Rules))}
	for ri := range p.Rules {
		for i := range inv.Entities {
			if p.Rules[ri].Select.Matches(&inv.Entities[i]) {
				ev.subjects[ri] = append(ev.subjects[ri], int32(i))
			}
		}
	}
	ctx := newEvalContext(res, p, ev.subjects, now)
	for ri := range p.Rules {
		r := &p.Rules[ri]
		// Per-subject work is independent: run it on every core, then flatten in subject order.
		per := make([][]found, len(ev.subjects[ri]))
		par.ForEach(len(per), func(j int) {
			per[j] = ctx.check(ri, r, ev.subjects[ri][j])
		})
		// Grown once: on a dense platform the rules find hundreds of thousands of violations of a
		// hundred bytes each, which appending by doubling copied again and again, on one core.
		n := 0
		for _, fs := range per {
			n += len(fs)
		}
		ev.found = slices.Grow(ev.found, n)
		for _, fs := range per {
			ev.found = append(ev.found, fs...)
		}
	}
	return ev
}

// evalContext holds what several rules share, computed once per inventory.
type evalContext struct {
	res *analysis.Result
	now time.Time
	// carrier marks the providers that some number's carrier key names.
	carrier []bool
	// cycleOf is, per entity, the index in cycles of the dependency cycle it belongs to, or -1.
	cycleOf []int32
	cycles  [][]int32
	// falseRed are the false redundancies per declaring entity, when a rule needs them.
	falseRed map[int32][]analysis.Finding
	// av is the availability of the services an availability or SLO rule selects, nil when no rule
	// needs it: exact availability is the costliest figure of the check.
	av *avail.Result
	// failover is the analysis with unproven failovers failing, per cutoff day of the
	// untested-redundancy rules.
	failover map[string]*avail.Failover
	// replays are the recorded incidents replayed, when an incident-recurrence rule needs them.
	replays []*analysis.IncidentReplay
	// spofs lists, per rule index, the SPOFs the rule is about (provider-spof, spof with kinds,
	// single-carrier), nil for other rules: filtering every whole list costs n²/2 on a chain of n
	// services.
	spofs []*analysis.SPOFFilter
	// walks is, per carrier, what its failure puts down read toward the published numbers, built
	// when a single-carrier rule first needs it.
	walks map[int32]*carrierWalk
}

func newEvalContext(res *analysis.Result, p *Policy, subjects [][]int32, now time.Time) *evalContext {
	inv := res.Inv
	c := &evalContext{res: res, now: now}
	need := map[Forbid]bool{}
	for _, r := range p.Rules {
		need[r.Forbid] = true
	}
	if need[SingleCarrier] {
		c.carrier = inv.Named("carrier")
		c.walks = map[int32]*carrierWalk{}
		for x, is := range c.carrier {
			if is {
				c.walks[int32(x)] = &carrierWalk{}
			}
		}
	}
	c.spofs = make([]*analysis.SPOFFilter, len(p.Rules))
	for ri := range p.Rules {
		r := &p.Rules[ri]
		switch {
		case r.Forbid == ProviderSPOF:
			c.spofs[ri] = res.NewSPOFFilter(func(x int32) bool { return inv.Entities[x].Kind == model.Provider })
		case r.Forbid == AnySPOF && r.Kinds != nil:
			c.spofs[ri] = res.NewSPOFFilter(func(x int32) bool { return slices.Contains(r.Kinds, inv.Entities[x].Kind) })
		case r.Forbid == SingleCarrier:
			c.spofs[ri] = res.NewSPOFFilter(func(x int32) bool { return c.carrier[x] })
		}
	}
	if need[Cycle] {
		c.cycles = res.Cycles()
		c.cycleOf = make([]int32, inv.Len())
		for i := range c.cycleOf {
			c.cycleOf[i] = -1
		}
		for ci, comp := range c.cycles {
			for _, e := range comp {
				c.cycleOf[e] = int32(ci)
			}
		}
	}
	if need[FalseRedundancy] {
		c.falseRed = map[int32][]analysis.Finding{}
		for _, f := range res.FalseRedundancies() {
			c.falseRed[f.Entity] = append(c.falseRed[f.Entity], f)
		}
	}
	if need[LowAvailability] || need[SLOMissed] {
		// Only the services these rules select, each once, ascending.
		var services []int32
		for ri, r := range p.Rules {
			if r.Forbid == LowAvailability || r.Forbid == SLOMissed {
				services = append(services, subjects[ri]...)
			}
		}
		slices.Sort(services)
		if services = slices.Compact(services); len(services) > 0 {
			c.av = avail.Compute(res, avail.Options{Services: services})
		}
	}
	if need[IncidentRecurrence] {
		c.replays = res.Replays()
	}
	if need[BlindSpot] {
		prepareBlindSpots(res, p, subjects)
	}
	if need[UntestedRedundancy] {
		c.failover = map[string]*avail.Failover{}
		for _, r := range p.Rules {
			if r.Forbid != UntestedRedundancy {
				continue
			}
			if cutoff := avail.Cutoff(now, r.UntestedAge); c.failover[cutoff] == nil {
				c.failover[cutoff] = avail.NewFailover(res, cutoff)
			}
		}
	}
	return c
}

// check returns the violations of rule r (index ri) by subject s, by entity.
func (c *evalContext) check(ri int, r *Rule, s int32) []found {
	res, inv := c.res, c.res.Inv
	var out []found
	add := func(f found) {
		f.rule, f.subject = ri, s
		out = append(out, f)
	}
	switch r.Forbid {
	case ProviderSPOF, AnySPOF:
		spofs := res.SPOFs
		if f := c.spofs[ri]; f != nil {
			spofs = f.SPOFs
		}
		for _, x := range spofs(s) {
			add(found{entity: x, via: -1})
		}
	case SingleCarrier:
		for _, x := range c.spofs[ri].SPOFs(s) {
			if l, numbers := c.throughNumbers(s, x); numbers != nil {
				add(found{entity: x, via: l.number(), lead: l, numbers: numbers})
			}
		}
	case LowTolerance:
		if t, ok := res.Tolerance(s); ok && t < r.MinTolerance {
			cuts, _ := res.CutSets(s, 1) // the list starts with a smallest cut set
			add(found{entity: -1, via: -1, cut: cuts[0]})
		}
	case FalseRedundancy:
		for _, owner := range c.privateClosure(s) {
			if groups := c.falseRed[owner]; groups != nil {
				add(found{entity: owner, via: -1, groups: groups})
			}
		}
	case Cycle:
		if c.cycleOf[s] >= 0 {
			add(found{entity: -1, via: -1})
		}
	case MissingOwner:
		if inv.Entities[s].Owner == "" {
			add(found{entity: -1, via: -1})
		}
	case LowAvailability:
		if svc, ok := c.av.Service(s); ok {
			// The decision is on the guaranteed interval when bounded: below for sure, or undecided.
			switch {
			case avail.Below(svc.High, r.MinAvailability):
				add(found{entity: -1, via: -1, svc: svc})
			case avail.Below(svc.Low, r.MinAvailability):
				add(found{entity: -1, via: -1, svc: svc, undecided: true})
			}
		}
	case SLOMissed:
		if svc, ok := c.av.Service(s); ok && svc.SLO > 0 {
			if met, decided := svc.SLOMet(); !met {
				add(found{entity: -1, via: -1, svc: svc, undecided: !decided})
			}
		}
	case IncidentRecurrence:
		for _, f := range c.recurrences(s) {
			add(f)
		}
	case BlindSpot:
		out = append(out, c.blindSpots(ri, s)...)
	case UntestedRedundancy:
		if inv.Entities[s].Kind != model.Service {
			break
		}
		cutoff := avail.Cutoff(c.now, r.UntestedAge)
		f := c.failover[cutoff]
		spofs := f.SPOFs(s)
		if len(spofs) == 0 {
			break
		}
		groups := f.GroupsOf(s) // once per service: it walks the service's whole closure
		for _, x := range spofs {
			chain := f.Chain(s, x)
			add(found{entity: x, via: -1, chain: chain, untested: onChain(groups, chain), cutoff: cutoff})
		}
	}
	return out
}

// onChain returns the groups of gs through which chain passes: a group of chain[i] that has chain[i+1]
// as a member, in chain order. Those are the failovers that did not happen. It falls back to every
// group of gs declared by an entity on the chain, then to gs, so that a violation always names one.
func onChain(gs []avail.Untested, chain []int32) []avail.Untested {
	var out []avail.Untested
	for i := 0; i+1 < len(chain); i++ {
		for _, g := range gs {
			if g.Entity == chain[i] && hasMember(g.Group, chain[i+1]) {
				out = append(out, g)
			}
		}
	}
	if out == nil {
		for _, g := range gs {
			if slices.Contains(chain, g.Entity) {
				out = append(out, g)
			}
		}
	}
	if out == nil {
		out = gs
	}
	return out
}

// hasMember reports whether requirement g names entity x, at any depth.
func hasMember(g *model.Req, x int32) bool {
	found := false
	g.Walk(func(r *model.Req) { found = found || (r.Op == model.Need && r.Entity == x) })
	return found
}

// privateClosure returns s and the entities s needs without going through another service (its VMs,
// components, numbers and providers), ascending: the part of the graph whose design is s's own.
func (c *evalContext) privateClosure(s int32) []int32 {
	inv := c.res.Inv
	seen := map[int32]bool{s: true}
	queue := []int32{s}
	for len(queue) > 0 {
		cur := queue[0]
		queue = queue[1:]
		for _, d := range c.res.Deps(cur) {
			if seen[d] || inv.Entities[d].Kind == model.Service {
				continue
			}
			seen[d] = true
			queue = append(queue, d)
		}
	}
	out := make([]int32, 0, len(seen))
	for e := range seen {
		out = append(out, e)
	}
	slices.Sort(out)
	return out
}

// key is the identity of a violation: rule ID, subject ID and entity ID ("" when none). It holds IDs,
// never positions, so that it survives moving declarations between files.
type key struct{ rule, service, entity string }

func (ev *evaluation) key(f *found) key {
	inv := ev.res.Inv
	k := key{rule: ev.p.Rules[f.rule].ID, service: inv.ID(f.subject)}
	if f.entity >= 0 {
		k.entity = inv.ID(f.entity)
	}
	switch {
	case f.incident != nil:
		k.entity = f.incident.ID
	case f.blind != nil:
		k.entity = FailureID(inv, f.blind.Failure)
	}
	return k
}

// keys returns the identities of the violations; without undecided, those of the decided ones only.
// A baseline's undecided violation (a bounded availability too close to the threshold to tell) does
// not make the same violation existing, now that it is decided.
func (ev *evaluation) keys(undecided bool) map[key]int {
	out := make(map[key]int, len(ev.found))
	for i := range ev.found {
		if undecided || !ev.found[i].undecided {
			out[ev.key(&ev.found[i])] = i
		}
	}
	return out
}
