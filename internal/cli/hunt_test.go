package cli

import (
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/spofhq/spof/internal/brute"
	"github.com/spofhq/spof/internal/inventory"
	"github.com/spofhq/spof/internal/model"
	"github.com/spofhq/spof/internal/testinv"
)

// huntSeeds is how many adversarial inventories TestHunt runs the pipeline on: go test ./internal/cli
// -run Hunt -hunt-seeds 2000 hunts longer.
var huntSeeds = flag.Int("hunt-seeds", 0, "adversarial inventories TestHunt runs (0: 60, 20 with -short)")

// huntKeep is a folder where TestHunt leaves its inventories, to replay one with spof itself.
var huntKeep = flag.String("hunt-keep", "", "folder where TestHunt writes its inventories (default: a temporary one)")

// huntBig lets TestHunt search cut sets up to order 4 on its large inventories too: on random
// inventories of 150 entities with cycles, that takes up to a minute (minimal cut sets of order 4
// number in the thousands per service).
var huntBig = flag.Bool("hunt-big", false, "search cut sets up to order 4 on the large inventories too (slow)")

// huntOnly restricts TestHunt to one seed (-1: all).
var huntOnly = flag.Int("hunt-seed", -1, "the only seed TestHunt runs (-1: all)")

// huntShapes are the adversarial shapes of TestHunt, each written by its generator at a size.
var huntShapes = []struct {
	name string
	gen  func(rng *rand.Rand, size int) string
}{
	{"chain", huntChain},
	{"ring", func(rng *rand.Rand, size int) string { return huntRing(size, true) }},
	{"backward ring", func(rng *rand.Rand, size int) string { return huntRing(size, false) }},
	{"wide quorum", huntQuorum},
	{"deep nesting", huntNesting},
	{"heavy sharing", huntSharing},
	{"random", huntRandom},
}

// huntChain is a chain of services, s0 depending on s1 and so on, some links a VM on a provider, the
// last services sometimes on a group of the first (a cycle through redundancy).
func huntChain(rng *rand.Rand, size int) string {
	var b strings.Builder
	for i := range size {
		fmt.Fprintf(&b, "[services.s%d]\n", i)
		switch {
		case i+1 < size && rng.IntN(5) == 0:
			fmt.Fprintf(&b, "depends_on = [\"s%d\", \"v%d\"]\n", i+1, i)
		case i+1 < size:
			fmt.Fprintf(&b, "depends_on = \"s%d\"\n", i+1)
		case size > 2 && rng.IntN(2) == 0:
			fmt.Fprintf(&b, "depends_on = { any_of = [\"s0\", \"p0\"] }\n")
		}
	}
	for i := range size {
		if strings.Contains(b.String(), fmt.Sprintf("\"v%d\"", i)) {
			fmt.Fprintf(&b, "[vms.v%d]\ndepends_on = \"p%d\"\n", i, i%3)
		}
	}
	b.WriteString("[providers.p0]\n[providers.p1]\n[providers.p2]\n")
	return b.String()
}

// huntRing is a cycle of services declared forwards (s_i on s_{i+1}, the last on the first) or
// backwards, with one service outside it that depends on a member and a provider.
func huntRing(size int, forwards bool) string {
	var b strings.Builder
	for i := range size {
		next := (i + 1) % size
		if !forwards {
			next = (i + size - 1) % size
		}
		fmt.Fprintf(&b, "[services.s%d]\ndepends_on = [\"s%d\", \"p%d\"]\n", i, next, i%2)
	}
	fmt.Fprintf(&b, "[services.top]\ndepends_on = { any_of = [\"s%d\", \"p1\"] }\n", size/2)
	b.WriteString("[providers.p0]\n[providers.p1]\n")
	return b.String()
}

// huntQuorum is a service on at_least k of m VMs spread over a few clusters and providers, and a
// second service on a quorum of the first and some VMs.
func huntQuorum(rng *rand.Rand, size int) string {
	m := size
	k := 1 + rng.IntN(m)
	clusters := 1 + rng.IntN(min(m, 6))
	var b strings.Builder
	fmt.Fprintf(&b, "[services.s]\nruns_on = { at_least = %d, of = [%s] }\n", k, huntIDs("v", m))
	fmt.Fprintf(&b, "[services.t]\ndepends_on = { at_least = 2, of = [\"s\", \"v0\", \"v%d\"] }\n", m-1)
	for i := range m {
		fmt.Fprintf(&b, "[vms.v%d]\nhost = \"c%d\"\n", i, i%clusters)
	}
	for c := range clusters {
		fmt.Fprintf(&b, "[components.c%d]\nprovider = \"p%d\"\n", c, c%2)
	}
	b.WriteString("[providers.p0]\n[providers.p1]\n")
	return b.String()
}

