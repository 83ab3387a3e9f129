package avail

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/spofhq/spof/internal/analysis"
	"github.com/spofhq/spof/internal/model"
)

// TestFailoverAgainstBruteForce checks the pessimistic view against its definition evaluated directly
// on the inventory as written: an unproven group is met only if its first need members are.
func TestFailoverAgainstBruteForce(t *testing.T) {
	const cutoff = "2026-05-29"
	for seed := range 1500 {
		rng := rand.New(rand.NewPCG(uint64(seed), 10))
		inv := randomInventory(rng, 2+rng.IntN(9))
		base := analysis.Analyze(inv, analysis.Options{MaxOrder: 1})
		f := NewFailover(base, cutoff)
		var met func(r *model.Req, down []bool) bool
		met = func(r *model.Req, down []bool) bool {
			if r.Op == model.Need {
				return !down[r.Entity]
			}
			members := r.Members
			if r.Redundant() && (r.Tested == "" || r.Tested < cutoff) {
				members = members[:r.Need()]
			}
			up := 0
			for _, m := range members {
				if met(m, down) {
					up++
				}
			}
			return up >= r.Need()
		}
		for s := range int32(inv.Len()) {
			var want, wantNew []int32
			for x := range int32(inv.Len()) {
				if x == s {
					continue
				}
				failed := make([]bool, inv.Len())
				failed[x] = true
				if bruteDown(inv, failed, met)[s] {
					want = append(want, x)
					if !bruteDown(inv, failed, bruteMet)[s] {
						wantNew = append(wantNew, x)
					}
				}
			}
			if got := f.Res.SPOFs(s); !slices.Equal(got, want) {
				t.Fatalf("seed %d: pessimistic SPOFs of %s = %v, want %v", seed, inv.ID(s), got, want)
			}
			if inv.Entities[s].Kind != model.Service {
				continue
			}
			if got := f.SPOFs(s); !slices.Equal(got, wantNew) {
				t.Fatalf("seed %d: failover SPOFs of %s = %v, want %v", seed, inv.ID(s), got, wantNew)
			}
			for _, x := range wantNew {
				c := f.Chain(s, x)
				if len(c) < 2 || c[0] != s || c[len(c)-1] != x {
					t.Fatalf("seed %d: Chain(%s, %s) = %v", seed, inv.ID(s), inv.ID(x), c)
				}
				// The chain a replay of x's failure gives in the pessimistic view, as documented.
				if want := f.Res.Simulate([]int32{x}).Chain(s); !slices.Equal(c, want) {
					t.Fatalf("seed %d: Chain(%s, %s) = %v, the simulation's is %v", seed, inv.ID(s), inv.ID(x), c, want)
				}
			}
		}
	}
}

func TestUntestedGroups(t *testing.T) {
	a, b, c := need(0), need(1), need(2)
	fresh := &model.Req{Op: model.AnyOf, Group: true, Tested: "2026-11-01", Members: []*model.Req{a, b}}
	stale := &model.Req{Op: model.AtLeast, K: 2, Group: true, Tested: "2025-01-01", Members: []*model.Req{a, b, c}}
	never := &model.Req{Op: model.AnyOf, Group: true, Members: []*model.Req{a, c}}
	all := &model.Req{Op: model.AllOf, Group: true, Members: []*model.Req{a, b}} // no failover to prove
	inv := model.New([]model.Entity{
		{ID: "a", Kind: model.VM}, {ID: "b", Kind: model.VM}, {ID: "c", Kind: model.VM},
		{ID: "s", Kind: model.Service, Refs: []model.Ref{{Key: "runs_on", Req: &model.Req{Op: model.AllOf, Members: []*model.Req{fresh, stale, never, all}}}}},
	}, nil)
	age, err := ParseAge("180d")
	if err != nil {
		t.Fatal(err)
	}
	cutoff := Cutoff(time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC), age)
	if cutoff != "2026-05-29" {
		t.Fatalf("Cutoff = %s, want 2026-05-29", cutoff)
	}
	var got []*model.Req
	for _, u := range UntestedGroups(inv, cutoff) {
		got = append(got, u.Group)
	}
	if !slices.Equal(got, []*model.Req{stale, never}) {
		t.Errorf("UntestedGroups = %v, want the stale quorum and the never-tested any_of", got)
	}
	p := Pessimistic(inv, cutoff)
	root := p.Entities[3].Refs[0].Req
	if q := root.Members[1]; q.Op != model.AllOf || len(q.Members) != 2 || q.Members[1].Entity != 1 {
		t.Errorf("stale 2-of-3 became %+v, want all_of its first two members", q)
	}
	if q := root.Members[2]; q.Op != model.Need || q.Entity != 0 {
		t.Errorf("untested any_of became %+v, want its first member", q)
	}
	if root.Members[0].Op != model.AnyOf || inv.Entities[3].Refs[0].Req.Members[2] != never {
		t.Errorf("the tested group changed, or the original inventory did")
	}
}

func TestParseAge(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"180d", 180 * 24 * time.Hour, true},
		{"36h", 36 * time.Hour, true},
		{"0d", 0, true},
		{"6m", 0, false},
		{"d", 0, false},
		{"-3d", 0, false},
		{"1.5d", 0, false},
	} {
		got, err := ParseAge(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("ParseAge(%q) = %v, %v; want %v, ok %v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}
