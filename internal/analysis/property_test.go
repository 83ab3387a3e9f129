package analysis

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/spofhq/spof/internal/brute"
	"github.com/spofhq/spof/internal/model"
)

// TestAgainstBruteForce compares SPOFs, minimal cut sets, tolerance, blast radius and simulated outages
// with exhaustive enumeration on thousands of small random inventories.
func TestAgainstBruteForce(t *testing.T) {
	runs := 3000
	if testing.Short() {
		runs = 300
	}
	for seed := range runs {
		checkAgainstBruteForce(t, seed, brute.RandomOptions{})
	}
}

// TestAgainstBruteForceChained is TestAgainstBruteForce with every pass-through chained (see
// spofTable) and the blast radii built when asked, as on long chains: the properties hold whatever
// is chained.
func TestAgainstBruteForceChained(t *testing.T) {
	defer func(m int32, r int) { chainMin, maxRadii = m, r }(chainMin, maxRadii)
	chainMin = 1
	maxRadii = 0 // every blast radius built when asked, as for a long chain
	runs := 1500
	if testing.Short() {
		runs = 150
	}
	for seed := range runs {
		checkAgainstBruteForce(t, seed, brute.RandomOptions{Chains: seed%2 == 0})
	}
}

func checkAgainstBruteForce(t *testing.T, seed int, o brute.RandomOptions) {
	t.Helper()
	{
		rng := rand.New(rand.NewPCG(uint64(seed), 7))
		n := 2 + rng.IntN(9)
		inv := brute.Random(rng, n, o)
		k := 1 + rng.IntN(4)
		res := Analyze(inv, Options{MaxOrder: k})
		all := make([][][]int32, n)
		kind := inv.Entities[rng.IntN(n)].Kind
		filter := res.NewSPOFFilter(func(x int32) bool { return inv.Entities[x].Kind == kind })
		for s := range int32(n) {
			want := bruteCutSets(inv, s, k)
			all[s] = want
			got, _ := res.CutSets(s, 0)
			if !slices.EqualFunc(got, want, slices.Equal) {
				t.Fatalf("seed %d (k=%d): CutSets(%s) = %v, want %v\n%s", seed, k, inv.ID(s), names(inv, got), names(inv, want), dump(inv))
			}
			var wantSPOFs []int32
			for _, c := range want {
				if len(c) == 1 {
					wantSPOFs = append(wantSPOFs, c[0])
				}
			}
			if !slices.Equal(res.SPOFs(s), wantSPOFs) {
				t.Fatalf("seed %d: SPOFs(%s) = %v, want %v\n%s", seed, inv.ID(s), res.SPOFs(s), wantSPOFs, dump(inv))
			}
			kept := slices.DeleteFunc(slices.Clone(wantSPOFs), func(x int32) bool { return inv.Entities[x].Kind != kind })
			if got := filter.SPOFs(s); !slices.Equal(got, kept) && len(got)+len(kept) > 0 {
				t.Fatalf("seed %d: SPOFs(%s) of kind %s = %v, want %v\n%s", seed, inv.ID(s), kind, got, kept, dump(inv))
			}
			tol, ok := res.Tolerance(s)
			if wantOK := len(want) > 0; ok != wantOK || (ok && tol != len(want[0])) {
				t.Fatalf("seed %d: Tolerance(%s) = %d, %v; cut sets %v\n%s", seed, inv.ID(s), tol, ok, want, dump(inv))
			}
			for _, x := range res.SPOFs(s) {
				checkPath(t, res, s, x)
			}
			checkWalkers(t, res, s)
		}
		// Classes by kind, a few left uncounted, for RadiusCounts.
		class := make([]int8, n)
		for e := range class {
			class[e] = int8(int(inv.Entities[e].Kind)%3) - 1
		}
		counts := res.RadiusCounts(class, 2)
		for x := range int32(n) {
			down := bruteDown(inv, []int32{x})
			var want []int32
			for e, d := range down {
				if d && int32(e) != x {
					want = append(want, int32(e))
				}
			}
			if got := res.BlastRadius(x); !slices.Equal(got, want) {
				t.Fatalf("seed %d: BlastRadius(%s) = %v, want %v\n%s", seed, inv.ID(x), got, want, dump(inv))
			}
			if got := res.RadiusOf(x); !slices.Equal(got, want) && len(got)+len(want) > 0 {
				t.Fatalf("seed %d: RadiusOf(%s) = %v, want %v\n%s", seed, inv.ID(x), got, want, dump(inv))
			}
			var wantCounts [2]int32
			for _, e := range want {
				if c := class[e]; c >= 0 {
					wantCounts[c]++
				}
			}
			if got := counts[2*x : 2*x+2]; !slices.Equal(got, wantCounts[:]) {
				t.Fatalf("seed %d: RadiusCounts(%s) = %v, want %v\n%s", seed, inv.ID(x), got, wantCounts, dump(inv))
			}
		}
		checkBudgets(t, seed, inv, k, all)
		failed := []int32{int32(rng.IntN(n)), int32(rng.IntN(n))}
		o := res.Simulate(failed)
		if got, want := o.Down, bruteDown(inv, failed); !slices.Equal(got, want) {
			t.Fatalf("seed %d: Simulate(%v) = %v, want %v\n%s", seed, failed, got, want, dump(inv))
		}
		checkChains(t, res, o, failed)
		checkGroupHits(t, res, o, failed)
		// The chain of a single failure is the path analyze and impact print for that SPOF.
		x := int32(rng.IntN(n))
		single := res.Simulate([]int32{x})
		for e := range int32(n) {
			if e == x || !single.Down[e] {
				continue
			}
			if got, want := single.Chain(e), res.Path(e, x); !slices.Equal(got, want) {
				t.Fatalf("seed %d: Simulate(%d).Chain(%d) = %v, Path = %v", seed, x, e, got, want)
			}
		}
	}
}

