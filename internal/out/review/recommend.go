package review

import (
	"cmp"
	"slices"

	"github.com/spofhq/spof/internal/analysis"
	"github.com/spofhq/spof/internal/model"
	"github.com/spofhq/spof/internal/out/analyze"
	"github.com/spofhq/spof/internal/par"
	"github.com/spofhq/spof/internal/sorted"
)

// A recommendation is measured, not guessed. For a candidate entity X, the fix is "add a redundant
// alternative to X that shares none of its dependencies": derive adds an independent twin of X and
// makes every reference to X require any_of [X, twin]. The analysis then runs again on the modified
// inventory, and the fix is worth the drop in exposure it brings — the tier-weighted number of
// (service, SPOF) pairs — with the services whose SPOFs it removes.
//
// Which candidates: re-running the analysis for every entity would cost as many analyses as entities,
// so candidates are ranked by a bound first. If X is a SPOF of service S, every SPOF of X is one of S
// too, and a twin of X can only remove SPOFs that come through X: X and its own SPOFs. The bound is
// therefore (1 + |SPOFs(X)|) × the tier weight of the services X takes down; the best few by bound are
// measured exactly, and ranked by what the measurement says.

// Fix is a measured recommendation: add an independent alternative to Target.
type Fix struct {
	Target int32
	// Dependents are the entities that reference Target, which would need either it or the twin.
	Dependents []int32
	// Removed is the drop in exposure; Pairs the number of (service, SPOF) pairs removed.
	Removed, Pairs int
	// Changes are the services whose SPOFs the fix removes, by tier, then most removed, then ID.
	Changes []Change
	// Freed counts the services left with no SPOF at all.
	Freed int
}

// Change is the effect of a fix on one service.
type Change struct {
	Service       int32
	Before, After int
}

// candidatesMeasured is how many candidate fixes are measured by a new analysis, besides the
// second providers.
const candidatesMeasured = 8

// recommend measures the best candidate fixes and a second provider next to each of the first
// providers that are SPOFs of critical or high services (the provider question asked on its own,
// whatever ranks first overall). It returns up to top of each, the largest drop in exposure first,
// then by ID.
func recommend(res *analysis.Result, providers []analyze.Provider, top int) (fixes, second []Fix) {
	inv := res.Inv
	type cand struct {
		x     int32
		bound int
	}
	var cands []cand
	for i := range inv.Entities {
		w, critical := 0, false
		for _, s := range res.BlastRadius(int32(i)) {
			if e := &inv.Entities[s]; e.Kind == model.Service {
				w += e.Tier.Weight()
				critical = critical || e.Tier <= model.High
			}
		}
		if critical { // fixes are for what threatens critical and high services
			cands = append(cands, cand{int32(i), (1 + len(res.SPOFs(int32(i)))) * w})
		}
	}
	slices.SortStableFunc(cands, func(a, b cand) int { return cmp.Compare(b.bound, a.bound) })
	var targets, provs []int32
	for _, c := range cands[:min(len(cands), max(candidatesMeasured, top))] {
		targets = append(targets, c.x)
	}
	for _, p := range providers {
		if len(provs) == top {
			break
		}
		if len(p.Services.Critical)+len(p.Services.High) > 0 {
			x, _ := inv.Lookup(p.ID)
			provs = append(provs, x)
		}
	}
	// Measure each target once, even when it is both a candidate and a provider.
	all := slices.Clone(targets)
	for _, x := range provs {
		if !slices.Contains(all, x) {
			all = append(all, x)
		}
	}
	measured := make([]Fix, len(all))
	par.ForEach(len(all), func(i int) { measured[i] = measure(res, all[i]) })
	pick := func(xs []int32) []Fix {
		var out []Fix
		for i, x := range all {
			if slices.Contains(xs, x) && measured[i].Removed > 0 {
				out = append(out, measured[i])
			}
		}
		slices.SortStableFunc(out, func(a, b Fix) int {
			return cmp.Or(cmp.Compare(b.Removed, a.Removed), cmp.Compare(a.Target, b.Target))
		})
		return out[:min(len(out), top)]
	}
	return pick(targets), pick(provs)
}

// measure applies the twin fix for x to the part of the inventory it can change and compares SPOFs
// before and after. A twin of x can only remove x and the SPOFs of x, and only from services that
// depend on x: those services, with their dependency closure, are all the analysis needs.
func measure(res *analysis.Result, x int32) Fix {
	inv := res.Inv
	deps, _ := res.Dependents(x)
	removable := sorted.Insert(res.SPOFs(x), x)
	var services []int32
	fix := Fix{Target: x}
	for _, d := range deps {
		if inv.Entities[d].Kind == model.Service && sorted.Intersects(res.SPOFs(d), removable) {
			services = append(services, d)
		}
		if slices.Contains(res.Deps(d), x) {
			fix.Dependents = append(fix.Dependents, d)
		}
	}
	if len(services) == 0 {
		return fix
	}
	after := make([]int, len(services))
	if len(removable) == 1 {
		// x has no SPOF of its own (a provider, typically): the twin removes x, and only x, from
		// every service it took down; no new analysis is needed to know it.
		for i, s := range services {
			after[i] = len(res.SPOFs(s)) - 1
		}
	} else {
		sub := derive(inv, closure(res, services), x)
		subRes := analysis.Analyze(sub, analysis.Options{MaxOrder: 1})
		for i, s := range subIndexes(inv, sub, services) {
			after[i] = len(subRes.SPOFs(s))
		}
	}
	for i, orig := range services {
		b, a := len(res.SPOFs(orig)), after[i]
		if a >= b {
			continue
		}
		w := inv.Entities[orig].Tier.Weight()
		fix.Removed += w * (b - a)
		fix.Pairs += b - a
		fix.Changes = append(fix.Changes, Change{Service: orig, Before: b, After: a})
		if a == 0 {
			fix.Freed++
		}
	}
	slices.SortStableFunc(fix.Changes, func(p, q Change) int {
		return cmp.Or(cmp.Compare(inv.Entities[p.Service].Tier, inv.Entities[q.Service].Tier),
			cmp.Compare(q.Before-q.After, p.Before-p.After))
	})
	return fix
}
