package analysis

import (
	"slices"

	"github.com/spofhq/spof/internal/par"
)

// cutSets computes, for every entity, its minimal cut sets of order at most k, the entity itself
// included as {e}, keeping at most budget sets of two or more elements per entity (0: all). It runs
// over the components dependencies first; inside a cycle it iterates from {e} to the least fixed
// point (Kleene iteration). The budget applies inside the iteration too, as the whole families of a
// cycle deep in a large platform run to millions of sets: every family stays an exact prefix, and an
// end only moves down, to the least of its inputs' ends and of the set its budget stops at, so the
// iteration still settles.
//
// Truncating to k elements is exact because every operation is monotone: a minimal set of at most k
// elements is only ever built from sets no larger than itself.
type cutSets struct {
	c      *compiled
	k      int
	budget int
	fams   []fam
	// sf are the SPOF sets of the singles pass: an entity that needs all of its references, none of
	// which has a larger cut set, has exactly {e} and its SPOFs as its family.
	sf [][]int32
}

func newCutSets(c *compiled, sf [][]int32, k, budget int) *cutSets {
	return &cutSets{c: c, k: k, budget: budget, fams: make([]fam, c.inv.Len()), sf: sf}
}

// exactFor computes the whole families, without a budget, of e and what it depends on, and nothing
// else: the exact answer for one entity whose budgeted family was cut short too early to tell.
func exactFor(c *compiled, sccs [][]int32, sf [][]int32, k int, e int32) family {
	in := make([]bool, c.inv.Len())
	in[e] = true
	for stack := []int32{e}; len(stack) > 0; {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, d := range c.deps[x] {
			if !in[d] {
				in[d] = true
				stack = append(stack, d)
			}
		}
	}
	var mine [][]int32
	for _, comp := range sccs {
		if in[comp[0]] { // a component is inside the closure whole, or not at all
			mine = append(mine, comp)
		}
	}
	cs := newCutSets(c, sf, k, 0)
	solvers := make([]*solver, par.Workers(len(mine)))
	for w := range solvers {
		solvers[w] = cs.newSolver()
	}
	for _, level := range levels(c, mine) {
		par.ForEachWorker(len(level), func(w, i int) { solvers[w].solve(level[i]) })
	}
	return cs.fams[e].sets
}

// solver is one worker's share of the computation: the shared families, and scratch space of its own.
type solver struct {
	*cutSets
	elems elemIndex
	buf   family // a stage's candidates
}

func (cs *cutSets) newSolver() *solver {
	s := &solver{cutSets: cs}
	s.elems.head = make([]int32, len(cs.fams))
	for i := range s.elems.head {
		s.elems.head[i] = -1
	}
	return s
}

// solve computes the families of one component, whose dependencies are solved.
func (cs *solver) solve(comp []int32) {
	if len(comp) == 1 && !containsInt32(cs.c.deps[comp[0]], comp[0]) {
		e := comp[0]
		if r := cs.c.root[e]; r >= 0 && cs.singlesOnly(r) {
			k := newKeeper(whole, 0)
			k.kept = make(family, 0, len(cs.sf[e])+1)
			k.seedOnes(cs.sf[e], e)
			cs.fams[e] = k.result()
			return
		}
		cs.fams[e] = cs.entityFamily(e, true)
		return
	}
	for _, e := range comp {
		cs.fams[e] = fam{sets: family{single(e)}, end: whole}
	}
	for changed := true; changed; {
		changed = false
		for _, e := range comp {
			next := cs.entityFamily(e, false)
			if !slices.Equal(next.sets, cs.fams[e].sets) || next.end != cs.fams[e].end {
				cs.fams[e], changed = next, true
			}
		}
	}
	for _, e := range comp {
		cs.fams[e] = reduce(cs.fams[e].sets, cs.fams[e].end, cs.budget)
	}
}

// singlesOnly reports whether expression x needs all of its children and none of them, looking
// through nested all-required expressions, has a cut set of two or more: x's family is then the union
// of its children's singles.
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
		f := cs.fams[ch]
		if f.end.n != open || len(f.sets) > 0 && f.sets[len(f.sets)-1].n > 1 {
			return false
		}
	}
	return true
}

