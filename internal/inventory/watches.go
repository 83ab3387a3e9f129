package inventory

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/spofhq/spof/internal/diag"
	"github.com/spofhq/spof/internal/model"
	"github.com/spofhq/spof/internal/tomldoc"
)

// This file reads the keys of detection and communication (docs/detection.md): a service's role, and
// the IDs a monitoring service watches. A watch names an entity like a reference does, and is checked
// like one, but requires nothing: it never becomes one of the entity's Refs, so that no analysis of
// what goes down can see it.

// idList reads an IDList value, an ID or an array of IDs, into pending references without a
// requirement: finish resolves them into the entity's list.
func (b *builder) idList(f *tomldoc.Document, owner string, spec *KeySpec, v any, path []string) {
	add := func(id string, at []string) {
		b.refs = append(b.refs, pending{name: id, key: spec, owner: owner, ent: len(b.entities), pos: f.ValuePos(at...)})
	}
	switch x := v.(type) {
	case string:
		add(x, path)
	case []any:
		if len(x) == 0 {
			b.diags.Errorf(f.ValuePos(path...), "%s is empty: list the IDs of what %s watches, or leave the key out", spec.Name, owner)
		}
		for i, el := range x {
			at := appendPath(path, strconv.Itoa(i))
			switch id := el.(type) {
			case string:
				add(id, at)
			case map[string]any:
				b.diags.Errorf(f.ValuePos(at...), "%s lists IDs, not groups: a watch requires nothing, so any_of, all_of and at_least do not apply; list each ID", spec.Name)
			default:
				b.diags.Errorf(f.ValuePos(at...), "%s must hold IDs (strings), not %s", spec.Name, tomldoc.TypeName(el))
			}
		}
	default:
		b.diags.Errorf(f.ValuePos(path...), "%s must be an ID or an array of IDs, like %s = [\"pbx\"], not %s", spec.Name, spec.Name, tomldoc.TypeName(v))
	}
}

// addToList appends entity idx to the ID list of p's key on p's owner, once.
func (b *builder) addToList(inv *model.Inventory, p pending, idx int32) {
	owner, _ := inv.Lookup(p.owner)
	list := p.key.field(&inv.Entities[owner]).(*[]int32)
	if !slices.Contains(*list, idx) {
		*list = append(*list, idx)
	}
}

// checkRole makes a service that watches something a monitoring service when it declares no role,
// and reports watches on a service whose role says it does something else.
func (b *builder) checkRole(f *tomldoc.Document, e *model.Entity, fields map[string]any) {
	const watches = "watches"
	if _, has := fields[watches]; !has || e.Kind != model.Service {
		return
	}
	switch e.Role {
	case model.NoRole:
		e.Role = model.Monitoring
	case model.Monitoring:
	default:
		b.diags.Errorf(f.KeyPos(e.Kind.Table(), e.ID, watches), "%s has role = %q, but only monitoring services watch: remove %s, or write role = %q%s",
			e.ID, e.Role, watches, model.Monitoring, roleHint(e.Role))
	}
}

// roleHint says how to model what a service with role r probably meant by watching something.
func roleHint(r model.Role) string {
	switch r {
	case model.Alerting:
		return " (an alerting service delivers the alerts of the monitoring services that depend on it)"
	case model.Status:
		return " (a status service tells customers; the monitoring that feeds it is a service of its own)"
	}
	return ""
}

// suggestRole proposes the role a misspelt or shortened role name meant: "monitor", "alerts" and
// "status-page" are what people write.
func suggestRole(s string) string {
	if h := diag.DidYouMean(s, model.RoleNames()); h != "" {
		return h
	}
	// A shared stem of five letters or the whole role: "monitor", "alerts", "status-page".
	low := strings.ToLower(s)
	for _, r := range model.RoleNames() {
		n := 0
		for n < len(low) && n < len(r) && low[n] == r[n] {
			n++
		}
		if n >= min(5, len(r)) {
			return fmt.Sprintf("; did you mean %q?", r)
		}
	}
	return ""
}
