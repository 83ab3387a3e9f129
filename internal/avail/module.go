package avail

import (
	"encoding/binary"
	"slices"

	"github.com/spofhq/spof/internal/bdd"
)

// This file computes the probability of a service's rest module by module.
//
// Modules are found by the linear-time algorithm of Dutuit & Rauzy ("A linear-time algorithm to
// find modules of fault trees", IEEE Trans. Reliability 45(3), 1996): a depth-first traversal dates
// every arrival at a node; a gate is a module when every arrival at its descendants happens between
// its own first arrival and the end of its first exploration, that is when nothing outside reaches
// inside. The same dates group the arguments of a gate: arguments whose descendants' date ranges do
// not overlap share no variable, and an OR (AND) of independent groups has probability
// 1 − ∏(1 − pᵢ) (∏ pᵢ). SCRAM's preprocessor (src/preprocessor.cc) does the same before building
// its BDDs.
//
// A module's probability is memoised by its node (or by the arguments of a group), so that every
// service whose rest contains it reuses it. What is computed for a module depends only on the
// module, never on the service it was first met in nor on the order of computation: the dates
// inside a module are those of a traversal of the module alone, shifted, and its variables are
// ordered by that traversal.

// dates are the Dutuit-Rauzy dates of the nodes below a root, valid where gen[x] == cur.
type dates struct {
	gen         []uint32
	cur         uint32
	first, last []int32 // first and last arrival
	exit        []int32 // end of the first exploration of a gate
	dlo, dhi    []int32 // a gate's descendants: earliest first arrival, latest last arrival
	post        []int32
	t           int32
	stack       []int32
	argi        []int32
	groups      [][]int32
	order       []int32
}

// date dates the nodes of c below root, then the descendant ranges of its gates.
func (d *dates) date(c *circuit, root int32) {
	if n := int(c.len()); len(d.gen) < n {
		grow := func(s []int32) []int32 { return append(s, make([]int32, n-len(s))...) }
		d.gen = append(d.gen, make([]uint32, n-len(d.gen))...)
		d.first, d.last, d.exit, d.dlo, d.dhi = grow(d.first), grow(d.last), grow(d.exit), grow(d.dlo), grow(d.dhi)
	}
	d.cur++
	d.t = 0
	d.post = d.post[:0]
	// An explicit stack: rests can nest thousands of gates deep.
	d.arrive(root)
	d.stack = append(d.stack[:0], root)
	d.argi = append(d.argi[:0], 0)
	for len(d.stack) > 0 {
		top := len(d.stack) - 1
		x := d.stack[top]
		args := c.argsOf(x)
		if i := d.argi[top]; int(i) < len(args) {
			d.argi[top]++
			a := args[i]
			if d.arrive(a) && c.isGate(a) {
				d.stack = append(d.stack, a)
				d.argi = append(d.argi, 0)
			}
			continue
		}
		d.t++
		d.exit[x] = d.t
		d.post = append(d.post, x)
		d.stack, d.argi = d.stack[:top], d.argi[:top]
	}
	for _, x := range d.post {
		lo, hi := int32(1<<31-1), int32(0)
		for _, a := range c.argsOf(x) {
			lo, hi = min(lo, d.lo(c, a)), max(hi, d.hi(c, a))
		}
		d.dlo[x], d.dhi[x] = lo, hi
	}
}

// arrive dates an arrival at x and reports whether it is the first.
func (d *dates) arrive(x int32) bool {
	d.t++
	if d.gen[x] == d.cur {
		d.last[x] = d.t
		return false
	}
	d.gen[x] = d.cur
	d.first[x], d.last[x] = d.t, d.t
	return true
}

// lo and hi are the range of dates of x and its descendants.
func (d *dates) lo(c *circuit, x int32) int32 {
	if c.isGate(x) {
		return min(d.first[x], d.dlo[x])
	}
	return d.first[x]
}

func (d *dates) hi(c *circuit, x int32) int32 {
	if c.isGate(x) {
		return max(d.last[x], d.dhi[x])
	}
	return d.last[x]
}

// isModule reports whether gate x's descendants are reached only through x.
func (d *dates) isModule(x int32) bool { return d.dlo[x] > d.first[x] && d.dhi[x] < d.exit[x] }

