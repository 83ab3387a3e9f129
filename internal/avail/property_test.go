package avail

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/spofhq/spof/internal/analysis"
	"github.com/spofhq/spof/internal/gen"
	"github.com/spofhq/spof/internal/model"
	"github.com/spofhq/spof/internal/testinv"
)

// smallest are the budgets at their smallest values: no unrolling, no conditioning work, no BDD
// tried on a module with glue, no gate's remainder over its glue states.
var smallest = limits{unroll: 0, glueWork: 0, bddGlue: 0, gateGlue: 0}

// TestBudgetsEnd drives every budget to its smallest value, alone and together, on random
// inventories with cycles, nested groups and quorums: each computation ends, and every interval
// contains the exact availability enumeration gives.
func TestBudgetsEnd(t *testing.T) {
	runs := 300
	if testing.Short() {
		runs = 60
	}
	configs := []struct {
		name string
		opts Options
	}{
		{"nodes", Options{NodeLimit: 1}},
		{"unroll", Options{limits: &limits{unroll: 0, glueWork: defaultLimits.glueWork, bddGlue: defaultLimits.bddGlue, gateGlue: maxGateGlue}}},
		{"glue work", Options{NodeLimit: 1, limits: &limits{unroll: defaultLimits.unroll, glueWork: 0, bddGlue: 0, gateGlue: maxGateGlue}}},
		{"gate glue", Options{NodeLimit: 1, limits: &limits{unroll: defaultLimits.unroll, glueWork: defaultLimits.glueWork, bddGlue: 0, gateGlue: 0}}},
		{"all", Options{NodeLimit: 1, limits: &smallest}},
		{"deadline", Options{Deadline: time.Unix(1, 0)}},
	}
	causes := map[Cause]int{}
	for seed := range runs {
		rng := rand.New(rand.NewPCG(uint64(seed), 13))
		inv := randomInventory(rng, 2+rng.IntN(9))
		res := analysis.Analyze(inv, analysis.Options{MaxOrder: 1})
		st := bruteEnumerate(inv, mustOwn(inv))
		for _, c := range configs {
			o := c.opts
			o.Services = allEntities(inv)
			for _, s := range Compute(res, o).Services {
				checkInterval(t, fmt.Sprintf("seed %d, %s: %s", seed, c.name, inv.ID(s.Entity)), s, 1-st.down[s.Entity])
				causes[s.BoundedBy]++
			}
		}
	}
	for _, c := range []Cause{NodeBudget, TimeBudget, LargeCycle} {
		if causes[c] == 0 {
			t.Errorf("no service bounded by %q: the budgets were not all reached", c)
		}
	}
}

func mustOwn(inv *model.Inventory) []float64 {
	own, _ := Own(inv)
	return own
}

// randomDense builds a small inventory of the dense shape of spof-gen: providers, sites on them,
// clusters on sites, VMs on clusters, and services that run on one VM, an any_of pair or a 2-of-3
// quorum, depending on earlier services, sometimes through an any_of of two. It is small enough to
// enumerate (at most 15 entities).
func randomDense(rng *rand.Rand) *model.Inventory {
	var ents []model.Entity
	add := func(id string, k model.Kind, a float64, refs ...model.Ref) int32 {
		ents = append(ents, model.Entity{ID: id, Kind: k, Availability: a, Refs: refs})
		return int32(len(ents) - 1)
	}
	need := func(e int32) *model.Req { return &model.Req{Op: model.Need, Entity: e} }
	ref := func(key string, r *model.Req) model.Ref { return model.Ref{Key: key, Req: r} }
	group := func(op model.Op, k int, es ...int32) *model.Req {
		r := &model.Req{Op: op, K: k, Group: true}
		for _, e := range es {
			r.Members = append(r.Members, need(e))
		}
		return r
	}
	avail := func() float64 { return []float64{0.9, 0.95, 0.99, 0.999}[rng.IntN(4)] }
	prov := add("p1", model.Provider, avail())
	var sites, clusters, vms, services []int32
	for i := range 1 + rng.IntN(2) {
		sites = append(sites, add(fmt.Sprintf("site%d", i), model.Component, avail(), ref("provider", need(prov))))
	}
	for i := range 2 + rng.IntN(2) {
		clusters = append(clusters, add(fmt.Sprintf("cl%d", i), model.Component, avail(), ref("site", need(sites[rng.IntN(len(sites))]))))
	}
	for i := range 3 + rng.IntN(3) {
		vms = append(vms, add(fmt.Sprintf("vm%d", i), model.VM, avail(), ref("host", need(clusters[rng.IntN(len(clusters))]))))
	}
	pick := func(n int) []int32 {
		p := rng.Perm(len(vms))[:n]
		out := make([]int32, n)
		for i, j := range p {
			out[i] = vms[j]
		}
		return out
	}
	for i := range 2 + rng.IntN(4) {
		var refs []model.Ref
		switch rng.IntN(3) {
		case 0:
			refs = append(refs, ref("runs_on", need(pick(1)[0])))
		case 1:
			refs = append(refs, ref("runs_on", group(model.AnyOf, 0, pick(2)...)))
		default:
			refs = append(refs, ref("runs_on", group(model.AtLeast, 2, pick(3)...)))
		}
		var deps []*model.Req
		for range rng.IntN(3) {
			if len(services) > 0 {
				deps = append(deps, need(services[rng.IntN(len(services))]))
			}
		}
		if len(services) >= 2 && rng.IntN(3) == 0 {
			a, b := rng.Perm(len(services))[0], rng.Perm(len(services))[1]
			deps = append(deps, group(model.AnyOf, 0, services[a], services[b]))
		}
		if len(deps) > 0 {
			refs = append(refs, ref("depends_on", &model.Req{Op: model.AllOf, Members: deps}))
		}
		services = append(services, add(fmt.Sprintf("svc%d", i), model.Service, avail(), refs...))
	}
	return model.New(ents, nil)
}

