package view

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/spofhq/spof/internal/analysis"
	"github.com/spofhq/spof/internal/model"
)

// Simulation is the document `spof simulate --format json` prints.
type Simulation struct {
	Failed []string `json:"failed"`
	// Down lists every entity down as a consequence, by kind (inventory table order), then tier for
	// services, then ID. The failed entities are not repeated here.
	Down []Casualty `json:"down"`
	// Held lists the redundancy groups that lost members but held, by entity then position.
	Held []HeldGroup `json:"held"`
	// Counts gives how many entities are down per kind, failed ones included.
	Counts map[string]int `json:"counts"`
}

// Casualty is an entity put down by the failure, with the chain that brought it down: the entity, the
// dependency that tripped it, and so on back to a failed entity.
type Casualty struct {
	ID    string   `json:"id"`
	Kind  string   `json:"kind"`
	Tier  string   `json:"tier,omitempty"`
	Chain []string `json:"chain"`
}

// HeldGroup is a group that lost members but still holds, keeping its entity up.
type HeldGroup struct {
	ID    string   `json:"id"`
	Kind  string   `json:"kind"`
	Tier  string   `json:"tier,omitempty"`
	Key   string   `json:"key"`
	Group string   `json:"group"`
	Lost  []string `json:"lost"`
	Up    []string `json:"up"`
}

// NewSimulation describes the outage caused by failed.
func NewSimulation(res *analysis.Result, failed []int32) *Simulation {
	inv := res.Inv
	o := res.Simulate(failed)
	sim := &Simulation{Failed: ids(inv, sortedUnique(failed)), Down: []Casualty{}, Held: []HeldGroup{}, Counts: map[string]int{}}
	for _, k := range model.Kinds {
		sim.Counts[k.String()] = 0
	}
	for i, down := range o.Down {
		if !down {
			continue
		}
		e := &inv.Entities[i]
		sim.Counts[e.Kind.String()]++
		if o.Cause[i] < 0 {
			continue // a failed entity
		}
		sim.Down = append(sim.Down, Casualty{ID: e.ID, Kind: e.Kind.String(), Tier: tierOf(e), Chain: ids(inv, o.Chain(int32(i)))})
	}
	slices.SortStableFunc(sim.Down, func(a, b Casualty) int {
		return cmp.Or(cmp.Compare(kindRank(a.Kind), kindRank(b.Kind)), cmp.Compare(tierRank(a.Tier), tierRank(b.Tier)))
	})
	for _, h := range res.Held(o) {
		e := &inv.Entities[h.Entity]
		sim.Held = append(sim.Held, HeldGroup{ID: e.ID, Kind: e.Kind.String(), Tier: tierOf(e), Key: h.Key,
			Group: analysis.GroupLabel(h.Group), Lost: ids(inv, h.Lost), Up: ids(inv, h.Up)})
	}
	return sim
}

func sortedUnique(xs []int32) []int32 {
	xs = slices.Clone(xs)
	slices.Sort(xs)
	return slices.Compact(xs)
}

func tierOf(e *model.Entity) string {
	if e.Kind == model.Service {
		return e.Tier.String()
	}
	return ""
}

func kindRank(kind string) int {
	for _, k := range model.Kinds {
		if k.String() == kind {
			return int(k)
		}
	}
	return len(model.Kinds)
}

func tierRank(tier string) int {
	if t, ok := model.ParseTier(tier); ok {
		return int(t)
	}
	return -1
}

// WriteSimulationText prints the outage for people.
func WriteSimulationText(w io.Writer, sim *Simulation) error {
	var b strings.Builder
	fmt.Fprintf(&b, "FAILED: %s\n\n", strings.Join(sim.Failed, ", "))
	services := 0
	for _, c := range sim.Down {
		if c.Kind == "service" {
			services++
		}
	}
	if len(sim.Down) == 0 {
		b.WriteString("DOWN AS A CONSEQUENCE: nothing\n")
	} else {
		fmt.Fprintf(&b, "DOWN AS A CONSEQUENCE: %d %s, %d %s\n", len(sim.Down), plural(len(sim.Down), "entity", "entities"), services, plural(services, "service", "services"))
		last := ""
		for _, c := range sim.Down {
			group := c.Kind
			if c.Tier != "" {
				group = c.Tier + " " + c.Kind
			}
			if group != last {
				fmt.Fprintf(&b, "  %s:\n", group+"s")
				last = group
			}
			fmt.Fprintf(&b, "    %s\n", strings.Join(c.Chain, " ← "))
		}
	}
	b.WriteByte('\n')
	if len(sim.Held) == 0 {
		b.WriteString("HELD BY REDUNDANCY: nothing lost a redundant member\n")
	} else {
		b.WriteString("HELD BY REDUNDANCY (up only because a redundant group held):\n")
		for _, h := range sim.Held {
			label := h.ID
			if h.Tier != "" {
				label += " [" + h.Tier + "]"
			}
			fmt.Fprintf(&b, "  %s: %s of %s lost %s, still up: %s\n", label, h.Group, h.Key, strings.Join(h.Lost, ", "), strings.Join(h.Up, ", "))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
