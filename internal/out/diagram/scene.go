// Package diagram draws part of an inventory as a diagram: DOT text (dot.go) and Mermaid flowchart text
// (mermaid.go), both written here so they are deterministic. SVG is rendered from the DOT text by the
// spof-render program (cmd/spof-render, through external.go), the only importer of go-graphviz, whose
// WebAssembly start-up would otherwise slow every command.
//
// Both formats draw the same Scene: entities with a shape and colour per kind, requirement groups as
// junction nodes ("any of", "2 of 3") so a reader sees where redundancy is, SPOFs of the drawn services
// outlined in red, and, for a simulated failure, failed and downed entities filled in red shades,
// redundancy groups that held in amber, and the edges the failure travelled along in red.
package diagram

import (
	"fmt"
	"slices"

	"github.com/spofhq/spof/internal/analysis"
	"github.com/spofhq/spof/internal/model"
)

// MaxNodes is the largest drawing spof makes: beyond it layouts take long and nobody can read them.
const MaxNodes = 1500

// MaxLabelledNodes is the largest drawing whose edges are labelled with their reference key under
// LabelsAuto. Graphviz lays an edge label out as an extra node, which doubles or triples the layout
// time of large drawings (a 900-node drawing: 2 s without, 9 s with), where labels are clutter anyway.
const MaxLabelledNodes = 150

// LabelMode says whether edges show their reference key (runs_on, provider…).
type LabelMode uint8

// Label modes.
const (
	// LabelsAuto labels the edges of drawings of at most MaxLabelledNodes nodes.
	LabelsAuto LabelMode = iota
	LabelsOn
	LabelsOff
)

// State is how a node fared in a simulated failure.
type State uint8

// States of a node in a drawing.
const (
	Normal State = iota
	// Failed is an entity given as failed.
	Failed
	// Down is an entity down as a consequence, or a group left unmet.
	Down
	// Held is a redundancy group that lost members but still holds.
	Held
)

// NodeType says what a node stands for.
type NodeType uint8

// Node types.
const (
	EntityNode NodeType = iota
	// GroupNode is a requirement group drawn as a junction.
	GroupNode
	// CollapsedNode stands for several VMs with the same requirements (Options.Collapse).
	CollapsedNode
)

// Node is an entity, a requirement group or a set of collapsed VMs in a drawing.
type Node struct {
	Type NodeType
	// Key is unique in the scene and safe as an identifier in any format: e12 for entity 12, g3 for
	// group 3, c2 for collapsed set 2.
	Key string
	// ID is the entity's ID; for a collapsed node, that of its first VM; "" for a group.
	ID string
	// Label is the first line: the entity's name, "any of" or "2 of 3", "37 VMs on cl-0042".
	Label string
	// Sub is a smaller second line: the ID when the label is a name, the tier of a service, what was
	// left out of the drawing.
	Sub  string
	Kind model.Kind
	Tier model.Tier
	// Alternatives is true for a group any of whose members can be spared (any_of, at_least).
	Alternatives bool
	// Req is the requirement a group node draws, so that a document can tie the junction to the
	// group it stands for (the report's what-if panel recolours junctions by their state).
	Req *model.Req
	// SPOF is a single point of failure of a drawn service; for a collapsed node, of at least one of its
	// VMs (SPOFs counts them).
	SPOF  bool
	SPOFs int
	State State
	// Members counts the VMs of a collapsed node.
	Members int
}

// Edge goes from a dependent (entity or group) to what it needs. From and To index Scene.Nodes;
// Label is the reference key (empty below a group).
type Edge struct {
	From, To int
	Label    string
	// Down is true when the failure travelled along the edge: its target is down.
	Down bool
	// Alternative is true for an edge from a group whose members can be spared.
	Alternative bool
}

// Scene is what a diagram shows, in drawing order: entities by ID, each followed by its groups.
type Scene struct {
	Title string
	Nodes []Node
	Edges []Edge
	// Failed lists the failed entities' IDs when the states come from a simulated failure.
	Failed []string
	// EdgeLabels is true when edges show their reference key; otherwise SVG shows it on hover.
	EdgeLabels bool
	// NoLegend leaves the legend out, for documents that show many diagrams and explain them once.
	NoLegend bool
	// TopDown lays the drawing out from top to bottom instead of left to right: a deep, narrow
	// closure then fits a page's width without shrinking its labels.
	TopDown bool
	// EdgeIDs gives every edge of the SVG the ID "edge-N", N its index in Edges, for documents that
	// restyle edges (the report's what-if panel).
	EdgeIDs bool
}

