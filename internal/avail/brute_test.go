package avail

import (
	"math/rand/v2"

	"github.com/spofhq/spof/internal/brute"
	"github.com/spofhq/spof/internal/model"
)

// This file is the independent reference of the property tests: it evaluates the requirement trees of
// model.Entity directly, propagates a failure set by brute force to the least fixed point, and sums
// the probabilities of every failure set. It shares no code with the package under test (no BDD, no
// circuit).

// bruteDown and bruteMet are the shared brute-force evaluator (internal/brute).
var (
	bruteDown = brute.Down
	bruteMet  = brute.Met
)

// bruteStats are exact probabilities by enumeration of the 2^n failure sets.
type bruteStats struct {
	down []float64 // per entity: P(down)
	// given[e][x] is P(e down | x failed) and upGiven[e][x] P(e down | x up).
	given, upGiven [][]float64
}

func bruteEnumerate(inv *model.Inventory, own []float64) bruteStats {
	n := inv.Len()
	st := bruteStats{down: make([]float64, n), given: make([][]float64, n), upGiven: make([][]float64, n)}
	for e := range n {
		st.given[e] = make([]float64, n)
		st.upGiven[e] = make([]float64, n)
	}
	failed := make([]bool, n)
	for set := 0; set < 1<<n; set++ {
		for i := range n {
			failed[i] = set&(1<<i) != 0
		}
		down := bruteDown(inv, failed, bruteMet)
		weight := func(skip int) float64 {
			w := 1.0
			for i := range n {
				switch {
				case i == skip:
				case failed[i]:
					w *= 1 - own[i]
				default:
					w *= own[i]
				}
			}
			return w
		}
		w := weight(-1)
		for e := range n {
			if down[e] {
				st.down[e] += w
			}
		}
		for x := range n {
			wx := weight(x)
			for e := range n {
				if !down[e] {
					continue
				}
				if failed[x] {
					st.given[e][x] += wx
				} else {
					st.upGiven[e][x] += wx
				}
			}
		}
	}
	return st
}

// randomInventory builds a random inventory with availabilities and tested dates (internal/brute).
func randomInventory(rng *rand.Rand, n int) *model.Inventory {
	return brute.Random(rng, n, brute.RandomOptions{Availability: true})
}

func allEntities(inv *model.Inventory) []int32 {
	out := make([]int32, inv.Len())
	for i := range out {
		out[i] = int32(i)
	}
	return out
}
