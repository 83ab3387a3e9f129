package review

import (
	"cmp"
	"iter"
	"slices"
	"strings"

	"github.com/spofhq/spof/internal/analysis"
	"github.com/spofhq/spof/internal/avail"
	"github.com/spofhq/spof/internal/human"
	"github.com/spofhq/spof/internal/model"
	"github.com/spofhq/spof/internal/out/analyze"
	"github.com/spofhq/spof/internal/par"
	"github.com/spofhq/spof/internal/sorted"
)

// A recommendation is measured, not guessed. Each candidate is an Edit of the inventory — entities to
// add, and references in which an existing entity becomes one of two alternatives — and the analysis
// runs again on the inventory with the edit applied: the fix is worth the drop in exposure it brings
// (the tier-weighted number of (service, SPOF) pairs), with the services whose SPOFs it removes and
// the availability they gain. The edit is also what the reader is told to write, as a TOML snippet.
//
// Three kinds of candidates:
//
//   - Double: an independent twin of a SPOF X, and every reference to X needs X or the twin. It is
//     the generic fix, and the only one for a provider ("a second carrier").
//   - BackupNumber: where a critical service is entered — a published number that is one of its SPOFs
//     — a backup number on a carrier the service does not use yet, routed to an existing service that
//     shares none of the number's SPOFs (or, when there is none, a new answering point), and whatever
//     used the number then uses either. Neither number need be a SPOF on its own for this to be the fix
//     that frees the service: it is generated from the entry, not from the SPOF list.
//   - Alternative: where a critical or high service uses a SPOF L in one of its keys, an existing entity
//     of the same kind that shares none of L's SPOFs, as an any_of alternative to L.
//
// Re-running the analysis for every candidate would cost too much on a large inventory, so candidates
// are ranked by a bound first — the SPOFs they could remove at best, weighted by tier — and the best
// few are measured exactly, on the part of the inventory they can change.

// FixKind is the kind of a recommendation.
type FixKind uint8

// Kinds of recommendations.
const (
	Double FixKind = iota
	BackupNumber
	Alternative
)

// Fix is a measured recommendation.
type Fix struct {
	Kind FixKind
	// Target is the entity doubled, the number backed up, or the entity given an alternative.
	Target int32
	// Service is, for an Alternative, the service whose key changes; With is the alternative.
	Service, With int32
	// Edit is the change, as measured and as written in Snippet.
	Edit    Edit
	Snippet string
	// Dependents are the entities whose references change.
	Dependents []int32
	// Removed is the drop in exposure; Pairs the number of (service, SPOF) pairs removed.
	Removed, Pairs int
	// Changes are the services whose SPOFs the fix removes, by tier, then most removed, then ID.
	Changes []Change
	// Freed counts the services left with no SPOF at all.
	Freed int
	// Gains are the availabilities of the first critical and high services changed, before and after.
	Gains []Gain
}

// Change is the effect of a fix on one service.
type Change struct {
	Service       int32
	Before, After int
	// Removed are the SPOFs the fix removes from the service, ascending.
	Removed []int32
}

// Gain is a service's availability before and after a fix.
type Gain struct {
	Service       int32
	Before, After float64
}

// Limits of the search.
const (
	// candidatesMeasured is how many candidates are measured by a new analysis, besides the second
	// providers.
	candidatesMeasured = 12
	// gainServices is how many services of a fix get their availability computed after it.
	gainServices = 2
)

// candidate is a fix to measure, made only if it is (a twin's edit references every dependent of its
// target: too much to build for every entity of a large inventory).
type candidate struct {
	make  func() Fix
	bound int
}

