package bdd

// Prob holds the probabilities of the functions of one Manager for one assignment of variable
// probabilities, memoized across calls. It is invalid once the Manager changes.
type Prob struct {
	m    *Manager
	p    []float64 // the probability that variable v is true
	memo []float64
	done []bool
	// scratch of Sensitivity, reused
	out, reach []float64
}

// NewProb returns the evaluator of m's functions where variable v is true with probability p[v],
// independently of the others.
func (m *Manager) NewProb(p []float64) *Prob {
	return &Prob{m: m, p: p, memo: make([]float64, len(m.nodes)), done: make([]bool, len(m.nodes))}
}

// Reuse makes e the evaluator of m's functions under the probabilities p, as NewProb would, reusing
// e's memory: for callers that evaluate many small problems in turn.
func (e *Prob) Reuse(m *Manager, p []float64) *Prob {
	n := len(m.nodes)
	if cap(e.memo) < n {
		e.memo, e.done = make([]float64, n), make([]bool, n)
	}
	e.m, e.p, e.memo, e.done = m, p, e.memo[:n], e.done[:n]
	clear(e.done)
	return e
}

// Of returns the probability that f is true, by the Shannon expansion
// P(f) = p(v)·P(f|v) + (1-p(v))·P(f|¬v) over the nodes of f, each evaluated once.
func (e *Prob) Of(f Node) float64 {
	switch f {
	case False:
		return 0
	case True:
		return 1
	}
	if e.done[f] {
		return e.memo[f]
	}
	n := e.m.nodes[f]
	pv := e.p[n.level]
	// Two explicit products, so that no fused multiply-add makes the result depend on the platform.
	hi := float64(pv * e.Of(n.hi))
	lo := float64((1 - pv) * e.Of(n.lo))
	r := hi + lo
	e.memo[f], e.done[f] = r, true
	return r
}

// Sensitivity returns, for every variable v, ∂P(f)/∂p(v) = P(f | v) − P(f | ¬v): the Birnbaum importance
// of v for f. The slice is valid until the next call. It is computed in one pass over the nodes of f, top-down: the probability of reaching a
// node times the difference between its two branches, summed over the nodes of each variable (a path
// tests a variable at most once, so the terms add up exactly). A node is created after its children
// (GC keeps that order), so decreasing index is a topological order from the root.
func (e *Prob) Sensitivity(f Node) []float64 {
	e.out = grow(e.out, len(e.p))
	out := e.out
	if f == False || f == True {
		return out
	}
	e.reach = grow(e.reach, int(f)+1)
	reach := e.reach
	reach[f] = 1
	for x := f; x > True; x-- {
		r := reach[x]
		if r == 0 {
			continue // not below f, or reached with probability 0
		}
		n := e.m.nodes[x]
		pv := e.p[n.level]
		out[n.level] += float64(r * (e.Of(n.hi) - e.Of(n.lo)))
		reach[n.hi] += float64(r * pv)
		reach[n.lo] += float64(r * (1 - pv))
	}
	return out
}

// grow returns s with n zeros, reusing its memory.
func grow(s []float64, n int) []float64 {
	if cap(s) < n {
		return make([]float64, n)
	}
	s = s[:n]
	clear(s)
	return s
}
