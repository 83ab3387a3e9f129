package gen

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
)

func generate(t testing.TB, o Options) ([]byte, Stats) {
	t.Helper()
	var buf bytes.Buffer
	st, err := Generate(&buf, o)
	if err != nil {
		t.Fatal(err)
	}
	if st.Bytes != int64(buf.Len()) {
		t.Fatalf("Stats.Bytes = %d, wrote %d", st.Bytes, buf.Len())
	}
	return buf.Bytes(), st
}

func TestDeterministic(t *testing.T) {
	o := Options{Entities: 5000, Seed: 1}
	a, _ := generate(t, o)
	b, _ := generate(t, o)
	if !bytes.Equal(a, b) {
		t.Fatal("same seed, different bytes")
	}
	o.Seed = 2
	c, _ := generate(t, o)
	if bytes.Equal(a, c) {
		t.Fatal("different seeds, same bytes")
	}
}

func TestTooSmall(t *testing.T) {
	if _, err := Generate(io.Discard, Options{Entities: MinEntities - 1}); err == nil {
		t.Fatal("no error for too few entities")
	}
	if _, err := Generate(io.Discard, Options{Entities: 1000, Files: -1}); err == nil {
		t.Fatal("no error for negative files")
	}
}

// TestSmallest checks every size near the minimum, where the fallbacks are exercised.
func TestSmallest(t *testing.T) {
	for n := MinEntities; n < MinEntities+60; n++ {
		data, st := generate(t, Options{Entities: n, Seed: uint64(n)})
		inv := decode(t, "gen.toml", data)
		checkInventory(t, inv, st)
	}
}

func TestCountsAndStructure(t *testing.T) {
	for _, n := range []int{1000, 20000} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			data, st := generate(t, Options{Entities: n, Seed: 7})
			inv := decode(t, "gen.toml", data)
			checkInventory(t, inv, st)
			total := 0
			for table, ents := range inv {
				total += len(ents)
				if st.ByKind[table] != len(ents) {
					t.Errorf("Stats.ByKind[%s] = %d, decoded %d", table, st.ByKind[table], len(ents))
				}
			}
			if math.Abs(float64(total-n)) > float64(n)/100 || st.Entities != total {
				t.Errorf("asked %d entities, got %d (stats %d)", n, total, st.Entities)
			}
			share := func(table string) float64 { return float64(len(inv[table])) / float64(n) }
			near := func(what string, got, want, tol float64) {
				if math.Abs(got-want) > tol {
					t.Errorf("%s: share %.3f, want %.3f ± %.3f", what, got, want, tol)
				}
			}
			near("vms", share("vms"), 0.53, 0.04)
			near("services", share("services"), 0.35, 0.01)
			near("numbers", share("numbers"), 0.05, 0.01)
			near("components", share("components"), 0.06, 0.01)
			if n >= 20000 {
				near("providers", share("providers"), 0.005, 0.001)
				tiers := map[string]float64{}
				for _, e := range inv["services"] {
					tier, _ := e["tier"].(string)
					if tier == "" {
						tier = "medium"
					}
					tiers[tier] += 1 / float64(len(inv["services"]))
				}
				near("critical", tiers["critical"], 0.05, 0.01)
				near("high", tiers["high"], 0.15, 0.015)
				near("medium", tiers["medium"], 0.50, 0.02)
				near("low", tiers["low"], 0.30, 0.02)
			}
		})
	}
}

