// Package bdd is a small reduced ordered binary decision diagram (ROBDD) package: Boolean functions
// over numbered variables as shared, canonical graphs, built with AND, OR and threshold operations,
// and evaluated as probabilities when each variable is an independent event.
//
// It follows Bryant, "Graph-Based Algorithms for Boolean Function Manipulation" (IEEE Trans. Computers,
// 1986): a unique table makes every function one node (so equal functions are equal Nodes), and a
// computed table memoizes the apply operations. The computed table is lossy (direct-mapped, as in
// CUDD): a collision costs a recomputation, never a wrong answer, and its memory stays bounded.
//
// A Manager is not safe for concurrent use; use one per goroutine and Reset it between problems.
package bdd

import "math"

// Node is a Boolean function of a Manager. Nodes of different Managers must not be mixed.
type Node int32

// The constant functions.
const (
	False Node = 0
	True  Node = 1
)

// leafLevel is the level of the constants: below every variable.
const leafLevel = math.MaxInt32

type node struct {
	level  int32
	lo, hi Node // the function when the variable is false, and when it is true
}

type op uint8

const (
	opAnd op = iota + 1
	opOr
)

// cacheEntry is a computed-table entry; tag is the manager's generation times 4 plus the operation,
// so that Reset invalidates every entry by changing generation instead of clearing the table.
type cacheEntry struct {
	a, b, r Node
	tag     uint32
}

type slot struct {
	x   Node
	gen uint32
}

// Table sizes: the unique table starts at minTable slots and, when a large problem grew it beyond
// maxKeptTable, is brought back to that size by Reset so that small problems stay cache-friendly.
const (
	minTable     = 1 << 10
	maxKeptTable = 1 << 16
)

// Manager holds the nodes of a family of functions over variables numbered from 0 (the top of the
// order) upwards.
type Manager struct {
	nodes []node
	// table is the unique table, by open addressing; a slot of another generation is free.
	table []slot
	cache []cacheEntry
	// gen is the generation, incremented by Reset: entries of the tables from earlier generations are
	// stale, which saves clearing the tables between the many small problems of a run.
	gen   uint32
	limit int
	over  bool
}

// New returns a manager that stops creating nodes beyond limit (see Exceeded); limit <= 0 means no
// limit.
func New(limit int) *Manager {
	m := &Manager{limit: limit}
	m.Reset()
	return m
}

// Reset forgets every function, keeping the memory for the next problem.
func (m *Manager) Reset() {
	m.nodes = append(m.nodes[:0], node{level: leafLevel}, node{level: leafLevel, lo: True, hi: True})
	switch {
	case m.table == nil || len(m.table) > maxKeptTable:
		m.table = make([]slot, min(max(len(m.table), minTable), maxKeptTable))
		m.cache = make([]cacheEntry, 2*len(m.table))
		m.gen = 1
	case m.gen == 1<<30-1: // the cache tag keeps 30 bits of generation
		clear(m.table)
		clear(m.cache)
		m.gen = 1
	default:
		m.gen++
	}
	m.over = false
}

// Exceeded reports whether an operation needed more nodes than the limit. Once it is true, every
// function built since the last Reset is meaningless.
func (m *Manager) Exceeded() bool { return m.over }

// Size returns the number of nodes created since the last Reset, the constants included.
func (m *Manager) Size() int { return len(m.nodes) }

// Var returns the function that is true when variable v is.
func (m *Manager) Var(v int) Node { return m.mk(int32(v), False, True) }

// Level returns the variable tested at the root of f, and false for a constant.
func (m *Manager) Level(f Node) (int, bool) {
	l := m.nodes[f].level
	return int(l), l != leafLevel
}

func hash3(a, b, c int32) uint32 {
	h := uint32(a)*0x9E3779B1 ^ uint32(b)*0x85EBCA77 ^ uint32(c)*0xC2B2AE3D
	return h ^ h>>15
}