// huntNesting is a service whose requirement nests size groups (any_of, all_of and at_least by
// turns), each the last member of the one around it.
func huntNesting(rng *rand.Rand, size int) string {
	var open, shut strings.Builder
	for i := range size {
		switch rng.IntN(3) {
		case 0:
			fmt.Fprintf(&open, "{ any_of = [\"v%d\", ", i)
		case 1:
			fmt.Fprintf(&open, "{ all_of = [\"v%d\", ", i)
		default:
			fmt.Fprintf(&open, "{ at_least = %d, of = [\"v%d\", \"w%d\", ", 1+rng.IntN(3), i, i)
		}
		shut.WriteString("] }")
	}
	var b strings.Builder
	fmt.Fprintf(&b, "[services.s]\ndepends_on = %s\"v%d\"%s\n", open.String(), size, shut.String())
	for i := range size + 1 {
		fmt.Fprintf(&b, "[vms.v%d]\ndepends_on = \"p%d\"\n[vms.w%d]\n", i, i%2, i)
	}
	b.WriteString("[providers.p0]\n[providers.p1]\n")
	return b.String()
}

// huntSharing is many services each on an any_of of two VMs from a small pool, the VMs sharing two
// providers, and a service on an at_least of the others.
func huntSharing(rng *rand.Rand, size int) string {
	var b strings.Builder
	pool := 2 + rng.IntN(3)
	for i := range size {
		a, c := rng.IntN(pool), rng.IntN(pool)
		if a == c {
			c = (c + 1) % pool
		}
		fmt.Fprintf(&b, "[services.s%d]\nruns_on = { any_of = [\"v%d\", \"v%d\"] }\n", i, a, c)
	}
	fmt.Fprintf(&b, "[services.top]\ndepends_on = { at_least = %d, of = [%s] }\n", 1+rng.IntN(size), huntIDs("s", size))
	for i := range pool {
		fmt.Fprintf(&b, "[vms.v%d]\nprovider = \"p%d\"\n", i, rng.IntN(2))
	}
	b.WriteString("[providers.p0]\n[providers.p1]\n")
	return b.String()
}

// huntRandom is size entities of random kinds with random requirements on each other: nested
// groups, quorums and cycles.
func huntRandom(rng *rand.Rand, size int) string {
	kinds := []string{"services", "vms", "components", "providers"}
	ids := make([]string, size)
	for i := range ids {
		ids[i] = fmt.Sprintf("e%d", i)
	}
	var b strings.Builder
	for i, id := range ids {
		fmt.Fprintf(&b, "[%s.%s]\n", kinds[rng.IntN(len(kinds))], id)
		if rng.IntN(4) > 0 {
			fmt.Fprintf(&b, "depends_on = %s\n", huntReq(rng, ids, i, 0))
		}
	}
	return b.String()
}

// huntReq is a random requirement of entity self on others among ids, nested at most 3 deep.
func huntReq(rng *rand.Rand, ids []string, self, depth int) string {
	pick := func() string {
		for {
			if j := rng.IntN(len(ids)); j != self {
				return fmt.Sprintf("%q", ids[j])
			}
		}
	}
	if len(ids) < 2 {
		return "[]"
	}
	if depth >= 3 || rng.IntN(3) == 0 {
		return pick()
	}
	n := 1 + rng.IntN(min(4, len(ids)-1))
	members := make([]string, n)
	for i := range members {
		members[i] = huntReq(rng, ids, self, depth+1)
	}
	list := strings.Join(members, ", ")
	switch rng.IntN(3) {
	case 0:
		return "{ any_of = [" + list + "] }"
	case 1:
		return "{ all_of = [" + list + "] }"
	}
	return fmt.Sprintf("{ at_least = %d, of = [%s] }", 1+rng.IntN(n), list)
}

func huntIDs(prefix string, n int) string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("%q", fmt.Sprintf("%s%d", prefix, i))
	}
	return strings.Join(ids, ", ")
}

// bruteLimit is the most entities for which TestHunt compares with the brute force: it enumerates
// every set of up to four of them.
const bruteLimit = 14

