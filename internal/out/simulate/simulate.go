// Package simulate is the output of `spof simulate` and `spof impact`: what a failure takes down, with
// the chain that brought each entity down, and what depends on an entity.
package simulate

import (
	"bufio"
	"cmp"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/spofhq/spof/internal/analysis"
	"github.com/spofhq/spof/internal/human"
	"github.com/spofhq/spof/internal/model"
	"github.com/spofhq/spof/internal/out"
	"github.com/spofhq/spof/internal/out/analyze"
)

// Writer writes a document of this package, D, in one format; inv is the inventory it describes.
type Writer[D any] func(w io.Writer, doc D, inv *model.Inventory) error

// formats returns the formats of every document of this package: text, written by text, first; then
// json, written by json (the document itself, by encoding/json, when nil), whose fields docPage
// documents.
func formats[D any](text, json Writer[D], docPage string) out.Formats[Writer[D]] {
	if json == nil {
		json = func(w io.Writer, doc D, _ *model.Inventory) error { return out.WriteJSON(w, doc) }
	}
	return out.Formats[Writer[D]]{
		{Name: "text", Doc: "for people", Write: text},
		{Name: "json", Doc: "for programs; documented in " + docPage, Write: json},
	}
}

// SimulationFormats are the formats of spof simulate, text first.
var SimulationFormats = formats(WriteSimulationText, WriteSimulationJSON, "docs/diagram.md")

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

	// Paths says how much of each casualty's chain the outputs show: analyze.PathsShort in text and
	// analyze.PathsFull in JSON by default, as analyze's --paths.
	Paths analyze.Paths `json:"-"`
	// outage holds the chains, a tree of one step per entity, spelled out only as each casualty is
	// written.
	outage *analysis.Outage
	inv    *model.Inventory
}

// Casualty is an entity put down by the failure, with the chain that brought it down: the entity, a
// dependency to blame, and so on back to a failed entity (a shortest such chain, lowest IDs first).
type Casualty struct {
	ID   string `json:"id"`
	Kind string `json:"kind"`
	Tier string `json:"tier,omitempty"`
	// Chain is filled only in the copy being written, with analyze.PathsFull (it has two entities or
	// more), and Next, the entity after this one on the chain, with analyze.PathsNext: the chains of
	// a simulation may hold n²/2 steps.
	Chain []string `json:"chain,omitempty"`
	Next  string   `json:"next,omitempty"`
	// Entity is the casualty's index in the inventory.
	Entity int32 `json:"-"`
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
		Defeated: groupHits(inv, res.Defeated(o)), Held: groupHits(inv, res.Held(o)), Counts: map[string]int{},
		outage: o, inv: inv}
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
		sim.Down = append(sim.Down, Casualty{ID: e.ID, Kind: e.Kind.String(), Tier: tierOf(e), Entity: int32(i)})
	}
	slices.SortStableFunc(sim.Down, func(a, b Casualty) int { return byKindTier(a.Kind, a.Tier, b.Kind, b.Tier) })
	sim.Detection = newDetection(res, o)
	return sim
}

// written returns casualty i as the JSON document shows it, its chain as sim.Paths says.
func (sim *Simulation) written(i int) Casualty {
	c := sim.Down[i]
	switch sim.Paths {
	case analyze.PathsDefault, analyze.PathsFull:
		c.Chain = sim.inv.IDsOf(sim.outage.Chain(c.Entity))
	case analyze.PathsNext:
		c.Next = sim.inv.ID(sim.outage.ChainHead(c.Entity, 2, nil)[1])
	}
	return c
}

// WriteSimulationJSON writes the document as encoding/json would, one casualty and one unseen outage
// at a time, so that memory stays linear in the inventory whatever the chains hold.
func WriteSimulationJSON(w io.Writer, sim *Simulation, _ *model.Inventory) error {
	return out.WriteJSONObject(w, sim.writeFields)
}