// recommend measures the best candidate fixes and a second provider next to each of the first
// providers that are SPOFs of critical or high services (the provider question asked on its own,
// whatever ranks first overall). It returns up to top of each, the largest drop in exposure first.
// weight and down are analyze.ImpactRanking's, which the report has already computed.
func recommend(res *analysis.Result, providers []analyze.Provider, ranked []int32, weight []int, down analyze.TierCounts, top int, p Progress) (fixes, second []Fix) {
	inv := res.Inv
	p.Phase("finding recommendations", 0, "")
	own, _ := avail.Own(inv)
	var cands []candidate
	cands = append(cands, doubleCandidates(res, own, weight, down)...)
	cands = append(cands, backupCandidates(res, own)...)
	cands = append(cands, alternativeCandidates(res, ranked)...)
	slices.SortStableFunc(cands, func(a, b candidate) int { return cmp.Compare(b.bound, a.bound) })
	cands = cands[:min(len(cands), max(candidatesMeasured, top))]
	var provs []Fix
	for _, p := range providers {
		if len(provs) == top {
			break
		}
		if len(p.Services.Critical)+len(p.Services.High) > 0 {
			x, _ := inv.Lookup(p.ID)
			provs = append(provs, doubleFix(res, x, own))
		}
	}
	all := make([]Fix, 0, len(cands)+len(provs))
	for _, c := range cands {
		all = append(all, c.make())
	}
	all = append(all, provs...)
	p.Phase("measuring recommendations", len(all), "fixes")
	par.ForEach(len(all), func(i int) {
		measure(res, &all[i])
		p.Add(1)
	})
	rank := func(fs []Fix) []Fix {
		var out []Fix
		for _, f := range fs {
			if f.Removed > 0 {
				out = append(out, f)
			}
		}
		slices.SortStableFunc(out, func(a, b Fix) int {
			// On a tie, the fix that says more (a structural one, then the fewest new entities) first.
			return cmp.Or(cmp.Compare(b.Removed, a.Removed), boolCmp(a.Kind != Double, b.Kind != Double),
				cmp.Compare(len(a.Edit.New), len(b.Edit.New)), cmp.Compare(a.Target, b.Target), cmp.Compare(a.Service, b.Service))
		})
		// One fix per target and kind: a backup number measured twice is one recommendation.
		var kept []Fix
		for _, f := range out {
			if !slices.ContainsFunc(kept, func(g Fix) bool { return g.Kind == f.Kind && g.Target == f.Target && g.Service == f.Service }) {
				kept = append(kept, f)
			}
		}
		return kept[:min(len(kept), top)]
	}
	fixes, second = rank(all[:len(cands)]), rank(all[len(cands):])
	before := availabilityBefore(res, fixes, p)
	p.Phase("computing the fixes' availability gains", len(fixes), "fixes")
	par.ForEach(len(fixes), func(i int) {
		fixes[i].Gains = gains(res, &fixes[i], before)
		p.Add(1)
	})
	for i := range fixes {
		fixes[i].Snippet = fixes[i].Edit.Snippet(inv)
	}
	for i := range second {
		second[i].Snippet = second[i].Edit.Snippet(inv)
	}
	return fixes, second
}

// boolCmp orders true first.
func boolCmp(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return -1
	}
	return 1
}

// doubleCandidates are the twins of the entities that take down critical or high services, bounded by
// (1 + |SPOFs(X)|) × the tier weight of the services X takes down: a twin of X can only remove X and
// the SPOFs of X. Published numbers are left to backupCandidates, which says where the twin goes.
// weight and down are analyze.ImpactRanking's: the services each entity takes down, counted by tier
// rather than listed (n²/2 entries on a chain of n).
func doubleCandidates(res *analysis.Result, own []float64, weight []int, down analyze.TierCounts) []candidate {
	inv := res.Inv
	var out []candidate
	for i := range inv.Entities {
		x := int32(i)
		if e := &inv.Entities[i]; e.Kind == model.Number && e.Published {
			continue
		}
		if down.Of(x, model.Critical)+down.Of(x, model.High) > 0 { // fixes are for what threatens critical and high services
			out = append(out, candidate{func() Fix { return doubleFix(res, x, own) }, (1 + res.NumSPOFs(x)) * weight[x]})
		}
	}
	return out
}

// doubleFix is the edit "an independent twin of x, and every reference to x needs either"; own are
// the entities' own availabilities.
func doubleFix(res *analysis.Result, x int32, own []float64) Fix {
	inv := res.Inv
	e := &inv.Entities[x]
	twin := NewEntity{ID: freeID(inv, nil, e.ID+"-b"), Kind: e.Kind, Type: e.Type, Tier: e.Tier,
		Availability: own[x], AvailabilityOf: e.ID, Name: "Independent alternative to " + e.ID}
	if deps := inv.Deps(x); len(deps) > 0 {
		twin.Note = "New: an alternative to " + e.ID + " that shares none of what it depends on:\n" +
			"declare what it needs, none of " + strings.Join(inv.IDsOf(limitIDs(withSPOFs(res, x), 6)), ", ") + "."
	} else {
		twin.Note = "New: an alternative to " + e.ID + "."
	}
	f := Fix{Kind: Double, Target: x, Service: -1, With: -1, Edit: Edit{New: []NewEntity{twin}}}
	f.Edit.Alts, f.Dependents = referencesTo(res, x, twin.ID)
	return f
}

