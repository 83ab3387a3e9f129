package analysis

import (
	"slices"
	"sync/atomic"

	"github.com/spofhq/spof/internal/par"
)

// cutSets computes, for every entity e, its minimal cut sets of two to k entities, in order (by size,
// then IDs). Its sets of one, {e} and e's SPOFs, are the SPOF lists of the singles pass and are not
// stored again: a chain of services would otherwise hold every SPOF list twice, and the SPOFs are
// most of every family.
//
// It runs over the components dependencies first; inside a cycle it iterates from the sets of one to
// the least fixed point (Kleene iteration). With a budget, each family keeps its first sets only and
// records where it stops (see fam): the whole families of a service deep in a large platform run to
// millions of sets. The stopping point of a family is the least of its inputs' and of the set its
// budget turns away, so a family can come out exact but shorter than its budget when sets below its
// inputs' ends were dominated: complete lengthens those afterwards.
type cutSets struct {
	c      *compiled
	k      int
	budget int   // sets of two or more kept per family; 0: all
	fams   []fam // per entity: its minimal cut sets of two or more entities
	// sf are the SPOF sets of the singles pass, solved for a component before its cut sets.
	sf *spofTable
	// budgets, once complete has raised some, is the budget of each entity's family (0: budget,
	// -1: unlimited).
	budgets []int32
	// want is how many sets of two or more the families must answer for (see complete); 0: all.
	want int
	// groups holds, per expression that is a redundancy group of an entity's requirement (a child
	// of its root), its family as last computed for that entity.
	groups []fam
	// cyclic marks the entities in a component with a cycle: their families are fixed points,
	// which no one looks through.
	cyclic []bool
	// clock dates changes: stamp is when each entity's family last changed, groupStamp when each
	// group's family was computed (0: never), with which budget, and whether that budget cut it.
	clock       atomic.Uint64
	stamp       []uint64
	groupStamp  []uint64
	groupBudget []int32
	groupCut    []bool
}

func newCutSets(c *compiled, sf *spofTable, k, budget, want int, cyc []*cycle, sccs [][]int32) *cutSets {
	cs := &cutSets{c: c, k: k, budget: budget, want: want, fams: make([]fam, c.inv.Len()), sf: sf,
		groups: make([]fam, len(c.trip)), cyclic: make([]bool, c.inv.Len()), stamp: make([]uint64, c.inv.Len()),
		groupStamp: make([]uint64, len(c.trip)), groupBudget: make([]int32, len(c.trip)), groupCut: make([]bool, len(c.trip))}
	for i, cy := range cyc {
		if cy != nil {
			for _, e := range sccs[i] {
				cs.cyclic[e] = true
			}
		}
	}
	return cs
}

// done drops what only the computation needs: the families of the entities are all that is read
// afterwards.
func (cs *cutSets) done() {
	cs.groups, cs.cyclic, cs.stamp, cs.groupStamp, cs.groupBudget, cs.groupCut, cs.budgets = nil, nil, nil, nil, nil, nil, nil
}

// budgetOf returns the budget of e's family.
func (cs *cutSets) budgetOf(e int32) int {
	if cs.budgets != nil {
		switch b := cs.budgets[e]; {
		case b > 0:
			return int(b)
		case b < 0:
			return 0 // unlimited
		}
	}
	return cs.budget
}

// short reports whether e's family cannot answer for its first cs.want sets: it stops (it is not whole)
// before holding one more set than that, the one that proves the list truncated.
func (cs *cutSets) short(e int32) bool {
	f := &cs.fams[e]
	return f.end.n != open && len(f.sets) <= cs.want
}

