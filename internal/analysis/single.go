package analysis

import (
	"math"
	"slices"

	"github.com/spofhq/spof/internal/sorted"
)

// solveSingles computes, for every entity e of one strongly connected component whose dependencies
// are solved, the sorted set of other entities whose failure alone puts e down: e's SPOFs. cy is the
// component's cycle, or nil when it has none.
//
// The components are solved dependencies first. For a fixed failed X, "down" is a least fixed point;
// the sets for all X together are the least fixed point of the same monotone operator applied
// pointwise, so iterating inside a cycle from empty sets until nothing changes yields exactly the
// least-fixed-point answer (Kleene iteration), and outside cycles one pass suffices.
func (c *compiled) solveSingles(t *spofTable, comp []int32, cy *cycle, scratch *singlesScratch) {
	if cy == nil {
		e := comp[0]
		if d := t.single[e]; d >= 0 && t.size[d]+1 >= chainMin {
			t.chain(e, d) // the SPOFs of d and d: nothing to compute
			return
		}
		t.store(e, c.downBy(t, e, scratch))
		return
	}
	cy.fixpoint(func(e int32) bool {
		next := c.downBy(t, e, scratch)
		if slices.Equal(next, t.list[e]) {
			return false
		}
		t.store(e, next)
		return true
	})
}

// downBy returns the entities other than e whose single failure leaves e's requirements unmet, given sf
// for e's dependencies.
func (c *compiled) downBy(sf *spofTable, e int32, scratch *singlesScratch) []int32 {
	r := c.root[e]
	if r < 0 {
		return nil
	}
	// The root requires all of e's references: one down puts e down.
	set := c.unionOfChildren(sf, c.children(r), scratch)
	if i, ok := slices.BinarySearch(set, e); ok {
		// e in its own set comes from a cycle back to e: e failing is not a SPOF of e.
		set = slices.Delete(set, i, i+1)
	}
	return set
}

// singlesScratch is the space one worker reuses from one entity to the next.
type singlesScratch struct{ buf, a, b []int32 }

// unionOfChildren returns the entities whose single failure puts one of kids down: each entity kid
// and its SPOFs, and what defeats each nested expression. That is most entities' requirement (all of
// their references), and merging the sorted lists two at a time beats sorting their concatenation.
func (c *compiled) unionOfChildren(sf *spofTable, kids []int32, s *singlesScratch) []int32 {
	cur := s.a[:0]
	for _, k := range kids {
		var list []int32
		if k < 0 {
			list, k = c.exprDownBy(sf, -k-1, &s.buf), -1
		} else {
			list = sf.get(k)
		}
		next := s.b[:0]
		i, j := 0, 0
		for i < len(cur) || j < len(list) || k >= 0 {
			// The smallest of cur[i], list[j] and k (while k is pending), once.
			v := int32(math.MaxInt32)
			if i < len(cur) {
				v = cur[i]
			}
			if j < len(list) {
				v = min(v, list[j])
			}
			if k >= 0 {
				v = min(v, k)
			}
			if i < len(cur) && cur[i] == v {
				i++
			}
			if j < len(list) && list[j] == v {
				j++
			}
			if k == v {
				k = -1
			}
			next = append(next, v)
		}
		s.a, s.b = next, cur
		cur = next
	}
	return slices.Clone(cur)
}

// exprDownBy returns the entities whose single failure leaves expression x unmet.
func (c *compiled) exprDownBy(sf *spofTable, x int32, scratch *[]int32) []int32 {
	kids := c.children(x)
	lists := make([][]int32, len(kids))
	for i, k := range kids {
		lists[i] = c.childDownBy(sf, k, scratch)
	}
	return sorted.AtLeast(lists, int(c.trip[x]), scratch)
}

// childDownBy returns the single failures that put child k down: entity k itself and its SPOFs, or what
// defeats a nested expression.
func (c *compiled) childDownBy(sf *spofTable, k int32, scratch *[]int32) []int32 {
	if k < 0 {
		return c.exprDownBy(sf, -k-1, scratch)
	}
	return sorted.Insert(sf.get(k), k)
}

// noPath is the distance to an entity that is not a SPOF; it exceeds any real path length.
const noPath = ^uint32(0)

