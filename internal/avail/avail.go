// Package avail estimates how available each service is, assuming independent entity failures, and
// which entities cost the most: availability per service (exact, or a guaranteed interval), expected
// downtime, SLO feasibility, Birnbaum and Fussell-Vesely importance, the "what to improve first"
// ranking and the rule of the extra nine. Redundancy that was never proven by a failover drill is
// handled in untested.go.
//
// Model: every entity e fails on its own, independently, with probability q(e) = 1 − a(e), where a(e)
// is its own availability (Own). A failure set F puts a service S down by the least-fixed-point
// semantics of the analysis (docs/semantics.md); S's availability is P(S not down), its own
// failure included.
//
// Method, as fault-tree engines do it (Rauzy 1993; Dutuit & Rauzy 1996; SCRAM's preprocessor):
//
//  1. Simplify before building (build.go, circuit.go). The down status of S is a monotone Boolean
//     function of the failures of its dependency closure. S and its SPOFs T are factored out:
//     down(S) = OR(T) ∨ rest(S), rest(S) being down(S) with T's variables fixed to "up"
//     (x ∨ f(x, y) = x ∨ f(0, y)). Every entity's rest is built once, in one hash-consed circuit of
//     normalised gates (all_of chains flattened into one OR, constants propagated, common
//     disjuncts of an AND factored out), dependencies first; cycles are unrolled to their least
//     fixed point.
//  2. Find independent modules (module.go): a linear-time traversal dates every node of rest(S)
//     (Dutuit & Rauzy's algorithm); a gate whose descendants are reached only through it is a
//     module, and the arguments of an OR or AND whose descendants do not overlap form independent
//     groups. P(OR of independent parts) = 1 − ∏(1 − pᵢ), P(AND) = ∏ pᵢ.
//  3. One BDD per module (Bryant 1986, package bdd), sub-modules standing in as variables with their
//     own probability. Module probabilities are memoised across services: closures overlap, and
//     equal gates are equal nodes. Each BDD has a budget of live nodes (Options.NodeLimit).
//  4. A module whose BDD outgrows its budget (or with too much glue to try) is bounded instead, by
//     conditioning on its glue, the inputs reached by two paths or more (glue.go): given them, the
//     rest is a tree. Summing P(g)·P(module | g) over the glue states with at most j failures is
//     exact for those states; the states with more are bounded from above. The interval's ends go
//     up through the modules, each probability being increasing in every input's. Then
//     U = P(T fails) + (1 − P(T fails))·P(rest), with P(rest) in an interval: a guaranteed
//     interval, never a sample.
//  5. Past Options.Deadline, or for a service whose rest could not be built (a dependency cycle too
//     large to unroll), P(rest) is bounded without a circuit: rest(S) has no cut set of one entity,
//     so P(rest) ≤ P(at least two entities of the closure outside T fail).
//
// With Options.Samples, a bounded service's P(rest) is also estimated by Monte Carlo sampling
// (seeded by the service: reproducible), the estimate kept within the interval.
//
// Probabilities are exact up to floating point; the results do not depend on the order in which
// services are computed or on the number of cores, as long as the deadline does not pass.
//
// Every list is ordered as documented on its field.
package avail

import (
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/spofhq/spof/internal/analysis"
	"github.com/spofhq/spof/internal/model"
	"github.com/spofhq/spof/internal/par"
)

// MinutesPerYear converts an unavailability to expected downtime: a year of 365 days.
const MinutesPerYear = 365 * 24 * 60

// DefaultNodeLimit is the default budget of live BDD nodes of one module (about 12 bytes a node
// plus its tables): large enough for every module of the shipped examples and of most services of
// the dense generated platforms, small enough that a module that will not fit is given up in well
// under a second.
const DefaultNodeLimit = 1 << 11

// Method is how a service's availability was computed.
type Method uint8

// Methods.
const (
	// Exact is the BDD computation: exact up to floating point.
	Exact Method = iota
	// Bounds is a guaranteed interval: Service.Low and Service.High.
	Bounds
)