// withSPOFs returns x and its SPOFs, ascending.
func withSPOFs(res *analysis.Result, x int32) []int32 {
	return sorted.Insert(slices.Clone(res.SPOFs(x)), x)
}

func limitIDs(xs []int32, n int) []int32 { return xs[:min(len(xs), n)] }

// referencesTo returns the alternatives that make every reference to x need x or with, and the
// entities that reference x.
func referencesTo(res *analysis.Result, x int32, with string) ([]Alt, []int32) {
	inv := res.Inv
	deps, _ := res.Dependents(x)
	var alts []Alt
	var owners []int32
	for _, d := range deps {
		if !slices.Contains(res.Deps(d), x) {
			continue
		}
		owners = append(owners, d)
		for _, ref := range inv.Entities[d].Refs {
			if slices.Contains(ref.Req.AppendEntities(nil), x) {
				alts = append(alts, Alt{Owner: d, Key: ref.Key, Leaf: x, With: with})
			}
		}
	}
	return alts, owners
}

// backupCandidates are the backup numbers of the published numbers that are SPOFs of critical or high
// services.
func backupCandidates(res *analysis.Result, own []float64) []candidate {
	inv := res.Inv
	carrier := inv.Named("carrier")
	for i := range inv.Entities {
		if e := &inv.Entities[i]; e.Kind == model.Provider && strings.EqualFold(e.Type, "carrier") {
			carrier[i] = true
		}
	}
	var out []candidate
	for i := range inv.Entities {
		n := int32(i)
		e := &inv.Entities[i]
		if e.Kind != model.Number || !e.Published {
			continue
		}
		deps, _ := res.Dependents(n)
		var served []int32
		w := 0
		for _, s := range deps {
			if se := &inv.Entities[s]; se.Kind == model.Service && se.Tier <= model.High && sorted.Contains(res.SPOFs(s), n) {
				served = append(served, s)
				w += se.Tier.Weight() * (1 + len(res.SPOFs(n)))
			}
		}
		if len(served) == 0 {
			continue
		}
		avoid := withSPOFs(res, n)
		used := closureSet(res, served)
		var ed Edit
		var taken []string
		// The carrier: an existing one the services do not use yet, else a new one.
		var numCarriers []int32
		for _, ref := range e.Refs {
			if ref.Key == "carrier" {
				numCarriers = ref.Req.AppendEntities(numCarriers)
			}
		}
		carrierID := ""
		for c := range inv.Entities {
			if carrier[c] && !used[int32(c)] && inv.Entities[c].Kind == model.Provider && len(res.SPOFs(int32(c))) == 0 {
				carrierID = inv.ID(int32(c))
				break
			}
		}
		if carrierID == "" {
			nc := NewEntity{ID: freeID(inv, taken, "carrier-b"), Kind: model.Provider, Type: "carrier", Name: "Second carrier",
				Note: "New: a carrier that " + strings.Join(inv.IDsOf(limitIDs(served, 3)), ", ") + " " + human.Plural(len(served), "does", "do") + " not use yet."}
			if len(numCarriers) > 0 {
				nc.Availability, nc.AvailabilityOf = own[numCarriers[0]], inv.ID(numCarriers[0])
			}
			carrierID = nc.ID
			taken = append(taken, nc.ID)
			ed.New = append(ed.New, nc)
		}
		// Where calls land: an existing service that shares none of the number's SPOFs and needs none
		// of the services served, akin to where the number lands now (a shared tag), else a new one.
		var targets []int32
		for _, ref := range e.Refs {
			if ref.Key == "routes_to" {
				targets = ref.Req.AppendEntities(targets)
			}
		}
		destID := answeringPoint(res, n, served, avoid, targets)
		backupID := freeID(inv, taken, e.ID+"-backup")
		taken = append(taken, backupID)
		if destID == "" {
			s0 := &inv.Entities[served[0]]
			nd := NewEntity{ID: freeID(inv, taken, s0.ID+"-oncall"), Kind: model.Service, Tier: s0.Tier,
				Name: "On-call answering point for " + s0.ID,
				Note: "New: where calls to " + backupID + " land (on-call mobiles, a cloud telephony platform…);\n" +
					"declare what it needs, none of " + strings.Join(inv.IDsOf(limitIDs(avoid, 6)), ", ") + "."}
			if len(targets) > 0 {
				nd.Availability, nd.AvailabilityOf = own[targets[0]], inv.ID(targets[0])
			}
			destID = nd.ID
			ed.New = append(ed.New, nd)
		}
		nb := NewEntity{ID: backupID, Kind: model.Number, Published: true, Name: "Backup of " + e.ID,
			Availability: own[n], AvailabilityOf: e.ID,
			Refs: []NewRef{{Key: "carrier", IDs: []string{carrierID}}, {Key: "routes_to", IDs: []string{destID}}},
			Note: "New: a backup number, published next to " + e.ID + "."}
		ed.New = append(ed.New, nb)
		slices.SortStableFunc(ed.New, func(a, b NewEntity) int { return cmp.Compare(a.Kind, b.Kind) })
		f := Fix{Kind: BackupNumber, Target: n, Service: -1, With: -1, Edit: ed}
		f.Edit.Alts, f.Dependents = referencesTo(res, n, backupID)
		out = append(out, candidate{func() Fix { return f }, w})
	}
	return out
}

