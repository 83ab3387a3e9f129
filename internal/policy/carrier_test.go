package policy

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/spofhq/spof/internal/analysis"
	"github.com/spofhq/spof/internal/brute"
	"github.com/spofhq/spof/internal/diag"
	"github.com/spofhq/spof/internal/model"
	"github.com/spofhq/spof/internal/testinv"
)

// searchNumbers is throughNumbers as a breadth-first search from s through what x's failure puts
// down, x excluded, each step to a cause of the entity's failure among what went down in earlier
// rounds: the definition the shared search back from the numbers must agree with. round is kleeneRounds(res.Inv, x).
func searchNumbers(res *analysis.Result, s, x int32, round []int32) ([]int32, []int32) {
	inv := res.Inv
	prev := map[int32]int32{s: -1}
	queue := []int32{s}
	nearest := int32(-1)
	var numbers []int32
	for len(queue) > 0 {
		cur := queue[0]
		queue = queue[1:]
		if e := &inv.Entities[cur]; e.Kind == model.Number && e.Published {
			numbers = append(numbers, cur)
			if nearest < 0 {
				nearest = cur
			}
		}
		before := make([]bool, len(round)) // down before cur's round
		for i, r := range round {
			before[i] = r >= 0 && r < round[cur]
		}
		for _, d := range blamed(inv, cur, before) {
			if _, seen := prev[d]; seen || d == x {
				continue
			}
			prev[d] = cur
			queue = append(queue, d)
		}
	}
	if nearest < 0 {
		return nil, nil
	}
	var path []int32
	for at := nearest; at >= 0; at = prev[at] {
		path = append(path, at)
	}
	slices.Reverse(path)
	slices.Sort(numbers)
	return path, numbers
}

// blamed returns, ascending, the entities e's failure is to blame on when those marked in down are
// down: the down leaves of e's unmet reference keys, reached through unmet groups only.
func blamed(inv *model.Inventory, e int32, down []bool) []int32 {
	var out []int32
	var walk func(r *model.Req)
	walk = func(r *model.Req) {
		switch {
		case r.Op == model.Need:
			if down[r.Entity] {
				out = append(out, r.Entity)
			}
		case !brute.Met(r, down):
			for _, m := range r.Members {
				walk(m)
			}
		}
	}
	for _, ref := range inv.Entities[e].Refs {
		walk(ref.Req)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// kleeneRounds returns the round in which each entity goes down when x fails, by the iteration that
// defines the least fixed point, every entity judged against what was down after the round before
// (x is round 0; -1 for what stays up).
func kleeneRounds(inv *model.Inventory, x int32) []int32 {
	round := make([]int32, inv.Len())
	for i := range round {
		round[i] = -1
	}
	round[x] = 0
	down := make([]bool, inv.Len())
	down[x] = true
	for r := int32(1); ; r++ {
		var next []int32
		for i := range inv.Entities {
			if down[i] {
				continue
			}
			for _, ref := range inv.Entities[i].Refs {
				if !brute.Met(ref.Req, down) {
					next = append(next, int32(i))
					break
				}
			}
		}
		if len(next) == 0 {
			return round
		}
		for _, i := range next {
			down[i], round[i] = true, r
		}
	}
}

// TestThroughNumbersAgainstSearch checks the published numbers and the path that single-carrier
// reports, for every entity and each of its SPOFs taken as the carrier, against the search from the
// subject, on random inventories (cycles, quorums, long chains) with random published numbers.
func TestThroughNumbersAgainstSearch(t *testing.T) {
	runs := 1500
	if testing.Short() {
		runs = 200
	}
	check := func(t *testing.T, name string, inv *model.Inventory) {
		res := analysis.Analyze(inv, analysis.Options{MaxOrder: 1})
		c := &evalContext{res: res, walks: map[int32]*carrierWalk{}}
		rounds := map[int32][]int32{}
		for x := range inv.Entities {
			c.walks[int32(x)] = &carrierWalk{}
		}
		for s := range int32(inv.Len()) {
			for _, x := range res.SPOFs(s) {
				l, gotNumbers := c.throughNumbers(s, x)
				var gotPath []int32
				if l != nil {
					gotPath = append(l.appendHead(nil, -1), l.number())
					if head := l.appendHead(nil, 1); l.len() != len(gotPath)-1 || len(head) != min(1, l.len()) {
						t.Fatalf("%s: %s through %s: lead of %d entities, head %v", name, inv.ID(s), inv.ID(x), l.len(), head)
					}
				}
				if rounds[x] == nil {
					rounds[x] = kleeneRounds(inv, x)
				}
				wantPath, wantNumbers := searchNumbers(res, s, x, rounds[x])
				if !slices.Equal(gotPath, wantPath) || !slices.Equal(gotNumbers, wantNumbers) {
					t.Fatalf("%s: %s through %s: path %v numbers %v, want %v and %v", name, inv.ID(s), inv.ID(x),
						gotPath, gotNumbers, wantPath, wantNumbers)
				}
			}
		}
	}
	for seed := range runs {
		rng := rand.New(rand.NewPCG(uint64(seed), 17))
		n := 2 + rng.IntN(14)
		if seed%50 == 0 {
			n = 150 // chains longer than the analysis stores
		}
		inv := brute.Random(rng, n, brute.RandomOptions{Chains: seed%2 == 0})
		for i := range inv.Entities {
			if rng.IntN(3) == 0 {
				inv.Entities[i].Kind = model.Number
				inv.Entities[i].Published = rng.IntN(4) != 0
			}
		}
		check(t, fmt.Sprintf("seed %d", seed), inv)
	}
	check(t, "chain on a number", testinv.Parse(t, chainOnNumber(300)))
}

// TestNumberAfterTheService is the case an independent oracle found: s needs carrier c directly and
// published number n, which routes to s. c's failure puts s down, and n after it: n is not a way c
// reaches s, so c is no single carrier of s (the path once read s → n → s → c). d, n's carrier, is.
func TestNumberAfterTheService(t *testing.T) {
	inv := testinv.Parse(t, `
[providers.c]
[providers.d]
[numbers.n]
published = true
carrier = "d"
routes_to = "s"
[numbers.m]
carrier = "c"
[services.s]
depends_on = ["c", "n"]
`)
	rep := Check(inv, nil, &Policy{Rules: []Rule{{ID: "sc", Forbid: SingleCarrier, Severity: diag.Error}}}, Options{Now: time.Now})
	var got []string
	for _, v := range rep.Violations {
		got = append(got, v.Service+" "+v.Entity+" "+strings.Join(v.Path.IDs(), " → "))
	}
	if want := []string{"s d s → n → d"}; !slices.Equal(got, want) {
		t.Errorf("violations %q, want %q", got, want)
	}
}
