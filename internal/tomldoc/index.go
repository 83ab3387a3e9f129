package tomldoc

import (
	"math"
	"math/bits"
	"strconv"
)

// position is a 1-based line and column. The column counts characters (Unicode code points, a tab
// counting one) because that is what a user can count to and what editors show in their status bar;
// a byte offset would be wrong after the first non-ASCII character. Syntax errors are converted to
// the same count (see Decode).
type position struct{ line, col int }

// index records where each key and each value of a TOML document is, by path. Paths are the decoded
// key segments (quoted "a.b" is one segment, escapes resolved), with elements of arrays and entries of
// arrays of tables addressed by their decimal index: for
//
//	[[waiver]]
//	rule = "x"
//	[[waiver]]
//	rule = "y"
//	targets = ["a", { any_of = ["b", "c"] }]
//
// the second rule is key("waiver", "1", "rule") and "c" is value("waiver", "1", "targets", "1",
// "any_of", "1"). This differs from the paths that BurntSushi's MetaData.Keys reports, which leave the
// indexes out (and list [waiver rule] once per entry). Indexes are canonical: "01" finds nothing.
//
// It is immutable once built, so it may be shared between goroutines. A nil *index finds nothing.
type index struct {
	// The index is a trie of paths. Named children live in a hash table of its own rather than a Go
	// map keyed by whole paths: a 100k-entity inventory has hundreds of thousands of paths, and
	// building a string per path and hashing it twice (lookup, then insert) made the map most of the
	// cost of a scan. Here a segment is hashed once, with its parent node, and inserting allocates
	// nothing but amortised slice growth. Elements of array values are not hashed at all but listed
	// in elems, since they are only ever found by their number: each hashed node costs a cache miss
	// in a table of megabytes.

	nodes []node // nodes[0] is the root, the empty path
	names []byte // segment text of every hashed node, in order; a node's text is names[off : off+n]
	// slots is an open-addressing table, linear probing, of the hashed nodes: 0 is empty, otherwise
	// the node's 32-bit hash (which also picks the slot) above its index in nodes.
	slots []uint64
	// elems holds the nodes of the elements of each array value, contiguous per array.
	elems []uint32
}

// node is one path: its parent path, its last segment and what is known about it.
type node struct {
	parent   uint32
	off, n   uint32 // the segment in names, for a hashed node
	key, val pos32  // Line 0 means not recorded: lines start at 1
	// count is the number of elements of an array value (their nodes are elems[first : first+count])
	// or of entries of an array of tables (children named "0", "1", …, hashed as any key is).
	count, first uint32
	kind         uint8
}

// Kinds of node that have numbered children.
const (
	plain        = iota
	arrayValue   // a = [ … ]
	arrayOfTable // [[a]]
)

// pos32 halves the size of positions in the index; a document of 2^31 lines is not a TOML inventory.
type pos32 struct{ line, col int32 }

func (p pos32) pos() position { return position{int(p.line), int(p.col)} }

func newPos32(line, col int) pos32 {
	return pos32{int32(min(line, math.MaxInt32)), int32(min(col, math.MaxInt32))}
}

// key returns the position of the key that defines path:
//   - for `a.b = 1`, path [a b] is the position of `b`, and [a] that of `a` (dotted keys define their
//     parent tables);
//   - for a table header `[services.app]`, path [services app] is the position of `app` in the first
//     header that names it, and [services] that of `services` there (unless defined earlier);
//   - for `[[waiver]]`, [waiver] is `waiver` in the first such header and [waiver N] is `waiver` in
//     the header of entry N;
//   - keys inside inline tables, including inline tables inside arrays, are at their own position,
//     e.g. [a 0 b] for `a = [{ b = 1 }]`.
//
// Array elements have no key: key on an element path reports false; use value or nearest.
func (ix *index) key(path ...string) (position, bool) {
	if i := ix.find(path); i > 0 && ix.nodes[i].key.line > 0 {
		return ix.nodes[i].key.pos(), true
	}
	return position{}, false
}

// value returns the position of the first character of the value at path: the opening quote of a
// string, `[` of an array, `{` of an inline table, the first character of a number, bool or date.
// Array elements are addressed by their decimal index as a path segment, so
// value("services", "app", "runs_on", "1") is the second element of runs_on. Tables defined by
// headers or dotted keys have no value position: value reports false for them; use key or nearest.
func (ix *index) value(path ...string) (position, bool) {
	if i := ix.find(path); i > 0 && ix.nodes[i].val.line > 0 {
		return ix.nodes[i].val.pos(), true
	}
	return position{}, false
}

