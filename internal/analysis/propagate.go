package analysis

import (
	"sync"

	"github.com/spofhq/spof/internal/model"
)

// Outage is what a set of failures puts down, by the least-fixed-point semantics.
type Outage struct {
	// Down marks every entity that is down, the failed ones included.
	Down []bool
	// Cause is, for an entity down as a consequence, the dependency whose loss tripped it; -1 for the
	// failed entities themselves and for entities that stayed up.
	Cause []int32
	// tripped counts, per expression, the children that are down.
	downKids []int32

	inv       *model.Inventory
	chainOnce sync.Once
	// Per entity, built on first use by Chain: the next step of its chain (-1 at a failed entity),
	// its distance to the failed entity the chain ends at (len(Chain)-1), and that entity.
	next, dist, end []int32
}

// propagate returns the outage caused by failed (see spread).
func (c *compiled) propagate(failed []int32) *Outage {
	n := c.inv.Len()
	o := &Outage{Down: make([]bool, n), Cause: make([]int32, n), downKids: make([]int32, len(c.trip)), inv: c.inv}
	for i := range o.Cause {
		o.Cause[i] = -1
	}
	c.spread(o.Down, o.downKids, failed, -1, o.Cause, nil, nil)
	return o
}

// spread marks down, in down, the entities failed and everything they put down, and returns the
// down entities in the order they went down (appended to queue). It is event-driven: each entity
// that goes down increments the down count, in kids, of the expressions that use it, and an
// expression that reaches its trip count passes the failure to its parent. Only what is forced goes
// down, which is the least fixed point. The entity held (-1: none) may go down, but its users never
// see it. cause, when not nil, gets for each entity put down the dependency whose loss tripped it;
// touched, when not nil, gets every expression whose count left 0.
func (c *compiled) spread(down []bool, kids, failed []int32, held int32, cause []int32, queue []int32, touched *[]int32) []int32 {
	for _, f := range failed {
		if !down[f] {
			down[f] = true
			queue = append(queue, f)
		}
	}
	for i := 0; i < len(queue); i++ {
		d := queue[i]
		if d == held {
			continue
		}
		for _, x := range c.users[c.usersStart[d]:c.usersStart[d+1]] {
			for x >= 0 {
				if kids[x] == 0 && touched != nil {
					*touched = append(*touched, x)
				}
				kids[x]++
				if kids[x] != c.trip[x] {
					break
				}
				if p := c.parent[x]; p >= 0 {
					x = p
					continue
				}
				owner := c.owner[x]
				if !down[owner] {
					down[owner] = true
					if cause != nil {
						cause[owner] = d
					}
					queue = append(queue, owner)
				}
				break
			}
		}
	}
	return queue
}

// Simulator answers what failures put down, one set after the other, reusing its tables: each
// answer costs what the failures put down, not the size of the inventory. It is not safe for
// concurrent use.
type Simulator struct {
	c       *compiled
	down    []bool
	kids    []int32
	queue   []int32 // the entities down in the last answer
	touched []int32 // the expressions counted in the last answer
}

// NewSimulator returns a Simulator of r's inventory.
func (r *Result) NewSimulator() *Simulator {
	return &Simulator{c: r.c, down: make([]bool, r.c.inv.Len()), kids: make([]int32, len(r.c.trip))}
}

// DownHolding returns what the failure of every entity in failed puts down, marked by entity, with
// every reference to held met whether held is down or not: the inventory as it would be with an
// independent alternative to held (an any_of of held and a twin that depends on nothing) beside
// every use of it, which a single failure other than the twin's cannot put down. The slice is the
// Simulator's: valid until its next answer.
func (s *Simulator) DownHolding(failed []int32, held int32) []bool {
	for _, e := range s.queue {
		s.down[e] = false
	}
	for _, x := range s.touched {
		s.kids[x] = 0
	}
	s.touched = s.touched[:0]
	s.queue = s.c.spread(s.down, s.kids, failed, held, nil, s.queue[:0], &s.touched)
	return s.down
}

// buildParents fills the reverse links propagate needs: which expressions use each entity, and each
// expression's parent expression or owning entity.
func (c *compiled) buildParents() {
	nx := len(c.trip)
	c.parent = make([]int32, nx)
	c.owner = make([]int32, nx)
	for x := range c.parent {
		c.parent[x] = -1
	}
	count := make([]int32, c.inv.Len()+1)
	for e, r := range c.root {
		if r >= 0 {
			c.setOwner(r, int32(e))
		}
	}
	for x := range nx {
		for _, k := range c.children(int32(x)) {
			if k >= 0 {
				count[k+1]++
			}
		}
	}
	for i := 1; i < len(count); i++ {
		count[i] += count[i-1]
	}
	c.usersStart = count
	c.users = make([]int32, count[len(count)-1])
	fill := append([]int32(nil), count...)
	for x := range nx {
		for _, k := range c.children(int32(x)) {
			if k >= 0 {
				c.users[fill[k]] = int32(x)
				fill[k]++
			}
		}
	}
}

func (c *compiled) setOwner(x, e int32) {
	c.owner[x] = e
	for _, k := range c.children(x) {
		if k < 0 {
			c.parent[-k-1] = x
			c.setOwner(-k-1, e)
		}
	}
}
