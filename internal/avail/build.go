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
// its own rest. A dependency cycle is unrolled: the least fixed point is reached from "nothing down"
// in as many rounds as the cycle has entities (each round puts at least one more entity down, or
// nothing changes), so its members' down functions are those of the last round.

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
	memo    []int32
	memoGen []uint32
	kids    [][]int32 // scratch per depth of requirement nesting
	unroll  int
	visited int // nodes visited by restrictions, counted against unroll within a cycle
	// nFixed is how many entities the current restriction fixes.
	nFixed int
}

// newBase builds the rest of every entity of res's inventory. unroll bounds the gates the unrolling
// of one dependency cycle may create (rounds times the size of its requirements): a cycle beyond it
// is left opaque, and the services that need it are bounded without a circuit.
func newBase(res *analysis.Result, unroll int) *base {
	inv := res.Inv
	n := inv.Len()
	b := &base{c: newCircuit(n), res: res, inv: inv, rest: make([]int32, n), z: make([]uint32, n), unroll: unroll}
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

// cycle builds the rests of the members of a strongly connected component, unrolled, within
// b.unroll units of work (arguments of the gates created, nodes visited by the restrictions): a
// cycle beyond it is left opaque, and the services that need it are bounded without a circuit.
// Each round's ORs keep the previous round's as arguments (orNested); the restriction that makes
// each member's rest normalises them.
func (b *base) cycle(comp []int32) {
	if b.orCycle(comp) {
		return
	}
	opaqueAll := func() {
		for _, e := range comp {
			b.rest[e] = opaque
		}
	}
	start := len(b.c.args)
	b.visited = 0
	over := func() bool { return len(b.c.args)-start+b.visited > b.unroll }
	// inside maps a member to its down function of the previous round (false before the first).
	inside := make(map[int32]int32, len(comp))
	for _, e := range comp {
		inside[e] = cFalse
	}
	next := make([]int32, len(comp))
	b.unfix() // no restriction while unrolling
	for range comp {
		changed := false
		for i, e := range comp {
			xs := []int32{variable(e)}
			for _, ref := range b.inv.Entities[e].Refs {
				x := b.reqDown(ref.Req, 0, inside)
				if x == opaque {
					opaqueAll()
					return
				}
				xs = append(xs, x)
			}
			next[i] = b.c.orNested(xs)
			changed = changed || next[i] != inside[e]
			if over() {
				opaqueAll()
				return
			}
		}
		for i, e := range comp {
			inside[e] = next[i]
		}
		if !changed {
			break // the same nodes: the fixed point is reached
		}
	}
	for _, e := range comp {
		if !b.fixedAs(e) {
			b.fix(e)
		}
		b.rest[e] = b.restrict(inside[e])
		if over() {
			opaqueAll()
			return
		}
	}
}

// orCycle builds the rests of a strongly connected component without unrolling it when every
// reference from one member to another is met only if the member it names is up (it sits under
// all_of groups alone): a member is then down as soon as any member is, so the least fixed point
// gives every member the same down function, the OR of every member's variable and of its
// requirements with the other members up. Its SPOFs being the entities that put any member down,
// every member has the same T and so the same rest. It reports false, building nothing, for any
// other component. A ring of n services costs n here, against n² gates unrolled.
func (b *base) orCycle(comp []int32) bool {
	inside := make(map[int32]int32, len(comp))
	for _, e := range comp {
		inside[e] = cFalse
	}
	spofs := b.res.NumSPOFs(comp[0])
	for _, e := range comp {
		if b.res.NumSPOFs(e) != spofs {
			return false
		}
		for _, ref := range b.inv.Entities[e].Refs {
			if redundantlyInside(ref.Req, false, inside) {
				return false
			}
		}
	}
	b.unfix() // no restriction while building
	var xs []int32
	for _, e := range comp {
		xs = append(xs, variable(e))
		for _, ref := range b.inv.Entities[e].Refs {
			x := b.reqDown(ref.Req, 0, inside)
			if x == opaque {
				for _, e := range comp {
					b.rest[e] = opaque
				}
				return true
			}
			xs = append(xs, x)
		}
	}
	down := b.c.or(xs)
	b.fix(comp[0])
	rest := b.restrict(down)
	for _, e := range comp {
		b.rest[e] = rest
	}
	return true
}

// redundantlyInside reports whether r names an entity of inside under a group that can stay met
// without it (any_of, or at_least with fewer than all); under is true below such a group.
func redundantlyInside(r *model.Req, under bool, inside map[int32]int32) bool {
	if r.Op == model.Need {
		_, in := inside[r.Entity]
		return under && in
	}
	under = under || r.Need() < len(r.Members)
	for _, m := range r.Members {
		if redundantlyInside(m, under, inside) {
			return true
		}
	}
	return false
}

// reqDown returns the node "requirement r is unmet" under the current restriction; inside gives
// the current functions of the members of a cycle being unrolled.
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
	args := c.argsOf(x)
	var out []int32 // nil while every argument is unchanged
	for i, a := range args {
		r := b.restrict(a)
		if out == nil && r != a {
			out = make([]int32, i, len(args))
			copy(out, c.argsOf(x)[:i])
		}
		if out != nil {
			out = append(out, r)
		}
	}
	y := x
	if out != nil {
		y = c.gate(c.op[x], c.k[x], out)
	}
	for int(x) >= len(b.memoGen) {
		b.memoGen = append(b.memoGen, 0)
		b.memo = append(b.memo, 0)
	}
	b.memo[x], b.memoGen[x] = y, b.zGen
	return y
}