// group splits args into groups whose descendants' ranges do not overlap, each in the order of
// args, groups by their first date. The result is valid until the next call.
func (d *dates) group(c *circuit, args []int32) [][]int32 {
	d.order = append(d.order[:0], args...)
	slices.SortFunc(d.order, func(a, b int32) int { return int(d.lo(c, a) - d.lo(c, b)) })
	d.groups = d.groups[:0]
	end := int32(-1)
	for _, a := range d.order {
		if len(d.groups) == 0 || d.lo(c, a) > end {
			d.groups = append(d.groups, nil)
			end = d.hi(c, a)
		}
		g := len(d.groups) - 1
		d.groups[g] = append(d.groups[g], a)
		end = max(end, d.hi(c, a))
	}
	for i := range d.groups {
		slices.Sort(d.groups[i])
	}
	return d.groups
}

// module is the probability of one module: an interval [lo, hi], a point when exact.
type module struct {
	lo, hi float64
	exact  bool
	cause  Cause
	// When exact, the derivative of the module's probability with respect to each of its inputs:
	// variables (entities) and sub-modules.
	vars    []int32
	varSens []float64
	subs    []*module
	subSens []float64
}

// derivatives adds to w's importance each entity below m with the derivative of P(m) with respect
// to the entity's failure probability, times scale (the chain rule).
func (m *module) derivatives(w *worker, scale float64) {
	for i, e := range m.vars {
		w.add(e, scale*m.varSens[i])
	}
	for i, s := range m.subs {
		s.derivatives(w, scale*m.subSens[i])
	}
}

// prob returns the probability of gate x, a module of the rest dated last.
func (w *worker) prob(x int32) *module {
	w.mu.RLock()
	r, ok := w.mods[x]
	w.mu.RUnlock()
	if ok {
		return r
	}
	c := w.b.c
	if op := c.op[x]; op == gOr || op == gAnd {
		if groups := w.dr.group(c, c.argsOf(x)); len(groups) > 1 {
			r = w.combine(op, w.dr.cloneGroups(groups))
		}
	}
	if r == nil {
		r = w.build(c.op[x], c.k[x], c.argsOf(x))
	}
	w.mu.Lock()
	w.mods[x] = r
	w.mu.Unlock()
	return r
}

func (d *dates) cloneGroups(groups [][]int32) [][]int32 {
	out := make([][]int32, len(groups))
	for i, g := range groups {
		out[i] = slices.Clone(g)
	}
	return out
}

// part returns the probability of one independent part of an OR or AND: a variable, a gate (a
// module), or a group of arguments (a module together).
func (w *worker) part(op gop, g []int32) (e int32, sub *module) {
	c := w.b.c
	if len(g) > 1 {
		return -1, w.group(op, g)
	}
	if c.isGate(g[0]) {
		return -1, w.prob(g[0])
	}
	return entityOf(g[0]), nil
}

// group returns the probability of op over args, a group of a gate's arguments that is a module.
func (w *worker) group(op gop, args []int32) *module {
	key := make([]byte, 1, 1+4*len(args))
	key[0] = byte(op)
	for _, a := range args {
		key = binary.LittleEndian.AppendUint32(key, uint32(a))
	}
	w.mu.RLock()
	r, ok := w.groups[string(key)]
	w.mu.RUnlock()
	if ok {
		return r
	}
	r = w.build(op, 0, args)
	w.mu.Lock()
	w.groups[string(key)] = r
	w.mu.Unlock()
	return r
}

