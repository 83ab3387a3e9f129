package analysis

import (
	"slices"
	"sync"
	"sync/atomic"

	"github.com/spofhq/spof/internal/par"
	"github.com/spofhq/spof/internal/sorted"
)

// Components returns the strongly connected components of the dependency graph, dependencies before
// their dependents, each ascending; an entity outside every cycle is a component of its own. Callers
// must not modify the result.
func (r *Result) Components() [][]int32 { return r.sccs }

// cycle is a component with a cycle, prepared for the fixed-point passes: the SPOFs, the cut sets and
// the path lengths of its members depend on each other, and each pass recomputes a member until
// nothing changes.
//
// The order of those recomputations is what makes a cycle cheap or not. In ID order, a ring whose
// members each depend on the next one in ID order gains one member's information per sweep: n
// sweeps of n members, cubic time once every member lists the others. A worklist started in
// dependency order and fed only with the members whose dependencies changed goes round a ring twice,
// whichever way it is declared, and costs the size of what it computes.
type cycle struct {
	members []int32 // the component, ascending
	// order lists the members (by their index in members) in the post-order of a depth-first
	// search along dependencies: a member after what it depends on, but for the edges that close
	// the cycles.
	order []int32
	// users[usersStart[i]:usersStart[i+1]] are the members (by index) that depend on member i.
	usersStart []int32
	users      []int32
}

// cycles returns, aligned with sccs, the cycle of each component that has one (more than one member,
// or an entity that depends on itself), and nil for the others.
func cycles(c *compiled, sccs [][]int32) []*cycle {
	out := make([]*cycle, len(sccs))
	var pos []int32 // per entity: its index in its component, for the components with a cycle
	for i, comp := range sccs {
		if len(comp) == 1 && !sorted.Contains(c.deps[comp[0]], comp[0]) {
			continue
		}
		if pos == nil {
			pos = make([]int32, len(c.deps))
		}
		out[i] = newCycle(c, comp, pos)
	}
	return out
}

func newCycle(c *compiled, comp []int32, pos []int32) *cycle {
	for i, e := range comp {
		pos[e] = int32(i)
	}
	// local returns the index of d in comp, or -1; pos holds stale indexes of other components,
	// which the comparison rejects.
	local := func(d int32) int32 {
		if i := pos[d]; int(i) < len(comp) && comp[i] == d {
			return i
		}
		return -1
	}
	cy := &cycle{members: comp, usersStart: make([]int32, len(comp)+1)}
	for _, e := range comp {
		for _, d := range c.deps[e] {
			if i := local(d); i >= 0 {
				cy.usersStart[i+1]++
			}
		}
	}
	for i := 1; i < len(cy.usersStart); i++ {
		cy.usersStart[i] += cy.usersStart[i-1]
	}
	cy.users = make([]int32, cy.usersStart[len(comp)])
	fill := append([]int32(nil), cy.usersStart[:len(comp)]...)
	for u, e := range comp {
		for _, d := range c.deps[e] {
			if i := local(d); i >= 0 {
				cy.users[fill[i]] = int32(u)
				fill[i]++
			}
		}
	}
	// Depth-first post-order, iteratively: a ring of 200,000 members would otherwise recurse as
	// deep.
	cy.order = make([]int32, 0, len(comp))
	seen := make([]bool, len(comp))
	type frame struct{ member, next int32 }
	var stack []frame
	for root := range int32(len(comp)) {
		if seen[root] {
			continue
		}
		seen[root] = true
		stack = append(stack, frame{root, 0})
		for len(stack) > 0 {
			top := &stack[len(stack)-1]
			deps := c.deps[comp[top.member]]
			if int(top.next) < len(deps) {
				d := local(deps[top.next])
				top.next++
				if d >= 0 && !seen[d] {
					seen[d] = true
					stack = append(stack, frame{d, 0})
				}
				continue
			}
			cy.order = append(cy.order, top.member)
			stack = stack[:len(stack)-1]
		}
	}
	return cy
}

// fixpoint calls update for every member, in order, then again for each member that depends on one
// whose update reported a change, until no update does. update must be monotone for this to end: the
// callers iterate to a least fixed point over finite values.
func (cy *cycle) fixpoint(update func(e int32) bool) {
	n := len(cy.members)
	queued := make([]bool, n)
	// A ring buffer: a member is queued at most once at a time.
	queue := make([]int32, n)
	copy(queue, cy.order)
	for i := range queued {
		queued[i] = true
	}
	head, size := 0, n
	for size > 0 {
		i := queue[head]
		head = (head + 1) % n
		size--
		queued[i] = false
		if !update(cy.members[i]) {
			continue
		}
		for _, u := range cy.users[cy.usersStart[i]:cy.usersStart[i+1]] {
			if !queued[u] {
				queued[u] = true
				queue[(head+size)%n] = u
				size++
			}
		}
	}
}

// schedule calls f for each component of comps (indexes into sccs, dependencies first, holding what
// they depend on among sccs, or what is solved already), on every core: w is the index of the
// worker, below par.Workers(len(comps)). A component starts as soon as those it depends on among
// comps are done, not once a whole level of them is: the rounds of complete solve a few components
// per level along chains of services, and a core waited at the end of most levels.
func schedule(c *compiled, sccs [][]int32, comps []int32, f func(w int, ci int32)) {
	if len(comps) == 0 {
		return
	}
	// pos is, per entity of a component of comps, the index of that component in comps plus one.
	pos := make([]int32, len(c.deps))
	for i, ci := range comps {
		for _, e := range sccs[ci] {
			pos[e] = int32(i + 1)
		}
	}
	// waiting counts, per component, those it depends on that are not done; users lists, per
	// component, those that depend on it; both among comps.
	waiting := make([]atomic.Int32, len(comps))
	count := make([]int32, len(comps)+1)
	var edges [][2]int32 // (dependency, user), indexes into comps
	var seen []int32
	for i, ci := range comps {
		seen = seen[:0]
		for _, e := range sccs[ci] {
			for _, d := range c.deps[e] {
				if j := pos[d] - 1; j >= 0 && j != int32(i) && !slices.Contains(seen, j) {
					seen = append(seen, j)
					edges = append(edges, [2]int32{j, int32(i)})
					count[j+1]++
				}
			}
		}
		waiting[i].Store(int32(len(seen)))
	}
	for i := 1; i < len(count); i++ {
		count[i] += count[i-1]
	}
	users := make([]int32, len(edges))
	fill := slices.Clone(count)
	for _, ed := range edges {
		users[fill[ed[0]]] = ed[1]
		fill[ed[0]]++
	}
	ready := make(chan int32, len(comps))
	for i := range comps {
		if waiting[i].Load() == 0 {
			ready <- int32(i)
		}
	}
	var left atomic.Int32
	left.Store(int32(len(comps)))
	var wg sync.WaitGroup
	for w := range par.Workers(len(comps)) {
		wg.Go(func() {
			for i := range ready {
				f(w, comps[i])
				for _, u := range users[count[i]:count[i+1]] {
					if waiting[u].Add(-1) == 0 {
						ready <- u
					}
				}
				if left.Add(-1) == 0 {
					close(ready)
				}
			}
		})
	}
	wg.Wait()
}
