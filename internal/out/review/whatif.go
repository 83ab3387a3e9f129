package review

import (
	"bytes"
	"encoding/json"
	"html/template"
	"strconv"
	"strings"

	"github.com/spofhq/spof/internal/model"
	"github.com/spofhq/spof/internal/out/diagram"
)

// The HTML report answers "what if these fail?" in the page, offline: the inventory's requirements
// are embedded as threshold expressions (the form internal/analysis compiles them to) and a small
// script computes the least fixed point exactly as `spof simulate` does — an expression with n
// children is unmet once trip of them are down (all_of 1, any_of n, at_least k: n−k+1), an entity is
// down when it failed or when its root expression (the all_of of its reference keys) is unmet, and
// only what is forced goes down, so cycles resolve as in the analysis. The chain shown for each
// service is the analysis's: the shortest chain of causes, lowest IDs first.

// WhatIf is the data the page's what-if panel computes from.
type WhatIf struct {
	inv *model.Inventory
	// expr numbers every requirement group, in the order the data lists them.
	expr map[*model.Req]int
	// x are the expressions: trip, then the children (an entity index, or −1−expression).
	x    [][]int
	root []int
}

// newWhatIf returns the what-if data of inv; the requirements are flattened when the page is written
// (a Markdown report never needs them).
func newWhatIf(inv *model.Inventory) *WhatIf { return &WhatIf{inv: inv} }

// flatten numbers inv's requirement groups as expressions.
func (w *WhatIf) flatten() {
	inv := w.inv
	w.expr, w.root = map[*model.Req]int{}, make([]int, inv.Len())
	for i := range inv.Entities {
		e := &inv.Entities[i]
		if len(e.Refs) == 0 {
			w.root[i] = -1
			continue
		}
		kids := make([]*model.Req, len(e.Refs))
		for j, ref := range e.Refs {
			kids[j] = ref.Req
		}
		w.root[i] = w.add(&model.Req{Op: model.AllOf, Members: kids})
	}
}

func (w *WhatIf) add(r *model.Req) int {
	x := len(w.x)
	w.expr[r] = x
	row := []int{len(r.Members) - r.Need() + 1}
	w.x = append(w.x, nil)
	for _, m := range r.Members {
		if m.Op == model.Need {
			row = append(row, int(m.Entity))
		} else {
			row = append(row, -1-w.add(m))
		}
	}
	w.x[x] = row
	return x
}

// whatIfData is the JSON embedded in the page.
type whatIfData struct {
	IDs   []string `json:"ids"`
	Kinds string   `json:"kinds"`
	// Tiers holds a digit per entity: the tier of a service, "-" for other kinds.
	Tiers string `json:"tiers"`
	// Names are the services' names, "" for other kinds.
	Names []string `json:"names"`
	Root  []int    `json:"root"`
	X     [][]int  `json:"x"`
	// Figs maps a diagram's ID prefix to what its nodes and edges stand for.
	Figs map[string]figData `json:"figs"`
}

// figData ties a drawing's SVG elements to the data: each group node's expression, and each edge's
// target as an SVG node ID suffix ("entity-pbx", "group-3", "vms-vm-01").
type figData struct {
	Groups map[string]int `json:"g"`
	Edges  []string       `json:"e"`
	// VMs maps a collapsed node to the first of its VMs, whose state is theirs.
	VMs map[string]string `json:"v,omitempty"`
}

// JSON returns the data for the page, with the drawings of doc, as a script body: HTML-escaped JSON,
// which cannot close its script element and keeps the page well-formed XML.
func (w *WhatIf) JSON(doc *Document) template.JS {
	if w.expr == nil {
		w.flatten()
	}
	inv := w.inv
	d := whatIfData{IDs: inv.IDs(), Root: w.root, X: w.x, Figs: map[string]figData{}, Names: make([]string, inv.Len())}
	var kinds, tiers strings.Builder
	for i := range inv.Entities {
		e := &inv.Entities[i]
		kinds.WriteString(strconv.Itoa(int(e.Kind)))
		if e.Kind == model.Service {
			tiers.WriteString(strconv.Itoa(int(e.Tier)))
			d.Names[i] = oneLine(e.Name)
		} else {
			tiers.WriteByte('-')
		}
	}
	d.Kinds, d.Tiers = kinds.String(), tiers.String()
	for _, f := range figures(doc) {
		if f.SVG == "" || f.Prefix == "" {
			continue
		}
		fd := figData{Groups: map[string]int{}}
		for _, n := range f.Scene.Nodes {
			switch n.Type {
			case diagram.GroupNode:
				if x, ok := w.expr[n.Req]; ok {
					fd.Groups[n.Key[1:]] = x
				}
			case diagram.CollapsedNode:
				if fd.VMs == nil {
					fd.VMs = map[string]string{}
				}
				fd.VMs[n.ID] = n.ID
			}
		}
		for _, e := range f.Scene.Edges {
			fd.Edges = append(fd.Edges, svgNodeID(&f.Scene.Nodes[e.To]))
		}
		d.Figs[f.Prefix] = fd
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b) // escapes <, > and & as \u003c…: safe in a script element and in XML
	_ = enc.Encode(d)
	return template.JS(strings.TrimSpace(b.String()))
}

// svgNodeID is the SVG ID (without the figure's prefix) of a drawn node, as WriteDOT names it.
func svgNodeID(n *diagram.Node) string {
	switch n.Type {
	case diagram.GroupNode:
		return "group-" + n.Key[1:]
	case diagram.CollapsedNode:
		return "vms-" + n.ID
	}
	return "entity-" + n.ID
}

// figures returns the figures of doc in document order.
func figures(doc *Document) []*Figure {
	var figs []*Figure
	var walk func(ss []Section)
	walk = func(ss []Section) {
		for i := range ss {
			for _, b := range ss[i].Blocks {
				if b.Figure != nil {
					figs = append(figs, b.Figure)
				}
			}
			walk(ss[i].Subs)
		}
	}
	walk(doc.Sections)
	return figs
}
