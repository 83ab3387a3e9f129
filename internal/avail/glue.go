package avail

import (
	"math"
	"slices"
)

// This file bounds a module whose BDD outgrows its budget: typically the OR of dozens of redundancy
// groups that share hypervisor clusters, the sharing making every variable order exponential.
//
// It conditions on the glue, the inputs reached from the module's root by two paths or more
// (factoring, the pivotal decomposition of network reliability): given the state g of every glue
// input, what is left of the module is a tree whose subtrees share nothing, so P(module | g) is
// computed bottom-up (1 − ∏(1 − p) for an OR, ∏ p for an AND, the Poisson-binomial tail for a
// threshold), and from one state to the next only the ancestors of the failed glue inputs change.
// Summing P(g)·P(module | g) over the states with at most j glue failures gives a lower bound L_j,
// exact for those states. For an OR root the pairs (j = 2) cost little: most pairs of glue inputs
// are read by different arguments, and their conditional probability follows in closed form from
// the states with one failure (pairs).
//
// The states with more failures add P(module ∧ more than j glue failures), bounded from the top
// down (rest): for an input, exactly (its probability times the tail of the glue); for a gate with
// few glue inputs below it, over their states; for an OR or a threshold, by the sum of its
// arguments' terms (it is down only if one of them is); for an AND, by splitting each argument
// into the private inputs it alone reads and the rest. In the rare-event regime of availability
// that remainder is orders of magnitude below P(more than j glue failures), and the interval
// [L_j, L_j + remainder] is narrow at j = 1 or 2. j grows while the work budget allows, or until the
// interval is narrower than widthTarget.

// maxGateGlue is the most glue inputs below a gate whose remainder term may be computed over all
// their states (the default of limits.gateGlue, and its ceiling).
const maxGateGlue = 6

// widthTarget is the width of a conditioned module's interval at which the enumeration stops: a
// billionth of a probability, half a second of downtime a year, far below what any SLO can tell.
const widthTarget = 1e-9

// factored is a module prepared for conditioning: its nodes numbered inputs first, then gates in
// postorder, the root last. Lists are flat (the arguments of x are kids[kidsAt[x]:kidsAt[x+1]]) and
// every slice is reused from one module to the next.
type factored struct {
	op             []gop
	k              []int32
	kidsAt, kids   []int32
	ni             int     // nodes below ni are inputs
	glue           []int32 // glue inputs, ascending
	gluePos        []int32 // per input: its position in glue, or -1
	parentsAt      []int32 // the distinct parents of x: parents[parentsAt[x]:parentsAt[x+1]]
	parents        []int32
	belowAt, below []int32 // glue positions below gate x, ascending, unless tooMany[x]
	tooMany        []bool  // more than gateGlue glue inputs below
	gateGlue       int
	pLo, pHi       []float64
	work           int
	// scratch
	scratch  []float64
	mark     []int32
	markGen  int32
	paths    []uint8
	readers  []int32
	keep     []bool
	newIdx   []int32
	op2      []gop
	k2       []int32
	kidsAt2  []int32
	kids2    []int32
	lo2, hi2 []float64
	pseudoOf []int32 // per gate: its merged input, or -1
	private  []int32
	stack    []int32
	sub      []int32
	countBuf []int32
	belowBuf []int32
}

func (f *factored) args(x int32) []int32 { return f.kids[f.kidsAt[x]:f.kidsAt[x+1]] }

func (f *factored) parentsOf(x int32) []int32 { return f.parents[f.parentsAt[x]:f.parentsAt[x+1]] }

func (f *factored) belowOf(x int32) []int32 { return f.below[f.belowAt[x]:f.belowAt[x+1]] }

