package analysis

import (
	"fmt"
	"slices"
	"testing"

	"github.com/spofhq/spof/internal/model"
)

// builder assembles an inventory entity by entity; IDs must be added in sorted order.
type builder struct {
	ents []model.Entity
	ids  map[string]int32
}

func newBuilder() *builder { return &builder{ids: map[string]int32{}} }

func (b *builder) add(id string, kind model.Kind) int32 {
	b.ids[id] = int32(len(b.ents))
	b.ents = append(b.ents, model.Entity{ID: id, Kind: kind})
	return b.ids[id]
}

func (b *builder) need(e int32, req *model.Req) {
	b.ents[e].Refs = append(b.ents[e].Refs, model.Ref{Key: "depends_on", Req: req})
}

func one(e int32) *model.Req { return &model.Req{Op: model.Need, Entity: e} }

func group(op model.Op, k int, members ...*model.Req) *model.Req {
	return &model.Req{Op: op, K: k, Group: true, Members: members}
}

func (b *builder) build() *model.Inventory { return model.New(b.ents, nil) }

// ring returns n services, each depending on the next (forward) or the previous one, and every
// third on either of two VMs of its own: cut sets of two exist, and the ring is one component.
func ring(n int, forward bool) *model.Inventory {
	b := newBuilder()
	s := make([]int32, n)
	for i := range n {
		s[i] = b.add(fmt.Sprintf("s%05d", i), model.Service)
	}
	v := make([]int32, 2*n)
	for i := range v {
		v[i] = b.add(fmt.Sprintf("v%05d", i), model.VM)
	}
	for i := range n {
		next := (i + 1) % n
		if !forward {
			next = (i + n - 1) % n
		}
		b.need(s[i], one(s[next]))
		if i%3 == 0 {
			b.need(s[i], group(model.AnyOf, 0, one(v[2*i]), one(v[2*i+1])))
		}
	}
	return b.build()
}

// quorum returns a service that needs k of m VMs, VM i on cluster i mod clusters.
func quorum(k, m, clusters int) *model.Inventory {
	b := newBuilder()
	cl := make([]int32, clusters)
	for i := range cl {
		cl[i] = b.add(fmt.Sprintf("c%03d", i), model.Component)
	}
	s := b.add("s", model.Service)
	members := make([]*model.Req, m)
	for i := range m {
		v := b.add(fmt.Sprintf("v%04d", i), model.VM)
		b.need(v, one(cl[i%clusters]))
		members[i] = one(v)
	}
	b.need(s, group(model.AtLeast, k, members...))
	return b.build()
}

// nesting returns a service whose requirement nests depth groups, any_of and all_of in turn, each
// with a VM of its own besides the next group.
func nesting(depth int) *model.Inventory {
	b := newBuilder()
	s := b.add("s", model.Service)
	v := make([]int32, depth+1)
	for i := range v {
		v[i] = b.add(fmt.Sprintf("v%05d", i), model.VM)
	}
	req := one(v[depth])
	for i := depth - 1; i >= 0; i-- {
		op := model.AnyOf
		if i%2 == 1 {
			op = model.AllOf
		}
		req = group(op, 0, one(v[i]), req)
	}
	b.need(s, req)
	return b.build()
}

// redundantChain returns n services, each depending on the next, every fourth through an any_of
// with a backup service that depends on the one after: paths branch and SPOFs skip links.
func redundantChain(n int) *model.Inventory {
	b := newBuilder()
	bk := make([]int32, n)
	for i := range n {
		bk[i] = b.add(fmt.Sprintf("b%05d", i), model.Service)
	}
	s := make([]int32, n+2)
	for i := range s {
		s[i] = b.add(fmt.Sprintf("s%05d", i), model.Service)
	}
	for i := range n {
		if i%4 == 0 {
			b.need(s[i], group(model.AnyOf, 0, one(s[i+1]), one(bk[i])))
			b.need(bk[i], one(s[i+2]))
		} else {
			b.need(s[i], one(s[i+1]))
		}
	}
	return b.build()
}

// TestShapesAgainstBruteForce runs the shapes the random inventories lack (rings declared either
// way, quorums over clusters, deep nesting, chains with detours) small enough for the brute force,
// under every budget: every entity's cut sets, tolerance, SPOFs and paths.
func TestShapesAgainstBruteForce(t *testing.T) {
	shapes := map[string]*model.Inventory{
		"ring forward":    ring(5, true),
		"ring backward":   ring(5, false),
		"quorum 5 of 8":   quorum(5, 8, 3),
		"quorum 3 of 9":   quorum(3, 9, 4),
		"nesting 10":      nesting(10),
		"redundant chain": redundantChain(6),
	}
	for name, inv := range shapes {
		t.Run(name, func(t *testing.T) {
			for k := 1; k <= 4; k++ {
				want := make([][][]int32, inv.Len())
				for s := range int32(inv.Len()) {
					want[s] = bruteCutSetsAmong(inv, s, bruteClosure(inv, s), k)
				}
				res := Analyze(inv, Options{MaxOrder: k})
				for s := range int32(inv.Len()) {
					if got, _ := res.CutSets(s, 0); !slices.EqualFunc(got, want[s], slices.Equal) {
						t.Fatalf("k=%d: CutSets(%s) = %v, want %v", k, inv.ID(s), names(inv, got), names(inv, want[s]))
					}
					for _, x := range res.SPOFs(s) {
						checkPath(t, res, s, x)
					}
					checkWalkers(t, res, s)
				}
				checkBudgets(t, 0, inv, k, want)
			}
		})
	}
}

// TestShapesLarge runs the same shapes at sizes the brute force cannot reach, declared both ways:
// every run must end, and every budget must give the first sets of the unbudgeted analysis.
func TestShapesLarge(t *testing.T) {
	shapes := map[string]*model.Inventory{
		"ring forward 400":      ring(400, true),
		"ring backward 400":     ring(400, false),
		"quorum 51 of 80":       quorum(51, 80, 8), // 30 VMs down: three clusters
		"quorum 58 of 60":       quorum(58, 60, 6), // 3 VMs down: tens of thousands of triples
		"nesting 400":           nesting(400),
		"redundant chain 1,000": redundantChain(1000),
	}
	for name, inv := range shapes {
		t.Run(name, func(t *testing.T) {
			for _, k := range []int{1, 2, 3} {
				whole := Analyze(inv, Options{MaxOrder: k})
				for _, budget := range []int{1, 2, 5, 100} {
					checkAgainstWhole(t, inv, whole, k, budget)
				}
			}
		})
	}
}
