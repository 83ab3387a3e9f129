package avail

import (
	"slices"

	"github.com/spofhq/spof/internal/analysis"
	"github.com/spofhq/spof/internal/model"
)

// This file builds, once for the whole inventory, the part of every entity's down function that
// its SPOFs do not already decide.
//
// For an entity e, let T(e) be e and its SPOFs. Any of them failing puts e down, so
//
//	down(e) = OR of T(e)'s variables ∨ rest(e),   rest(e) = down(e) with T(e)'s variables false
//
// (Boolean optimisation: x ∨ f(x, y) = x ∨ f(0, y); fixing the SPOFs to "up" is how the old
// per-service BDDs stayed small). rest(e) is built from e's requirements, each referenced entity L
// standing for OR(T(L) \ T(e)) ∨ rest(L) restricted by T(e): entity by entity, dependencies first,
// every entity's rest is one node of the shared circuit, and a service's availability only needs
// its own rest. The members of a dependency cycle get the least fixed point of their equations,
// solved by eliminating the members one by one (cycle.go).

// opaque marks the rest of an entity whose function was not built.
const opaque int32 = -1

// base is the circuit of an inventory with every entity's rest.
type base struct {
	c   *circuit
	res *analysis.Result
	inv *model.Inventory
	// rest is per entity: rest(e), or opaque.
	rest []int32
	// z marks the entities fixed to "up" in the current restriction: z[e] == zGen.
	z    []uint32
	zGen uint32
	// memo holds the current restriction's results, valid where memoGen[x] == zGen.
	memo      []int32
	memoGen   []uint32
	kids      [][]int32 // scratch per depth of requirement nesting
	cycleWork int
	visited   int // nodes visited by restrictions, counted against cycleWork within a cycle
	// nFixed is how many entities the current restriction fixes.
	nFixed int
	// nest makes restrict keep ORs nested (cycle.go).
	nest bool
	// places holds the placeholder nodes that stand for a cycle's members while it is solved, and
	// val the node each one is replaced by (cycle.go).
	places, val []int32
	// smemo holds the current substitution's results, valid where smemoGen[x] == sGen.
	smemo, smemoGen []int32
	sGen            int32
}

// newBase builds the rest of every entity of res's inventory. cycleWork bounds the work of solving
// one dependency cycle (gate arguments created, nodes visited): a cycle beyond it is left opaque, and the services that need it are bounded without a circuit.
func newBase(res *analysis.Result, cycleWork int) *base {
	inv := res.Inv
	n := inv.Len()
	b := &base{c: newCircuit(n), res: res, inv: inv, rest: make([]int32, n), z: make([]uint32, n), cycleWork: cycleWork}
	for _, comp := range res.Components() {
		if len(comp) == 1 && !slices.Contains(res.Deps(comp[0]), comp[0]) {
			b.acyclic(comp[0])
		} else {
			b.cycle(comp)
		}
	}
	return b
}

// fix starts a restriction fixing e and its SPOFs to "up".
func (b *base) fix(e int32) {
	b.zGen++
	b.z[e] = b.zGen
	for x := range b.res.EachSPOF(e) {
		b.z[x] = b.zGen
	}
	b.nFixed = 1 + b.res.NumSPOFs(e)
}

// unfix starts a restriction that fixes nothing.
func (b *base) unfix() {
	b.zGen++
	b.nFixed = 0
}

// fixedAs reports whether the current restriction fixes exactly e and its SPOFs, as fix(e) would:
// the members of a cycle often share them, and then their restrictions share one memo.
func (b *base) fixedAs(e int32) bool {
	if b.nFixed != 1+b.res.NumSPOFs(e) || !b.fixed(e) {
		return false
	}
	for x := range b.res.EachSPOF(e) {
		if !b.fixed(x) {
			return false
		}
	}
	return true
}

func (b *base) fixed(e int32) bool { return b.z[e] == b.zGen }

// acyclic builds the rest of an entity outside every cycle.
func (b *base) acyclic(e int32) {
	b.fix(e)
	var xs []int32
	for _, ref := range b.inv.Entities[e].Refs {
		x := b.reqDown(ref.Req, 0, nil)
		if x == opaque {
			b.rest[e] = opaque
			return
		}
		xs = append(xs, x)
	}
	b.rest[e] = b.c.or(xs)
}

// reqDown returns the node "requirement r is unmet" under the current restriction; inside gives
// the placeholders of the members of a cycle being solved.
func (b *base) reqDown(r *model.Req, depth int, inside map[int32]int32) int32 {
	if r.Op == model.Need {
		if x, ok := inside[r.Entity]; ok {
			return x
		}
		return b.factored(r.Entity)
	}
	for len(b.kids) <= depth {
		b.kids = append(b.kids, nil)
	}
	kids := b.kids[depth][:0]
	for _, m := range r.Members {
		x := b.reqDown(m, depth+1, inside)
		if x == opaque {
			return opaque
		}
		kids = append(kids, x)
	}
	b.kids[depth] = kids
	return b.c.atLeast(len(r.Members)-r.Need()+1, kids)
}

// factored returns down(L) under the current restriction: OR(T(L)'s free variables) ∨ rest(L)
// restricted.
func (b *base) factored(l int32) int32 {
	if b.rest[l] == opaque {
		return opaque
	}
	var xs []int32
	if !b.fixed(l) {
		xs = append(xs, variable(l))
	}
	for x := range b.res.EachSPOF(l) {
		if !b.fixed(x) {
			xs = append(xs, variable(x))
		}
	}
	return b.c.or(append(xs, b.restrict(b.rest[l])))
}

// restrict returns node x with the fixed entities' variables false.
func (b *base) restrict(x int32) int32 {
	c := b.c
	switch c.op[x] {
	case gConst:
		return x
	case gVar:
		if b.fixed(entityOf(x)) {
			return cFalse
		}
		return x
	}
	if int(x) < len(b.memoGen) && b.memoGen[x] == b.zGen {
		return b.memo[x]
	}
	b.visited++
	y := c.rebuild(x, b.restrict, b.nest)
	for int(x) >= len(b.memoGen) {
		b.memoGen = append(b.memoGen, 0)
		b.memo = append(b.memo, 0)
	}
	b.memo[x], b.memoGen[x] = y, b.zGen
	return y
}