// factor numbers mo's nodes for conditioning (mo numbered in w.loc), in w's reused factored.
func (w *worker) factor(mo *modInputs) *factored {
	c := w.b.c
	f := &w.fac
	ni, ng := len(mo.inputs), len(mo.gates)
	n := ni + ng + 1
	f.ni, f.work = ni, 0
	f.gateGlue = min(w.opts.limits.gateGlue, maxGateGlue)
	f.op = resize(f.op, n)
	f.k = resize(f.k, n)
	f.kidsAt = resize(f.kidsAt, n+1)[:0]
	f.kids = f.kids[:0]
	for range ni {
		f.kidsAt = append(f.kidsAt, 0)
	}
	local := func(xs []int32) {
		for _, a := range xs {
			l, _ := w.loc.get(a)
			f.kids = append(f.kids, l)
		}
	}
	for gi, g := range mo.gates {
		x := ni + gi
		f.op[x], f.k[x] = c.op[g], c.k[g]
		f.kidsAt = append(f.kidsAt, int32(len(f.kids)))
		local(c.argsOf(g))
	}
	root := n - 1
	f.op[root], f.k[root] = mo.op, mo.k
	f.kidsAt = append(f.kidsAt, int32(len(f.kids)))
	local(mo.args)
	f.kidsAt = append(f.kidsAt, int32(len(f.kids)))
	f.pLo, f.pHi = mo.lo, mo.hi
	f.merge()
	ni, n, root = f.ni, len(f.op), len(f.op)-1
	// Paths from the root, saturated at two: parents come after their children.
	f.paths = resize(f.paths, n)
	clear(f.paths)
	f.paths[root] = 1
	for x := root; x >= ni; x-- {
		for _, a := range f.args(int32(x)) {
			f.paths[a] = min(2, f.paths[a]+f.paths[x])
		}
	}
	f.glue = f.glue[:0]
	f.gluePos = resize(f.gluePos, ni)
	for i := range ni {
		f.gluePos[i] = -1
		if f.paths[i] >= 2 {
			f.gluePos[i] = int32(len(f.glue))
			f.glue = append(f.glue, int32(i))
		}
	}
	// Distinct parents, by counting sort.
	f.countBuf = resize(f.countBuf, n+1)
	clear(f.countBuf)
	f.mark = resize(f.mark, n)
	clear(f.mark)
	for x := ni; x < n; x++ {
		for _, a := range f.args(int32(x)) {
			if f.mark[a] != int32(x)+1 {
				f.mark[a] = int32(x) + 1
				f.countBuf[a+1]++
			}
		}
	}
	f.parentsAt = resize(f.parentsAt, n+1)
	f.parentsAt[0] = 0
	for x := range n {
		f.parentsAt[x+1] = f.parentsAt[x] + f.countBuf[x+1]
	}
	f.parents = resize(f.parents, int(f.parentsAt[n]))
	copy(f.countBuf, f.parentsAt[:n])
	clear(f.mark)
	for x := ni; x < n; x++ {
		for _, a := range f.args(int32(x)) {
			if f.mark[a] != int32(x)+1 {
				f.mark[a] = int32(x) + 1
				f.parents[f.countBuf[a]] = int32(x)
				f.countBuf[a]++
			}
		}
	}
	// The glue below each gate, while there are few.
	f.belowAt = resize(f.belowAt, n+1)
	f.below = f.below[:0]
	f.tooMany = resize(f.tooMany, n)
	for x := range ni + 1 {
		f.belowAt[x] = 0
	}
	for x := ni; x < n; x++ {
		b := f.belowBuf[:0]
		over := false
		for _, a := range f.args(int32(x)) {
			switch {
			case int(a) < ni:
				if gp := f.gluePos[a]; gp >= 0 {
					b = append(b, gp)
				}
			case f.tooMany[a]:
				over = true
			default:
				b = append(b, f.belowOf(a)...)
			}
		}
		slices.Sort(b)
		b = slices.Compact(b)
		f.belowBuf = b
		f.tooMany[x] = over || len(b) > f.gateGlue
		if !f.tooMany[x] {
			f.below = append(f.below, b...)
		}
		f.belowAt[x+1] = int32(len(f.below))
	}
	f.markGen = 0
	clear(f.mark)
	return f
}

// resize returns s with length n, reusing its memory when it can; the content is unspecified.
func resize[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n, n+n/4)
	}
	return s[:n]
}

