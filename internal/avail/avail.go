// Package avail estimates how available each service is, assuming independent entity failures, and
// which entities cost the most: exact availability per service, expected downtime, SLO feasibility,
// Birnbaum and Fussell-Vesely importance, the "what to improve first" ranking and the rule of the
// extra nine. Redundancy that was never proven by a failover drill is handled in untested.go.
//
// Model: every entity e fails on its own, independently, with probability q(e) = 1 − a(e), where a(e)
// is its own availability (Own). A failure set F puts a service S down by the least-fixed-point
// semantics of the analysis (docs/semantics.md); S's availability is P(S not down), its own failure
// included.
//
// Method: the down status of S is a monotone Boolean function of the failure variables of S's
// dependency closure. It is built as a reduced ordered BDD (package bdd), entity by entity in
// dependency order; inside a dependency cycle the functions are iterated from "only the entity's own
// failure" until they stop changing, which is the least fixed point computed symbolically (the
// iteration is monotone and canonical BDDs make "stopped changing" an equality of nodes). S and its
// SPOFs (known from the analysis) are factored out first: since any of them failing puts S down,
// down(S) = S ∨ SPOF₁ ∨ … ∨ down(S | S and its SPOFs up), and the last function is built with those
// variables fixed to "up", which collapses most of what a shared site or provider would otherwise
// make the diagrams of the other entities carry. Its
// probability is exact up to floating point, shared dependencies, nested groups, quorums and cycles
// included. When the diagram of a service outgrows Options.NodeLimit, the service is estimated by
// Monte Carlo sampling instead, with a 95% confidence interval, and says so (Method, Error).
//
// Every list is ordered as documented on its field.
package avail

import (
	"slices"
	"sync"

	"github.com/spofhq/spof/internal/analysis"
	"github.com/spofhq/spof/internal/model"
	"github.com/spofhq/spof/internal/par"
)

// MinutesPerYear converts an unavailability to expected downtime: a year of 365 days.
const MinutesPerYear = 365 * 24 * 60

// Defaults of Options.
const (
	// DefaultNodeLimit bounds the BDD of one service (about 12 bytes a node plus its tables).
	DefaultNodeLimit = 1 << 21
	// DefaultSamples is the number of failure sets drawn for a service estimated by sampling.
	DefaultSamples = 200_000
)

// Method is how a service's availability was computed.
type Method uint8

// Methods.
const (
	// Exact is the BDD computation: exact up to floating point.
	Exact Method = iota
	// Sampling is a Monte Carlo estimate, with Service.Error the half-width of its 95% interval.
	Sampling
)

// String returns "exact" or "sampling".
func (m Method) String() string { return [...]string{"exact", "sampling"}[m] }

// Options tune Compute.
type Options struct {
	// Services are the services to compute, ascending; nil means every service.
	Services []int32
	// NodeLimit caps the BDD nodes of one service, above which it is sampled; 0 means
	// DefaultNodeLimit.
	NodeLimit int
	// Samples is the number of failure sets drawn for a sampled service; 0 means DefaultSamples.
	Samples int
}

// Result is the availability of the services of one inventory. It is read-only once returned.
type Result struct {
	Res *analysis.Result
	// Own is each entity's own availability, by index, and Source where it comes from.
	Own    []float64
	Source []Source
	// Services are in the order of Options.Services (ascending indexes by default).
	Services []Service
	pos      map[int32]int
}

// Service is the availability of one service.
type Service struct {
	Entity int32
	// Availability is P(service up); Unavailability is 1 − Availability, computed directly so that
	// small values keep their precision.
	Availability, Unavailability float64
	Method                       Method
	// Error is the half-width of the 95% confidence interval of Availability when sampled, else 0.
	Error float64
	// SLO is the service's objective, 0 when it has none.
	SLO float64
	// Closure is the number of entities the service depends on, itself included; Nodes is the size of
	// its BDD (0 when sampled).
	Closure, Nodes int
	// Assumed are the entities of the closure whose own availability is a default, ascending.
	Assumed []int32
	// Importance lists the entities of the closure that matter (Birnbaum > 0), most important first:
	// by Fussell-Vesely, then Birnbaum, descending, then index. Nil when sampled.
	Importance []Importance
	// SPOFs are the service's SPOFs with their own unavailability, ascending by entity.
	SPOFs []Dependency
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

// SLOMet reports whether the availability meets the SLO; decided is false when the service has no
// SLO, or when it is sampled and the SLO lies inside the confidence interval.
func (s *Service) SLOMet() (met, decided bool) {
	if s.SLO == 0 {
		return false, false
	}
	a := s.Availability
	if s.Method == Sampling && a-s.Error < s.SLO && s.SLO <= a+s.Error {
		return false, false
	}
	return a >= s.SLO, true
}

// SLOMarginMinutes returns the downtime per year the SLO allows minus the expected downtime: positive
// is headroom, negative is by how much the SLO is missed. It is 0 without an SLO.
func (s *Service) SLOMarginMinutes() float64 {
	if s.SLO == 0 {
		return 0
	}
	return ((1 - s.SLO) - s.Unavailability) * MinutesPerYear
}

// Service returns the availability of service s, and false if it was not computed.
func (r *Result) Service(s int32) (*Service, bool) {
	i, ok := r.pos[s]
	if !ok {
		return nil, false
	}
	return &r.Services[i], true
}

// Compute computes the availability of the services of res's inventory.
func Compute(res *analysis.Result, opts Options) *Result {
	inv := res.Inv
	if opts.NodeLimit <= 0 {
		opts.NodeLimit = DefaultNodeLimit
	}
	if opts.Samples <= 0 {
		opts.Samples = DefaultSamples
	}
	services := opts.Services
	if services == nil {
		services = inv.OfKind(model.Service)
	}
	r := &Result{Res: res, Services: make([]Service, len(services)), pos: make(map[int32]int, len(services))}
	r.Own, r.Source = Own(inv)
	sh := newShared(res, r.Own)
	workers := sync.Pool{New: func() any { return sh.newWorker(opts) }}
	par.ForEach(len(services), func(i int) {
		w := workers.Get().(*worker)
		r.Services[i] = w.service(services[i], r.Source)
		workers.Put(w)
	})
	for i, s := range services {
		r.pos[s] = i
	}
	return r
}

// shared is what every worker reads: the inventory's structure, computed once.
type shared struct {
	res  *analysis.Result
	inv  *model.Inventory
	own  []float64
	rank []int32   // per entity: the index of its strongly connected component, dependencies first
	deps [][]int32 // per entity: distinct dependencies in the order the requirements name them
}

func newShared(res *analysis.Result, own []float64) *shared {
	inv := res.Inv
	sh := &shared{res: res, inv: inv, own: own, rank: make([]int32, inv.Len()), deps: make([][]int32, inv.Len())}
	for ci, comp := range res.Components() {
		for _, e := range comp {
			sh.rank[e] = int32(ci)
		}
	}
	for i := range inv.Entities {
		var ds []int32
		for _, ref := range inv.Entities[i].Refs {
			ref.Req.Walk(func(q *model.Req) {
				if q.Op == model.Need && !slices.Contains(ds, q.Entity) {
					ds = append(ds, q.Entity)
				}
			})
		}
		sh.deps[i] = ds
	}
	return sh
}
