package policy

import (
	"strconv"
	"strings"

	"github.com/spofhq/spof/internal/model"
)

// canonRef returns the requirement of e's key as text, IDs and group operators only ("" when e has no
// such key), so that a reference can be compared across two inventories whatever its layout.
func canonRef(inv *model.Inventory, e *model.Entity, key string) string {
	for _, ref := range e.Refs {
		if ref.Key == key {
			var b strings.Builder
			writeReq(&b, inv, ref.Req)
			return b.String()
		}
	}
	return ""
}

func writeReq(b *strings.Builder, inv *model.Inventory, r *model.Req) {
	switch r.Op {
	case model.Need:
		b.WriteString(inv.ID(r.Entity))
		return
	case model.AnyOf:
		b.WriteString("any_of")
	case model.AtLeast:
		b.WriteString("at_least " + strconv.Itoa(r.K))
	default:
		b.WriteString("all_of")
	}
	b.WriteByte('(')
	for i, m := range r.Members {
		if i > 0 {
			b.WriteByte(',')
		}
		writeReq(b, inv, m)
	}
	b.WriteByte(')')
}

func joinIDs(inv *model.Inventory, xs []int32) string { return strings.Join(inv.IDsOf(xs), ", ") }

func joinStrings(s []string, sep string) string { return strings.Join(s, sep) }

// joinArrow writes a cycle as "a → b → a".
func joinArrow(loop []string) string {
	if len(loop) == 0 {
		return ""
	}
	return strings.Join(loop, " → ") + " → " + loop[0]
}
