package avail

import (
	"slices"
)

// This file is the circuit: the down functions of every entity as one hash-consed DAG of OR, AND and
// threshold gates over the entities' failure variables. Gates are normalised as they are made, the
// way fault-tree preprocessors do before building BDDs (SCRAM's preprocessor, Rauzy's Aralia):
// constants are propagated, nested gates of the same kind are flattened into their parent (an all_of
// chain becomes one OR), arguments are sorted and duplicates merged, and a threshold gate that is
// really an OR or an AND becomes one. Equal gates are one node, so that the modules and their
// probabilities can be shared by every service whose function contains them.

// Node numbers: the constants, then one variable per entity, then gates.
const (
	cFalse int32 = 0
	cTrue  int32 = 1
	// firstVar is the node of entity 0's failure variable; entity e's is firstVar + e.
	firstVar int32 = 2
)

// gop is the kind of a circuit node.
type gop uint8

const (
	gConst gop = iota
	gVar
	gOr
	gAnd
	gAtLeast
)

// circuit is a hash-consed DAG. It only grows; a node's arguments are older than it.
type circuit struct {
	op  []gop
	k   []int32 // gVar: the entity; gAtLeast: the threshold
	off []int32 // the arguments of node i are args[off[i]:off[i+1]]
	// args holds the arguments of every gate, ascending, duplicates only in threshold gates.
	args  []int32
	hash  []uint64
	table []int32 // open addressing: node + 1, 0 for an empty slot
	// scratch for normalisation
	buf []int32
}

func newCircuit(entities int) *circuit {
	c := &circuit{}
	c.push(gConst, 0, nil, 0)
	c.push(gConst, 1, nil, 1)
	for e := range int32(entities) {
		c.push(gVar, e, nil, mix(uint64(e)+0x51ed27))
	}
	c.table = make([]int32, 1<<max(10, bitsFor(4*entities)))
	return c
}

func bitsFor(n int) int {
	b := 0
	for 1<<b < n {
		b++
	}
	return b
}

func (c *circuit) len() int32 { return int32(len(c.op)) }

func (c *circuit) push(op gop, k int32, args []int32, h uint64) int32 {
	x := int32(len(c.op))
	if len(c.off) == 0 {
		c.off = append(c.off, 0)
	}
	c.op = append(c.op, op)
	c.k = append(c.k, k)
	c.args = append(c.args, args...)
	c.off = append(c.off, int32(len(c.args)))
	c.hash = append(c.hash, h)
	return x
}

// argsOf returns the arguments of node x; the slice must not be modified.
func (c *circuit) argsOf(x int32) []int32 { return c.args[c.off[x]:c.off[x+1]] }

// variable returns the node of entity e's failure variable.
func variable(e int32) int32 { return firstVar + e }

// entityOf returns the entity of variable node x.
func entityOf(x int32) int32 { return x - firstVar }

func (c *circuit) isGate(x int32) bool { return c.op[x] >= gOr }

// mix is the finaliser of SplitMix64: a good 64-bit hash of a 64-bit value.
func mix(h uint64) uint64 {
	h ^= h >> 30
	h *= 0xbf58476d1ce4e5b9
	h ^= h >> 27
	h *= 0x94d049bb133111eb
	return h ^ h>>31
}

func gateHash(op gop, k int32, args []int32, hashes []uint64) uint64 {
	h := mix(uint64(op)<<32 | uint64(uint32(k)))
	for _, a := range args {
		h = mix(h ^ hashes[a])
	}
	return h
}

// or returns the OR of xs (which it may reorder).
func (c *circuit) or(xs []int32) int32 { return c.gate(gOr, 0, xs) }

// orNested returns the OR of xs like or, but keeps an OR argument as one argument instead of
// flattening it: the rounds of an unrolled cycle nest each round in the next, and flattening them
// would copy every round into the next, cubic in the cycle's length.
func (c *circuit) orNested(xs []int32) int32 { return c.assoc(gOr, xs, false) }

// atLeast returns "at least t of xs are true" (xs may be reordered).
func (c *circuit) atLeast(t int, xs []int32) int32 { return c.gate(gAtLeast, int32(t), xs) }