// complete makes every family answer for its first cs.want sets exactly: whole, or holding at least
// want+1 sets. A family falls short when a product inherits a factor's early end: a phone number
// routed to either of two services has, as pairs, the SPOFs of one times those of the other, and as
// triples each SPOF of one with each pair of the other; when it has few pairs, its first triples
// need every pair of the other service, where that service's own list stopped long before.
//
// Each round raises (doubles) the budgets of the families that a short family's end comes from:
// following the dependencies whose family ends at the same set, and looking through those that
// entityFamily looks through, down to the families whose own budget set the end. Then it solves
// these again, and what depends on them up to the short families. Every family along the way then
// ends later (its end is the least of its inputs' and of its own budget's), so a short family's end
// rises each round. A family whose end did not rise has all its dependencies raised the next round,
// and a budget past maxBudget becomes unlimited: an unlimited family is whole, so the rounds end.
// Families are then cut back to want+1 sets, so that memory stays that of the budget.
func (cs *cutSets) complete(sccs [][]int32, cyc []*cycle) {
	want := cs.want
	n := len(cs.fams)
	var todo []int32
	for e := range int32(n) {
		if cs.short(e) {
			todo = append(todo, e)
		}
	}
	if len(todo) == 0 {
		return
	}
	cs.budgets = make([]int32, n)
	in := make([]bool, n)      // what the short families depend on, themselves included
	raised := make([]bool, n)  // the families whose budget rises this round
	redo := make([]bool, n)    // the families solved again this round
	stalled := make([]bool, n) // short families whose end did not rise in the last round
	ends := make([]cut, n)     // the ends of the short families before the round
	isTodo := make([]bool, n)
	var stack []int32
	raise := func(x int32) {
		if raised[x] {
			return
		}
		raised[x] = true
		switch b := cs.budgetOf(x); {
		case b == 0: // unlimited already
		case b > maxBudget/2:
			cs.budgets[x] = -1
		default:
			cs.budgets[x] = int32(2 * b)
		}
	}
	for len(todo) > 0 {
		clear(in)
		clear(raised)
		clear(redo)
		stack = append(stack[:0], todo...)
		for len(stack) > 0 {
			x := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if in[x] {
				continue
			}
			in[x] = true
			for _, d := range cs.c.deps[x] {
				if !in[d] {
					stack = append(stack, d)
				}
			}
		}
		for _, t := range todo {
			ends[t], isTodo[t] = cs.fams[t].end, true
			if stalled[t] {
				cs.raiseClosure(t, raise)
				continue
			}
			cs.raiseSources(t, raise, &stack)
		}
		// Dependencies first: a family is solved again when its budget rose or one of its inputs
		// was solved again, and it is not whole (a whole family comes out the same under any
		// budget). A component is inside the closure whole, or not at all.
		lv := levels(cs.c, sccs, func(comp []int32) bool {
			if !in[comp[0]] {
				return false
			}
			again, whole := false, true
			for _, e := range comp {
				whole = whole && cs.fams[e].end.n == open
				again = again || raised[e]
				for _, d := range cs.c.deps[e] {
					again = again || redo[d]
				}
			}
			if !again || whole {
				return false
			}
			for _, e := range comp {
				redo[e] = true
			}
			return true
		})
		cs.solveLevels(sccs, cyc, lv)
		var next []int32
		for e := range int32(n) {
			stalled[e] = false
			if redo[e] && cs.short(e) {
				stalled[e] = isTodo[e] && cs.fams[e].end == ends[e]
				next = append(next, e)
			}
		}
		for _, t := range todo {
			isTodo[t] = false
		}
		todo = next
	}
	cs.budgets = nil
	for e := range cs.fams {
		if f := &cs.fams[e]; len(f.sets) > want+1 {
			f.end, f.full = f.sets[want+1], true
			f.sets = slices.Clone(f.sets[:want+1])
		}
	}
}

// maxBudget is the largest budget complete raises a family to before making it unlimited.
const maxBudget = 1 << 24

