// Package simulate is the output of `spof simulate` and `spof impact`: what a failure takes down, with
// the chain that brought each entity down, and what depends on an entity.
package simulate

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/spofhq/spof/internal/analysis"
	"github.com/spofhq/spof/internal/model"
	"github.com/spofhq/spof/internal/out"
	"github.com/spofhq/spof/internal/out/analyze"
)

// SimulationWriter writes a simulation in one format.
type SimulationWriter func(w io.Writer, sim *Simulation, inv *model.Inventory) error

// SimulationFormats are the formats of spof simulate, text first.
var SimulationFormats = out.Formats[SimulationWriter]{
	{Name: "text", Doc: "for people", Write: WriteSimulationText},
	{Name: "json", Doc: "for programs; documented in docs/diagram.md", Write: func(w io.Writer, sim *Simulation, _ *model.Inventory) error {
		return out.WriteJSON(w, sim)
	}},
}

// Simulation is the document `spof simulate --format json` prints (documented in docs/diagram.md; keep
// in sync). Every list is sorted, so the bytes are the same from run to run.
type Simulation struct {
	// Failed are the entities given with --fail, by ID.
	Failed []string `json:"failed"`
	// Down lists every entity down as a consequence, by kind (inventory table order), then tier for
	// services, then ID. The failed entities are not repeated here.
	Down []Casualty `json:"down"`
	// ServicesDown lists the services down per tier, the failed ones included.
	ServicesDown analyze.ByTier `json:"services_down"`
	// Defeated lists the redundancy groups of the entities down that lost too many members, by entity
	// then position: where redundancy did not protect.
	Defeated []GroupHit `json:"defeated"`
	// Held lists the redundancy groups of the entities up that lost members but held, by entity then
	// position: what stayed up only thanks to redundancy.
	Held []GroupHit `json:"held"`
	// Counts gives how many entities are down per kind, the failed ones included.
	Counts map[string]int `json:"counts"`
	// Detection says which outages nobody sees and whether customers are told (detection.go);
	// omitted when the inventory declares no monitoring or status service.
	Detection *Detection `json:"detection,omitempty"`
}

// Casualty is an entity put down by the failure, with the chain that brought it down: the entity, a
// dependency to blame, and so on back to a failed entity (a shortest such chain, lowest IDs first).
type Casualty struct {
	ID    string   `json:"id"`
	Kind  string   `json:"kind"`
	Tier  string   `json:"tier,omitempty"`
	Chain []string `json:"chain"`
}

// GroupHit is a redundancy group that lost members: Group is "any_of", "at_least 2 of 3" or "all_of",
// Key the reference key holding it, Lost the member entities down (for nested groups, every entity
// below a lost member), Up the others, both in the order written.
type GroupHit struct {
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
	sim := &Simulation{Failed: inv.IDsOf(sortedUnique(failed)), Down: []Casualty{}, ServicesDown: analyze.NewByTier(),
		Defeated: groupHits(inv, res.Defeated(o)), Held: groupHits(inv, res.Held(o)), Counts: map[string]int{}}
	for _, k := range model.Kinds {
		sim.Counts[k.String()] = 0
	}
	for i, down := range o.Down {
		if !down {
			continue
		}
		e := &inv.Entities[i]
		sim.Counts[e.Kind.String()]++
		if e.Kind == model.Service {
			l := sim.ServicesDown.Of(e.Tier)
			*l = append(*l, e.ID)
		}
		if o.Cause[i] < 0 {
			continue // a failed entity
		}
		sim.Down = append(sim.Down, Casualty{ID: e.ID, Kind: e.Kind.String(), Tier: tierOf(e), Chain: inv.IDsOf(o.Chain(int32(i)))})
	}
	slices.SortStableFunc(sim.Down, func(a, b Casualty) int { return byKindTier(a.Kind, a.Tier, b.Kind, b.Tier) })
	sim.Detection = newDetection(res, o)
	return sim
}

