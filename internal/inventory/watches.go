package inventory

import (
	"fmt"
	"slices"
	"strings"

	"github.com/spofhq/spof/internal/diag"
	"github.com/spofhq/spof/internal/model"
	"github.com/spofhq/spof/internal/tomldoc"
)

// This file reads the keys of detection and communication (docs/detection.md): a service's role, and
// the IDs a monitoring service watches. A watch names an entity like a reference does, and is checked
// like one, but requires nothing: it never becomes one of the entity's Refs, so that no analysis of
// what goes down can see it.

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