// combine returns the probability of op over independent groups of arguments.
func (w *worker) combine(op gop, groups [][]int32) *module {
	n := len(groups)
	lo, hi := make([]float64, n), make([]float64, n)
	r := &module{exact: true}
	subs := make([]*module, n)
	ents := make([]int32, n)
	for i, g := range groups {
		e, sub := w.part(op, g)
		ents[i], subs[i] = e, sub
		if sub == nil {
			lo[i] = 1 - w.own[e]
			hi[i] = lo[i]
			continue
		}
		lo[i], hi[i] = sub.lo, sub.hi
		if !sub.exact {
			r.exact = false
			r.cause = max(r.cause, sub.cause)
		}
	}
	// OR: 1 − ∏(1 − p), accumulated as p + (1 − p)·acc so that small probabilities keep their
	// precision; AND: ∏ p. Both increase with every p: the ends of the intervals map to the ends.
	eval := func(ps []float64) float64 {
		acc := 0.0
		if op == gAnd {
			acc = 1
		}
		for _, p := range ps {
			if op == gAnd {
				acc *= p
			} else {
				acc = p + (1-p)*acc
			}
		}
		return acc
	}
	r.lo, r.hi = eval(lo), eval(hi)
	if !r.exact {
		return r
	}
	// ∂P/∂pᵢ = ∏ over j ≠ i of (1 − pⱼ) for an OR, of pⱼ for an AND: prefix and suffix products.
	f := func(p float64) float64 {
		if op == gAnd {
			return p
		}
		return 1 - p
	}
	prefix := make([]float64, n+1)
	prefix[0] = 1
	for i := range n {
		prefix[i+1] = prefix[i] * f(lo[i])
	}
	suffix := 1.0
	sens := make([]float64, n)
	for i := n - 1; i >= 0; i-- {
		sens[i] = prefix[i] * suffix
		suffix *= f(lo[i])
	}
	for i := range n {
		if subs[i] == nil {
			r.vars = append(r.vars, ents[i])
			r.varSens = append(r.varSens, sens[i])
		} else {
			r.subs = append(r.subs, subs[i])
			r.subSens = append(r.subSens, sens[i])
		}
	}
	return r
}

// locals numbers the nodes of the module being built.
type locals struct {
	gen []uint32
	cur uint32
	idx []int32
}

func (l *locals) reset(n int) {
	if len(l.gen) < n {
		l.gen = append(l.gen, make([]uint32, n-len(l.gen))...)
		l.idx = append(l.idx, make([]int32, n-len(l.idx))...)
	}
	l.cur++
}

func (l *locals) get(x int32) (int32, bool) {
	if l.gen[x] == l.cur {
		return l.idx[x], true
	}
	return 0, false
}

func (l *locals) set(x, i int32) { l.gen[x], l.idx[x] = l.cur, i }

// build returns the probability of op(k, args), a module, from its BDD: inputs are the variables
// and sub-modules below it (each sub-module one variable), numbered in depth-first order of
// the arguments; gates between are built into the BDD. When the BDD outgrows the node budget, the
// module is bounded by conditioning on its glue (glue.go).
func (w *worker) build(op gop, k int32, args []int32) *module {
	c := w.b.c
	mo := w.collect(op, k, args)
	n := len(mo.inputs)
	subs := make([]*module, n)
	exactInputs := true
	cause := NodeBudget
	for i, x := range mo.inputs {
		if c.isGate(x) {
			s := w.prob(x) // computed by collect: memoised
			subs[i] = s
			if !s.exact {
				exactInputs = false
				cause = max(cause, s.cause)
			}
		}
	}
	// A module with much glue is hopeless for one BDD (its size grows as 2 to the number of glue
	// inputs alive at once): it goes straight to conditioning, which needs the glue anyway. On the
	// generated platforms, most modules with more than 20 glue inputs outgrow any budget
	// that keeps the run fast (limits.bddGlue).
	f := w.factor(mo)
	ok := false
	var root bdd.Node
	if len(f.glue) <= w.opts.limits.bddGlue {
		order := make([]int32, n)
		for i := range order {
			order[i] = int32(i)
		}
		var roots []bdd.Node
		if roots, ok = w.diagrams(mo, order); ok {
			root = w.combineDiagrams(op, k, roots)
			ok = !w.m.Exceeded()
		}
	}
	if ok {
		r := &module{exact: exactInputs, cause: cause}
		pLo := w.probs[0].Reuse(w.m, mo.lo)
		r.lo = pLo.Of(root)
		r.hi = r.lo
		if !exactInputs {
			r.hi = w.probs[1].Reuse(w.m, mo.hi).Of(root)
			return r
		}
		r.cause = NotBounded
		for i, s := range pLo.Sensitivity(root) {
			if subs[i] == nil {
				r.vars = append(r.vars, entityOf(mo.inputs[i]))
				r.varSens = append(r.varSens, s)
			} else {
				r.subs = append(r.subs, subs[i])
				r.subSens = append(r.subSens, s)
			}
		}
		return r
	}
	r := w.condition(f)
	if r == nil {
		r = &module{hi: tail(mo.hi, 0)} // a glue input certain to fail: what is left is all
	}
	r.cause = cause
	return r
}

