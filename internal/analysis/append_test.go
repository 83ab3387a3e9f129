package analysis

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/spofhq/spof/internal/brute"
)

// TestAppendPath checks that AppendPath appends exactly what Path returns, for every pair of
// entities of random inventories, SPOF or not, and keeps what dst held.
func TestAppendPath(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	for range 50 {
		inv := brute.Random(rng, 2+rng.IntN(12), brute.RandomOptions{})
		r := Analyze(inv, Options{MaxOrder: 1})
		for e := range int32(inv.Len()) {
			for x := range int32(inv.Len()) {
				want := append([]int32{-1}, r.Path(e, x)...)
				if got := r.AppendPath([]int32{-1}, e, x); !slices.Equal(got, want) {
					t.Fatalf("AppendPath([-1], %d, %d) = %v, want %v", e, x, got, want)
				}
			}
		}
	}
}

// TestEachCutSet checks that EachCutSet gives exactly the sets and truncation CutSets returns, at
// every order and limit, on random inventories.
func TestEachCutSet(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 8))
	for range 60 {
		inv := brute.Random(rng, 2+rng.IntN(14), brute.RandomOptions{})
		for _, order := range []int{1, 2, 3} {
			for _, budget := range []int{0, 1, 3} {
				r := Analyze(inv, Options{MaxOrder: order, MaxCutSets: budget})
				for e := range int32(inv.Len()) {
					for _, limit := range []int{0, 1, 2, 5} {
						want, wantTrunc := r.CutSets(e, limit)
						var got [][]int32
						gotTrunc := r.EachCutSet(e, limit, func(c []int32) { got = append(got, slices.Clone(c)) })
						if !slices.EqualFunc(got, want, slices.Equal) || gotTrunc != wantTrunc {
							t.Fatalf("order %d budget %d: EachCutSet(%d, %d) = %v, %v; want %v, %v",
								order, budget, e, limit, got, gotTrunc, want, wantTrunc)
						}
					}
				}
			}
		}
	}
}