// merge replaces the inputs that only one OR (AND) reads by one input per gate, their OR (AND),
// whose probability is known: SCRAM's grouping of a gate's modular arguments. A shared gate's
// private inputs would otherwise each be glue.
func (f *factored) merge() {
	ni, n := f.ni, len(f.op)
	f.readers = resize(f.readers, ni)
	clear(f.readers)
	for x := ni; x < n; x++ {
		args := f.args(int32(x))
		for i, a := range args {
			if int(a) < ni && !slices.Contains(args[:i], a) {
				f.readers[a]++
			}
		}
	}
	f.keep = resize(f.keep, ni)
	for i := range ni {
		f.keep[i] = f.readers[i] != 1
	}
	f.pseudoOf = resize(f.pseudoOf, n)
	f.lo2, f.hi2 = f.lo2[:0], f.hi2[:0]
	var pseudoLo, pseudoHi []float64 // by gate, in order
	pseudos := 0
	for x := ni; x < n; x++ {
		f.pseudoOf[x] = -1
		op := f.op[x]
		args := f.args(int32(x))
		f.private = f.private[:0]
		for _, a := range args {
			if int(a) < ni && f.readers[a] == 1 {
				f.private = append(f.private, a)
			}
		}
		if (op != gOr && op != gAnd) || len(f.private) < 2 || hasDuplicates(args) {
			for _, a := range f.private {
				f.keep[a] = true
			}
			continue
		}
		lo, hi := 0.0, 0.0
		if op == gAnd {
			lo, hi = 1, 1
		}
		for _, a := range f.private {
			if op == gAnd {
				lo *= f.pLo[a]
				hi *= f.pHi[a]
			} else {
				lo = f.pLo[a] + (1-f.pLo[a])*lo
				hi = f.pHi[a] + (1-f.pHi[a])*hi
			}
		}
		f.pseudoOf[x] = int32(pseudos)
		pseudos++
		pseudoLo, pseudoHi = append(pseudoLo, lo), append(pseudoHi, hi)
	}
	if pseudos == 0 {
		return
	}
	// Renumber: the inputs kept, then one per merged gate, then the gates.
	f.newIdx = resize(f.newIdx, ni)
	for i := range ni {
		f.newIdx[i] = -1
		if f.keep[i] {
			f.newIdx[i] = int32(len(f.lo2))
			f.lo2, f.hi2 = append(f.lo2, f.pLo[i]), append(f.hi2, f.pHi[i])
		}
	}
	first := int32(len(f.lo2))
	f.lo2, f.hi2 = append(f.lo2, pseudoLo...), append(f.hi2, pseudoHi...)
	ni2 := len(f.lo2)
	shift := int32(ni2 - ni)
	size := ni2 + n - ni
	f.op2, f.k2 = resize(f.op2, size), resize(f.k2, size)
	f.kidsAt2 = resize(f.kidsAt2, size+1)[:0]
	f.kids2 = f.kids2[:0]
	for range ni2 {
		f.kidsAt2 = append(f.kidsAt2, 0)
	}
	for x := ni; x < n; x++ {
		y := int(int32(x) + shift)
		f.op2[y], f.k2[y] = f.op[x], f.k[x]
		f.kidsAt2 = append(f.kidsAt2, int32(len(f.kids2)))
		for _, a := range f.args(int32(x)) {
			switch {
			case int(a) >= ni:
				f.kids2 = append(f.kids2, a+shift)
			case f.newIdx[a] >= 0:
				f.kids2 = append(f.kids2, f.newIdx[a])
			}
		}
		if pi := f.pseudoOf[x]; pi >= 0 {
			f.kids2 = append(f.kids2, first+pi)
		}
	}
	f.kidsAt2 = append(f.kidsAt2, int32(len(f.kids2)))
	f.op, f.op2 = f.op2, f.op
	f.k, f.k2 = f.k2, f.k
	f.kidsAt, f.kidsAt2 = f.kidsAt2, f.kidsAt
	f.kids, f.kids2 = f.kids2, f.kids
	f.ni = ni2
	// The probabilities now live in lo2/hi2, mo's arrays untouched: the next module's merge
	// starts from mo's arrays again.
	f.pLo, f.pHi = f.lo2, f.hi2
}

func hasDuplicates(xs []int32) bool {
	for i, x := range xs {
		if slices.Contains(xs[:i], x) {
			return true
		}
	}
	return false
}

// eval returns the probability of gate x from its arguments' values, independent given the glue.
func (f *factored) eval(x int32, val []float64) float64 {
	kids := f.args(x)
	f.work += len(kids)
	switch f.op[x] {
	case gOr:
		acc := 0.0
		for _, a := range kids {
			acc = val[a] + (1-val[a])*acc
		}
		return acc
	case gAnd:
		acc := 1.0
		for _, a := range kids {
			acc *= val[a]
		}
		return acc
	}
	ps := f.scratch[:0]
	for _, a := range kids {
		ps = append(ps, val[a])
	}
	f.scratch = ps
	return tail(ps, int(f.k[x])-1)
}