// raiseSources calls raise for t and for the families t's end comes from: each family whose end is
// t's, found through the dependencies with that end and through those entityFamily looks through
// (full families of entities outside cycles), down to the ones whose own budget set it. A
// redundancy group's budget is its owner's.
func (cs *cutSets) raiseSources(t int32, raise func(int32), stack *[]int32) {
	end := cs.fams[t].end
	seen := map[int32]bool{t: true}
	*stack = append((*stack)[:0], t)
	raise(t)
	for len(*stack) > 0 {
		x := (*stack)[len(*stack)-1]
		*stack = (*stack)[:len(*stack)-1]
		for _, d := range cs.c.deps[x] {
			if seen[d] {
				continue
			}
			f := &cs.fams[d]
			switch {
			case f.end == end:
				raise(d)
			case f.full && !cs.cyclic[d] && f.end.compare(end) < 0:
				// Looked through: its groups may hold the end.
				if r := cs.c.root[d]; r >= 0 {
					for _, ch := range cs.c.children(r) {
						if ch < 0 && cs.groups[-ch-1].end == end {
							raise(d)
						}
					}
				}
			default:
				continue
			}
			seen[d] = true
			*stack = append(*stack, d)
		}
	}
}

// raiseClosure calls raise for t and every family it depends on that is not whole.
func (cs *cutSets) raiseClosure(t int32, raise func(int32)) {
	seen := map[int32]bool{t: true}
	stack := []int32{t}
	for len(stack) > 0 {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if cs.fams[x].end.n != open {
			raise(x)
		}
		for _, d := range cs.c.deps[x] {
			if !seen[d] {
				seen[d] = true
				stack = append(stack, d)
			}
		}
	}
}

// solveLevels solves the components that lv lists (indexes into sccs, by level) on every core.
func (cs *cutSets) solveLevels(sccs [][]int32, cyc []*cycle, lv [][]int32) {
	var comps []int32
	for _, level := range lv {
		comps = append(comps, level...)
	}
	solvers := make([]*solver, par.Workers(len(comps)))
	for w := range solvers {
		solvers[w] = cs.newSolver()
	}
	schedule(cs.c, sccs, comps, func(w int, ci int32) { solvers[w].solve(sccs[ci], cyc[ci]) })
}

// solver is one worker's share of the computation: the shared families, and scratch space of its own.
type solver struct {
	*cutSets
	elems  elemIndex
	buf    family   // a stage's candidates
	keys   []uint64 // and their sort keys
	avoid  avoidSet
	kids   []fam   // entityFamily's sources
	union  family  // unionOf's scratch
	owners []int32 // aligned with kids: the entity of each, or -1 for a group
	cur    int     // the budget of the family being computed
	cut    bool    // whether a keeper of the group being computed was cut by its budget
	// Scratch of relevanceFor, per entity, allocated on first use.
	count, seen []int32
	rel         relevance
}

func (cs *cutSets) newSolver() *solver {
	s := &solver{cutSets: cs}
	s.elems.head = make([]int32, len(cs.fams))
	for i := range s.elems.head {
		s.elems.head[i] = -1
	}
	s.avoid.mark = make([]uint32, len(cs.fams))
	return s
}

// solve computes the families of one component, whose dependencies are solved; cy is its cycle, or
// nil when it has none.
func (cs *solver) solve(comp []int32, cy *cycle) {
	if cy == nil {
		e := comp[0]
		if d := cs.sf.thru[e]; d >= 0 {
			// Chained to d, its one requirement: d's sets of two or more hold neither d nor d's
			// SPOFs nor e, so they are e's too.
			cs.set(e, cs.fams[d])
			return
		}
		if r := cs.c.root[e]; r < 0 || cs.singlesOnly(r) {
			cs.set(e, fam{end: whole})
			return
		}
		cs.set(e, cs.entityFamily(e))
		return
	}
	for _, e := range comp {
		cs.set(e, fam{end: whole})
	}
	// The iteration only ever lowers an end: a family whose budget turned a set away at one step
	// can, once a smaller set dominates some of its sets, fill up further at the next and move its
	// end up, then down again, and never settle. Cutting each new family at the previous end keeps
	// the ends falling and the families, below a fixed end, growing: on finite values that ends.
	// Cutting below an end commutes with every operation (a set below it is built only from sets
	// below it), so the limit is the exact family below its final end.
	cy.fixpoint(func(e int32) bool {
		next, prev := cs.entityFamily(e), cs.fams[e]
		if prev.end.n != open && (next.end.n == open || prev.end.compare(next.end) < 0) {
			next = next.below(prev.end)
		}
		return cs.set(e, next)
	})
}

