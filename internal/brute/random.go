package brute

import (
	"fmt"
	"math/rand/v2"

	"github.com/spofhq/spof/internal/model"
)

// RandomOptions choose what Random puts in an inventory besides requirements.
type RandomOptions struct {
	// Availability gives entities random availabilities (some left to a default), groups random
	// tested dates, and sometimes a default for VMs.
	Availability bool
	// Chains makes half of the entities pass-throughs: their requirement is one other entity, as
	// along a chain of services.
	Chains bool
}

// Random builds an inventory of n entities (n >= 2) of every kind with random requirement trees:
// nested groups, quorums, duplicated members and cycles. Kinds of targets are not constrained, as
// the algorithms under test must not depend on them.
func Random(rng *rand.Rand, n int, o RandomOptions) *model.Inventory {
	ents := make([]model.Entity, n)
	for i := range ents {
		ents[i] = model.Entity{ID: fmt.Sprintf("e%02d", i), Kind: model.Kinds[rng.IntN(len(model.Kinds))]}
		if o.Availability {
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
	}
	keys := []string{"depends_on", "runs_on", "host", "provider"}
	for i := range ents {
		if o.Chains && rng.IntN(2) == 0 {
			d := int32(rng.IntN(n - 1))
			if d >= int32(i) {
				d++
			}
			ents[i].Refs = []model.Ref{{Key: "depends_on", Req: &model.Req{Op: model.Need, Entity: d}}}
			continue
		}
		for j := range rng.IntN(3) {
			if rng.IntN(4) == 0 {
				continue // many entities with fewer requirements keep the graph from being saturated
			}
			ents[i].Refs = append(ents[i].Refs, model.Ref{Key: keys[j], Req: randomReq(rng, n, int32(i), 0, o)})
		}
	}
	inv := model.New(ents, nil)
	if o.Availability && rng.IntN(2) == 0 {
		inv.Defaults[model.VM] = 0.7
	}
	return inv
}

func randomReq(rng *rand.Rand, n int, self int32, depth int, o RandomOptions) *model.Req {
	if depth >= 3 || rng.IntN(3) == 0 {
		e := int32(rng.IntN(n - 1))
		if e >= self {
			e++ // never the entity itself: the loader rejects self-references
		}
		return &model.Req{Op: model.Need, Entity: e}
	}
	r := &model.Req{Op: []model.Op{model.AllOf, model.AnyOf, model.AtLeast}[rng.IntN(3)], Group: true}
	for range 1 + rng.IntN(4) {
		r.Members = append(r.Members, randomReq(rng, n, self, depth+1, o))
	}
	if r.Op == model.AtLeast {
		r.K = 1 + rng.IntN(len(r.Members))
	}
	if o.Availability && rng.IntN(2) == 0 {
		r.Tested = []string{"2025-01-01", "2026-06-01", "2026-11-01"}[rng.IntN(3)]
	}
	return r
}
