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
// computed bottom-up in one pass (1 − ∏(1 − p) for an OR, ∏ p for an AND, the Poisson-binomial
// tail for a threshold), and only the ancestors of the failed glue inputs change from one state
// to the next. Summing P(g)·P(module | g) over the states with at most j glue failures gives a lower
// bound L_j, exact for those states; the states with more add P(module ∧ more than j glue
// failures), bounded from the top down: for an input, exactly (its probability times the tail of
// the other glue inputs); for a gate with few glue inputs below it, exactly (its own glue states
// times the tail of the other glue inputs); otherwise by the sum of its arguments' terms for an OR
// or a threshold (it is down only if one of them is), the least of them for an AND. In the
// rare-event regime of availability that remainder is orders of magnitude below
// P(more than j glue failures), and the interval [L_j, L_j + remainder] is narrow at j = 2 or 3.
// j grows level by level while the work budget allows.

// Budgets of the conditioning: glueWork is the work (arguments read) of one module's enumeration,
// maxGateGlue the glue inputs below a gate whose remainder term is computed over all their states.
const (
	glueWork    = 1 << 14
	maxGateGlue = 6
)

// widthTarget is the width of a conditioned module's interval at which the enumeration stops: a
// billionth of a probability, half a second of downtime a year, far below what any SLO can tell.
const widthTarget = 1e-9

// factored is a module prepared for conditioning: its nodes numbered inputs first, then gates in
// postorder, the root last.
type factored struct {
	op     []gop
	k      []int32
	kids   [][]int32
	ni     int     // nodes below ni are inputs
	glue   []int32 // glue inputs, ascending
	isGlue []bool
	// below[x] is the glue below gate x, as positions in glue, ascending, unless tooMany[x]: more
	// than maxGateGlue.
	below   [][]int32
	tooMany []bool
	parents [][]int32 // distinct, ascending
	work    int
	scratch []float64
	mark    []int32
	markGen int32
	// pLo and pHi are the ends of each input's probability.
	pLo, pHi []float64
}

// factor numbers mo's nodes for conditioning (mo numbered in w.loc).
func (w *worker) factor(mo *modInputs) *factored {
	c := w.b.c
	ni, ng := len(mo.inputs), len(mo.gates)
	n := ni + ng + 1
	f := &factored{op: make([]gop, n), k: make([]int32, n), kids: make([][]int32, n), ni: ni}
	local := func(xs []int32) []int32 {
		out := make([]int32, len(xs))
		for i, a := range xs {
			l, _ := w.loc.get(a)
			out[i] = l
		}
		return out
	}
	for gi, g := range mo.gates {
		x := ni + gi
		f.op[x], f.k[x], f.kids[x] = c.op[g], c.k[g], local(c.argsOf(g))
	}
	root := n - 1
	f.op[root], f.k[root], f.kids[root] = mo.op, mo.k, local(mo.args)
	f.pLo, f.pHi = mo.lo, mo.hi
	f.merge()
	ni, n, root = f.ni, len(f.op), len(f.op)-1
	f.isGlue = make([]bool, ni)
	// Paths from the root, saturated at two: parents come after their children.
	paths := make([]uint8, n)
	paths[root] = 1
	for x := root; x >= ni; x-- {
		for _, a := range f.kids[x] {
			paths[a] = min(2, paths[a]+paths[x])
		}
	}
	for i := range ni {
		if paths[i] >= 2 {
			f.isGlue[i] = true
			f.glue = append(f.glue, int32(i))
		}
	}
	parents := make([][]int32, n)
	for x := ni; x < n; x++ {
		for _, a := range f.kids[x] {
			if !slices.Contains(parents[a], int32(x)) {
				parents[a] = append(parents[a], int32(x))
			}
		}
	}
	f.parents = parents
	f.below = make([][]int32, n)
	f.tooMany = make([]bool, n)
	for x := ni; x < n; x++ {
		var b []int32
		over := false
		for _, a := range f.kids[x] {
			switch {
			case int(a) < ni:
				if f.isGlue[a] {
					gp, _ := slices.BinarySearch(f.glue, a)
					b = append(b, int32(gp))
				}
			case f.tooMany[a]:
				over = true
			default:
				b = append(b, f.below[a]...)
			}
		}
		slices.Sort(b)
		b = slices.Compact(b)
		if over || len(b) > maxGateGlue {
			f.tooMany[x] = true
			continue
		}
		f.below[x] = b
	}
	return f
}