// set makes f e's family and reports whether that changed it; a change dates it (see stamp).
func (cs *cutSets) set(e int32, f fam) bool {
	prev := &cs.fams[e]
	if cs.stamp[e] != 0 && f.end == prev.end && f.full == prev.full && slices.Equal(f.sets, prev.sets) {
		return false
	}
	cs.fams[e] = f
	cs.stamp[e] = cs.clock.Add(1)
	return true
}

// singlesOnly reports whether expression x needs all of its children and none of them, looking
// through nested all-required expressions, has a cut set of two or more: x's owner then has no cut
// set of two or more either, only its SPOFs. Chains of services take this path.
func (cs *cutSets) singlesOnly(x int32) bool {
	if cs.sf == nil || cs.c.trip[x] != 1 {
		return false
	}
	for _, ch := range cs.c.children(x) {
		if ch < 0 {
			if !cs.singlesOnly(-ch - 1) {
				return false
			}
			continue
		}
		if f := cs.fams[ch]; f.end.n != open || len(f.sets) > 0 {
			return false
		}
	}
	return true
}

// levels groups the components (sccs, dependencies first) for which keep returns true by depth, as
// indexes into sccs: a component's level is one more than the highest level among the components it
// depends on. keep nil keeps every component; the components kept must hold what they depend on.
func levels(c *compiled, sccs [][]int32, keep func(comp []int32) bool) [][]int32 {
	compOf := make([]int32, c.inv.Len())
	for i, comp := range sccs {
		for _, e := range comp {
			compOf[e] = int32(i)
		}
	}
	level := make([]int32, len(sccs))
	var out [][]int32
	for i, comp := range sccs {
		if keep != nil && !keep(comp) {
			continue
		}
		l := int32(0)
		for _, e := range comp {
			for _, d := range c.deps[e] {
				if dc := compOf[d]; dc != int32(i) {
					l = max(l, level[dc]+1)
				}
			}
		}
		level[i] = l
		for int(l) >= len(out) {
			out = append(out, nil)
		}
		out[l] = append(out[l], int32(i))
	}
	return out
}