// nearest returns the position of the longest prefix of path that is indexed, its value's position if
// it has one and its key's otherwise, so that a caller reporting on something missing or misspelt can
// still point at the closest enclosing thing. It reports false only when not even path[0] is indexed.
func (ix *index) nearest(path ...string) (position, bool) {
	if ix == nil {
		return position{}, false
	}
	var at uint32
	var best position
	for _, seg := range path {
		i, ok := lookup(ix, at, seg)
		if !ok {
			break
		}
		at = i
		// A node has a key or a value, except an array element the scanner stopped at.
		if nd := &ix.nodes[at]; nd.val.line > 0 {
			best = nd.val.pos()
		} else if nd.key.line > 0 {
			best = nd.key.pos()
		}
	}
	return best, best.line > 0
}

// find returns the node of path, or 0 (the root, never a match) if it is not indexed.
func (ix *index) find(path []string) uint32 {
	if ix == nil {
		return 0
	}
	var at uint32
	for _, seg := range path {
		i, ok := lookup(ix, at, seg)
		if !ok {
			return 0
		}
		at = i
	}
	return at
}

// hash hashes a segment together with its parent node: FNV-1a over the bytes, then a 64-bit
// finaliser so that the low bits that pick a slot depend on every input bit.
func hash[T string | []byte](parent uint32, seg T) uint32 {
	h := uint64(14695981039346656037) ^ uint64(parent)*0x9E3779B97F4A7C15
	for i := 0; i < len(seg); i++ {
		h ^= uint64(seg[i])
		h *= 1099511628211
	}
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	h *= 0xc4ceb9fe1a85ec53
	h ^= h >> 33
	return uint32(h)
}

// lookup returns the child of parent named seg, if indexed.
func lookup(ix *index, parent uint32, seg string) (uint32, bool) {
	if nd := &ix.nodes[parent]; nd.kind == arrayValue {
		if k, ok := decimal(seg); ok && k < nd.count {
			return ix.elems[nd.first+k], true
		}
		return 0, false
	}
	if len(ix.slots) == 0 {
		return 0, false
	}
	h := hash(parent, seg)
	mask := uint32(len(ix.slots) - 1)
	for j := h & mask; ; j = (j + 1) & mask {
		sl := ix.slots[j]
		if sl == 0 {
			return 0, false
		}
		if uint32(sl>>32) == h {
			i := uint32(sl)
			if nd := &ix.nodes[i]; nd.parent == parent && string(ix.names[nd.off:nd.off+nd.n]) == string(seg) {
				return i, true
			}
		}
	}
}

// decimal parses an array index as the builder writes it: digits, without a sign or a leading zero.
func decimal(seg string) (uint32, bool) {
	if seg == "" || len(seg) > 9 || len(seg) > 1 && seg[0] == '0' {
		return 0, false
	}
	var k uint32
	for i := 0; i < len(seg); i++ {
		if seg[i] < '0' || seg[i] > '9' {
			return 0, false
		}
		k = k*10 + uint32(seg[i]-'0')
	}
	return k, true
}

// child returns the child of parent named seg, creating it if needed, in a single probe sequence.
func (ix *index) child(parent uint32, seg []byte) uint32 {
	if 2*len(ix.nodes) >= len(ix.slots) { // keep the load under one half so that probes stay short
		ix.grow()
	}
	h := hash(parent, seg)
	mask := uint32(len(ix.slots) - 1)
	j := h & mask
	for ; ix.slots[j] != 0; j = (j + 1) & mask {
		if sl := ix.slots[j]; uint32(sl>>32) == h {
			i := uint32(sl)
			if nd := &ix.nodes[i]; nd.parent == parent && string(ix.names[nd.off:nd.off+nd.n]) == string(seg) {
				return i
			}
		}
	}
	i := uint32(len(ix.nodes))
	ix.nodes = append(ix.nodes, node{parent: parent, off: uint32(len(ix.names)), n: uint32(len(seg))})
	ix.names = append(ix.names, seg...)
	ix.slots[j] = uint64(h)<<32 | uint64(i)
	return i
}

// grow doubles the slot table, re-placing every node by the hash kept in its slot.
func (ix *index) grow() {
	old := ix.slots
	ix.slots = make([]uint64, max(2*len(old), 64))
	mask := uint32(len(ix.slots) - 1)
	for _, sl := range old {
		if sl == 0 {
			continue
		}
		j := uint32(sl>>32) & mask
		for ix.slots[j] != 0 {
			j = (j + 1) & mask
		}
		ix.slots[j] = sl
	}
}