// answeringPoint returns an existing service where calls to a backup of number n can land: one that
// shares a tag with where n lands now, is none of avoid, has no SPOF in avoid, and needs neither n
// nor a service it serves; the one with the fewest SPOFs, then the lowest ID. "" when there is none.
func answeringPoint(res *analysis.Result, n int32, served, avoid, targets []int32) string {
	inv := res.Inv
	// What needs n or a service it serves: computed once, from the reverse dependencies.
	needs, _ := res.Dependents(n)
	forbidden := map[int32]bool{}
	for _, d := range needs {
		forbidden[d] = true
	}
	for _, s := range served {
		forbidden[s] = true
		ds, _ := res.Dependents(s)
		for _, d := range ds {
			forbidden[d] = true
		}
	}
	tags := map[string]bool{}
	for _, t := range targets {
		for _, tag := range inv.Entities[t].Tags {
			tags[tag] = true
		}
	}
	best := int32(-1)
	for i := range inv.Entities {
		d := int32(i)
		e := &inv.Entities[i]
		if e.Kind != model.Service || slices.Contains(targets, d) || sorted.Contains(avoid, d) ||
			sorted.Intersects(res.SPOFs(d), avoid) || !slices.ContainsFunc(e.Tags, func(t string) bool { return tags[t] }) {
			continue
		}
		if forbidden[d] {
			continue
		}
		if best < 0 || len(res.SPOFs(d)) < len(res.SPOFs(best)) {
			best = d
		}
	}
	if best < 0 {
		return ""
	}
	return inv.ID(best)
}