// checkChains verifies every chain of an outage: nil for entities up; for entities down, a shortest
// chain of causes (by the brute-force definition) from the entity to a failed one.
func checkChains(t *testing.T, res *Result, o *Outage, failed []int32) {
	t.Helper()
	inv := res.Inv
	down := bruteDown(inv, failed)
	for e := range int32(inv.Len()) {
		chain := o.Chain(e)
		if o.ChainLen(e) != len(chain) || (len(chain) > 0 && o.ChainEnd(e) != chain[len(chain)-1]) ||
			!slices.Equal(o.ChainHead(e, 3, nil), chain[:min(3, len(chain))]) {
			t.Fatalf("Chain(%d) = %v, but ChainLen %d, ChainEnd %d, ChainHead(3) %v", e, chain, o.ChainLen(e), o.ChainEnd(e), o.ChainHead(e, 3, nil))
		}
		if !down[e] {
			if chain != nil {
				t.Fatalf("Chain(%d) = %v for an entity up", e, chain)
			}
			continue
		}
		if len(chain) == 0 || chain[0] != e || !slices.Contains(failed, chain[len(chain)-1]) {
			t.Fatalf("Chain(%d) = %v (failed %v): must run from the entity to a failed one", e, chain, failed)
		}
		for i := 1; i < len(chain); i++ {
			if !slices.Contains(bruteCauses(inv, chain[i-1], down), chain[i]) {
				t.Fatalf("Chain(%d) = %v (failed %v): step %d is not a cause of %d", e, chain, failed, i, chain[i-1])
			}
		}
		if want := bruteChainLen(inv, e, failed, down); len(chain) != want {
			t.Fatalf("Chain(%d) = %v (failed %v): length %d, shortest is %d", e, chain, failed, len(chain), want)
		}
	}
}

