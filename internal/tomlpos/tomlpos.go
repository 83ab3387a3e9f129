// Package tomlpos finds where keys and values are in a TOML document. BurntSushi/toml decodes values
// but keeps no positions for them, and an error that says where is worth far more than one that does
// not; so the loader decodes with BurntSushi and asks this index where each thing it complains about is.
//
// Paths are the decoded key segments (quoted "a.b" is one segment, escapes resolved), with elements
// of arrays and entries of arrays of tables addressed by their decimal index: for
//
//	[[waiver]]
//	rule = "x"
//	[[waiver]]
//	rule = "y"
//	targets = ["a", { any_of = ["b", "c"] }]
//
// the second rule is Key("waiver", "1", "rule") and "c" is Value("waiver", "1", "targets", "1",
// "any_of", "1"). This differs from the paths that BurntSushi's MetaData.Keys reports, which leave the
// indexes out (and list [waiver rule] once per entry). Indexes are canonical: "01" finds nothing.
//
// The scanner is a single forward pass over the bytes, without regular expressions, and indexing is
// linear in the size of the document. It assumes a document the decoder accepted (TOML 1.0, and the
// TOML 1.1 additions BurntSushi accepts: newlines, comments and a trailing comma in inline tables,
// \e and \xHH escapes, times without seconds); on anything else it keeps what it indexed up to the
// first thing it cannot follow and never panics.
package tomlpos

import "math"

// Pos is a 1-based line and column. The column counts Unicode code points, a tab counting one, because
// that is what editors and compilers print and what a user can count to; a byte offset would be wrong
// after the first non-ASCII character.
type Pos struct{ Line, Col int }

// Index records where each key and each value of a TOML document is. It is immutable once Scan returns,
// so it may be shared between goroutines. A nil *Index finds nothing.
type Index struct {
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

func (p pos32) pos() Pos { return Pos{int(p.line), int(p.col)} }

func newPos32(line, col int) pos32 {
	return pos32{int32(min(line, math.MaxInt32)), int32(min(col, math.MaxInt32))}
}

// Key returns the position of the key that defines path:
//   - for `a.b = 1`, path [a b] is the position of `b`, and [a] that of `a` (dotted keys define their
//     parent tables);
//   - for a table header `[services.app]`, path [services app] is the position of `app` in the first
//     header that names it, and [services] that of `services` there (unless defined earlier);
//   - for `[[waiver]]`, [waiver] is `waiver` in the first such header and [waiver N] is `waiver` in
//     the header of entry N;
//   - keys inside inline tables, including inline tables inside arrays, are at their own position,
//     e.g. [a 0 b] for `a = [{ b = 1 }]`.
//
// Array elements have no key: Key on an element path reports false; use Value or Nearest.
func (ix *Index) Key(path ...string) (Pos, bool) {
	if i := ix.find(path); i > 0 && ix.nodes[i].key.line > 0 {
		return ix.nodes[i].key.pos(), true
	}
	return Pos{}, false
}

// Value returns the position of the first character of the value at path: the opening quote of a
// string, `[` of an array, `{` of an inline table, the first character of a number, bool or date.
// Array elements are addressed by their decimal index as a path segment, so
// Value("services", "app", "runs_on", "1") is the second element of runs_on. Tables defined by
// headers or dotted keys have no value position: Value reports false for them; use Key or Nearest.
func (ix *Index) Value(path ...string) (Pos, bool) {
	if i := ix.find(path); i > 0 && ix.nodes[i].val.line > 0 {
		return ix.nodes[i].val.pos(), true
	}
	return Pos{}, false
}

// Nearest returns the position of the longest prefix of path that is indexed, its value's position if
// it has one and its key's otherwise, so that a caller reporting on something missing or misspelt can
// still point at the closest enclosing thing. It reports false only when not even path[0] is indexed.
func (ix *Index) Nearest(path ...string) (Pos, bool) {
	if ix == nil {
		return Pos{}, false
	}
	var at uint32
	for _, seg := range path {
		i, ok := lookup(ix, at, seg)
		if !ok {
			break
		}
		at = i
	}
	// Every node but the root has a key or a value: nodes are created only to record one.
	switch nd := &ix.nodes[at]; {
	case at == 0:
		return Pos{}, false
	case nd.val.line > 0:
		return nd.val.pos(), true
	default:
		return nd.key.pos(), true
	}
}

// find returns the node of path, or 0 (the root, never a match) if it is not indexed.
func (ix *Index) find(path []string) uint32 {
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
func lookup(ix *Index, parent uint32, seg string) (uint32, bool) {
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

// decimal parses an array index as Scan writes it: digits, without a sign or a leading zero.
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
func (ix *Index) child(parent uint32, seg []byte) uint32 {
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
func (ix *Index) grow() {
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