// alternativeCandidates give a critical or high service an existing alternative to a SPOF it uses
// directly: an entity that can stand in for it — one the inventory already uses as its alternative
// somewhere (a member of the same redundancy group), or a provider or component of the same type —
// that shares none of the SPOF's own SPOFs and does not need the service. Two services of the same
// kind are not interchangeable for all that: nothing else is proposed.
func alternativeCandidates(res *analysis.Result, ranked []int32) []candidate {
	inv := res.Inv
	// The redundancy groups each entity is a member of, not the peers themselves: a group of n
	// members has n² peer pairs (a quorum of 10,000 VMs, 10^8), and stand-ins are only looked up for
	// the few leaves that are SPOFs.
	groupsOf := map[int32][][]int32{}
	for i := range inv.Entities {
		for _, ref := range inv.Entities[i].Refs {
			ref.Req.Walk(func(g *model.Req) {
				if !g.Redundant() {
					return
				}
				var ms []int32
				for _, m := range g.Members {
					if m.Op == model.Need {
						ms = append(ms, m.Entity)
					}
				}
				for _, m := range ms {
					groupsOf[m] = append(groupsOf[m], ms)
				}
			})
		}
	}
	// Providers and components by kind and type, for the alternatives of the same type.
	byType := map[string][]int32{}
	typeKey := func(e *model.Entity) string { return e.Kind.String() + "/" + strings.ToLower(e.Type) }
	for i := range inv.Entities {
		if e := &inv.Entities[i]; (e.Kind == model.Provider || e.Kind == model.Component) && e.Type != "" {
			byType[typeKey(e)] = append(byType[typeKey(e)], int32(i))
		}
	}
	standIns := func(l int32) []int32 {
		le := &inv.Entities[l]
		var out []int32
		for _, ms := range groupsOf[l] {
			out = append(out, ms...)
		}
		if (le.Kind == model.Provider || le.Kind == model.Component) && le.Type != "" {
			out = append(out, byType[typeKey(le)]...)
		}
		out = slices.DeleteFunc(out, func(y int32) bool { return inv.Entities[y].Kind != le.Kind })
		slices.Sort(out)
		return slices.Compact(out)
	}
	var out []candidate
	for _, s := range ranked {
		if res.NumSPOFs(s) == 0 {
			continue
		}
		// Built once per service, not per leaf and stand-in: a chained list costs its length.
		spofs := res.SPOFs(s)
		// The dependents only when a stand-in is found: most leaves have none, and the closure costs
		// a chain its length for every service on it.
		var dependents []int32
		built := false
		dependentsOf := func() []int32 {
			if !built {
				dependents, _ = res.Dependents(s)
				built = true
			}
			return dependents
		}
		w := inv.Entities[s].Tier.Weight()
		for _, ref := range inv.Entities[s].Refs {
			leaves := ref.Req.AppendEntities(nil)
			slices.Sort(leaves)
			for _, l := range slices.Compact(leaves) {
				if !sorted.Contains(spofs, l) {
					continue
				}
				brings := withSPOFs(res, l)
				best := int32(-1)
				for _, y := range standIns(l) {
					if y == l || y == s || sorted.Contains(spofs, y) ||
						sorted.Intersects(res.SPOFs(y), brings) || sorted.Contains(dependentsOf(), y) {
						continue
					}
					if best < 0 || res.NumSPOFs(y) < res.NumSPOFs(best) {
						best = y
					}
				}
				if best < 0 {
					continue
				}
				f := Fix{Kind: Alternative, Target: l, Service: s, With: best, Dependents: []int32{s},
					Edit: Edit{Alts: []Alt{{Owner: s, Key: ref.Key, Leaf: l, With: inv.ID(best)}}}}
				out = append(out, candidate{func() Fix { return f }, w * len(brings) * (1 + len(dependentsOf()))})
			}
		}
	}
	return out
}

// measure applies f's edit to the part of the inventory it can change and compares SPOFs before and
// after. An edit that makes x one of two alternatives can only remove x and the SPOFs of x, and only
// from services that depend on x: those services, with their dependency closure and what the new
// entities need, are all the analysis needs.
func measure(res *analysis.Result, f *Fix) {
	inv := res.Inv
	var services []int32
	removable := map[int32]bool{}
	seen := map[int32]bool{}
	leaves := map[int32]bool{}
	for _, a := range f.Edit.Alts {
		if leaves[a.Leaf] {
			continue
		}
		leaves[a.Leaf] = true
		for _, y := range withSPOFs(res, a.Leaf) {
			removable[y] = true
		}
		deps, _ := res.Dependents(a.Leaf)
		if f.Kind == Alternative {
			// Only the service's key changes: only it and what depends on it can gain.
			deps, _ = res.Dependents(f.Service)
			deps = append(deps, f.Service)
		}
		for _, d := range deps {
			if seen[d] || inv.Entities[d].Kind != model.Service {
				continue
			}
			seen[d] = true
			if res.IsSPOF(d, a.Leaf) || anyIn(res.EachSPOF(d), removable) {
				services = append(services, d)
			}
		}
	}
	slices.Sort(services)
	if len(services) == 0 {
		return
	}
	removed := make([][]int32, len(services))
	if f.Kind == Double {
		// The twin depends on nothing, so no single failure but its own puts it down: with it, every
		// use of x holds. It can only remove x and the SPOFs of x (the failures that put x down), and
		// removes y from s when y, failing with every use of x holding, no longer puts s down: one
		// simulation per such y, where a new analysis of every service x reaches cost a hundred times
		// more on a large platform.
		//
		// Which services each such y is a SPOF of comes from one pass over their SPOF lists: asking
		// every service about every y took a quarter of the report's time on spof-gen's 100k.
		// Those are removable's entities: the target is every leaf of a twin's edit.
		of := map[int32][]int{} // per y: the services (indexes) it is a SPOF of, ascending
		for i, s := range services {
			for y := range res.EachSPOF(s) {
				if removable[y] {
					of[y] = append(of[y], i)
				}
			}
		}
		sim := res.NewSimulator()
		for _, y := range withSPOFs(res, f.Target) {
			if len(of[y]) == 0 {
				continue
			}
			down := sim.DownHolding([]int32{y}, f.Target)
			for _, i := range of[y] {
				if !down[services[i]] {
					removed[i] = append(removed[i], y)
				}
			}
		}
	} else {
		keep := f.Edit.keep(res, services)
		sub := f.Edit.apply(inv, keep)
		subRes := analysis.Analyze(sub, analysis.Options{MaxOrder: 1, SkipPaths: true})
		back := backIndexes(inv, sub, keep)
		for i, s := range subIndexes(inv, sub, services) {
			ys := subRes.SPOFs(s)
			after := make([]int32, 0, len(ys))
			for _, y := range ys {
				if x := back[y]; x >= 0 {
					after = append(after, x)
				}
			}
			// An alternative only removes SPOFs: after is within before, and as long, the same.
			if len(after) < res.NumSPOFs(services[i]) {
				slices.Sort(after)
				removed[i] = sorted.Minus(res.SPOFs(services[i]), after)
			}
		}
	}
	for i, s := range services {
		if len(removed[i]) == 0 {
			continue
		}
		b := res.NumSPOFs(s)
		a := b - len(removed[i])
		f.Removed += inv.Entities[s].Tier.Weight() * len(removed[i])
		f.Pairs += len(removed[i])
		f.Changes = append(f.Changes, Change{Service: s, Before: b, After: a, Removed: removed[i]})
		if a == 0 {
			f.Freed++
		}
	}
	slices.SortFunc(f.Changes, func(p, q Change) int {
		return cmp.Or(cmp.Compare(inv.Entities[p.Service].Tier, inv.Entities[q.Service].Tier),
			cmp.Compare(len(q.Removed), len(p.Removed)), cmp.Compare(p.Service, q.Service))
	})
}