// entityFamily returns the minimal sets of two or more entities that put e down: those that leave
// one of its references unmet (its root expression requires them all), without the sets that hold e
// or one of its SPOFs, which the sets of one dominate.
func (cs *solver) entityFamily(e int32) fam {
	r := cs.c.root[e]
	if r < 0 {
		return fam{end: whole}
	}
	// Every family computed for e drops the sets that {e} or a SPOF of e dominates, before they
	// count against a budget: a quorum's products are mostly such sets in a large platform, and
	// would otherwise fill the budget with sets e's family never lists.
	cs.avoid.set(e, cs.sf.list[e])
	cs.cur = cs.budgetOf(e)
	srcs, owners := cs.kids[:0], cs.owners[:0]
	for _, ch := range cs.c.children(r) {
		if ch >= 0 {
			srcs, owners = append(srcs, cs.fams[ch]), append(owners, ch)
		} else {
			g := cs.groupFamily(-ch - 1)
			srcs, owners = append(srcs, g), append(owners, -1)
		}
	}
	out := unionOf(srcs, cs.cur, &cs.avoid, true, &cs.union)
	// A reference whose family stopped at its own budget can lose most of its sets here, to the
	// SPOFs that e has beyond its own: a chain of services, each with more SPOFs than the one it
	// depends on, would otherwise come out ever shorter, level by level. Looking through such a
	// reference, to the families it was merged from, gives e the sets the budget cut from it.
	for cs.want > 0 && out.end.n != open && len(out.sets) <= cs.want {
		var next []fam
		var nextOwners []int32
		grew := false
		for i, f := range srcs {
			if c := owners[i]; c >= 0 && f.full && f.end == out.end && !cs.cyclic[c] {
				for _, ch := range cs.c.children(cs.c.root[c]) {
					if ch >= 0 {
						next, nextOwners = append(next, cs.fams[ch]), append(nextOwners, ch)
					} else {
						next, nextOwners = append(next, cs.groups[-ch-1]), append(nextOwners, -1)
					}
				}
				grew = true
				continue
			}
			next, nextOwners = append(next, f), append(nextOwners, owners[i])
		}
		if !grew {
			break
		}
		clear(srcs)
		srcs, owners = next, nextOwners
		out = unionOf(srcs, cs.cur, &cs.avoid, true, &cs.union)
	}
	clear(srcs)
	cs.kids, cs.owners = srcs[:0], owners[:0]
	return out
}

// groupFamily returns the family of x, a redundancy group of the requirement of the entity being
// solved, computed again only when it could differ from the last time: one of its members' families
// changed since, or its budget rose while it was cut by its budget. complete solves entities again
// and again as budgets rise, and most of their groups (a VM pair, a quorum) do not change; their
// products were most of that time.
func (cs *solver) groupFamily(x int32) fam {
	if t := cs.groupStamp[x]; t != 0 && (!cs.groupCut[x] || int(cs.groupBudget[x]) == cs.cur) && !cs.changedSince(x, t) {
		return cs.groups[x]
	}
	t := cs.clock.Add(1)
	cs.cut = false
	g := cs.exprFamily(x)
	cs.groups[x], cs.groupStamp[x], cs.groupBudget[x], cs.groupCut[x] = g, t, int32(cs.cur), cs.cut
	return g
}

// changedSince reports whether an entity that expression x refers to, at any depth, has a family
// dated after t.
func (cs *solver) changedSince(x int32, t uint64) bool {
	for _, ch := range cs.c.children(x) {
		if ch < 0 {
			if cs.changedSince(-ch-1, t) {
				return true
			}
		} else if cs.stamp[ch] > t {
			return true
		}
	}
	return false
}

// exprFamily returns the minimal sets that leave expression x unmet: those that put at least trip of
// its children down. It builds, child by child, the families of "at least j children down" (a dynamic
// programme over j), which avoids enumerating the combinations of children.
func (cs *solver) exprFamily(x int32) fam {
	kids := cs.c.children(x)
	trip := int(cs.c.trip[x])
	if trip == 1 {
		if len(kids) == 1 {
			return cs.childFamily(kids[0]) // already minimal: share it
		}
		fams := make([]fam, len(kids))
		for i, ch := range kids {
			fams[i] = cs.childFamily(ch)
		}
		f := unionOf(fams, cs.cur, &cs.avoid, false, &cs.union)
		cs.cut = cs.cut || f.full
		return f
	}
	cfs := make([]fam, len(kids))
	for i, ch := range kids {
		cfs[i] = cs.childFamily(ch)
	}
	rel := cs.relevanceFor(cfs, trip)
	if rel != nil && int32(cs.k)*rel.max < int32(trip) {
		// k entities put at most k*max children down.
		rel.reset()
		return fam{end: whole}
	}
	if rel == nil && cs.cannotTrip(cfs, trip) {
		return fam{end: whole}
	}
	// atLeast[j] is the family of "at least j of the children seen so far are down"; atLeast[0] holds
	// the empty set: nothing needs to fail for zero children to be down.
	atLeast := make([]fam, trip+1)
	atLeast[0] = fam{sets: family{{}}, end: whole}
	for j := 1; j <= trip; j++ {
		atLeast[j].end = whole
	}
	for i, cf := range cfs {
		if rel != nil {
			rel.drop(i)
		}
		// "At least j down" only matters while the children left can still bring it to trip.
		lowest := max(1, trip-(len(kids)-1-i))
		for j := min(i+1, trip); j >= lowest; j-- {
			prev := atLeast[j-1]
			if isNone(prev) || isNone(cf) {
				continue // the product is exactly empty: nothing to add
			}
			end := minCut(atLeast[j].end, minCut(prev.end, cf.end))
			if j == 1 && isNone(atLeast[1]) {
				atLeast[1] = cf // the product with the empty set, and nothing to merge with
				continue
			}
			var r *relevance
			if rel != nil && j < trip {
				r, rel.need = rel, int32(trip-j)
			}
			atLeast[j] = cs.productInto(atLeast[j], prev, cf, end, r)
		}
	}
	if rel != nil {
		rel.reset()
	}
	return atLeast[trip]
}