// solveDistances computes, for every entity e of one component whose dependencies are solved and
// each of e's SPOFs x (aligned with its list), the length of the shortest causal path from e to x (see
// causes) and the first step of that path: the cause with the lowest ID among the nearest ones. x is
// the first step when it is itself a cause of e's failure. A breadth-first search for every (service,
// SPOF) pair would repeat this work; solving the components dependencies first shares it, and a path
// is then a walk along first steps. Inside a cycle the distances are relaxed until they stop shrinking
// (Bellman-Ford, on the cycle's worklist), then the first steps are chosen. A chained entity (see
// spofTable) stores none of this: its paths run down its chain.
//
// at records, aligned the same way, where x sits in the first step's SPOF list (-1 when the first step
// is x itself, -2 when the first step is chained), so that a path is followed without a search at
// each step.
func (c *compiled) solveDistances(p *pathTable, comp []int32, cy *cycle) {
	dist, step := p.dist, p.step
	// relax improves e's distances from its causes', in ascending ID order so that only a strictly
	// shorter path replaces a step: the first step kept is the lowest ID among the nearest.
	relax := func(e int32) bool {
		changed := false
		c.eachCauses(p, e, func(i int, x int32, causes []cause) {
			best, first := dist[e][i], step[e][i]
			for _, d := range causes {
				if d.id == x {
					best, first = 1, pathStep{x, -1}
					break
				}
				if d.dist != noPath && d.dist+1 < best {
					best, first = d.dist+1, pathStep{d.id, d.at}
				}
			}
			if best != dist[e][i] || first.hop != step[e][i].hop {
				dist[e][i], step[e][i], changed = best, first, true
			}
		})
		return changed
	}
	for _, e := range comp {
		if p.sf.thru[e] >= 0 {
			return // chained: a component of its own
		}
		n := len(p.sf.list[e])
		dist[e] = make([]uint32, n)
		step[e] = make([]pathStep, n)
		for i := range dist[e] {
			dist[e][i], step[e][i] = noPath, pathStep{-1, -1}
		}
	}
	if cy == nil {
		relax(comp[0])
		return
	}
	cy.fixpoint(relax)
	// Relaxation order inside a cycle can leave a higher ID as the first step of a tie: choose
	// again, now that the distances are final.
	for _, e := range comp {
		c.eachCauses(p, e, func(i int, x int32, causes []cause) {
			for _, d := range causes {
				if d.id == x && dist[e][i] == 1 || d.id != x && d.dist+1 == dist[e][i] {
					step[e][i] = pathStep{d.id, d.at}
					return
				}
			}
		})
	}
}

// pathTable holds, per entity that stores its SPOF list and aligned with it, the length of the
// shortest causal path to each SPOF, its first step, and where the SPOF sits in the first step's
// list (see solveDistances).
type pathTable struct {
	sf   *spofTable
	dist [][]uint32
	step [][]pathStep
}

// pathStep is the first step of the path from an entity to one of its SPOFs and where the SPOF sits
// in that step's list: side by side, as a path is followed one step at a time, through a hundred
// million steps for the JSON document of a dense platform, and each step read from memory costs a
// cache miss.
type pathStep struct{ hop, at int32 }

func newPathTable(sf *spofTable) *pathTable {
	n := len(sf.list)
	return &pathTable{sf: sf, dist: make([][]uint32, n), step: make([][]pathStep, n)}
}

// distance returns the length of the shortest causal path from e to x, one of its SPOFs, given the
// index i of x in e's list (ignored when e is chained).
func (p *pathTable) distance(e, x int32, i int) uint32 {
	t := p.sf
	if t.thru[e] < 0 {
		return p.dist[e][i]
	}
	end := t.end[e]
	if j, ok := slices.BinarySearch(t.list[end], x); ok {
		return uint32(t.depth[e]) + p.dist[end][j] // down the chain, then end's path
	}
	return uint32(t.depth[e] - t.depth[x]) // x is on the chain
}

// appendPath appends to dst the path from e to x, one of its SPOFs, following the first steps: i is
// the index of x in e's list, or -2 when e is chained.
func (p *pathTable) appendPath(dst []int32, e, x, i int32) []int32 {
	return p.appendHead(dst, e, x, i, -1)
}

