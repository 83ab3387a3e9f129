package review

import (
	"slices"

	"github.com/spofhq/spof/internal/analysis"
	"github.com/spofhq/spof/internal/model"
)

// closure marks roots and every entity they depend on, directly or transitively. Whether an entity is
// down depends only on the entities it depends on, so an inventory cut down to the closure of some
// services gives exactly the same SPOFs, cut sets and tolerance for them.
func closure(res *analysis.Result, roots []int32) []bool {
	in := make([]bool, res.Inv.Len())
	stack := slices.Clone(roots)
	for _, r := range roots {
		in[r] = true
	}
	for len(stack) > 0 {
		e := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, d := range res.Deps(e) {
			if !in[d] {
				in[d] = true
				stack = append(stack, d)
			}
		}
	}
	return in
}

// subIndexes returns the indexes in sub of the entities of inv given, by ID.
func subIndexes(inv, sub *model.Inventory, xs []int32) []int32 {
	out := make([]int32, len(xs))
	for i, x := range xs {
		out[i], _ = sub.Lookup(inv.ID(x))
	}
	return out
}
