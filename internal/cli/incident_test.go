package cli

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/spofhq/spof/internal/brute"
	"github.com/spofhq/spof/internal/model"
)

// TestReplayIsSimulate replays random incidents recorded in random inventories, written as TOML and
// read back by the command line, and checks that `spof simulate --incident` is the same computation
// as `spof simulate --fail` with the incident's failed entities (the simulation part of the two
// documents is identical), that its down set is the brute-force least fixed point of internal/brute,
// and that each impacted service's verdict follows from that down set.
func TestReplayIsSimulate(t *testing.T) {
	runs := 400
	if testing.Short() {
		runs = 60
	}
	env := func(k string) string {
		if k == "SOURCE_DATE_EPOCH" {
			return "1795597200"
		}
		return ""
	}
	run := func(args ...string) map[string]json.RawMessage {
		t.Helper()
		var stdout, stderr strings.Builder
		if code := Main(args, IOStreams{Out: &stdout, Err: &stderr, Getenv: env}); code != ExitOK {
			t.Fatalf("spof %s: exit %d: %s", strings.Join(args, " "), code, stderr.String())
		}
		var doc map[string]json.RawMessage
		if err := json.Unmarshal([]byte(stdout.String()), &doc); err != nil {
			t.Fatalf("spof %s: %v", strings.Join(args, " "), err)
		}
		return doc
	}
	dir := t.TempDir()
	seen := map[string]int{} // verdicts met, so that the test cannot pass vacuously
	for seed := range runs {
		rng := rand.New(rand.NewPCG(uint64(seed), 23))
		inv := brute.Random(rng, 2+rng.IntN(11), brute.RandomOptions{})
		var failed, impacted []int32
		for range 1 + rng.IntN(3) {
			failed = append(failed, int32(rng.IntN(inv.Len())))
		}
		for _, s := range inv.OfKind(model.Service) {
			if rng.IntN(2) == 0 {
				impacted = append(impacted, s)
			}
		}
		path := filepath.Join(dir, fmt.Sprintf("inv-%d.toml", seed))
		if err := os.WriteFile(path, []byte(inventoryTOML(inv)+incidentTOML(inv, failed, impacted)), 0o644); err != nil {
			t.Fatal(err)
		}
		replay := run("simulate", path, "--incident", "i", "--format", "json")
		sim := run("simulate", path, "--fail", strings.Join(inv.IDsOf(failed), ","), "--format", "json")
		for k, v := range sim {
			if string(replay[k]) != string(v) {
				t.Fatalf("seed %d: %q of the replay differs from simulate --fail:\n%s\n%s", seed, k, replay[k], v)
			}
		}
		impactedDoc := replay["impacted"]
		for _, k := range []string{"incident", "impacted", "unobserved"} {
			delete(replay, k)
		}
		if len(replay) != len(sim) {
			t.Fatalf("seed %d: the replay has fields simulate --fail does not", seed)
		}

		// The down set against the brute force.
		marks := make([]bool, inv.Len())
		for _, f := range failed {
			marks[f] = true
		}
		down := brute.Down(inv, marks, brute.Met)
		var doc struct {
			Failed []string `json:"failed"`
			Down   []struct {
				ID string `json:"id"`
			} `json:"down"`
		}
		if err := json.Unmarshal(mustJSON(t, sim), &doc); err != nil {
			t.Fatal(err)
		}
		got := slices.Clone(doc.Failed)
		for _, c := range doc.Down {
			got = append(got, c.ID)
		}
		slices.Sort(got)
		var want []string
		for e, d := range down {
			if d {
				want = append(want, inv.ID(int32(e)))
			}
		}
		if !slices.Equal(got, want) {
			t.Fatalf("seed %d: replay puts down %v, brute force %v", seed, got, want)
		}

		// Each impacted service's verdict.
		var verdicts []struct {
			ID      string `json:"id"`
			Verdict string `json:"verdict"`
		}
		if err := json.Unmarshal(impactedDoc, &verdicts); err != nil {
			t.Fatal(err)
		}
		if len(verdicts) != len(impacted) {
			t.Fatalf("seed %d: %d impacted services in the replay, want %d", seed, len(verdicts), len(impacted))
		}
		for i, s := range impacted {
			want := "unexplained"
			switch {
			case down[s]:
				want = "down-again"
			case dependsOnAny(inv, s, failed):
				want = "held"
			}
			if verdicts[i].ID != inv.ID(s) || verdicts[i].Verdict != want {
				t.Fatalf("seed %d: %+v, want %s %s", seed, verdicts[i], inv.ID(s), want)
			}
			seen[want]++
		}
	}
	for _, v := range []string{"down-again", "held", "unexplained"} {
		if seen[v] < 5 {
			t.Errorf("verdict %s met %d times: the random incidents do not exercise it", v, seen[v])
		}
	}
}

func mustJSON(t *testing.T, v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// dependsOnAny reports whether s depends, directly or not, on one of xs, read from the requirement
// trees.
func dependsOnAny(inv *model.Inventory, s int32, xs []int32) bool {
	seen := map[int32]bool{}
	var visit func(e int32) bool
	visit = func(e int32) bool {
		if seen[e] {
			return false
		}
		seen[e] = true
		for _, ref := range inv.Entities[e].Refs {
			for _, d := range ref.Req.AppendEntities(nil) {
				if slices.Contains(xs, d) || visit(d) {
					return true
				}
			}
		}
		return false
	}
	return visit(s)
}

// inventoryTOML writes inv as an inventory file. Every requirement becomes one element of a depends_on
// array, which any kind may hold and may name any kind: an entity needs each of its reference keys, so
// the meaning is the same.
func inventoryTOML(inv *model.Inventory) string {
	var b strings.Builder
	for i := range inv.Entities {
		e := &inv.Entities[i]
		fmt.Fprintf(&b, "[%s.%s]\n", e.Kind.Table(), e.ID)
		if len(e.Refs) > 0 {
			parts := make([]string, len(e.Refs))
			for j, ref := range e.Refs {
				parts[j] = reqTOML(inv, ref.Req)
			}
			fmt.Fprintf(&b, "depends_on = [%s]\n", strings.Join(parts, ", "))
		}
	}
	return b.String()
}

func reqTOML(inv *model.Inventory, r *model.Req) string {
	if r.Op == model.Need {
		return fmt.Sprintf("%q", inv.ID(r.Entity))
	}
	members := make([]string, len(r.Members))
	for i, m := range r.Members {
		members[i] = reqTOML(inv, m)
	}
	list := "[" + strings.Join(members, ", ") + "]"
	switch r.Op {
	case model.AnyOf:
		return "{ any_of = " + list + " }"
	case model.AtLeast:
		return fmt.Sprintf("{ at_least = %d, of = %s }", r.K, list)
	}
	return "{ all_of = " + list + " }"
}

// incidentTOML records incident "i": failed may repeat an entity, which the record must not.
func incidentTOML(inv *model.Inventory, failed, impacted []int32) string {
	ids := inv.IDsOf(failed)
	slices.Sort(ids)
	ids = slices.Compact(ids)
	quote := func(ids []string) string {
		q := make([]string, len(ids))
		for i, id := range ids {
			q[i] = fmt.Sprintf("%q", id)
		}
		return "[" + strings.Join(q, ", ") + "]"
	}
	return fmt.Sprintf("[incidents.i]\ntitle = \"random\"\nstarted = 2026-06-18T07:40:00+02:00\nended = 2026-06-18T11:05:00+02:00\nfailed = %s\nimpacted = %s\n",
		quote(ids), quote(inv.IDsOf(impacted)))
}
