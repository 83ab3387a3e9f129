package render

import (
	"fmt"
	"io"
	"strings"
)

// WriteDOT writes sc as a Graphviz digraph, laid out left to right from services to what they need.
func WriteDOT(w io.Writer, sc *Scene) error {
	var b strings.Builder
	b.WriteString("digraph spof {\n")
	b.WriteString("  graph [rankdir=LR, nodesep=0.25, ranksep=0.6, fontname=\"Helvetica,Arial,sans-serif\", fontsize=12")
	if sc.Title != "" {
		fmt.Fprintf(&b, ", label=%s, labelloc=t, fontsize=16", dotQuote(sc.Title))
	}
	b.WriteString("];\n")
	b.WriteString("  node [fontname=\"Helvetica,Arial,sans-serif\", fontsize=11, style=filled, color=\"#404040\", penwidth=1];\n")
	fmt.Fprintf(&b, "  edge [fontname=\"Helvetica,Arial,sans-serif\", fontsize=9, color=%q, fontcolor=\"#595959\", arrowsize=0.7];\n", edgeColor)
	for i := range sc.Nodes {
		writeDOTNode(&b, &sc.Nodes[i])
	}
	for _, e := range sc.Edges {
		fmt.Fprintf(&b, "  %s -> %s", e.From, e.To)
		if e.Label != "" {
			fmt.Fprintf(&b, " [label=%s]", dotQuote(e.Label))
		}
		b.WriteString(";\n")
	}
	if !sc.NoLegend {
		writeDOTLegend(&b, sc)
	}
	b.WriteString("}\n")
	_, err := io.WriteString(w, b.String())
	return err
}

func writeDOTNode(b *strings.Builder, n *Node) {
	label := n.Label
	if n.Sub != "" {
		label += "\n" + n.Sub
	}
	if n.Group {
		fmt.Fprintf(b, "  %s [label=%s, shape=ellipse, style=\"dashed,filled\", fillcolor=%q, color=%q, fontsize=9, height=0.3, margin=\"0.04,0.02\"];\n",
			n.Key, dotQuote(label), n.fill(), groupColor)
		return
	}
	st := kindStyles[n.Kind]
	style := "filled"
	if st.shape == "box" {
		style = "rounded,filled"
	}
	fmt.Fprintf(b, "  %s [id=%s, label=%s, shape=%s, style=%q, fillcolor=%q", n.Key, dotQuote("entity-"+n.ID), dotQuote(label), st.shape, style, n.fill())
	if n.State == Failed {
		fmt.Fprintf(b, ", fontcolor=%q", failedFont)
	}
	if n.SPOF {
		fmt.Fprintf(b, ", color=%q, penwidth=2.5", spofColor)
	}
	b.WriteString("];\n")
}

func writeDOTLegend(b *strings.Builder, sc *Scene) {
	b.WriteString("  subgraph cluster_legend {\n    label=\"Legend\"; fontsize=11; style=\"rounded\"; color=\"#bfbfbf\";\n")
	prev := ""
	for i, st := range kindStyles {
		style := "filled"
		if st.shape == "box" {
			style = "rounded,filled"
		}
		key := fmt.Sprintf("legend_%d", i)
		fmt.Fprintf(b, "    %s [label=%q, shape=%s, style=%q, fillcolor=%q, fontsize=9];\n", key, st.name, st.shape, style, st.fill)
		if prev != "" {
			fmt.Fprintf(b, "    %s -> %s [style=invis];\n", prev, key)
		}
		prev = key
	}
	extra := []string{
		fmt.Sprintf("legend_group [label=\"any of / 2 of 3\", shape=ellipse, style=\"dashed,filled\", fillcolor=\"#ffffff\", color=%q, fontsize=9]", groupColor),
		fmt.Sprintf("legend_spof [label=\"SPOF\", shape=box, style=\"rounded,filled\", fillcolor=\"#ffffff\", color=%q, penwidth=2.5, fontsize=9]", spofColor),
	}
	if sc.Failure {
		extra = append(extra,
			fmt.Sprintf("legend_failed [label=\"failed\", shape=box, style=\"rounded,filled\", fillcolor=%q, fontcolor=%q, fontsize=9]", failedFill, failedFont),
			fmt.Sprintf("legend_down [label=\"down as a consequence\", shape=box, style=\"rounded,filled\", fillcolor=%q, fontsize=9]", downFill))
	}
	for _, e := range extra {
		key := e[:strings.IndexByte(e, ' ')]
		fmt.Fprintf(b, "    %s;\n    %s -> %s [style=invis];\n", e, prev, key)
		prev = key
	}
	b.WriteString("  }\n")
}

// dotQuote returns s as a DOT double-quoted string. Backslashes are doubled so that graphviz escapes
// such as \N or \l in a name stay literal; a newline becomes a centred line break.
func dotQuote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
