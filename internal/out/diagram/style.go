package diagram

import "github.com/spofhq/spof/internal/model"

// style is how one kind of node looks; both writers read the same table so the formats agree.
type style struct {
	shape string // DOT shape
	fill  string
	name  string // for the legend
}

var kindStyles = [model.NumKinds]style{
	model.Provider:  {shape: "tab", fill: "#fff2cc", name: "provider"},
	model.Service:   {shape: "box", fill: "#dbe9f6", name: "service"},
	model.Number:    {shape: "note", fill: "#e2f0d9", name: "phone number"},
	model.VM:        {shape: "box3d", fill: "#f2f2f2", name: "VM"},
	model.Component: {shape: "component", fill: "#e8e6f4", name: "component"},
}

// Colours. The failure states use red shades (failed darkest), redundancy that held amber; SPOFs are
// outlined in the failed colour so that a reader links the two.
const (
	fontFamily  = "Helvetica" // Graphviz measures text with Helvetica metrics, and SVG viewers map it to Arial or Liberation Sans
	borderColor = "#404040"
	textColor   = "#1a1a1a"
	subColor    = "#595959"
	spofColor   = "#c00000"
	failedFill  = "#c00000"
	failedText  = "#ffffff"
	downFill    = "#f4cccc"
	heldFill    = "#ffd966"
	heldBorder  = "#bf9000"
	groupFill   = "#ffffff"
	groupColor  = "#595959"
	edgeColor   = "#8c8c8c"
	downEdge    = "#c00000"
)

// fill returns the node's fill colour: its state's in a failure, else its kind's.
func (n *Node) fill() string {
	switch n.State {
	case Failed:
		return failedFill
	case Down:
		return downFill
	case Held:
		return heldFill
	}
	if n.Type == GroupNode {
		return groupFill
	}
	return kindStyles[n.Kind].fill
}

// border returns the outline colour and width.
func (n *Node) border() (color string, width float64) {
	switch {
	case n.SPOF:
		return spofColor, 2.5
	case n.Type == GroupNode && n.State == Held:
		return heldBorder, 1.5
	case n.Type == GroupNode:
		return groupColor, 1
	}
	return borderColor, 1
}

// legendItem is one entry of the legend, drawn with the colours it explains.
type legendItem struct {
	label        string
	fill, border string
	text         string // the text colour
	width        int    // of the border
	dashed       bool   // a junction of alternatives
	kind         bool   // a kind of entity, drawn with its shape in Mermaid
}

// legendItems returns what the legend explains, only what the scene shows: the kinds drawn, then the
// marks used (junctions, SPOFs, failure states).
func legendItems(sc *Scene) []legendItem {
	var kinds [len(kindStyles)]bool
	var group, spof bool
	var states [Held + 1]bool
	for i := range sc.Nodes {
		n := &sc.Nodes[i]
		if n.Type == GroupNode {
			group = true
		} else {
			kinds[n.Kind] = true
		}
		spof = spof || n.SPOF
		states[n.State] = true
	}
	var items []legendItem
	for _, k := range model.Kinds {
		if kinds[k] {
			items = append(items, legendItem{label: kindStyles[k].name, fill: kindStyles[k].fill, border: borderColor, text: textColor, width: 1, kind: true})
		}
	}
	if group {
		items = append(items, legendItem{label: "any of / 2 of 3", fill: groupFill, border: groupColor, text: textColor, width: 1, dashed: true})
	}
	if spof {
		items = append(items, legendItem{label: "SPOF", fill: "#ffffff", border: spofColor, text: textColor, width: 2})
	}
	if states[Failed] {
		items = append(items, legendItem{label: "failed", fill: failedFill, border: borderColor, text: failedText, width: 1})
	}
	if states[Down] {
		items = append(items, legendItem{label: "down", fill: downFill, border: borderColor, text: textColor, width: 1})
	}
	if states[Held] {
		items = append(items, legendItem{label: "held (lost members)", fill: heldFill, border: heldBorder, text: textColor, width: 1})
	}
	return items
}
