package analyze

import (
	"slices"
	"testing"

	"github.com/spofhq/spof/internal/analysis"
	"github.com/spofhq/spof/internal/model"
	"github.com/spofhq/spof/internal/testinv"
)

// The ranking is the top of all the minimal cut sets by likelihood, then size, then IDs: computed
// from a budgeted prefix, it is either exact (and equal to the top of the whole family) or says it is
// not; ranked again by Rerank, it is exact.
func TestRankCutSets(t *testing.T) {
	for seed := range uint64(3) {
		inv := testinv.Generated(t, 600, seed)
		unavail := Unavailabilities(inv)
		full := analysis.Analyze(inv, analysis.Options{MaxOrder: 3})
		budgeted := analysis.Analyze(inv, analysis.Options{MaxOrder: 3, MaxCutSets: 4})
		var inexact []int32
		exact := 0
		for _, s := range inv.OfKind(model.Service) {
			want := RankCutSets(full, s, unavail, 5)
			if !want.Exact || want.More {
				t.Fatalf("the whole family's ranking of %s is not exact", inv.ID(s))
			}
			// The reference: every set, sorted.
			var all []RankedCutSet
			full.EachCutSet(s, 0, func(c []int32) {
				if len(c) > 1 {
					all = append(all, RankedCutSet{Set: slices.Clone(c), Probability: Probability(c, unavail)})
				}
			})
			slices.SortFunc(all, compareRanked)
			if !slices.EqualFunc(want.Top, all[:min(5, len(all))], equalRanked) || want.Count != len(all) {
				t.Fatalf("%s: ranking %v, want %v", inv.ID(s), want.Top, all[:min(5, len(all))])
			}
			got := RankCutSets(budgeted, s, unavail, 5)
			if got.Exact {
				exact++
				if !slices.EqualFunc(got.Top, want.Top, equalRanked) {
					t.Fatalf("%s: the budgeted ranking says it is exact: %v, want %v", inv.ID(s), got.Top, want.Top)
				}
			} else {
				inexact = append(inexact, s)
			}
		}
		for s, r := range Rerank(budgeted, inexact, unavail, 5, 0) {
			want := RankCutSets(full, s, unavail, 5)
			if !r.Exact || !slices.EqualFunc(r.Top, want.Top, equalRanked) || r.Count != want.Count {
				t.Fatalf("%s: ranked again %v (exact %v), want %v", inv.ID(s), r.Top, r.Exact, want.Top)
			}
		}
		if exact == 0 || len(inexact) == 0 {
			t.Logf("seed %d: %d exact from the prefix, %d ranked again", seed, exact, len(inexact))
		}
	}
}

func equalRanked(a, b RankedCutSet) bool {
	return slices.Equal(a.Set, b.Set) && a.Probability == b.Probability
}

func TestFormatProbability(t *testing.T) {
	for p, want := range map[float64]string{1e-6: "1.0e-6", 2.5e-7: "2.5e-7", 0: "0", 0.5: "5.0e-1", 1.04e-12: "1.0e-12"} {
		if got := FormatProbability(p); got != want {
			t.Errorf("FormatProbability(%g) = %q, want %q", p, got, want)
		}
	}
}