// String returns "exact" or "bounds".
func (m Method) String() string { return [...]string{"exact", "bounds"}[m] }

// Cause says why a service's availability is bounded rather than exact.
type Cause uint8

// Causes.
const (
	// NotBounded is the cause of an exact figure.
	NotBounded Cause = iota
	// NodeBudget: a module's BDD outgrew Options.NodeLimit.
	NodeBudget
	// TimeBudget: Options.Deadline passed before the service was computed.
	TimeBudget
	// LargeCycle: the service needs a dependency cycle too large to unroll.
	LargeCycle
)

// String returns "", "nodes", "time" or "cycle".
func (c Cause) String() string { return [...]string{"", "nodes", "time", "cycle"}[c] }

// Options tune Compute.
type Options struct {
	// Services are the services to compute, ascending; nil means every service.
	Services []int32
	// NodeLimit is the budget of live BDD nodes of one module, beyond which the module is bounded;
	// 0 means DefaultNodeLimit.
	NodeLimit int
	// Samples, when positive, is the number of failure sets drawn to estimate the probability of
	// a bounded service's rest by Monte Carlo sampling.
	Samples int
	// Deadline, when set, is the time after which the services not yet computed are bounded
	// without a circuit (Cause TimeBudget). Results then depend on the machine's speed.
	Deadline time.Time
	// Progress, when set, is called from any goroutine with the number of services done so far.
	Progress func(done int)
	// limits, when set, replaces the internal budgets (tests drive them to their smallest values).
	limits *limits
}

// limits are the budgets that keep every search of the package finite, besides Options.NodeLimit
// and Options.Deadline.
type limits struct {
	// unroll is the most gates the unrolling of one dependency cycle may create (build.go).
	unroll int
	// glueWork is the work of one module's conditioning, bddGlue the most glue inputs of a module
	// whose BDD is tried, gateGlue the most glue inputs below a gate whose remainder term is
	// computed over their states (glue.go; at most maxGateGlue).
	glueWork, bddGlue, gateGlue int
}

var defaultLimits = limits{unroll: 1 << 22, glueWork: 1 << 14, bddGlue: 20, gateGlue: maxGateGlue}

// Result is the availability of the services of one inventory. It is read-only once returned.
type Result struct {
	Res *analysis.Result
	// Own is each entity's own availability, by index, and Source where it comes from.
	Own    []float64
	Source []Source
	// Services are in the order of Options.Services (ascending indexes by default). A Result from
	// Start fills them in the background: read them with Service, or after Wait.
	Services []Service
	pos      map[int32]int
	// ready marks the services computed, by position; the workers broadcast on cond as each is.
	ready    []atomic.Bool
	mu       sync.Mutex
	cond     sync.Cond
	finished chan struct{}
	// walks are closureWalks for Service.Assumed.
	walks sync.Pool
}

// Service is the availability of one service.
type Service struct {
	Entity int32
	// Availability is P(service up); Unavailability is 1 − Availability, computed directly so that
	// small values keep their precision. When bounded, they are the middle of the interval, or the
	// sampled estimate when Options.Samples asked for one.
	Availability, Unavailability float64
	// Low and High bound the availability: Low <= P(service up) <= High, equal to Availability when
	// exact.
	Low, High float64
	Method    Method
	// BoundedBy says why the availability is bounded (NotBounded when exact).
	BoundedBy Cause
	// SamplingError is the half-width of the 95% confidence interval of a sampled estimate, 0 when
	// not sampled.
	SamplingError float64
	// SLO is the service's objective, 0 when it has none.
	SLO float64
	// Closure is the number of entities the service depends on, itself included.
	Closure int
	// Importance lists the entities of the closure that matter (Birnbaum > 0), most important first:
	// by Fussell-Vesely, then Birnbaum, descending, then index: all of them for a critical service;
	// for the others, the ImportanceKept first of that order and the ImportanceKept first of the
	// order an output shows (see ShownBefore), which is at most 2·ImportanceKept entries however
	// many tie. Nil when bounded.
	Importance []Importance
	// r is the result the service belongs to, nil for a Service built by hand; Assumed and SPOFs read
	// the closure and the SPOF list through it rather than keep them, since on a long chain of
	// services they add up to the square of its length.
	r *Result
	// assumed are the entities of Assumed when there are at most assumedKept of them; nAssumed
	// counts them.
	assumed  []int32
	nAssumed int
}

