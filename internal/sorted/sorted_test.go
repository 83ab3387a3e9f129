package sorted

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestAgainstMaps compares every operation with the same operation on maps, over random sets.
func TestAgainstMaps(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	set := func() []int32 {
		m := map[int32]bool{}
		for range rng.IntN(12) {
			m[int32(rng.IntN(20))] = true
		}
		var out []int32
		for x := range m {
			out = append(out, x)
		}
		slices.Sort(out)
		return out
	}
	for range 2000 {
		a, b := set(), set()
		var want []int32
		for _, x := range a {
			if slices.Contains(b, x) {
				want = append(want, x)
			}
		}
		union := append(slices.Clone(a), b...)
		slices.Sort(union)
		if got := Union(a, b); !slices.Equal(got, slices.Compact(union)) {
			t.Fatalf("Union(%v, %v) = %v", a, b, got)
		}
		if got := Intersect(a, b); !slices.Equal(got, want) {
			t.Fatalf("Intersect(%v, %v) = %v, want %v", a, b, got, want)
		}
		if got := IntersectLen(a, b); got != len(want) {
			t.Fatalf("IntersectLen(%v, %v) = %d, want %d", a, b, got, len(want))
		}
		if got := Intersects(a, b); got != (len(want) > 0) {
			t.Fatalf("Intersects(%v, %v) = %v, want %v", a, b, got, len(want) > 0)
		}
		var minus []int32
		for _, x := range a {
			if !slices.Contains(b, x) {
				minus = append(minus, x)
			}
		}
		if got := Minus(a, b); !slices.Equal(got, minus) {
			t.Fatalf("Minus(%v, %v) = %v, want %v", a, b, got, minus)
		}
		x := int32(rng.IntN(20))
		if got := Contains(a, x); got != slices.Contains(a, x) {
			t.Fatalf("Contains(%v, %d) = %v", a, x, got)
		}
		if !slices.Contains(a, x) {
			got := Insert(a, x)
			want := append(slices.Clone(a), x)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Fatalf("Insert(%v, %d) = %v, want %v", a, x, got, want)
			}
		}
	}
}

// TestAtLeast compares AtLeast with counting in a map, for every k from 0 to one more than the lists.
func TestAtLeast(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	var scratch []int32
	for range 2000 {
		lists := make([][]int32, 1+rng.IntN(5))
		count := map[int32]int{}
		for i := range lists {
			for x := range int32(15) {
				if rng.IntN(3) == 0 {
					lists[i] = append(lists[i], x)
					count[x]++
				}
			}
		}
		for k := 0; k <= len(lists)+1; k++ {
			var want []int32
			for x := range int32(15) {
				if k >= 1 && count[x] >= k {
					want = append(want, x)
				}
			}
			if got := AtLeast(lists, k, &scratch); !slices.Equal(got, want) {
				t.Fatalf("AtLeast(%v, %d) = %v, want %v", lists, k, got, want)
			}
		}
	}
}
