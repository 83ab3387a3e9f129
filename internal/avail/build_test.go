package avail

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/spofhq/spof/internal/analysis"
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
		b := newBase(res, defaultLimits.cycleWork)
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
