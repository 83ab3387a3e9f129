package review

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/spofhq/spof/internal/analysis"
	"github.com/spofhq/spof/internal/avail"
	"github.com/spofhq/spof/internal/brute"
	"github.com/spofhq/spof/internal/inventory"
	"github.com/spofhq/spof/internal/model"
	"github.com/spofhq/spof/internal/out/analyze"
	"github.com/spofhq/spof/internal/sorted"
	"github.com/spofhq/spof/internal/testinv"
	"github.com/spofhq/spof/internal/tomldoc"
)

// applyTOML applies a fix to the inventory's files as a reader would: the new tables in a new file,
// each changed key rewritten in the file that declares its entity. It returns the files.
func applyTOML(t *testing.T, srcs []inventory.Source, inv *model.Inventory, ed *Edit) []inventory.Source {
	t.Helper()
	out := slices.Clone(srcs)
	var add strings.Builder
	for _, n := range ed.New {
		add.WriteString(newTable(n) + "\n")
	}
	for _, c := range ed.changes(inv) {
		e := &inv.Entities[c.Owner]
		i := slices.IndexFunc(out, func(s inventory.Source) bool { return s.Name == e.Pos.File })
		if i < 0 {
			t.Fatalf("no file %s for %s", e.Pos.File, e.ID)
		}
		doc, _, diags := tomldoc.ParseTree(out[i])
		if diags.HasErrors() {
			t.Fatal(diags)
		}
		var tab *tomldoc.Table
		for _, tb := range doc.Tables {
			if slices.Equal(tb.Path, []string{e.Kind.Table(), e.ID}) {
				tab = tb
			}
		}
		if tab == nil {
			t.Fatalf("no table for %s in %s", e.ID, e.Pos.File)
		}
		tab.Set(c.Key, c.Value)
		out[i] = inventory.Source{Name: out[i].Name, Data: doc.Bytes()}
	}
	dir := "."
	if len(srcs) > 0 {
		if j := strings.LastIndex(srcs[0].Name, "/"); j >= 0 {
			dir = srcs[0].Name[:j]
		}
	}
	return append(out, inventory.Source{Name: dir + "/zz-recommended.toml", Data: []byte(add.String())})
}

func sources(t *testing.T, path string) []inventory.Source {
	t.Helper()
	srcs, diags := inventory.Read(path)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	return srcs
}

// Every recommended change, written into the inventory's TOML files and loaded again, removes exactly
// the SPOFs it claims from the services it names, and the others keep theirs.
func TestRecommendationsHoldWhenApplied(t *testing.T) {
	type tc struct {
		name string
		srcs []inventory.Source
	}
	var cases []tc
	for _, name := range examples {
		cases = append(cases, tc{name, sources(t, "../../../inventories/"+name)})
	}
	for seed := range uint64(3) {
		cases = append(cases, tc{fmt.Sprintf("gen-%d", seed), []inventory.Source{{Name: "gen/inv.toml", Data: genText(t, 300, seed)}}})
	}
	checked := 0
	for _, c := range cases {
		inv, diags := inventory.Parse(c.srcs, testinv.Options())
		if diags.HasErrors() {
			t.Fatalf("%s: %v", c.name, diags)
		}
		res := analysis.Analyze(inv, analysis.Options{MaxOrder: 1})
		fixes, second := recommendAll(res, fixesShown)
		for _, f := range append(fixes, second...) {
			fixed, diags := inventory.Parse(applyTOML(t, c.srcs, inv, &f.Edit), testinv.Options())
			if diags.HasErrors() {
				t.Fatalf("%s: the fix %q does not load: %v\n%s", c.name, f.Snippet, diags, f.Snippet)
			}
			after := analysis.Analyze(fixed, analysis.Options{MaxOrder: 1})
			changed := map[int32]Change{}
			for _, ch := range f.Changes {
				changed[ch.Service] = ch
			}
			for _, s := range inv.OfKind(model.Service) {
				fs, _ := fixed.Lookup(inv.ID(s))
				got := fixed.IDsOf(after.SPOFs(fs))
				want := inv.IDsOf(res.SPOFs(s))
				if ch, ok := changed[s]; ok {
					removed := inv.IDsOf(ch.Removed)
					want = slices.DeleteFunc(want, func(id string) bool { return slices.Contains(removed, id) })
				}
				// New entities may be SPOFs of a service they alone serve (a backup number's answering point
				// is not one of the service it backs up); compare the SPOFs that were there before.
				got = slices.DeleteFunc(got, func(id string) bool { _, old := inv.Lookup(id); return !old })
				if !slices.Equal(got, want) {
					t.Errorf("%s: after %q, %s has SPOFs %v, the fix claims %v", c.name, f.Snippet, inv.ID(s), got, want)
				}
			}
			checked++
		}
	}
	if checked < 20 {
		t.Errorf("only %d fixes checked", checked)
	}
}

