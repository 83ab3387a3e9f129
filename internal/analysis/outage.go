package analysis

import (
	"slices"

	"github.com/spofhq/spof/internal/model"
)

// Chain returns how e came to be down: e, a dependency to blame for it, and so on to a failed entity,
// or nil when e is up. It is a shortest such chain, preferring lower IDs, and every step is a cause in
// the sense of Path (never a member a redundancy group lost while holding), so that the chain of an
// outage of one entity x is Path(e, x), the path analyze and impact print. The chains are stored as a
// tree, each down entity's next step, built on the first call in one pass over the outage: the chains
// of n entities may hold n²/2 steps (a chain of services failing at its end), so they are spelled out
// one at a time, by the caller, or read in part with ChainLen, ChainHead and ChainEnd.
func (o *Outage) Chain(e int32) []int32 {
	return o.ChainHead(e, o.ChainLen(e), nil)
}

// ChainLen returns the number of entities of Chain(e), e and the failed entity included; 0 when e is
// up. It costs nothing once the chains are built.
func (o *Outage) ChainLen(e int32) int {
	if !o.Down[e] {
		return 0
	}
	o.chainOnce.Do(o.buildChains)
	return int(max(o.dist[e], 0)) + 1 // a down entity is always reached, but a chain holds e at least
}

// ChainHead appends to dst[:0] the first n entities of Chain(e) (all of them when it has fewer), in
// time proportional to n.
func (o *Outage) ChainHead(e int32, n int, dst []int32) []int32 {
	out := dst[:0]
	if !o.Down[e] {
		return out
	}
	o.chainOnce.Do(o.buildChains)
	for at := e; at >= 0 && len(out) < n; at = o.next[at] {
		out = append(out, at)
	}
	return out
}

// ChainEnd returns the last entity of Chain(e), the failed entity it ends at; -1 when e is up.
func (o *Outage) ChainEnd(e int32) int32 {
	if !o.Down[e] {
		return -1
	}
	o.chainOnce.Do(o.buildChains)
	return o.end[e]
}

// buildChains finds, for every down entity, its distance to the failed entities along causes (a
// breadth-first search from the failed ones over reversed causes) and its next step: its lowest cause
// one step closer.
func (o *Outage) buildChains() {
	n := len(o.Down)
	down := func(d int32) bool { return o.Down[d] }
	blame := make([][]int32, n)
	users := make([][]int32, n) // users[d]: the down entities that d is a cause of
	dist := make([]int32, n)
	o.next = make([]int32, n)
	o.end = make([]int32, n)
	var queue []int32
	for e := range int32(n) {
		dist[e], o.next[e], o.end[e] = -1, -1, e
		if !o.Down[e] {
			continue
		}
		if o.Cause[e] < 0 {
			dist[e] = 0
			queue = append(queue, e)
			continue
		}
		blame[e] = Causes(o.inv, e, down)
		for _, d := range blame[e] {
			users[d] = append(users[d], e)
		}
	}
	for i := 0; i < len(queue); i++ { // queue keeps its order: by distance, for the ends below
		d := queue[i]
		for _, e := range users[d] {
			if dist[e] < 0 {
				dist[e] = dist[d] + 1
				queue = append(queue, e)
			}
		}
	}
	for e, bs := range blame {
		for _, d := range bs { // ascending: the first one a step closer has the lowest ID
			if dist[d] == dist[e]-1 {
				o.next[e] = d
				break
			}
		}
	}
	for _, e := range queue { // a step closer comes first
		if o.next[e] >= 0 {
			o.end[e] = o.end[o.next[e]]
		}
	}
	o.dist = dist
}

// Met reports whether requirement r holds in the outage.
func (o *Outage) Met(r *model.Req) bool {
	return metBy(r, func(e int32) bool { return o.Down[e] })
}

// GroupHit is a redundancy group (see model.Req.Redundant) that lost members in an outage.
type GroupHit struct {
	Entity int32
	Key    string
	Group  *model.Req
	// Lost are the members that are unmet (for nested groups, the entities below them), Up those still
	// met, each in the order written.
	Lost, Up []int32
}

// Held returns, for every entity still up, its redundancy groups that lost members but held, in entity
// order then the order written.
func (r *Result) Held(o *Outage) []GroupHit { return r.groupHits(o, true) }

// Defeated returns, for every entity down as a consequence of the failure, its redundancy groups that
// lost so many members that they are unmet, in entity order then the order written: where redundancy
// did not protect, often because the members shared what failed.
func (r *Result) Defeated(o *Outage) []GroupHit { return r.groupHits(o, false) }

func (r *Result) groupHits(o *Outage, held bool) []GroupHit {
	var out []GroupHit
	for i := range r.Inv.Entities {
		if o.Down[i] == held || (!held && o.Cause[i] < 0) {
			continue
		}
		for _, ref := range r.Inv.Entities[i].Refs {
			ref.Req.Walk(func(g *model.Req) {
				if !g.Redundant() || o.Met(g) != held {
					return
				}
				var lost, up []int32
				for _, m := range g.Members {
					if o.Met(m) {
						up = m.AppendEntities(up)
					} else {
						lost = m.AppendEntities(lost)
					}
				}
				if len(lost) > 0 {
					out = append(out, GroupHit{Entity: int32(i), Key: ref.Key, Group: g, Lost: lost, Up: up})
				}
			})
		}
	}
	return out
}

// Dependents returns the reverse dependency closure of x: every entity that depends on x directly or
// transitively, x excluded, with for each the next step of a shortest path towards x (toward[e] is
// the dependency of e on that path). Entities are ascending.
func (r *Result) Dependents(x int32) (deps []int32, toward map[int32]int32) {
	r.rdepsOnce.Do(r.buildRdeps)
	toward = map[int32]int32{x: -1}
	queue := []int32{x}
	for len(queue) > 0 {
		cur := queue[0]
		queue = queue[1:]
		for _, d := range r.rdeps[cur] {
			if _, seen := toward[d]; !seen {
				toward[d] = cur
				queue = append(queue, d)
				deps = append(deps, d)
			}
		}
	}
	slices.Sort(deps)
	delete(toward, x)
	return deps, toward
}

func (r *Result) buildRdeps() {
	r.rdeps = make([][]int32, r.Inv.Len())
	for e, ds := range r.c.deps { // e ascends, so each list is ascending
		for _, d := range ds {
			r.rdeps[d] = append(r.rdeps[d], int32(e))
		}
	}
}
