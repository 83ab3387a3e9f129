package analysis

import (
	"iter"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/spofhq/spof/internal/sorted"
)

// spofTable holds every entity's SPOFs, sorted. Most entities store their list. An entity outside
// cycles whose requirement is exactly one other entity d (a pass-through: a service that depends on
// one service) has as SPOFs d and d's SPOFs; when that list is long it stores nothing and is chained
// to d: its list is read down the chain of pass-throughs to the first entity that stores one, its
// end. A chain of n services then stores O(n) integers instead of n²/2, and its paths, which run
// down the chain, are followed instead of stored: a chain of 200,000 services took 21 GB, and
// would take 280 GB with the path lengths, steps and positions of every (entity, SPOF) pair.
type spofTable struct {
	list [][]int32 // per entity: its SPOFs, or nil when it is chained
	size []int32   // per entity: how many SPOFs it has
	// thru is, per entity, the entity it is chained to, or -1 when it stores its list; end is
	// the entity that ends its chain (itself when it stores its list), and depth the number of
	// steps to it.
	thru, end, depth []int32
	// single is, per entity, the one entity its requirement is when it is a pass-through outside
	// cycles, or -1.
	single  []int32
	chained atomic.Bool // whether an entity is chained

	kidsStart, kids []int32 // the chained entities by what they are chained to, built on first use
	kidsOnce        sync.Once
}

// chainMin is the fewest SPOFs a pass-through has for it to be chained rather than store its
// list: below it, a list costs less than reading it down a chain. A variable for the tests.
var chainMin int32 = 64

func newSPOFTable(c *compiled, cyc []*cycle, sccs [][]int32) *spofTable {
	n := c.inv.Len()
	t := &spofTable{list: make([][]int32, n), size: make([]int32, n), thru: make([]int32, n), end: make([]int32, n),
		depth: make([]int32, n), single: make([]int32, n)}
	for e := range t.single {
		t.single[e], t.thru[e], t.end[e] = -1, -1, int32(e)
		deps := c.deps[e]
		if r := c.root[e]; len(deps) == 1 && deps[0] != int32(e) && r >= 0 && c.trip[r] == 1 && !c.nested[r] {
			t.single[e] = deps[0] // every child of the root is that entity
		}
	}
	for i, cy := range cyc {
		if cy != nil {
			for _, e := range sccs[i] {
				t.single[e] = -1
			}
		}
	}
	return t
}

// store makes l the list of e.
func (t *spofTable) store(e int32, l []int32) {
	t.list[e], t.size[e], t.thru[e], t.end[e], t.depth[e] = l, int32(len(l)), -1, e, 0
}

// chain makes e read its list through d, whose list is solved.
func (t *spofTable) chain(e, d int32) {
	t.list[e], t.size[e], t.thru[e], t.end[e], t.depth[e] = nil, t.size[d]+1, d, t.end[d], t.depth[d]+1
	t.chained.Store(true)
}

// get returns e's SPOFs, ascending: its list, or for a chained entity a new one, built from the
// chain (which costs its length).
func (t *spofTable) get(e int32) []int32 {
	if t.thru[e] < 0 {
		return t.list[e]
	}
	chain := make([]int32, 0, t.depth[e])
	for v := e; t.thru[v] >= 0; v = t.thru[v] {
		chain = append(chain, t.thru[v])
	}
	// Chains are mostly declared in ID order, one way or the other.
	switch {
	case slices.IsSorted(chain):
	case isDescending(chain):
		slices.Reverse(chain)
	default:
		slices.Sort(chain)
	}
	tail := t.list[t.end[e]]
	return sorted.Union(chain, tail)
}

// each yields e's SPOFs in no particular order: the chain, then the list of its end.
func (t *spofTable) each(e int32) iter.Seq[int32] {
	return func(yield func(int32) bool) {
		for v := e; t.thru[v] >= 0; v = t.thru[v] {
			if !yield(t.thru[v]) {
				return
			}
		}
		for _, x := range t.list[t.end[e]] {
			if !yield(x) {
				return
			}
		}
	}
}

func isDescending(s []int32) bool {
	for i := 1; i < len(s); i++ {
		if s[i] > s[i-1] {
			return false
		}
	}
	return true
}

