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
