// Package render draws part of an inventory as a diagram: DOT text (dot.go) and Mermaid flowchart text
// (mermaid.go), both written here so they are deterministic. SVG is rendered from the DOT text by the
// spof-render program (cmd/spof-render), the only importer of go-graphviz, whose WebAssembly start-up
// would otherwise slow every command.
//
// Both formats draw the same Scene: entities with a shape and colour per kind, requirement groups as
// junction nodes ("any of", "2 of 3") so a reader sees where redundancy is, SPOFs of the drawn services
// outlined in red, and, for a simulated failure, failed and downed entities filled in red shades.
package render

import (
	"fmt"
	"slices"

	"github.com/spofhq/spof/internal/analysis"
	"github.com/spofhq/spof/internal/model"
)

// MaxNodes is the largest drawing spof makes: beyond it layouts take long and nobody can read them.
const MaxNodes = 1500

// State is how an entity fared in a simulated failure.
type State uint8

// States of an entity in a drawing.
const (
	Normal State = iota
	Failed
	Down
)

// Node is an entity or a requirement group in a drawing.
type Node struct {
	// Key is unique in the scene and safe as an identifier: e12 for entity 12, g3 for group 3.
	Key string
	// ID is the entity's ID, "" for a group.
	ID    string
	Label string
	// Sub is a second line: the ID when the label is a name, the tier of a service.
	Sub    string
	Kind   model.Kind
	Group  bool
	Tier   model.Tier
	SPOF   bool
	State  State
	Entity int32 // -1 for groups
}

// Edge goes from a dependent (entity or group) to what it needs; Label is the reference key.
type Edge struct {
	From, To string
	Label    string
}

// Scene is what a diagram shows, in drawing order.
type Scene struct {
	Title string
	Nodes []Node
	Edges []Edge
	// Failure is true when states come from a simulated failure (the legend then explains them).
	Failure bool
	// NoLegend leaves the legend out, for documents that show many diagrams and explain them once.
	NoLegend bool
}

// Options choose what to draw.
type Options struct {
	// Services roots the drawing at these services and their dependency closure; nil draws everything.
	Services []int32
	// Depth limits the closure to this many dependency steps from the roots; 0 means no limit.
	Depth int
	// Failed entities are drawn failed, and what they put down drawn down.
	Failed []int32
	Title  string
}

// TooLargeError says a drawing would exceed MaxNodes.
type TooLargeError struct{ Nodes int }

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("the drawing would have %d nodes, more than the %d a diagram stays readable with; draw part of the platform with --service ID (and --depth N)", e.Nodes, MaxNodes)
}

// NewScene selects and styles what to draw. SPOFs are those of the drawn services (all services when
// no root is given).
func NewScene(res *analysis.Result, o Options) (*Scene, error) {
	inv := res.Inv
	include := selectEntities(res, o)
	sc := &Scene{Title: o.Title, Failure: len(o.Failed) > 0}
	spof := make([]bool, inv.Len())
	for i, in := range include {
		if !in || inv.Entities[i].Kind != model.Service {
			continue
		}
		if o.Services != nil && !slices.Contains(o.Services, int32(i)) {
			continue
		}
		for _, x := range res.SPOFs(int32(i)) {
			spof[x] = true
		}
	}
	var out *analysis.Outage
	if sc.Failure {
		out = res.Simulate(o.Failed)
	}
	nodes := 0
	for _, in := range include {
		if in {
			nodes++
		}
	}
	groups := 0
	for i, in := range include {
		if !in {
			continue
		}
		e := &inv.Entities[i]
		n := Node{Key: fmt.Sprintf("e%d", i), ID: e.ID, Label: e.Label(), Kind: e.Kind, Tier: e.Tier, SPOF: spof[i], Entity: int32(i)}
		if e.Name != "" && e.Name != e.ID {
			n.Sub = e.ID
		}
		if e.Kind == model.Service {
			n.Sub = joinSub(n.Sub, e.Tier.String())
		}
		if out != nil && out.Down[i] {
			n.State = Down
			if out.Cause[i] < 0 {
				n.State = Failed
			}
		}
		sc.Nodes = append(sc.Nodes, n)
		for _, ref := range e.Refs {
			sc.addReq(include, n.Key, ref.Key, ref.Req, &groups)
		}
	}
	if total := len(sc.Nodes) + groups; total > MaxNodes {
		return nil, &TooLargeError{Nodes: total}
	}
	return sc, nil
}

func joinSub(a, b string) string {
	if a == "" {
		return b
	}
	return a + " · " + b
}

// addReq draws requirement r of the node from: a leaf is an edge, a group table a junction node, and a
// plain array one edge per element.
func (sc *Scene) addReq(include []bool, from, label string, r *model.Req, groups *int) {
	switch {
	case r.Op == model.Need:
		if include[r.Entity] {
			sc.Edges = append(sc.Edges, Edge{From: from, To: fmt.Sprintf("e%d", r.Entity), Label: label})
		}
	case !r.Group:
		for _, m := range r.Members {
			sc.addReq(include, from, label, m, groups)
		}
	default:
		key := fmt.Sprintf("g%d", *groups)
		*groups++
		sc.Nodes = append(sc.Nodes, Node{Key: key, Label: groupLabel(r), Group: true, Entity: -1})
		sc.Edges = append(sc.Edges, Edge{From: from, To: key, Label: label})
		for _, m := range r.Members {
			sc.addReq(include, key, "", m, groups)
		}
	}
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
	for depth := 1; len(frontier) > 0 && (o.Depth == 0 || depth <= o.Depth); depth++ {
		var next []int32
		for _, e := range frontier {
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