// side is the conditioning at one end of the inputs' intervals; its slices are reused.
type side struct {
	f    *factored
	p    []float64 // probability of each input
	base []float64 // every node's value when no glue input fails
	val  []float64
	sum  float64 // Σ P(g)·P(module | g) over the states summed so far
	// For an OR gate, the factors are 1 − p of its arguments, for an AND p: zeros counts the
	// arguments whose factor is 0 when no glue input fails, prod multiplies the others.
	zeros []int32
	prod  []float64
	// The state being evaluated: the gates to update (a heap: children first), the arguments of
	// each that changed (pending[pendingAt[x]:pendingAt[x]+pendingN[x]]), and the nodes changed.
	todo      gateHeap
	pendingN  []int32
	pendingAt []int32
	pending   []int32
	queued    []bool
	changed   []int32
	// remainder scratch
	r rest
	// none is P(module | no glue failure) and single[gp] P(module | only glue gp fails), from the
	// levels 0 and 1, for the pairs (pairs).
	none   float64
	single []float64
}

// reset prepares s for the probabilities p of f's inputs.
func (s *side) reset(f *factored, p []float64) {
	n := len(f.op)
	s.f, s.p, s.sum = f, p, 0
	s.base, s.val = resize(s.base, n), resize(s.val, n)
	s.zeros, s.prod = resize(s.zeros, n), resize(s.prod, n)
	s.pendingN, s.pendingAt = resize(s.pendingN, n), resize(s.pendingAt, n)
	s.queued = resize(s.queued, n)
	clear(s.pendingN)
	clear(s.queued)
	// Each gate may be told about each of its arguments once per state.
	s.pending = resize(s.pending, len(f.kids))
	for x := range n {
		s.pendingAt[x] = f.kidsAt[x]
	}
	s.todo, s.changed = s.todo[:0], s.changed[:0]
	s.single = resize(s.single, len(f.glue))
	for i := range f.ni {
		s.base[i] = 0
		if f.gluePos[i] < 0 {
			s.base[i] = p[i]
		}
	}
	for x := f.ni; x < n; x++ {
		s.base[x] = f.eval(int32(x), s.base)
		s.zeros[x], s.prod[x] = 0, 1
		if op := f.op[x]; op == gOr || op == gAnd {
			for _, a := range f.args(int32(x)) {
				if v := factorOf(op, s.base[a]); v == 0 {
					s.zeros[x]++
				} else {
					s.prod[x] *= v
				}
			}
		}
	}
	copy(s.val, s.base)
}

// factorOf is an argument's factor in an OR's probability of being up (1 − p) or an AND's of
// being down (p).
func factorOf(op gop, p float64) float64 {
	if op == gOr {
		return 1 - p
	}
	return p
}

// given returns P(module | exactly the glue inputs at positions failed fail): it sets them, updates
// their ancestors children first, each OR and AND from its base product and the arguments that
// changed (so that a state costs what it changes, not the size of the gates above it), reads the
// root, and restores the base values.
func (s *side) given(failed []int32) float64 {
	f := s.f
	for _, gp := range failed {
		s.set(f.glue[gp], 1)
	}
	for len(s.todo) > 0 {
		x := s.todo.pop()
		s.queued[x] = false
		pend := s.pending[s.pendingAt[x] : s.pendingAt[x]+s.pendingN[x]]
		var v float64
		switch op := f.op[x]; op {
		case gOr, gAnd:
			zeros, prod := s.zeros[x], s.prod[x]
			for _, a := range pend {
				if old := factorOf(op, s.base[a]); old == 0 {
					zeros--
				} else {
					prod /= old
				}
				if nv := factorOf(op, s.val[a]); nv == 0 {
					zeros++
				} else {
					prod *= nv
				}
			}
			f.work += 1 + len(pend)
			switch {
			case op == gOr && zeros > 0:
				v = 1
			case op == gOr:
				v = 1 - prod
			case zeros > 0:
				v = 0
			default:
				v = prod
			}
		default:
			v = f.eval(x, s.val)
		}
		s.pendingN[x] = 0
		if v != s.base[x] {
			s.set(x, v)
		}
	}
	r := s.val[len(f.op)-1]
	for _, x := range s.changed {
		s.val[x] = s.base[x]
	}
	s.changed = s.changed[:0]
	return r
}