// appendHead is appendPath that stops once dst holds keep entities (keep < 0: never).
func (p *pathTable) appendHead(dst []int32, e, x, i int32, keep int) []int32 {
	t := p.sf
	dst = append(dst, e)
	for cur := e; len(dst) != keep; {
		if i == -2 { // cur is chained: down the chain to x, or to its end
			for t.thru[cur] >= 0 && len(dst) != keep {
				cur = t.thru[cur]
				dst = append(dst, cur)
				if cur == x {
					return dst
				}
			}
			if len(dst) == keep {
				return dst
			}
			j, _ := slices.BinarySearch(t.list[cur], x)
			i = int32(j)
		}
		st := p.step[cur][i]
		next, at := st.hop, st.at
		dst = append(dst, next)
		if at == -1 { // next is x
			return dst
		}
		cur, i = next, at
	}
	return dst
}

// cause is a dependency to blame for an entity's failure, with the index of the failed entity x in
// its SPOF list (-1 when it is x itself, -2 when it is chained) and the length of its path to x.
type cause struct {
	id, at int32
	dist   uint32
}

// eachCauses calls f for each SPOF x of e, in order, with the causes of e's failure when x fails alone
// (see the function causes), ascending. It walks e's SPOFs and those of its dependencies side by
// side, as all of them are sorted, rather than searching them for every pair: this runs for every
// (entity, SPOF) pair.
func (c *compiled) eachCauses(p *pathTable, e int32, f func(i int, x int32, causes []cause)) {
	deps := c.deps[e]
	at := make([]int32, 2*len(deps)) // per dependency: where the walk is in its SPOFs, and x's index or -1
	next, down := at[:len(deps)], at[len(deps):]
	lists := make([][]int32, len(deps))
	for t, d := range deps {
		lists[t] = p.sf.get(d)
	}
	var blamed []bool
	var out []cause
	r := c.root[e]
	allDown := r >= 0 && !c.nested[r] // the root needs all: every down dependency is a cause
	add := func(t int, x int32) {
		d := deps[t]
		switch {
		case d == x:
			out = append(out, cause{d, -1, 0})
		case p.sf.thru[d] >= 0:
			out = append(out, cause{d, -2, p.distance(d, x, int(down[t]))})
		default:
			out = append(out, cause{d, down[t], p.dist[d][down[t]]})
		}
	}
	for i, x := range p.sf.list[e] {
		for t, d := range deps {
			s, q := lists[t], next[t]
			for int(q) < len(s) && s[q] < x {
				q++
			}
			next[t] = q
			switch {
			case d == x:
				down[t] = -1
			case int(q) < len(s) && s[q] == x:
				down[t] = q
			default:
				down[t] = -2 // up
			}
		}
		out = out[:0]
		if allDown {
			for t := range deps {
				if down[t] != -2 {
					add(t, x)
				}
			}
		} else {
			if blamed == nil {
				blamed = make([]bool, len(deps))
			}
			clear(blamed)
			c.blame(r, down, blamed)
			for t := range deps {
				if blamed[t] {
					add(t, x)
				}
			}
		}
		f(i, x, out)
	}
}

// blame marks, in blamed (aligned with the owner's deps), the down entities reached from expression x
// through unmet expressions only, given down (-2 for a dependency that is up); none when x holds.
func (c *compiled) blame(x int32, down []int32, blamed []bool) {
	if !c.unmet(x, down) {
		return
	}
	start := c.kidsStart[x]
	for j, ch := range c.children(x) {
		if ch < 0 {
			c.blame(-ch-1, down, blamed)
		} else if t := c.kidDep[start+int32(j)]; down[t] != -2 {
			blamed[t] = true
		}
	}
}

// unmet reports whether at least trip children of x are down.
func (c *compiled) unmet(x int32, down []int32) bool {
	n := int32(0)
	start := c.kidsStart[x]
	for j, ch := range c.children(x) {
		if ch < 0 {
			if c.unmet(-ch-1, down) {
				n++
			}
		} else if down[c.kidDep[start+int32(j)]] != -2 {
			n++
		}
	}
	return n >= c.trip[x]
}
