package review

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/spofhq/spof/internal/analysis"
	"github.com/spofhq/spof/internal/model"
	"github.com/spofhq/spof/internal/out/analyze"
	"github.com/spofhq/spof/internal/sorted"
)

// A shared dependency (a hub) is an entity that has SPOFs of its own and is itself a SPOF of several
// of the services the report details: every one of them inherits the hub and its SPOFs, its cut sets
// and its false redundancy, through it. On the telephony platform, six services reach hostco, its
// cluster and its datacenter through pbx. Told in each service's section, the same block would be
// read six times; the report describes it once, in a section about the hub, and each service's section
// keeps what is its own and links there.
//
// Which hubs (at most Options.Top): an entity x with SPOFs of its own that is a SPOF of at least two services shown is a
// candidate. Candidates closest to the services come first (the most SPOFs: a hub's SPOFs include
// those of every hub further down its chain), and one is kept when it brings SPOFs not yet covered by
// the hubs kept to at least two services. So pbx is kept, and the cluster under it, which brings
// nothing pbx does not, is not.

// Hub is a shared dependency of the services shown.
type Hub struct {
	Entity int32
	// Users are the services shown, other than the hub, of which it is a SPOF, in the order shown.
	Users []int32
	// Own is true when the hub has a section of its own; a hub that is itself a service shown is
	// described in that service's section.
	Own bool
}

// hubMinUsers is how many services must share a dependency for it to be described once for all.
const hubMinUsers = 2

// findHubs returns the shared dependencies of the services shown, in the order found, at most limit of
// them: on a large platform the report describes the shared dependencies that matter most, and the
// services list the SPOFs of the others as their own.
func findHubs(res *analysis.Result, shown []int32, limit int) []Hub {
	users := map[int32][]int32{}
	var cands []int32
	for _, s := range shown {
		for _, x := range res.SPOFs(s) {
			if res.NumSPOFs(x) == 0 { // a count: x's list is as long as its chain
				continue
			}
			if users[x] == nil {
				cands = append(cands, x)
			}
			users[x] = append(users[x], s)
		}
	}
	weight := func(x int32) int {
		w := 0
		for _, s := range users[x] {
			w += res.Inv.Entities[s].Tier.Weight()
		}
		return w
	}
	slices.SortFunc(cands, func(a, b int32) int {
		return cmp.Or(cmp.Compare(res.NumSPOFs(b), res.NumSPOFs(a)), cmp.Compare(weight(b), weight(a)), cmp.Compare(a, b))
	})
	isShown := map[int32]bool{}
	for _, s := range shown {
		isShown[s] = true
	}
	covered := map[int32][]int32{}
	var hubs []Hub
	for _, x := range cands {
		if len(hubs) == limit {
			break
		}
		if len(users[x]) < hubMinUsers {
			continue
		}
		brings := sorted.Insert(slices.Clone(res.SPOFs(x)), x)
		gain := 0
		for _, s := range users[x] {
			if sorted.IntersectLen(brings, covered[s]) < len(brings) {
				gain++
			}
		}
		if gain < hubMinUsers {
			continue
		}
		for _, s := range users[x] {
			covered[s] = union(covered[s], brings)
		}
		hubs = append(hubs, Hub{Entity: x, Users: users[x], Own: !isShown[x]})
	}
	return hubs
}

func union(a, b []int32) []int32 {
	out := append(slices.Clone(a), b...)
	slices.Sort(out)
	return slices.Compact(out)
}

// hubsOf returns the hubs through which x inherits SPOFs, the outermost only: a hub that is a SPOF of
// another of them is inherited through that one.
func (in *Input) hubsOf(x int32) []int32 {
	var all []int32
	for _, h := range in.Hubs {
		if h.Entity != x && sorted.Contains(in.Res.SPOFs(x), h.Entity) {
			all = append(all, h.Entity)
		}
	}
	var out []int32
	for _, h := range all {
		if !slices.ContainsFunc(all, func(o int32) bool { return o != h && sorted.Contains(in.Res.SPOFs(o), h) }) {
			out = append(out, h)
		}
	}
	return out
}

// inherited returns the SPOFs x inherits through its hubs, ascending.
func (in *Input) inherited(hubs []int32) []int32 {
	var out []int32
	for _, h := range hubs {
		out = union(out, sorted.Insert(slices.Clone(in.Res.SPOFs(h)), h))
	}
	return out
}

// hubOf returns the hub entry of x, if x is a hub.
func (in *Input) hubOf(x int32) (Hub, bool) {
	i := slices.IndexFunc(in.Hubs, func(h Hub) bool { return h.Entity == x })
	if i < 0 {
		return Hub{}, false
	}
	return in.Hubs[i], true
}

