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
	"iter"
	"slices"
	"sync"

	"github.com/spofhq/spof/internal/model"
	"github.com/spofhq/spof/internal/par"
)

// Options bound the search.
type Options struct {
	// MaxOrder is the largest cut set searched, 1 to MaxOrder; 1 finds SPOFs only.
	MaxOrder int
	// MaxCutSets bounds the cut sets of two or more entities listed per entity (0: all): CutSets
	// then returns the first MaxCutSets minimal cut sets in their order, and says whether more
	// exist.
	MaxCutSets int
	// SkipPaths leaves out the shortest paths to the SPOFs, a third of the work of a large analysis
	// with MaxOrder 1: for callers that read the SPOF lists only (the what-if measures of the
	// review), and Detection only where DetectionReadsPaths is false. Path, NewPathWalker and
	// PathSteps then panic.
	SkipPaths bool
}

// Result is the analysis of one inventory. It is read-only once returned and safe for concurrent use.
type Result struct {
	Inv        *model.Inventory
	MaxOrder   int
	maxCutSets int
	c          *compiled
	sccs       [][]int32
	cyc        []*cycle   // aligned with sccs: each component's cycle, or nil
	sf         *spofTable // per entity: the single failures that put it down (its SPOFs)
	paths      *pathTable // per entity: the shortest paths to its SPOFs
	cs         *cutSets   // when MaxOrder > 1
	// radius is, per entity, what its single failure puts down, built on first use; or, when
	// chained entities would make it too large, storedRadius is built instead, from the stored
	// lists only (see BlastRadius).
	radius, storedRadius [][]int32

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
	want := max(opts.MaxCutSets, 0)
	c, sccs := compile(inv)
	r := &Result{Inv: inv, MaxOrder: k, maxCutSets: want, c: c, sccs: <-sccs}
	n := inv.Len()
	cyc := cycles(c, r.sccs)
	r.cyc = cyc
	r.sf = newSPOFTable(c, cyc, r.sccs)
	if !opts.SkipPaths {
		r.paths = newPathTable(r.sf)
	}
	var solvers []*solver
	if k > 1 {
		// One set more than listed: a family that holds it proves the list truncated.
		budget := 0
		if want > 0 {
			budget = want + 1
		}
		r.cs = newCutSets(c, r.sf, k, budget, want, cyc, r.sccs)
		solvers = make([]*solver, par.Workers(n))
		for w := range solvers {
			solvers[w] = r.cs.newSolver()
		}
	}
	// Every pass works component by component, dependencies first, and a component depends only on
	// lower levels: each level is solved on every core, all passes at once while its data is warm.
	scratch := make([]singlesScratch, par.Workers(n))
	for _, level := range levels(c, r.sccs, nil) {
		par.ForEachWorker(len(level), func(w, i int) {
			comp, cy := r.sccs[level[i]], cyc[level[i]]
			c.solveSingles(r.sf, comp, cy, &scratch[w])
			if r.cs != nil {
				// The cut sets start from the SPOFs: for most entities, with no redundancy below
				// them, the SPOFs are the whole answer.
				solvers[w].solve(comp, cy)
			}
			if r.paths != nil {
				c.solveDistances(r.paths, comp, cy)
			}
		})
	}
	if r.cs != nil {
		if want > 0 {
			r.cs.complete(r.sccs, cyc)
		}
		r.cs.done()
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

// SPOFs returns the entities whose failure alone puts e down. The list is shared: callers must not
// modify it.
func (r *Result) SPOFs(e int32) []int32 { return r.sf.get(e) }

// IsSPOF reports whether x is one of SPOFs(e), without building the list of an entity at the top
// of a long chain.
func (r *Result) IsSPOF(e, x int32) bool { return r.sf.has(e, x) }

// EachSPOF yields SPOFs(e) in no particular order, without building the list of an entity at the top
// of a long chain.
func (r *Result) EachSPOF(e int32) iter.Seq[int32] { return r.sf.each(e) }

// NumSPOFs returns len(SPOFs(e)), without building the list of an entity at the top of a long chain.
func (r *Result) NumSPOFs(e int32) int { return int(r.sf.size[e]) }

// BlastRadius returns the entities that the failure of x alone puts down, x excluded, ascending. The
// list is shared: callers must not modify it.
func (r *Result) BlastRadius(x int32) []int32 {
	r.radiusOnce.Do(r.buildRadius)
	if r.radius != nil || !r.sf.chained.Load() {
		return r.radius[x]
	}
	// An entity chained down to x, or down to an entity whose stored list holds x, has x among its
	// SPOFs, and no other chained one has.
	out := r.sf.appendChained(nil, x)
	for _, e := range r.storedRadius[x] {
		out = append(out, e)
		out = r.sf.appendChained(out, e)
	}
	slices.Sort(out)
	return out
}

// maxRadii is the most entries the blast radius lists may hold together for BlastRadius to build
// them all at once; beyond, it builds each list when asked (a chain of n services has n²/2). A
// variable for the tests.
var maxRadii = 1 << 26

// buildRadius builds every blast radius list by inverting the SPOF lists, or, when chained entities
// would make them too long together, only the inverse of the stored lists, for BlastRadius to
// complete each list when asked.
func (r *Result) buildRadius() {
	t := r.sf
	if !t.chained.Load() {
		r.radius = invert(t.list)
		return
	}
	total := 0
	for _, n := range t.size {
		total += int(n)
	}
	if total <= maxRadii {
		lists := make([][]int32, len(t.list))
		for e := range lists {
			lists[e] = t.get(int32(e))
		}
		r.radius = invert(lists)
		return
	}
	r.storedRadius = invert(t.list)
	t.chainKids(0) // built now, read concurrently later
}

// CutSets returns the minimal cut sets of e up to the maximum order, smallest first, then in
// lexicographic order of IDs; SPOFs appear as sets of one. It returns at most limit sets of two or more
// entities, and no more than Options.MaxCutSets allowed (limit <= 0: that many); truncated reports
// that more exist than it returns.
func (r *Result) CutSets(e int32, limit int) (sets [][]int32, truncated bool) {
	truncated = r.EachCutSet(e, limit, func(set []int32) { sets = append(sets, slices.Clone(set)) })
	return sets, truncated
}

// Tolerance returns the size of e's smallest cut set, and false when it has none up to the maximum order.
func (r *Result) Tolerance(e int32) (int, bool) {
	if r.sf.size[e] > 0 {
		return 1, true
	}
	if r.cs == nil {
		return 0, false
	}
	// The family holds its first set whenever one exists: it is whole, or longer than the budget
	// (see complete).
	if f := r.cs.fams[e]; len(f.sets) > 0 {
		return int(f.sets[0].n), true
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
	if !r.sf.has(e, x) {
		return nil
	}
	i := int32(-2) // chained
	if r.sf.thru[e] < 0 {
		j, _ := slices.BinarySearch(r.sf.list[e], x)
		i = int32(j)
	}
	return r.pathTable().appendPath(nil, e, x, i)
}

// pathTable returns the paths, which an analysis with Options.SkipPaths does not have.
func (r *Result) pathTable() *pathTable {
	if r.paths == nil {
		panic("analysis: the paths of an analysis made with Options.SkipPaths")
	}
	return r.paths
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

// RadiusCounts counts BlastRadius(x) by class for every x, without building the lists: class gives
// each entity's class in [0, k), or -1 for an entity not counted. It returns n×k counts, x's at
// [x·k, x·k+k). A chain of n services has blast radius lists of n²/2 entries together, which a
// ranking by tier-weighted radius (spof report, the JSON's entity order) need not hold: x's radius is
// the entities chained to it, directly or through others, and each entity whose stored list holds x
// with the entities chained to that one (see BlastRadius), so the counts cost the stored lists and
// the chains once.
func (r *Result) RadiusCounts(class []int8, k int) []int32 {
	t := r.sf
	n := len(t.thru)
	// sub[x·k+c] counts by class the entities chained to x, directly or through others: summed from
	// the deepest chained entities up.
	sub := make([]int32, n*k)
	if t.chained.Load() {
		maxDepth := int32(0)
		for _, d := range t.depth {
			maxDepth = max(maxDepth, d)
		}
		start := make([]int32, maxDepth+2)
		for _, d := range t.depth {
			start[d+1]++
		}
		for i := 1; i < len(start); i++ {
			start[i] += start[i-1]
		}
		byDepth := make([]int32, n)
		for e, d := range t.depth {
			byDepth[start[d]] = int32(e)
			start[d]++
		}
		for i := n - 1; i >= 0; i-- {
			e := byDepth[i]
			d := t.thru[e]
			if d < 0 {
				continue
			}
			for c := range k {
				sub[int(d)*k+c] += sub[int(e)*k+c]
			}
			if c := class[e]; c >= 0 {
				sub[int(d)*k+int(c)]++
			}
		}
	}
	out := slices.Clone(sub)
	for e, l := range t.list {
		if t.thru[e] >= 0 {
			continue
		}
		for _, x := range l {
			for c := range k {
				out[int(x)*k+c] += sub[e*k+c]
			}
			if c := class[e]; c >= 0 {
				out[int(x)*k+int(c)]++
			}
		}
	}
	return out
}

// RadiusOf returns BlastRadius(x) as a new list, without building every entity's list first, which
// BlastRadius does on first use: for the few entities a report shows, when the lists together are
// as long as the SPOF lists (n² on a ring of n). It costs a binary search in every stored list.
func (r *Result) RadiusOf(x int32) []int32 {
	t := r.sf
	out := t.appendChained(nil, x)
	for e, l := range t.list {
		if t.thru[e] >= 0 {
			continue
		}
		if _, ok := slices.BinarySearch(l, x); ok {
			out = append(out, int32(e))
			out = t.appendChained(out, int32(e))
		}
	}
	slices.Sort(out)
	return out
}