// isNone reports whether f is whole and holds no set: nothing can put it down.
func isNone(f fam) bool { return len(f.sets) == 0 && f.end.n == open }

// cannotTrip reports whether no set of at most k entities puts trip of the children, whose families
// are cfs, down. It is the cheap part of relevanceFor, for when some family is not whole.
func (cs *solver) cannotTrip(cfs []fam, trip int) bool {
	alive := 0
	for _, f := range cfs {
		if !isNone(f) {
			alive++
		}
	}
	return alive < trip
}

// relevance bounds what the rest of a quorum's children can still contribute, so that the families of
// "at least j children down" keep only the sets that can grow into a set that puts trip of them down.
// A quorum of 500 of 1,000 VMs has hundreds of millions of sets of three VMs in those families; at
// order 3 none of them leads anywhere, and under a budget they fill the families and cut them short
// before the sets that matter (clusters that hold many VMs each).
//
// The bound: a child whose family is whole can only be put down by a set that holds an entity of its
// support, the entities of its minimal cut sets up to the order. If count[x] is how many of the
// children left have x in their support, a set u puts at most the sum of count over u of them down.
// A set a that puts j children down so far can grow by k-|a| entities, each counting at most max, so
// it can only matter if the sum of count over a plus (k-|a|)*max reaches trip-j. Failing the test
// passes to supersets (their sum grows by at most max per entity added), so dropping those sets drops
// no set that would dominate a kept one.
type relevance struct {
	k        int
	supports [][]int32 // per child: its support
	count    []int32   // per entity (scratch of the solver)
	hist     []int32   // hist[v]: how many entities have count v
	max      int32     // the largest count
	need     int32     // children still to put down
}

// relevanceFor returns the bound for a quorum of children with families cfs, or nil when it cannot
// hold: a family cut short has an unknown support.
func (cs *solver) relevanceFor(cfs []fam, trip int) *relevance {
	if trip < 2 {
		return nil
	}
	for _, f := range cfs {
		if f.end.n != open {
			return nil
		}
	}
	if cs.count == nil {
		cs.count = make([]int32, len(cs.fams))
		cs.seen = make([]int32, len(cs.fams))
	}
	r := &cs.rel
	r.k, r.count, r.max = cs.k, cs.count, 0
	r.supports = r.supports[:0]
	for i, f := range cfs {
		var sup []int32
		for _, c := range f.sets {
			for _, x := range c.ids() {
				if cs.seen[x] != int32(i+1) {
					cs.seen[x] = int32(i + 1)
					sup = append(sup, x)
				}
			}
		}
		for _, x := range sup {
			cs.count[x]++
			r.max = max(r.max, cs.count[x])
		}
		r.supports = append(r.supports, sup)
	}
	r.hist = slices.Grow(r.hist[:0], int(r.max)+1)[:r.max+1]
	clear(r.hist)
	for _, sup := range r.supports {
		for _, x := range sup {
			if cs.seen[x] != 0 {
				cs.seen[x] = 0
				r.hist[cs.count[x]]++
			}
		}
	}
	return r
}

