package analysis

import (
	"slices"
	"sync"
	"sync/atomic"

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
// takes S down and is not seen. The failures examined are every SPOF of S and every minimal cut set
// of S of two entities.
//
// Only sets of one or two failed entities are evaluated, and for those "e is down" is decided from
// the minimal cut sets of e: e is down under F exactly when F holds e, a SPOF of e, or a minimal cut
// set of e (monotonicity). So deciding a blind spot costs a few lookups per failure; only explaining
// one of two failures evaluates the outage, on the closure of the service and its watchers (local).
// The minimal cut sets of two are solved exactly, whatever budget and order the analysis had, once
// for all the entities that need them: their dependency closure is solved at order two without
// budget (pairsOf).

// Detection is the detection and communication analysis of an inventory. It computes what it is asked
// for on first use and is safe for concurrent use.
type Detection struct {
	r *Result
	// Monitoring, Alerting and Status are the services of each role, ascending.
	Monitoring, Alerting, Status []int32
	// watchers holds, per entity, the monitoring services that watch it, ascending; nil when the
	// inventory has no monitoring service.
	watchers [][]int32
	// pairs holds, per entity, its minimal cut sets of two once prepared (nil before): what decides
	// whether it is down under a failure of two. prepare adds them under prepareMu; atomic pointers
	// let every core read them without contention.
	pairs     []atomic.Pointer[[][2]int32]
	prepareMu sync.Mutex
	// need are the monitoring services and the watched entities, ascending: every blind spot needs
	// their minimal cut sets of two.
	need []int32

	reviewOnce sync.Once
	blind      []BlindSpot
	unwatched  []int32
	unlisted   []Unlisted
	// walkers are reused by the calls for one service, which a check makes once per service.
	walkers sync.Pool
	// rank is, per entity, the position of its component in the analysis' components, which come
	// dependencies first: local evaluates a closure in that order. Built on first use.
	rankOnce sync.Once
	rank     []int32
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

// Unlisted counts the blind spots of two failures of a service that Review does not list.
type Unlisted struct {
	Service int32
	Count   int
}

// Unlisted returns, by service, how many blind spots of two failures Review left out.
func (d *Detection) Unlisted() []Unlisted {
	d.Review()
	return d.unlisted
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

// DetectionReadsPaths reports whether Detection reads the analysis' paths on inv: it does when inv
// declares a monitoring service (the chains of blind spots), and has nothing to read otherwise. A
// caller that reads no path itself analyses with Options.SkipPaths set to its negation (see
// AnalyzeSPOFs): a ring of 10,000 services holds 1.6 GB of paths.
func DetectionReadsPaths(inv *model.Inventory) bool { return inv.HasRole(model.Monitoring) }

// AnalyzeSPOFs analyses inv up to order 1 for a caller that reads no SPOF path itself (simulations,
// blast radii, diagrams, the report's whole-platform figures): the paths are computed only when
// Detection reads them.
func AnalyzeSPOFs(inv *model.Inventory) *Result {
	return Analyze(inv, Options{MaxOrder: 1, SkipPaths: !DetectionReadsPaths(inv)})
}

// Detection returns the detection analysis of the inventory, built on first use.
func (r *Result) Detection() *Detection {
	r.detectOnce.Do(func() { r.detect = newDetection(r) })
	return r.detect
}

func newDetection(r *Result) *Detection {
	inv := r.Inv
	d := &Detection{r: r, pairs: make([]atomic.Pointer[[][2]int32], inv.Len())}
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
	d.need = slices.Clone(d.Monitoring)
	for _, m := range d.Monitoring { // ascending, so each list of watchers is too
		for _, w := range inv.Entities[m].Watches {
			d.watchers[w] = append(d.watchers[w], m)
			d.need = append(d.need, w)
		}
	}
	slices.Sort(d.need)
	d.need = slices.Compact(d.need)
	return d
}

// Prepare solves at once the minimal cut sets of two of the services whose blind spots will be
// asked for, with those of the monitoring services and watched entities: one pass over their
// dependencies, much cheaper than one entity at a time when their closures overlap.
func (d *Detection) Prepare(services []int32) {
	if d.watchers != nil {
		d.prepare(append(slices.Clone(d.need), services...))
	}
}

// prepare adds the minimal cut sets of two of the entities of es that lack them.
func (d *Detection) prepare(es []int32) {
	d.prepareMu.Lock()
	defer d.prepareMu.Unlock()
	var missing []int32
	for _, e := range es {
		if d.pairs[e].Load() == nil {
			missing = append(missing, e)
		}
	}
	for e, ps := range d.r.pairsOf(missing) {
		d.pairs[e].Store(&ps)
	}
}

// pairsFor returns e's minimal cut sets of two, solving them first when not prepared.
func (d *Detection) pairsFor(e int32) [][2]int32 {
	ps := d.pairs[e].Load()
	if ps == nil {
		d.prepare([]int32{e})
		ps = d.pairs[e].Load()
	}
	return *ps
}

// pairsOf returns the minimal cut sets of exactly two entities of each entity of es, in order. It
// solves the families of their dependency closure, and nothing else, at order two and without
// budget: exact whatever budget and order the analysis had, and one pass however many entities.
func (r *Result) pairsOf(es []int32) map[int32][][2]int32 {
	out := make(map[int32][][2]int32, len(es))
	if len(es) == 0 {
		return out
	}
	in := make([]bool, r.Inv.Len())
	stack := slices.Clone(es)
	for _, e := range es {
		in[e] = true
	}
	for len(stack) > 0 {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, d := range r.c.deps[x] {
			if !in[d] {
				in[d] = true
				stack = append(stack, d)
			}
		}
	}
	cs := newCutSets(r.c, r.sf, 2, 0, 0, r.cyc, r.sccs)
	solvers := make([]*solver, par.Workers(len(r.sccs)))
	for w := range solvers {
		solvers[w] = cs.newSolver()
	}
	// A component is inside the closure whole, or not at all.
	lv := levels(r.c, r.sccs, func(comp []int32) bool { return in[comp[0]] })
	// users counts, per entity, the entities of other components that depend on it and are not
	// solved yet: once none is left, its family is dropped unless asked for, so that a large closure
	// never holds every family at once.
	users := make([]int32, r.Inv.Len())
	wanted := make([]bool, r.Inv.Len())
	for _, e := range es {
		wanted[e] = true
	}
	compOf := make([]int32, r.Inv.Len())
	for i, comp := range r.sccs {
		for _, e := range comp {
			compOf[e] = int32(i)
		}
	}
	for _, level := range lv {
		for _, ci := range level {
			for _, e := range r.sccs[ci] {
				for _, d := range r.c.deps[e] {
					if compOf[d] != compOf[e] {
						users[d]++
					}
				}
			}
		}
	}
	for _, level := range lv {
		// A component whose families the analysis holds up to two entities at least is not solved
		// again: their sets of two are a prefix of what it kept, shared as is.
		var todo []int32
		for _, ci := range level {
			if !r.seedPairs(cs, r.sccs[ci]) {
				todo = append(todo, ci)
			}
		}
		par.ForEachWorker(len(todo), func(w, i int) { solvers[w].solve(r.sccs[todo[i]], r.cyc[todo[i]]) })
		for _, ci := range level {
			for _, e := range r.sccs[ci] {
				for _, d := range r.c.deps[e] {
					if compOf[d] == compOf[e] {
						continue
					}
					if users[d]--; users[d] == 0 && !wanted[d] {
						cs.fams[d] = fam{}
					}
				}
			}
		}
	}
	for _, e := range es {
		var ps [][2]int32
		for _, c := range cs.fams[e].sets {
			if c.n == 2 {
				ps = append(ps, [2]int32{c.v[0], c.v[1]})
			}
		}
		out[e] = ps
	}
	return out
}

// seedPairs sets the families of order two of the component comp in cs from those the analysis
// kept, and reports whether it could: it can when, for every entity, the analysis searched sets of
// two or more and what it kept ends beyond the sets of two (a family holds exactly the minimal sets
// that sort before its end, and every set of two sorts before any set of three). A chained entity
// shares its family, as the analysis did.
func (r *Result) seedPairs(cs *cutSets, comp []int32) bool {
	if r.cs == nil {
		return false
	}
	for _, e := range comp {
		if r.cs.fams[e].end.n <= 2 {
			return false
		}
	}
	for _, e := range comp {
		sets := r.cs.fams[e].sets
		k := 0
		for k < len(sets) && sets[k].n <= 2 {
			k++
		}
		cs.fams[e] = fam{sets: sets[:k:k], end: whole}
	}
	return true
}

// downUnder reports whether e is down when the one or two entities of f fail; pairs are e's minimal
// cut sets of two.
func (d *Detection) downUnder(e int32, f []int32, pairs [][2]int32) bool {
	for _, x := range f {
		if x == e || d.r.sf.has(e, x) {
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
		if !d.downUnder(x, f, d.pairsFor(x)) {
			continue
		}
		for _, m := range d.watchers[x] {
			if !d.downUnder(m, f, d.pairsFor(m)) {
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
	out, _ := d.blindSpots(s, w, 0)
	return out
}

// blindSpots returns the blind spots of s, its blind spots of two only up to limit (0: all), and
// how many more blind spots of two s has.
func (d *Detection) blindSpots(s int32, w *walker, limit int) (out []BlindSpot, more int) {
	scope := d.scope(s, w)
	for _, x := range d.r.sf.get(s) {
		if f := []int32{x}; !d.seen(scope, f) {
			out = append(out, d.explain(s, f, scope))
		}
	}
	listed := 0
	var l *local // the outages of pairs, evaluated on the closure of s and its watchers
	for _, p := range d.pairsFor(s) {
		if f := p[:]; !d.seen(scope, f) {
			if limit > 0 && listed == limit {
				more++
				continue
			}
			listed++
			if l == nil {
				l = d.r.newLocal(append([]int32{s}, d.watchersOf(scope)...), w, d.ranks())
			}
			out = append(out, d.explainWith(s, slices.Clone(f), scope, l.chains))
		}
	}
	return out, more
}

// explain builds the blind spot of s under f: the chains of s and of its watchers.
func (d *Detection) explain(s int32, f []int32, scope []int32) BlindSpot {
	return d.explainWith(s, f, scope, d.Chains)
}

// explainWith is explain with the chains of entities under f given by chains.
func (d *Detection) explainWith(s int32, f []int32, scope []int32, chains func(es, f []int32) [][]int32) BlindSpot {
	b := BlindSpot{Service: s, Failure: f}
	roots := []int32{s}
	for _, m := range d.watchersOf(scope) {
		b.Watchers = append(b.Watchers, Watcher{Entity: m})
		if d.downUnder(m, f, d.pairsFor(m)) {
			roots = append(roots, m)
		}
	}
	// The chains of the service and of the watchers that go down, from one evaluation.
	cs := chains(roots, f)
	b.Chain = cs[0]
	for i, j := 0, 1; j < len(roots); i++ {
		if b.Watchers[i].Entity == roots[j] {
			b.Watchers[i].Chain = cs[j]
			j++
		}
	}
	// What each watches of the scope, read from the scope (ascending), which is small, rather than
	// from the watches, which may list thousands of entities.
	for _, x := range scope {
		for _, m := range d.watchers[x] {
			i, _ := slices.BinarySearchFunc(b.Watchers, m, func(w Watcher, m int32) int { return int(w.Entity - m) })
			b.Watchers[i].Watches = append(b.Watchers[i].Watches, x)
		}
	}
	return b
}

// Chain returns how the failure of the entities f takes e down, as Simulate(f).Chain(e) does: e, a
// dependency to blame, and so on to a failed entity; nil when e stays up. For one failure it is the
// SPOF's path; for more, the outage is evaluated on e's closure only, which decides e exactly.
func (d *Detection) Chain(e int32, f []int32) []int32 { return d.Chains([]int32{e}, f)[0] }

// Chains returns the Chain of each entity of es under f, evaluating the outage once, on their
// closure.
func (d *Detection) Chains(es []int32, f []int32) [][]int32 {
	out := make([][]int32, len(es))
	var rest []int32
	for i, e := range es {
		switch {
		case slices.Contains(f, e):
			out[i] = []int32{e}
		case len(f) == 1:
			out[i] = d.r.Path(e, f[0])
		default:
			rest = append(rest, e)
		}
	}
	if rest == nil {
		return out
	}
	w := d.walker()
	defer d.walkers.Put(w)
	chains := d.r.newLocal(rest, w, d.ranks()).chains(rest, f)
	for i, j := 0, 0; i < len(es); i++ {
		if out[i] == nil && j < len(rest) && es[i] == rest[j] {
			out[i] = chains[j]
			j++
		}
	}
	return out
}

// ReviewPairs is how many blind spots of two failures Review lists per service, the first in the
// order of their IDs, as analyze lists cut sets: a service with thousands of minimal cut sets of two
// and a monitoring that sees none of them would otherwise drown everything else. The others are
// counted (Unlisted).
const ReviewPairs = 100

// ranks returns, per entity, the position of its component in the analysis' components, which come
// dependencies first.
func (d *Detection) ranks() []int32 {
	d.rankOnce.Do(func() {
		d.rank = make([]int32, d.r.Inv.Len())
		for i, comp := range d.r.sccs {
			for _, x := range comp {
				d.rank[x] = int32(i)
			}
		}
	})
	return d.rank
}

// Review returns what spof reports on detection: the critical and high services that no monitoring
// service watches, nor anything they depend on (unwatched), and the blind spots of the others, by
// service then failure, at most ReviewPairs blind spots of two per service. Both are empty when the
// inventory declares no monitoring service: detection is judged once it is described. It is
// computed once.
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
		more := make([]int, len(services))
		none := make([]bool, len(services))
		walkers := make([]*walker, par.Workers(len(services)))
		walker := func(wi int) *walker {
			if walkers[wi] == nil {
				walkers[wi] = newWalker(inv.Len())
			}
			return walkers[wi]
		}
		par.ForEachWorker(len(services), func(wi, i int) {
			none[i] = len(d.watchersOf(d.scope(services[i], walker(wi)))) == 0
		})
		var watched []int32
		for i, s := range services {
			if none[i] {
				d.unwatched = append(d.unwatched, s)
			} else {
				watched = append(watched, s)
			}
		}
		d.Prepare(watched) // their minimal cut sets of two, in one pass
		par.ForEachWorker(len(services), func(wi, i int) {
			if !none[i] {
				per[i], more[i] = d.blindSpots(services[i], walker(wi), ReviewPairs)
			}
		})
		for i, s := range services {
			d.blind = append(d.blind, per[i]...)
			if more[i] > 0 {
				d.unlisted = append(d.unlisted, Unlisted{Service: s, Count: more[i]})
			}
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
		own := sorted.Insert(r.sf.get(t), t)
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
	// at is a local's: each entity's position in its closure.
	at []int32
}

func newWalker(n int) *walker { return &walker{seen: make([]bool, n)} }

// closure calls visit for s and every entity s depends on, transitively, once each.
func (w *walker) closure(deps [][]int32, s int32, visit func(int32)) {
	w.closureOf(deps, []int32{s}, visit)
}

// closureOf calls visit for the entities of roots and every entity they depend on, transitively,
// once each.
func (w *walker) closureOf(deps [][]int32, roots []int32, visit func(int32)) {
	w.found, w.stack = w.found[:0], w.stack[:0]
	for _, s := range roots {
		if !w.seen[s] {
			w.seen[s] = true
			w.found = append(w.found, s)
			w.stack = append(w.stack, s)
		}
	}
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

// local evaluates outages on a fixed dependency closure, reusing its buffers from one set of
// failures to the next: what is down in a closure depends on nothing else, so the chains of its
// entities are those of Simulate, at the cost of the closure alone.
type local struct {
	r     *Result
	nodes []int32 // the closure, dependencies first: one pass settles all but cycles
	at    []int32 // per entity of the closure, its position in nodes (the walker's)
	down  []bool
	blame [][]int32
	users [][]int32
	dist  []int32
	queue []int32
}

// newLocal prepares the evaluation of outages on the closure of roots; w must not be used for
// another closure while it is in use.
func (r *Result) newLocal(roots []int32, w *walker, rank []int32) *local {
	var nodes []int32
	w.closureOf(r.c.deps, roots, func(x int32) { nodes = append(nodes, x) })
	slices.SortFunc(nodes, func(a, b int32) int { return int(rank[a] - rank[b]) })
	if w.at == nil {
		w.at = make([]int32, len(w.seen))
	}
	// Only the closure's entries of at are read: requirements name dependencies only.
	for i, x := range nodes {
		w.at[x] = int32(i)
	}
	n := len(nodes)
	return &local{r: r, nodes: nodes, at: w.at, down: make([]bool, n), blame: make([][]int32, n),
		users: make([][]int32, n), dist: make([]int32, n)}
}

// chains returns Simulate(failed).Chain(e) for each entity e of es, which must be in the closure.
func (l *local) chains(es []int32, failed []int32) [][]int32 {
	inv, nodes, at, down := l.r.Inv, l.nodes, l.at, l.down
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
	// As Outage.Chain: each down entity's distance to the failed ones along causes, then from each
	// entity the lowest cause one step closer, step by step. Indexes are positions in nodes.
	queue := l.queue[:0]
	for i, x := range nodes {
		l.dist[i], l.blame[i], l.users[i] = -1, l.blame[i][:0], l.users[i][:0]
		switch {
		case !down[i]:
		case slices.Contains(failed, x):
			l.dist[i] = 0
			queue = append(queue, int32(i))
		}
	}
	for i, x := range nodes {
		if down[i] && l.dist[i] < 0 {
			l.blame[i] = causesInto(inv, x, isDown, l.blame[i])
			for _, y := range l.blame[i] {
				l.users[at[y]] = append(l.users[at[y]], int32(i))
			}
		}
	}
	for head := 0; head < len(queue); head++ {
		i := queue[head]
		for _, u := range l.users[i] {
			if l.dist[u] < 0 {
				l.dist[u] = l.dist[i] + 1
				queue = append(queue, u)
			}
		}
	}
	l.queue = queue
	out := make([][]int32, len(es))
	for k, e := range es {
		cur := at[e]
		if !down[cur] {
			continue
		}
		chain := []int32{e}
		for l.dist[cur] > 0 {
			for _, y := range l.blame[cur] { // ascending IDs: the first one a step closer is the lowest
				if j := at[y]; l.dist[j] == l.dist[cur]-1 {
					cur = j
					break
				}
			}
			chain = append(chain, nodes[cur])
		}
		out[k] = chain
	}
	return out
}
