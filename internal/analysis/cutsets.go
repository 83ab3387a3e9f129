package analysis

import (
	"cmp"
	"slices"
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
	if c := cmp.Compare(a.n, b.n); c != 0 {
		return c
	}
	return slices.Compare(a.ids(), b.ids())
}

func (a cut) has(x int32) bool {
	for _, y := range a.ids() {
		if y == x {
			return true
		}
	}
	return false
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

// minimize sorts f and removes duplicates and supersets, returning the minimal family.
func minimize(f family) family {
	if len(f) <= 1 {
		return f
	}
	slices.SortFunc(f, cut.compare)
	f = slices.CompactFunc(f, func(a, b cut) bool { return a == b })
	if f[0].n == f[len(f)-1].n {
		return f // sets of one size cannot contain each other
	}
	kept := make(map[cut]struct{}, len(f))
	out := f[:0]
	for _, c := range f {
		if hasSubsetIn(c, kept) {
			continue
		}
		kept[c] = struct{}{}
		out = append(out, c)
	}
	return out
}

// hasSubsetIn reports whether a proper, non-empty subset of c is in kept... or the empty set, which is
// the family's "always down" member.
func hasSubsetIn(c cut, kept map[cut]struct{}) bool {
	n := int(c.n)
	for mask := 0; mask < (1<<n)-1; mask++ {
		var s cut
		for i := range n {
			if mask&(1<<i) != 0 {
				s.v[s.n] = c.v[i]
				s.n++
			}
		}
		if _, ok := kept[s]; ok {
			return true
		}
	}
	return false
}

// product returns the minimal sets, of at most k elements, that contain a set of f and a set of g:
// the failures that put both down.
func product(f, g family, k int) family {
	var out family
	for _, a := range f {
		for _, b := range g {
			if u, ok := union(a, b, k); ok {
				out = append(out, u)
			}
		}
	}
	return minimize(out)
}

// families computes, for every entity, the minimal cut sets of order at most k that put it down, the
// entity itself included as {e}. As for singles, it runs over the components dependencies-first, with
// a Kleene iteration inside cycles; truncating to k elements is exact because every operation is
// monotone: a minimal set of at most k elements is only ever built from sets no larger than itself.
func (c *compiled) families(sccs [][]int32, k int) []family {
	fam := make([]family, c.inv.Len())
	for _, comp := range sccs {
		for _, e := range comp {
			fam[e] = family{single(e)}
		}
		if len(comp) == 1 && !containsInt32(c.deps[comp[0]], comp[0]) {
			fam[comp[0]] = c.entityFamily(fam, comp[0], k)
			continue
		}
		for changed := true; changed; {
			changed = false
			for _, e := range comp {
				next := c.entityFamily(fam, e, k)
				if !slices.Equal(next, fam[e]) {
					fam[e], changed = next, true
				}
			}
		}
	}
	return fam
}

func single(e int32) cut { return cut{n: 1, v: [MaxOrder]int32{e}} }

// entityFamily returns {e} together with the minimal sets that leave e's requirements unmet.
func (c *compiled) entityFamily(fam []family, e int32, k int) family {
	if c.root[e] < 0 {
		return family{single(e)}
	}
	f := c.exprFamily(fam, c.root[e], k)
	out := make(family, 0, len(f)+1)
	out = append(out, single(e))
	for _, s := range f {
		if !s.has(e) {
			out = append(out, s)
		}
	}
	return minimize(out)
}

// exprFamily returns the minimal sets that leave expression x unmet: those that put at least trip of
// its children down. It builds, child by child, the families of "at least j children down" (a dynamic
// programme over j), which avoids enumerating the combinations of children.
func (c *compiled) exprFamily(fam []family, x int32, k int) family {
	kids := c.children(x)
	trip := int(c.trip[x])
	if trip == 1 {
		var out family
		for _, ch := range kids {
			out = append(out, c.childFamily(fam, ch, k)...)
		}
		return minimize(out)
	}
	// atLeast[j] is the family of "at least j of the children seen so far are down"; atLeast[0] holds
	// the empty set: nothing needs to fail for zero children to be down.
	atLeast := make([]family, trip+1)
	atLeast[0] = family{{}}
	for i, ch := range kids {
		cf := c.childFamily(fam, ch, k)
		for j := min(i+1, trip); j >= 1; j-- {
			if len(atLeast[j-1]) == 0 {
				continue
			}
			more := product(atLeast[j-1], cf, k)
			if len(more) > 0 {
				atLeast[j] = minimize(append(slices.Clone(atLeast[j]), more...))
			}
		}
	}
	return atLeast[trip]
}

func (c *compiled) childFamily(fam []family, ch int32, k int) family {
	if ch < 0 {
		return c.exprFamily(fam, -ch-1, k)
	}
	return fam[ch]
}
