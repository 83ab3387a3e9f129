package analyze

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/spofhq/spof/internal/analysis"
	"github.com/spofhq/spof/internal/avail"
	"github.com/spofhq/spof/internal/testinv"
)

// TestImportanceKeptOnChains checks that a service other than a critical one, which keeps a bounded
// part of its importance list (avail.ImportanceKept by the exact order and as many by the order
// shown), shows what it would show with every entry: the same chains, once with every service
// critical (which keeps every entry), once without. On a chain every entity ties; IDs out of index
// order, given availabilities that tie after rounding only, defaults and SLOs make the rounded order
// differ from the exact one.
func TestImportanceKeptOnChains(t *testing.T) {
	for seed := range uint64(6) {
		rng := rand.New(rand.NewPCG(seed, 14))
		n := 40 + rng.IntN(200)
		ids := make([]string, n)
		for i, p := range rng.Perm(n) {
			ids[i] = fmt.Sprintf("s%04d", p)
		}
		var src [2]strings.Builder
		defaults := map[string]bool{}
		for i, id := range ids {
			var b strings.Builder
			if i+1 < n {
				fmt.Fprintf(&b, "depends_on = %q\n", ids[i+1])
			}
			switch rng.IntN(4) {
			case 2, 3:
				defaults[id] = true
			case 0:
				fmt.Fprintf(&b, "availability = %v\n", 0.999+float64(rng.IntN(3))*1e-13)
			case 1:
				b.WriteString("availability = 0.9995\n")
			}
			if rng.IntN(3) == 0 {
				b.WriteString("slo = 0.99\n")
			}
			for k, tier := range []string{"medium", "critical"} {
				fmt.Fprintf(&src[k], "[services.%s]\ntier = %q\n%s", id, tier, b.String())
			}
		}
		var shown [2][]*ServiceAvailability
		for k := range src {
			res := analysis.Analyze(testinv.Parse(t, src[k].String()), analysis.Options{MaxOrder: 1})
			av := avail.Compute(res, avail.Options{})
			for i := range av.Services {
				s := &av.Services[i]
				if k == 0 && len(s.Importance) > 2*avail.ImportanceKept {
					t.Fatalf("seed %d: %s keeps %d importance entries", seed, res.Inv.ID(s.Entity), len(s.Importance))
				}
				a := NewServiceAvailability(av, s)
				shown[k] = append(shown[k], a)
				// The defaults of the closure, recomputed when there are more than a service keeps.
				var want []string
				for _, id := range ids[slices.Index(ids, res.Inv.ID(s.Entity)):] {
					if defaults[id] {
						want = append(want, id)
					}
				}
				got := slices.Clone(a.DefaultsUsed)
				slices.Sort(got)
				slices.Sort(want)
				if !slices.Equal(got, want) || s.NumAssumed() != len(want) {
					t.Fatalf("seed %d: defaults of %s = %v (%d), want %v", seed, res.Inv.ID(s.Entity), got, s.NumAssumed(), want)
				}
			}
		}
		if !reflect.DeepEqual(shown[0], shown[1]) {
			for i := range shown[0] {
				if !reflect.DeepEqual(shown[0][i], shown[1][i]) {
					t.Fatalf("seed %d, service %d: shows\n%+v\nwith every entry kept\n%+v", seed, i, shown[0][i].Importance, shown[1][i].Importance)
				}
			}
		}
	}
}
