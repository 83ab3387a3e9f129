package diagram

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/spofhq/spof/internal/out"
)

// Writer writes a scene in one format; svg renders the DOT text with the renderer, nil when there is
// none.
type Writer func(w io.Writer, sc *Scene, svg Renderer) error

// Formats are the formats of spof diagram, dot first.
var Formats = out.Formats[Writer]{
	{Name: "dot", Doc: "Graphviz text", Write: func(w io.Writer, sc *Scene, _ Renderer) error { return WriteDOT(w, sc) }},
	{Name: "svg", Doc: "rendered by spof-render, no dot binary needed", Write: writeSVG},
	{Name: "mermaid", Doc: "a flowchart GitHub and GitLab render in Markdown", Write: func(w io.Writer, sc *Scene, _ Renderer) error { return WriteMermaid(w, sc) }},
}

// writeSVG writes the scene as DOT and renders it; without a renderer it returns ErrNoRenderer.
func writeSVG(w io.Writer, sc *Scene, svg Renderer) error {
	if svg == nil {
		return ErrNoRenderer
	}
	var dot bytes.Buffer
	if err := WriteDOT(&dot, sc); err != nil {
		return err
	}
	out, err := svg(dot.Bytes())
	if err != nil {
		return err
	}
	_, err = w.Write(out)
	return err
}

