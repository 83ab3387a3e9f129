package analysis

import (
	"math/rand/v2"
	"slices"

	"github.com/spofhq/spof/internal/brute"
	"github.com/spofhq/spof/internal/model"
)

// This file is the independent reference the property tests compare the analysis with: it evaluates the
// requirement trees of model.Entity directly, propagates by brute force to the least fixed point, and
// enumerates failure sets. It shares no code with the package under test.

// bruteDown and bruteMet are the shared brute-force evaluator (internal/brute).
var (
	bruteDown = brute.DownOf
	bruteMet  = brute.Met
)

// bruteCauses returns the dependencies to blame for e being down: every down entity that a walk from
// one of e's unmet reference keys reaches through unmet groups only.
func bruteCauses(inv *model.Inventory, e int32, down []bool) []int32 {
	var out []int32
	var walk func(r *model.Req)
	walk = func(r *model.Req) {
		if bruteMet(r, down) {
			return
		}
		if r.Op == model.Need {
			out = append(out, r.Entity)
			return
		}
		for _, m := range r.Members {
			walk(m)
		}
	}
	for _, ref := range inv.Entities[e].Refs {
		walk(ref.Req)
	}
	return out
}

// bruteChainLen returns the number of entities on a shortest chain of causes from e to a failed entity,
// by breadth-first search, or 0 when there is none.
func bruteChainLen(inv *model.Inventory, e int32, failed []int32, down []bool) int {
	seen := map[int32]bool{e: true}
	level := []int32{e}
	for n := 1; len(level) > 0; n++ {
		var next []int32
		for _, d := range level {
			if slices.Contains(failed, d) {
				return n
			}
			for _, c := range bruteCauses(inv, d, down) {
				if !seen[c] {
					seen[c] = true
					next = append(next, c)
				}
			}
		}
		level = next
	}
	return 0
}

// bruteCutSets enumerates every set of at most k entities other than s, ascending by size then
// lexicographically, and keeps the minimal ones that put s down.
func bruteCutSets(inv *model.Inventory, s int32, k int) [][]int32 {
	var others []int32
	for i := range inv.Len() {
		if int32(i) != s {
			others = append(others, int32(i))
		}
	}
	return bruteCutSetsAmong(inv, s, others, k)
}

// bruteCutSetsAmong is bruteCutSets searching only the sets of others (ascending): enough when they
// hold everything s depends on, since nothing else can put s down.
func bruteCutSetsAmong(inv *model.Inventory, s int32, others []int32, k int) [][]int32 {
	var out [][]int32
	for size := 1; size <= k; size++ {
		combinations(others, size, func(set []int32) {
			for _, m := range out {
				if isSubset(m, set) {
					return
				}
			}
			if bruteDown(inv, set)[s] {
				out = append(out, slices.Clone(set))
			}
		})
	}
	return out
}

func combinations(items []int32, size int, f func([]int32)) {
	set := make([]int32, size)
	var rec func(start, depth int)
	rec = func(start, depth int) {
		if depth == size {
			f(set)
			return
		}
		for i := start; i <= len(items)-(size-depth); i++ {
			set[depth] = items[i]
			rec(i+1, depth+1)
		}
	}
	rec(0, 0)
}

func isSubset(a, b []int32) bool {
	for _, x := range a {
		if !slices.Contains(b, x) {
			return false
		}
	}
	return true
}

// bruteClosure returns, ascending, the entities other than s that s depends on, directly or not, read
// from the requirement trees (brute.Closure without s itself).
func bruteClosure(inv *model.Inventory, s int32) []int32 {
	var out []int32
	for e, ok := range brute.Closure(inv, s) {
		if ok && int32(e) != s {
			out = append(out, int32(e))
		}
	}
	return out
}

// randomInventory builds a random inventory (internal/brute).
func randomInventory(rng *rand.Rand, n int) *model.Inventory {
	return brute.Random(rng, n, brute.RandomOptions{})
}
