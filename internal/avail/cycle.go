package avail

import (
	"slices"

	"github.com/spofhq/spof/internal/model"
)

// This file solves the members of a dependency cycle. Each member m has an equation
//
//	down(m) = x_m ∨ (its requirements unmet), the other members standing for their own down(·),
//
// and the members' down functions are the least fixed point of these equations (nothing is down
// unless a failure forces it). The equations are monotone, so one member's least fixed point, the
// others held as parameters, is its equation with itself false: from "up", either the rest of the
// equation puts it down, or it stays up. Eliminating the members one by one this way, each
// substituted into the equations that name it, and substituting back in reverse gives the least
// fixed point of the whole (Bekić's lemma; Gaussian elimination of Boolean equation systems).
// Members are eliminated dependencies first (depth-first post-order), so that a chain of members
// is substituted at the top of each equation; on a ring of n members the work is linear in n, where
// unrolling the fixed point round by round costs n² gates.

// place returns the placeholder of the i-th member of the cycle being solved.
func (b *base) place(i int) int32 {
	for len(b.places) <= i {
		j := int32(len(b.places))
		b.places = append(b.places, b.c.push(gPlace, j, nil, mix(uint64(j)+0x7f4a7c15)))
		b.val = append(b.val, 0)
	}
	return b.places[i]
}

// cycle builds the rests of the members of a strongly connected component within b.cycleWork units
// of work (arguments of the gates created, nodes visited by the restrictions): a cycle beyond it
// is left opaque, and the services that need it are bounded without a circuit.
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
	over := func() bool { return len(b.c.args)-start+b.visited > b.cycleWork }

	order := b.postOrder(comp)
	at := make(map[int32]int, len(order))
	inside := make(map[int32]int32, len(order)) // a member's placeholder
	for i, e := range order {
		at[e] = i
		inside[e] = b.place(i)
	}
	// eq[i] is the equation of order[i]; names[i] the members it may name (positions, ascending, a
	// superset); namedBy[j] the equations that may name member j.
	eq := make([]int32, len(order))
	names := make([][]int, len(order))
	namedBy := make([][]int, len(order))
	addName := func(i, j int) {
		if k, found := slices.BinarySearch(names[i], j); !found {
			names[i] = slices.Insert(names[i], k, j)
			namedBy[j] = append(namedBy[j], i)
		}
	}
	b.unfix()
	for i, e := range order {
		xs := []int32{variable(e)}
		for _, ref := range b.inv.Entities[e].Refs {
			x := b.reqDown(ref.Req, 0, inside)
			if x == opaque {
				opaqueAll()
				return
			}
			xs = append(xs, x)
		}
		eq[i] = b.c.orNested(xs)
		for _, d := range b.res.Deps(e) {
			if j, ok := at[d]; ok {
				addName(i, j)
			}
		}
	}
	// Forward: eliminate member i, then substitute it into the equations still to eliminate. An
	// equation eliminated is final but for the members eliminated after it.
	for i := range order {
		eq[i] = b.substitute(eq[i], i, cFalse)
		for _, j := range namedBy[i] {
			if j <= i {
				continue
			}
			eq[j] = b.substitute(eq[j], i, eq[i])
			for _, k := range names[i] {
				if k > i {
					addName(j, k)
				}
			}
			if over() {
				opaqueAll()
				return
			}
		}
	}
	// Back: in reverse, every member an equation still names is solved. One memo serves the whole
	// pass: a node only holds placeholders of members solved before it is reached.
	b.sGen++
	for i := len(order) - 1; i >= 0; i-- {
		eq[i] = b.substituteSolved(eq[i])
		b.val[i] = eq[i]
		if over() {
			opaqueAll()
			return
		}
	}
	for i, e := range order {
		if !b.fixedAs(e) {
			b.fix(e)
		}
		b.nest = true
		r := b.restrict(eq[i])
		b.nest = false
		b.rest[e] = b.c.absorb(b.c.normalize(r))
		if over() {
			opaqueAll()
			return
		}
	}
}

// postOrder returns the members of comp in depth-first post-order along their dependencies within
// comp, from comp's first member: dependencies before what needs them, but where the cycle closes.
func (b *base) postOrder(comp []int32) []int32 {
	in := make(map[int32]bool, len(comp))
	for _, e := range comp {
		in[e] = true
	}
	type frame struct {
		e    int32
		next int
	}
	seen := make(map[int32]bool, len(comp))
	order := make([]int32, 0, len(comp))
	stack := []frame{{e: comp[0]}}
	seen[comp[0]] = true
	for len(stack) > 0 {
		top := &stack[len(stack)-1]
		deps := b.res.Deps(top.e)
		if top.next < len(deps) {
			d := deps[top.next]
			top.next++
			if in[d] && !seen[d] {
				seen[d] = true
				stack = append(stack, frame{e: d})
			}
			continue
		}
		order = append(order, top.e)
		stack = stack[:len(stack)-1]
	}
	return order
}

