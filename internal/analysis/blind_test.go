package analysis

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/spofhq/spof/internal/brute"
	"github.com/spofhq/spof/internal/model"
)

// TestBlindSpotsAgainstBruteForce checks the blind spots, watchers, unwatched services and silent
// outages against the definitions of docs/detection.md evaluated by brute force (internal/brute) on
// random inventories with random roles and watches: for every service, every single failure and
// every pair of failures, is there a monitoring service that survives and watches what went down?
// The analysis runs with random search orders and budgets, so that the minimal cut sets of two are
// taken from the analysis, from a cut-short family, or solved again.
func TestBlindSpotsAgainstBruteForce(t *testing.T) {
	runs := 3000
	if testing.Short() {
		runs = 300
	}
	for seed := range runs {
		rng := rand.New(rand.NewPCG(uint64(seed), 18))
		n := 2 + rng.IntN(9)
		inv := randomInventory(rng, n)
		brute.AddDetection(rng, inv)
		res := Analyze(inv, Options{MaxOrder: 1 + rng.IntN(3), MaxCutSets: []int{0, 1, 2, 100}[rng.IntN(4)]})
		d := res.Detection()
		where := func() string { return fmt.Sprintf("seed %d\n%s", seed, describe(inv)) }
		var wantBlind []BlindSpot
		var wantUnwatched []int32
		monitors := false
		for i := range inv.Entities {
			monitors = monitors || brute.Monitoring(inv, int32(i))
		}
		for s := range int32(n) {
			if inv.Entities[s].Kind != model.Service {
				continue
			}
			got := d.BlindSpots(s)
			want := bruteBlindFailures(inv, s)
			if gotF := failures(got); !slices.EqualFunc(gotF, want, slices.Equal) {
				t.Fatalf("BlindSpots(%s) = %v, want %v\n%s", inv.ID(s), names(inv, gotF), names(inv, want), where())
			}
			for _, b := range got {
				checkBlindSpot(t, res, b, where)
			}
			if got, want := d.Unwatched(s), !brute.Watched(inv, s); got != want {
				t.Fatalf("Unwatched(%s) = %v, want %v\n%s", inv.ID(s), got, want, where())
			}
			if monitors && inv.Entities[s].Tier <= model.High {
				if brute.Watched(inv, s) {
					wantBlind = append(wantBlind, got...)
				} else {
					wantUnwatched = append(wantUnwatched, s)
				}
			}
		}
		blind, unwatched := d.Review()
		if !slices.Equal(unwatched, wantUnwatched) || !slices.EqualFunc(failures(blind), failures(wantBlind), slices.Equal) {
			t.Fatalf("Review() = %v, %v; want %v, %v\n%s", failures(blind), unwatched, failures(wantBlind), wantUnwatched, where())
		}
		checkSilentOutages(t, res, where)
		// Any failure, of one to three entities: is each service that goes down seen?
		failed := []int32{int32(rng.IntN(n)), int32(rng.IntN(n)), int32(rng.IntN(n))}[:1+rng.IntN(3)]
		o := res.Simulate(failed)
		down := brute.Down(inv, failedSet(int32(n), failed), brute.Met)
		for s := range int32(n) {
			if inv.Entities[s].Kind == model.Service && down[s] {
				if got, want := d.SeenIn(o, s), brute.Seen(inv, s, down); got != want {
					t.Fatalf("SeenIn(%v, %s) = %v, want %v\n%s", inv.IDsOf(failed), inv.ID(s), got, want, where())
				}
			}
		}
	}
}

