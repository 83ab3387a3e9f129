package diagram

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/spofhq/spof/internal/human"
	"github.com/spofhq/spof/internal/model"
)

// collapsible returns the sets of drawn VMs to collapse, keyed by their first (lowest) VM: VMs with
// exactly the same reference keys and requirements, at least two of them. Such VMs fail together and
// are needed the same way, so one node with a count loses nothing a reader of the whole platform needs,
// and merges their many identical edges. Failed VMs are kept apart so a simulated failure stays visible.
func collapsible(inv *model.Inventory, include []bool, failed []int32) map[int32][]int32 {
	bySig := map[string][]int32{}
	var order []string
	isFailed := make(map[int32]bool, len(failed))
	for _, f := range failed {
		isFailed[f] = true
	}
	for i, in := range include {
		e := &inv.Entities[i]
		if !in || e.Kind != model.VM || isFailed[int32(i)] || len(e.Refs) == 0 {
			continue
		}
		sig := signature(e)
		if _, ok := bySig[sig]; !ok {
			order = append(order, sig)
		}
		bySig[sig] = append(bySig[sig], int32(i))
	}
	sets := map[int32][]int32{}
	for _, sig := range order {
		if vms := bySig[sig]; len(vms) >= 2 {
			sets[vms[0]] = vms
		}
	}
	return sets
}

// signature writes an entity's requirements as text: equal signatures, equal requirements.
func signature(e *model.Entity) string {
	var b strings.Builder
	for _, ref := range e.Refs {
		b.WriteString(ref.Key)
		b.WriteByte('=')
		writeReq(&b, ref.Req)
		b.WriteByte(';')
	}
	return b.String()
}

func writeReq(b *strings.Builder, r *model.Req) {
	if r.Op == model.Need {
		b.WriteString(strconv.Itoa(int(r.Entity)))
		return
	}
	fmt.Fprintf(b, "%d/%d/%t(", r.Op, r.K, r.Group)
	for _, m := range r.Members {
		writeReq(b, m)
		b.WriteByte(',')
	}
	b.WriteByte(')')
}

// collapsedNode is the node of a set of VMs: "37 VMs on cl-0042", with the range of their IDs.
func (b *builder) collapsedNode(set []int32, spof []bool) Node {
	first := &b.inv.Entities[set[0]]
	n := Node{Type: CollapsedNode, Key: fmt.Sprintf("c%d", set[0]), ID: first.ID, Kind: model.VM, Members: len(set)}
	n.Label = fmt.Sprintf("%d VMs", len(set))
	if on := placement(b.inv, first); on != "" {
		n.Label += " on " + on
	}
	n.Sub = first.ID + " … " + b.inv.ID(set[len(set)-1])
	for _, v := range set {
		if spof[v] {
			n.SPOFs++
		}
	}
	if n.SPOFs > 0 {
		n.SPOF = true
		n.Sub = joinSub(n.Sub, fmt.Sprintf("%d %s", n.SPOFs, human.Plural(n.SPOFs, "SPOF", "SPOFs")))
	}
	n.State = b.entityState(set[0]) // VMs with the same requirements are down together
	if hidden := b.hiddenDeps(set[0]); hidden > 0 {
		n.Sub = joinSub(n.Sub, fmt.Sprintf("+%d not drawn", hidden))
	}
	return n
}

// placement names where a VM runs: its host, else its site, else its provider, when that is one entity.
func placement(inv *model.Inventory, e *model.Entity) string {
	for _, key := range []string{"host", "site", "provider"} {
		for _, ref := range e.Refs {
			if ref.Key == key && ref.Req.Op == model.Need {
				return inv.ID(ref.Req.Entity)
			}
		}
	}
	return ""
}
