// Package analysis computes what fails when entities fail: the down set of a failure (least fixed point),
// every service's single points of failure, minimal cut sets and tolerance, the blast radius of every
// entity, and the findings an architect reviews (false redundancy, cycles, missing owners, unused entities,
// and where the model disagrees with a recorded incident, which it replays: incidents.go).
//
// Definitions (docs/semantics.md gives them with worked examples): given failed entities F, an entity is down
// if it is in F or a requirement of one of its reference keys is unmet; cycles resolve to the least fixed
// point. A SPOF of service S is an entity X ≠ S whose failure alone puts S down. A cut set of S is a set
// of entities without S whose joint failure puts S down; the tolerance of S is the size of its smallest
// cut set, searched up to the maximum order.
//
// Every function returns entity indexes ascending (which is ID order) unless it says otherwise.
package analysis

import (
	"slices"
	"sync"

	"github.com/spofhq/spof/internal/model"
	"github.com/spofhq/spof/internal/par"
)

// Options bound the search.
type Options struct {
	// MaxOrder is the largest cut set searched, 1 to MaxOrder; 1 finds SPOFs only.
	MaxOrder int
	// MaxCutSets bounds the cut sets of two or more entities kept per entity (0: all). CutSets then
	// returns an exact prefix of the minimal cut sets, in their order, and says when it is cut short.
	MaxCutSets int
}

// Result is the analysis of one inventory. It is read-only once returned and safe for concurrent use.
type Result struct {
	Inv      *model.Inventory
	MaxOrder int
	c        *compiled
	sccs     [][]int32
	sf       [][]int32  // per entity: the single failures that put it down (its SPOFs)
	cs       *cutSets   // when MaxOrder > 1
	radius   [][]int32  // per entity: what its single failure puts down, built on first use
	dist     [][]uint16 // per entity, aligned with sf: length of the shortest path to each SPOF
	hop      [][]int32  // per entity, aligned with sf: first step of that path
	at       [][]int32  // per entity, aligned with sf: the SPOF's index in the first step's list, or -1

	radiusOnce sync.Once
	rdepsOnce  sync.Once
	rdeps      [][]int32 // per entity: the entities that reference it, built on first use

	replaysOnce sync.Once
	replays     []*IncidentReplay // the recorded incidents replayed, built on first use (incidents.go)
	detectOnce  sync.Once
	detect      *Detection // built on first use (blind.go)
}

// Analyze runs the analysis of inv.
func Analyze(inv *model.Inventory, opts Options) *Result {
	k := min(max(opts.MaxOrder, 1), MaxOrder)
	c, sccs := compile(inv)
	r := &Result{Inv: inv, MaxOrder: k, c: c, sccs: <-sccs}
	n := inv.Len()
	r.sf, r.dist, r.hop, r.at = make([][]int32, n), make([][]uint16, n), make([][]int32, n), make([][]int32, n)
	var solvers []*solver
	if k > 1 {
		r.cs = newCutSets(c, r.sf, k, opts.MaxCutSets)
		solvers = make([]*solver, par.Workers(n))
		for w := range solvers {
			solvers[w] = r.cs.newSolver()
		}
	}
	// Every pass works component by component, dependencies first, and a component depends only on
	// lower levels: each level is solved on every core, all passes at once while its data is warm.
	scratch := make([]singlesScratch, par.Workers(n))
	for _, level := range levels(c, r.sccs) {
		par.ForEachWorker(len(level), func(w, i int) {
			comp := level[i]
			c.solveSingles(r.sf, comp, &scratch[w])
			if r.cs != nil {
				// The cut sets start from the SPOFs: for most entities, with no redundancy below
				// them, the SPOFs are the whole answer.
				solvers[w].solve(comp)
			}
			c.solveDistances(r.dist, r.hop, r.at, r.sf, comp)
		})
	}
	return r
}