// TestHunt runs the whole pipeline in-process on adversarial inventories (chains, rings declared both
// ways, wide quorums, deep nesting, heavy sharing, random requirements) with small budgets and every
// --max-order: validate, analyze (text and JSON), check, simulate (text and JSON), impact and report.
// Every run must end (the test's own timeout is the only clock), exit 0 or 1, and, where the
// inventory is small enough, agree with the brute force: SPOFs, tolerance, the budgeted cut-set lists
// (the first N in order, truncated exactly when more exist), and what a failure puts down.
func TestHunt(t *testing.T) {
	seeds := *huntSeeds
	if seeds == 0 {
		seeds = 60
		if testing.Short() {
			seeds = 20
		}
	}
	dir := *huntKeep
	if dir == "" {
		dir = t.TempDir()
	}
	for seed := range seeds {
		if *huntOnly >= 0 && seed != *huntOnly {
			continue
		}
		rng := rand.New(rand.NewPCG(uint64(seed), 1014))
		shape := huntShapes[seed%len(huntShapes)]
		// Mostly small enough for the brute force, one in four large (up to the limits).
		size := 2 + rng.IntN(8)
		if seed%4 == 3 {
			size = []int{300, 60, 64, 150}[rng.IntN(4)]
		}
		if shape.name == "deep nesting" {
			size = min(size, inventory.MaxGroupDepth)
		}
		text := shape.gen(rng, size)
		name := fmt.Sprintf("%s-%d", strings.ReplaceAll(shape.name, " ", "-"), seed)
		path := filepath.Join(dir, name+".toml")
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		inv := testinv.Parse(t, text)
		h := &hunt{t: t, name: name, path: path, inv: inv, text: text}
		maxOrder := 4
		if inv.Len() > bruteLimit && !*huntBig {
			maxOrder = 2
		}
		start := time.Now()
		h.pipeline(rng, maxOrder)
		t.Logf("%s: %d entities, %v", name, inv.Len(), time.Since(start))
	}
}

// TestHuntLimits checks the runs that must be refused: groups nested one deeper than allowed.
func TestHuntLimits(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1014))
	path := filepath.Join(t.TempDir(), "deep.toml")
	if err := os.WriteFile(path, []byte(huntNesting(rng, inventory.MaxGroupDepth+1)), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"validate", path}, {"analyze", path}, {"check", path}, {"report", path}} {
		code, _, stderr := huntRun(args...)
		want := fmt.Sprintf("groups nested %d deep; at most %d", inventory.MaxGroupDepth+1, inventory.MaxGroupDepth)
		if code != ExitInvalid || !strings.Contains(stderr, want) || !strings.HasPrefix(stderr, path+":2:") {
			t.Errorf("spof %s: exit %d, stderr %q; want exit 2 and %q at line 2", strings.Join(args, " "), code, stderr, want)
		}
	}
}

// hunt is one adversarial inventory under test.
type hunt struct {
	t          *testing.T
	name, path string
	text       string
	inv        *model.Inventory
}

func huntRun(args ...string) (code int, stdout, stderr string) {
	var out, errs strings.Builder
	code = Main(args, IOStreams{Out: &out, Err: &errs, Getenv: func(string) string { return "" }})
	return code, out.String(), errs.String()
}

// run runs spof with args and returns its output, failing unless it exits with one of ok.
func (h *hunt) run(ok []int, args ...string) string {
	h.t.Helper()
	code, stdout, stderr := huntRun(args...)
	if !slices.Contains(ok, code) {
		h.t.Fatalf("%s: spof %s: exit %d\n%s\n%s", h.name, strings.Join(args, " "), code, stderr, h.text)
	}
	return stdout
}

var exit0, exit01 = []int{ExitOK}, []int{ExitOK, ExitViolation}

// pipeline runs every command on the inventory, analyze with a --max-order up to maxOrder.
func (h *hunt) pipeline(rng *rand.Rand, maxOrder int) {
	h.t.Helper()
	p := h.path
	h.run(exit0, "validate", p)
	k := 1 + rng.IntN(maxOrder)
	budget := 1 + rng.IntN(3)
	order, cuts := fmt.Sprint(k), fmt.Sprint(budget)
	h.run(exit0, "analyze", p, "--max-order", order, "--max-cut-sets", cuts, "--availability=false")
	doc := h.run(exit0, "analyze", p, "--format", "json", "--max-order", order, "--max-cut-sets", cuts,
		"--availability="+fmt.Sprint(rng.IntN(2) == 0))
	h.run(exit01, "check", p)
	h.run(exit0, "report", p, "--format", "md", "-o", filepath.Join(filepath.Dir(p), h.name+".md"))
	x := int32(rng.IntN(h.inv.Len()))
	h.run(exit0, "simulate", p, "--fail", h.inv.ID(x))
	sim := h.run(exit0, "simulate", p, "--fail", h.inv.ID(x), "--format", "json", "--paths", []string{"full", "next", "none"}[rng.IntN(3)])
	h.run(exit0, "impact", p, h.inv.ID(x))
	h.checkSimulation(x, sim)
	if h.inv.Len() <= bruteLimit {
		h.checkAnalysis(doc, k, budget)
	}
}

