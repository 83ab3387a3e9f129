// Package brute is the independent reference the property tests compare spof's algorithms with: it
// evaluates requirement trees directly and propagates failures by brute force to the least fixed
// point. It is deliberately naive and shares no code with the packages it checks; only tests use it.
package brute

import "github.com/spofhq/spof/internal/model"

// Down returns the down set of the failed entities: start from them, add every entity with an unmet
// requirement, repeat until nothing changes. met decides whether a requirement holds (Met, or a
// variant a test defines).
func Down(inv *model.Inventory, failed []bool, met func(*model.Req, []bool) bool) []bool {
	down := make([]bool, inv.Len())
	copy(down, failed)
	for changed := true; changed; {
		changed = false
		for i := range inv.Entities {
			if down[i] {
				continue
			}
			for _, ref := range inv.Entities[i].Refs {
				if !met(ref.Req, down) {
					down[i], changed = true, true
					break
				}
			}
		}
	}
	return down
}

// DownOf is Down of the entities listed in failed, with Met: the down set most tests want.
func DownOf(inv *model.Inventory, failed []int32) []bool {
	marks := make([]bool, inv.Len())
	for _, f := range failed {
		marks[f] = true
	}
	return Down(inv, marks, Met)
}

// Met reports whether requirement r holds when the entities marked in down are down.
func Met(r *model.Req, down []bool) bool {
	return MetBy(r, func(e int32) bool { return !down[e] })
}

// MetBy reports whether requirement r holds when up says which entities are up.
func MetBy(r *model.Req, up func(int32) bool) bool {
	if r.Op == model.Need {
		return up(r.Entity)
	}
	n := 0
	for _, m := range r.Members {
		if MetBy(m, up) {
			n++
		}
	}
	switch r.Op {
	case model.AllOf:
		return n == len(r.Members)
	case model.AnyOf:
		return n >= 1
	default:
		return n >= r.K
	}
}
