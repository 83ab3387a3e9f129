package review

import (
	"slices"

	"github.com/spofhq/spof/internal/analysis"
	"github.com/spofhq/spof/internal/model"
)

// twinPrefix makes the ID of a hypothetical twin. '~' is not allowed in IDs and sorts after every
// character that is, so a twin cannot collide with a declared entity and comes last in the inventory.
const twinPrefix = "~twin-of-"

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

// derive returns a new inventory made of the entities of inv marked in keep, which must hold the
// closure of every kept entity. When twin is an entity index, it also adds an independent twin of it:
// an entity of the same kind and tier that depends on nothing, and every kept reference to the
// original becomes any_of [original, twin]. This models "add a redundant alternative that shares
// nothing with the original" without touching inv.
func derive(inv *model.Inventory, keep []bool, twin int32) *model.Inventory {
	// Kept entities keep their order, so an entity's new index is the number kept before it; the twin
	// sorts last.
	newIndex := make([]int32, inv.Len())
	var ents []model.Entity
	for i := range inv.Entities {
		if keep[i] {
			newIndex[i] = int32(len(ents))
			ents = append(ents, inv.Entities[i]) // a copy; its requirement trees are cloned below
		}
	}
	twinIndex := int32(len(ents))
	for j := range ents {
		e := &ents[j]
		e.Refs = slices.Clone(e.Refs)
		for k := range e.Refs {
			e.Refs[k].Req = cloneReq(e.Refs[k].Req, twin, newIndex, twinIndex)
		}
	}
	if twin >= 0 {
		o := &inv.Entities[twin]
		ents = append(ents, model.Entity{ID: twinPrefix + o.ID, Kind: o.Kind, Name: o.Name, Type: o.Type, Tier: o.Tier, Pos: o.Pos})
	}
	return model.New(ents, inv.Files)
}

// cloneReq deep-copies r with its leaves mapped to their new indexes; a leaf naming twin becomes
// any_of [twin, its twin].
func cloneReq(r *model.Req, twin int32, newIndex []int32, twinIndex int32) *model.Req {
	c := *r
	if r.Op == model.Need {
		c.Entity = newIndex[r.Entity]
		if r.Entity == twin {
			return &model.Req{Op: model.AnyOf, Group: true, Pos: r.Pos, Members: []*model.Req{
				&c, {Op: model.Need, Entity: twinIndex, Pos: r.Pos},
			}}
		}
		return &c
	}
	c.Members = make([]*model.Req, len(r.Members))
	for i, m := range r.Members {
		c.Members[i] = cloneReq(m, twin, newIndex, twinIndex)
	}
	return &c
}

// subIndexes returns the indexes in sub of the entities of inv given, by ID.
func subIndexes(inv, sub *model.Inventory, xs []int32) []int32 {
	out := make([]int32, len(xs))
	for i, x := range xs {
		out[i], _ = sub.Lookup(inv.ID(x))
	}
	return out
}
