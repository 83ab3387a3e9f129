package analysis

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/spofhq/spof/internal/inventory"
	"github.com/spofhq/spof/internal/model"
	"github.com/spofhq/spof/internal/testinv"
)

// parse loads an inventory written inline.
func parse(tb testing.TB, toml string) *model.Inventory {
	tb.Helper()
	inv, diags := inventory.Parse([]inventory.Source{{Name: "inline.toml", Data: []byte(toml)}}, testinv.Options())
	if diags.HasErrors() {
		tb.Fatalf("parse: %v", diags)
	}
	return inv
}

// vms declares VMs named prefix0 … prefix(n-1), VM i on host(i) when host is not nil.
func vms(prefix string, n int, host func(i int) string) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "[vms.%s%d]\n", prefix, i)
		if host != nil {
			fmt.Fprintf(&b, "host = %q\n", host(i))
		}
	}
	return b.String()
}

func quoted(prefix string, n int) string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("%q", fmt.Sprint(prefix, i))
	}
	return strings.Join(ids, ", ")
}

// TestBudgetDefects holds the inventories of the defects found under the cut-set budget: each must
// end (a hang shows as the test timing out), and with every budget listed give the first sets of the
// whole list, truncated exactly when more exist, and the exact tolerance.
func TestBudgetDefects(t *testing.T) {
	clusters := func(n int) string {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, "[components.cl%d]\n", i)
		}
		return b.String()
	}
	tests := []struct {
		name    string
		toml    string
		k       int
		budgets []int
	}{{
		// A quorum on a cycle through redundancy: the budgeted iteration moved ends up and down
		// forever (analyze hung with its default budget, check with its budget of one).
		name: "cycle through a quorum of 10 of 11",
		toml: `
[vms.a]
depends_on = { any_of = ["b", "c"] }
[providers.b]
depends_on = { at_least = 10, of = [` + quoted("x", 11) + `] }
[vms.c]
depends_on = "d"
[services.d]
depends_on = ["a", "b"]
` + vms("x", 11, nil),
		k:       3,
		budgets: []int{1, 2, 3, 50, 100, 200},
	}, {
		name: "cycle through a quorum of 13 of 14",
		toml: `
[vms.a]
depends_on = { any_of = ["b", "c"] }
[providers.b]
depends_on = { at_least = 13, of = [` + quoted("x", 14) + `] }
[vms.c]
depends_on = "d"
[services.d]
depends_on = ["a", "b"]
` + vms("x", 14, nil),
		k:       3,
		budgets: []int{1, 100},
	}, {
		name: "cycle through a quorum of 19 of 20, budget 200",
		toml: `
[vms.a]
depends_on = { any_of = ["b", "c"] }
[providers.b]
depends_on = { at_least = 19, of = [` + quoted("x", 20) + `] }
[vms.c]
depends_on = "d"
[services.d]
depends_on = ["a", "b"]
` + vms("x", 20, nil),
		k:       3,
		budgets: []int{1, 200},
	}, {
		name: "the cycle alone, b a plain provider",
		toml: `
[vms.a]
depends_on = { any_of = ["b", "c"] }
[providers.b]
[vms.c]
depends_on = "d"
[services.d]
depends_on = ["a", "b"]
`,
		k:       3,
		budgets: []int{1, 2},
	}, {
		// check panicked: the budget of one listed no set although the tolerance was 3.
		name: "any_of three services, one on a VM",
		toml: `
[services.s]
runs_on = { any_of = ["a", "b", "c"] }
[services.a]
[services.b]
runs_on = "v"
[services.c]
[vms.v]
`,
		k:       4,
		budgets: []int{1, 2, 3},
	}, {
		// Listed no set and said truncated, with 35 sets of four to list.
		name: "30 of 60 VMs on 6 clusters, order 4",
		toml: `
[services.s]
runs_on = { at_least = 30, of = [` + quoted("v", 60) + `] }
` + vms("v", 60, func(i int) string { return fmt.Sprint("cl", i%6) }) + clusters(6),
		k:       4,
		budgets: []int{1, 5, 100},
	}, {
		// Listed 40 of 320 sets with a budget of 100.
		name: "4 of 7 VMs on 6 clusters",
		toml: `
[services.s]
runs_on = { at_least = 4, of = [` + quoted("v", 7) + `] }
` + vms("v", 7, func(i int) string { return fmt.Sprint("cl", i%6) }) + clusters(6),
		k:       4,
		budgets: []int{1, 40, 100, 319, 320, 321},
	}, {
		// Exactly four sets with a budget of five said "4 of more than 4".
		name: "exactly four sets",
		toml: `
[services.s]
runs_on = { any_of = ["a", "b"] }
depends_on = { any_of = ["c", "d"] }
[vms.a]
[vms.b]
[vms.c]
[vms.d]
`,
		k:       3,
		budgets: []int{1, 3, 4, 5},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inv := parse(t, tt.toml)
			whole := Analyze(inv, Options{MaxOrder: tt.k})
			for _, budget := range tt.budgets {
				checkAgainstWhole(t, inv, whole, tt.k, budget)
			}
		})
	}
}

// checkAgainstWhole checks an analysis under a budget against the analysis without one (which the
// property tests compare with the brute force): the first sets of the whole list, truncated exactly
// when more exist, and the same tolerance, for every entity.
func checkAgainstWhole(t *testing.T, inv *model.Inventory, whole *Result, k, budget int) {
	t.Helper()
	res := Analyze(inv, Options{MaxOrder: k, MaxCutSets: budget})
	for s := range int32(inv.Len()) {
		all, _ := whole.CutSets(s, 0)
		ones := countOnes(all)
		want := all[:ones+min(budget, len(all)-ones)]
		got, truncated := res.CutSets(s, budget)
		if !slices.EqualFunc(got, want, slices.Equal) || truncated != (len(all)-ones > budget) {
			t.Fatalf("budget %d: CutSets(%s) = %v (truncated %v), want %v (truncated %v)",
				budget, inv.ID(s), names(inv, got), truncated, names(inv, want), len(all)-ones > budget)
		}
		tol, ok := res.Tolerance(s)
		wantTol, wantOK := whole.Tolerance(s)
		if tol != wantTol || ok != wantOK {
			t.Fatalf("budget %d: Tolerance(%s) = %d, %v, want %d, %v", budget, inv.ID(s), tol, ok, wantTol, wantOK)
		}
	}
}
