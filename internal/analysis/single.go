package analysis

import "slices"

// singles computes, for every entity e, the sorted set of other entities whose failure alone puts e
// down: the entities whose SPOFs they are.
//
// It works bottom-up over the strongly connected components, dependencies first. For a fixed failed X,
// "down" is a least fixed point; the sets for all X together are the least fixed point of the same
// monotone operator applied pointwise, so iterating inside a cycle from empty sets until nothing changes
// yields exactly the least-fixed-point answer (Kleene iteration), and outside cycles one pass suffices.
func (c *compiled) singles(sccs [][]int32) [][]int32 {
	sf := make([][]int32, c.inv.Len())
	var scratch []int32
	for _, comp := range sccs {
		if len(comp) == 1 && !containsInt32(c.deps[comp[0]], comp[0]) {
			sf[comp[0]] = c.downBy(sf, comp[0], &scratch)
			continue
		}
		for changed := true; changed; {
			changed = false
			for _, e := range comp {
				next := c.downBy(sf, e, &scratch)
				if !slices.Equal(next, sf[e]) {
					sf[e], changed = next, true
				}
			}
		}
	}
	return sf
}

// downBy returns the entities other than e whose single failure leaves e's requirements unmet, given sf
// for e's dependencies.
func (c *compiled) downBy(sf [][]int32, e int32, scratch *[]int32) []int32 {
	if c.root[e] < 0 {
		return nil
	}
	set := c.exprDownBy(sf, c.root[e], scratch)
	if i, ok := slices.BinarySearch(set, e); ok {
		// e in its own set comes from a cycle back to e: e failing is not a SPOF of e.
		set = slices.Delete(slices.Clone(set), i, i+1)
	}
	return set
}

// exprDownBy returns the entities whose single failure leaves expression x unmet.
func (c *compiled) exprDownBy(sf [][]int32, x int32, scratch *[]int32) []int32 {
	kids := c.children(x)
	lists := make([][]int32, len(kids))
	for i, k := range kids {
		lists[i] = c.childDownBy(sf, k, scratch)
	}
	return threshold(lists, int(c.trip[x]), scratch)
}

// childDownBy returns the single failures that put child k down: entity k itself and its SPOFs, or what
// defeats a nested expression.
func (c *compiled) childDownBy(sf [][]int32, k int32, scratch *[]int32) []int32 {
	if k < 0 {
		return c.exprDownBy(sf, -k-1, scratch)
	}
	return insertInt32(sf[k], k)
}

// noPath is the distance to an entity that is not a SPOF; it exceeds any real path length.
const noPath = ^uint16(0)

// distances computes, for every entity e and each of its SPOFs x (aligned with sf[e]), the length of
// the shortest causal path from e to x (see causes): 1 when x is itself a cause of e's failure, else
// one more than the nearest cause. Breadth-first search from every
// service to every SPOF would repeat this work for each pair; one pass over the components shares it.
// Inside a cycle the distances are relaxed until they stop shrinking (Bellman-Ford).
func (c *compiled) distances(sccs [][]int32, sf [][]int32) [][]uint16 {
	dist := make([][]uint16, len(sf))
	relax := func(e int32) bool {
		changed := false
		for i, x := range sf[e] {
			best := dist[e][i]
			down := func(d int32) bool { return d == x || containsInt32(sf[d], x) }
			for _, d := range causes(c.inv, e, down) {
				if d == x {
					best = 1
					break
				}
				if j, ok := slices.BinarySearch(sf[d], x); ok && dist[d][j] != noPath && dist[d][j]+1 < best {
					best = dist[d][j] + 1
				}
			}
			if best != dist[e][i] {
				dist[e][i], changed = best, true
			}
		}
		return changed
	}
	for _, comp := range sccs {
		for _, e := range comp {
			dist[e] = make([]uint16, len(sf[e]))
			for i := range dist[e] {
				dist[e][i] = noPath
			}
		}
		for changed := true; changed; {
			changed = false
			for _, e := range comp {
				if relax(e) {
					changed = true
				}
			}
			if len(comp) == 1 {
				break
			}
		}
	}
	return dist
}