// bruteBlindFailures returns the failures that take s down unseen: each single entity whose failure
// puts s down, then each pair whose joint failure does when neither alone does, by IDs.
func bruteBlindFailures(inv *model.Inventory, s int32) [][]int32 {
	n := int32(inv.Len())
	downs := func(f ...int32) []bool { return brute.Down(inv, failedSet(n, f), brute.Met) }
	var out [][]int32
	single := make([]bool, n)
	for x := range n {
		if x == s {
			continue
		}
		if down := downs(x); down[s] {
			single[x] = true
			if !brute.Seen(inv, s, down) {
				out = append(out, []int32{x})
			}
		}
	}
	for a := range n {
		for b := a + 1; b < n; b++ {
			if a == s || b == s || single[a] || single[b] {
				continue
			}
			if down := downs(a, b); down[s] && !brute.Seen(inv, s, down) {
				out = append(out, []int32{a, b})
			}
		}
	}
	return out
}

func failedSet(n int32, f []int32) []bool {
	out := make([]bool, n)
	for _, x := range f {
		out[x] = true
	}
	return out
}

// checkBlindSpot checks the chains and watchers of a blind spot against a simulation of its failure
// and the brute-force scope.
func checkBlindSpot(t *testing.T, res *Result, b BlindSpot, where func() string) {
	t.Helper()
	inv := res.Inv
	o := res.Simulate(b.Failure)
	if want := o.Chain(b.Service); !slices.Equal(b.Chain, want) {
		t.Fatalf("blind spot %s of %s: chain %v, want %v\n%s", inv.IDsOf(b.Failure), inv.ID(b.Service), b.Chain, want, where())
	}
	scope := brute.Closure(inv, b.Service)
	var want []Watcher
	for m := range int32(inv.Len()) {
		if !brute.Monitoring(inv, m) {
			continue
		}
		var watches []int32
		for _, x := range inv.Entities[m].Watches {
			if scope[x] {
				watches = append(watches, x)
			}
		}
		if watches == nil {
			continue
		}
		slices.Sort(watches)
		want = append(want, Watcher{Entity: m, Chain: o.Chain(m), Watches: watches})
	}
	same := func(a, b Watcher) bool {
		return a.Entity == b.Entity && slices.Equal(a.Chain, b.Chain) && slices.Equal(a.Watches, b.Watches)
	}
	if !slices.EqualFunc(b.Watchers, want, same) {
		t.Fatalf("blind spot %s of %s: watchers %+v, want %+v\n%s", inv.IDsOf(b.Failure), inv.ID(b.Service), b.Watchers, want, where())
	}
}

// checkSilentOutages compares SilentOutages with every single failure evaluated by brute force.
func checkSilentOutages(t *testing.T, res *Result, where func() string) {
	t.Helper()
	inv := res.Inv
	n := int32(inv.Len())
	var status []int32
	for e := range n {
		if inv.Entities[e].Kind == model.Service && inv.Entities[e].Role == model.Status {
			status = append(status, e)
		}
	}
	var want []SilentOutage
	for x := range n {
		if len(status) == 0 {
			break
		}
		down := brute.Down(inv, failedSet(n, []int32{x}), brute.Met)
		o := res.Simulate([]int32{x})
		so := SilentOutage{Entity: x}
		for _, t := range status {
			if !down[t] {
				so.Status = nil
				break
			}
			so.Status = append(so.Status, o.Chain(t))
		}
		if so.Status == nil {
			continue
		}
		for s := range n {
			if e := &inv.Entities[s]; down[s] && e.Kind == model.Service && e.Tier == model.Critical && e.CustomerFacing {
				so.Services = append(so.Services, o.Chain(s))
			}
		}
		if so.Services != nil {
			want = append(want, so)
		}
	}
	same := func(a, b SilentOutage) bool {
		return a.Entity == b.Entity && slices.EqualFunc(a.Services, b.Services, slices.Equal) && slices.EqualFunc(a.Status, b.Status, slices.Equal)
	}
	if got := res.Detection().SilentOutages(); !slices.EqualFunc(got, want, same) {
		t.Fatalf("SilentOutages() = %+v, want %+v\n%s", got, want, where())
	}
}

func failures(bs []BlindSpot) [][]int32 {
	out := make([][]int32, len(bs))
	for i, b := range bs {
		out[i] = b.Failure
	}
	return out
}