// TestDenseAgainstBruteForce checks the availability of small inventories of the dense shape
// against enumeration: exact figures equal, intervals containing the exact figure, with the
// default budgets and with the smallest.
func TestDenseAgainstBruteForce(t *testing.T) {
	runs := 120
	if testing.Short() {
		runs = 40
	}
	bounded := 0
	for seed := range runs {
		rng := rand.New(rand.NewPCG(uint64(seed), 14))
		inv := randomDense(rng)
		res := analysis.Analyze(inv, analysis.Options{MaxOrder: 1})
		st := bruteEnumerate(inv, mustOwn(inv))
		for _, o := range []Options{{}, {NodeLimit: 1}, {NodeLimit: 1, limits: &smallest}, {NodeLimit: 3, limits: &limits{glueWork: 50, bddGlue: 2, gateGlue: 2}}} {
			for _, s := range Compute(res, o).Services {
				want := 1 - st.down[s.Entity]
				checkInterval(t, fmt.Sprintf("seed %d: %s", seed, inv.ID(s.Entity)), s, want)
				if s.Method == Bounds {
					bounded++
				} else if d := s.Availability - want; d > 1e-12 || d < -1e-12 {
					t.Fatalf("seed %d: exact availability of %s = %v, want %v", seed, inv.ID(s.Entity), s.Availability, want)
				}
			}
		}
	}
	if bounded < runs {
		t.Fatalf("only %d bounded results in %d inventories", bounded, runs)
	}
}

// TestGeneratedIntervals checks, on generated platforms of both shapes too large to enumerate, that
// every bounded interval contains the exact figure computed with a budget large enough for it.
func TestGeneratedIntervals(t *testing.T) {
	for _, shape := range []gen.Shape{gen.Domains, gen.Dense} {
		res := analysis.Analyze(testinv.GeneratedShape(t, 1000, 3, shape), analysis.Options{MaxOrder: 1})
		exact := Compute(res, Options{NodeLimit: 1 << 22, limits: &limits{unroll: 1 << 20, glueWork: 1 << 14, bddGlue: 1 << 30, gateGlue: maxGateGlue}})
		got := Compute(res, Options{NodeLimit: 64})
		checked := 0
		for i, s := range got.Services {
			want := exact.Services[i]
			if want.Method != Exact {
				continue
			}
			checkInterval(t, fmt.Sprintf("%s: %s", shape, res.Inv.ID(s.Entity)), s, want.Availability)
			if s.Method == Bounds {
				checked++
			}
		}
		if checked < 10 {
			t.Errorf("%s: only %d bounded intervals checked", shape, checked)
		}
	}
}

// TestDeterministic checks that the figures do not depend on the number of cores nor on the order
// in which the workers happen to fill the memo of modules.
func TestDeterministic(t *testing.T) {
	res := analysis.Analyze(testinv.GeneratedShape(t, 2000, 5, gen.Dense), analysis.Options{MaxOrder: 1})
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	var first *Result
	for _, procs := range []int{1, 2, 4, 1} {
		runtime.GOMAXPROCS(procs)
		r := Compute(res, Options{})
		if first == nil {
			first = r
			continue
		}
		for i := range r.Services {
			// The figures, not the Result each points back to.
			got, want := r.Services[i], first.Services[i]
			got.r, want.r = nil, nil
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("GOMAXPROCS %d: %s differs:\n%+v\nwas\n%+v", procs, res.Inv.ID(got.Entity), got, want)
			}
		}
	}
}

// TestExamplesExact checks that the shipped examples stay exact with the default budgets.
func TestExamplesExact(t *testing.T) {
	for _, dir := range []string{"telephony-before", "telephony-after", "platform"} {
		res := analysis.Analyze(testinv.Load(t, "../../inventories/"+dir), analysis.Options{MaxOrder: 1})
		for _, s := range Compute(res, Options{}).Services {
			if s.Method != Exact {
				t.Errorf("%s: %s is %v (%v), want exact", dir, res.Inv.ID(s.Entity), s.Method, s.BoundedBy)
			}
		}
	}
}

// TestStartStreams checks that a Result from Start answers each service with the figures Compute
// gives, whatever the order readers ask in while the workers still run (go test -race checks the
// hand-over), and that the methods reading every service wait for all of them.
func TestStartStreams(t *testing.T) {
	res := analysis.Analyze(testinv.GeneratedShape(t, 1500, 3, gen.Dense), analysis.Options{MaxOrder: 1})
	want := Compute(res, Options{})
	r := Start(res, Options{})
	services := res.Inv.OfKind(model.Service)
	var wg sync.WaitGroup
	for reader := range 3 {
		wg.Go(func() {
			for k := range services {
				s := services[k]
				if reader == 1 {
					s = services[len(services)-1-k]
				}
				got, ok := r.Service(s)
				exp, _ := want.Service(s)
				if !ok {
					t.Errorf("%s: not computed", res.Inv.ID(s))
					return
				}
				g, e := *got, *exp
				g.r, e.r = nil, nil
				if !reflect.DeepEqual(g, e) {
					t.Errorf("%s: streamed\n%+v\nwant\n%+v", res.Inv.ID(s), g, e)
					return
				}
			}
		})
	}
	if got, exp := r.Bounded(), want.Bounded(); !slices.Equal(got, exp) {
		t.Errorf("bounded %v, want %v", got, exp)
	}
	wg.Wait()
}
