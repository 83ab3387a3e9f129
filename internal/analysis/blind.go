package analysis

import (
	"slices"
	"sync"

	"github.com/spofhq/spof/internal/model"
	"github.com/spofhq/spof/internal/par"
	"github.com/spofhq/spof/internal/sorted"
)

// This file answers "who watches the watcher" (docs/detection.md): which failures take a service down
// with every monitoring service that could have seen it, and which take a customer-facing service
// down with every channel that could have told its customers.
//
// A monitoring service M watches the entities of its watches key. A watch requires nothing: M's
// alert delivery is its ordinary depends_on on alerting services, so "M is down" is the semantics'
// down set, nothing more. For a service S and a failure F (a set of failed entities), the scope of S
// is S and every entity S depends on, transitively; F is seen when some monitoring service that F
// does not take down watches an entity of the scope that F takes down. F is a blind spot of S when F
// takes S down and is not seen. The failures examined are those the analysis lists: every SPOF of S,
// and every minimal cut set of two entities.
//
// Only sets of one or two failed entities are evaluated, and for those "e is down" is decided from
// the minimal cut sets of e: e is down under F exactly when F holds e, a SPOF of e, or a minimal cut
// set of e (monotonicity). So the blind spots of every service cost a few lookups per failure, and a
// full propagation only to explain a blind spot of two failures.

// Detection is the detection and communication analysis of an inventory. It is read-only once built
// and safe for concurrent use.
type Detection struct {
	r *Result
	// Monitoring, Alerting and Status are the services of each role, ascending.
	Monitoring, Alerting, Status []int32
	// watchers holds, per entity, the monitoring services that watch it, ascending; nil when the
	// inventory has no monitoring service.
	watchers [][]int32
	// pairs are the minimal cut sets of two entities of every monitoring service and every watched
	// entity: what decides whether they are down under a failure of two.
	pairs map[int32][][2]int32

	reviewOnce sync.Once
	blind      []BlindSpot
	unwatched  []int32
	// walkers are reused by the calls for one service, which a check makes once per service.
	walkers sync.Pool
}

// BlindSpot is a failure that takes a service down unseen.
type BlindSpot struct {
	Service int32
	// Failure is one entity (a SPOF of Service) or two (a minimal cut set), ascending.
	Failure []int32
	// Chain is how Failure takes Service down: Service, a dependency to blame, and so on to a failed
	// entity, as spof simulate shows it.
	Chain []int32
	// Watchers are the monitoring services that watch Service or an entity it depends on, ascending.
	Watchers []Watcher
}

// Watcher is a monitoring service in a blind spot.
type Watcher struct {
	Entity int32
	// Chain is how the failure takes the watcher down, the watcher first; nil when it stays up (then
	// nothing it watches in the service's scope goes down).
	Chain []int32
	// Watches are the entities of the service's scope that it watches, ascending.
	Watches []int32
}

// SilentOutage is an entity whose failure takes down customer-facing critical services and every
// status service: customers can neither reach them nor be told.
type SilentOutage struct {
	Entity int32
	// Services are the chains that take each customer-facing critical service down, by service;
	// Status those that take each status service down. Each chain starts with its service and ends
	// with Entity ([Entity] alone when the service is Entity itself).
	Services, Status [][]int32
}

// Detection returns the detection analysis of the inventory, built on first use.
func (r *Result) Detection() *Detection {
	r.detectOnce.Do(func() { r.detect = newDetection(r) })
	return r.detect
}

func newDetection(r *Result) *Detection {
	inv := r.Inv
	d := &Detection{r: r}
	for i := range inv.Entities {
		e := &inv.Entities[i]
		if e.Kind != model.Service {
			continue
		}
		switch e.Role {
		case model.Monitoring:
			d.Monitoring = append(d.Monitoring, int32(i))
		case model.Alerting:
			d.Alerting = append(d.Alerting, int32(i))
		case model.Status:
			d.Status = append(d.Status, int32(i))
		}
	}
	if len(d.Monitoring) == 0 {
		return d
	}
	d.watchers = make([][]int32, inv.Len())
	need := slices.Clone(d.Monitoring)
	for _, m := range d.Monitoring { // ascending, so each list of watchers is too
		for _, w := range inv.Entities[m].Watches {
			d.watchers[w] = append(d.watchers[w], m)
			need = append(need, w)
		}
	}
	slices.Sort(need)
	need = slices.Compact(need)
	lists := make([][][2]int32, len(need))
	par.ForEach(len(need), func(i int) { lists[i] = r.pairCuts(need[i]) })
	d.pairs = make(map[int32][][2]int32, len(need))
	for i, e := range need {
		d.pairs[e] = lists[i]
	}
	return d
}

