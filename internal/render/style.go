package render

import "github.com/spofhq/spof/internal/model"

// style is how one kind of node looks; both writers read the same table so the formats agree.
type style struct {
	shape string // DOT shape
	fill  string
	name  string // for the legend
}

var kindStyles = [...]style{
	model.Provider:  {shape: "tab", fill: "#fff2cc", name: "provider"},
	model.Service:   {shape: "box", fill: "#dbe9f6", name: "service"},
	model.Number:    {shape: "note", fill: "#e2f0d9", name: "phone number"},
	model.VM:        {shape: "box3d", fill: "#f2f2f2", name: "VM"},
	model.Component: {shape: "component", fill: "#ececf6", name: "component"},
}

// Colours of the highlights.
const (
	spofColor   = "#c00000"
	failedFill  = "#c00000"
	downFill    = "#f4cccc"
	groupColor  = "#555555"
	edgeColor   = "#7f7f7f"
	failedFont  = "#ffffff"
	defaultFont = "#1a1a1a"
)

func (n *Node) fill() string {
	switch n.State {
	case Failed:
		return failedFill
	case Down:
		return downFill
	}
	if n.Group {
		return "#ffffff"
	}
	return kindStyles[n.Kind].fill
}