// On the incident's inventory, the top recommendation for the support line is the fix the operator
// made: a backup number on another carrier, answered outside the hosting provider, which removes every
// SPOF of the support line.
func TestTopFixOnTheIncident(t *testing.T) {
	inv := example(t, "telephony-before")
	res := analysis.Analyze(inv, analysis.Options{MaxOrder: 1})
	fixes, _ := recommendAll(res, fixesShown)
	support, _ := inv.Lookup("support-line")
	var top *Fix
	for i := range fixes {
		if slices.ContainsFunc(fixes[i].Changes, func(c Change) bool { return c.Service == support }) {
			top = &fixes[i]
			break
		}
	}
	if top == nil {
		t.Fatal("no fix for support-line")
	}
	if top.Kind != BackupNumber || inv.ID(top.Target) != "num-support" {
		t.Errorf("top fix for support-line: kind %d on %s, want a backup number for num-support", top.Kind, inv.ID(top.Target))
	}
	c := top.Changes[slices.IndexFunc(top.Changes, func(c Change) bool { return c.Service == support })]
	if c.After != 0 || c.Before != len(res.SPOFs(support)) {
		t.Errorf("support-line %d → %d SPOFs, want %d → 0", c.Before, c.After, len(res.SPOFs(support)))
	}
	if len(top.Gains) == 0 || top.Gains[0].After <= top.Gains[0].Before {
		t.Errorf("no availability gained: %v", top.Gains)
	}
	for _, want := range []string{`[numbers.num-support-backup]`, `carrier = "carrier-b"`, `published = true`,
		`depends_on = { any_of = ["num-support", "num-support-backup"] }`} {
		if !strings.Contains(top.Snippet, want) {
			t.Errorf("snippet lacks %q:\n%s", want, top.Snippet)
		}
	}
	md := markdownOf(t, Build(inv, Options{}))
	for _, s := range []string{
		"depend on a single hosting provider: `hostco`",
		"1. Publish a backup number next to `num-support` on a second carrier",
		"removes 17 SPOFs from 1 critical service ([`support-line`](#support-line)), which then has none",
		"Add a second carrier next to `carrier-a`",
		"```toml\n",
	} {
		if !strings.Contains(md, s) {
			t.Errorf("report lacks %q", s)
		}
	}
}

