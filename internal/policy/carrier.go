package policy

import (
	"slices"
	"sync"

	"github.com/spofhq/spof/internal/analysis"
	"github.com/spofhq/spof/internal/model"
)

// carrierWalk is what the failure of one carrier x puts down, read toward the published numbers,
// for the single-carrier rule: every subject whose SPOF x is asks which published numbers x's
// failure takes down on its way to it, and by which path to the nearest. Searched from each
// subject, that was a walk down the whole chain for every service of a chain ending on a number
// (quadratic); here it is one search back from the numbers per carrier, shared by every subject.
type carrierWalk struct {
	once sync.Once
	// dist is, per entity x's failure puts down, the length of the shortest path to a published
	// number along the failure's steps (see build); absent when there is none. next is the first
	// step of that path (the cause with the lowest index among those one step nearer), nearest the
	// number it ends on.
	dist, next, nearest map[int32]int32
	// numbers is, per entity, the published numbers it reaches so, ascending.
	numbers map[int32][]int32
}

// build searches back from the published numbers that x's failure puts down, through what it puts
// down (x excluded, as the search forward from a subject excluded it), along the steps by which the
// failure travels: from an entity to a cause of its failure that went down in an earlier round. A
// number that goes down only after the subject, because it routes to it, is not a way the failure
// reaches the subject; without rounds, a cycle through routes_to made it one (path s → n → s → c).
func (w *carrierWalk) build(res *analysis.Result, x int32) {
	inv := res.Inv
	down := res.BlastRadius(x) // ascending
	round := rounds(res.Simulate([]int32{x}), down)
	// The steps: what each downed entity's failure is to blame on, judged against what was down
	// before its round (analysis.Causes: a member a group lost while holding is no cause).
	steps := make(map[int32][]int32, len(down))
	back := map[int32][]int32{} // the downed entities that each downed entity took down with it
	var published []int32
	for _, v := range down {
		if e := &inv.Entities[v]; e.Kind == model.Number && e.Published {
			published = append(published, v)
		}
		steps[v] = analysis.Causes(inv, v, func(d int32) bool {
			r, ok := round[d]
			return ok && r < round[v]
		})
		for _, d := range steps[v] {
			back[d] = append(back[d], v)
		}
	}
	w.dist = make(map[int32]int32, len(down))
	w.next = make(map[int32]int32, len(down))
	w.nearest = make(map[int32]int32, len(down))
	w.numbers = map[int32][]int32{}
	queue := slices.Clone(published)
	for _, p := range published {
		w.dist[p] = 0
	}
	for len(queue) > 0 { // by distance: a step's end is settled before the step
		cur := queue[0]
		queue = queue[1:]
		w.nearest[cur] = cur
		if d := w.dist[cur]; d > 0 {
			for _, n := range steps[cur] { // ascending
				if dn, ok := w.dist[n]; ok && dn == d-1 {
					w.next[cur], w.nearest[cur] = n, w.nearest[n]
					break
				}
			}
		}
		for _, u := range back[cur] {
			if _, seen := w.dist[u]; !seen {
				w.dist[u] = w.dist[cur] + 1
				queue = append(queue, u)
			}
		}
	}
	for _, p := range published { // ascending, so each list is
		seen := map[int32]bool{p: true}
		queue = append(queue[:0], p)
		for len(queue) > 0 {
			cur := queue[0]
			queue = queue[1:]
			w.numbers[cur] = append(w.numbers[cur], p)
			for _, u := range back[cur] {
				if !seen[u] {
					seen[u] = true
					queue = append(queue, u)
				}
			}
		}
	}
}

// rounds returns, for each entity of down, the round of the outage o in which it went down: its
// requirement is unmet by what went down in earlier rounds (the failed entities are round 0). In
// the order the outage propagated, an entity goes down one round after the entity whose loss
// tripped it (its Cause).
func rounds(o *analysis.Outage, down []int32) map[int32]int32 {
	round := make(map[int32]int32, len(down))
	var stack []int32
	for _, v := range down {
		for u := v; ; u = o.Cause[u] {
			if _, ok := round[u]; ok {
				break
			}
			if o.Cause[u] < 0 {
				round[u] = 0
				break
			}
			stack = append(stack, u)
		}
		for len(stack) > 0 {
			u := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			round[u] = round[o.Cause[u]] + 1
		}
	}
	return round
}

// throughNumbers returns the published numbers that the failure of carrier x takes down on its way to
// s (s included), ascending, and the walk that leads from s to the nearest one; nil numbers when the
// failure reaches s without going through any published number. The lead is the path a
// breadth-first search from s along the failure's steps (see build) would find: shortest, and at
// each step the cause with the lowest index among those on a shortest path.
func (c *evalContext) throughNumbers(s, x int32) (*lead, []int32) {
	w := c.walks[x]
	w.once.Do(func() { w.build(c.res, x) })
	if _, ok := w.dist[s]; !ok {
		return nil, nil
	}
	return &lead{w: w, from: s}, w.numbers[s]
}

// lead is a path from an entity to the nearest published number through what a carrier's failure
// puts down, walked when it is read: a chain of n services ending on a number has n single-carrier
// violations whose leads hold n²/2 entities in all.
type lead struct {
	w    *carrierWalk
	from int32
}

// number returns the published number the lead ends on.
func (l *lead) number() int32 { return l.w.nearest[l.from] }

// len returns the number of entities before the number.
func (l *lead) len() int { return int(l.w.dist[l.from]) }

// appendHead appends the first keep entities before the number (keep < 0: all of them).
func (l *lead) appendHead(dst []int32, keep int) []int32 {
	for v, i := l.from, 0; v != l.number() && (keep < 0 || i < keep); v, i = l.w.next[v], i+1 {
		dst = append(dst, v)
	}
	return dst
}