// pairCuts returns the minimal cut sets of exactly two entities of e, in order, whatever the
// analysis kept: when its family of e was cut short by the budget before the sets of two ended, or
// was not searched that far (MaxOrder 1), e's closure is solved again exactly.
func (r *Result) pairCuts(e int32) [][2]int32 {
	var out [][2]int32
	if r.cs != nil {
		complete := false
		truncated := r.EachCutSet(e, 0, func(set []int32) {
			switch {
			case len(set) == 2:
				out = append(out, [2]int32{set[0], set[1]})
			case len(set) > 2:
				complete = true // sets come by size: every set of two came before
			}
		})
		if complete || !truncated {
			return out
		}
		out = out[:0]
	}
	for _, c := range exactFor(r.c, r.sccs, r.sf, 2, e) {
		if c.n == 2 {
			out = append(out, [2]int32{c.v[0], c.v[1]})
		}
	}
	return out
}

// downUnder reports whether e is down when the one or two entities of f fail; pairs are e's minimal
// cut sets of two.
func (d *Detection) downUnder(e int32, f []int32, pairs [][2]int32) bool {
	for _, x := range f {
		if x == e || sorted.Contains(d.r.sf[e], x) {
			return true
		}
	}
	if len(f) < 2 {
		return false
	}
	_, found := slices.BinarySearchFunc(pairs, [2]int32{f[0], f[1]}, func(a, b [2]int32) int {
		if a[0] != b[0] {
			return int(a[0] - b[0])
		}
		return int(a[1] - b[1])
	})
	return found
}

// scope returns the watched entities among s and the entities s depends on, ascending; nil when the
// inventory has no monitoring service.
func (d *Detection) scope(s int32, w *walker) []int32 {
	if d.watchers == nil {
		return nil
	}
	var out []int32
	w.closure(d.r.c.deps, s, func(x int32) {
		if d.watchers[x] != nil {
			out = append(out, x)
		}
	})
	slices.Sort(out)
	return out
}