// merge replaces the inputs that only one OR (AND) reads by one input per gate, their OR (AND),
// whose probability is known: SCRAM's grouping of a gate's modular arguments. A shared gate's
// private inputs would otherwise each be glue.
func (f *factored) merge() {
	ni, n := f.ni, len(f.op)
	readers := make([]int32, ni)
	for x := ni; x < n; x++ {
		for i, a := range f.kids[x] {
			if int(a) < ni && !slices.Contains(f.kids[x][:i], a) {
				readers[a]++
			}
		}
	}
	keep := make([]bool, ni)
	for i := range keep {
		keep[i] = readers[i] != 1
	}
	type pseudo struct {
		gate   int
		lo, hi float64
	}
	var pseudos []pseudo
	for x := ni; x < n; x++ {
		op := f.op[x]
		var private []int32
		for _, a := range f.kids[x] {
			if int(a) < ni && readers[a] == 1 {
				private = append(private, a)
			}
		}
		if (op != gOr && op != gAnd) || len(private) < 2 || hasDuplicates(f.kids[x]) {
			for _, a := range private {
				keep[a] = true
			}
			continue
		}
		p := pseudo{gate: x}
		if op == gAnd {
			p.lo, p.hi = 1, 1
		}
		for _, a := range private {
			if op == gAnd {
				p.lo *= f.pLo[a]
				p.hi *= f.pHi[a]
			} else {
				p.lo = f.pLo[a] + (1-f.pLo[a])*p.lo
				p.hi = f.pHi[a] + (1-f.pHi[a])*p.hi
			}
		}
		pseudos = append(pseudos, p)
	}
	if len(pseudos) == 0 {
		return
	}
	// Renumber: the inputs kept, then one per merged gate, then the gates.
	newIdx := make([]int32, ni)
	var lo, hi []float64
	for i := range ni {
		newIdx[i] = -1
		if keep[i] {
			newIdx[i] = int32(len(lo))
			lo, hi = append(lo, f.pLo[i]), append(hi, f.pHi[i])
		}
	}
	pseudoOf := make(map[int]int32, len(pseudos))
	for _, p := range pseudos {
		pseudoOf[p.gate] = int32(len(lo))
		lo, hi = append(lo, p.lo), append(hi, p.hi)
	}
	ni2 := len(lo)
	shift := int32(ni2 - ni)
	size := ni2 + n - ni
	kids, op, k := make([][]int32, size), make([]gop, size), make([]int32, size)
	for x := ni; x < n; x++ {
		y := int(int32(x) + shift)
		op[y], k[y] = f.op[x], f.k[x]
		var out []int32
		for _, a := range f.kids[x] {
			switch {
			case int(a) >= ni:
				out = append(out, a+shift)
			case newIdx[a] >= 0:
				out = append(out, newIdx[a])
			}
		}
		if pi, ok := pseudoOf[x]; ok {
			out = append(out, pi)
		}
		kids[y] = out
	}
	f.op, f.k, f.kids, f.ni, f.pLo, f.pHi = op, k, kids, ni2, lo, hi
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
	kids := f.kids[x]
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

// side is the conditioning at one end of the inputs' intervals.
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
	// each that changed, and the nodes changed.
	todo    gateHeap
	pending [][]int32
	queued  []bool
	changed []int32
}

