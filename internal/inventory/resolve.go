package inventory

import (
	"fmt"
	"slices"

	"github.com/spofhq/spof/internal/diag"
	"github.com/spofhq/spof/internal/model"
)

// finish resolves references by name, now that every entity of every file is known, and returns the
// inventory or every problem found.
func (b *builder) finish(srcs []Source) (*model.Inventory, diag.List) {
	files := make([]string, len(srcs))
	for i, s := range srcs {
		files[i] = s.Name
	}
	inv := model.New(b.entities, files)
	inv.Defaults = b.defaults
	hints := suggester{inv: inv, byKey: map[*KeySpec][]string{}}
	for _, p := range b.orphans {
		b.check(inv, p, hints)
	}
	for _, p := range b.refs {
		idx, ok := b.check(inv, p, hints)
		if !ok {
			continue
		}
		if p.req == nil {
			b.addToList(inv, p, idx)
			continue
		}
		p.req.Entity = idx
	}
	inv.Incidents = b.resolveIncidents(inv)
	if b.diags.HasErrors() {
		b.diags.Sort()
		return nil, b.diags
	}
	return inv, nil
}

// check returns the entity p names, or reports why it cannot be resolved.
func (b *builder) check(inv *model.Inventory, p pending, hints suggester) (int32, bool) {
	idx, ok := inv.Lookup(p.name)
	if !ok {
		b.diags.Errorf(p.pos, "unknown entity %q in %s of %s%s", p.name, p.key.Name, p.owner, hints.hint(p))
		return 0, false
	}
	if p.name == p.owner {
		if p.req == nil {
			b.diags.Errorf(p.pos, "%s watches itself: a monitoring service cannot report its own failure; list what it watches", p.owner)
		} else {
			b.diags.Errorf(p.pos, "%s refers to itself in %s: an entity cannot depend on itself", p.owner, p.key.Name)
		}
		return 0, false
	}
	if target := &inv.Entities[idx]; !p.key.accepts(target.Kind) {
		b.diags.Errorf(p.pos, "%s of %s must name %s, but %q is a %s%s", p.key.Name, p.owner, kindList(p.key.Targets), p.name, target.Kind, hints.hint(p))
		return 0, false
	}
	return idx, true
}

// suggester finds what a reference meant, among the entities its key accepts (built once per key,
// and only for keys with a misspelt reference), never the referring entity itself: that would be a
// self-reference, which is an error too.
type suggester struct {
	inv   *model.Inventory
	byKey map[*KeySpec][]string
}

func (s suggester) hint(p pending) string {
	ids, ok := s.byKey[p.key]
	if !ok {
		for i := range s.inv.Entities {
			if p.key.accepts(s.inv.Entities[i].Kind) {
				ids = append(ids, s.inv.Entities[i].ID)
			}
		}
		s.byKey[p.key] = ids
	}
	best := diag.Suggest(p.name, ids)
	if best == p.owner {
		best = diag.Suggest(p.name, slices.DeleteFunc(slices.Clone(ids), func(id string) bool { return id == p.owner }))
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf("; did you mean %q?", best)
}