// checkSimulation compares what simulate --fail x puts down with the brute force.
func (h *hunt) checkSimulation(x int32, doc string) {
	h.t.Helper()
	var sim struct {
		Down []struct{ ID string }
	}
	if err := json.Unmarshal([]byte(doc), &sim); err != nil {
		h.t.Fatalf("%s: simulate JSON: %v", h.name, err)
	}
	var got, want []string
	for _, d := range sim.Down {
		got = append(got, d.ID)
	}
	for e, down := range brute.DownOf(h.inv, []int32{x}) {
		if down && int32(e) != x {
			want = append(want, h.inv.ID(int32(e)))
		}
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		h.t.Fatalf("%s: simulate --fail %s puts down %v, want %v\n%s", h.name, h.inv.ID(x), got, want, h.text)
	}
}

// checkAnalysis compares every service of analyze's JSON, run with --max-order k and --max-cut-sets
// budget, with the brute force.
func (h *hunt) checkAnalysis(doc string, k, budget int) {
	h.t.Helper()
	var res struct {
		Services []struct {
			ID    string
			SPOFs []struct{ ID string } `json:"spofs"`
			Tol   *int                  `json:"tolerance"`
			Cuts  [][]string            `json:"cut_sets"`
			More  bool                  `json:"cut_sets_truncated"`
		}
	}
	if err := json.Unmarshal([]byte(doc), &res); err != nil {
		h.t.Fatalf("%s: analyze JSON: %v", h.name, err)
	}
	for _, s := range res.Services {
		si, _ := h.inv.Lookup(s.ID)
		all := bruteMinimalCuts(h.inv, si, k)
		var spofs []string
		var larger [][]string
		for _, c := range all {
			ids := h.inv.IDsOf(c)
			slices.Sort(ids)
			if len(c) == 1 {
				spofs = append(spofs, ids[0])
			} else {
				larger = append(larger, ids)
			}
		}
		var gotSPOFs []string
		for _, x := range s.SPOFs {
			gotSPOFs = append(gotSPOFs, x.ID)
		}
		where := func() string {
			return fmt.Sprintf("%s: service %s, --max-order %d --max-cut-sets %d\n%s", h.name, s.ID, k, budget, h.text)
		}
		if !slices.Equal(gotSPOFs, spofs) {
			h.t.Fatalf("%s\nspofs %v, want %v", where(), gotSPOFs, spofs)
		}
		switch {
		case len(all) == 0 && s.Tol != nil:
			h.t.Fatalf("%s\ntolerance %d, want none up to %d", where(), *s.Tol, k)
		case len(all) > 0 && (s.Tol == nil || *s.Tol != len(all[0])):
			h.t.Fatalf("%s\ntolerance %v, want %d", where(), s.Tol, len(all[0]))
		}
		want := larger[:min(budget, len(larger))]
		if !slices.EqualFunc(s.Cuts, want, slices.Equal) || s.More != (len(larger) > budget) {
			h.t.Fatalf("%s\ncut sets %v (truncated %v), want %v (truncated %v)", where(), s.Cuts, s.More, want, len(larger) > budget)
		}
	}
}

// bruteMinimalCuts returns the minimal cut sets of s of at most k entities, by size then IDs (the
// order of analyze's JSON), by trying every set.
func bruteMinimalCuts(inv *model.Inventory, s int32, k int) [][]int32 {
	var others []int32
	for e := range int32(inv.Len()) {
		if e != s {
			others = append(others, e)
		}
	}
	var out [][]int32
	for size := 1; size <= k; size++ {
		var each func(start int, set []int32)
		each = func(start int, set []int32) {
			if len(set) == size {
				for _, c := range out {
					if isSubsetOf(c, set) {
						return
					}
				}
				if brute.DownOf(inv, set)[s] {
					out = append(out, slices.Clone(set))
				}
				return
			}
			for i := start; i < len(others); i++ {
				each(i+1, append(set, others[i]))
			}
		}
		first := len(out)
		each(0, nil)
		slices.SortFunc(out[first:], func(a, b []int32) int {
			ia, ib := inv.IDsOf(a), inv.IDsOf(b)
			slices.Sort(ia)
			slices.Sort(ib)
			return slices.Compare(ia, ib)
		})
	}
	return out
}

// isSubsetOf reports whether every member of a, ascending, is in b, ascending.
func isSubsetOf(a, b []int32) bool {
	for _, x := range a {
		if _, ok := slices.BinarySearch(b, x); !ok {
			return false
		}
	}
	return true
}