// The structural candidates that reuse what the inventory has: a backup number on an existing carrier
// the service does not use, answered by an existing service akin to the current destination; and an
// existing alternative to a SPOF the service uses directly (a peer of a redundancy group elsewhere).
// Written into the TOML and loaded again, each removes what it claims.
func TestStructuralFixesReuseEntities(t *testing.T) {
	const src = `
[providers.carrier-a]
type = "carrier"
[providers.carrier-z]
type = "carrier"
[providers.hostco]
type = "hosting"
[providers.cloudy]
type = "hosting"

[services.desk]
tier = "high"
tags = ["voice"]
depends_on = "hostco"
[services.oncall]
tier = "high"
tags = ["voice"]
depends_on = "cloudy"

[numbers.num-help]
published = true
carrier = "carrier-a"
routes_to = "desk"

[services.helpline]
tier = "critical"
depends_on = "num-help"

[services.db-a]
depends_on = "hostco"
[services.db-b]
depends_on = "cloudy"
[services.reports]
tier = "low"
depends_on = { any_of = ["db-a", "db-b"] }
[services.billing]
tier = "critical"
depends_on = "db-a"
`
	srcs := []inventory.Source{{Name: "inv/inv.toml", Data: []byte(src)}}
	inv := testinv.ParseSources(t, srcs)
	res := analysis.Analyze(inv, analysis.Options{MaxOrder: 1})
	fixes, _ := recommendAll(res, 10)
	var backup, alt *Fix
	for i := range fixes {
		switch f := &fixes[i]; {
		case f.Kind == BackupNumber && inv.ID(f.Target) == "num-help":
			backup = f
		case f.Kind == Alternative && inv.ID(f.Service) == "billing":
			alt = f
		}
	}
	if backup == nil || alt == nil {
		t.Fatalf("fixes %v: want a backup number for num-help and an alternative for billing", fixes)
	}
	for _, want := range []string{`carrier = "carrier-z"`, `routes_to = "oncall"`, `depends_on = { any_of = ["num-help", "num-help-backup"] }`} {
		if !strings.Contains(backup.Snippet, want) {
			t.Errorf("backup snippet lacks %q:\n%s", want, backup.Snippet)
		}
	}
	if len(backup.Edit.New) != 1 {
		t.Errorf("the backup number should be the only new entity:\n%s", backup.Snippet)
	}
	if want := `depends_on = { any_of = ["db-a", "db-b"] }`; !strings.Contains(alt.Snippet, want) || len(alt.Edit.New) != 0 {
		t.Errorf("alternative snippet lacks %q or adds entities:\n%s", want, alt.Snippet)
	}
	for _, f := range []*Fix{backup, alt} {
		fixed, diags := inventory.Parse(applyTOML(t, srcs, inv, &f.Edit), testinv.Options())
		if diags.HasErrors() {
			t.Fatalf("%v\n%s", diags, f.Snippet)
		}
		after := analysis.Analyze(fixed, analysis.Options{MaxOrder: 1})
		s, _ := fixed.Lookup(inv.ID(f.Changes[0].Service))
		if got := len(after.SPOFs(s)); got != f.Changes[0].After {
			t.Errorf("after %q, %s has %d SPOFs, want %d", f.Snippet, inv.ID(f.Changes[0].Service), got, f.Changes[0].After)
		}
	}
}

// recommendAll is recommend as Build calls it, with no provider ranking.
func recommendAll(res *analysis.Result, top int) (fixes, second []Fix) {
	_, weight, down := analyze.ImpactRanking(res, analyze.ServiceTiers(res.Inv))
	return recommend(res, nil, rankServices(res), weight, down, top, silent{})
}

// TestTwinMeasuredBySimulation checks the measure of a twin (simulations with every use of the entity
// holding) against a new analysis of the inventory with the twin added, on random inventories with
// cycles, quorums and nested groups, for every entity that something depends on.
func TestTwinMeasuredBySimulation(t *testing.T) {
	runs := 300
	if testing.Short() {
		runs = 60
	}
	checked := 0
	for seed := range uint64(runs) {
		rng := rand.New(rand.NewPCG(seed, 15))
		inv := brute.Random(rng, 4+rng.IntN(14), brute.RandomOptions{Chains: seed%3 == 0})
		res := analysis.Analyze(inv, analysis.Options{MaxOrder: 1})
		own, _ := avail.Own(inv)
		all := make([]bool, inv.Len())
		for i := range all {
			all[i] = true
		}
		for x := range int32(inv.Len()) {
			if deps, _ := res.Dependents(x); len(deps) == 0 {
				continue
			}
			f := doubleFix(res, x, own)
			measure(res, &f)
			got := map[int32][]int32{}
			for _, ch := range f.Changes {
				got[ch.Service] = ch.Removed
			}
			sub := f.Edit.apply(inv, all)
			after := analysis.Analyze(sub, analysis.Options{MaxOrder: 1})
			back := backIndexes(inv, sub, all)
			for _, s := range inv.OfKind(model.Service) {
				ss, _ := sub.Lookup(inv.ID(s))
				var kept []int32
				for _, y := range after.SPOFs(ss) {
					if b := back[y]; b >= 0 {
						kept = append(kept, b)
					}
				}
				slices.Sort(kept)
				want := sorted.Minus(res.SPOFs(s), kept)
				if !slices.Equal(got[s], want) && len(got[s])+len(want) > 0 {
					t.Fatalf("seed %d, twin of %s: %s loses %v by simulation, %v by a new analysis",
						seed, inv.ID(x), inv.ID(s), inv.IDsOf(got[s]), inv.IDsOf(want))
				}
				checked++
			}
		}
	}
	if checked < 1000 {
		t.Errorf("only %d services checked", checked)
	}
}
