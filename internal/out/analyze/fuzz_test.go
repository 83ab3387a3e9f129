package analyze_test

import (
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/spofhq/spof/internal/analysis"
	"github.com/spofhq/spof/internal/inventory"
	"github.com/spofhq/spof/internal/model"
	"github.com/spofhq/spof/internal/out/analyze"
	"github.com/spofhq/spof/internal/out/simulate"
	"github.com/spofhq/spof/internal/testinv"
)

// FuzzPipeline runs every inventory the loader accepts through the analysis and both outputs of
// analyze, simulate and impact: whatever a user writes, spof must answer or say why, never crash.
// The analysis runs at every order from 1 to 4 under the smallest budgets, whose lists must be the
// first sets of the unbudgeted ones, truncated exactly when more exist, with the same tolerance.
func FuzzPipeline(f *testing.F) {
	files, _ := filepath.Glob("../../../inventories/*/*/*.toml")
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("[services.a]\ndepends_on = { any_of = [\"b\", { at_least = 1, of = [\"a2\"] }] }\n[services.b]\ndepends_on = \"a\"\n[services.a2]\nruns_on = \"b\"\n"))
	// Issue 14: a cycle through a quorum hung the budgeted iteration; an any_of of three services
	// listed no set under a budget of one; a chain of 70,000 overflowed path lengths (here short).
	f.Add([]byte("[vms.a]\ndepends_on = { any_of = [\"b\", \"c\"] }\n[providers.b]\ndepends_on = { at_least = 3, of = [\"x0\", \"x1\", \"x2\", \"x3\"] }\n[vms.c]\ndepends_on = \"d\"\n[services.d]\ndepends_on = [\"a\", \"b\"]\n[vms.x0]\n[vms.x1]\n[vms.x2]\n[vms.x3]\n"))
	f.Add([]byte("[services.s]\nruns_on = { any_of = [\"a\", \"b\", \"c\"] }\n[services.a]\n[services.b]\nruns_on = \"v\"\n[services.c]\n[vms.v]\n"))
	f.Add([]byte("[services.s0]\ndepends_on = { any_of = [\"s1\", \"t1\"] }\n[services.t0]\ndepends_on = { any_of = [\"s1\", \"t1\"] }\n[services.s1]\ndepends_on = \"x\"\n[services.t1]\ndepends_on = \"x\"\n[providers.x]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		inv, diags := inventory.Parse([]inventory.Source{{Name: "f.toml", Data: data}}, testinv.Options())
		if diags.HasErrors() {
			return
		}
		for order := 1; order <= 4; order++ {
			whole := analysis.Analyze(inv, analysis.Options{MaxOrder: order})
			for budget := 1; budget <= 3; budget++ {
				checkBudget(t, inv, whole, analysis.Analyze(inv, analysis.Options{MaxOrder: order, MaxCutSets: budget}), budget)
			}
		}
		res := analysis.Analyze(inv, analysis.Options{MaxOrder: 3, MaxCutSets: 3})
		for _, paths := range []analyze.Paths{analyze.PathsDefault, analyze.PathsNext, analyze.PathsNone} {
			opts := analyze.Options{MaxCutSets: 3, Paths: paths, Text: analyze.TextOptions{CutSetsShown: 2, Platform: true}}
			if err := analyze.WriteJSON(io.Discard, res, opts); err != nil {
				t.Fatal(err)
			}
			if err := analyze.WriteText(io.Discard, res, opts); err != nil {
				t.Fatal(err)
			}
		}
		for x := range int32(inv.Len()) {
			if err := simulate.WriteSimulationText(io.Discard, simulate.NewSimulation(res, []int32{x}), inv); err != nil {
				t.Fatal(err)
			}
			_ = simulate.NewEntityImpact(res, x)
		}
	})
}

// checkBudget checks res, analysed with a budget, against whole, analysed without one.
func checkBudget(t *testing.T, inv *model.Inventory, whole, res *analysis.Result, budget int) {
	t.Helper()
	for e := range int32(inv.Len()) {
		all, _ := whole.CutSets(e, 0)
		ones := 0
		for ones < len(all) && len(all[ones]) == 1 {
			ones++
		}
		want := all[:ones+min(budget, len(all)-ones)]
		got, truncated := res.CutSets(e, 0)
		if !slices.EqualFunc(got, want, slices.Equal) || truncated != (len(all)-ones > budget) {
			t.Fatalf("order %d, budget %d: CutSets(%s) = %v (truncated %v), want %v of %v", res.MaxOrder, budget, inv.ID(e), got, truncated, want, all)
		}
		tol, ok := res.Tolerance(e)
		if wt, wok := whole.Tolerance(e); tol != wt || ok != wok {
			t.Fatalf("order %d, budget %d: Tolerance(%s) = %d, %v, want %d, %v", res.MaxOrder, budget, inv.ID(e), tol, ok, wt, wok)
		}
	}
}
