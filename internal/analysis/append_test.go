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
