package avail

import (
	"fmt"
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

// randomInventory builds an inventory of n entities with random requirement trees (nested groups,
// quorums, duplicated members, cycles) and random own availabilities, some left to the defaults.
func randomInventory(rng *rand.Rand, n int) *model.Inventory {
	ents := make([]model.Entity, n)
	for i := range ents {
		ents[i] = model.Entity{ID: fmt.Sprintf("e%02d", i), Kind: model.Kinds[rng.IntN(len(model.Kinds))]}
		switch rng.IntN(6) {
		case 0: // left to the defaults
		case 1:
			ents[i].Availability = 1
		case 2:
			ents[i].Availability = 0.5
		default:
			ents[i].Availability = 0.05 + 0.95*rng.Float64()
		}
	}
	keys := []string{"depends_on", "runs_on", "host", "provider"}
	for i := range ents {
		for j := range rng.IntN(3) {
			if rng.IntN(4) == 0 {
				continue
			}
			ents[i].Refs = append(ents[i].Refs, model.Ref{Key: keys[j], Req: randomReq(rng, n, int32(i), 0)})
		}
	}
	inv := model.New(ents, nil)
	if rng.IntN(2) == 0 {
		inv.Defaults[model.VM] = 0.7
	}
	return inv
}

func randomReq(rng *rand.Rand, n int, self int32, depth int) *model.Req {
	if depth >= 3 || rng.IntN(3) == 0 {
		e := int32(rng.IntN(n - 1))
		if e >= self {
			e++
		}
		return &model.Req{Op: model.Need, Entity: e}
	}
	r := &model.Req{Op: []model.Op{model.AllOf, model.AnyOf, model.AtLeast}[rng.IntN(3)], Group: true}
	for range 1 + rng.IntN(4) {
		r.Members = append(r.Members, randomReq(rng, n, self, depth+1))
	}
	if r.Op == model.AtLeast {
		r.K = 1 + rng.IntN(len(r.Members))
	}
	if rng.IntN(2) == 0 {
		r.Tested = []string{"2025-01-01", "2026-06-01", "2026-11-01"}[rng.IntN(3)]
	}
	return r
}

func allEntities(inv *model.Inventory) []int32 {
	out := make([]int32, inv.Len())
	for i := range out {
		out[i] = int32(i)
	}
	return out
}
