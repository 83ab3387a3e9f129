// Package bdd is a small reduced ordered binary decision diagram (ROBDD) package: Boolean functions
// over numbered variables as shared, canonical graphs, built with AND, OR and threshold operations,
// and evaluated as probabilities when each variable is an independent event.
//
// It follows Bryant, "Graph-Based Algorithms for Boolean Function Manipulation" (IEEE Trans. Computers,
// 1986): a unique table makes every function one node (so equal functions are equal Nodes), and a
// computed table memoizes the apply operations. The computed table is lossy (direct-mapped, as in
// CUDD): a collision costs a recomputation, never a wrong answer, and its memory stays bounded.
//
// Budgets make every operation end in bounded time and memory, whatever the functions: a Manager
// stops creating nodes beyond twice its limit and stops recursing beyond an operation budget (see
// Exceeded). Nodes no longer needed are reclaimed by GC, which the caller runs between operations
// with the functions it still holds, so that the limit applies to live nodes rather than to every
// intermediate diagram ever built.
//
// Everything a Manager does is a deterministic function of the operations since the last Reset:
// the tables start from the same size after every Reset, so the same problem takes the same
// number of nodes and operations whatever was solved before.
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

// cacheEntry is a computed-table entry. tag packs the cache generation and the operation, so that
// Reset invalidates every entry by changing generation instead of clearing the table.
type cacheEntry struct {
	a, b, r Node
	tag     uint32
}

const (
	tagGenShift = 2
	maxGen      = 1<<(32-tagGenShift) - 1
)

type slot struct {
	x   Node
	gen uint32
}

// minTable is the size of the unique table after Reset; it doubles as nodes are created.
const minTable = 1 << 10

// Manager holds the nodes of a family of functions over variables numbered from 0 (the top of the
// order) upwards.
type Manager struct {
	nodes []node
	// table is the unique table, by open addressing; a slot of another generation is free. Its
	// backing array (tableBuf) is kept across Resets, only its length starts again from minTable.
	table, tableBuf []slot
	cache, cacheBuf []cacheEntry
	// tgen and cgen are the generations of the unique table and of the computed table: entries of
	// earlier generations are stale, which saves clearing the tables between problems.
	tgen, cgen uint32
	limit      int
	ops        int
	opLimit    int
	over       bool
}

// OpsPerNode is the operation budget of a Manager per node of its limit: enough for any diagram
// that fits its limit to be built from the usual gates, small enough that a Manager never spends
// more than a few seconds before it says Exceeded.
const OpsPerNode = 64

// New returns a manager whose live diagrams may hold up to limit nodes (see Exceeded); limit <= 0
// means no limit.
func New(limit int) *Manager {
	m := &Manager{limit: limit}
	m.Reset()
	return m
}

// Reset forgets every function, keeping the memory for the next problem.
func (m *Manager) Reset() {
	m.nodes = append(m.nodes[:0], node{level: leafLevel}, node{level: leafLevel, lo: True, hi: True})
	if m.tableBuf == nil {
		m.tableBuf = make([]slot, minTable)
		m.cacheBuf = make([]cacheEntry, 2*minTable)
	}
	m.table = m.tableBuf[:minTable]
	m.cache = m.cacheBuf[:2*minTable]
	m.nextTableGen()
	m.nextCacheGen()
	m.over = false
	m.ops = 0
	m.opLimit = 0
	if m.limit > 0 {
		m.opLimit = OpsPerNode * m.limit
	}
}

func (m *Manager) nextTableGen() {
	if m.tgen++; m.tgen == maxGen {
		clear(m.tableBuf)
		m.tgen = 1
	}
}

func (m *Manager) nextCacheGen() {
	if m.cgen++; m.cgen == maxGen {
		clear(m.cacheBuf)
		m.cgen = 1
	}
}

