package analysis

import (
	"fmt"
	"testing"

	"github.com/spofhq/spof/internal/model"
)

// ladder returns an inventory of depth levels: s_i and t_i each need s_{i+1} or t_{i+1}, and the
// last two need x. x is the only SPOF of s_0, at the end of a path of depth+2 entities: paths
// can be long without SPOF lists growing.
func ladder(depth int) *model.Inventory {
	ents := make([]model.Entity, 0, 2*depth+3)
	id := func(p string, i int) string { return fmt.Sprintf("%s%06d", p, i) }
	for i := range depth + 1 {
		for _, p := range []string{"s", "t"} {
			ents = append(ents, model.Entity{ID: id(p, i), Kind: model.Service})
		}
	}
	ents = append(ents, model.Entity{ID: "x", Kind: model.Provider})
	// Entities sort s… < t… < x, so s_i is i, t_i is depth+1+i and x is last.
	s := func(i int) int32 { return int32(i) }
	t := func(i int) int32 { return int32(depth + 1 + i) }
	x := int32(len(ents) - 1)
	ordered := make([]model.Entity, len(ents))
	for i := range depth + 1 {
		ordered[s(i)] = ents[2*i]
		ordered[t(i)] = ents[2*i+1]
	}
	ordered[x] = ents[len(ents)-1]
	for i := range depth + 1 {
		req := &model.Req{Op: model.Need, Entity: x}
		if i < depth {
			req = &model.Req{Op: model.AnyOf, Group: true, Members: []*model.Req{{Op: model.Need, Entity: s(i + 1)}, {Op: model.Need, Entity: t(i + 1)}}}
		}
		for _, e := range []int32{s(i), t(i)} {
			ordered[e].Refs = []model.Ref{{Key: "depends_on", Req: req}}
		}
	}
	return model.New(ordered, nil)
}

// TestLongPaths checks paths longer than 65,535 steps: their lengths overflowed 16 bits, and
// analyze panicked on a ladder of 70,000 levels.
func TestLongPaths(t *testing.T) {
	const depth = 70000
	inv := ladder(depth)
	res := Analyze(inv, Options{MaxOrder: 1})
	x := int32(inv.Len() - 1)
	if got := res.SPOFs(0); len(got) != 1 || got[0] != x {
		t.Fatalf("SPOFs(s0) = %v, want [x]", got)
	}
	path := res.Path(0, x)
	if len(path) != depth+2 || path[0] != 0 || path[len(path)-1] != x {
		t.Fatalf("Path(s0, x) has %d entities, from %d to %d; want %d, from s0 to x", len(path), path[0], path[len(path)-1], depth+2)
	}
	for i := 1; i <= depth; i++ {
		if path[i] != int32(i) { // the lower ID of each tie: s_i
			t.Fatalf("Path(s0, x)[%d] = %s, want s%06d", i, inv.ID(path[i]), i)
		}
	}
	if got := res.PathSteps(0); got != depth+2 {
		t.Fatalf("PathSteps(s0) = %d, want %d", got, depth+2)
	}
}