// assumedKept is how many entities of Assumed a service keeps; it recomputes a longer list when
// asked for it.
const assumedKept = 64

// Assumed returns the entities of the closure whose own availability is a default, ascending.
func (s *Service) Assumed() []int32 {
	if s.nAssumed <= len(s.assumed) || s.r == nil {
		return s.assumed
	}
	src := s.r.Source
	var out []int32
	s.r.walkClosure(s.Entity, func(e int32) {
		if src[e].Assumed() {
			out = append(out, e)
		}
	})
	slices.Sort(out)
	return out
}

// NumAssumed returns len(s.Assumed()) without building the list.
func (s *Service) NumAssumed() int { return s.nAssumed }

// SPOFs returns the service's SPOFs with their own unavailability, ascending by entity; nil for a
// Service not computed by Compute.
func (s *Service) SPOFs() []Dependency {
	if s.r == nil {
		return nil
	}
	spofs := s.r.Res.SPOFs(s.Entity)
	out := make([]Dependency, len(spofs))
	for i, x := range spofs {
		out[i] = Dependency{Entity: x, Unavailability: 1 - s.r.Own[x]}
	}
	return out
}

// walkClosure calls f with each entity s depends on, s included, once each.
func (r *Result) walkClosure(s int32, f func(int32)) {
	w, _ := r.walks.Get().(*closureWalk)
	if w == nil {
		w = &closureWalk{seen: make([]uint32, r.Res.Inv.Len())}
	}
	w.gen++
	w.queue = append(w.queue[:0], s)
	w.seen[s] = w.gen
	for i := 0; i < len(w.queue); i++ {
		f(w.queue[i])
		for _, d := range r.Res.Deps(w.queue[i]) {
			if w.seen[d] != w.gen {
				w.seen[d] = w.gen
				w.queue = append(w.queue, d)
			}
		}
	}
	r.walks.Put(w)
}

// closureWalk is the state of one walk of a closure, reused: seen[e] == gen marks e.
type closureWalk struct {
	seen  []uint32
	gen   uint32
	queue []int32
}

// Importance measures how much a service's availability depends on one entity e of its closure.
type Importance struct {
	Entity int32
	// Birnbaum is P(S up | e up) − P(S up | e down): the availability S gains per unit of e's.
	Birnbaum float64
	// FussellVesely is (U − U|e perfect)/U, U being S's unavailability: the share of S's downtime that
	// e's failures account for (the usual reduction formula; 0 when U is 0).
	FussellVesely float64
	// SavedMinutes is the expected downtime of S removed per year if e's unavailability were ten times
	// smaller ("one more nine"): 0.9·q(e)·Birnbaum·MinutesPerYear, exactly, since P(S up) is linear
	// in each entity's availability.
	SavedMinutes float64
}

// Dependency is an entity a service needs, with its own unavailability: 1 − its own availability.
type Dependency struct {
	Entity         int32
	Unavailability float64
}

// DowntimeMinutes returns the expected downtime per year.
func (s *Service) DowntimeMinutes() float64 { return s.Unavailability * MinutesPerYear }

// Error returns the largest distance from Availability to an end of the guaranteed interval: the
// availability is within Availability ± Error. It is 0 when exact.
func (s *Service) Error() float64 { return max(s.Availability-s.Low, s.High-s.Availability, 0) }

