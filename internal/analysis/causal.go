package analysis

import (
	"slices"

	"github.com/spofhq/spof/internal/model"
)

// Causes returns, ascending, the dependencies of e that are to blame when e is down: the down entities
// reached from one of e's unmet reference keys through unmet groups only. A member lost by a group that
// held is not a cause: a path through it would explain an outage by a loss that redundancy absorbed.
func Causes(inv *model.Inventory, e int32, down func(int32) bool) []int32 {
	return causesInto(inv, e, down, nil)
}

// causesInto is causes appending to dst[:0], to reuse its space.
func causesInto(inv *model.Inventory, e int32, down func(int32) bool, dst []int32) []int32 {
	out := dst[:0]
	for _, ref := range inv.Entities[e].Refs {
		out = unmetLeaves(ref.Req, down, out)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func unmetLeaves(r *model.Req, down func(int32) bool, dst []int32) []int32 {
	if r.Op == model.Need {
		if down(r.Entity) {
			dst = append(dst, r.Entity)
		}
		return dst
	}
	if metBy(r, down) {
		return dst
	}
	for _, m := range r.Members {
		dst = unmetLeaves(m, down, dst)
	}
	return dst
}

// metBy reports whether requirement r holds when the entities for which down returns true are down.
func metBy(r *model.Req, down func(int32) bool) bool {
	if r.Op == model.Need {
		return !down(r.Entity)
	}
	up := 0
	for _, m := range r.Members {
		if metBy(m, down) {
			up++
		}
	}
	return up >= r.Need()
}
