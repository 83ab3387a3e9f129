// Package sorted holds the set operations on ascending, duplicate-free slices that several packages
// need (entity indexes, most of all): membership, insertion and intersections, each by merging or
// binary search rather than through maps.
package sorted

import (
	"cmp"
	"slices"
)

// Contains reports whether the ascending slice s holds x.
func Contains[T cmp.Ordered](s []T, x T) bool {
	_, ok := slices.BinarySearch(s, x)
	return ok
}

// Insert returns s with x added, ascending (s must not hold x). It allocates a new slice, so that
// slices shared between owners are never modified.
func Insert[T cmp.Ordered](s []T, x T) []T {
	i, _ := slices.BinarySearch(s, x)
	out := make([]T, 0, len(s)+1)
	out = append(out, s[:i]...)
	out = append(out, x)
	return append(out, s[i:]...)
}

// Union returns the elements of a or b, ascending, in a new slice.
func Union[T cmp.Ordered](a, b []T) []T {
	out := make([]T, 0, len(a)+len(b))
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] < b[j]:
			out = append(out, a[i])
			i++
		case a[i] > b[j]:
			out = append(out, b[j])
			j++
		default:
			out = append(out, a[i])
			i++
			j++
		}
	}
	out = append(out, a[i:]...)
	return append(out, b[j:]...)
}

// Intersect returns the elements common to a and b, ascending; nil when there are none.
func Intersect[T cmp.Ordered](a, b []T) []T {
	var out []T
	merge(a, b, func(x T) bool { out = append(out, x); return true })
	return out
}

// IntersectLen returns how many elements a and b have in common.
func IntersectLen[T cmp.Ordered](a, b []T) int {
	n := 0
	merge(a, b, func(T) bool { n++; return true })
	return n
}

// Intersects reports whether a and b have an element in common.
func Intersects[T cmp.Ordered](a, b []T) bool {
	found := false
	merge(a, b, func(T) bool { found = true; return false })
	return found
}

// Minus returns the elements of a that b does not hold, ascending; nil when there are none. One
// merge of both lists: the review compares thousands of SPOF lists of hundreds of entities each.
func Minus[T cmp.Ordered](a, b []T) []T {
	var out []T
	j := 0
	for _, x := range a {
		for j < len(b) && b[j] < x {
			j++
		}
		if j == len(b) || b[j] != x {
			out = append(out, x)
		}
	}
	return out
}

// merge calls common for each element of both a and b, ascending, until it returns false.
func merge[T cmp.Ordered](a, b []T, common func(T) bool) {
	for i, j := 0, 0; i < len(a) && j < len(b); {
		switch {
		case a[i] < b[j]:
			i++
		case a[i] > b[j]:
			j++
		default:
			if !common(a[i]) {
				return
			}
			i++
			j++
		}
	}
}

// AtLeast returns, ascending, the values that occur in at least k of the lists (each ascending and
// duplicate-free): their union for k 1, their intersection for k len(lists), nil when k is out of
// range. The result may share memory with lists or with *scratch, which is reused between calls to
// spare an allocation per call on hot paths.
func AtLeast[T cmp.Ordered](lists [][]T, k int, scratch *[]T) []T {
	switch {
	case k > len(lists) || k < 1:
		return nil
	case len(lists) == 1:
		return lists[0]
	case k == 2 && len(lists) == 2:
		return Intersect(lists[0], lists[1])
	}
	buf := (*scratch)[:0]
	for _, l := range lists {
		buf = append(buf, l...)
	}
	slices.Sort(buf)
	*scratch = buf
	var out []T
	for i := 0; i < len(buf); {
		j := i + 1
		for j < len(buf) && buf[j] == buf[i] {
			j++
		}
		if j-i >= k {
			out = append(out, buf[i])
		}
		i = j
	}
	return out
}