// TestWrite checks that every file decodes, that a single file is exactly Generate's output,
// and that the split does not change the entities.
func TestWrite(t *testing.T) {
	o := Options{Entities: 20000, Seed: 3}
	data, want := generate(t, o)
	ref := decode(t, "gen.toml", data)

	for _, files := range []int{0, 1, 5, 13} {
		t.Run(fmt.Sprint(files), func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "inv")
			o := o
			o.Files = files
			st, err := Write(dir, o)
			if err != nil {
				t.Fatal(err)
			}
			merged := inventory{}
			nfiles, size := 0, int64(0)
			err = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
				if err != nil || d.IsDir() {
					return err
				}
				if !strings.HasSuffix(path, ".toml") {
					t.Errorf("unexpected file %s", path)
				}
				b, err := os.ReadFile(path)
				if err != nil {
					return err
				}
				nfiles++
				size += int64(len(b))
				if files == 1 && !bytes.Equal(b, data) {
					t.Errorf("%s differs from Generate's output", path)
				}
				inv := decode(t, path, b)
				n := 0
				for table, ents := range inv {
					n += len(ents)
					if merged[table] == nil {
						merged[table] = map[string]map[string]any{}
					}
					for id, e := range ents {
						if _, dup := merged[table][id]; dup {
							t.Errorf("%s: %s.%s declared twice", path, table, id)
						}
						merged[table][id] = e
					}
				}
				if files == 0 && n > 2000 {
					t.Errorf("%s holds %d entities", path, n)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if nfiles != st.Files || size != st.Bytes {
				t.Errorf("stats say %d files, %d bytes; found %d, %d", st.Files, st.Bytes, nfiles, size)
			}
			if files > 7 && nfiles != files {
				t.Errorf("asked %d files, got %d", files, nfiles)
			}
			if st.Entities != want.Entities || !reflect.DeepEqual(st.ByKind, want.ByKind) {
				t.Errorf("stats %+v, Generate's %+v", st, want)
			}
			if !reflect.DeepEqual(merged, ref) {
				t.Error("entities differ from Generate's")
			}
			if _, err := Write(dir, o); err == nil {
				t.Error("Write into a non-empty folder succeeded")
			}
		})
	}
}

// inventory is table → id → keys.
type inventory map[string]map[string]map[string]any

func decode(t testing.TB, name string, data []byte) inventory {
	t.Helper()
	var raw map[string]any
	if _, err := toml.Decode(string(data), &raw); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	inv := inventory{}
	for table, v := range raw {
		ents, ok := v.(map[string]any)
		if !ok {
			t.Fatalf("%s: %s is not a table", name, table)
		}
		inv[table] = map[string]map[string]any{}
		for id, e := range ents {
			keys, ok := e.(map[string]any)
			if !ok {
				t.Fatalf("%s: %s.%s is not a table", name, table, id)
			}
			inv[table][id] = keys
		}
	}
	return inv
}