// set changes node x's value for the state being evaluated and queues its parents.
func (s *side) set(x int32, v float64) {
	s.val[x] = v
	s.changed = append(s.changed, x)
	for _, p := range s.f.parentsOf(x) {
		s.pending[s.pendingAt[p]+s.pendingN[p]] = x
		s.pendingN[p]++
		if !s.queued[p] {
			s.queued[p] = true
			s.todo.push(p)
		}
	}
}

// gateHeap is a min-heap of gates: a gate comes after its arguments.
type gateHeap []int32

func (h *gateHeap) push(x int32) {
	*h = append(*h, x)
	a := *h
	for i := len(a) - 1; i > 0; {
		p := (i - 1) / 2
		if a[p] <= a[i] {
			break
		}
		a[p], a[i] = a[i], a[p]
		i = p
	}
}

func (h *gateHeap) pop() int32 {
	a := *h
	x := a[0]
	n := len(a) - 1
	a[0] = a[n]
	a = a[:n]
	for i := 0; ; {
		l, r, m := 2*i+1, 2*i+2, i
		if l < n && a[l] < a[m] {
			m = l
		}
		if r < n && a[r] < a[m] {
			m = r
		}
		if m == i {
			break
		}
		a[i], a[m] = a[m], a[i]
		i = m
	}
	*h = a
	return x
}

// condition bounds the probability of the module factored in f by conditioning on its glue, within
// glueWork, or returns nil when a glue input is certain to fail.
func (w *worker) condition(f *factored) *module {
	m := len(f.glue)
	for _, i := range f.glue {
		if f.pHi[i] >= 1 {
			return nil
		}
	}
	lows := &w.sides[0]
	lows.reset(f, f.pLo)
	sides := w.sideList[:0]
	sides = append(sides, lows)
	highs := lows
	if !slices.Equal(f.pLo, f.pHi) {
		highs = &w.sides[1]
		highs.reset(f, f.pHi)
		sides = append(sides, highs)
	}
	w.sideList = sides
	root := int32(len(f.op) - 1)
	// P(g) = P(no glue failure)·∏ over the failed of p/(1 − p).
	var upAll [2]float64
	w.ratio[0], w.ratio[1] = resize(w.ratio[0], m), resize(w.ratio[1], m)
	w.glueP = resize(w.glueP, m) // at the high ends
	for si, s := range sides {
		upAll[si] = 1
		for gp, i := range f.glue {
			upAll[si] *= 1 - s.p[i]
			w.ratio[si][gp] = s.p[i] / (1 - s.p[i])
			w.glueP[gp] = s.p[i]
		}
	}
	// Levels of glue states: all the states with j failures, j = 0, 1, 2…, while the next level
	// fits the budget (planned from the work per state measured so far) and the states left out
	// weigh more than the target. The states with one failure are always summed.
	failed := w.failed[:0]
	done := -1 // the last level summed
	perState, states := 1, 0
	for j := 0; j <= m; j++ {
		if tail(w.glueP, done) <= widthTarget {
			break
		}
		if j == 2 && f.op[root] == gOr {
			// The pairs at once: those inside one argument one by one, the others in closed form.
			if !w.pairs(f, sides, upAll, perState) {
				break
			}
			done = 2
			continue
		}
		if j >= 2 && f.work+binomial(m, j)*perState > w.opts.limits.glueWork {
			break
		}
		failed = failed[:0]
		for i := range j {
			failed = append(failed, int32(i))
		}
		before := f.work
		for {
			for si, s := range sides {
				pg := upAll[si]
				for _, gp := range failed {
					pg *= w.ratio[si][gp]
				}
				p := s.given(failed)
				s.sum += pg * p
				if j == 1 {
					s.single[failed[0]] = p
				} else if j == 0 {
					s.none = p
				}
			}
			states++
			if !nextCombination(failed, m) {
				break
			}
		}
		perState = max(perState, (f.work-before)/max(1, states))
		done = j
	}
	w.failed = failed
	rest := 0.0
	if done < m {
		rest = highs.remainder(root, done)
	}
	return &module{lo: min(1, lows.sum), hi: min(1, highs.sum+rest)}
}

