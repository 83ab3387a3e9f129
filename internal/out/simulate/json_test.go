package simulate

import (
	"bytes"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/spofhq/spof/internal/analysis"
	"github.com/spofhq/spof/internal/brute"
	"github.com/spofhq/spof/internal/out"
	"github.com/spofhq/spof/internal/out/analyze"
	"github.com/spofhq/spof/internal/testinv"
)

// TestStreamedJSON checks that the simulation's JSON, written one casualty at a time, is byte for
// byte what encoding/json writes of the whole document with every chain spelled out, on random
// inventories with monitoring and status services, and that of an incident's replay too.
func TestStreamedJSON(t *testing.T) {
	for seed := range 300 {
		rng := rand.New(rand.NewPCG(uint64(seed), 14))
		n := 2 + rng.IntN(12)
		inv := brute.Random(rng, n, brute.RandomOptions{Chains: rng.IntN(2) == 0})
		if rng.IntN(2) == 0 {
			brute.AddDetection(rng, inv)
		}
		res := analysis.Analyze(inv, analysis.Options{MaxOrder: 1})
		failed := []int32{int32(rng.IntN(n))}
		if rng.IntN(3) == 0 {
			failed = append(failed, int32(rng.IntN(n)))
		}
		sim := NewSimulation(res, failed)
		var got bytes.Buffer
		if err := WriteSimulationJSON(&got, sim, inv); err != nil {
			t.Fatal(err)
		}
		if want := wholeJSON(t, sim); got.String() != want {
			t.Fatalf("seed %d: streamed\n%s\nwant\n%s", seed, got.String(), want)
		}
		isim := &IncidentSimulation{Incident: Record{ID: "i", Failed: sim.Failed, Impacted: []string{}},
			Impacted:   []Replayed{{ID: "x", Tier: "high", Verdict: "held", Chain: []string{}, Holds: []GroupHit{}}},
			Unobserved: []string{}, Simulation: sim}
		got.Reset()
		if err := WriteIncidentJSON(&got, isim, inv); err != nil {
			t.Fatal(err)
		}
		spelled := *isim
		spelled.Simulation = spelledOut(sim)
		var want bytes.Buffer
		if err := out.WriteJSON(&want, &spelled); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Fatalf("seed %d: streamed incident\n%s\nwant\n%s", seed, got.String(), want.String())
		}
	}
}

// TestStreamedImpactJSON checks that impact's JSON, written one dependent at a time, is what
// encoding/json writes of the document with every path spelled out as before: Result.Path for what
// goes down, the dependency path towards the entity for what stays up.
func TestStreamedImpactJSON(t *testing.T) {
	for seed := range 300 {
		rng := rand.New(rand.NewPCG(uint64(seed), 15))
		n := 2 + rng.IntN(12)
		inv := brute.Random(rng, n, brute.RandomOptions{Chains: rng.IntN(2) == 0})
		res := analysis.Analyze(inv, analysis.Options{MaxOrder: 1})
		x := int32(rng.IntN(n))
		im := NewEntityImpact(res, x)
		var got bytes.Buffer
		if err := WriteEntityImpactJSON(&got, im, inv); err != nil {
			t.Fatal(err)
		}
		whole := *im
		_, toward := res.Dependents(x)
		whole.Down, whole.StaysUp = slices.Clone(im.Down), slices.Clone(im.StaysUp)
		for i, d := range whole.Down {
			whole.Down[i].Path = inv.IDsOf(res.Path(d.Entity, x))
		}
		for i, d := range whole.StaysUp {
			path := []int32{d.Entity}
			for at := toward[d.Entity]; ; at = toward[at] {
				path = append(path, at)
				if at == x {
					break
				}
			}
			whole.StaysUp[i].Path = inv.IDsOf(path)
		}
		var want bytes.Buffer
		if err := out.WriteJSON(&want, &whole); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Fatalf("seed %d: streamed\n%s\nwant\n%s", seed, got.String(), want.String())
		}
	}
}

