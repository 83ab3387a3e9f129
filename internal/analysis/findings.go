package analysis

import (
	"fmt"
	"slices"
	"strings"

	"github.com/spofhq/spof/internal/diag"
	"github.com/spofhq/spof/internal/model"
	"github.com/spofhq/spof/internal/sorted"
)

// Finding kinds.
const (
	FalseRedundancy = "false-redundancy"
	Cycle           = "cycle"
	MissingOwner    = "missing-owner"
	Unused          = "unused"
)

// Finding is something an architect should look at. Severity is "warning" or "info".
type Finding struct {
	Kind     string
	Severity string
	Entity   int32
	// Key and Group locate a false redundancy: the reference key and the group node.
	Key   string
	Group *model.Req
	// Related are the entities the finding is about: the defeaters of a false redundancy, the members of
	// a cycle in cycle order, the failure of a blind spot, the services a silent outage takes down,
	// the chain of a service an incident did not record (its first 6 and last entities when longer
	// than 8, as the message shows it).
	Related []int32
	// Incident is the incident record a comparison with the model is about (incidents.go), nil for
	// the other kinds.
	Incident *model.Incident
	Message  string
	Pos      diag.Pos
}

// Findings returns every finding, sorted by kind, entity, then position.
func (r *Result) Findings() []Finding {
	var out []Finding
	out = append(out, r.FalseRedundancies()...)
	out = append(out, r.cycleFindings()...)
	out = append(out, r.ownerFindings()...)
	out = append(out, r.unusedFindings()...)
	out = append(out, r.incidentFindings()...)
	out = append(out, r.detectionFindings()...)
	slices.SortStableFunc(out, func(a, b Finding) int {
		if c := strings.Compare(a.Kind, b.Kind); c != 0 {
			return c
		}
		if a.Entity != b.Entity {
			return int(a.Entity - b.Entity)
		}
		return a.Pos.Compare(b.Pos)
	})
	return out
}

// FalseRedundancies returns the groups that claim to survive a member's loss but that a single entity
// defeats, such as any_of two VMs on one hypervisor cluster, in entity then position order.
func (r *Result) FalseRedundancies() []Finding {
	var out []Finding
	inv := r.Inv
	for i := range inv.Entities {
		e := &inv.Entities[i]
		for _, ref := range e.Refs {
			ref.Req.Walk(func(g *model.Req) {
				if !g.Redundant() {
					return
				}
				// The owner is no defeater worth reporting: its group is in a cycle back to it, and its
				// own failure downs it whatever the group does.
				defeaters := slices.DeleteFunc(slices.Clone(r.ReqDownBy(g)), func(x int32) bool { return x == int32(i) })
				if len(defeaters) == 0 {
					return
				}
				out = append(out, Finding{
					Kind: FalseRedundancy, Severity: "warning", Entity: int32(i), Key: ref.Key, Group: g,
					Related: defeaters, Pos: g.Pos,
					Message: fmt.Sprintf("%s in %s of %s is defeated by %s: %s", GroupLabel(g), ref.Key, e.ID,
						joinIDs(inv, defeaters, 5), defeatWhy(g, len(defeaters))),
				})
			})
		}
	}
	return out
}

func defeatWhy(g *model.Req, n int) string {
	who := "its failure alone"
	if n > 1 {
		who = "the failure of any one of them"
	}
	if g.Op == model.AnyOf {
		return who + " downs every member"
	}
	return fmt.Sprintf("%s leaves fewer than %d of %d members up", who, g.Need(), len(g.Members))
}

// GroupLabel names a group for people: "any_of", "all_of" or "at_least 2 of 3".
func GroupLabel(g *model.Req) string {
	switch g.Op {
	case model.AnyOf:
		return "any_of"
	case model.AtLeast:
		return fmt.Sprintf("at_least %d of %d", g.K, len(g.Members))
	}
	return "all_of"
}

// ReqDownBy returns the entities whose single failure leaves requirement g unmet.
func (r *Result) ReqDownBy(g *model.Req) []int32 {
	if g.Op == model.Need {
		return sorted.Insert(r.sf.get(g.Entity), g.Entity)
	}
	lists := make([][]int32, len(g.Members))
	for i, m := range g.Members {
		lists[i] = r.ReqDownBy(m)
	}
	var scratch []int32
	return sorted.AtLeast(lists, len(g.Members)-g.Need()+1, &scratch)
}

func (r *Result) cycleFindings() []Finding {
	var out []Finding
	for _, comp := range r.Cycles() {
		loop := r.ShortestCycle(comp[0])
		ids := make([]string, len(loop))
		for i, e := range loop {
			ids[i] = r.Inv.ID(e)
		}
		msg := "dependency cycle: " + strings.Join(ids, " → ") + " → " + ids[0]
		if len(comp) > len(loop) {
			msg += fmt.Sprintf(" (%d entities depend on each other in all)", len(comp))
		}
		out = append(out, Finding{Kind: Cycle, Severity: "warning", Entity: comp[0], Related: loop,
			Message: msg, Pos: r.Inv.Entities[comp[0]].Pos})
	}
	return out
}

// ShortestCycle returns a shortest dependency cycle from s back to s, s first and not repeated at the
// end, or nil when s is in no cycle. At each step of the breadth-first search the dependencies are
// taken in ID order, so among shortest cycles it returns the same one every time.
func (r *Result) ShortestCycle(s int32) []int32 {
	prev := map[int32]int32{}
	queue := []int32{s}
	for len(queue) > 0 {
		cur := queue[0]
		queue = queue[1:]
		for _, d := range r.c.deps[cur] {
			if d == s {
				var loop []int32
				for at := cur; at != s; at = prev[at] {
					loop = append(loop, at)
				}
				loop = append(loop, s)
				slices.Reverse(loop)
				return loop
			}
			if _, seen := prev[d]; !seen {
				prev[d] = cur
				queue = append(queue, d)
			}
		}
	}
	return nil
}

func (r *Result) ownerFindings() []Finding {
	var out []Finding
	for i := range r.Inv.Entities {
		e := &r.Inv.Entities[i]
		if e.Kind == model.Service && e.Tier <= model.High && e.Owner == "" {
			out = append(out, Finding{Kind: MissingOwner, Severity: "warning", Entity: int32(i), Pos: e.Pos,
				Message: fmt.Sprintf("%s service %s has no owner", e.Tier, e.ID)})
		}
	}
	return out
}

// unusedFindings reports providers, VMs and components that nothing references. Services and numbers
// are entry points: nothing has to use them.
func (r *Result) unusedFindings() []Finding {
	used := make([]bool, r.Inv.Len())
	for _, deps := range r.c.deps {
		for _, d := range deps {
			used[d] = true
		}
	}
	var out []Finding
	for i := range r.Inv.Entities {
		e := &r.Inv.Entities[i]
		if used[i] || e.Kind == model.Service || e.Kind == model.Number {
			continue
		}
		out = append(out, Finding{Kind: Unused, Severity: "info", Entity: int32(i), Pos: e.Pos,
			Message: fmt.Sprintf("%s %s is not used by anything", e.Kind, e.ID)})
	}
	return out
}

// joinIDs lists up to limit IDs, then how many more.
func joinIDs(inv *model.Inventory, ids []int32, limit int) string {
	var b strings.Builder
	for i, x := range ids {
		if i == limit {
			fmt.Fprintf(&b, " and %d more", len(ids)-limit)
			break
		}
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(inv.ID(x))
	}
	return b.String()
}