// Options choose what to draw.
type Options struct {
	// Services roots the drawing at these services and their dependency closure; nil draws everything.
	Services []int32
	// Depth limits the closure to this many dependency steps from the roots; 0 means no limit.
	Depth int
	// Stop entities are drawn without what they depend on (unless reached another way): a document
	// that describes them elsewhere draws them as a boundary, which keeps each drawing small.
	Stop []int32
	// Failed entities are drawn failed, and what they put down drawn down.
	Failed []int32
	// Collapse draws the VMs that have exactly the same requirements (typically the same host or
	// cluster and provider) as one node with their count, when there are at least two of them.
	Collapse bool
	// EdgeLabels chooses whether edges show their reference key.
	EdgeLabels LabelMode
	Title      string
}

// TooLargeError says a drawing would exceed MaxNodes.
type TooLargeError struct {
	Nodes int
	// Collapsed is true when VMs were already collapsed.
	Collapsed bool
}

func (e *TooLargeError) Error() string {
	hint := "draw part of the platform with --service ID (and --depth N)"
	if !e.Collapsed {
		hint += ", or draw the VMs of each host as one node with --collapse"
	}
	return fmt.Sprintf("the drawing would have %d nodes, more than the %d a diagram stays readable with; %s", e.Nodes, MaxNodes, hint)
}

// builder holds what NewScene needs while it adds nodes and edges.
type builder struct {
	sc      *Scene
	inv     *model.Inventory
	include []bool
	nodeOf  []int32 // per entity: its node, -1 when not drawn
	out     *analysis.Outage
	seen    map[Edge]bool
}

// NewScene selects and styles what to draw. SPOFs are those of the drawn services (all services when
// no root is given).
func NewScene(res *analysis.Result, o Options) (*Scene, error) {
	inv := res.Inv
	b := &builder{sc: &Scene{Title: o.Title}, inv: inv, include: selectEntities(res, o), seen: map[Edge]bool{}}
	if len(o.Failed) > 0 {
		b.out = res.Simulate(o.Failed)
		for _, f := range sortedUnique(o.Failed) {
			b.sc.Failed = append(b.sc.Failed, inv.ID(f))
		}
	}
	spof := spofs(res, b.include, o.Services)
	var sets map[int32][]int32
	if o.Collapse {
		sets = collapsible(inv, b.include, o.Failed)
	}
	// Nodes first, so that edges can point forward; entities in ID order, a collapsed set where its
	// first VM would be.
	b.nodeOf = make([]int32, inv.Len())
	for i := range b.nodeOf {
		b.nodeOf[i] = -1
	}
	var reps []int32 // the entities whose requirements are drawn
	for i, in := range b.include {
		if !in || b.nodeOf[i] >= 0 {
			continue
		}
		idx := int32(len(b.sc.Nodes))
		if set := sets[int32(i)]; len(set) > 0 {
			b.sc.Nodes = append(b.sc.Nodes, b.collapsedNode(set, spof))
			for _, v := range set {
				b.nodeOf[v] = idx
			}
		} else {
			b.sc.Nodes = append(b.sc.Nodes, b.entityNode(int32(i), spof[i]))
			b.nodeOf[i] = idx
		}
		reps = append(reps, int32(i))
	}
	groups := 0
	for _, e := range reps {
		from := int(b.nodeOf[e])
		for _, ref := range inv.Entities[e].Refs {
			b.addReq(from, ref.Key, ref.Req, false, &groups)
		}
	}
	n := len(b.sc.Nodes)
	if n > MaxNodes {
		return nil, &TooLargeError{Nodes: n, Collapsed: o.Collapse}
	}
	b.sc.EdgeLabels = o.EdgeLabels == LabelsOn || (o.EdgeLabels == LabelsAuto && n <= MaxLabelledNodes)
	return b.sc, nil
}

// spofs marks the SPOFs of the drawn services: the roots, or every service drawn.
func spofs(res *analysis.Result, include []bool, roots []int32) []bool {
	inv := res.Inv
	spof := make([]bool, inv.Len())
	for i, in := range include {
		if !in || inv.Entities[i].Kind != model.Service || (roots != nil && !slices.Contains(roots, int32(i))) {
			continue
		}
		for _, x := range res.SPOFs(int32(i)) {
			spof[x] = true
		}
	}
	return spof
}

