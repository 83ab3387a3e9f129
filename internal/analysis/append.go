package analysis

import "slices"

// This file holds the allocation-free readers of a Result that the JSON writer of analyze uses:
// at 100,000 entities it prints some twelve million path steps and a million cut sets.

// A PathWalker gives the paths of all the SPOFs of an entity, those Path returns one at a time,
// into one reused buffer. Use one per goroutine.
type PathWalker struct {
	r    *Result
	path []int32
}

// NewPathWalker returns a PathWalker over r.
func (r *Result) NewPathWalker() *PathWalker {
	r.pathTable() // fail here, not at the first walk
	return &PathWalker{r: r}
}

// Walk calls f with each SPOF x of e, in the order of SPOFs(e), and the path that Path(e, x)
// returns; path is valid only during the call.
func (w *PathWalker) Walk(e int32, f func(x int32, path []int32)) {
	w.WalkHead(e, -1, func(x int32, path []int32, _ int) { f(x, path) })
}

// WalkHead is Walk for writers that show a path's first entities only: it calls f with each SPOF x
// of e, in the order of SPOFs(e), the first keep entities (at least two; keep < 0: all) of the path
// that Path(e, x) returns, or all of them when the path is shorter, and the number of entities on the
// whole path. It costs keep steps per SPOF where Walk costs the whole path: a service at the top of
// a chain of 1,000 services has 999 SPOFs on paths of 500 steps on average.
func (w *PathWalker) WalkHead(e int32, keep int, f func(x int32, head []int32, n int)) {
	if keep >= 0 {
		keep = max(keep, 2)
	}
	p := w.r.paths
	chained := w.r.sf.thru[e] >= 0
	for i, x := range w.r.sf.get(e) {
		at := int32(i)
		if chained {
			at = -2
		}
		w.path = p.appendHead(w.path[:0], e, x, at, keep)
		f(x, w.path, int(p.distance(e, x, i))+1)
	}
}

// PathHead returns the first keep entities (keep < 0: all) of the path that Path(e, x) returns, or
// all of them when the path is shorter, in buf's storage, and the number of entities on the whole
// path; nil and 0 when x is not a SPOF of e. It is for writers that show one path at a time, and
// costs keep steps where Path costs the whole path: spof check keeps in each violation what walks
// its path, and a chain of n critical services ending on a provider has n violations on paths of
// n/2 steps on average.
func (r *Result) PathHead(buf []int32, e, x int32, keep int) ([]int32, int) {
	buf = buf[:0]
	if e == x {
		if keep == 0 {
			return buf, 1
		}
		return append(buf, e), 1
	}
	t := r.sf
	if !t.has(e, x) {
		return nil, 0
	}
	p := r.pathTable()
	i := int32(-2) // chained
	if t.thru[e] < 0 {
		j, _ := slices.BinarySearch(t.list[e], x)
		i = int32(j)
	}
	n := int(p.distance(e, x, int(i))) + 1
	if keep != 0 { // appendHead stops at keep entities, and has always appended e: 0 would walk it all
		buf = p.appendHead(buf, e, x, i, keep)
	}
	return buf, n
}

// BeforeLast returns the entity before x on the path that Path(e, x) returns, -1 when that path has
// fewer than two entities. Down a chain (see spofTable) it follows the path only from the chain's
// end, or walks the chain only: the last hop of each of n violations on a chain of n services ending
// on a provider then costs the end's path, not the n/2 steps of its own.
func (r *Result) BeforeLast(e, x int32) int32 {
	t := r.sf
	if e == x || !t.has(e, x) {
		return -1
	}
	p := r.pathTable()
	if t.thru[e] >= 0 {
		end := t.end[e]
		j, ok := slices.BinarySearch(t.list[end], x)
		if !ok { // x is on e's chain: the path runs down it to x
			v := e
			for t.thru[v] != x {
				v = t.thru[v]
			}
			return v
		}
		// Down the chain to its end, then the end's path to x, which has at least two entities.
		path := p.appendPath(nil, end, x, int32(j))
		return path[len(path)-2]
	}
	j, _ := slices.BinarySearch(t.list[e], x)
	path := p.appendPath(nil, e, x, int32(j))
	return path[len(path)-2]
}

// PathSteps returns how many entities the paths of all of e's SPOFs hold together: the size of
// what Walk passes to its function, which writers use to decide how much to hold in memory.
func (r *Result) PathSteps(e int32) int {
	t := r.sf
	end := t.end[e]
	n := 0
	for _, d := range r.pathTable().dist[end] {
		n += int(d) + 1
	}
	// Down a chain of k entities to its end: the k entities of the chain at 1 to k steps, and
	// the SPOFs of the end k steps further than from it.
	k := int(t.depth[e])
	return n + k*(k+3)/2 + k*len(t.list[end])
}

// EachCutSet calls f with each cut set that CutSets(e, limit) returns, in its order, and returns
// what CutSets returns as truncated. The slice passed to f is valid only during the call. Writers
// that print a million cut sets (analyze --format json at 100,000 entities) copy nothing.
func (r *Result) EachCutSet(e int32, limit int, f func(set []int32)) (truncated bool) {
	if limit <= 0 || r.maxCutSets > 0 && limit > r.maxCutSets {
		limit = r.maxCutSets
	}
	ones := r.sf.get(e)
	for i := range ones {
		f(ones[i : i+1])
	}
	if r.cs == nil {
		return false
	}
	fm := &r.cs.fams[e]
	for i := range fm.sets {
		if limit > 0 && i == limit {
			return true
		}
		c := &fm.sets[i]
		f(c.v[:c.n])
	}
	return fm.end.n != open
}