// Exceeded reports whether an operation needed more than twice the node limit, or more operations
// than the limit allows (OpsPerNode per node). Once it is true, every function built since the last
// Reset is meaningless.
func (m *Manager) Exceeded() bool { return m.over }

// Size returns the number of nodes held, the constants included: live ones and, until GC reclaims
// them, dead ones.
func (m *Manager) Size() int { return len(m.nodes) }

// Limit returns the node limit given to New.
func (m *Manager) Limit() int { return m.limit }

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
		if sl.gen != m.tgen {
			break
		}
		if n := m.nodes[sl.x]; n.level == level && n.lo == lo && n.hi == hi {
			return sl.x
		}
	}
	if m.over || (m.limit > 0 && len(m.nodes) >= 2*m.limit) {
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
	for m.table[i].gen == m.tgen {
		i = (i + 1) & mask
	}
	m.table[i] = slot{x: x, gen: m.tgen}
}

// grow doubles the unique table, reusing the memory of earlier problems when there is enough, and
// rehashes every node; the computed table follows, at two entries per slot, and starts empty.
func (m *Manager) grow() {
	m.resizeTable(2 * len(m.table))
	if len(m.cache) < 2*len(m.table) {
		n := 2 * len(m.table)
		if cap(m.cacheBuf) < n {
			m.cacheBuf = make([]cacheEntry, n)
		}
		m.cache = m.cacheBuf[:n]
		m.nextCacheGen()
	}
}

// resizeTable gives the unique table n slots and inserts every node again.
func (m *Manager) resizeTable(n int) {
	if cap(m.tableBuf) < n {
		m.tableBuf = make([]slot, n)
	}
	m.table = m.tableBuf[:n]
	m.nextTableGen()
	for x := 2; x < len(m.nodes); x++ {
		m.insert(Node(x))
	}
}

// GC keeps the nodes of the functions *roots[i] and reclaims every other, renumbering the nodes:
// each root is updated in place, and every other Node of m becomes invalid. Call it between
// operations, never during one.
func (m *Manager) GC(roots []*Node) {
	live := make([]bool, len(m.nodes))
	live[False], live[True] = true, true
	var stack []Node
	for _, r := range roots {
		if !live[*r] {
			live[*r] = true
			stack = append(stack, *r)
		}
	}
	for len(stack) > 0 {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		n := m.nodes[x]
		for _, k := range [2]Node{n.lo, n.hi} {
			if !live[k] {
				live[k] = true
				stack = append(stack, k)
			}
		}
	}
	// A node's children are older than it: renumbering in increasing order keeps that true, and
	// maps every child before its parents.
	remap := make([]Node, len(m.nodes))
	remap[True] = True
	next := Node(2)
	for x := 2; x < len(m.nodes); x++ {
		if !live[x] {
			continue
		}
		n := m.nodes[x]
		m.nodes[next] = node{level: n.level, lo: remap[n.lo], hi: remap[n.hi]}
		remap[x] = next
		next++
	}
	m.nodes = m.nodes[:next]
	for _, r := range roots {
		*r = remap[*r]
	}
	size := minTable
	for 2*len(m.nodes) > size {
		size *= 2
	}
	m.resizeTable(max(size, len(m.table)))
	m.nextCacheGen()
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
	tag := m.cgen<<tagGenShift | uint32(o)
	slot := &m.cache[hash3(int32(o), int32(a), int32(b))&uint32(len(m.cache)-1)]
	if slot.tag == tag && slot.a == a && slot.b == b {
		return slot.r
	}
	if m.spend() {
		return False
	}
	na, nb := m.nodes[a], m.nodes[b]
	level := min(na.level, nb.level)
	a0, a1 := a, a
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

// spend counts one operation and reports whether the budget is spent.
func (m *Manager) spend() bool {
	if m.over {
		return true
	}
	m.ops++
	if m.opLimit > 0 && m.ops > m.opLimit {
		m.over = true
	}
	return m.over
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
