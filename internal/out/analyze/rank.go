package analyze

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"github.com/spofhq/spof/internal/analysis"
	"github.com/spofhq/spof/internal/avail"
	"github.com/spofhq/spof/internal/model"
)

// Cut sets are shown most likely first: what is most likely to happen comes first. The likelihood of a
// cut set is the probability that all its members are down at once, from the entities' own
// availabilities and with independent failures (as for availability, docs/availability.md): the
// product of the members' unavailabilities. Ties go to the smaller set, then to the IDs in order.
//
// The engine lists a service's minimal cut sets by size then IDs, and keeps a budget of them
// (--max-cut-sets): an exact prefix of that order. The sets shown must be the most likely among all of
// them, not among an alphabetical prefix, so a ranking says whether it is exact. It is when the family
// was kept whole, or when no set beyond the prefix can beat the last one shown: every such set has at
// least as many members as the prefix's last set, so none is more likely than the product of that many
// largest unavailabilities in the service's closure. Otherwise the sets are ranked again on a family
// computed whole up to RankBound sets (see Rerank), and the few services whose family is larger still
// say that their ranking is among the first RankBound.

// RankBound is the most minimal cut sets of one service computed to rank them.
const RankBound = 10_000

// RerankEntities caps the part of the inventory analysed again to rank cut sets exactly (the
// dependency closure of the services whose ranking is not known to be exact): about a second at
// 10,000 entities. Past it, the text says which rankings are among a prefix.
const RerankEntities = 20_000

// RankedCutSet is a minimal cut set and the probability that all its members are down at once.
type RankedCutSet struct {
	Set         []int32
	Probability float64
}

// Ranking is the most likely cut sets of two or more entities of one entity.
type Ranking struct {
	Top []RankedCutSet
	// Count is how many sets of two or more entities were ranked; More says the family has more than
	// Count (it was cut short by a budget).
	Count int
	More  bool
	// Exact says Top is the most likely among all the minimal cut sets up to the order searched.
	Exact bool
}

// Unavailabilities returns every entity's own unavailability: 1 − its availability (given, from
// MTTF/MTTR, or the default of its kind).
func Unavailabilities(inv *model.Inventory) []float64 {
	own, _ := avail.Own(inv)
	u := make([]float64, len(own))
	for i, a := range own {
		u[i] = 1 - a
	}
	return u
}

// Probability is the probability that every entity of set is down at once.
func Probability(set []int32, unavail []float64) float64 {
	p := 1.0
	for _, x := range set {
		p *= unavail[x]
	}
	return p
}

// compareRanked orders the most likely first, then the smaller, then by IDs (indexes follow IDs).
func compareRanked(a, b RankedCutSet) int {
	return cmp.Or(cmp.Compare(b.Probability, a.Probability), cmp.Compare(len(a.Set), len(b.Set)), slices.Compare(a.Set, b.Set))
}

// RankCutSets returns the keep most likely cut sets of two or more entities of e among those res
// kept.
func RankCutSets(res *analysis.Result, e int32, unavail []float64, keep int) Ranking {
	var r Ranking
	last := 0
	r.More = res.EachCutSet(e, 0, func(c []int32) {
		if len(c) < 2 {
			return
		}
		r.Count++
		last = len(c)
		rc := RankedCutSet{Probability: Probability(c, unavail)}
		if len(r.Top) == keep && compareRanked(rc, r.Top[keep-1]) >= 0 {
			return
		}
		rc.Set = slices.Clone(c)
		i, _ := slices.BinarySearchFunc(r.Top, rc, compareRanked)
		r.Top = slices.Insert(r.Top, i, rc)
		if len(r.Top) > keep {
			r.Top = r.Top[:keep]
		}
	})
	r.Exact = !r.More || (len(r.Top) == keep && r.Top[keep-1].Probability >= unseenBound(res, e, unavail, last))
	return r
}

// unseenBound bounds the probability of a cut set of e beyond a prefix whose last set has size members:
// the product of the size largest unavailabilities among what e depends on.
func unseenBound(res *analysis.Result, e int32, unavail []float64, size int) float64 {
	var us []float64
	seen := map[int32]bool{e: true}
	for stack := []int32{e}; len(stack) > 0; {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, d := range res.Deps(x) {
			if !seen[d] {
				seen[d] = true
				us = append(us, unavail[d])
				stack = append(stack, d)
			}
		}
	}
	slices.SortFunc(us, func(a, b float64) int { return cmp.Compare(b, a) })
	p := 1.0
	for i := 0; i < size && i < len(us); i++ {
		p *= us[i]
	}
	return p
}

// Rerank ranks the cut sets of services again on their families computed whole, up to RankBound sets
// each: it analyses again the part of the inventory they depend on, when that part has at most limit
// entities (0: any size). It returns the new rankings by service, nil when the part is too large.
func Rerank(res *analysis.Result, services []int32, unavail []float64, keep, limit int) map[int32]Ranking {
	inv := res.Inv
	keepEnt := make([]bool, inv.Len())
	stack := slices.Clone(services)
	for _, s := range services {
		keepEnt[s] = true
	}
	size := len(services)
	for len(stack) > 0 {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, d := range res.Deps(x) {
			if !keepEnt[d] {
				keepEnt[d] = true
				size++
				stack = append(stack, d)
			}
		}
	}
	if limit > 0 && size > limit {
		return nil
	}
	sub := inv.Restrict(keepEnt)
	subRes := analysis.Analyze(sub, analysis.Options{MaxOrder: res.MaxOrder, MaxCutSets: RankBound})
	subUnavail := make([]float64, sub.Len())
	for i := range sub.Entities {
		x, _ := inv.Lookup(sub.ID(int32(i)))
		subUnavail[i] = unavail[x]
	}
	out := make(map[int32]Ranking, len(services))
	for _, s := range services {
		x, _ := sub.Lookup(inv.ID(s))
		r := RankCutSets(subRes, x, subUnavail, keep)
		for i := range r.Top {
			for j, y := range r.Top[i].Set {
				r.Top[i].Set[j], _ = inv.Lookup(sub.ID(y))
			}
		}
		out[s] = r
	}
	return out
}

// FormatProbability writes a probability in scientific notation with two significant digits:
// 2.5e-07 → "2.5e-7".
func FormatProbability(p float64) string {
	if p == 0 {
		return "0"
	}
	s := strconv.FormatFloat(p, 'e', 1, 64)
	mant, exp, _ := strings.Cut(s, "e")
	n, _ := strconv.Atoi(exp)
	return mant + "e" + strconv.Itoa(n)
}
