package analysis

import "slices"

// This file holds the allocation-free readers of a Result that the JSON writer of analyze uses:
// at 100,000 entities it prints some twelve million path steps and a million cut sets.

// A PathWalker gives the paths of all the SPOFs of an entity, those Path returns one at a time,
// at a third less cost: the paths of successive SPOFs go through the same entities, looking for
// ascending targets, so each search in an entity's SPOF list resumes where the walk's previous
// search there ended instead of starting over. It holds two integers per entity: use one per
// goroutine, for many entities.
type PathWalker struct {
	r *Result
	// pos[c] is where the last search in the SPOF list of c ended, valid if seen[c] == walk.
	pos  []int32
	seen []uint32
	walk uint32
	path []int32
}

// NewPathWalker returns a PathWalker over r.
func (r *Result) NewPathWalker() *PathWalker {
	n := r.Inv.Len()
	return &PathWalker{r: r, pos: make([]int32, n), seen: make([]uint32, n)}
}

// Walk calls f with each SPOF x of e, in the order of SPOFs(e), and the path that Path(e, x)
// returns; path is valid only during the call.
func (w *PathWalker) Walk(e int32, f func(x int32, path []int32)) {
	r := w.r
	w.walk++
	if w.walk == 0 { // wrapped around: old marks would look current
		clear(w.seen)
		w.walk = 1
	}
	for i, x := range r.sf[e] {
		w.path = append(w.path[:0], e)
		for cur := r.hop[e][i]; ; { // the search that listed x gives the first step
			w.path = append(w.path, cur)
			if cur == x {
				break
			}
			from := 0
			if w.seen[cur] == w.walk {
				from = int(w.pos[cur])
			}
			j := searchFrom(r.sf[cur], from, x)
			w.seen[cur], w.pos[cur] = w.walk, int32(j)
			cur = r.hop[cur][j]
		}
		f(x, w.path)
	}
}

// searchFrom returns the index of x in the ascending s, which holds it at from or after: it
// gallops from there, so that nearby targets cost a comparison or two.
func searchFrom(s []int32, from int, x int32) int {
	lo, hi, step := from, from+1, 1
	for hi < len(s) && s[hi] < x {
		lo = hi
		step <<= 1
		hi += step
	}
	j, _ := slices.BinarySearch(s[lo:min(hi+1, len(s))], x)
	return lo + j
}

// EachCutSet calls f with each cut set that CutSets(e, limit) returns, in its order, and returns
// what CutSets returns as truncated. The slice passed to f is valid only during the call. Writers
// that print a million cut sets (analyze --format json at 100,000 entities) copy nothing.
func (r *Result) EachCutSet(e int32, limit int, f func(set []int32)) (truncated bool) {
	n := -1 // how many sets f may still get; -1 is all
	if limit > 0 {
		n = len(r.sf[e]) + limit
	}
	if r.cs == nil {
		for i := range r.sf[e] {
			if n == 0 {
				return true
			}
			n--
			f(r.sf[e][i : i+1])
		}
		return false
	}
	fm := &r.cs.fams[e]
	for i := range fm.sets {
		c := &fm.sets[i]
		if c.n == 1 && c.v[0] == e {
			continue
		}
		if n == 0 {
			return true
		}
		n--
		f(c.v[:c.n])
	}
	return fm.end.n != open
}
