package analysis

// This file is the algebra of families of cut sets that cutsets.go computes with: sets as values,
// families sorted by size then IDs and cut short at an end, the keeper that minimises what it is
// offered in order, unions of families and products formed size by size.

import (
	"cmp"
	"math/bits"
	"slices"
	"sort"
)

// MaxOrder is the largest --max-order the cut-set search accepts.
const MaxOrder = 6

// cut is a set of at most MaxOrder entities, ascending. It is a value type so that families can be
// hashed and copied without allocation.
type cut struct {
	n uint8
	v [MaxOrder]int32
}

func (a cut) ids() []int32 { return a.v[:a.n] }

func (a cut) compare(b cut) int {
	if a.n != b.n {
		return cmp.Compare(a.n, b.n)
	}
	for i := range int(a.n) {
		if a.v[i] != b.v[i] {
			return cmp.Compare(a.v[i], b.v[i])
		}
	}
	return 0
}

// union returns a ∪ b and whether it has at most k elements.
func union(a, b cut, k int) (cut, bool) {
	var u cut
	i, j := 0, 0
	for i < int(a.n) || j < int(b.n) {
		if int(u.n) == k {
			return u, false
		}
		switch {
		case j == int(b.n) || (i < int(a.n) && a.v[i] < b.v[j]):
			u.v[u.n] = a.v[i]
			i++
		case i == int(a.n) || b.v[j] < a.v[i]:
			u.v[u.n] = b.v[j]
			j++
		default:
			u.v[u.n] = a.v[i]
			i++
			j++
		}
		u.n++
	}
	return u, true
}

// family is a set of minimal cut sets, sorted by size then lexicographically, with no member a superset
// of another: the minimal failure sets of order at most k that put something down.
type family []cut

// keeper accepts candidate sets in order (by size, then IDs) and keeps the minimal ones, at most
// budget sets of two or more elements (0: no limit; sets of one, the SPOFs, are always kept). Once
// full, the first minimal set it turns away becomes the end of what it kept.
type keeper struct {
	budget int
	end    cut
	// avoid, when set, holds entities whose sets of one dominate the family's consumer: a set
	// holding one of them is dominated too (see entityFamily).
	avoid *avoidSet
	// rel, when set, drops the sets of a quorum's intermediate family that cannot grow into one of
	// its cut sets (see relevance).
	rel  *relevance
	kept family
	// from[s] is how many kept sets have fewer than s elements: the sets of s elements are
	// kept[from[s]:from[s+1]], sorted, which is all a subset test needs.
	from  [MaxOrder + 2]int
	multi int // sets of two or more kept
	last  cut
	full  bool
}

func newKeeper(end cut, budget int) *keeper { return &keeper{budget: budget, end: end, last: whole} }

// offer considers c, which must not sort before the previous offer, and reports whether later offers
// can still matter.
func (k *keeper) offer(c cut) bool {
	if k.end.n != open && c.compare(k.end) >= 0 {
		return false
	}
	if c == k.last || k.dominated(c) {
		return true
	}
	k.last = c
	if c.n > 1 && k.budget > 0 && k.multi == k.budget {
		k.end = minCut(k.end, c)
		k.full = true
		return false
	}
	k.kept = append(k.kept, c)
	for s := int(c.n) + 1; s < len(k.from); s++ {
		k.from[s]++
	}
	if c.n > 1 {
		k.multi++
	}
	return true
}

// dominated reports whether a proper subset of c was kept. The sets offered so far are no larger than
// c, and a set is never the subset of another of its size.
func (k *keeper) dominated(c cut) bool {
	n := int(c.n)
	if n < 2 {
		return false
	}
	if k.rel != nil && !k.rel.ok(c) {
		return true
	}
	if k.avoid != nil {
		for _, x := range c.ids() {
			if k.avoid.has(x) {
				return true
			}
		}
	}
	if ones := k.kept[k.from[1]:k.from[2]]; len(ones) > 0 {
		for _, x := range c.ids() {
			if hasOne(ones, x) {
				return true
			}
		}
	}
	for s := 2; s < n; s++ {
		if sets := k.kept[k.from[s]:k.from[s+1]]; len(sets) > 0 && hasSubset(c, s, sets) {
			return true
		}
	}
	return false
}