// checkGroupHits compares Held and Defeated with the redundancy groups evaluated by brute force.
func checkGroupHits(t *testing.T, res *Result, o *Outage, failed []int32) {
	t.Helper()
	inv := res.Inv
	down := bruteDown(inv, failed)
	var wantHeld, wantDefeated []GroupHit
	for i := range inv.Entities {
		for _, ref := range inv.Entities[i].Refs {
			ref.Req.Walk(func(g *model.Req) {
				if g.Op == model.Need || len(g.Members) < 2 || g.Need() == len(g.Members) {
					return // not a redundancy group
				}
				var lost, up []int32
				for _, m := range g.Members {
					var ents []int32
					m.Walk(func(l *model.Req) {
						if l.Op == model.Need {
							ents = append(ents, l.Entity)
						}
					})
					if bruteMet(m, down) {
						up = append(up, ents...)
					} else {
						lost = append(lost, ents...)
					}
				}
				hit := GroupHit{Entity: int32(i), Key: ref.Key, Group: g, Lost: lost, Up: up}
				switch {
				case !down[i] && bruteMet(g, down) && len(lost) > 0:
					wantHeld = append(wantHeld, hit)
				case down[i] && !slices.Contains(failed, int32(i)) && !bruteMet(g, down):
					wantDefeated = append(wantDefeated, hit)
				}
			})
		}
	}
	same := func(a, b GroupHit) bool {
		return a.Entity == b.Entity && a.Key == b.Key && a.Group == b.Group && slices.Equal(a.Lost, b.Lost) && slices.Equal(a.Up, b.Up)
	}
	if got := res.Held(o); !slices.EqualFunc(got, wantHeld, same) {
		t.Fatalf("Held(failed %v) = %+v, want %+v", failed, got, wantHeld)
	}
	if got := res.Defeated(o); !slices.EqualFunc(got, wantDefeated, same) {
		t.Fatalf("Defeated(failed %v) = %+v, want %+v", failed, got, wantDefeated)
	}
}

// checkPath verifies that a SPOF's path is a chain of dependencies, from s to x, through entities that
// x's failure puts down.
func checkPath(t *testing.T, res *Result, s, x int32) {
	t.Helper()
	path := res.Path(s, x)
	if len(path) < 2 || path[0] != s || path[len(path)-1] != x {
		t.Fatalf("Path(%d, %d) = %v", s, x, path)
	}
	down := bruteDown(res.Inv, []int32{x})
	for i := 1; i < len(path); i++ {
		if !slices.Contains(bruteCauses(res.Inv, path[i-1], down), path[i]) {
			t.Fatalf("Path(%d, %d) = %v: step %d is not a cause of %d's failure", s, x, path, i, path[i-1])
		}
	}
	if want := bruteChainLen(res.Inv, s, []int32{x}, down); len(path) != want {
		t.Fatalf("Path(%d, %d) = %v: length %d, shortest is %d", s, x, path, len(path), want)
	}
}

