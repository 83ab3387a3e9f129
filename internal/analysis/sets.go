package analysis

import "slices"

func sortInt32(s []int32) { slices.Sort(s) }

func containsInt32(sorted []int32, x int32) bool {
	_, ok := slices.BinarySearch(sorted, x)
	return ok
}

// insertInt32 returns sorted with x added (sorted must not hold x); it allocates a new slice so that
// sets shared between entities are never modified.
func insertInt32(sorted []int32, x int32) []int32 {
	i, _ := slices.BinarySearch(sorted, x)
	out := make([]int32, 0, len(sorted)+1)
	out = append(out, sorted[:i]...)
	out = append(out, x)
	return append(out, sorted[i:]...)
}

// threshold returns, ascending, the values that occur in at least trip of the sorted, duplicate-free
// lists. It is union for trip 1 and intersection for trip len(lists); scratch is reused between calls.
func threshold(lists [][]int32, trip int, scratch *[]int32) []int32 {
	switch {
	case trip > len(lists) || trip < 1:
		return nil
	case len(lists) == 1:
		return lists[0]
	case trip == len(lists) && len(lists) == 2:
		return intersect(lists[0], lists[1])
	}
	buf := (*scratch)[:0]
	for _, l := range lists {
		buf = append(buf, l...)
	}
	slices.Sort(buf)
	*scratch = buf
	var out []int32
	for i := 0; i < len(buf); {
		j := i + 1
		for j < len(buf) && buf[j] == buf[i] {
			j++
		}
		if j-i >= trip {
			out = append(out, buf[i])
		}
		i = j
	}
	return out
}

func intersect(a, b []int32) []int32 {
	var out []int32
	for i, j := 0, 0; i < len(a) && j < len(b); {
		switch {
		case a[i] < b[j]:
			i++
		case a[i] > b[j]:
			j++
		default:
			out = append(out, a[i])
			i++
			j++
		}
	}
	return out
}
