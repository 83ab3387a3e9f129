package avail

import (
	"cmp"
	"slices"

	"github.com/spofhq/spof/internal/bdd"
	"github.com/spofhq/spof/internal/model"
)

// worker computes services one at a time, reusing its BDD manager and buffers.
type worker struct {
	*shared
	opts  Options
	m     *bdd.Manager
	level []int32 // per entity: its variable in the current closure, -1 outside it
	order []int32 // the current closure's entities, by variable
	// top is the number of factored variables: the service and its SPOFs, numbered first.
	top  int
	down []bdd.Node // per variable: the function "this entity is down"
	kids [][]bdd.Node
}

func (sh *shared) newWorker(opts Options) *worker {
	w := &worker{shared: sh, opts: opts, m: bdd.New(opts.NodeLimit), level: make([]int32, sh.inv.Len())}
	for i := range w.level {
		w.level[i] = -1
	}
	return w
}

// service computes service s.
func (w *worker) service(s int32, src []Source) Service {
	w.closure(s)
	defer w.clearClosure()
	out := Service{Entity: s, SLO: w.inv.Entities[s].SLO, Closure: len(w.order)}
	for _, e := range w.order {
		if src[e].Assumed() {
			out.Assumed = append(out.Assumed, e)
		}
	}
	slices.Sort(out.Assumed)
	spofs := w.res.SPOFs(s)
	for _, x := range spofs {
		out.SPOFs = append(out.SPOFs, Dependency{Entity: x, Unavailability: 1 - w.own[x]})
	}
	w.factor(spofs)
	if root, ok := w.build(); ok {
		w.exact(&out, root)
	} else {
		w.sample(&out)
	}
	out.Availability = 1 - out.Unavailability
	return out
}

// closure numbers the entities s depends on, s first, in depth-first preorder of the requirements as
// written: entities used together get neighbouring variables, a classic good order for fault trees.
func (w *worker) closure(s int32) {
	w.order = w.order[:0]
	stack := []int32{s}
	for len(stack) > 0 {
		e := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if w.level[e] >= 0 {
			continue
		}
		w.level[e] = int32(len(w.order))
		w.order = append(w.order, e)
		ds := w.deps[e]
		for i := len(ds) - 1; i >= 0; i-- {
			if w.level[ds[i]] < 0 {
				stack = append(stack, ds[i])
			}
		}
	}
}

// factor renumbers the closure so that the service and its SPOFs come first, in their preorder.
func (w *worker) factor(spofs []int32) {
	top := w.order[:0:0]
	rest := make([]int32, 0, len(w.order))
	for _, e := range w.order {
		if _, isSPOF := slices.BinarySearch(spofs, e); isSPOF || e == w.order[0] {
			top = append(top, e)
		} else {
			rest = append(rest, e)
		}
	}
	w.top = len(top)
	w.order = append(append(w.order[:0], top...), rest...)
	for v, e := range w.order {
		w.level[e] = int32(v)
	}
}

func (w *worker) clearClosure() {
	for _, e := range w.order {
		w.level[e] = -1
	}
}

// build returns the down function of the service, and false if the diagrams outgrew the node limit.
// It makes the down function of every entity of the closure, dependencies first, with the factored
// variables fixed to "up", then puts the factored variables back on top.
func (w *worker) build() (bdd.Node, bool) {
	w.m.Reset()
	w.down = slices.Grow(w.down[:0], len(w.order))[:len(w.order)]
	byRank := slices.Clone(w.order)
	slices.SortFunc(byRank, func(a, b int32) int { return cmp.Compare(w.rank[a], w.rank[b]) })
	for i := 0; i < len(byRank); {
		j := i + 1
		for j < len(byRank) && w.rank[byRank[j]] == w.rank[byRank[i]] {
			j++
		}
		comp := byRank[i:j]
		i = j
		if len(comp) == 1 {
			e := comp[0]
			w.down[w.level[e]] = w.failed(e) // for the (impossible) self-reference
			w.down[w.level[e]] = w.entityDown(e)
			if w.m.Exceeded() {
				return bdd.False, false
			}
			continue
		}
		// A cycle: start from "down iff failed itself", below the least fixed point, and apply the
		// requirements until nothing changes. Each round either stops or puts at least one more
		// entity down under some failure set, so it ends within len(comp)+1 rounds.
		for _, e := range comp {
			w.down[w.level[e]] = w.failed(e)
		}
		for changed := true; changed; {
			changed = false
			for _, e := range comp {
				d := w.entityDown(e)
				if w.m.Exceeded() {
					return bdd.False, false
				}
				if d != w.down[w.level[e]] {
					w.down[w.level[e]], changed = d, true
				}
			}
		}
	}
	root := w.down[0]
	for v := w.top - 1; v >= 0; v-- {
		root = w.m.Or(w.m.Var(v), root)
	}
	return root, !w.m.Exceeded()
}

// failed returns "e failed on its own": its variable, or false for a factored one.
func (w *worker) failed(e int32) bdd.Node {
	if v := int(w.level[e]); v >= w.top {
		return w.m.Var(v)
	}
	return bdd.False
}

// entityDown returns "e failed, or one of its requirements is unmet" from the current functions of its
// dependencies.
func (w *worker) entityDown(e int32) bdd.Node {
	d := w.failed(e)
	for _, ref := range w.inv.Entities[e].Refs {
		d = w.m.Or(d, w.reqDown(ref.Req, 0))
	}
	return d
}

// reqDown returns "requirement r is unmet": at least n − need + 1 of its members down.
func (w *worker) reqDown(r *model.Req, depth int) bdd.Node {
	if r.Op == model.Need {
		return w.down[w.level[r.Entity]]
	}
	if len(w.kids) <= depth {
		w.kids = append(w.kids, nil)
	}
	kids := w.kids[depth][:0]
	for _, m := range r.Members {
		kids = append(kids, w.reqDown(m, depth+1))
	}
	w.kids[depth] = kids
	return w.m.AtLeast(len(r.Members)-r.Need()+1, kids)
}

// exact fills the probabilities of out from the service's down function.
func (w *worker) exact(out *Service, root bdd.Node) {
	q := make([]float64, len(w.order))
	for v, e := range w.order {
		q[v] = 1 - w.own[e]
	}
	pr := w.m.NewProb(q)
	out.Method, out.Nodes = Exact, w.m.Size()
	out.Unavailability = pr.Of(root)
	for v, b := range pr.Sensitivity(root) {
		if b <= 0 {
			continue
		}
		im := Importance{Entity: w.order[v], Birnbaum: b, SavedMinutes: 0.9 * q[v] * b * MinutesPerYear}
		if out.Unavailability > 0 {
			im.FussellVesely = min(1, q[v]*b/out.Unavailability)
		}
		out.Importance = append(out.Importance, im)
	}
	slices.SortFunc(out.Importance, func(a, b Importance) int {
		if c := cmp.Compare(b.FussellVesely, a.FussellVesely); c != 0 {
			return c
		}
		if c := cmp.Compare(b.Birnbaum, a.Birnbaum); c != 0 {
			return c
		}
		return cmp.Compare(a.Entity, b.Entity)
	})
}