// checkWalkers checks the readers the writers use against Path and SPOFs: the paths of Walk, the
// heads and lengths of WalkHead, PathSteps and NumSPOFs.
func checkWalkers(t *testing.T, res *Result, s int32) {
	t.Helper()
	spofs := res.SPOFs(s)
	if res.NumSPOFs(s) != len(spofs) {
		t.Fatalf("NumSPOFs(%d) = %d, want %d", s, res.NumSPOFs(s), len(spofs))
	}
	w := res.NewPathWalker()
	var got []int32
	steps := 0
	w.Walk(s, func(x int32, path []int32) {
		got = append(got, x)
		steps += len(path)
		if want := res.Path(s, x); !slices.Equal(path, want) {
			t.Fatalf("Walk(%d) gives %v to %d, Path gives %v", s, path, x, want)
		}
	})
	if !slices.Equal(got, spofs) {
		t.Fatalf("Walk(%d) visits %v, want %v", s, got, spofs)
	}
	if res.PathSteps(s) != steps {
		t.Fatalf("PathSteps(%d) = %d, want %d", s, res.PathSteps(s), steps)
	}
	for _, keep := range []int{2, 3} {
		w.WalkHead(s, keep, func(x int32, head []int32, n int) {
			want := res.Path(s, x)
			if n != len(want) || !slices.Equal(head, want[:min(keep, len(want))]) {
				t.Fatalf("WalkHead(%d, %d) gives %v of %d to %d, Path gives %v", s, keep, head, n, x, want)
			}
		})
	}
	// PathHead, one path at a time, from the entity itself and to every entity but it, whatever buf
	// holds before.
	buf := []int32{-7}
	for x := range int32(res.Inv.Len()) {
		want := res.Path(s, x)
		for _, keep := range []int{-1, 0, 1, 2, 3} {
			head, n := res.PathHead(buf, s, x, keep)
			wantHead := want
			if keep >= 0 {
				wantHead = want[:min(keep, len(want))]
			}
			if n != len(want) || !slices.Equal(head, wantHead) || (want == nil) != (head == nil) {
				t.Fatalf("PathHead(%d, %d, %d) gives %v of %d, Path gives %v", s, x, keep, head, n, want)
			}
			if head != nil {
				buf = head
			}
		}
		wantBefore := int32(-1)
		if len(want) >= 2 {
			wantBefore = want[len(want)-2]
		}
		if got := res.BeforeLast(s, x); got != wantBefore {
			t.Fatalf("BeforeLast(%d, %d) = %d, Path gives %v", s, x, got, want)
		}
	}
}

func names(inv interface{ ID(int32) string }, sets [][]int32) [][]string {
	out := make([][]string, len(sets))
	for i, s := range sets {
		for _, x := range s {
			out[i] = append(out[i], inv.ID(x))
		}
	}
	return out
}

func dump(inv interface {
	Len() int
	ID(int32) string
}) string {
	return fmt.Sprintf("%d entities", inv.Len())
}

// checkBudgets checks the contract of a budget on every budget from 1 until the whole list fits, and
// one beyond: with a budget of N, CutSets lists the SPOFs and exactly the first N minimal cut sets of
// two or more entities, and says truncated exactly when more exist; with a smaller limit, the same
// for that limit; Tolerance stays exact. want holds every entity's minimal cut sets (brute force).
func checkBudgets(t *testing.T, seed int, inv *model.Inventory, k int, want [][][]int32) {
	t.Helper()
	most := 0
	for _, w := range want {
		most = max(most, len(w)-countOnes(w))
	}
	for budget := 1; budget <= most+1; budget++ {
		res := Analyze(inv, Options{MaxOrder: k, MaxCutSets: budget})
		for s := range int32(inv.Len()) {
			w := want[s]
			ones := countOnes(w)
			for limit := range budget + 1 { // 0 is the budget itself
				n := budget
				if limit > 0 {
					n = limit
				}
				got, truncated := res.CutSets(s, limit)
				wantSets := w[:ones+min(n, len(w)-ones)]
				if !slices.EqualFunc(got, wantSets, slices.Equal) || truncated != (len(w)-ones > n) {
					t.Fatalf("seed %d (k=%d, budget %d): CutSets(%s, %d) = %v (truncated %v), want %v (truncated %v): all %v\n%s",
						seed, k, budget, inv.ID(s), limit, names(inv, got), truncated, names(inv, wantSets), len(w)-ones > n, names(inv, w), dump(inv))
				}
			}
			tol, ok := res.Tolerance(s)
			if wantOK := len(w) > 0; ok != wantOK || (ok && tol != len(w[0])) {
				t.Fatalf("seed %d (k=%d, budget %d): Tolerance(%s) = %d, %v; cut sets %v\n%s", seed, k, budget, inv.ID(s), tol, ok, names(inv, w), dump(inv))
			}
		}
	}
}

// countOnes returns how many sets of one a list of minimal cut sets (sorted by size) starts with.
func countOnes(sets [][]int32) int {
	n := 0
	for n < len(sets) && len(sets[n]) == 1 {
		n++
	}
	return n
}