// invert turns "what downs e" into "what x downs": both directions of one relation, so the blast radius
// of every entity costs one pass over the SPOF sets.
func invert(sf [][]int32) [][]int32 {
	count := make([]int32, len(sf))
	for _, s := range sf {
		for _, x := range s {
			count[x]++
		}
	}
	out := make([][]int32, len(sf))
	flat := make([]int32, 0, sumInt32(count))
	for x, n := range count {
		out[x] = flat[len(flat) : len(flat) : len(flat)+int(n)]
		flat = flat[:len(flat)+int(n)]
	}
	for e, s := range sf { // e ascends, so each out[x] fills in ascending order
		for _, x := range s {
			out[x] = append(out[x], int32(e))
		}
	}
	return out
}

func sumInt32(s []int32) int {
	n := 0
	for _, v := range s {
		n += int(v)
	}
	return n
}

// SPOFs returns the entities whose failure alone puts e down.
func (r *Result) SPOFs(e int32) []int32 { return r.sf[e] }

// BlastRadius returns the entities that the failure of x alone puts down, x excluded.
func (r *Result) BlastRadius(x int32) []int32 {
	r.radiusOnce.Do(func() { r.radius = invert(r.sf) })
	return r.radius[x]
}

// CutSets returns the minimal cut sets of e up to the maximum order, smallest first, then in
// lexicographic order of IDs; SPOFs appear as sets of one. With limit > 0 it returns at most limit
// sets of two or more entities; truncated reports that more exist than it returns.
func (r *Result) CutSets(e int32, limit int) (sets [][]int32, truncated bool) {
	truncated = r.EachCutSet(e, limit, func(set []int32) { sets = append(sets, slices.Clone(set)) })
	return sets, truncated
}

// Tolerance returns the size of e's smallest cut set, and false when it has none up to the maximum order.
func (r *Result) Tolerance(e int32) (int, bool) {
	if len(r.sf[e]) > 0 {
		return 1, true
	}
	if r.cs == nil {
		return 0, false
	}
	f := r.cs.fams[e]
	for _, c := range f.sets {
		if !(c.n == 1 && c.v[0] == e) {
			return int(c.n), true // the family is sorted by size, and its prefix is exact
		}
	}
	if f.end.n != open {
		// Cut short before its first set (rare: inputs cut short themselves): solve e's closure
		// exactly rather than guess.
		for _, c := range exactFor(r.c, r.sccs, r.sf, r.MaxOrder, e) {
			if !(c.n == 1 && c.v[0] == e) {
				return int(c.n), true
			}
		}
	}
	return 0, false
}

// Path returns a shortest dependency path from e to x through entities that the failure of x puts
// down, e first and x last, or nil if x is not a SPOF of e. Each step is a cause of the previous
// entity's failure: it never goes through a member that a redundancy group lost while holding. Among
// shortest paths it takes, at each step, the cause with the lowest ID. It follows the first steps
// computed with the SPOFs.
func (r *Result) Path(e, x int32) []int32 {
	if e == x {
		return []int32{e}
	}
	i, ok := slices.BinarySearch(r.sf[e], x)
	if !ok {
		return nil
	}
	return r.appendPath(make([]int32, 0, int(r.dist[e][i])+1), e, int32(i))
}

// appendPath appends to dst the path from e to its i-th SPOF, following the first steps.
func (r *Result) appendPath(dst []int32, e, i int32) []int32 {
	dst = append(dst, e)
	for cur := e; i >= 0; {
		cur, i = r.hop[cur][i], r.at[cur][i]
		dst = append(dst, cur)
	}
	return dst
}

// Simulate returns what the failure of every entity in failed puts down.
func (r *Result) Simulate(failed []int32) *Outage { return r.c.propagate(failed) }

// Deps returns the distinct entities e references.
func (r *Result) Deps(e int32) []int32 { return r.c.deps[e] }

// Cycles returns the dependency cycles: strongly connected components of more than one entity, each
// ascending, ordered by their first entity.
func (r *Result) Cycles() [][]int32 {
	var out [][]int32
	for _, comp := range r.sccs {
		if len(comp) > 1 {
			out = append(out, comp)
		}
	}
	slices.SortFunc(out, func(a, b []int32) int { return int(a[0] - b[0]) })
	return out
}