// watchersOf returns the monitoring services that watch an entity of scope, ascending.
func (d *Detection) watchersOf(scope []int32) []int32 {
	var out []int32
	for _, x := range scope {
		out = append(out, d.watchers[x]...)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// Watchers returns the monitoring services that watch s or an entity s depends on, ascending.
func (d *Detection) Watchers(s int32) []int32 {
	w := d.walker()
	defer d.walkers.Put(w)
	return d.watchersOf(d.scope(s, w))
}

func (d *Detection) walker() *walker {
	if w, ok := d.walkers.Get().(*walker); ok {
		return w
	}
	return newWalker(d.r.Inv.Len())
}

// Unwatched reports whether no monitoring service watches s nor any entity s depends on: then no
// failure that takes s down is seen.
func (d *Detection) Unwatched(s int32) bool { return len(d.Watchers(s)) == 0 }

// seen reports whether a monitoring service that f leaves up watches an entity of scope that f
// takes down.
func (d *Detection) seen(scope []int32, f []int32) bool {
	for _, x := range scope {
		if !d.downUnder(x, f, d.pairs[x]) {
			continue
		}
		for _, m := range d.watchers[x] {
			if !d.downUnder(m, f, d.pairs[m]) {
				return true
			}
		}
	}
	return false
}

// SeenIn reports whether, in outage o, a monitoring service that stays up watches s or an entity s
// depends on that is down: whether someone learns of s's outage. Any failure, of any size.
func (d *Detection) SeenIn(o *Outage, s int32) bool {
	w := d.walker()
	defer d.walkers.Put(w)
	for _, x := range d.scope(s, w) {
		if !o.Down[x] {
			continue
		}
		for _, m := range d.watchers[x] {
			if !o.Down[m] {
				return true
			}
		}
	}
	return false
}

// BlindSpots returns the blind spots of s: each SPOF of s, then each minimal cut set of two
// entities, that no monitoring service that survives it sees. Without any monitoring service in the
// inventory every such failure is one.
func (d *Detection) BlindSpots(s int32) []BlindSpot {
	w := d.walker()
	defer d.walkers.Put(w)
	return d.blindSpots(s, w)
}

func (d *Detection) blindSpots(s int32, w *walker) []BlindSpot {
	scope := d.scope(s, w)
	var out []BlindSpot
	for _, x := range d.r.sf[s] {
		if f := []int32{x}; !d.seen(scope, f) {
			out = append(out, d.explain(s, f, scope))
		}
	}
	for _, p := range d.r.pairCuts(s) {
		if f := p[:]; !d.seen(scope, f) {
			out = append(out, d.explain(s, slices.Clone(f), scope))
		}
	}
	return out
}

// explain builds the blind spot of s under f: the chains of s and of its watchers.
func (d *Detection) explain(s int32, f []int32, scope []int32) BlindSpot {
	b := BlindSpot{Service: s, Failure: f, Chain: d.Chain(s, f)}
	for _, m := range d.watchersOf(scope) {
		wt := Watcher{Entity: m}
		if d.downUnder(m, f, d.pairs[m]) {
			wt.Chain = d.Chain(m, f)
		}
		for _, x := range d.r.Inv.Entities[m].Watches {
			if _, in := slices.BinarySearch(scope, x); in {
				wt.Watches = append(wt.Watches, x)
			}
		}
		slices.Sort(wt.Watches)
		b.Watchers = append(b.Watchers, wt)
	}
	return b
}

// Chain returns how the failure of the entities f takes e down, as Simulate(f).Chain(e) does: e, a
// dependency to blame, and so on to a failed entity; nil when e stays up. For one failure it is the
// SPOF's path; for more, the outage is evaluated on e's closure only, which decides e exactly.
func (d *Detection) Chain(e int32, f []int32) []int32 {
	if slices.Contains(f, e) {
		return []int32{e}
	}
	if len(f) == 1 {
		return d.r.Path(e, f[0])
	}
	return d.r.chainWithin(e, f)
}

// Review returns what spof reports on detection: the critical and high services that no monitoring
// service watches, nor anything they depend on (unwatched), and the blind spots of the others, by
// service then failure. Both are empty when the inventory declares no monitoring service: detection
// is judged once it is described. It is computed once.
func (d *Detection) Review() (blind []BlindSpot, unwatched []int32) {
	d.reviewOnce.Do(func() {
		if len(d.Monitoring) == 0 {
			return
		}
		inv := d.r.Inv
		var services []int32
		for i := range inv.Entities {
			if e := &inv.Entities[i]; e.Kind == model.Service && e.Tier <= model.High {
				services = append(services, int32(i))
			}
		}
		per := make([][]BlindSpot, len(services))
		none := make([]bool, len(services))
		walkers := make([]*walker, par.Workers(len(services)))
		par.ForEachWorker(len(services), func(wi, i int) {
			if walkers[wi] == nil {
				walkers[wi] = newWalker(inv.Len())
			}
			s := services[i]
			if scope := d.scope(s, walkers[wi]); len(d.watchersOf(scope)) == 0 {
				none[i] = true
				return
			}
			per[i] = d.blindSpots(s, walkers[wi])
		})
		for i, s := range services {
			if none[i] {
				d.unwatched = append(d.unwatched, s)
			}
			d.blind = append(d.blind, per[i]...)
		}
	})
	return d.blind, d.unwatched
}

// SilentOutages returns, by entity, the entities whose failure alone takes down a customer-facing
// critical service and every status service. It is empty when the inventory declares no status
// service: communication is judged once it is described.
func (d *Detection) SilentOutages() []SilentOutage {
	if len(d.Status) == 0 {
		return nil
	}
	r := d.r
	// The entities that take every status service down: itself or one of its SPOFs, for each.
	var cands []int32
	for i, t := range d.Status {
		own := sorted.Insert(slices.Clone(r.sf[t]), t)
		if i == 0 {
			cands = own
		} else {
			cands = sorted.Intersect(cands, own)
		}
	}
	var out []SilentOutage
	for _, x := range cands {
		var services [][]int32
		for _, s := range sorted.Insert(slices.Clone(r.BlastRadius(x)), x) {
			if e := &r.Inv.Entities[s]; e.Kind == model.Service && e.Tier == model.Critical && e.CustomerFacing {
				services = append(services, d.Chain(s, []int32{x}))
			}
		}
		if services == nil {
			continue
		}
		so := SilentOutage{Entity: x, Services: services}
		for _, t := range d.Status {
			so.Status = append(so.Status, d.Chain(t, []int32{x}))
		}
		out = append(out, so)
	}
	return out
}

// walker finds an entity's dependency closure with scratch space reused from one call to the next.
type walker struct {
	seen  []bool
	stack []int32
	found []int32
}

func newWalker(n int) *walker { return &walker{seen: make([]bool, n)} }

// closure calls visit for s and every entity s depends on, transitively, once each.
func (w *walker) closure(deps [][]int32, s int32, visit func(int32)) {
	w.found = append(w.found[:0], s)
	w.seen[s] = true
	w.stack = append(w.stack[:0], s)
	for len(w.stack) > 0 {
		x := w.stack[len(w.stack)-1]
		w.stack = w.stack[:len(w.stack)-1]
		visit(x)
		for _, y := range deps[x] {
			if !w.seen[y] {
				w.seen[y] = true
				w.found = append(w.found, y)
				w.stack = append(w.stack, y)
			}
		}
	}
	for _, x := range w.found {
		w.seen[x] = false
	}
}

// chainWithin returns Simulate(failed).Chain(e), computing the outage on e's dependency closure
// only: what is down there depends on nothing else.
func (r *Result) chainWithin(e int32, failed []int32) []int32 {
	inv := r.Inv
	at := map[int32]int{} // closure entity → index in nodes
	var nodes []int32
	newWalker(inv.Len()).closure(r.c.deps, e, func(x int32) {
		at[x] = len(nodes)
		nodes = append(nodes, x)
	})
	down := make([]bool, len(nodes))
	isDown := func(x int32) bool { return down[at[x]] }
	for i, x := range nodes {
		down[i] = slices.Contains(failed, x)
	}
	// Least fixed point: add what the failures force until nothing changes.
	for changed := true; changed; {
		changed = false
		for i, x := range nodes {
			if down[i] {
				continue
			}
			for _, ref := range inv.Entities[x].Refs {
				if !metBy(ref.Req, isDown) {
					down[i], changed = true, true
					break
				}
			}
		}
	}
	if !isDown(e) {
		return nil
	}
	// As Outage.Chain: each entity's distance to the failed ones along causes, then from e the
	// lowest cause one step closer, step by step.
	blame := map[int32][]int32{}
	users := map[int32][]int32{}
	dist := map[int32]int{}
	var queue []int32
	for todo := []int32{e}; len(todo) > 0; {
		x := todo[len(todo)-1]
		todo = todo[:len(todo)-1]
		if _, done := blame[x]; done {
			continue
		}
		if slices.Contains(failed, x) {
			blame[x] = nil
			dist[x] = 0
			queue = append(queue, x)
			continue
		}
		blame[x] = causes(inv, x, isDown)
		for _, y := range blame[x] {
			users[y] = append(users[y], x)
			todo = append(todo, y)
		}
	}
	slices.Sort(queue)
	for len(queue) > 0 {
		x := queue[0]
		queue = queue[1:]
		for _, u := range users[x] {
			if _, ok := dist[u]; !ok {
				dist[u] = dist[x] + 1
				queue = append(queue, u)
			}
		}
	}
	chain := []int32{e}
	for cur := e; dist[cur] > 0; {
		for _, y := range blame[cur] {
			if dy, ok := dist[y]; ok && dy == dist[cur]-1 {
				cur = y
				break
			}
		}
		chain = append(chain, cur)
	}
	return chain
}