// SLOMet reports whether the availability meets the SLO; decided is false when the service has no
// SLO, or when the SLO lies inside the guaranteed interval (see SLOVerdict).
func (s *Service) SLOMet() (met, decided bool) {
	switch s.SLOVerdict() {
	case "met":
		return true, true
	case "missed":
		return false, true
	}
	return false, false
}

// SLOVerdict returns "met" when the whole interval meets the SLO, "missed" when none of it does,
// "undecided" when the SLO lies inside it, and "" without an SLO; at the Resolution of availabilities.
func (s *Service) SLOVerdict() string {
	switch {
	case s.SLO == 0:
		return ""
	case !Below(s.Low, s.SLO):
		return "met"
	case Below(s.High, s.SLO):
		return "missed"
	}
	return "undecided"
}

// Resolution is the precision of availabilities: the outputs print them to it, and verdicts decide
// at it. Floating point computes an availability of exactly 0.9 (an mttf of 10 h, an mttr of 1 h)
// as 0.8999999999999999, which missed an SLO of 0.9 by 3e-11 minutes a year while printed as 90%.
const Resolution = 1e-12

// Below reports whether availability a is below threshold t by more than Resolution.
func Below(a, t float64) bool { return a < t-Resolution }

// SLOMarginMinutes returns the downtime per year the SLO allows minus the expected downtime: positive
// is headroom, negative is by how much the SLO is missed. It is 0 without an SLO.
func (s *Service) SLOMarginMinutes() float64 {
	if s.SLO == 0 {
		return 0
	}
	return ((1 - s.SLO) - s.Unavailability) * MinutesPerYear
}

// Service returns the availability of service s, and false if it was not computed; on a Result
// from Start, once it is computed.
func (r *Result) Service(s int32) (*Service, bool) {
	i, ok := r.pos[s]
	if !ok {
		return nil, false
	}
	if !r.ready[i].Load() {
		r.mu.Lock()
		for !r.ready[i].Load() {
			r.cond.Wait()
		}
		r.mu.Unlock()
	}
	return &r.Services[i], true
}

// Wait returns once every service is computed. The methods that read them all wait; so must a
// reader of Services.
func (r *Result) Wait() { <-r.finished }

// Compute computes the availability of the services of res's inventory.
func Compute(res *analysis.Result, opts Options) *Result {
	r := Start(res, opts)
	r.Wait()
	return r
}

// Start is Compute in the background: it returns at once, and Service answers for each service
// as soon as it is computed, in their order as far as the cores allow. A writer can stream out
// the first services while the next are computed (analyze's JSON document is hundreds of
// megabytes at 100,000 entities, and writing it used to wait for the last service).
func Start(res *analysis.Result, opts Options) *Result {
	inv := res.Inv
	if opts.NodeLimit <= 0 {
		opts.NodeLimit = DefaultNodeLimit
	}
	if opts.limits == nil {
		opts.limits = &defaultLimits
	}
	services := opts.Services
	if services == nil {
		services = inv.OfKind(model.Service)
	}
	r := &Result{Res: res, Services: make([]Service, len(services)), pos: make(map[int32]int, len(services)),
		ready: make([]atomic.Bool, len(services)), finished: make(chan struct{})}
	r.cond.L = &r.mu
	for i, s := range services {
		r.pos[s] = i
	}
	r.Own, r.Source = Own(inv)
	sh := newShared(res, r.Own, r.Source, opts)
	go func() {
		defer close(r.finished)
		workers := sync.Pool{New: func() any { return sh.newWorker() }}
		var done atomic.Int64
		par.ForEach(len(services), func(i int) {
			w := workers.Get().(*worker)
			r.Services[i] = w.service(services[i])
			r.Services[i].r = r
			workers.Put(w)
			r.mu.Lock()
			r.ready[i].Store(true)
			r.cond.Broadcast()
			r.mu.Unlock()
			if opts.Progress != nil {
				opts.Progress(int(done.Add(1)))
			}
		})
	}()
	return r
}
