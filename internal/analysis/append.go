package analysis

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
