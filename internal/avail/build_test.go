package avail

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/spofhq/spof/internal/analysis"
	"github.com/spofhq/spof/internal/brute"
	"github.com/spofhq/spof/internal/model"
)

// evalNode evaluates circuit node x on the failure set failed, each gate once (the DAG of a
// solved cycle shares deeply: unfolded as a tree it is exponential).
func evalNode(c *circuit, x int32, failed []bool) bool {
	return evalMemo(c, x, failed, map[int32]bool{})
}

func evalMemo(c *circuit, x int32, failed []bool, memo map[int32]bool) bool {
	switch c.op[x] {
	case gConst:
		return x == cTrue
	case gVar:
		return failed[entityOf(x)]
	}
	if v, ok := memo[x]; ok {
		return v
	}
	n := 0
	for _, a := range c.argsOf(x) {
		if evalMemo(c, a, failed, memo) {
			n++
		}
	}
	var v bool
	switch c.op[x] {
	case gOr:
		v = n >= 1
	case gAnd:
		v = n == len(c.argsOf(x))
	default:
		v = n >= int(c.k[x])
	}
	memo[x] = v
	return v
}

// TestRestAgainstBruteForce checks every entity's rest on every failure set of small random
// inventories (cycles, nested groups, quorums, duplicated members): with the entity and its SPOFs
// up, the rest is true exactly when the brute-force propagation puts the entity down.
func TestRestAgainstBruteForce(t *testing.T) {
	runs := 1500
	if testing.Short() {
		runs = 200
	}
	for seed := range runs {
		rng := rand.New(rand.NewPCG(uint64(seed), 11))
		inv := randomInventory(rng, 2+rng.IntN(7))
		res := analysis.Analyze(inv, analysis.Options{MaxOrder: 1})
		b := newBase(res, defaultLimits.unroll)
		n := inv.Len()
		failed := make([]bool, n)
		for e := range int32(n) {
			top := append([]int32{e}, res.SPOFs(e)...)
			for set := 0; set < 1<<n; set++ {
				skip := false
				for i := range n {
					failed[i] = set&(1<<i) != 0
					if failed[i] && slices.Contains(top, int32(i)) {
						skip = true
					}
				}
				if skip {
					continue
				}
				want := bruteDown(inv, failed, bruteMet)[e]
				if got := evalNode(b.c, b.rest[e], failed); got != want {
					t.Fatalf("seed %d: rest of %s on %b = %v, want %v", seed, inv.ID(e), set, got, want)
				}
			}
		}
	}
}

// longCycle is a ring of n entities, each needing the next under a random group (alone, in an
// all_of, an any_of or a quorum with random other entities), so that the ring is one cycle whose
// elimination substitutes members through every kind of gate.
func longCycle(rng *rand.Rand, n int) *model.Inventory {
	ents := make([]model.Entity, n)
	for i := range ents {
		ents[i] = model.Entity{ID: fmt.Sprintf("e%03d", i), Kind: model.Service}
	}
	other := func(i int) *model.Req {
		e := int32(rng.IntN(n - 1))
		if e >= int32(i) {
			e++
		}
		return &model.Req{Op: model.Need, Entity: e}
	}
	for i := range ents {
		next := &model.Req{Op: model.Need, Entity: int32((i + 1) % n)}
		req := next
		switch rng.IntN(5) {
		case 1:
			req = &model.Req{Op: model.AllOf, Group: true, Members: []*model.Req{next, other(i)}}
		case 2:
			req = &model.Req{Op: model.AnyOf, Group: true, Members: []*model.Req{next, other(i)}}
		case 3:
			req = &model.Req{Op: model.AtLeast, K: 2, Group: true, Members: []*model.Req{next, other(i), other(i)}}
		}
		ents[i].Refs = []model.Ref{{Key: "depends_on", Req: req}}
	}
	return model.New(ents, nil)
}

// TestRestOfLongCyclesSampled checks rests where enumeration cannot: on long cycles (rings through
// every kind of group, and random inventories of chains and cycles), at random failure sets.
func TestRestOfLongCyclesSampled(t *testing.T) {
	runs := 80
	if testing.Short() {
		runs = 20
	}
	for seed := range runs {
		rng := rand.New(rand.NewPCG(uint64(seed), 23))
		var inv *model.Inventory
		if seed%2 == 0 {
			inv = longCycle(rng, 10+rng.IntN(40))
		} else {
			inv = brute.Random(rng, 20+rng.IntN(30), brute.RandomOptions{Chains: true})
		}
		res := analysis.Analyze(inv, analysis.Options{MaxOrder: 1})
		b := newBase(res, defaultLimits.unroll)
		n := inv.Len()
		failed := make([]bool, n)
		for range 40 {
			p := rng.Float64() * 0.3
			for i := range failed {
				failed[i] = rng.Float64() < p
			}
			down := bruteDown(inv, failed, bruteMet)
			memo := map[int32]bool{} // one failure set: shared by every rest
			for e := range int32(n) {
				if b.rest[e] == opaque || failed[e] || slices.ContainsFunc(res.SPOFs(e), func(x int32) bool { return failed[x] }) {
					continue
				}
				if got := evalMemo(b.c, b.rest[e], failed, memo); got != down[e] {
					t.Fatalf("seed %d: rest of %s = %v, want %v", seed, inv.ID(e), got, down[e])
				}
			}
		}
	}
}