// substitute returns x with the placeholder of member i replaced by v.
func (b *base) substitute(x int32, i int, v int32) int32 {
	b.sGen++
	target := b.places[i]
	return b.subst(x, func(p int32) (int32, bool) {
		if p != target {
			return p, false
		}
		return v, true
	})
}

// substituteSolved returns x with every placeholder replaced by its member's solution (b.val),
// within the current memo generation.
func (b *base) substituteSolved(x int32) int32 {
	return b.subst(x, func(p int32) (int32, bool) { return b.val[b.c.k[p]], true })
}

// subst rebuilds the part of x above the placeholders that with replaces, memoised in generation
// b.sGen. ORs are rebuilt nested (orNested), not flattened: an equation holds the one it replaced
// as one argument, and flattening would copy a chain into each link.
func (b *base) subst(x int32, with func(p int32) (int32, bool)) int32 {
	c := b.c
	if !c.placed[x] {
		return x
	}
	if c.op[x] == gPlace {
		if v, ok := with(x); ok {
			return v
		}
		return x
	}
	if int(x) < len(b.smemoGen) && b.smemoGen[x] == b.sGen {
		return b.smemo[x]
	}
	y := c.rebuild(x, func(a int32) int32 { return b.subst(a, with) }, true)
	for int(x) >= len(b.smemoGen) {
		b.smemoGen = append(b.smemoGen, 0)
		b.smemo = append(b.smemo, 0)
	}
	b.smemo[x], b.smemoGen[x] = y, b.sGen
	return y
}

// normalize returns x with its nested ORs flattened, as gates are made everywhere else, in one
// pass: an OR reached from only one OR is merged into it without being made on its own. Made
// level by level, a chain of n nested ORs would copy n²/2 arguments.
func (c *circuit) normalize(x int32) int32 {
	parents := map[int32]int{}
	var count func(y int32)
	count = func(y int32) {
		if !c.isGate(y) {
			return
		}
		parents[y]++
		if parents[y] == 1 {
			for _, a := range c.argsOf(y) {
				count(a)
			}
		}
	}
	count(x)
	made := map[int32]int32{}
	var build func(y int32) int32
	var leaves func(y int32, out []int32) []int32
	leaves = func(y int32, out []int32) []int32 {
		for _, a := range c.argsOf(y) {
			if c.op[a] == gOr && parents[a] == 1 {
				out = leaves(a, out)
			} else {
				out = append(out, build(a))
			}
		}
		return out
	}
	build = func(y int32) int32 {
		if !c.isGate(y) {
			return y
		}
		if z, ok := made[y]; ok {
			return z
		}
		var z int32
		if c.op[y] == gOr {
			z = c.gate(gOr, 0, leaves(y, nil))
		} else {
			args := make([]int32, 0, len(c.argsOf(y)))
			for _, a := range c.argsOf(y) {
				args = append(args, build(a))
			}
			z = c.gate(c.op[y], c.k[y], args)
		}
		made[y] = z
		return z
	}
	return build(x)
}

// absorb returns x with, if it is an OR, every occurrence of one of its arguments below another
// replaced by false: a ∨ f(a, y) = a ∨ f(0, y), the optimisation that fixing the SPOFs makes for
// variables, here for any node. A member's solved equation repeats the other members' requirements
// under its own redundancy groups (the cycle closing through them), and these copies are what the
// diagrams would otherwise carry.
func (c *circuit) absorb(x int32) int32 {
	if c.op[x] != gOr {
		return x
	}
	top := slices.Clone(c.argsOf(x)) // ascending
	made := map[int32]int32{}
	var sub func(y int32) int32
	sub = func(y int32) int32 {
		if _, in := slices.BinarySearch(top, y); in {
			return cFalse
		}
		if !c.isGate(y) {
			return y
		}
		if z, ok := made[y]; ok {
			return z
		}
		z := c.rebuild(y, sub, false)
		made[y] = z
		return z
	}
	out := make([]int32, len(top))
	for i, a := range top {
		out[i] = a
		if c.isGate(a) {
			out[i] = c.rebuild(a, sub, false)
		}
	}
	return c.gate(gOr, 0, out)
}

// orCycle builds the rests of a strongly connected component without eliminating its members when every
// reference from one member to another is met only if the member it names is up (it sits under
// all_of groups alone): a member is then down as soon as any member is, so the least fixed point
// gives every member the same down function, the OR of every member's variable and of its
// requirements with the other members up. Its SPOFs being the entities that put any member down,
// every member has the same T and so the same rest. It reports false, building nothing, for any
// other component.
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
	b.unfix()
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
