package inventory

import (
	"fmt"

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
	var ids []string // built lazily: only misspelt references need suggestions
	for _, p := range b.refs {
		idx, ok := inv.Lookup(p.name)
		if !ok {
			if ids == nil {
				ids = inv.IDs()
			}
			b.diags.Errorf(p.pos, "unknown entity %q in %s of %s%s", p.name, p.key.Name, p.owner, diag.DidYouMean(p.name, ids))
			continue
		}
		if p.name == p.owner {
			if p.req == nil {
				b.diags.Errorf(p.pos, "%s watches itself: a monitoring service cannot report its own failure; list what it watches", p.owner)
			} else {
				b.diags.Errorf(p.pos, "%s refers to itself in %s: an entity cannot depend on itself", p.owner, p.key.Name)
			}
			continue
		}
		target := &inv.Entities[idx]
		if !p.key.accepts(target.Kind) {
			b.diags.Errorf(p.pos, "%s of %s must name %s, but %q is a %s%s", p.key.Name, p.owner, kindList(p.key.Targets), p.name, target.Kind, b.sameKindHint(inv, p))
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

// sameKindHint suggests an entity of an accepted kind whose ID is close to the one written.
func (b *builder) sameKindHint(inv *model.Inventory, p pending) string {
	var ids []string
	for i := range inv.Entities {
		if p.key.accepts(inv.Entities[i].Kind) {
			ids = append(ids, inv.Entities[i].ID)
		}
	}
	if s := diag.Suggest(p.name, ids); s != "" {
		return fmt.Sprintf("; did you mean %q?", s)
	}
	return ""
}
