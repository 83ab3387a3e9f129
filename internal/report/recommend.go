package report

import (
	"cmp"
	"slices"

	"github.com/spofhq/spof/internal/analysis"
	"github.com/spofhq/spof/internal/model"
	"github.com/spofhq/spof/internal/view"
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

// candidatesMeasured is how many candidate fixes are measured by a new analysis.
const candidatesMeasured = 8

// recommend returns up to top measured fixes, the largest drop in exposure first, then by ID.
func recommend(res *analysis.Result, top int) []Fix {
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
	cands = cands[:min(len(cands), max(candidatesMeasured, top))]
	xs := make([]int32, len(cands))
	for i, c := range cands {
		xs[i] = c.x
	}
	return measureAll(res, xs, top)
}

// providerFixes measures a second provider next to each of the top providers that are SPOFs of
// critical or high services: the provider question asked on its own, whatever ranks first overall.
func providerFixes(res *analysis.Result, providers []view.Provider, top int) []Fix {
	var xs []int32
	for _, p := range providers {
		if len(xs) == top {
			break
		}
		if len(p.Services.Critical)+len(p.Services.High) > 0 {
			x, _ := res.Inv.Lookup(p.ID)
			xs = append(xs, x)
		}
	}
	return measureAll(res, xs, top)
}

// measureAll measures the fix of each target and returns up to top of those that remove something,
// the largest drop in exposure first, then by ID.
func measureAll(res *analysis.Result, targets []int32, top int) []Fix {
	fixes := make([]Fix, len(targets))
	analysis.ForEach(len(targets), func(i int) { fixes[i] = measure(res, targets[i]) })
	fixes = slices.DeleteFunc(fixes, func(f Fix) bool { return f.Removed == 0 })
	slices.SortStableFunc(fixes, func(a, b Fix) int {
		return cmp.Or(cmp.Compare(b.Removed, a.Removed), cmp.Compare(a.Target, b.Target))
	})
	return fixes[:min(len(fixes), top)]
}

// measure applies the twin fix for x to the part of the inventory it can change — the services that
// depend on x, with their dependency closure — and compares their SPOFs before and after.
func measure(res *analysis.Result, x int32) Fix {
	inv := res.Inv
	deps, _ := res.Dependents(x)
	var services []int32
	fix := Fix{Target: x}
	for _, d := range deps {
		if inv.Entities[d].Kind == model.Service {
			services = append(services, d)
		}
		if slices.Contains(res.Deps(d), x) {
			fix.Dependents = append(fix.Dependents, d)
		}
	}
	if len(services) == 0 {
		return fix
	}
	sub := derive(inv, closure(res, services), x)
	after := analysis.Analyze(sub, analysis.Options{MaxOrder: 1})
	for i, s := range subIndexes(inv, sub, services) {
		orig := services[i]
		b, a := len(res.SPOFs(orig)), len(after.SPOFs(s))
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
