package report

import (
	"slices"

	"github.com/spofhq/spof/internal/analysis"
	"github.com/spofhq/spof/internal/model"
)

// twinSuffix makes the ID of a hypothetical twin. '~' is not allowed in IDs, so it cannot collide
// with a declared entity.
const twinSuffix = "~twin"

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
	var ents []model.Entity
	for i := range inv.Entities {
		if !keep[i] {
			continue
		}
		e := inv.Entities[i] // a copy; its requirement trees are cloned below
		e.Refs = slices.Clone(e.Refs)
		for j := range e.Refs {
			e.Refs[j].Req = cloneReq(e.Refs[j].Req, twin)
		}
		ents = append(ents, e)
	}
	twinID := ""
	if twin >= 0 {
		o := &inv.Entities[twin]
		twinID = o.ID + twinSuffix
		ents = append(ents, model.Entity{ID: twinID, Kind: o.Kind, Name: o.Name, Type: o.Type, Tier: o.Tier, Pos: o.Pos})
	}
	out := model.New(ents, inv.Files)
	// Leaves still hold indexes of inv (or -1 for the twin): map them to the new inventory's.
	for i := range out.Entities {
		for _, ref := range out.Entities[i].Refs {
			ref.Req.Walk(func(r *model.Req) {
				if r.Op != model.Need {
					return
				}
				id := twinID
				if r.Entity >= 0 {
					id = inv.ID(r.Entity)
				}
				r.Entity, _ = out.Lookup(id)
			})
		}
	}
	return out
}

// cloneReq deep-copies r; a leaf naming twin becomes any_of [twin, -1], -1 standing for the twin
// until derive maps it.
func cloneReq(r *model.Req, twin int32) *model.Req {
	c := *r
	if r.Op == model.Need {
		if r.Entity == twin {
			return &model.Req{Op: model.AnyOf, Group: true, Pos: r.Pos, Members: []*model.Req{
				{Op: model.Need, Entity: twin, Pos: r.Pos},
				{Op: model.Need, Entity: -1, Pos: r.Pos},
			}}
		}
		return &c
	}
	c.Members = make([]*model.Req, len(r.Members))
	for i, m := range r.Members {
		c.Members[i] = cloneReq(m, twin)
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