// drop removes child i from the children left.
func (r *relevance) drop(i int) {
	for _, x := range r.supports[i] {
		r.hist[r.count[x]]--
		r.count[x]--
		r.hist[r.count[x]]++
	}
	for r.max > 0 && r.hist[r.max] == 0 {
		r.max--
	}
}

// reset leaves the counts at zero for the next quorum (drop has been called for every child).
func (r *relevance) reset() {
	for _, sup := range r.supports {
		for _, x := range sup {
			r.count[x] = 0
		}
	}
}

// ok reports whether c can still grow into a set that puts the children needed down.
func (r *relevance) ok(c cut) bool {
	sum := int32(0)
	for _, x := range c.ids() {
		sum += r.count[x]
	}
	return sum+int32(r.k-int(c.n))*r.max >= r.need
}

// productInto returns the minimal sets of acc together with the product of f and g, below end. It
// forms them size by size, smallest first, and stops once the budget is filled: the end then falls on
// a small set and no larger product can matter.
func (cs *solver) productInto(acc, f, g fam, end cut, rel *relevance) fam {
	if hasEmpty(acc.sets) || hasEmpty(f.sets) && hasEmpty(g.sets) {
		return fam{sets: family{{}}, end: end}
	}
	k := newKeeper(end, cs.cur)
	k.avoid, k.rel = &cs.avoid, rel
	p := newPairing(f.sets, g.sets, &cs.elems)
	defer p.done()
	for n := 1; n <= cs.k && !k.full && (k.end.n == open || n <= int(k.end.n)); n++ {
		st := k.stage(n, cs.buf, &cs.keys)
		for _, c := range acc.sets {
			if c.n == uint8(n) && !st.add(c) {
				break // acc is sorted
			}
		}
		p.into(n, st)
		cs.buf = st.flush()
	}
	cs.cut = cs.cut || k.full
	return k.result()
}

// hasEmpty reports whether a family sorted by size holds the empty set: always down.
func hasEmpty(f family) bool { return len(f) > 0 && f[0].n == 0 }

// childFamily returns the family of an expression's child: a nested expression's, or an entity's
// with its sets of one, {ch} and its SPOFs, before its stored sets; without, in both cases, the
// sets that hold a SPOF of the owner (see entityFamily). A union with such a set is dominated, so
// a product would only form and turn them away: two services that share most of their SPOFs in an
// any_of have as many products of them as the square of their lists, and a chain of such groups
// took cubic time. The relevance bound of quorums holds too: a set that grows into one of the
// owner's cut sets puts children down through sets without its SPOFs.
func (cs *solver) childFamily(ch int32) fam {
	if ch < 0 {
		return cs.exprFamily(-ch - 1)
	}
	f := cs.fams[ch]
	ones := cs.sf.get(ch)
	n := 0
	for _, x := range ones {
		if !cs.avoid.has(x) {
			n++
		}
	}
	sets := make(family, 0, n+1+len(f.sets))
	self := ch
	if cs.avoid.has(self) {
		self = -1
	}
	for _, x := range ones {
		if cs.avoid.has(x) {
			continue
		}
		if self >= 0 && self < x {
			sets = append(sets, single(self))
			self = -1
		}
		sets = append(sets, single(x))
	}
	if self >= 0 {
		sets = append(sets, single(self))
	}
	for i := range f.sets {
		if !cs.avoid.holds(&f.sets[i]) {
			sets = append(sets, f.sets[i])
		}
	}
	return fam{sets: sets, end: f.end}
}

func single(e int32) cut { return cut{n: 1, v: [MaxOrder]int32{e}} }