// has reports whether x is a SPOF of e.
func (t *spofTable) has(e, x int32) bool {
	end := t.end[e]
	if _, ok := slices.BinarySearch(t.list[end], x); ok {
		return true
	}
	if t.end[x] != end || t.depth[x] >= t.depth[e] {
		return false
	}
	v := e
	for t.depth[v] > t.depth[x] {
		v = t.thru[v]
	}
	return v == x
}

// chainKids returns the entities chained to x.
func (t *spofTable) chainKids(x int32) []int32 {
	t.kidsOnce.Do(func() {
		t.kidsStart = make([]int32, len(t.thru)+1)
		for _, d := range t.thru {
			if d >= 0 {
				t.kidsStart[d+1]++
			}
		}
		for i := 1; i < len(t.kidsStart); i++ {
			t.kidsStart[i] += t.kidsStart[i-1]
		}
		t.kids = make([]int32, t.kidsStart[len(t.thru)])
		fill := slices.Clone(t.kidsStart)
		for e, d := range t.thru {
			if d >= 0 {
				t.kids[fill[d]] = int32(e)
				fill[d]++
			}
		}
	})
	return t.kids[t.kidsStart[x]:t.kidsStart[x+1]]
}

// appendChained appends to dst the entities chained to x, directly or through others.
func (t *spofTable) appendChained(dst []int32, x int32) []int32 {
	start := len(dst)
	dst = append(dst, t.chainKids(x)...)
	for i := start; i < len(dst); i++ {
		dst = append(dst, t.chainKids(dst[i])...)
	}
	return dst
}

// SPOFFilter lists the SPOFs that satisfy one predicate, for a rule that asks every service for its
// SPOFs of one kind (spof check's provider-spof and single-carrier): building each whole list to
// filter it costs n²/2 on a chain of n services, whose lists are read down the chain. The filter
// skips down a chain from one kept entity to the next. It is immutable once made, so goroutines may
// share it.
type SPOFFilter struct {
	t    *spofTable
	keep func(x int32) bool
	// next is, per chained entity, the first entity after it down its chain (its end included) that
	// keep keeps, -1 when none; nil when no entity is chained.
	next []int32
}

// NewSPOFFilter returns a lister of the SPOFs for which keep returns true; keep must be safe for
// concurrent use, and cheap: it is called on every member of the lists read.
func (r *Result) NewSPOFFilter(keep func(x int32) bool) *SPOFFilter {
	t := r.sf
	f := &SPOFFilter{t: t, keep: keep}
	if !t.chained.Load() {
		return f
	}
	const unknown = -2
	f.next = make([]int32, len(t.thru))
	for i := range f.next {
		f.next[i] = unknown
	}
	var todo []int32
	for v := range int32(len(t.thru)) {
		// The entities down from v not solved yet, solved from the bottom up, without recursion:
		// chains are long.
		todo = todo[:0]
		for u := v; t.thru[u] >= 0 && f.next[u] == unknown; u = t.thru[u] {
			todo = append(todo, u)
		}
		for i := len(todo) - 1; i >= 0; i-- {
			u := todo[i]
			switch d := t.thru[u]; {
			case keep(d):
				f.next[u] = d
			case t.thru[d] >= 0:
				f.next[u] = f.next[d]
			default:
				f.next[u] = -1
			}
		}
	}
	return f
}

// SPOFs returns the SPOFs of e that the filter keeps, ascending, in time proportional to their number
// plus the length of the list stored at e's chain end.
func (f *SPOFFilter) SPOFs(e int32) []int32 {
	t := f.t
	if t.thru[e] < 0 {
		return f.stored(e, nil)
	}
	var chain []int32
	for x := f.next[e]; x >= 0; x = f.next[x] {
		chain = append(chain, x)
		if t.thru[x] < 0 {
			break
		}
	}
	if !slices.IsSorted(chain) {
		slices.Sort(chain)
	}
	tail := f.stored(t.end[e], nil)
	return sorted.Union(chain, tail)
}

// stored appends to dst the kept members of the list that e stores.
func (f *SPOFFilter) stored(e int32, dst []int32) []int32 {
	for _, x := range f.t.list[e] {
		if f.keep(x) {
			dst = append(dst, x)
		}
	}
	return dst
}
