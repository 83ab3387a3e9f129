package analysis

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/spofhq/spof/internal/brute"
	"github.com/spofhq/spof/internal/model"
)

// TestSimulatorReuse asks one Simulator many failure sets in a row and checks each answer against a
// fresh simulation: the tables it resets must leave nothing of the answer before. With an entity
// held, the answer is that of the inventory where every reference to it is met.
func TestSimulatorReuse(t *testing.T) {
	for seed := range uint64(200) {
		rng := rand.New(rand.NewPCG(seed, 31))
		inv := brute.Random(rng, 3+rng.IntN(15), brute.RandomOptions{Chains: seed%2 == 0})
		res := Analyze(inv, Options{MaxOrder: 1})
		sim := res.NewSimulator()
		n := inv.Len()
		for range 30 {
			failed := make([]int32, 1+rng.IntN(3))
			for i := range failed {
				failed[i] = int32(rng.IntN(n))
			}
			held := int32(-1)
			if rng.IntN(2) == 0 {
				held = int32(rng.IntN(n))
			}
			got := slices.Clone(sim.DownHolding(failed, held))
			want := res.Simulate(failed).Down
			if held >= 0 {
				marks := make([]bool, n)
				for _, f := range failed {
					marks[f] = true
				}
				// The least fixed point where every leaf naming held is met.
				want = brute.Down(inv, marks, func(r *model.Req, down []bool) bool {
					return brute.MetBy(r, func(e int32) bool { return e == held || !down[e] })
				})
			}
			if !slices.Equal(got, want) {
				t.Fatalf("seed %d: %v failing, %d held: got %v, want %v", seed, failed, held, got, want)
			}
		}
	}
}