// pairs sums the states with two glue failures of a module whose root is an OR, and reports false
// when that does not fit the budget. Given the glue, the root's arguments are independent, so that
// P(up | g) is the product of their probabilities of being up. When no argument depends on both
// failed inputs a and b, each factor is the one of the state {a} or of {b} or of no failure, hence
//
//	P(up | {a, b}) = P(up | {a})·P(up | {b}) / P(up | none),
//
// and those pairs (most of them) are summed in closed form from the levels 0 and 1: with
// rₓ = pₓ/(1 − pₓ), F₀ = P(down | none), U₀ = 1 − F₀ and eₓ = 1 − P(up | {x})/U₀,
// Σ r_a·r_b·P(down | {a, b}) = Σ r_a·r_b·(F₀ + U₀·(e_a + e_b − e_a·e_b)), by the sums of r, r·e and
// their squares. The pairs within one argument are evaluated one by one, and the closed form's value
// for them taken back out.
func (w *worker) pairs(f *factored, sides []*side, upAll [2]float64, perState int) bool {
	m := len(f.glue)
	root := int32(len(f.op) - 1)
	// The pairs within an argument of the root, once each; first how many at most, for the budget.
	most := 0
	for _, a := range f.args(root) {
		if int(a) >= f.ni {
			n := len(f.glueBelow(a))
			most += n * (n - 1) / 2
		}
	}
	if f.work+most*2*perState*len(sides) > w.opts.limits.glueWork {
		return false
	}
	// How many arguments of the root read each glue input: a pair read by one argument A only
	// changes A only, P(up | {a, b}) = P(up | none)·(1 − P_A({a, b}))/(1 − P_A(none)), one pass over
	// A's subtree; the others (read elsewhere too) are evaluated whole.
	w.argCount = resize(w.argCount, m)
	clear(w.argCount)
	for _, a := range f.args(root) {
		switch {
		case int(a) < f.ni:
			if gp := f.gluePos[a]; gp >= 0 {
				w.argCount[gp]++
			}
		default:
			for _, gp := range f.glueOfArg(a) {
				w.argCount[gp]++
			}
		}
	}
	local := w.localPairs[:0]
	w.ownPairs = w.ownPairs[:0]
	for _, a := range f.args(root) {
		if int(a) < f.ni {
			continue // a single input pairs with nothing
		}
		b := f.glueOfArg(a)
		for i := range b {
			for j := i + 1; j < len(b); j++ {
				p := int64(uint32(b[i])) | int64(b[j])<<32
				if w.argCount[b[i]] == 1 && w.argCount[b[j]] == 1 {
					w.ownPairs = append(w.ownPairs, ownPair{arg: a, pair: p})
				} else {
					local = append(local, p)
				}
			}
		}
	}
	slices.Sort(local)
	local = slices.Compact(local)
	w.localPairs = local
	var pair [2]int32
	for si, s := range sides {
		u0 := 1 - s.none
		if u0 <= 0 {
			continue // the module is down whatever fails: level 0 already counted everything
		}
		e := func(gp int32) float64 { return 1 - (1-s.single[gp])/u0 }
		formula := func(a, b int32) float64 {
			ea, eb := e(a), e(b)
			return s.none + u0*(ea+eb-ea*eb)
		}
		r := w.ratio[si]
		// Σ over all pairs of r_a·r_b·formula(a, b), from sums.
		var sr, sr2, sre, sre2, srre float64
		for gp := range int32(m) {
			x, ex := r[gp], e(gp)
			sr += x
			sr2 += x * x
			sre += x * ex
			sre2 += x * ex * x * ex
			srre += x * x * ex
		}
		pairsR := (sr*sr - sr2) / 2      // Σ r_a·r_b
		pairsRE := sre*sr - srre         // Σ r_a·r_b·(e_a + e_b)
		pairsREE := (sre*sre - sre2) / 2 // Σ r_a·r_b·e_a·e_b
		total := s.none*pairsR + u0*(pairsRE-pairsREE)
		for _, lp := range local {
			a, b := int32(lp), int32(lp>>32)
			pair[0], pair[1] = a, b
			total += r[a] * r[b] * (s.given(pair[:]) - formula(a, b))
		}
		var sub []int32
		last := int32(-1)
		for _, op := range w.ownPairs {
			a, b := int32(op.pair), int32(op.pair>>32)
			var down float64
			if up := 1 - s.base[op.arg]; up > 0.5 {
				if op.arg != last {
					sub, last = f.subtree(op.arg), op.arg
				}
				down = 1 - u0*(1-s.argGiven(op.arg, sub, a, b))/up
			} else {
				pair[0], pair[1] = a, b
				down = s.given(pair[:])
			}
			total += r[a] * r[b] * (down - formula(a, b))
		}
		s.sum += upAll[si] * max(0, total)
	}
	return true
}