// spelledOut returns a copy of sim with every chain in its document.
func spelledOut(sim *Simulation) *Simulation {
	whole := *sim
	whole.Down = make([]Casualty, len(sim.Down))
	for i := range sim.Down {
		whole.Down[i] = sim.written(i)
	}
	if d := sim.Detection; d != nil {
		dd := *d
		dd.Unseen = make([]Unseen, len(d.Unseen))
		for i, u := range d.Unseen {
			u.Watchers = append([]Watcher{}, u.Watchers...)
			for j, w := range u.Watchers {
				if w.Down {
					u.Watchers[j].Chain = sim.inv.IDsOf(sim.outage.Chain(w.Entity))
				}
			}
			dd.Unseen[i] = u
		}
		whole.Detection = &dd
	}
	return &whole
}

func wholeJSON(t *testing.T, sim *Simulation) string {
	t.Helper()
	var b bytes.Buffer
	if err := out.WriteJSON(&b, spelledOut(sim)); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// chainText is a chain of n services, s00 depending on s01 and so on.
func chainText(n int) string {
	var b strings.Builder
	for i := range n {
		b.WriteString("[services.s" + two(i) + "]\n")
		if i+1 < n {
			b.WriteString("depends_on = \"s" + two(i+1) + "\"\n")
		}
	}
	return b.String()
}

func two(i int) string { return string([]byte{byte('0' + i/10), byte('0' + i%10)}) }

// TestChainsInText checks how the text shows chains under each --paths: long ones abbreviated by
// default as analyze abbreviates SPOF paths, whole with full, the first step with next.
func TestChainsInText(t *testing.T) {
	inv := testinv.Parse(t, chainText(12))
	res := analysis.Analyze(inv, analysis.Options{MaxOrder: 1})
	x, _ := inv.Lookup("s11")
	lines := func(p analyze.Paths) []string {
		sim := NewSimulation(res, []int32{x})
		sim.Paths = p
		var b bytes.Buffer
		if err := WriteSimulationText(&b, sim, inv); err != nil {
			t.Fatal(err)
		}
		var picked []string
		for _, l := range strings.Split(b.String(), "\n") {
			if f := strings.Fields(l); strings.HasPrefix(l, "    s") && (f[0] == "s00" || f[0] == "s03" || f[0] == "s04") {
				picked = append(picked, l)
			}
		}
		return picked
	}
	testinv.EqualLines(t, "default", lines(analyze.PathsDefault), []string{
		"    s00 ← s01 ← s02 ← s03 ← s04 ← s05 ← … 5 more … ← s11",
		"    s03 ← s04 ← s05 ← s06 ← s07 ← s08 ← … 2 more … ← s11",
		"    s04 ← s05 ← s06 ← s07 ← s08 ← s09 ← s10 ← s11",
	})
	testinv.EqualLines(t, "full", lines(analyze.PathsFull), []string{
		"    s00 ← s01 ← s02 ← s03 ← s04 ← s05 ← s06 ← s07 ← s08 ← s09 ← s10 ← s11",
		"    s03 ← s04 ← s05 ← s06 ← s07 ← s08 ← s09 ← s10 ← s11",
		"    s04 ← s05 ← s06 ← s07 ← s08 ← s09 ← s10 ← s11",
	})
	testinv.EqualLines(t, "next", lines(analyze.PathsNext), []string{
		"    s00 ← s01 ← … 9 more … ← s11",
		"    s03 ← s04 ← … 6 more … ← s11",
		"    s04 ← s05 ← … 5 more … ← s11",
	})
	testinv.EqualLines(t, "none", lines(analyze.PathsNone), []string{"    s00", "    s03", "    s04"})
}

// TestJoinChain checks the chains of an incident's replay in text, under each --paths.
func TestJoinChain(t *testing.T) {
	long := strings.Fields("a b c d e f g h i j")
	cases := []struct {
		chain []string
		paths analyze.Paths
		want  string
	}{
		{long, analyze.PathsDefault, "a ← b ← c ← d ← e ← f ← … 3 more … ← j"},
		{long[:8], analyze.PathsShort, "a ← b ← c ← d ← e ← f ← g ← h"},
		{long, analyze.PathsFull, strings.Join(long, " ← ")},
		{long, analyze.PathsNext, "a ← b ← … 7 more … ← j"},
		{long[:3], analyze.PathsNext, "a ← b ← c"},
		{long, analyze.PathsNone, "a"},
		{long[:1], analyze.PathsDefault, "a"},
	}
	for _, c := range cases {
		if got := joinChain(c.chain, c.paths); got != c.want {
			t.Errorf("joinChain(%v, %d) = %q, want %q", c.chain, c.paths, got, c.want)
		}
	}
}
