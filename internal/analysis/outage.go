package analysis

import "github.com/spofhq/spof/internal/model"

// Chain returns how e came to be down: e, the dependency that tripped it, and so on back to a failed
// entity. It returns nil when e is up.
func (o *Outage) Chain(e int32) []int32 {
	if !o.Down[e] {
		return nil
	}
	chain := []int32{e}
	for at := o.Cause[e]; at >= 0; at = o.Cause[at] {
		chain = append(chain, at)
	}
	return chain
}

// Held is a redundancy group that lost members in an outage but still holds.
type Held struct {
	Entity int32
	Key    string
	Group  *model.Req
	// Lost are the members that are down (for nested groups, their entities), Up those still up.
	Lost, Up []int32
}

// Held returns, for every entity still up, its groups that lost members but held, in entity order.
func (r *Result) Held(o *Outage) []Held {
	var out []Held
	for i := range r.Inv.Entities {
		if o.Down[i] {
			continue
		}
		for _, ref := range r.Inv.Entities[i].Refs {
			ref.Req.Walk(func(g *model.Req) {
				if !g.Redundant() {
					return
				}
				var lost, up []int32
				for _, m := range g.Members {
					ents := leaves(m)
					if met(m, o.Down) {
						up = append(up, ents...)
					} else {
						lost = append(lost, ents...)
					}
				}
				if len(lost) > 0 && met(g, o.Down) {
					out = append(out, Held{Entity: int32(i), Key: ref.Key, Group: g, Lost: lost, Up: up})
				}
			})
		}
	}
	return out
}

func leaves(r *model.Req) []int32 {
	var out []int32
	r.Walk(func(n *model.Req) {
		if n.Op == model.Need {
			out = append(out, n.Entity)
		}
	})
	return out
}

// met reports whether requirement r holds when the entities marked in down are down.
func met(r *model.Req, down []bool) bool {
	if r.Op == model.Need {
		return !down[r.Entity]
	}
	up := 0
	for _, m := range r.Members {
		if met(m, down) {
			up++
		}
	}
	return up >= r.Need()
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
	sortInt32(deps)
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
