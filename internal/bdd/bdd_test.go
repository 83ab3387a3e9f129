package bdd

import (
	"math"
	"math/rand/v2"
	"testing"
)

// formula is a random expression evaluated directly, the reference the diagrams are checked against.
type formula struct {
	op   string // "var", "and", "or", "atleast"
	v    int
	t    int
	kids []*formula
}

func (f *formula) eval(x uint) bool {
	switch f.op {
	case "var":
		return x&(1<<f.v) != 0
	case "and":
		for _, k := range f.kids {
			if !k.eval(x) {
				return false
			}
		}
		return true
	case "or":
		for _, k := range f.kids {
			if k.eval(x) {
				return true
			}
		}
		return false
	}
	n := 0
	for _, k := range f.kids {
		if k.eval(x) {
			n++
		}
	}
	return n >= f.t
}

func (f *formula) build(m *Manager) Node {
	if f.op == "var" {
		return m.Var(f.v)
	}
	kids := make([]Node, len(f.kids))
	for i, k := range f.kids {
		kids[i] = k.build(m)
	}
	switch f.op {
	case "and":
		return m.AtLeast(len(kids), kids)
	case "or":
		r := False
		for _, k := range kids {
			r = m.Or(r, k)
		}
		return r
	}
	return m.AtLeast(f.t, kids)
}

func randomFormula(rng *rand.Rand, vars, depth int) *formula {
	if depth == 0 || rng.IntN(3) == 0 {
		return &formula{op: "var", v: rng.IntN(vars)}
	}
	f := &formula{op: []string{"and", "or", "atleast"}[rng.IntN(3)]}
	for range 1 + rng.IntN(4) {
		f.kids = append(f.kids, randomFormula(rng, vars, depth-1))
	}
	f.t = rng.IntN(len(f.kids) + 2) // out of range on purpose now and then
	return f
}

// TestAgainstTruthTables checks canonicity (equal functions are equal nodes), probabilities and
// sensitivities against enumeration of every assignment.
func TestAgainstTruthTables(t *testing.T) {
	m := New(0)
	for seed := range 2000 {
		rng := rand.New(rand.NewPCG(uint64(seed), 1))
		vars := 1 + rng.IntN(7)
		m.Reset()
		f := randomFormula(rng, vars, 4)
		g := randomFormula(rng, vars, 4)
		nf, ng := f.build(m), g.build(m)
		p := make([]float64, vars)
		for i := range p {
			p[i] = rng.Float64()
		}
		same := true
		var want float64
		wantSens := make([]float64, vars)
		for x := uint(0); x < 1<<vars; x++ {
			if f.eval(x) != g.eval(x) {
				same = false
			}
			w := 1.0
			for v := range vars {
				if x&(1<<v) != 0 {
					w *= p[v]
				} else {
					w *= 1 - p[v]
				}
			}
			if f.eval(x) {
				want += w
			}
			// Sensitivity by definition: P(f | v true) − P(f | v false), one assignment of the others at a time.
			for v := range vars {
				if x&(1<<v) != 0 {
					continue
				}
				wo := 1.0
				for u := range vars {
					switch {
					case u == v:
					case x&(1<<u) != 0:
						wo *= p[u]
					default:
						wo *= 1 - p[u]
					}
				}
				d := 0.0
				if f.eval(x | 1<<v) {
					d += wo
				}
				if f.eval(x) {
					d -= wo
				}
				wantSens[v] += d
			}
		}
		if (nf == ng) != same {
			t.Fatalf("seed %d: nodes equal = %v, functions equal = %v", seed, nf == ng, same)
		}
		pr := m.NewProb(p)
		if got := pr.Of(nf); math.Abs(got-want) > 1e-12 {
			t.Fatalf("seed %d: P = %v, want %v", seed, got, want)
		}
		for v, s := range pr.Sensitivity(nf) {
			if math.Abs(s-wantSens[v]) > 1e-9 {
				t.Fatalf("seed %d: sensitivity of %d = %v, want %v", seed, v, s, wantSens[v])
			}
		}
	}
}

func TestLimit(t *testing.T) {
	m := New(20)
	fs := make([]Node, 30)
	for i := range fs {
		fs[i] = m.Var(i)
	}
	m.AtLeast(15, fs)
	if !m.Exceeded() {
		t.Fatalf("Exceeded = false with %d nodes, limit 20", m.Size())
	}
	m.Reset()
	if m.Exceeded() || m.Size() != 2 {
		t.Fatalf("after Reset: Exceeded %v, Size %d", m.Exceeded(), m.Size())
	}
}

// TestGC checks that collecting keeps the functions held and their canonicity: after a GC, building
// a function again gives the node it was renumbered to.
func TestGC(t *testing.T) {
	m := New(0)
	for seed := range 500 {
		rng := rand.New(rand.NewPCG(uint64(seed), 3))
		vars := 1 + rng.IntN(7)
		m.Reset()
		fs := make([]*formula, 4)
		nodes := make([]Node, len(fs))
		for i := range fs {
			fs[i] = randomFormula(rng, vars, 4)
			nodes[i] = fs[i].build(m)
		}
		randomFormula(rng, vars, 5).build(m) // garbage
		keep := []*Node{&nodes[0], &nodes[2]}
		m.GC(keep)
		for _, i := range []int{0, 2} {
			for x := uint(0); x < 1<<vars; x++ {
				if eval(m, nodes[i], x) != fs[i].eval(x) {
					t.Fatalf("seed %d: function %d changed by GC at %b", seed, i, x)
				}
			}
			if again := fs[i].build(m); again != nodes[i] {
				t.Fatalf("seed %d: function %d rebuilt as %d, held as %d", seed, i, again, nodes[i])
			}
		}
	}
}

// TestBudgetsEnd drives the node limit down to its smallest values on random formulas: every build
// ends, and either fits or says Exceeded.
func TestBudgetsEnd(t *testing.T) {
	for limit := 1; limit <= 40; limit++ {
		m := New(limit)
		for seed := range 200 {
			rng := rand.New(rand.NewPCG(uint64(seed), 4))
			m.Reset()
			f := randomFormula(rng, 12, 6)
			nf := f.build(m)
			if !m.Exceeded() && m.Size() > 2*limit {
				t.Fatalf("limit %d: %d nodes without Exceeded", limit, m.Size())
			}
			_ = nf
		}
	}
}

func eval(m *Manager, f Node, x uint) bool {
	for f > True {
		n := m.nodes[f]
		if x&(1<<n.level) != 0 {
			f = n.hi
		} else {
			f = n.lo
		}
	}
	return f == True
}