// gate returns the normalised gate op(k, xs).
func (c *circuit) gate(op gop, k int32, xs []int32) int32 {
	if op == gOr || op == gAnd {
		return c.assoc(op, xs, true)
	}
	buf := c.buf[:0]
	// A threshold: constants move the threshold; the edges are an OR or an AND.
	for _, x := range xs {
		switch x {
		case cTrue:
			k--
		case cFalse:
		default:
			buf = append(buf, x)
		}
	}
	c.buf = buf
	switch {
	case k <= 0:
		return cTrue
	case int(k) > len(buf):
		return cFalse
	case k == 1:
		return c.gate(gOr, 0, slices.Clone(buf))
	case int(k) == len(buf):
		return c.gate(gAnd, 0, slices.Clone(buf))
	}
	slices.Sort(buf)
	return c.intern(gAtLeast, k, buf)
}

// assoc returns the OR or the AND of xs, with constants folded and duplicates removed; flatten
// merges the arguments of an argument of the same op into the gate.
func (c *circuit) assoc(op gop, xs []int32, flatten bool) int32 {
	absorbing, neutral := cTrue, cFalse
	if op == gAnd {
		absorbing, neutral = cFalse, cTrue
	}
	buf := c.buf[:0]
	for _, x := range xs {
		switch {
		case x == absorbing:
			c.buf = buf
			return absorbing
		case x == neutral:
		case flatten && c.op[x] == op:
			buf = append(buf, c.argsOf(x)...)
		default:
			buf = append(buf, x)
		}
	}
	slices.Sort(buf)
	buf = slices.Compact(buf)
	c.buf = buf
	switch len(buf) {
	case 0:
		return neutral
	case 1:
		return buf[0]
	}
	if op == gAnd {
		if x, ok := c.factorAnd(buf); ok {
			return x
		}
	}
	return c.intern(op, 0, buf)
}

// factorAnd rewrites AND(s ∨ a₁, s ∨ a₂, …) as s ∨ AND(a₁, a₂, …) when every argument is an OR (or
// a single node) with the same disjuncts s: the distributive law. It comes from an any_of of two
// services whose rests share redundancy groups (those of services both depend on): the shared
// groups then stand on their own, outside the AND, where they are independent of it, instead of
// twice inside it. It reports false when the arguments share nothing.
func (c *circuit) factorAnd(xs []int32) (int32, bool) {
	xs = slices.Clone(xs) // c.buf, which the gates made below reuse
	disj := func(x int32) []int32 {
		if c.op[x] == gOr {
			return c.argsOf(x)
		}
		return []int32{x}
	}
	common := slices.Clone(disj(xs[0]))
	for _, x := range xs[1:] {
		d := disj(x)
		common = slices.DeleteFunc(common, func(s int32) bool {
			_, in := slices.BinarySearch(d, s)
			return !in
		})
		if len(common) == 0 {
			return 0, false
		}
	}
	rests := make([]int32, 0, len(xs))
	for _, x := range xs {
		var rest []int32
		for _, a := range disj(x) {
			if _, in := slices.BinarySearch(common, a); !in {
				rest = append(rest, a)
			}
		}
		if len(rest) == 0 {
			return c.gate(gOr, 0, common), true // this argument is s itself, below the others
		}
		rests = append(rests, c.gate(gOr, 0, rest))
	}
	return c.gate(gOr, 0, append(common, c.gate(gAnd, 0, rests))), true
}

// intern returns the node op(k, args), creating it if needed; args are normalised.
func (c *circuit) intern(op gop, k int32, args []int32) int32 {
	h := gateHash(op, k, args, c.hash)
	mask := uint64(len(c.table) - 1)
	i := h & mask
	for ; c.table[i] != 0; i = (i + 1) & mask {
		x := c.table[i] - 1
		if c.hash[x] == h && c.op[x] == op && c.k[x] == k && slices.Equal(c.argsOf(x), args) {
			return x
		}
	}
	x := c.push(op, k, args, h)
	c.table[i] = x + 1
	if 2*len(c.op) > len(c.table) {
		c.table = make([]int32, 2*len(c.table))
		mask = uint64(len(c.table) - 1)
		for y := firstVar; y < c.len(); y++ {
			if !c.isGate(y) {
				continue
			}
			j := c.hash[y] & mask
			for c.table[j] != 0 {
				j = (j + 1) & mask
			}
			c.table[j] = y + 1
		}
	}
	return x
}
