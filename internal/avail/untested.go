package avail

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spofhq/spof/internal/analysis"
	"github.com/spofhq/spof/internal/model"
)

// This file is the pessimistic view of redundancy that no drill has proven: a redundant group whose
// tested date is missing or older than a cutoff is assumed not to fail over, so only the members it
// uses first count. Rather than a second algorithm, it rewrites the inventory that way and runs the
// same analysis on it; the SPOFs that appear are "SPOFs if failover fails".

// ParseAge parses a maximum drill age such as "180d" or "12h": a whole number of days or hours.
func ParseAge(s string) (time.Duration, error) {
	unit := time.Duration(0)
	switch {
	case strings.HasSuffix(s, "d"):
		unit = 24 * time.Hour
	case strings.HasSuffix(s, "h"):
		unit = time.Hour
	default:
		return 0, fmt.Errorf("invalid age %q: want a number of days or hours, like 180d or 36h", s)
	}
	n, err := strconv.Atoi(s[:len(s)-1])
	if err != nil || n < 0 || n > 100*366*24 {
		return 0, fmt.Errorf("invalid age %q: want a number of days or hours, like 180d or 36h", s)
	}
	return time.Duration(n) * unit, nil
}

// Cutoff returns the day before which a drill is too old: now minus age, as YYYY-MM-DD.
func Cutoff(now time.Time, age time.Duration) string { return now.Add(-age).Format(time.DateOnly) }

// Untested is a redundant group whose failover is not proven: its tested date is missing or before
// the cutoff.
type Untested struct {
	Entity int32
	Key    string
	Group  *model.Req
}

// UntestedGroups returns the redundant groups of inv (groups that claim to survive the loss of a
// member) that were never tested or were last tested before cutoff (YYYY-MM-DD), by entity, then in
// the order they are written, outer groups before the groups they contain.
func UntestedGroups(inv *model.Inventory, cutoff string) []Untested {
	var out []Untested
	for i := range inv.Entities {
		for _, ref := range inv.Entities[i].Refs {
			ref.Req.Walk(func(g *model.Req) {
				if unproven(g, cutoff) {
					out = append(out, Untested{Entity: int32(i), Key: ref.Key, Group: g})
				}
			})
		}
	}
	return out
}

func unproven(g *model.Req, cutoff string) bool {
	return g.Redundant() && (g.Tested == "" || g.Tested < cutoff)
}

// Pessimistic returns a copy of inv in which every unproven group (see UntestedGroups) requires only
// the members it would use without failover: an any_of its first member, an at_least = k its first k
// members. Other groups and inv itself are unchanged; entity indexes are the same in both.
func Pessimistic(inv *model.Inventory, cutoff string) *model.Inventory {
	ents := slices.Clone(inv.Entities)
	for i := range ents {
		refs := slices.Clone(ents[i].Refs)
		for j := range refs {
			refs[j].Req = pessimistic(refs[j].Req, cutoff)
		}
		ents[i].Refs = refs
	}
	out := model.New(ents, inv.Files)
	out.Defaults = inv.Defaults
	return out
}

func pessimistic(r *model.Req, cutoff string) *model.Req {
	if r.Op == model.Need {
		return r
	}
	members := r.Members
	if unproven(r, cutoff) {
		members = members[:r.Need()]
		if len(members) == 1 {
			return pessimistic(members[0], cutoff)
		}
		cp := *r
		cp.Op, cp.K, cp.Members = model.AllOf, 0, nil
		for _, m := range members {
			cp.Members = append(cp.Members, pessimistic(m, cutoff))
		}
		return &cp
	}
	cp := *r
	cp.Members = make([]*model.Req, len(members))
	for i, m := range members {
		cp.Members[i] = pessimistic(m, cutoff)
	}
	return &cp
}

// Failover is the analysis of an inventory where unproven failovers fail.
type Failover struct {
	// Cutoff is the day before which a drill is too old.
	Cutoff string
	// Groups are the unproven groups, as UntestedGroups orders them.
	Groups []Untested
	// Res is the analysis of the pessimistic inventory.
	Res  *analysis.Result
	base *analysis.Result
	// groupsAt[e] is the index in Groups of entity e's first group; e's groups end at groupsAt[e+1].
	groupsAt []int32
	spofs    map[int32][]int32
}

// NewFailover analyses the pessimistic view of base's inventory (see Pessimistic), and finds for every
// service the SPOFs that only that view has, with how each one's failure reaches the service.
func NewFailover(base *analysis.Result, cutoff string) *Failover {
	inv := Pessimistic(base.Inv, cutoff)
	f := &Failover{
		Cutoff: cutoff,
		Groups: UntestedGroups(base.Inv, cutoff),
		Res:    analysis.Analyze(inv, analysis.Options{MaxOrder: 1}),
		base:   base,
		spofs:  map[int32][]int32{},
	}
	f.groupsAt = make([]int32, inv.Len()+1)
	for _, g := range f.Groups {
		f.groupsAt[g.Entity+1]++
	}
	for e := range inv.Len() {
		f.groupsAt[e+1] += f.groupsAt[e]
	}
	for s := range inv.Entities {
		if inv.Entities[s].Kind != model.Service {
			continue
		}
		for _, x := range f.Res.SPOFs(int32(s)) {
			if _, old := slices.BinarySearch(base.SPOFs(int32(s)), x); !old {
				f.spofs[int32(s)] = append(f.spofs[int32(s)], x)
			}
		}
	}
	return f
}

// SPOFs returns the SPOFs of service s that only exist if unproven failovers fail: SPOFs in the
// pessimistic view that are not SPOFs of the inventory as written, ascending.
func (f *Failover) SPOFs(s int32) []int32 { return f.spofs[s] }

// Chain returns how the failure of x, one of SPOFs(s), reaches service s when unproven failovers
// fail: s, the dependency whose loss put it down, and so on down to x. It passes through the
// unproven group that did not fail over. It is the pessimistic analysis' path from s to x, which is
// the chain a simulation of x's failure gives (analysis.Outage.Chain), found without one: a
// simulation per new SPOF costs the whole inventory each time (71 s on 100,000 entities).
func (f *Failover) Chain(s, x int32) []int32 { return f.Res.Path(s, x) }

// GroupsOf returns the unproven groups that s depends on: those of s and of every entity s depends on
// directly or transitively, in the order of Groups.
func (f *Failover) GroupsOf(s int32) []Untested {
	if len(f.Groups) == 0 {
		return nil
	}
	// A set of the closure, not a slice of the inventory's size: this runs for every service, and
	// the closures of most are small next to the platform (35,000 services of 100,000 entities
	// allocated 3.5 GB).
	seen := map[int32]bool{s: true}
	stack := []int32{s}
	var with []int32 // the entities of the closure that declare unproven groups
	for len(stack) > 0 {
		e := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if f.groupsAt[e] < f.groupsAt[e+1] {
			with = append(with, e)
		}
		for _, d := range f.base.Deps(e) {
			if !seen[d] {
				seen[d] = true
				stack = append(stack, d)
			}
		}
	}
	slices.Sort(with) // Groups is by entity
	var out []Untested
	for _, e := range with {
		out = append(out, f.Groups[f.groupsAt[e]:f.groupsAt[e+1]]...)
	}
	return out
}