func (b *builder) entityNode(i int32, spof bool) Node {
	e := &b.inv.Entities[i]
	n := Node{Type: EntityNode, Key: fmt.Sprintf("e%d", i), ID: e.ID, Label: e.Label(), Kind: e.Kind, Tier: e.Tier, SPOF: spof}
	if e.Name != "" && e.Name != e.ID {
		n.Sub = e.ID
	}
	if e.Kind == model.Service {
		n.Sub = joinSub(n.Sub, e.Tier.String())
	}
	if hidden := b.hiddenDeps(i); hidden > 0 {
		n.Sub = joinSub(n.Sub, fmt.Sprintf("+%d not drawn", hidden))
	}
	n.State = b.entityState(i)
	return n
}

func (b *builder) entityState(i int32) State {
	switch {
	case b.out == nil || !b.out.Down[i]:
		return Normal
	case b.out.Cause[i] < 0:
		return Failed
	}
	return Down
}

// hiddenDeps counts the dependencies of i left out of the drawing by --depth.
func (b *builder) hiddenDeps(i int32) int {
	n := 0
	for _, d := range b.inv.Deps(i) {
		if !b.include[d] {
			n++
		}
	}
	return n
}

func joinSub(a, b string) string {
	if a == "" {
		return b
	}
	return a + " · " + b
}

// addReq draws requirement r of node from: a leaf is an edge, a group table a junction node, and a
// plain array one edge per element. Groups with nothing drawn below them are left out.
func (b *builder) addReq(from int, label string, r *model.Req, alt bool, groups *int) {
	switch {
	case r.Op == model.Need:
		if to := b.nodeOf[r.Entity]; to >= 0 {
			b.addEdge(Edge{From: from, To: int(to), Label: label, Alternative: alt})
		}
	case !r.Group:
		for _, m := range r.Members {
			b.addReq(from, label, m, alt, groups)
		}
	case b.drawsAny(r):
		g := Node{Type: GroupNode, Key: fmt.Sprintf("g%d", *groups), Label: groupLabel(r), Alternatives: r.Op != model.AllOf && r.Need() < len(r.Members), Req: r}
		*groups++
		if b.out != nil {
			g.State = b.groupState(r)
		}
		to := len(b.sc.Nodes)
		b.sc.Nodes = append(b.sc.Nodes, g)
		b.addEdge(Edge{From: from, To: to, Label: label, Alternative: alt})
		for _, m := range r.Members {
			b.addReq(to, "", m, g.Alternatives, groups)
		}
	}
}

// addEdge adds e once: collapsed VMs make edges that would otherwise repeat.
func (b *builder) addEdge(e Edge) {
	t := &b.sc.Nodes[e.To]
	e.Down = t.State == Failed || t.State == Down
	if !b.seen[e] {
		b.seen[e] = true
		b.sc.Edges = append(b.sc.Edges, e)
	}
}

func (b *builder) drawsAny(r *model.Req) bool {
	if r.Op == model.Need {
		return b.include[r.Entity]
	}
	return slices.ContainsFunc(r.Members, b.drawsAny)
}

func (b *builder) groupState(r *model.Req) State {
	if !b.out.Met(r) {
		return Down
	}
	for _, m := range r.Members {
		if !b.out.Met(m) {
			return Held
		}
	}
	return Normal
}

func groupLabel(r *model.Req) string {
	switch r.Op {
	case model.AnyOf:
		return "any of"
	case model.AtLeast:
		return fmt.Sprintf("%d of %d", r.K, len(r.Members))
	}
	return "all of"
}

// selectEntities marks the entities to draw: every one, or the closure of the roots up to the depth.
func selectEntities(res *analysis.Result, o Options) []bool {
	n := res.Inv.Len()
	include := make([]bool, n)
	if o.Services == nil {
		for i := range include {
			include[i] = true
		}
		return include
	}
	frontier := slices.Clone(o.Services)
	for _, s := range frontier {
		include[s] = true
	}
	stop := make(map[int32]bool, len(o.Stop))
	for _, x := range o.Stop {
		if !slices.Contains(o.Services, x) {
			stop[x] = true
		}
	}
	for depth := 1; len(frontier) > 0 && (o.Depth == 0 || depth <= o.Depth); depth++ {
		var next []int32
		for _, e := range frontier {
			if stop[e] {
				continue
			}
			for _, d := range res.Deps(e) {
				if !include[d] {
					include[d] = true
					next = append(next, d)
				}
			}
		}
		frontier = next
	}
	for _, f := range o.Failed {
		include[f] = true // a failure is always shown, even outside the closure
	}
	return include
}

func sortedUnique(xs []int32) []int32 {
	xs = slices.Clone(xs)
	slices.Sort(xs)
	return slices.Compact(xs)
}