// hasPair reports whether the sorted sets of two elements hold {x, y}, x < y.
func hasPair(pairs family, x, y int32) bool {
	lo, hi := 0, len(pairs)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if p := pairs[m].v; p[0] < x || p[0] == x && p[1] < y {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo < len(pairs) && pairs[lo].v[0] == x && pairs[lo].v[1] == y
}

// hasOne reports whether the sorted sets of one element hold {x}.
func hasOne(ones family, x int32) bool {
	lo, hi := 0, len(ones)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if ones[m].v[0] < x {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo < len(ones) && ones[lo].v[0] == x
}

// hasSubset reports whether one of the sorted sets of s elements is a subset of c.
func hasSubset(c cut, s int, sets family) bool {
	n := int(c.n)
	if n == 3 && s == 2 { // the common case, a triple against pairs
		v := c.v
		return hasPair(sets, v[0], v[1]) || hasPair(sets, v[0], v[2]) || hasPair(sets, v[1], v[2])
	}
	for mask := 1; mask < 1<<n; mask++ {
		if bits.OnesCount(uint(mask)) != s {
			continue
		}
		var sub cut
		for i := range n {
			if mask&(1<<i) != 0 {
				sub.v[sub.n] = c.v[i]
				sub.n++
			}
		}
		if _, ok := slices.BinarySearchFunc(sets, sub, cut.compare); ok {
			return true
		}
	}
	return false
}

func (k *keeper) result() fam { return fam{sets: k.kept, end: k.end, full: k.full} }

// stage collects the candidates of one size n for a keeper that holds every minimal set smaller than
// n: a candidate is then minimal unless a kept set is a subset of it, since sets of one size are never
// subsets of each other. With a budget only the need smallest distinct candidates can be kept or end
// the family, so the stage holds a few times that many at most: once it has pruned, a candidate that
// sorts after the need-th smallest seen so far costs one comparison. The products of two large
// families run to tens of thousands of triples, of which a hundred matter.
type stage struct {
	k     *keeper
	n     uint8
	need  int // distinct sets that can matter; 0: all
	limit cut // candidates from limit on cannot matter
	buf   family
	keys  *[]uint64 // scratch of prune
}

func (k *keeper) stage(n int, buf family, keys *[]uint64) *stage {
	need := 0
	if k.budget > 0 && n > 1 {
		need = k.budget - k.multi + 1 // the sets left to keep, then the one that ends the family
	}
	return &stage{k: k, n: uint8(n), need: need, limit: k.end, buf: buf[:0], keys: keys}
}

// add considers c and reports false when c, and so any later set, cannot matter.
func (s *stage) add(c cut) bool {
	if s.limit.n != open && c.compare(s.limit) >= 0 {
		return false
	}
	if c.n != s.n || s.k.dominated(c) {
		return true
	}
	s.buf = append(s.buf, c)
	if s.need > 0 && len(s.buf) >= 2*s.need+32 {
		s.prune()
	}
	return true
}

// prune sorts the candidates, drops repeats and, with a need, keeps the need smallest.
func (s *stage) prune() {
	if !sortPacked(s.buf, s.n, s.keys) {
		slices.SortFunc(s.buf, cut.compare)
	}
	s.buf = slices.Compact(s.buf)
	if s.need > 0 && len(s.buf) >= s.need {
		s.buf = s.buf[:s.need]
		s.limit = s.buf[s.need-1] // an equal candidate is a repeat, a larger one comes too late
	}
}

// sortPacked sorts sets of n elements, n at most 3, by packing each into an integer that sorts
// like it (21 bits per element), and reports false, leaving sets alone, when they do not fit. Sorting
// the candidates was a tenth of the cut-set time with a comparison function on the structs.
func sortPacked(sets family, n uint8, keys *[]uint64) bool {
	if n > 3 {
		return false
	}
	k := (*keys)[:0]
	for _, c := range sets {
		if c.v[0]|c.v[1]|c.v[2] >= 1<<21 {
			return false
		}
		k = append(k, uint64(c.v[0])<<42|uint64(c.v[1])<<21|uint64(c.v[2]))
	}
	slices.Sort(k)
	for i, x := range k {
		sets[i] = cut{n: n, v: [MaxOrder]int32{int32(x >> 42), int32(x >> 21 & (1<<21 - 1)), int32(x & (1<<21 - 1))}}
	}
	*keys = k
	return true
}

// flush offers the stage's sets to its keeper, smallest first, and returns the buffer for reuse.
func (s *stage) flush() family {
	s.prune()
	for _, c := range s.buf {
		if !s.k.offer(c) {
			break
		}
	}
	return s.buf
}

// unionOf returns the minimal sets of the union of families, each minimal and sorted, by merging them
// rather than sorting their concatenation, without the sets that avoid dominates (avoid may be nil).
// With multiOnly, it leaves out the sets of one (and the empty set): the union is an entity's family,
// whose sets of one are its SPOFs, known beforehand, and dominate through avoid.
//
// The sets are kept in *scratch, grown to the most the union can hold, then copied out at their
// number: a union of dozens of families keeps a few of their sets, and sizing each result for all
// of them made most of the analysis' garbage and a third of its families' memory on dense platforms.
func unionOf(fams []fam, budget int, avoid *avoidSet, multiOnly bool, scratch *family) fam {
	end := whole
	for _, f := range fams {
		end = minCut(end, f.end)
	}
	k := newKeeper(end, budget)
	k.avoid = avoid
	// The kept list is sized once: at most every set, and with a budget at most every set of one
	// and budget more.
	pos := make([]int, len(fams))
	total, nOnes := 0, 0
	for i, f := range fams {
		first := sort.Search(len(f.sets), func(i int) bool { return f.sets[i].n > 1 })
		if multiOnly {
			pos[i] = first
		} else {
			nOnes += first
		}
		total += len(f.sets) - pos[i]
	}
	if budget > 0 {
		total = min(total, nOnes+budget)
	}
	if cap(*scratch) < total {
		*scratch = make(family, 0, total)
	}
	k.kept = (*scratch)[:0]
	// A heap of the families by their next set: an entity that looks through its references merges
	// dozens of families, and scanning them all for each set was most of the merge.
	heap := make([]int32, 0, len(fams))
	less := func(a, b int32) bool { return fams[a].sets[pos[a]].compare(fams[b].sets[pos[b]]) < 0 }
	down := func(i int) {
		for {
			l, r, m := 2*i+1, 2*i+2, i
			if l < len(heap) && less(heap[l], heap[m]) {
				m = l
			}
			if r < len(heap) && less(heap[r], heap[m]) {
				m = r
			}
			if m == i {
				return
			}
			heap[i], heap[m] = heap[m], heap[i]
			i = m
		}
	}
	for i, f := range fams {
		if pos[i] < len(f.sets) {
			heap = append(heap, int32(i))
		}
	}
	for i := len(heap)/2 - 1; i >= 0; i-- {
		down(i)
	}
	for len(heap) > 0 {
		best := heap[0]
		if !k.offer(fams[best].sets[pos[best]]) {
			break
		}
		if pos[best]++; pos[best] == len(fams[best].sets) {
			heap[0] = heap[len(heap)-1]
			heap = heap[:len(heap)-1]
		}
		down(0)
	}
	if cap(k.kept) <= maxUnionScratch {
		*scratch = k.kept[:0]
	} else {
		*scratch = nil // a rare huge union: not held for the rest of the analysis
	}
	out := k.result()
	out.sets = append(make(family, 0, len(out.sets)), out.sets...)
	return out
}

// maxUnionScratch is the most sets a solver keeps between unions (28 bytes each).
const maxUnionScratch = 1 << 18

// avoidSet marks entities, all at once and for one computation at a time: a mark per entity and a
// generation, so that starting over costs nothing.
type avoidSet struct {
	mark []uint32
	gen  uint32
}

// set marks e and ones, and nothing else.
func (a *avoidSet) set(e int32, ones []int32) {
	a.gen++
	if a.gen == 0 { // wrapped: old marks could match again
		clear(a.mark)
		a.gen = 1
	}
	a.mark[e] = a.gen
	for _, x := range ones {
		a.mark[x] = a.gen
	}
}

func (a *avoidSet) has(x int32) bool { return a.mark[x] == a.gen }

// holds reports whether c holds a marked entity.
func (a *avoidSet) holds(c *cut) bool {
	for _, x := range c.ids() {
		if a.mark[x] == a.gen {
			return true
		}
	}
	return false
}

// pairing forms the unions of a set of one family and a set of another: the failures that put both
// down. Disjoint partners have sizes that add up to the union's; partners too large for that must
// overlap, so they are looked up by element.
type pairing struct {
	f, g  family            // both sorted by size; f is the smaller
	start [MaxOrder + 2]int // start[s]: the first set of g with s elements or more
	elems *elemIndex        // the sets of g by element, built on first use
	built bool
}

func newPairing(f, g family, elems *elemIndex) *pairing {
	if len(f) > len(g) {
		f, g = g, f
	}
	p := &pairing{f: f, g: g, elems: elems}
	for s := range p.start {
		p.start[s], _ = slices.BinarySearchFunc(g, s, func(c cut, s int) int { return cmp.Compare(int(c.n), s) })
	}
	return p
}

// done leaves the element index clean for the next pairing.
func (p *pairing) done() {
	if p.built {
		p.elems.reset()
	}
}

// elemIndex lists, for each entity, the sets of a family that hold it. One worker reuses it from one
// product to the next: a head per entity, all -1 between uses, and linked lists of set indexes, so
// that building it allocates nothing once warm (a map per product was a tenth of the cut-set time).
type elemIndex struct {
	head    []int32 // per entity: its first entry, or -1
	next    []int32 // per entry: the next entry of the same entity, or -1
	set     []int32 // per entry: the index of the set
	touched []int32 // entities whose head is set
}

func (ix *elemIndex) build(g family) {
	for j, b := range g {
		for _, x := range b.ids() {
			if ix.head[x] < 0 {
				ix.touched = append(ix.touched, x)
			}
			ix.next = append(ix.next, ix.head[x])
			ix.set = append(ix.set, int32(j))
			ix.head[x] = int32(len(ix.set) - 1)
		}
	}
}

func (ix *elemIndex) reset() {
	for _, x := range ix.touched {
		ix.head[x] = -1
	}
	ix.touched, ix.next, ix.set = ix.touched[:0], ix.next[:0], ix.set[:0]
}

// into adds to st every union that has exactly n elements, some more than once; the stage minimises
// them.
//
// The union of a with disjoint partners of one size grows with the partner (lexicographically: up to
// the first element where two partners differ both unions hold the same elements), so once the stage
// turns one away the rest of that run cannot matter either. That spares forming most of the triples
// of two large families.
func (p *pairing) into(n int, st *stage) {
	g, start := p.g, &p.start
	for _, a := range p.f {
		an := int(a.n)
		if an > n {
			return // f is sorted by size
		}
		for _, b := range g[start[n-an]:start[n-an+1]] {
			if u, ok := union(a, b, n); ok && int(u.n) == n && !st.add(u) {
				break
			}
		}
		if an == 0 || start[n-an+1] == start[n+1] {
			continue // no partner large enough to need an overlap
		}
		if !p.built {
			p.elems.build(g)
			p.built = true
		}
		ix := p.elems
		for _, x := range a.ids() {
			for at := ix.head[x]; at >= 0; at = ix.next[at] {
				if b := g[ix.set[at]]; int(b.n) > n-an && int(b.n) <= n {
					if u, ok := union(a, b, n); ok && int(u.n) == n {
						st.add(u)
					}
				}
			}
		}
	}
}

// fam is a family of minimal cut sets, possibly cut short: it holds exactly the minimal sets that
// sort before end (by size, then IDs), and end is open (n == open) when the family is whole.
//
// Cutting short is what keeps large inventories tractable: a service that depends on two others
// through an any_of has as many minimal triples as the product of their singles and pairs, which runs
// to millions on a 100,000-entity platform. The prefix stays exact under every operation because a
// subset sorts before its superset: a set below end is built only from sets below the ends of its
// inputs.
type fam struct {
	sets family
	end  cut
	// full reports that the family's own budget set its end, rather than the ends of the families
	// it was computed from.
	full bool
}

// open marks a whole family's end: it sorts after every real set.
const open = 255

var whole = cut{n: open}

// below returns the part of f that sorts before end, which must not be after f's own end.
func (f fam) below(end cut) fam {
	i, _ := slices.BinarySearchFunc(f.sets, end, cut.compare)
	return fam{sets: f.sets[:i:i], end: end}
}

func minCut(a, b cut) cut {
	if b.n == open || a.n != open && a.compare(b) <= 0 {
		return a
	}
	return b
}
