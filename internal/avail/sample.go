package avail

import (
	"maps"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/spofhq/spof/internal/model"
)

// propagator is a service's closure as threshold gates for event-driven propagation, the form the
// Monte Carlo estimate evaluates: a gate with trip t is unmet once t of its children are down.
// Entities are numbered by their position in the closure.
type propagator struct {
	trip   []int32
	parent []int32 // per gate: the enclosing gate, or -1 for an entity's root gate
	owner  []int32 // per gate: the entity whose requirement it is
	users  [][]int32
}

// newPropagator compiles the current closure, numbered by w.level. Each entity with requirements
// has a root gate (the all_of of its reference keys); each group is a gate; a member naming an
// entity makes the gate one of the entity's users (once per occurrence, as a member counted twice
// is down twice).
func (w *worker) newPropagator() *propagator {
	c := &propagator{users: make([][]int32, len(w.closure))}
	var add func(r *model.Req, parent, owner int32)
	add = func(r *model.Req, parent, owner int32) {
		g := int32(len(c.trip))
		c.trip = append(c.trip, int32(len(r.Members)-r.Need()+1))
		c.parent = append(c.parent, parent)
		c.owner = append(c.owner, owner)
		for _, m := range r.Members {
			if m.Op == model.Need {
				v := w.level[m.Entity]
				c.users[v] = append(c.users[v], g)
			} else {
				add(m, g, owner)
			}
		}
	}
	for v, e := range w.closure {
		refs := w.inv.Entities[e].Refs
		if len(refs) == 0 {
			continue
		}
		members := make([]*model.Req, len(refs))
		for i, ref := range refs {
			members[i] = ref.Req
		}
		add(&model.Req{Op: model.AllOf, Members: members}, -1, int32(v))
	}
	return c
}

// sample estimates the probability of the rest of bounded service s by Monte Carlo, and puts the
// estimate within out's guaranteed interval: it draws failure sets of the closure with the service
// and its SPOFs (top) up, propagates each to its least fixed point and counts the draws that put the
// service down. SamplingError is the largest distance from the estimate to the ends of the Wilson
// 95% interval (meaningful even when no draw puts the service down), scaled as the estimate is.
// The generator is seeded by the service's index, so the output is reproducible. pt is P(top
// fails) and up P(top up); r bounds the rest.
func (w *worker) sample(out *Service, s int32, top []int32, pt, up float64, r *module) {
	if len(w.level) == 0 {
		w.level = make([]int32, w.inv.Len())
	}
	for v, e := range w.closure {
		w.level[e] = int32(v)
	}
	c := w.newPropagator()
	n := len(w.closure)
	// Entities with the same failure probability form a class whose failures are drawn by geometric
	// skips: a draw costs the number of classes plus the number of failures, not the closure size.
	type class struct {
		logKeep float64 // log(1 − q)
		vars    []int32
	}
	byQ := map[float64][]int32{}
	for v, e := range w.closure {
		if q := 1 - w.own[e]; q > 0 && !slices.Contains(top, e) {
			byQ[q] = append(byQ[q], int32(v))
		}
	}
	var classes []class
	for _, q := range slices.Sorted(maps.Keys(byQ)) {
		classes = append(classes, class{logKeep: math.Log1p(-q), vars: byQ[q]})
	}
	rng := rand.New(rand.NewPCG(uint64(s), 0x5eed))
	down := make([]bool, n)
	downKids := make([]int32, len(c.trip))
	var touched, queue []int32
	var touchedGates []int32
	root := w.level[s]
	hits := 0
	for range w.opts.Samples {
		queue = queue[:0]
		for _, cl := range classes {
			for i := skip(rng, cl.logKeep); i < len(cl.vars); i += 1 + skip(rng, cl.logKeep) {
				v := cl.vars[i]
				down[v] = true
				touched = append(touched, v)
				queue = append(queue, v)
			}
		}
		for len(queue) > 0 {
			v := queue[len(queue)-1]
			queue = queue[:len(queue)-1]
			for _, g := range c.users[v] {
				for g >= 0 {
					if downKids[g] == 0 {
						touchedGates = append(touchedGates, g)
					}
					downKids[g]++
					if downKids[g] != c.trip[g] {
						break
					}
					if p := c.parent[g]; p >= 0 {
						g = p
						continue
					}
					if o := c.owner[g]; !down[o] {
						down[o] = true
						touched = append(touched, o)
						queue = append(queue, o)
					}
					break
				}
			}
		}
		if down[root] {
			hits++
		}
		for _, v := range touched {
			down[v] = false
		}
		for _, g := range touchedGates {
			downKids[g] = 0
		}
		touched, touchedGates = touched[:0], touchedGates[:0]
	}
	est := float64(hits) / float64(w.opts.Samples)
	lo, hi := wilson(hits, w.opts.Samples)
	rest := min(max(est, r.lo), r.hi)
	out.Unavailability = pt + (1-pt)*rest
	out.Availability = up * (1 - rest)
	out.SamplingError = (1 - pt) * max(est-lo, hi-est)
}

// skip returns how many members of a class survive before the next failure: a geometric draw with
// success probability q, given log(1 − q).
func skip(rng *rand.Rand, logKeep float64) int {
	if logKeep == math.Inf(-1) {
		return 0 // q = 1: every member fails
	}
	k := math.Floor(math.Log(1-rng.Float64()) / logKeep)
	if k > math.MaxInt32 {
		return math.MaxInt32
	}
	return int(k)
}

// wilson returns the Wilson score interval at 95% of a proportion of hits in n draws.
func wilson(hits, n int) (lo, hi float64) {
	const z = 1.959963984540054
	p, fn := float64(hits)/float64(n), float64(n)
	d := 1 + z*z/fn
	center := (p + z*z/(2*fn)) / d
	half := z / d * math.Sqrt(p*(1-p)/fn+z*z/(4*fn*fn))
	return max(0, center-half), min(1, center+half)
}
