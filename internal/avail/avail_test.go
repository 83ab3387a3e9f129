package avail

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/spofhq/spof/internal/analysis"
	"github.com/spofhq/spof/internal/model"
)

// TestAgainstBruteForce compares availability, Birnbaum and Fussell-Vesely importance and the downtime
// one more nine saves with their definitions, computed by enumerating every failure set, on thousands
// of small random inventories (cycles, nested groups and quorums included).
func TestAgainstBruteForce(t *testing.T) {
	runs := 3000
	if testing.Short() {
		runs = 300
	}
	const tol = 1e-12
	for seed := range runs {
		rng := rand.New(rand.NewPCG(uint64(seed), 8))
		inv := randomInventory(rng, 2+rng.IntN(9))
		res := analysis.Analyze(inv, analysis.Options{MaxOrder: 1})
		r := Compute(res, Options{Services: allEntities(inv)})
		st := bruteEnumerate(inv, r.Own)
		for _, s := range r.Services {
			e := s.Entity
			if s.Method != Exact {
				t.Fatalf("seed %d: %s sampled", seed, inv.ID(e))
			}
			if math.Abs(s.Unavailability-st.down[e]) > tol || math.Abs(s.Availability-(1-st.down[e])) > tol {
				t.Fatalf("seed %d: unavailability of %s = %v, want %v", seed, inv.ID(e), s.Unavailability, st.down[e])
			}
			got := map[int32]Importance{}
			for _, im := range s.Importance {
				got[im.Entity] = im
			}
			for x := range int32(inv.Len()) {
				birnbaum := st.given[e][x] - st.upGiven[e][x]
				fv := 0.0
				if st.down[e] > 0 {
					fv = (st.down[e] - st.upGiven[e][x]) / st.down[e]
				}
				im := got[x]
				if math.Abs(im.Birnbaum-birnbaum) > tol {
					t.Fatalf("seed %d: Birnbaum of %s for %s = %v, want %v", seed, inv.ID(x), inv.ID(e), im.Birnbaum, birnbaum)
				}
				// FV divides by the unavailability: compare relative to it.
				if math.Abs(im.FussellVesely-fv)*st.down[e] > tol {
					t.Fatalf("seed %d: Fussell-Vesely of %s for %s = %v, want %v", seed, inv.ID(x), inv.ID(e), im.FussellVesely, fv)
				}
				perfect := st.upGiven[e][x]
				tenth := (1-r.Own[x])/10*st.given[e][x] + (1-(1-r.Own[x])/10)*perfect
				if saved := (st.down[e] - tenth) * MinutesPerYear; math.Abs(im.SavedMinutes-saved) > tol*MinutesPerYear {
					t.Fatalf("seed %d: saved minutes of %s for %s = %v, want %v", seed, inv.ID(x), inv.ID(e), im.SavedMinutes, saved)
				}
			}
			if !slices.IsSortedFunc(s.Importance, func(a, b Importance) int {
				return -cmpFloat(a.FussellVesely, b.FussellVesely)
			}) {
				t.Fatalf("seed %d: importance of %s not sorted: %v", seed, inv.ID(e), s.Importance)
			}
			spofs := res.SPOFs(e)
			if len(s.SPOFs()) != len(spofs) {
				t.Fatalf("seed %d: %d SPOF figures for %d SPOFs", seed, len(s.SPOFs()), len(spofs))
			}
			for i, d := range s.SPOFs() {
				if d.Entity != spofs[i] || d.Unavailability != 1-r.Own[d.Entity] {
					t.Fatalf("seed %d: SPOF %s of %s unavailability %v, want %v", seed, inv.ID(d.Entity), inv.ID(e), d.Unavailability, 1-r.Own[d.Entity])
				}
			}
		}
	}
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// TestBounds forces the bounds with node budgets from 1 up and checks that every interval contains
// the exact value (computed without a budget), that exact results stay exact and equal, and that
// bounded ones carry no importance.
func TestBounds(t *testing.T) {
	runs := 600
	if testing.Short() {
		runs = 100
	}
	bounded := 0
	for seed := range runs {
		rng := rand.New(rand.NewPCG(uint64(seed), 9))
		inv := randomInventory(rng, 2+rng.IntN(9))
		res := analysis.Analyze(inv, analysis.Options{MaxOrder: 1})
		exact := Compute(res, Options{Services: allEntities(inv)})
		for _, limit := range []int{1, 2, 3, 5, 8, 13, 21, 34} {
			got := Compute(res, Options{Services: allEntities(inv), NodeLimit: limit})
			for i, s := range got.Services {
				want := exact.Services[i]
				checkInterval(t, fmt.Sprintf("seed %d, limit %d: %s", seed, limit, inv.ID(s.Entity)), s, want.Availability)
				if s.Method == Exact && math.Abs(s.Availability-want.Availability) > 1e-12 {
					t.Fatalf("seed %d, limit %d: exact availability of %s = %v, want %v", seed, limit, inv.ID(s.Entity), s.Availability, want.Availability)
				}
				if s.Method == Bounds {
					bounded++
				}
			}
		}
	}
	if bounded < runs {
		t.Fatalf("only %d bounded results in %d inventories", bounded, runs)
	}
}

// checkInterval checks that s's interval is well formed and contains the exact availability want.
func checkInterval(t *testing.T, what string, s Service, want float64) {
	t.Helper()
	const tol = 1e-12
	if !(s.Low <= s.Availability && s.Availability <= s.High) || s.Low < 0 || s.High > 1 {
		t.Fatalf("%s: availability %v outside [%v, %v]", what, s.Availability, s.Low, s.High)
	}
	if want < s.Low-tol || want > s.High+tol {
		t.Fatalf("%s: exact availability %v outside [%v, %v] (%v)", what, want, s.Low, s.High, s.Method)
	}
	if s.Method == Exact && s.Low != s.High || (s.Method == Bounds) != (s.BoundedBy != NotBounded) {
		t.Fatalf("%s: method %v, bounded by %q, interval [%v, %v]", what, s.Method, s.BoundedBy, s.Low, s.High)
	}
	if s.Method == Bounds && s.Importance != nil {
		t.Fatalf("%s: bounded with importance", what)
	}
	if math.Abs(s.Availability+s.Unavailability-1) > tol {
		t.Fatalf("%s: availability %v and unavailability %v", what, s.Availability, s.Unavailability)
	}
}

// TestExample checks a small platform by hand: two PBX VMs on one cluster, behind one provider.
func TestExample(t *testing.T) {
	// Sorted by ID, so that indexes are positions.
	ents := []model.Entity{
		{ID: "cluster", Kind: model.Component, Availability: 0.999, Refs: []model.Ref{{Key: "provider", Req: need(1)}}},
		{ID: "hostco", Kind: model.Provider, Availability: 0.9995},
		{ID: "pbx", Kind: model.Service, Tier: model.High, SLO: 0.999, Refs: []model.Ref{{Key: "runs_on", Req: &model.Req{Op: model.AnyOf, Group: true, Members: []*model.Req{need(3), need(4)}}}}},
		{ID: "pbx-01", Kind: model.VM, Availability: 0.99, Refs: []model.Ref{{Key: "host", Req: need(0)}}},
		{ID: "pbx-02", Kind: model.VM, Availability: 0.99, Refs: []model.Ref{{Key: "host", Req: need(0)}}},
	}
	inv := model.New(ents, nil)
	res := analysis.Analyze(inv, analysis.Options{MaxOrder: 1})
	r := Compute(res, Options{})
	pbx, _ := inv.Lookup("pbx")
	s, ok := r.Service(pbx)
	if !ok || len(r.Services) != 1 {
		t.Fatalf("Services = %v", r.Services)
	}
	// pbx (built-in 0.999) × hostco × cluster × (1 − 0.01²).
	want := 0.999 * 0.9995 * 0.999 * (1 - 0.01*0.01)
	if math.Abs(s.Availability-want) > 1e-15 {
		t.Errorf("availability = %v, want %v", s.Availability, want)
	}
	if met, decided := s.SLOMet(); met || !decided {
		t.Errorf("SLOMet = %v, %v; want false, true", met, decided)
	}
	if got := inv.ID(s.Assumed()[0]); len(s.Assumed()) != 1 || got != "pbx" {
		t.Errorf("Assumed = %v, want [pbx]", s.Assumed())
	}
	// SLO 99.9% allows 0.1% to pbx and 0.01% to each critical dependency: hostco (0.05%) and the
	// cluster (0.1%) break the rule.
	var ids []string
	for _, d := range s.ExtraNine() {
		ids = append(ids, inv.ID(d.Entity))
	}
	if !slices.Equal(ids, []string{"cluster", "hostco"}) {
		t.Errorf("ExtraNine = %v, want [cluster hostco]", ids)
	}
	first := r.ImproveFirst()
	if len(first) != 0 {
		t.Errorf("ImproveFirst = %v, want none (pbx is not critical)", first)
	}
}

func need(e int32) *model.Req { return &model.Req{Op: model.Need, Entity: e} }