// writeFields writes the fields of the simulation into o, in the order of the struct's.
func (sim *Simulation) writeFields(o *out.JSONObject) {
	o.Field("failed", sim.Failed)
	o.List("down", len(sim.Down), func(i int) any { return sim.written(i) })
	o.Field("services_down", sim.ServicesDown)
	o.Field("defeated", sim.Defeated)
	o.Field("held", sim.Held)
	o.Field("counts", sim.Counts)
	if sim.Detection != nil {
		o.Object("detection", func(o *out.JSONObject) { sim.Detection.writeFields(o, sim) })
	}
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
// brought each down, the redundancy that was defeated, and what held. Chains are shown as sim.Paths
// says: by default, those of up to shortChain entities whole, and of the longer ones the first
// shortHead, how many are left out and the failed entity, as analyze shows SPOF paths. It writes as it
// goes: with --paths full, the chains of n entities may hold n²/2 steps.
func WriteSimulationText(w io.Writer, sim *Simulation, inv *model.Inventory) error {
	bw := bufio.NewWriterSize(w, 64<<10)
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
		fmt.Fprintf(&b, "DOWN AS A CONSEQUENCE: %d %s", len(sim.Down), human.Plural(len(sim.Down), "entity", "entities"))
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
		bw.WriteString(b.String())
		b.Reset()
		sim.writeCasualties(bw)
	}
	writeDetection(&b, sim.Detection)
	writeGroupHits(&b, "REDUNDANCY DEFEATED", sim.Defeated, func(n int) string {
		return human.Plural(n, "group lost too many members", "groups lost too many members")
	})
	writeGroupHits(&b, "HELD BY REDUNDANCY", sim.Held, func(n int) string {
		return human.Plural(n, "group lost members but held, keeping its entity up", "groups lost members but held, keeping their entities up")
	})
	bw.WriteString(b.String())
	return bw.Flush()
}

// writeCasualties prints the casualties under a heading per kind and tier, each with its chain as
// sim.Paths says.
func (sim *Simulation) writeCasualties(w *bufio.Writer) {
	o := sim.outage
	rows := make([]pathRow, len(sim.Down))
	for i, c := range sim.Down {
		rows[i] = pathRow{id: c.ID, kind: c.Kind, tier: c.Tier, entity: c.Entity}
	}
	writePathRows(w, rows, " ← ", sim.Paths, sim.inv, func(e int32, n int) ([]int32, int, int32) {
		return o.ChainHead(e, n, nil), o.ChainLen(e), o.ChainEnd(e)
	})
}

// pathRow is one line of an entity list: the entity, whose path follows.
type pathRow struct {
	id, kind, tier string
	entity         int32
}

// writePathRows prints rows under a heading per kind and tier, the IDs padded so that the paths line
// up. head returns the first n entities of an entity's path (the entity first), its length and its
// last entity; paths says how much of it to show, as analyze.AppendTextPath shows
// SPOF paths.
func writePathRows(w *bufio.Writer, rows []pathRow, sep string, paths analyze.Paths, inv *model.Inventory, head func(e int32, n int) ([]int32, int, int32)) {
	width := 0
	for _, r := range rows {
		width = max(width, utf8.RuneCountInString(r.id))
	}
	last := ""
	var text []byte
	for _, r := range rows {
		if h := heading(r.kind, r.tier); h != last {
			fmt.Fprintf(w, "  %s:\n", h)
			last = h
		}
		w.WriteString("    ")
		w.WriteString(r.id)
		if keep := paths.TextKeep(); keep != 0 {
			if keep < 0 {
				keep = math.MaxInt
			}
			path, n, end := head(r.entity, keep)
			if n > 1 {
				// The path starts with the entity, written above: its padding goes before the rest.
				text = analyze.AppendTextPath(text[:0], paths, path, n, end, inv.ID, sep)
				w.WriteString(pad(width - utf8.RuneCountInString(r.id)))
				w.Write(text[len(r.id):])
			}
		}
		w.WriteByte('\n')
	}
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

func pad(n int) string { return strings.Repeat(" ", max(n, 0)) }
