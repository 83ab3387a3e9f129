package review

import "github.com/spofhq/spof/internal/model"

// subIndexes returns the indexes in sub of the entities of inv given, by ID.
func subIndexes(inv, sub *model.Inventory, xs []int32) []int32 {
	out := make([]int32, len(xs))
	for i, x := range xs {
		out[i], _ = sub.Lookup(inv.ID(x))
	}
	return out
}