// collect lists the inputs of the module op(k, args) in depth-first preorder, and the gates between
// in postorder, numbered in w.loc, and computes the sub-modules' probabilities first (their
// computation uses the manager and the numbering).
func (w *worker) collect(op gop, k int32, args []int32) *modInputs {
	c := w.b.c
	mo := &modInputs{op: op, k: k, args: args}
	w.loc.reset(int(c.len()))
	var walk func(x int32)
	walk = func(x int32) {
		if _, ok := w.loc.get(x); ok {
			return
		}
		if !c.isGate(x) || w.dr.isModule(x) {
			w.loc.set(x, int32(len(mo.inputs)))
			mo.inputs = append(mo.inputs, x)
			return
		}
		w.loc.set(x, -1)
		for _, a := range c.argsOf(x) {
			walk(a)
		}
		mo.gates = append(mo.gates, x)
	}
	for _, a := range args {
		walk(a)
	}
	n := len(mo.inputs)
	mo.lo, mo.hi = make([]float64, n), make([]float64, n)
	for i, x := range mo.inputs {
		if c.isGate(x) {
			s := w.prob(x)
			mo.lo[i], mo.hi[i] = s.lo, s.hi
			continue
		}
		mo.lo[i] = 1 - w.own[entityOf(x)]
		mo.hi[i] = mo.lo[i]
	}
	w.number(mo)
	return mo
}

// modInputs is a module being built: its root op(k, args), its inputs (variables and sub-modules)
// with their probabilities, and the gates between.
type modInputs struct {
	op     gop
	k      int32
	args   []int32
	inputs []int32
	gates  []int32
	lo, hi []float64
}

// number numbers the inputs of mo, then its gates, in w.loc.
func (w *worker) number(mo *modInputs) {
	w.loc.reset(int(w.b.c.len()))
	for i, x := range mo.inputs {
		w.loc.set(x, int32(i))
	}
	for i, x := range mo.gates {
		w.loc.set(x, int32(len(mo.inputs)+i))
	}
}

// combineDiagrams returns op(k) over the diagrams of a module's arguments.
func (w *worker) combineDiagrams(op gop, k int32, xs []bdd.Node) bdd.Node {
	switch op {
	case gOr:
		return w.m.AtLeast(1, xs)
	case gAnd:
		return w.m.AtLeast(len(xs), xs)
	}
	return w.m.AtLeast(int(k), xs)
}

// diagrams builds the BDD of each argument of mo, input i being BDD variable order[i], and reports
// whether they fit the node budget. Gates are built in
// order, each freed once its last user is built; the manager collects the dead ones as it grows.
func (w *worker) diagrams(mo *modInputs, order []int32) ([]bdd.Node, bool) {
	c, m := w.b.c, w.m
	m.Reset()
	ni := len(mo.inputs)
	users := make([]int32, len(mo.gates)) // how many gates, the root included, still need each gate
	count := func(xs []int32) {
		for _, a := range xs {
			if i, _ := w.loc.get(a); int(i) >= ni {
				users[int(i)-ni]++
			}
		}
	}
	for _, g := range mo.gates {
		count(c.argsOf(g))
	}
	count(mo.args)
	val := make([]bdd.Node, len(mo.gates))
	var kids []bdd.Node
	node := func(a int32) bdd.Node {
		i, _ := w.loc.get(a)
		if int(i) < ni {
			return m.Var(int(order[i]))
		}
		return val[int(i)-ni]
	}
	limit := m.Limit()
	collectAt := limit
	var roots []*bdd.Node
	for gi, g := range mo.gates {
		kids = kids[:0]
		for _, a := range c.argsOf(g) {
			kids = append(kids, node(a))
		}
		val[gi] = w.combineDiagrams(c.op[g], c.k[g], kids)
		for _, a := range c.argsOf(g) {
			if i, _ := w.loc.get(a); int(i) >= ni {
				if users[int(i)-ni]--; users[int(i)-ni] == 0 {
					val[int(i)-ni] = bdd.False
				}
			}
		}
		if m.Exceeded() {
			return nil, false
		}
		if limit > 0 && m.Size() > collectAt {
			roots = roots[:0]
			for j := range gi + 1 {
				if val[j] > bdd.True {
					roots = append(roots, &val[j])
				}
			}
			m.GC(roots)
			if m.Size() > limit {
				return nil, false
			}
			collectAt = max(limit, 2*m.Size())
		}
	}
	out := make([]bdd.Node, len(mo.args))
	for i, a := range mo.args {
		out[i] = node(a)
	}
	return out, !m.Exceeded()
}
