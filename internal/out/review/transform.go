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

// backIndexes returns, by entity of sub, its index in inv, or -1 for an entity new in sub; keep
// marks the entities of inv that sub holds. It looks each kept entity up once, where mapping a
// SPOF list back by ID looked up every (service, SPOF) pair of a measure: millions on a dense
// platform.
func backIndexes(inv, sub *model.Inventory, keep []bool) []int32 {
	out := make([]int32, sub.Len())
	for i := range out {
		out[i] = -1
	}
	for x, k := range keep {
		if k {
			if y, ok := sub.Lookup(inv.Entities[x].ID); ok {
				out[y] = int32(x)
			}
		}
	}
	return out
}
