package model

import "slices"

// Restrict returns the inventory made of the entities of inv marked in keep, in the same order, with
// their requirements mapped to the new indexes, and the same files and defaults. keep must hold
// everything a kept entity depends on: whether an entity is down depends only on what it depends on,
// so the analysis of a restricted inventory gives, for the entities kept, exactly what the whole one
// gives, in a fraction of the time.
func (inv *Inventory) Restrict(keep []bool) *Inventory {
	newIndex := make([]int32, inv.Len())
	var ents []Entity
	for i := range inv.Entities {
		if keep[i] {
			newIndex[i] = int32(len(ents))
			ents = append(ents, inv.Entities[i]) // a copy; its requirement trees are cloned below
		}
	}
	for j := range ents {
		e := &ents[j]
		e.Refs = slices.Clone(e.Refs)
		for k := range e.Refs {
			e.Refs[k].Req = remap(e.Refs[k].Req, newIndex)
		}
	}
	out := New(ents, inv.Files)
	out.Defaults = inv.Defaults
	return out
}

func remap(r *Req, newIndex []int32) *Req {
	c := *r
	if r.Op == Need {
		c.Entity = newIndex[r.Entity]
		return &c
	}
	c.Members = make([]*Req, len(r.Members))
	for i, m := range r.Members {
		c.Members[i] = remap(m, newIndex)
	}
	return &c
}