// describe prints a small inventory for a failing seed: each entity's kind, role, tier, watches and
// requirements.
func describe(inv *model.Inventory) string {
	var out string
	for i := range inv.Entities {
		e := &inv.Entities[i]
		out += fmt.Sprintf("%s %s role=%q tier=%s cf=%v watches=%v", e.ID, e.Kind, e.Role, e.Tier, e.CustomerFacing, inv.IDsOf(e.Watches))
		for _, ref := range e.Refs {
			out += " " + ref.Key + "=" + reqString(inv, ref.Req)
		}
		out += "\n"
	}
	return out
}

func reqString(inv *model.Inventory, r *model.Req) string {
	if r.Op == model.Need {
		return inv.ID(r.Entity)
	}
	s := map[model.Op]string{model.AllOf: "all", model.AnyOf: "any", model.AtLeast: fmt.Sprintf("%d-of", r.K)}[r.Op] + "("
	for i, m := range r.Members {
		if i > 0 {
			s += ","
		}
		s += reqString(inv, m)
	}
	return s + ")"
}

// TestReviewListsPairsUpToBudget checks that Review lists ReviewPairs blind spots of two per service,
// the first by IDs, and counts the others: a service on two paths of eleven entities each has 121
// minimal cut sets of two, which a monitoring service that goes down with the service never sees.
func TestReviewListsPairsUpToBudget(t *testing.T) {
	const side = 11
	var ents []model.Entity
	var a, b []*model.Req
	for i := range side {
		ents = append(ents, model.Entity{ID: fmt.Sprintf("a%02d", i), Kind: model.Component}, model.Entity{ID: fmt.Sprintf("b%02d", i), Kind: model.Component})
	}
	inv0 := model.New(slices.Clone(ents), nil)
	for i := range side {
		x, _ := inv0.Lookup(fmt.Sprintf("a%02d", i))
		y, _ := inv0.Lookup(fmt.Sprintf("b%02d", i))
		a = append(a, &model.Req{Op: model.Need, Entity: x})
		b = append(b, &model.Req{Op: model.Need, Entity: y})
	}
	// Indexes stay valid: the new entities sort after the components.
	ents = append(ents,
		model.Entity{ID: "svc", Kind: model.Service, Tier: model.Critical, Refs: []model.Ref{{Key: "depends_on", Req: &model.Req{Op: model.AnyOf, Group: true,
			Members: []*model.Req{{Op: model.AllOf, Group: true, Members: a}, {Op: model.AllOf, Group: true, Members: b}}}}}},
		model.Entity{ID: "watcher", Kind: model.Service, Tier: model.Medium, Role: model.Monitoring})
	inv := model.New(ents, nil)
	s, _ := inv.Lookup("svc")
	w, _ := inv.Lookup("watcher")
	inv.Entities[w].Watches = []int32{s}
	inv.Entities[w].Refs = []model.Ref{{Key: "depends_on", Req: &model.Req{Op: model.Need, Entity: s}}}
	d := Analyze(inv, Options{MaxOrder: 3, MaxCutSets: 10}).Detection()
	blind, _ := d.Review()
	if len(blind) != ReviewPairs {
		t.Fatalf("Review lists %d blind spots, want %d", len(blind), ReviewPairs)
	}
	if all := d.BlindSpots(s); !slices.EqualFunc(failures(blind), failures(all[:ReviewPairs]), slices.Equal) || len(all) != side*side {
		t.Errorf("Review lists %v, BlindSpots has %d: want its first %d", failures(blind)[:3], len(all), ReviewPairs)
	}
	if got := d.Unlisted(); len(got) != 1 || got[0] != (Unlisted{Service: s, Count: side*side - ReviewPairs}) {
		t.Errorf("Unlisted() = %+v, want %d more for svc", got, side*side-ReviewPairs)
	}
}