// mk returns the node (level, lo, hi), creating it if needed, with the reduction rule lo == hi.
func (m *Manager) mk(level int32, lo, hi Node) Node {
	if lo == hi {
		return lo
	}
	mask := uint32(len(m.table) - 1)
	for i := hash3(level, int32(lo), int32(hi)) & mask; ; i = (i + 1) & mask {
		sl := m.table[i]
		if sl.gen != m.gen {
			break
		}
		if n := m.nodes[sl.x]; n.level == level && n.lo == lo && n.hi == hi {
			return sl.x
		}
	}
	if m.over || (m.limit > 0 && len(m.nodes) >= m.limit) {
		m.over = true
		return False
	}
	x := Node(len(m.nodes))
	m.nodes = append(m.nodes, node{level: level, lo: lo, hi: hi})
	if 2*len(m.nodes) > len(m.table) {
		m.grow()
	} else {
		m.insert(x)
	}
	return x
}

func (m *Manager) insert(x Node) {
	n := m.nodes[x]
	mask := uint32(len(m.table) - 1)
	i := hash3(n.level, int32(n.lo), int32(n.hi)) & mask
	for m.table[i].gen == m.gen {
		i = (i + 1) & mask
	}
	m.table[i] = slot{x: x, gen: m.gen}
}

// grow doubles the unique table (rehashing every node) and the computed table, which then keeps about
// two entries per node.
func (m *Manager) grow() {
	m.table = make([]slot, 2*len(m.table))
	for x := 2; x < len(m.nodes); x++ {
		m.insert(Node(x))
	}
	if len(m.cache) < 2*len(m.table) {
		old := m.cache
		m.cache = make([]cacheEntry, 2*len(m.table))
		for _, c := range old { // the valid entries are still worth having
			if c.tag>>2 == m.gen {
				m.cache[hash3(int32(c.tag&3), int32(c.a), int32(c.b))&uint32(len(m.cache)-1)] = c
			}
		}
	}
}

// And returns a ∧ b.
func (m *Manager) And(a, b Node) Node { return m.apply(opAnd, a, b) }

// Or returns a ∨ b.
func (m *Manager) Or(a, b Node) Node { return m.apply(opOr, a, b) }

func (m *Manager) apply(o op, a, b Node) Node {
	switch {
	case a == b:
		return a
	case o == opAnd && (a == False || b == False):
		return False
	case o == opOr && (a == True || b == True):
		return True
	case a == True && o == opAnd, a == False && o == opOr:
		return b
	case b == True && o == opAnd, b == False && o == opOr:
		return a
	}
	if a > b { // both operations commute: one cache entry serves both orders
		a, b = b, a
	}
	tag := m.gen<<2 | uint32(o)
	slot := &m.cache[hash3(int32(o), int32(a), int32(b))&uint32(len(m.cache)-1)]
	if slot.tag == tag && slot.a == a && slot.b == b {
		return slot.r
	}
	na, nb := m.nodes[a], m.nodes[b]
	level := min(na.level, nb.level)
	a0, a1 := Node(a), Node(a)
	if na.level == level {
		a0, a1 = na.lo, na.hi
	}
	b0, b1 := b, b
	if nb.level == level {
		b0, b1 = nb.lo, nb.hi
	}
	lo := m.apply(o, a0, b0)
	hi := m.apply(o, a1, b1)
	r := m.mk(level, lo, hi)
	// The cache may have grown during the recursion: index it again.
	m.cache[hash3(int32(o), int32(a), int32(b))&uint32(len(m.cache)-1)] = cacheEntry{a: a, b: b, r: r, tag: tag}
	return r
}

// AtLeast returns the function "at least t of fs are true" (true for t <= 0, false for t > len(fs)).
// It is built as the dynamic programme over "at least j of the first i", which costs len(fs)·t
// operations instead of enumerating the combinations.
func (m *Manager) AtLeast(t int, fs []Node) Node {
	switch {
	case t <= 0:
		return True
	case t > len(fs):
		return False
	case t == 1:
		r := False
		for _, f := range fs {
			r = m.Or(r, f)
		}
		return r
	case t == len(fs):
		r := True
		for _, f := range fs {
			r = m.And(r, f)
		}
		return r
	}
	dp := make([]Node, t+1) // dp[j]: at least j of the functions seen so far
	dp[0] = True
	for i, f := range fs {
		for j := min(i+1, t); j >= 1; j-- {
			dp[j] = m.Or(dp[j], m.And(dp[j-1], f))
		}
	}
	return dp[t]
}
