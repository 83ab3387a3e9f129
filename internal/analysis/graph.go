package analysis

import (
	"slices"

	"gonum.org/v1/gonum/graph"
	"gonum.org/v1/gonum/graph/iterator"
	"gonum.org/v1/gonum/graph/simple"
	"gonum.org/v1/gonum/graph/topo"

	"github.com/spofhq/spof/internal/model"
	"github.com/spofhq/spof/internal/sorted"
)

// compiled is an inventory's requirements flattened into threshold expressions over integer entity
// indexes, the form every algorithm of this package works on.
//
// Every requirement is a threshold: an expression with n children is unmet once `trip` of them are down
// (all_of: 1, any_of: n, at_least k: n-k+1). A child c >= 0 is entity c; c < 0 is expression -c-1. An
// entity's own root expression is the all_of of its reference keys.
type compiled struct {
	inv       *model.Inventory
	root      []int32 // per entity: its root expression, or -1 when it requires nothing
	trip      []int32 // per expression
	kidsStart []int32 // per expression: its children are kids[kidsStart[x] : kidsStart[x]+kidsLen[x]]
	kidsLen   []int32
	kids      []int32
	nested    []bool    // per expression: whether a child is an expression
	kidDep    []int32   // aligned with kids: an entity child's index in its owner's deps, or -1
	deps      [][]int32 // per entity: distinct entities referenced, ascending

	// Reverse links, for propagate.
	parent     []int32 // per expression: the enclosing expression, or -1 for a root
	owner      []int32 // per expression: the entity whose requirement it is
	usersStart []int32 // per entity: its using expressions are users[usersStart[e]:usersStart[e+1]]
	users      []int32
}

// compile flattens inv's requirements; sccs receives the strongly connected components (see
// components), found meanwhile, as they only need the dependency lists.
func compile(inv *model.Inventory) (c *compiled, sccs <-chan [][]int32) {
	n := inv.Len()
	c = &compiled{inv: inv, root: make([]int32, n), deps: make([][]int32, n)}
	for i := range inv.Entities {
		c.deps[i] = inv.Deps(int32(i))
	}
	found := make(chan [][]int32, 1)
	go func() { found <- c.components() }()
	for i := range inv.Entities {
		e := &inv.Entities[i]
		if len(e.Refs) == 0 {
			c.root[i] = -1
			continue
		}
		members := make([]*model.Req, len(e.Refs))
		for j, ref := range e.Refs {
			members[j] = ref.Req
		}
		c.root[i] = c.add(&model.Req{Op: model.AllOf, Members: members})
	}
	c.kidDep = make([]int32, len(c.kids))
	for i, r := range c.root {
		if r >= 0 {
			c.indexDeps(r, c.deps[i])
		}
	}
	c.buildParents()
	return c, found
}

// add appends the expression for r (which must be a group) and returns its index. Children are
// appended after their parent's slot is reserved, so kids of one expression stay contiguous.
func (c *compiled) add(r *model.Req) int32 {
	x := int32(len(c.trip))
	members := r.Members
	trip := int32(len(members) - r.Need() + 1)
	if trip == 1 {
		// Unmet once one member is: so is a member of the same kind, whose members can stand in
		// its place (a list of dependencies inside an entity's requirement, most of all).
		members = inlineTripOne(members, nil)
	}
	n := int32(len(members))
	c.trip = append(c.trip, trip)
	c.nested = append(c.nested, false)
	start := int32(len(c.kids))
	c.kidsStart = append(c.kidsStart, start)
	c.kidsLen = append(c.kidsLen, n)
	c.kids = append(c.kids, make([]int32, n)...)
	for i, m := range members {
		if m.Op == model.Need {
			c.kids[start+int32(i)] = m.Entity
		} else {
			c.kids[start+int32(i)] = -c.add(m) - 1
			c.nested[x] = true
		}
	}
	return x
}

// inlineTripOne appends to dst the members of an expression that is unmet once one member is,
// replacing each member group of that kind (all_of, or a group that needs all of its members) by its
// own members, recursively.
func inlineTripOne(members []*model.Req, dst []*model.Req) []*model.Req {
	for _, m := range members {
		if m.Op != model.Need && len(m.Members)-m.Need()+1 == 1 {
			dst = inlineTripOne(m.Members, dst)
			continue
		}
		dst = append(dst, m)
	}
	return dst
}

// indexDeps fills kidDep for expression x and those nested in it, whose owner depends on deps.
func (c *compiled) indexDeps(x int32, deps []int32) {
	start := c.kidsStart[x]
	for j, ch := range c.children(x) {
		if ch < 0 {
			c.kidDep[start+int32(j)] = -1
			c.indexDeps(-ch-1, deps)
			continue
		}
		t, _ := slices.BinarySearch(deps, ch)
		c.kidDep[start+int32(j)] = int32(t)
	}
}

func (c *compiled) children(x int32) []int32 {
	return c.kids[c.kidsStart[x] : c.kidsStart[x]+c.kidsLen[x]]
}

// components returns the strongly connected components of the dependency graph, dependencies before
// their dependents (Tarjan emits a component only after every component it reaches), each component's
// members ascending.
func (c *compiled) components() [][]int32 {
	sccs := topo.TarjanSCC(depGraph{c})
	out := make([][]int32, len(sccs))
	for i, comp := range sccs {
		ids := make([]int32, len(comp))
		for j, nd := range comp {
			ids[j] = int32(nd.ID())
		}
		slices.Sort(ids)
		out[i] = ids
	}
	return out
}

// depGraph presents the dependency edges (entity → what it references) as a gonum graph without copying
// them into gonum's map-based graphs.
type depGraph struct{ c *compiled }

func (g depGraph) Node(id int64) graph.Node {
	if id < 0 || id >= int64(len(g.c.deps)) {
		return nil
	}
	return simple.Node(id)
}

func (g depGraph) Nodes() graph.Nodes {
	nodes := make([]graph.Node, len(g.c.deps))
	for i := range nodes {
		nodes[i] = simple.Node(i)
	}
	return iterator.NewOrderedNodes(nodes)
}

func (g depGraph) From(id int64) graph.Nodes {
	deps := g.c.deps[id]
	if len(deps) == 0 {
		return graph.Empty
	}
	nodes := make([]graph.Node, len(deps))
	for i, d := range deps {
		nodes[i] = simple.Node(d)
	}
	return iterator.NewOrderedNodes(nodes)
}

func (g depGraph) To(id int64) graph.Nodes {
	var nodes []graph.Node
	for i, deps := range g.c.deps {
		if sorted.Contains(deps, int32(id)) {
			nodes = append(nodes, simple.Node(i))
		}
	}
	return iterator.NewOrderedNodes(nodes)
}

func (g depGraph) HasEdgeBetween(x, y int64) bool {
	return g.HasEdgeFromTo(x, y) || g.HasEdgeFromTo(y, x)
}

func (g depGraph) HasEdgeFromTo(u, v int64) bool {
	return u >= 0 && u < int64(len(g.c.deps)) && sorted.Contains(g.c.deps[u], int32(v))
}

func (g depGraph) Edge(u, v int64) graph.Edge {
	if !g.HasEdgeFromTo(u, v) {
		return nil
	}
	return simple.Edge{F: simple.Node(u), T: simple.Node(v)}
}