// sharedSection lists the shared dependencies, then describes those that are not services shown, one
// subsection each.
func sharedSection(in *Input) []Section {
	if len(in.Hubs) == 0 {
		return nil
	}
	sec := Section{ID: "shared", Title: "Shared dependencies"}
	sec.Blocks = append(sec.Blocks, para(txt("Entities that several critical and high services need, with single points of failure "+
		"of their own: every one of those services inherits them through the shared dependency. Each is described once — "+
		"its SPOFs, cut sets, false redundancy and diagram — and the services' sections link to it.")))
	t := &Table{Head: []string{"shared dependency", "what", "SPOFs it brings", "services that reach them through it"},
		Numeric: []bool{false, false, true, false}}
	for _, h := range in.Hubs {
		e := &in.Inv.Entities[h.Entity]
		t.Rows = append(t.Rows, []Cell{cell(in.ref(h.Entity)), cell(txt(kindNoun(e))),
			cell(txt(num(1 + len(in.Res.SPOFs(h.Entity))))), cell(in.usersSpans(h.Users)...)})
	}
	sec.Blocks = append(sec.Blocks, Block{Table: t})
	for _, h := range in.Hubs {
		if h.Own {
			sec.Subs = append(sec.Subs, in.hubSection(h))
		}
	}
	return []Section{sec}
}

// usersSpans lists services by tier with their badges.
func (in *Input) usersSpans(users []int32) []Span {
	var out []Span
	bt := splitByTier(in.Inv, users)
	for tier, l := range bt {
		if len(l) == 0 {
			continue
		}
		if len(out) > 0 {
			out = append(out, txt("; "))
		}
		out = append(out, badge(model.Tier(tier)), txt(" "))
		out = append(out, in.idSpans(l, 8)...)
	}
	return out
}

// hubLine is the sentence that opens a shared dependency's description: "5 critical and high services
// reach these SPOFs through pbx: …".
func (in *Input) hubLine(h Hub) Block {
	spans := []Span{strong("Shared dependency: "), txt(fmt.Sprintf("%s reach %s and its single points of failure through it: ",
		count(len(h.Users), "service", "services"), in.Inv.ID(h.Entity)))}
	spans = append(spans, in.usersSpans(h.Users)...)
	return Block{Para: &Para{Spans: append(spans, txt(".")), Class: "shared"}}
}

func (in *Input) hubSection(h Hub) Section {
	e := &in.Inv.Entities[h.Entity]
	sec := Section{ID: in.anchors[h.Entity], Title: e.ID, Tier: tierOf(in.Inv, h.Entity)}
	if e.Name != "" && e.Name != e.ID {
		sec.Detail = oneLine(e.Name)
	}
	sec.Blocks = append(sec.Blocks, in.hubLine(h))
	sec.Blocks = append(sec.Blocks, in.describe(h.Entity, in.detail[h.Entity], false)...)
	return sec
}

// ownCutSets ranks the minimal cut sets of two or more entities of x that are not cut sets of one of
// the hubs x inherits through (those are described with the hub), the most likely first, and returns
// the keep first, how many there are, and whether the family was cut short (the ranking is then among
// the first sets in size order).
func (in *Input) ownCutSets(x int32, hubs []int32, keep int) (top []analyze.RankedCutSet, n int, more bool) {
	sub := in.sub
	if sub == nil {
		return nil, 0, false
	}
	key := func(c []int32) string { return fmt.Sprint(c) }
	inherited := map[string]bool{}
	seen := map[int32]bool{}
	var walk func(h int32)
	walk = func(h int32) {
		if seen[h] {
			return
		}
		seen[h] = true
		if y, ok := sub.Inv.Lookup(in.Inv.ID(h)); ok {
			sub.EachCutSet(y, 0, func(c []int32) { inherited[key(c)] = true })
		}
		for _, g := range in.hubsOf(h) {
			walk(g)
		}
	}
	for _, h := range hubs {
		walk(h)
	}
	y, ok := sub.Inv.Lookup(in.Inv.ID(x))
	if !ok {
		return nil, 0, false
	}
	more = sub.EachCutSet(y, 0, func(c []int32) {
		if len(c) < 2 || inherited[key(c)] {
			return
		}
		n++
		rc := analyze.RankedCutSet{Set: slices.Clone(c), Probability: analyze.Probability(c, in.unavail)}
		i, _ := slices.BinarySearchFunc(top, rc, rankedOrder)
		if i < keep {
			top = slices.Insert(top, i, rc)
			top = top[:min(len(top), keep)]
		}
	})
	for i := range top {
		for j, z := range top[i].Set {
			top[i].Set[j], _ = in.Inv.Lookup(sub.Inv.ID(z))
		}
	}
	return top, n, more
}

// rankedOrder is the order of analyze's rankings: most likely first, then smaller, then by IDs.
func rankedOrder(a, b analyze.RankedCutSet) int {
	return cmp.Or(cmp.Compare(b.Probability, a.Probability), cmp.Compare(len(a.Set), len(b.Set)), slices.Compare(a.Set, b.Set))
}

// ownFindings returns the false redundancies of x's closure that are not in the closure of one of its
// hubs.
func (in *Input) ownFindings(x int32, hubs []int32) []analysis.Finding {
	mine := in.Res.Closure([]int32{x})
	theirs := in.Res.Closure(hubs)
	var out []analysis.Finding
	for _, f := range in.Findings {
		if f.Kind == analysis.FalseRedundancy && mine[f.Entity] && !theirs[f.Entity] {
			out = append(out, f)
		}
	}
	return out
}