// WriteDOT writes sc as a Graphviz digraph, laid out left to right from services to what they need,
// with the legend below the drawing on the right. Entity nodes are named by their IDs; SVG renderings
// carry id="entity-ID" on each entity's group, id="group-N" on junctions and id="vms-ID" on collapsed
// VMs. Every text from the inventory is escaped, so no name can break the graph or the SVG.
func WriteDOT(w io.Writer, sc *Scene) error {
	var b strings.Builder
	b.WriteString("digraph spof {\n")
	dir := "LR"
	if sc.TopDown {
		dir = "TB"
	}
	fmt.Fprintf(&b, "  graph [rankdir=%s, nodesep=0.22, ranksep=0.4, pad=0.2, fontname=%q, fontsize=16", dir, fontFamily)
	if sc.Title != "" {
		fmt.Fprintf(&b, ", label=%s, labelloc=t", dotQuote(sc.Title))
	}
	b.WriteString("];\n")
	fmt.Fprintf(&b, "  node [fontname=%q, fontsize=11, fontcolor=%q, style=filled, margin=\"0.16,0.06\", penwidth=1];\n", fontFamily, textColor)
	fmt.Fprintf(&b, "  edge [fontname=%q, fontsize=9, color=%q, fontcolor=%q, arrowsize=0.6];\n", fontFamily, edgeColor, subColor)
	// Everything is drawn inside one borderless cluster whose label is the legend: Graphviz then puts
	// the legend in the bottom right corner, out of the way, and keeps the layout of the rest.
	b.WriteString("  subgraph cluster_drawing {\n")
	if sc.NoLegend {
		b.WriteString("    graph [pencolor=transparent, margin=4];\n")
	} else {
		fmt.Fprintf(&b, "    graph [label=<%s>, labelloc=b, labeljust=r, pencolor=transparent, fontsize=9, margin=4];\n", legendHTML(sc))
	}
	for i := range sc.Nodes {
		writeDOTNode(&b, &sc.Nodes[i])
	}
	for i, e := range sc.Edges {
		fmt.Fprintf(&b, "    %s -> %s", dotName(&sc.Nodes[e.From]), dotName(&sc.Nodes[e.To]))
		var attrs []string
		if sc.EdgeIDs {
			attrs = append(attrs, fmt.Sprintf("id=\"edge-%d\"", i))
		}
		switch {
		case e.Label == "":
		case sc.EdgeLabels:
			attrs = append(attrs, "label="+dotQuote(e.Label))
		default:
			attrs = append(attrs, "tooltip="+dotQuote(e.Label))
		}
		if e.Alternative {
			attrs = append(attrs, "style=dashed")
		}
		if e.Down {
			attrs = append(attrs, fmt.Sprintf("color=%q, fontcolor=%q, penwidth=1.6", downEdge, downEdge))
		}
		if len(attrs) > 0 {
			fmt.Fprintf(&b, " [%s]", strings.Join(attrs, ", "))
		}
		b.WriteString(";\n")
	}
	b.WriteString("  }\n}\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// dotName is the node's name in the graph: the entity ID (which needs no escaping: IDs match
// [a-z0-9][a-z0-9._-]*), or a name with a space, which no ID has, for the other nodes.
func dotName(n *Node) string {
	switch n.Type {
	case GroupNode:
		return `"group ` + n.Key[1:] + `"`
	case CollapsedNode:
		return `"vms ` + n.ID + `"`
	}
	return `"` + n.ID + `"`
}

func writeDOTNode(b *strings.Builder, n *Node) {
	color, width := n.border()
	fmt.Fprintf(b, "    %s [", dotName(n))
	switch n.Type {
	case GroupNode:
		style := "filled"
		if n.Alternatives {
			style = "filled,dashed"
		}
		fmt.Fprintf(b, "id=\"group-%s\", label=<<B>%s</B>>, shape=ellipse, style=%q, fontsize=9, height=0.28, margin=\"0.06,0.02\"", n.Key[1:], htmlText(n.Label), style)
	default:
		st := kindStyles[n.Kind]
		style := "filled"
		if st.shape == "box" {
			style = "rounded,filled"
		}
		id := "entity-" + n.ID
		if n.Type == CollapsedNode {
			id = "vms-" + n.ID
		}
		text, sub := textColor, subColor
		if n.State == Failed {
			text, sub = failedText, failedText
		}
		label := htmlText(wrap(n.Label, wrapWidth))
		if n.Sub != "" {
			label += fmt.Sprintf(`<BR/><FONT POINT-SIZE="9" COLOR="%s">%s</FONT>`, sub, htmlText(n.Sub))
		}
		fmt.Fprintf(b, "id=%q, label=<%s>, shape=%s, style=%q", id, label, st.shape, style)
		if text != textColor {
			fmt.Fprintf(b, ", fontcolor=%q", text)
		}
	}
	fmt.Fprintf(b, ", fillcolor=%q, color=%q", n.fill(), color)
	if width != 1 {
		fmt.Fprintf(b, ", penwidth=%g", width)
	}
	b.WriteString("];\n")
}

// wrapWidth is the longest line of a name, in characters, before it is wrapped: long names make wide
// columns, and a left-to-right drawing grows wider than any screen.
const wrapWidth = 24

// wrap breaks every line of s longer than width into as many lines as needed, of about equal length:
// "Cluster de virtualisation HostCo n°1" reads on two lines. Only a single space between two words
// becomes a line break, so joining the lines with spaces gives s back.
func wrap(s string, width int) string {
	lines := strings.Split(s, "\n")
	for i, line := range lines {
		lines[i] = wrapLine([]rune(line), width)
	}
	return strings.Join(lines, "\n")
}

func wrapLine(r []rune, width int) string {
	parts := (len(r) + width - 1) / width
	if parts <= 1 {
		return string(r)
	}
	var b strings.Builder
	from := 0
	for j := 1; j < parts; j++ {
		target := len(r) * j / parts
		best := -1
		for i := from + 1; i < len(r)-1; i++ {
			if breakable(r, i) && (best < 0 || abs(i-target) < abs(best-target)) {
				best = i
			}
		}
		if best < 0 {
			break
		}
		b.WriteString(string(r[from:best]))
		b.WriteByte('\n')
		from = best + 1
	}
	b.WriteString(string(r[from:]))
	return b.String()
}

// breakable reports whether the space at r[i] may become a line break: a single space, not just inside
// an opening bracket or quote nor just before a closing one or a punctuation mark (« hostile »).
func breakable(r []rune, i int) bool {
	return r[i] == ' ' && r[i-1] != ' ' && r[i+1] != ' ' &&
		!strings.ContainsRune("«([{“", r[i-1]) && !strings.ContainsRune("»)]}”:;!?,.", r[i+1])
}

func abs(x int) int { return max(x, -x) }

// legendHTML is the legend as a Graphviz HTML-like table: one cell per kind and mark drawn, coloured
// as in the drawing, and what failed when the drawing shows a failure.
func legendHTML(sc *Scene) string {
	var b strings.Builder
	b.WriteString(`<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="4" CELLPADDING="3"><TR>`)
	if len(sc.Failed) > 0 {
		fmt.Fprintf(&b, `<TD BORDER="0">failure of %s:</TD>`, htmlText(strings.Join(sc.Failed, ", ")))
	}
	for _, it := range legendItems(sc) {
		style := ""
		if it.dashed {
			style = ` STYLE="dashed"`
		}
		fmt.Fprintf(&b, `<TD BGCOLOR="%s" COLOR="%s" BORDER="%d"%s><FONT COLOR="%s">%s</FONT></TD>`, it.fill, it.border, it.width, style, it.text, htmlText(it.label))
	}
	b.WriteString(`</TR></TABLE>`)
	return b.String()
}

// htmlText escapes s for a Graphviz HTML-like label: markup characters become entities, backslashes are
// doubled, a line break becomes <BR/> (a carriage return is dropped), and characters XML cannot carry
// (controls) become spaces.
func htmlText(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '&':
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '"':
			b.WriteString("&quot;")
		case '\'':
			b.WriteString("&#39;")
		case '\\':
			b.WriteString(`\\`) // Graphviz expands \N, \G… in HTML labels too, after decoding entities
		case '\n':
			b.WriteString("<BR/>")
		case '\r':
		default:
			b.WriteRune(printable(r))
		}
	}
	return b.String()
}

// printable replaces a character that neither XML nor a label can show with a space.
func printable(r rune) rune {
	if r < 0x20 || (r >= 0x7f && r < 0xa0) || r == 0xfffe || r == 0xffff {
		return ' '
	}
	return r
}

// dotQuote returns s as a DOT double-quoted string that Graphviz shows exactly as s: backslashes are
// doubled so that escapes such as \N or \l stay literal, & becomes &amp; so that an entity-like name
// is not decoded, and a newline becomes a centred line break.
func dotQuote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '&':
			b.WriteString("&amp;")
		case '\n':
			b.WriteString(`\n`)
		case '\r':
		default:
			b.WriteRune(printable(r))
		}
	}
	b.WriteByte('"')
	return b.String()
}