func (f *factored) newSide(p []float64) *side {
	n := len(f.op)
	s := &side{f: f, p: p, base: make([]float64, n), val: make([]float64, n), zeros: make([]int32, n), prod: make([]float64, n),
		pending: make([][]int32, n), queued: make([]bool, n)}
	for i := range f.ni {
		if !f.isGlue[i] {
			s.base[i] = p[i]
		}
	}
	for x := f.ni; x < n; x++ {
		s.base[x] = f.eval(int32(x), s.base)
		if op := f.op[x]; op == gOr || op == gAnd {
			s.prod[x] = 1
			for _, a := range f.kids[x] {
				if v := factorOf(op, s.base[a]); v == 0 {
					s.zeros[x]++
				} else {
					s.prod[x] *= v
				}
			}
		}
	}
	copy(s.val, s.base)
	return s
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
		var v float64
		switch op := f.op[x]; op {
		case gOr, gAnd:
			zeros, prod := s.zeros[x], s.prod[x]
			for _, a := range s.pending[x] {
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
			f.work += 1 + len(s.pending[x])
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
		s.pending[x] = s.pending[x][:0]
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
	for _, p := range s.f.parents[x] {
		s.pending[p] = append(s.pending[p], x)
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

// condition bounds the probability of module mo by conditioning on its glue, within glueWork, or
// returns nil when a glue input is certain to fail.
func (w *worker) condition(mo *modInputs) *module {
	f := w.factor(mo)
	m := len(f.glue)
	for _, i := range f.glue {
		if f.pHi[i] >= 1 {
			return nil
		}
	}
	lows := f.newSide(f.pLo)
	sides := []*side{lows}
	highs := lows
	if !slices.Equal(f.pLo, f.pHi) {
		highs = f.newSide(f.pHi)
		sides = append(sides, highs)
	}
	root := int32(len(f.op) - 1)
	// P(g) = P(no glue failure)·∏ over the failed of p/(1 − p).
	upAll := make([]float64, len(sides))
	ratio := make([][]float64, len(sides))
	glueP := make([]float64, m) // at the high ends
	for si, s := range sides {
		upAll[si] = 1
		ratio[si] = make([]float64, m)
		for gp, i := range f.glue {
			upAll[si] *= 1 - s.p[i]
			ratio[si][gp] = s.p[i] / (1 - s.p[i])
			glueP[gp] = s.p[i]
		}
	}
	// Levels of glue states: all the states with j failures, j = 0, 1, 2…, while the next level
	// fits the budget (planned from the work per failure measured so far) and the states left
	// out weigh more than the target.
	var failed []int32
	done := -1 // the last level summed
	perFailure := 0
	for j := 0; j <= m; j++ {
		if tail(glueP, done) <= widthTarget {
			break
		}
		if j >= 2 && f.work+binomial(m, j)*j*perFailure > glueWork {
			break
		}
		before := f.work
		failed = failed[:0]
		for i := range j {
			failed = append(failed, int32(i))
		}
		for {
			for si, s := range sides {
				pg := upAll[si]
				for _, gp := range failed {
					pg *= ratio[si][gp]
				}
				s.sum += pg * s.given(failed)
			}
			if !nextCombination(failed, m) {
				break
			}
		}
		done = j
		if j == 1 {
			perFailure = (f.work-before)/max(1, m) + 1
		}
	}
	rest := 0.0
	if done < m {
		rest = highs.remainder(root, done)
	}
	return &module{lo: min(1, lows.sum), hi: min(1, highs.sum+rest)}
}

// remainder bounds P(root ∧ more than j glue failures) at s's probabilities.
func (s *side) remainder(root int32, j int) float64 {
	r := &rest{s: s, j: j, all: s.tailWithout(nil, j), memo: map[int32]float64{}, tails: map[string]float64{}}
	return r.of(root)
}

// rest is the remainder bound at one level j, memoised by node.
type rest struct {
	s    *side
	j    int
	all  float64 // P(more than j glue failures)
	memo map[int32]float64
	// withoutOne[gp] is P(more than j − 1 failures of the glue but position gp), on first use.
	withoutOne map[int32]float64
	// tails memoises tailWithout by the glue left out and the threshold.
	tails map[string]float64
}

// of bounds P(node x ∧ more than j glue failures).
func (r *rest) of(x int32) float64 {
	s, f := r.s, r.s.f
	if v, ok := r.memo[x]; ok {
		return v
	}
	var v float64
	switch {
	case int(x) < f.ni && f.isGlue[x]:
		gp, _ := slices.BinarySearch(f.glue, x)
		if r.withoutOne == nil {
			r.withoutOne = map[int32]float64{}
		}
		t, ok := r.withoutOne[int32(gp)]
		if !ok {
			t = s.tailWithout([]int32{int32(gp)}, r.j-1)
			r.withoutOne[int32(gp)] = t
		}
		v = s.p[x] * t
	case int(x) < f.ni:
		v = s.p[x] * r.all // independent of the glue
	case !f.tooMany[x]:
		v = r.exact(x, f.below[x])
	case f.op[x] == gAnd:
		v = math.Inf(1)
		for _, a := range f.kids[x] {
			v = min(v, r.of(a))
		}
	default:
		for _, a := range f.kids[x] {
			v += r.of(a)
		}
	}
	v = min(v, r.all)
	r.memo[x] = v
	return v
}

// exact returns P(gate x ∧ more than j glue failures) over the states of the glue below x
// (positions b): P(state)·P(x | state)·P(more than j − |state| failures of the other glue).
func (r *rest) exact(x int32, b []int32) float64 {
	s, f := r.s, r.s.f
	key := make([]byte, 0, 4*len(b))
	for _, gp := range b {
		key = append(key, byte(gp), byte(gp>>8), byte(gp>>16), byte(gp>>24))
	}
	tails := make([]float64, len(b)+1) // by failures in the state
	for c := range tails {
		k := string(append(key, byte(c)))
		t, ok := r.tails[k]
		if !ok {
			t = s.tailWithout(b, r.j-c)
			r.tails[k] = t
		}
		tails[c] = t
	}
	if len(b) == 0 {
		return s.base[x] * tails[0]
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
		if tails[c] == 0 || ps == 0 {
			continue
		}
		for _, y := range sub {
			s.val[y] = f.eval(y, s.val)
		}
		t += ps * s.val[x] * tails[c]
	}
	for _, gp := range b {
		s.val[f.glue[gp]] = 0
	}
	for _, y := range sub {
		s.val[y] = s.base[y]
	}
	return t
}

// subtree returns the gates below gate x and x, ascending (children first).
func (f *factored) subtree(x int32) []int32 {
	if f.mark == nil {
		f.mark = make([]int32, len(f.op))
	}
	f.markGen++
	var sub []int32
	stack := []int32{x}
	f.mark[x] = f.markGen
	for len(stack) > 0 {
		y := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		sub = append(sub, y)
		for _, a := range f.kids[y] {
			if int(a) >= f.ni && f.mark[a] != f.markGen {
				f.mark[a] = f.markGen
				stack = append(stack, a)
			}
		}
	}
	slices.Sort(sub)
	f.work += len(sub)
	return sub
}

// tailWithout returns P(more than t failures among the glue inputs but those at positions skip).
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