// anyIn reports whether xs yields a member of set.
func anyIn(xs iter.Seq[int32], set map[int32]bool) bool {
	for x := range xs {
		if set[x] {
			return true
		}
	}
	return false
}

// gainTargets returns the services whose availability gains fix f shows: its first critical and
// high changes, at most gainServices.
func gainTargets(inv *model.Inventory, f *Fix) []int32 {
	var out []int32
	for _, c := range f.Changes {
		if len(out) == gainServices || inv.Entities[c.Service].Tier > model.High {
			break
		}
		out = append(out, c.Service)
	}
	return out
}

// availabilityBefore computes, once per service, the availability of the services whose gains
// fixes show, each on its dependency closure. The same few critical services head most fixes: per
// fix, a ring of 4,000 services was unrolled again for each.
func availabilityBefore(res *analysis.Result, fixes []Fix, p Progress) map[int32]float64 {
	inv := res.Inv
	var services []int32
	for i := range fixes {
		services = append(services, gainTargets(inv, &fixes[i])...)
	}
	slices.Sort(services)
	services = slices.Compact(services)
	values := make([]float64, len(services))
	p.Phase("computing availability before the fixes", len(services), "services")
	par.ForEach(len(services), func(i int) {
		s := services[i]
		values[i] = availabilityOf(inv, res.Closure([]int32{s}), &Edit{}, inv.ID(s))
		p.Add(1)
	})
	out := make(map[int32]float64, len(services))
	for i, s := range services {
		out[s] = values[i]
	}
	return out
}

// gains gives the availability of the services of gainTargets before fix f (from before) and after
// it, computed on the dependency closure with the new entities.
func gains(res *analysis.Result, f *Fix, before map[int32]float64) []Gain {
	inv := res.Inv
	var out []Gain
	for _, s := range gainTargets(inv, f) {
		after := availabilityOf(inv, f.Edit.keep(res, []int32{s}), &f.Edit, inv.ID(s))
		out = append(out, Gain{Service: s, Before: before[s], After: after})
	}
	return out
}

// availabilityOf computes the availability of service id on the kept part of inv with ed applied.
func availabilityOf(inv *model.Inventory, keep []bool, ed *Edit, id string) float64 {
	sub := ed.apply(inv, keep)
	s, _ := sub.Lookup(id)
	r := avail.Compute(analysis.Analyze(sub, analysis.Options{MaxOrder: 1, SkipPaths: true}), avail.Options{Services: []int32{s}})
	as, _ := r.Service(s)
	return as.Availability
}

// closureSet is res.Closure for a few roots whose closure is small next to the inventory: a set, not
// a slice of the inventory's size.
func closureSet(res *analysis.Result, roots []int32) map[int32]bool {
	in := map[int32]bool{}
	res.Reach(roots, func(x int32) bool {
		if in[x] {
			return false
		}
		in[x] = true
		return true
	})
	return in
}
