package analysis

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/spofhq/spof/internal/brute"
	"github.com/spofhq/spof/internal/model"
	"github.com/spofhq/spof/internal/testinv"
)

// TestPathWalker checks that a PathWalker, reused from entity to entity, gives every SPOF of
// every entity of random and generated inventories with the path Path returns.
func TestPathWalker(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	var invs []*model.Inventory
	for range 100 {
		invs = append(invs, brute.Random(rng, 2+rng.IntN(20), brute.RandomOptions{}))
	}
	invs = append(invs, testinv.Generated(t, 3000, 2))
	for _, inv := range invs {
		r := Analyze(inv, Options{MaxOrder: 1})
		w := r.NewPathWalker()
		for _, e := range rng.Perm(inv.Len()) {
			var got []int32
			w.Walk(int32(e), func(x int32, path []int32) {
				if want := r.Path(int32(e), x); !slices.Equal(path, want) {
					t.Fatalf("Walk(%d) gives %v for %d, want %v", e, path, x, want)
				}
				got = append(got, x)
			})
			if !slices.Equal(got, r.SPOFs(int32(e))) {
				t.Fatalf("Walk(%d) visits %v, want the SPOFs %v", e, got, r.SPOFs(int32(e)))
			}
		}
	}
}
