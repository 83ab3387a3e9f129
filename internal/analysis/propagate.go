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

// propagate returns the outage caused by failed. It is event-driven: each entity that goes down
// increments the down count of the expressions that use it, and an expression that reaches its trip
// count passes the failure to its parent. Only what is forced goes down, which is the least fixed point.
// The entity held (-1: none) may go down, but its users never see it.
func (c *compiled) propagate(failed []int32, held int32) *Outage {
	n := c.inv.Len()
	o := &Outage{Down: make([]bool, n), Cause: make([]int32, n), downKids: make([]int32, len(c.trip)), inv: c.inv}
	for i := range o.Cause {
		o.Cause[i] = -1
	}
	queue := make([]int32, 0, len(failed))
	for _, f := range failed {
		if !o.Down[f] {
			o.Down[f] = true
			queue = append(queue, f)
		}
	}
	for len(queue) > 0 {
		d := queue[0]
		queue = queue[1:]
		if d == held {
			continue
		}
		for _, x := range c.users[c.usersStart[d]:c.usersStart[d+1]] {
			for x >= 0 {
				o.downKids[x]++
				if o.downKids[x] != c.trip[x] {
					break
				}
				if p := c.parent[x]; p >= 0 {
					x = p
					continue
				}
				owner := c.owner[x]
				if !o.Down[owner] {
					o.Down[owner] = true
					o.Cause[owner] = d
					queue = append(queue, owner)
				}
				break
			}
		}
	}
	return o
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
