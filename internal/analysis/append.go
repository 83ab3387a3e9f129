package analysis

import "slices"

// AppendPath appends to dst the path that Path(e, x) returns, and returns the extended slice; dst
// is unchanged if x is not a SPOF of e. Writers that print millions of paths (analyze --format json
// at 100,000 entities) reuse one slice instead of allocating one per SPOF.
func (r *Result) AppendPath(dst []int32, e, x int32) []int32 {
	if e == x {
		return append(dst, e)
	}
	i, ok := slices.BinarySearch(r.sf[e], x)
	if !ok {
		return dst
	}
	// The search that found x also gives the first step: one search fewer than Path per SPOF.
	dst = append(dst, e)
	for cur := r.hop[e][i]; ; {
		dst = append(dst, cur)
		if cur == x {
			return dst
		}
		j, _ := slices.BinarySearch(r.sf[cur], x)
		cur = r.hop[cur][j]
	}
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