// The format of issue 3, restated independently of the generator.
var (
	idRE    = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]*$`)
	e164RE  = regexp.MustCompile(`^\+[1-9][0-9]{6,14}$`)
	common  = []string{"name", "description", "owner", "tags", "depends_on", "availability"}
	extra   = map[string][]string{"providers": {"type", "contact"}, "services": {"tier", "customer_facing", "runs_on", "slo"}, "numbers": {"number", "carrier", "routes_to", "purpose", "published"}, "vms": {"provider", "host", "site"}, "components": {"type", "provider", "site"}}
	targets = map[string][]string{
		"depends_on": {"providers", "services", "numbers", "vms", "components"},
		"runs_on":    {"vms", "components", "services"},
		"provider":   {"providers"},
		"carrier":    {"providers"},
		"host":       {"vms", "components"},
		"site":       {"components"},
		"routes_to":  {"services", "numbers", "components"},
	}
	tiers = map[string]bool{"critical": true, "high": true, "medium": true, "low": true}
)

// edge is one reference: from an entity, through a key, to an entity; any is set when the
// reference is inside an any_of or at_least group.
type edge struct {
	from, key, to string
	group         bool
}

// checkInventory checks the inventory against the format: tables and keys, IDs unique and
// well formed, references resolving to the allowed kinds, groups well formed, phone numbers
// valid and unique; then the graph: exactly st.Cycles cycles, each closed through a group.
func checkInventory(t *testing.T, inv inventory, st Stats) {
	t.Helper()
	edges, fail := checkFormat(t, inv)
	checkCycles(t, edges, st.Cycles, fail)
	checkRealism(t, inv, edges, fail)
}

// checkFormat is the part of checkInventory that holds for every shape: tables, keys, IDs and
// references. It returns the references and the function that reports a failure.
func checkFormat(t *testing.T, inv inventory) ([]edge, func(string, ...any)) {
	t.Helper()
	errs := 0
	fail := func(format string, args ...any) {
		t.Helper()
		if errs++; errs <= 20 {
			t.Errorf(format, args...)
		}
	}
	kind := map[string]string{}
	for table, ents := range inv {
		if extra[table] == nil {
			fail("unknown table %s", table)
		}
		for id := range ents {
			if !idRE.MatchString(id) {
				fail("bad id %q", id)
			}
			if k, dup := kind[id]; dup {
				fail("id %s in %s and %s", id, k, table)
			}
			kind[id] = table
		}
	}
	numbers := map[string]string{}
	var edges []edge
	for table, ents := range inv {
		allowed := append(append([]string{}, common...), extra[table]...)
		for id, e := range ents {
			for key, v := range e {
				if !slices.Contains(allowed, key) {
					fail("%s.%s: key %s not allowed", table, id, key)
					continue
				}
				if tk, isRef := targets[key]; isRef {
					checkReq(v, false, func(to string, group bool) {
						switch {
						case kind[to] == "":
							fail("%s.%s: %s names unknown %q", table, id, key, to)
						case !slices.Contains(tk, kind[to]):
							fail("%s.%s: %s names %s, a %s", table, id, key, to, kind[to])
						case to == id:
							fail("%s.%s: %s names itself", table, id, key)
						}
						edges = append(edges, edge{id, key, to, group})
					}, func(msg string) { fail("%s.%s: %s: %s", table, id, key, msg) })
					continue
				}
				switch key {
				case "availability", "slo":
					f, ok := v.(float64)
					if !ok || f <= 0 || f > 1 || key == "slo" && f == 1 {
						fail("%s.%s: availability %v", table, id, v)
					}
				case "tier":
					if s, _ := v.(string); !tiers[s] {
						fail("%s.%s: tier %v", table, id, v)
					}
				case "customer_facing", "published":
					if _, ok := v.(bool); !ok {
						fail("%s.%s: %s %v", table, id, key, v)
					}
				case "tags":
					if _, ok := v.([]any); !ok {
						fail("%s.%s: tags %v", table, id, v)
					}
				case "number":
					s, _ := v.(string)
					norm := strings.ReplaceAll(s, " ", "")
					if !e164RE.MatchString(norm) {
						fail("%s.%s: bad number %q", table, id, s)
					}
					if other, dup := numbers[norm]; dup {
						fail("%s.%s: number %s already used by %s", table, id, s, other)
					}
					numbers[norm] = id
				default:
					if s, ok := v.(string); !ok || s == "" {
						fail("%s.%s: %s = %v", table, id, key, v)
					}
				}
			}
			if table == "numbers" && e["number"] == nil {
				fail("%s.%s: no number", table, id)
			}
		}
	}
	return edges, fail
}

// checkReq walks a requirement: a string, an array, or a group table.
func checkReq(v any, inGroup bool, ref func(id string, group bool), bad func(string)) {
	switch v := v.(type) {
	case string:
		ref(v, inGroup)
	case []any:
		if len(v) == 0 {
			bad("empty array")
		}
		for _, m := range v {
			checkReq(m, inGroup, ref, bad)
		}
	case map[string]any:
		var members []any
		var hasAtLeast bool
		var atLeast int64
		for k, x := range v {
			switch k {
			case "any_of", "all_of", "of":
				if members != nil {
					bad("two member lists")
				}
				members, _ = x.([]any)
			case "at_least":
				atLeast, _ = x.(int64)
				hasAtLeast = true
			default:
				bad("unknown group key " + k)
			}
		}
		if _, ok := v["of"]; ok != hasAtLeast {
			bad("of without at_least or the reverse")
		}
		if len(members) == 0 {
			bad("group with no members")
		}
		if hasAtLeast && (atLeast < 1 || atLeast > int64(len(members))) {
			bad(fmt.Sprintf("at_least = %d of %d", atLeast, len(members)))
		}
		seen := map[string]bool{}
		for _, m := range members {
			if s, ok := m.(string); ok {
				if seen[s] {
					bad("member " + s + " twice")
				}
				seen[s] = true
			}
			checkReq(m, inGroup || len(members) > 1, ref, bad)
		}
	default:
		bad(fmt.Sprintf("bad requirement %v", v))
	}
}

// checkCycles finds the strongly connected components of the reference graph: there must be
// exactly want non-trivial ones, of 2–4 services, each with an edge inside a group.
func checkCycles(t *testing.T, edges []edge, want int, fail func(string, ...any)) {
	t.Helper()
	adj := map[string][]edge{}
	nodes := map[string]bool{}
	for _, e := range edges {
		adj[e.from] = append(adj[e.from], e)
		nodes[e.from], nodes[e.to] = true, true
	}
	order := make([]string, 0, len(nodes))
	for n := range nodes {
		order = append(order, n)
	}
	sort.Strings(order)
	// Tarjan, iterative.
	index := map[string]int{}
	low := map[string]int{}
	onStack := map[string]bool{}
	var stack []string
	var sccs [][]string
	type frame struct {
		v string
		i int
	}
	for _, root := range order {
		if _, seen := index[root]; seen {
			continue
		}
		call := []frame{{root, 0}}
		index[root], low[root] = len(index), len(index)
		stack = append(stack, root)
		onStack[root] = true
		for len(call) > 0 {
			f := &call[len(call)-1]
			if f.i < len(adj[f.v]) {
				w := adj[f.v][f.i].to
				f.i++
				if _, seen := index[w]; !seen {
					index[w], low[w] = len(index), len(index)
					stack = append(stack, w)
					onStack[w] = true
					call = append(call, frame{w, 0})
				} else if onStack[w] {
					low[f.v] = min(low[f.v], index[w])
				}
				continue
			}
			v := f.v
			call = call[:len(call)-1]
			if len(call) > 0 {
				p := call[len(call)-1].v
				low[p] = min(low[p], low[v])
			}
			if low[v] == index[v] {
				var scc []string
				for {
					w := stack[len(stack)-1]
					stack = stack[:len(stack)-1]
					onStack[w] = false
					scc = append(scc, w)
					if w == v {
						break
					}
				}
				if len(scc) > 1 {
					sccs = append(sccs, scc)
				}
			}
		}
	}
	if len(sccs) != want {
		fail("%d cycles, want %d", len(sccs), want)
	}
	for _, scc := range sccs {
		if len(scc) < 2 || len(scc) > 4 {
			fail("cycle of %d: %v", len(scc), scc)
		}
		in := map[string]bool{}
		for _, v := range scc {
			in[v] = true
			if !strings.HasPrefix(v, "svc-") {
				fail("cycle through %s", v)
			}
		}
		group := false
		for _, v := range scc {
			for _, e := range adj[v] {
				group = group || (in[e.to] && e.group)
			}
		}
		if !group {
			fail("cycle %v has no edge through a group", scc)
		}
	}
}

// checkRealism checks that the inventory has the features the analysis must meet: false
// redundancy (an any_of of two VMs on one cluster), real pairs on two sites, quorums,
// carrier pairs, SaaS dependencies, services without owner.
func checkRealism(t *testing.T, inv inventory, edges []edge, fail func(string, ...any)) {
	t.Helper()
	var sameHost, quorums, carrierPairs, saas, noOwner int
	for _, e := range inv["services"] {
		if g, ok := e["runs_on"].(map[string]any); ok {
			if m, ok := g["any_of"].([]any); ok && len(m) == 2 {
				a, b := inv["vms"][m[0].(string)], inv["vms"][m[1].(string)]
				if a["host"] != nil && a["host"] == b["host"] {
					sameHost++
				}
			}
			if _, ok := g["at_least"]; ok {
				quorums++
			}
		}
		if e["owner"] == nil {
			noOwner++
		}
	}
	for _, e := range inv["numbers"] {
		if _, ok := e["carrier"].(map[string]any); ok {
			carrierPairs++
		}
	}
	for _, e := range edges {
		if e.key == "depends_on" && strings.HasPrefix(e.to, "prov-saas-") {
			saas++
		}
	}
	if len(inv["services"]) < 300 { // too few to be sure to hold every feature
		return
	}
	if sameHost == 0 || quorums == 0 || saas == 0 || noOwner == 0 {
		fail("missing features: %d same-cluster pairs, %d quorums, %d SaaS dependencies, %d services without owner",
			sameHost, quorums, saas, noOwner)
	}
	if carrierPairs == 0 {
		fail("no number on two carriers")
	}
}

// TestDense checks the dense shape: the format, no cycle, the shares of each kind, every kind of
// runs_on, and closures that grow with the inventory.
func TestDense(t *testing.T) {
	var avg []float64
	for _, n := range []int{MinEntities, 2000, 10000} {
		o := Options{Entities: n, Seed: 5, Shape: Dense}
		data, st := generate(t, o)
		if again, _ := generate(t, o); !bytes.Equal(data, again) {
			t.Fatal("same seed, different bytes")
		}
		inv := decode(t, "dense.toml", data)
		edges, fail := checkFormat(t, inv)
		checkCycles(t, edges, 0, fail)
		total := 0
		for table, ents := range inv {
			total += len(ents)
			if st.ByKind[table] != len(ents) {
				t.Errorf("n=%d: Stats.ByKind[%s] = %d, decoded %d", n, table, st.ByKind[table], len(ents))
			}
		}
		if total != n || st.Entities != n || st.Cycles != 0 {
			t.Errorf("asked %d entities, got %d (stats %d, %d cycles)", n, total, st.Entities, st.Cycles)
		}
		if got := float64(len(inv["services"])) / float64(n); got < 0.42 || got > 0.44 {
			t.Errorf("n=%d: services share %.3f, want 0.43", n, got)
		}
		kinds := map[string]int{}
		for _, e := range inv["services"] {
			switch v := e["runs_on"].(type) {
			case string:
				kinds["one"]++
			case map[string]any:
				if _, ok := v["at_least"]; ok {
					kinds["quorum"]++
				} else {
					kinds["pair"]++
				}
			}
			if e["slo"] != nil {
				kinds["slo"]++
			}
		}
		if n >= 2000 && (kinds["one"] == 0 || kinds["pair"] == 0 || kinds["quorum"] == 0 || kinds["slo"] == 0) {
			t.Errorf("n=%d: services by runs_on and slo: %v", n, kinds)
		}
		adj := map[string][]string{}
		for _, e := range edges {
			adj[e.from] = append(adj[e.from], e.to)
		}
		sum := 0
		for _, id := range sortedKeys(inv["services"]) {
			seen := map[string]bool{id: true}
			for stack := []string{id}; len(stack) > 0; {
				v := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				for _, w := range adj[v] {
					if !seen[w] {
						seen[w] = true
						stack = append(stack, w)
					}
				}
			}
			sum += len(seen)
		}
		avg = append(avg, float64(sum)/float64(len(inv["services"])))
	}
	if !(avg[0] < avg[1] && 1.5*avg[1] < avg[2]) {
		t.Errorf("average closures %v at 100, 2,000 and 10,000 entities: want growth", avg)
	}
}

// TestBoundedClosure checks that what a service transitively needs does not grow with the
// inventory, so that analysis can stay near linear.
func TestBoundedClosure(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	for _, n := range []int{20000, 100000} {
		data, _ := generate(t, Options{Entities: n, Seed: 1})
		inv := decode(t, "gen.toml", data)
		adj := map[string][]string{}
		for _, ents := range inv {
			for id, e := range ents {
				for key := range targets {
					if v, ok := e[key]; ok {
						checkReq(v, false, func(to string, _ bool) { adj[id] = append(adj[id], to) }, func(string) {})
					}
				}
			}
		}
		maxc, sum := 0, 0
		seen := map[string]int{}
		for i, id := range sortedKeys(inv["services"]) {
			stack := []string{id}
			c := 0
			for len(stack) > 0 {
				v := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				for _, w := range adj[v] {
					if seen[w] != i+1 {
						seen[w] = i + 1
						c++
						stack = append(stack, w)
					}
				}
			}
			maxc = max(maxc, c)
			sum += c
		}
		t.Logf("n=%d: services need transitively %d entities on average, %d at most", n, sum/len(inv["services"]), maxc)
		if maxc > 2500 {
			t.Errorf("n=%d: a service needs %d entities", n, maxc)
		}
	}
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func BenchmarkGenerate100k(b *testing.B) {
	o := Options{Entities: 100_000, Seed: 1}
	var size int64
	for b.Loop() {
		st, err := Generate(io.Discard, o)
		if err != nil {
			b.Fatal(err)
		}
		size = st.Bytes
	}
	b.SetBytes(size)
}

func BenchmarkWrite100k(b *testing.B) {
	o := Options{Entities: 100_000, Seed: 1}
	var size int64
	for b.Loop() {
		dir := filepath.Join(b.TempDir(), "inv")
		st, err := Write(dir, o)
		if err != nil {
			b.Fatal(err)
		}
		size = st.Bytes
	}
	b.SetBytes(size)
}
