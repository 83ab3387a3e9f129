package analysis

import (
	"slices"
	"testing"

	"github.com/spofhq/spof/internal/model"
	"github.com/spofhq/spof/internal/testinv"
)

// TestGeneratedAgainstBruteForce runs the analysis the way `spof analyze` does (cut sets up to order
// 3, at most 100 of them per entity) on generated inventories of a few hundred entities, whose shapes
// the random ones lack: deep chains of services, VM pairs across clusters and sites, quorums, SaaS,
// phone numbers, planted cycles. Every service is compared with an exhaustive search over the
// entities it depends on: SPOFs, tolerance and cut sets (an exact prefix, complete unless flagged),
// at order 3 where that search stays small, at order 2 everywhere.
func TestGeneratedAgainstBruteForce(t *testing.T) {
	seeds := []uint64{1, 2, 3}
	if testing.Short() {
		seeds = seeds[:1]
	}
	checked3 := 0
	for _, seed := range seeds {
		inv := testinv.Generated(t, 300, seed)
		fast := Analyze(inv, Options{MaxOrder: 3, MaxCutSets: 100})
		pairs := Analyze(inv, Options{MaxOrder: 2})
		for s := range int32(inv.Len()) {
			if inv.Entities[s].Kind != model.Service {
				continue
			}
			closure := bruteClosure(inv, s)
			want2 := bruteCutSetsAmong(inv, s, closure, 2)
			if got, _ := pairs.CutSets(s, 0); !slices.EqualFunc(got, want2, slices.Equal) {
				t.Fatalf("seed %d: order-2 CutSets(%s) = %v, want %v", seed, inv.ID(s), got, want2)
			}
			var spofs []int32
			for _, c := range want2 {
				if len(c) == 1 {
					spofs = append(spofs, c[0])
				}
			}
			if !slices.Equal(fast.SPOFs(s), spofs) {
				t.Fatalf("seed %d: SPOFs(%s) = %v, want %v", seed, inv.ID(s), fast.SPOFs(s), spofs)
			}
			for _, x := range spofs {
				checkPath(t, fast, s, x)
			}
			want := want2
			if len(closure) <= 40 {
				want = bruteCutSetsAmong(inv, s, closure, 3)
				checked3++
			}
			got, truncated := fast.CutSets(s, 0)
			if len(closure) > 40 {
				// Order 3 not searched: only the sets of one and two are known.
				n := 0
				for n < len(got) && len(got[n]) <= 2 {
					n++
				}
				got, truncated = got[:n], truncated || n < len(got)
			}
			if len(got) > len(want) || !slices.EqualFunc(got, want[:len(got)], slices.Equal) || !truncated && len(got) != len(want) {
				t.Fatalf("seed %d: CutSets(%s) = %v (truncated %v), want a prefix of %v", seed, inv.ID(s), got, truncated, want)
			}
			tol, ok := fast.Tolerance(s)
			if len(want) > 0 && (!ok || tol != len(want[0])) || len(want) == 0 && len(closure) <= 40 && ok {
				t.Fatalf("seed %d: Tolerance(%s) = %d, %v; want the size of the first of %v", seed, inv.ID(s), tol, ok, want)
			}
		}
	}
	if checked3 == 0 {
		t.Fatal("no service small enough for the order-3 search: the test checks nothing beyond pairs")
	}
	t.Logf("%d services checked at order 3", checked3)
}

// TestGeneratedBudgets checks the budget's contract on generated inventories, where budgets cut
// families deep in chains of services and products of service families: under the default budget
// and smaller ones, every entity lists the first sets of the unbudgeted analysis (which
// TestGeneratedAgainstBruteForce compares with the brute force), truncated exactly when more exist.
func TestGeneratedBudgets(t *testing.T) {
	seeds := []uint64{1, 2, 3}
	if testing.Short() {
		seeds = seeds[:1]
	}
	for _, seed := range seeds {
		inv := testinv.Generated(t, 6000, seed)
		for _, k := range []int{2, 3} {
			whole := Analyze(inv, Options{MaxOrder: k})
			for _, budget := range []int{1, 3, 10, 100} {
				checkAgainstWhole(t, inv, whole, k, budget)
			}
		}
	}
}
