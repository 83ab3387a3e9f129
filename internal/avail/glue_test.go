package avail

import (
	"math/rand/v2"
	"testing"

	"github.com/spofhq/spof/internal/analysis"
	"github.com/spofhq/spof/internal/model"
)

// TestRemainderAgainstBruteForce checks the remainder bounds of the conditioning on the modules of
// random inventories: for every node x and level j, the bound is at least P(x down ∧ more than j
// glue failures), computed by enumerating every state of the glue.
func TestRemainderAgainstBruteForce(t *testing.T) {
	runs := 150
	if testing.Short() {
		runs = 50
	}
	checked := 0
	for seed := range runs {
		rng := rand.New(rand.NewPCG(uint64(seed), 12))
		inv := randomInventory(rng, 3+rng.IntN(9))
		res := analysis.Analyze(inv, analysis.Options{MaxOrder: 1})
		own, src := Own(inv)
		sh := newShared(res, own, src, Options{NodeLimit: 1})
		w := sh.newWorker()
		for _, s := range inv.OfKind(model.Service) {
			rest := sh.b.rest[s]
			if rest == opaque || !sh.b.c.isGate(rest) {
				continue
			}
			w.dr.date(sh.b.c, rest)
			c := sh.b.c
			mo := w.collect(c.op[rest], c.k[rest], c.argsOf(rest))
			f := w.factor(mo)
			m := len(f.glue)
			if m > 12 {
				continue
			}
			var sd side
			sd.reset(f, f.pHi)
			for j := range 3 {
				sd.remainder(int32(len(f.op)-1), j)
				for x := range int32(len(f.op)) {
					if !sd.r.done[x] {
						continue
					}
					want := bruteRemainder(f, &sd, x, j)
					if got := sd.r.memo[x]; got < want*(1-1e-9)-1e-15 {
						t.Fatalf("seed %d, %s: remainder of node %d at level %d = %v, below P(node ∧ more than %d glue failures) = %v", seed, inv.ID(s), x, j, got, j, want)
					}
					checked++
				}
			}
		}
	}
	if checked < 500 {
		t.Fatalf("only %d remainders checked", checked)
	}
}

// bruteRemainder returns P(node x ∧ more than j glue failures) by enumerating the glue states and
// evaluating the tree left by each.
func bruteRemainder(f *factored, s *side, x int32, j int) float64 {
	m := len(f.glue)
	total := 0.0
	val := make([]float64, len(f.op))
	for mask := 0; mask < 1<<m; mask++ {
		ps, n := 1.0, 0
		for gp, i := range f.glue {
			if mask&(1<<gp) != 0 {
				ps *= s.p[i]
				n++
			} else {
				ps *= 1 - s.p[i]
			}
		}
		if n <= j {
			continue
		}
		for i := range f.ni {
			val[i] = s.p[i]
			if gp := f.gluePos[i]; gp >= 0 {
				val[i] = float64(mask >> gp & 1)
			}
		}
		for y := f.ni; y < len(f.op); y++ {
			val[y] = f.eval(int32(y), val)
		}
		total += ps * val[x]
	}
	return total
}