// levels groups the components (given dependencies first) by depth: a component's level is one more
// than the highest level among the components it depends on.
func levels(c *compiled, sccs [][]int32) [][][]int32 {
	compOf := make([]int32, c.inv.Len())
	for i, comp := range sccs {
		for _, e := range comp {
			compOf[e] = int32(i)
		}
	}
	level := make([]int32, len(sccs))
	var out [][][]int32
	for i, comp := range sccs {
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
		out[l] = append(out[l], comp)
	}
	return out
}

// entityFamily returns {e} together with the minimal sets that leave e's requirements unmet. e's
// root expression requires all of its references, so this is the merge of {e} with what puts each
// reference down; {e} dominates the sets holding e, which only a cycle back to e brings. Outside a
// cycle (acyclic), the sets of one are e and its SPOFs, known already.
func (cs *solver) entityFamily(e int32, acyclic bool) fam {
	me := fam{sets: family{single(e)}, end: whole}
	r := cs.c.root[e]
	if r < 0 {
		return me
	}
	kids := cs.c.children(r)
	fams := make([]fam, 0, len(kids)+1)
	if !acyclic {
		fams = append(fams, me)
	}
	for _, ch := range kids {
		fams = append(fams, cs.childFamily(ch))
	}
	if acyclic {
		return unionWith(fams, cs.budget, cs.sf[e], e)
	}
	return unionOf(fams, cs.budget)
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
		return unionOf(fams, cs.budget)
	}
	// atLeast[j] is the family of "at least j of the children seen so far are down"; atLeast[0] holds
	// the empty set: nothing needs to fail for zero children to be down.
	atLeast := make([]fam, trip+1)
	atLeast[0] = fam{sets: family{{}}, end: whole}
	for j := 1; j <= trip; j++ {
		atLeast[j].end = whole
	}
	for i, ch := range kids {
		cf := cs.childFamily(ch)
		// "At least j down" only matters while the children left can still bring it to trip.
		lowest := max(1, trip-(len(kids)-1-i))
		for j := min(i+1, trip); j >= lowest; j-- {
			prev := atLeast[j-1]
			end := minCut(atLeast[j].end, minCut(prev.end, cf.end))
			if j == 1 && len(atLeast[1].sets) == 0 && atLeast[1].end.n == open {
				atLeast[1] = cf // the product with the empty set, and nothing to merge with
				continue
			}
			atLeast[j] = cs.productInto(atLeast[j], prev, cf, end)
		}
	}
	return atLeast[trip]
}

// productInto returns the minimal sets of acc together with the product of f and g, below end. It
// forms them size by size, smallest first, and stops once the budget is filled: the end then falls on
// a small set and no larger product can matter.
func (cs *solver) productInto(acc, f, g fam, end cut) fam {
	if hasEmpty(acc.sets) || hasEmpty(f.sets) && hasEmpty(g.sets) {
		return fam{sets: family{{}}, end: end}
	}
	k := newKeeper(end, cs.budget)
	p := newPairing(f.sets, g.sets, &cs.elems)
	defer p.done()
	for n := 1; n <= cs.k && !k.full && (k.end.n == open || n <= int(k.end.n)); n++ {
		st := k.stage(n, cs.buf)
		for _, c := range acc.sets {
			if c.n == uint8(n) && !st.add(c) {
				break // acc is sorted
			}
		}
		p.into(n, st)
		cs.buf = st.flush()
	}
	return k.result()
}

// hasEmpty reports whether a family sorted by size holds the empty set: always down.
func hasEmpty(f family) bool { return len(f) > 0 && f[0].n == 0 }

func (cs *solver) childFamily(ch int32) fam {
	if ch < 0 {
		return cs.exprFamily(-ch - 1)
	}
	return cs.fams[ch]
}

func single(e int32) cut { return cut{n: 1, v: [MaxOrder]int32{e}} }