// ownPair is a pair of glue inputs (positions, packed) that only one argument of the root reads.
type ownPair struct {
	arg  int32
	pair int64
}

// glueOfArg returns the glue positions below gate x, ascending; the slice may be reused.
func (f *factored) glueOfArg(x int32) []int32 {
	if !f.tooMany[x] {
		return f.belowOf(x)
	}
	return f.glueBelow(x)
}

// argGiven returns P(gate x | the glue inputs at positions a and b fail, no other does), by one
// pass over x's subtree sub (ascending), restoring the base values after.
func (s *side) argGiven(x int32, sub []int32, a, b int32) float64 {
	f := s.f
	s.val[f.glue[a]], s.val[f.glue[b]] = 1, 1
	for _, y := range sub {
		s.val[y] = f.eval(y, s.val)
	}
	v := s.val[x]
	s.val[f.glue[a]], s.val[f.glue[b]] = 0, 0
	for _, y := range sub {
		s.val[y] = s.base[y]
	}
	return v
}

// glueBelow returns the glue positions below gate x, ascending, however many; the slice is reused.
func (f *factored) glueBelow(x int32) []int32 {
	out := f.belowBuf[:0]
	for _, y := range f.subtree(x) {
		for _, a := range f.args(y) {
			if int(a) < f.ni && f.gluePos[a] >= 0 {
				out = append(out, f.gluePos[a])
			}
		}
	}
	slices.Sort(out)
	out = slices.Compact(out)
	f.belowBuf = out
	return out
}

// remainder bounds P(root ∧ more than j glue failures) at s's probabilities.
//
// Where a term needs the tail of the glue inputs other than a few (those below a gate, or an input
// itself), it takes the tail of all of them, which is larger (the failures of a few more inputs can
// only add): the bound stays a bound, a few per cent looser, and costs no pass over the glue per
// term.
func (s *side) remainder(root int32, j int) float64 {
	r := &s.r
	r.s, r.j = s, j
	for c := range r.tails {
		r.tails[c] = s.tailWithout(nil, j-c)
	}
	n := len(s.f.op)
	r.memo, r.done = resize(r.memo, n), resize(r.done, n)
	clear(r.done)
	return r.of(root)
}

// rest is the remainder bound at one level j, memoised by node.
type rest struct {
	s    *side
	j    int
	memo []float64
	done []bool
	// tails[c] is P(more than j − c glue failures).
	tails [maxGateGlue + 2]float64
}

// of bounds P(node x ∧ more than j glue failures).
func (r *rest) of(x int32) float64 {
	s, f := r.s, r.s.f
	if r.done[x] {
		return r.memo[x]
	}
	var v float64
	switch {
	case int(x) < f.ni && f.gluePos[x] >= 0:
		v = s.p[x] * r.tails[1]
	case int(x) < f.ni:
		v = s.p[x] * r.tails[0] // independent of the glue
	case !f.tooMany[x]:
		v = r.exact(x, f.belowOf(x))
	case f.op[x] == gAnd && len(f.args(x)) <= maxSplitAnd:
		v = r.and(x)
	case f.op[x] == gAnd:
		v = math.Inf(1)
		for _, a := range f.args(x) {
			v = min(v, r.of(a))
		}
	default:
		for _, a := range f.args(x) {
			v += r.of(a)
		}
	}
	v = min(v, r.tails[0])
	r.memo[x], r.done[x] = v, true
	return v
}

// maxSplitAnd is the most arguments of an AND whose remainder term is split by private parts.
const maxSplitAnd = 4