// buildIndex indexes src, which is expected to be valid TOML (callers decode it with BurntSushi
// first). On input the scanner cannot follow, it keeps what was indexed up to there. When a path is
// defined twice (only possible in invalid TOML) the first definition wins. The index keeps no
// reference to src.
func buildIndex(src []byte) *index {
	// Sized for an inventory's density (a path per 15 to 20 bytes, names a fifth to a third of the
	// text) so that big documents rarely regrow: rehashing a table of a million slots is a tenth of
	// the time of a scan.
	n := 1 + min(len(src), maxSize)/16
	ix := &index{
		nodes: make([]node, 1, n),
		names: make([]byte, 0, min(len(src), maxSize)/4),
		slots: make([]uint64, max(64, 1<<bits.Len(uint(2*n-1)))),
	}
	scan(src, &indexBuilder{ix: ix})
	return ix
}

// indexBuilder builds an index from what the scanner reads.
type indexBuilder struct {
	ix *index
	// table is the node of the current [table] or [[array]] entry, which top-level keys start from.
	table uint32
	// next is the node of the value that comes next.
	next uint32
	// stack holds the arrays and inline tables being read, innermost last.
	stack []frame
	// elems is a stack of the element nodes of the open arrays: each array's are moved to the index
	// when it closes, so that they are contiguous there even when nested arrays close in between.
	elems []uint32
	// num formats array indexes as path segments without allocating.
	num [20]byte
}

// frame is an open array or inline table: its node and, for an array, where its elements start in
// indexBuilder.elems.
type frame struct {
	node  uint32
	elems int
	array bool
}

func (b *indexBuilder) blank()                    {}
func (b *indexBuilder) comment(_, _ int)          {}
func (b *indexBuilder) trailing(_, _ int)         {}
func (b *indexBuilder) atom(_, _ int, p position) { b.setValue(b.next, p) }

// setKey records p as the key position of node i unless one is recorded already: for valid TOML
// that keeps the first header naming a table, and for invalid TOML the first definition.
func (b *indexBuilder) setKey(i uint32, p position) {
	if nd := &b.ix.nodes[i]; nd.key.line == 0 {
		nd.key = newPos32(p.line, p.col)
	}
}

// setValue records p as the value position of node i unless one is recorded already.
func (b *indexBuilder) setValue(i uint32, p position) {
	if nd := &b.ix.nodes[i]; nd.val.line == 0 {
		nd.val = newPos32(p.line, p.col)
	}
}

// entry returns the child of node i for the entry n of an array of tables.
func (b *indexBuilder) entry(i uint32, n int) uint32 {
	return b.ix.child(i, strconv.AppendInt(b.num[:0], int64(n), 10))
}

func (b *indexBuilder) header(key []keySeg, array bool) {
	var at uint32
	for j, g := range key {
		at = b.ix.child(at, g.text)
		b.setKey(at, g.pos)
		if j == len(key)-1 && array {
			// The array itself keeps its first header; the new entry gets this one.
			nd := &b.ix.nodes[at]
			nd.kind = arrayOfTable
			n := nd.count
			nd.count++
			at = b.entry(at, int(n))
			b.setKey(at, g.pos)
		} else if nd := &b.ix.nodes[at]; nd.kind == arrayOfTable && nd.count > 0 {
			// A header through an array of tables means its latest entry: [a.b] after [[a]] is in a's last.
			at = b.entry(at, int(nd.count-1))
		}
	}
	b.table = at
}

func (b *indexBuilder) key(key []keySeg) {
	at := b.table
	if n := len(b.stack); n > 0 {
		at = b.stack[n-1].node
	}
	for _, g := range key {
		at = b.ix.child(at, g.text)
		b.setKey(at, g.pos)
	}
	b.next = at
}

func (b *indexBuilder) element() {
	el := uint32(len(b.ix.nodes))
	b.ix.nodes = append(b.ix.nodes, node{parent: b.stack[len(b.stack)-1].node})
	b.elems = append(b.elems, el)
	b.next = el
}

func (b *indexBuilder) open(c byte, _ int, p position) {
	b.setValue(b.next, p)
	b.stack = append(b.stack, frame{node: b.next, elems: len(b.elems), array: c == '['})
}

func (b *indexBuilder) close(_ int, _ bool) {
	f := b.stack[len(b.stack)-1]
	b.stack = b.stack[:len(b.stack)-1]
	if !f.array {
		return
	}
	if nd := &b.ix.nodes[f.node]; nd.kind == plain { // the first definition wins, in invalid TOML
		nd.kind, nd.first, nd.count = arrayValue, uint32(len(b.ix.elems)), uint32(len(b.elems)-f.elems)
		b.ix.elems = append(b.ix.elems, b.elems[f.elems:]...)
	}
	b.elems = b.elems[:f.elems]
}