func groupHits(inv *model.Inventory, hits []analysis.GroupHit) []GroupHit {
	out := []GroupHit{}
	for _, h := range hits {
		e := &inv.Entities[h.Entity]
		out = append(out, GroupHit{ID: e.ID, Kind: e.Kind.String(), Tier: tierOf(e), Key: h.Key,
			Group: analysis.GroupLabel(h.Group), Lost: inv.IDsOf(h.Lost), Up: inv.IDsOf(h.Up)})
	}
	return out
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

// byKindTier orders entities by kind (inventory table order), then services by tier.
func byKindTier(kindA, tierA, kindB, tierB string) int {
	return cmp.Or(cmp.Compare(kindRank(kindA), kindRank(kindB)), cmp.Compare(tierRank(tierA), tierRank(tierB)))
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

// heading names a section of entities of one kind (and tier): "critical services", "VMs".
func heading(kind, tier string) string {
	var h string
	switch kind {
	case "vm":
		h = "VMs"
	case "number":
		h = "phone numbers"
	default:
		h = kind + "s"
	}
	if tier != "" {
		h = tier + " " + h
	}
	return h
}

// WriteSimulationText prints the outage for people: what failed, what went down with the chain that
// brought each down, the redundancy that was defeated, and what held.
func WriteSimulationText(w io.Writer, sim *Simulation, inv *model.Inventory) error {
	var b strings.Builder
	failed := make([]string, len(sim.Failed))
	for i, id := range sim.Failed {
		x, _ := inv.Lookup(id)
		failed[i] = fmt.Sprintf("%s (%s)", id, inv.Entities[x].Kind)
	}
	fmt.Fprintf(&b, "FAILED: %s\n\n", strings.Join(failed, ", "))
	if len(sim.Down) == 0 {
		b.WriteString("DOWN AS A CONSEQUENCE: nothing\n")
	} else {
		services := 0
		for _, c := range sim.Down {
			if c.Kind == "service" {
				services++
			}
		}
		fmt.Fprintf(&b, "DOWN AS A CONSEQUENCE: %d %s", len(sim.Down), plural(len(sim.Down), "entity", "entities"))
		if services > 0 {
			byTier := analyze.NewByTier()
			for _, c := range sim.Down {
				if t, ok := model.ParseTier(c.Tier); ok && c.Kind == "service" {
					l := byTier.Of(t)
					*l = append(*l, c.ID)
				}
			}
			fmt.Fprintf(&b, ", including %s", tierCounts(byTier))
		}
		b.WriteString("\n")
		rows := make([]row, len(sim.Down))
		for i, c := range sim.Down {
			rows[i] = row{kind: c.Kind, tier: c.Tier, path: c.Chain}
		}
		writeRows(&b, rows, " ← ")
	}
	writeDetection(&b, sim.Detection)
	writeGroupHits(&b, "REDUNDANCY DEFEATED", sim.Defeated, func(n int) string {
		return plural(n, "group lost too many members", "groups lost too many members")
	})
	writeGroupHits(&b, "HELD BY REDUNDANCY", sim.Held, func(n int) string {
		return plural(n, "group lost members but held, keeping its entity up", "groups lost members but held, keeping their entities up")
	})
	_, err := io.WriteString(w, b.String())
	return err
}

func writeGroupHits(b *strings.Builder, title string, hits []GroupHit, what func(n int) string) {
	b.WriteByte('\n')
	if len(hits) == 0 {
		fmt.Fprintf(b, "%s: nothing\n", title)
		return
	}
	fmt.Fprintf(b, "%s: %d %s\n", title, len(hits), what(len(hits)))
	width := 0
	labels := make([]string, len(hits))
	for i, h := range hits {
		labels[i] = h.ID
		if h.Tier != "" {
			labels[i] += " [" + h.Tier + "]"
		}
		width = max(width, len([]rune(labels[i])))
	}
	for i, h := range hits {
		fmt.Fprintf(b, "  %s%s  %s %s: lost %s", labels[i], pad(width-len([]rune(labels[i]))), h.Key, h.Group, strings.Join(h.Lost, ", "))
		if len(h.Up) > 0 {
			fmt.Fprintf(b, "; still up %s", strings.Join(h.Up, ", "))
		}
		b.WriteByte('\n')
	}
}

// row is one line of an entity list: the entity (path[0]) followed by its path.
type row struct {
	kind, tier string
	path       []string
}

// writeRows prints rows under a heading per kind and tier, the first ID of every path padded so that
// the rest of the paths line up.
func writeRows(b *strings.Builder, rows []row, sep string) {
	width := 0
	for _, r := range rows {
		width = max(width, len([]rune(r.path[0])))
	}
	last := ""
	for _, r := range rows {
		if h := heading(r.kind, r.tier); h != last {
			fmt.Fprintf(b, "  %s:\n", h)
			last = h
		}
		fmt.Fprintf(b, "    %s", r.path[0])
		if len(r.path) > 1 {
			fmt.Fprintf(b, "%s%s%s", pad(width-len([]rune(r.path[0]))), sep, strings.Join(r.path[1:], sep))
		}
		b.WriteByte('\n')
	}
}

func pad(n int) string { return strings.Repeat(" ", max(n, 0)) }

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