// and bounds P(AND gate x ∧ E), E being more than j glue failures, splitting each argument A into
// its private part P (the OR of its inputs that nothing else reads: independent of E and of the rest)
// and the rest G, A = P ∨ G: the AND is down only if, for some set S of arguments, those of S are
// down by their private part and the others by G, so
//
//	P(x ∧ E) <= Σ over S of ∏ over S of P(P_A) · (min over the others of P(G_A ∧ E), or P(E) if none)
//
// which, when the private parts carry most of the probability (an any_of of two services, each with
// many SPOFs of its own), is far below the least of the arguments' own terms.
func (r *rest) and(x int32) float64 {
	s, f := r.s, r.s.f
	args := f.args(x)
	var priv, glued [maxSplitAnd]float64
	for i, a := range args {
		switch {
		case int(a) < f.ni && f.gluePos[a] < 0:
			priv[i], glued[i] = s.p[a], 0
		case int(a) < f.ni || f.op[a] != gOr:
			priv[i], glued[i] = 0, r.of(a)
		default:
			// An OR: its private inputs on one side (at most one, merged), the rest on the other.
			p, g := 0.0, 0.0
			for _, b := range f.args(a) {
				if int(b) < f.ni && f.gluePos[b] < 0 {
					p = s.p[b] + (1-s.p[b])*p
				} else {
					g += r.of(b)
				}
			}
			priv[i], glued[i] = p, min(g, r.tails[0])
		}
	}
	total := 0.0
	for mask := range 1 << len(args) { // mask: the arguments down by their private part
		t, least := 1.0, r.tails[0]
		for i := range args {
			if mask&(1<<i) != 0 {
				t *= priv[i]
			} else {
				least = min(least, glued[i])
			}
		}
		total += t * least
	}
	return total
}

// exact bounds P(gate x ∧ more than j glue failures) over the states of the glue below x
// (positions b): P(state)·P(x | state)·P(more than j − |state| failures of the glue).
func (r *rest) exact(x int32, b []int32) float64 {
	s, f := r.s, r.s.f
	if len(b) == 0 {
		return s.base[x] * r.tails[0]
	}
	sub := f.subtree(x)
	t := 0.0
	for mask := 0; mask < 1<<len(b); mask++ {
		ps, c := 1.0, 0
		for bit, gp := range b {
			i := f.glue[gp]
			if mask&(1<<bit) != 0 {
				s.val[i] = 1
				ps *= s.p[i]
				c++
			} else {
				s.val[i] = 0
				ps *= 1 - s.p[i]
			}
		}
		if r.tails[c] == 0 || ps == 0 {
			continue
		}
		for _, y := range sub {
			s.val[y] = f.eval(y, s.val)
		}
		t += ps * s.val[x] * r.tails[c]
	}
	for _, gp := range b {
		s.val[f.glue[gp]] = 0
	}
	for _, y := range sub {
		s.val[y] = s.base[y]
	}
	return t
}

// subtree returns the gates below gate x and x, ascending (children first); the slice is reused.
func (f *factored) subtree(x int32) []int32 {
	f.markGen++
	sub := f.sub[:0]
	f.stack = append(f.stack[:0], x)
	f.mark[x] = f.markGen
	for len(f.stack) > 0 {
		y := f.stack[len(f.stack)-1]
		f.stack = f.stack[:len(f.stack)-1]
		sub = append(sub, y)
		for _, a := range f.args(y) {
			if int(a) >= f.ni && f.mark[a] != f.markGen {
				f.mark[a] = f.markGen
				f.stack = append(f.stack, a)
			}
		}
	}
	slices.Sort(sub)
	f.sub = sub
	f.work += len(sub)
	return sub
}

// tailWithout returns P(more than t failures among the glue inputs but those at positions skip,
// ascending).
func (s *side) tailWithout(skip []int32, t int) float64 {
	f := s.f
	ps := f.scratch[:0]
	for gp, i := range f.glue {
		if len(skip) > 0 && skip[0] == int32(gp) {
			skip = skip[1:]
			continue
		}
		ps = append(ps, s.p[i])
	}
	f.scratch = ps
	f.work += len(ps)
	return tail(ps, t)
}

// binomial returns C(n, k), saturating at math.MaxInt32.
func binomial(n, k int) int {
	if k < 0 || k > n {
		return 0
	}
	r := 1.0
	for i := range k {
		r = r * float64(n-i) / float64(i+1)
	}
	return int(min(r, math.MaxInt32))
}

// nextCombination advances xs, ascending positions below n, to the next combination in
// lexicographic order, and reports false after the last.
func nextCombination(xs []int32, n int) bool {
	k := len(xs)
	for i := k - 1; i >= 0; i-- {
		if int(xs[i]) < n-k+i {
			xs[i]++
			for j := i + 1; j < k; j++ {
				xs[j] = xs[j-1] + 1
			}
			return true
		}
	}
	return false
}
