package diagram

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/spofhq/spof/internal/model"
)

// Mermaid's default limits, which GitHub and GitLab keep: a chart with more edges or text is not drawn.
const (
	MermaidMaxEdges = 500
	MermaidMaxText  = 50_000
)

// MermaidTooLargeError says a chart exceeds what Mermaid renders by default.
type MermaidTooLargeError struct{ Edges, Chars int }

func (e *MermaidTooLargeError) Error() string {
	return fmt.Sprintf("the Mermaid chart would have %d edges and %d characters; Mermaid (and GitHub, GitLab) draw at most %d edges and %d characters: draw part of the platform with --service ID (and --depth N), or use --format svg",
		e.Edges, e.Chars, MermaidMaxEdges, MermaidMaxText)
}

// mermaidShapes are the opening and closing brackets of each kind's node shape.
var mermaidShapes = [model.NumKinds][2]string{
	model.Provider:  {`[("`, `")]`}, // cylinder
	model.Service:   {`("`, `")`},   // rounded box
	model.Number:    {`>"`, `"]`},   // flag
	model.VM:        {`["`, `"]`},   // box
	model.Component: {`[["`, `"]]`}, // subroutine
}

// WriteMermaid writes sc as a Mermaid flowchart, which GitHub and GitLab render in Markdown. Node
// identifiers are generated (e12, g3, c40), and every text from the inventory is written with Mermaid's
// entity codes for the characters it would interpret, so no name can break the chart or inject markup
// or directives. It writes nothing and returns a *MermaidTooLargeError when the chart exceeds Mermaid's
// default limits.
func WriteMermaid(w io.Writer, sc *Scene) error {
	var b strings.Builder
	if sc.Title != "" {
		fmt.Fprintf(&b, "---\ntitle: %s\n---\n", yamlQuote(sc.Title))
	}
	if sc.TopDown {
		b.WriteString("flowchart TB\n")
	} else {
		b.WriteString("flowchart LR\n")
	}
	for _, k := range model.Kinds {
		fmt.Fprintf(&b, "  classDef %s fill:%s,stroke:%s,color:%s\n", k, kindStyles[k].fill, borderColor, textColor)
	}
	fmt.Fprintf(&b, "  classDef group fill:%s,stroke:%s,color:%s,font-size:11px\n", groupFill, groupColor, textColor)
	fmt.Fprintf(&b, "  classDef alternatives stroke-dasharray:4 3\n")
	fmt.Fprintf(&b, "  classDef spof stroke:%s,stroke-width:3px\n", spofColor)
	fmt.Fprintf(&b, "  classDef failed fill:%s,color:%s\n", failedFill, failedText)
	fmt.Fprintf(&b, "  classDef down fill:%s\n", downFill)
	fmt.Fprintf(&b, "  classDef held fill:%s,stroke:%s\n", heldFill, heldBorder)
	for i := range sc.Nodes {
		n := &sc.Nodes[i]
		if n.Type == GroupNode {
			fmt.Fprintf(&b, "  %s((\"%s\")):::group\n", n.Key, mermaidEscape(n.Label))
			continue
		}
		label := mermaidEscape(n.Label)
		if n.Sub != "" {
			label += "<br/><small>" + mermaidEscape(n.Sub) + "</small>"
		}
		sh := mermaidShapes[n.Kind]
		fmt.Fprintf(&b, "  %s%s%s%s:::%s\n", n.Key, sh[0], label, sh[1], n.Kind)
	}
	var down []string
	for i, e := range sc.Edges {
		arrow := "-->"
		if e.Alternative {
			arrow = "-.->"
		}
		from, to := sc.Nodes[e.From].Key, sc.Nodes[e.To].Key
		if e.Label != "" && sc.EdgeLabels {
			fmt.Fprintf(&b, "  %s %s|\"%s\"| %s\n", from, arrow, mermaidEscape(e.Label), to)
		} else {
			fmt.Fprintf(&b, "  %s %s %s\n", from, arrow, to)
		}
		if e.Down {
			down = append(down, fmt.Sprint(i))
		}
	}
	for i := range sc.Nodes {
		n := &sc.Nodes[i]
		var classes []string
		if n.Alternatives {
			classes = append(classes, "alternatives")
		}
		switch n.State {
		case Failed:
			classes = append(classes, "failed")
		case Down:
			classes = append(classes, "down")
		case Held:
			classes = append(classes, "held")
		}
		if n.SPOF {
			classes = append(classes, "spof")
		}
		for _, c := range classes {
			fmt.Fprintf(&b, "  class %s %s\n", n.Key, c)
		}
	}
	if len(down) > 0 {
		fmt.Fprintf(&b, "  linkStyle %s stroke:%s,stroke-width:2px\n", strings.Join(down, ","), downEdge)
	}
	edges := len(sc.Edges)
	if !sc.NoLegend {
		writeMermaidLegend(&b, sc)
		edges += len(legendItems(sc)) // the legend's invisible links count too
	}
	if chars := utf8.RuneCountInString(b.String()); edges > MermaidMaxEdges || chars > MermaidMaxText {
		return &MermaidTooLargeError{Edges: edges, Chars: chars}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// writeMermaidLegend adds the legend as a subgraph of unlinked nodes, one per kind and mark drawn.
func writeMermaidLegend(b *strings.Builder, sc *Scene) {
	title := "Legend"
	if len(sc.Failed) > 0 {
		title = "Legend: failure of " + strings.Join(sc.Failed, ", ")
	}
	fmt.Fprintf(b, "  subgraph legend [\"%s\"]\n    direction TB\n", mermaidEscape(title))
	items := legendItems(sc)
	for i, it := range items {
		key := fmt.Sprintf("legend%d", i)
		switch {
		case it.kind:
			k := kindOfLegend(it.label)
			sh := mermaidShapes[k]
			fmt.Fprintf(b, "    %s%s%s%s:::%s\n", key, sh[0], mermaidEscape(it.label), sh[1], k)
		case it.dashed:
			fmt.Fprintf(b, "    %s([\"%s\"]):::group\n    class %s alternatives\n", key, mermaidEscape(it.label), key)
		default:
			fmt.Fprintf(b, "    %s(\"%s\")\n    style %s fill:%s,stroke:%s,color:%s,stroke-width:%dpx\n", key, mermaidEscape(it.label), key, it.fill, it.border, it.text, it.width)
		}
	}
	// Invisible links stack the legend in one narrow column, and one from the end of the longest chain
	// of dependencies puts that column after the last one of the chart, where it disturbs nothing.
	for i := 1; i < len(items); i++ {
		fmt.Fprintf(b, "    legend%d ~~~ legend%d\n", i-1, i)
	}
	b.WriteString("  end\n")
	if last := deepestSink(sc); last >= 0 {
		fmt.Fprintf(b, "  %s ~~~ legend\n", sc.Nodes[last].Key)
	}
}

// deepestSink returns the node that ends a longest chain of edges (back edges of cycles ignored), or -1
// for an empty scene: a layered layout puts it in the last layer.
func deepestSink(sc *Scene) int {
	out := make([][]int, len(sc.Nodes))
	for _, e := range sc.Edges {
		out[e.From] = append(out[e.From], e.To)
	}
	height := make([]int, len(sc.Nodes)) // longest chain below a node, in edges; -1 while on the stack
	done := make([]bool, len(sc.Nodes))
	var visit func(n int) int
	visit = func(n int) int {
		if done[n] || height[n] < 0 {
			return max(height[n], 0)
		}
		height[n] = -1
		h := 0
		for _, m := range out[n] {
			h = max(h, visit(m)+1)
		}
		height[n], done[n] = h, true
		return h
	}
	best := -1
	for n := range sc.Nodes {
		if best < 0 || visit(n) > height[best] {
			best = n
		}
	}
	for best >= 0 && len(out[best]) > 0 {
		next := -1
		for _, m := range out[best] {
			if height[m] == height[best]-1 {
				next = m
				break
			}
		}
		if next < 0 {
			break
		}
		best = next
	}
	return best
}

func kindOfLegend(name string) model.Kind {
	for _, k := range model.Kinds {
		if kindStyles[k].name == name {
			return k
		}
	}
	return model.Component
}

// mermaidEscape writes s with Mermaid entity codes (#quot; #35; …) for every character Mermaid or the
// HTML of its labels would interpret: quotes and brackets, the # of entity codes themselves, the | of
// edge labels, the % of %%{directives}%%, the backtick of Markdown strings. Line breaks become spaces,
// carriage returns are dropped and other control characters become spaces.
func mermaidEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString("#quot;")
		case '<':
			b.WriteString("#lt;")
		case '>':
			b.WriteString("#gt;")
		case '&':
			b.WriteString("#amp;")
		case '#':
			b.WriteString("#35;")
		case '|':
			b.WriteString("#124;")
		case '%':
			b.WriteString("#37;")
		case '`':
			b.WriteString("#96;")
		case '\n':
			b.WriteByte(' ')
		case '\r':
		default:
			b.WriteRune(printable(r))
		}
	}
	return b.String()
}

// yamlQuote returns s as a YAML double-quoted scalar for the chart's front matter, on one line, with %
// escaped too (Mermaid looks for %%{directives}%% anywhere in the text), and <, >, & in their full-width
// forms.
func yamlQuote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '<' || r == '>' || r == '&':
			// Mermaid sanitises the title as HTML and then shows it as text: a tag would vanish and &
			// would read &amp;. The full-width forms look the same.
			b.WriteRune(r - '!' + '！')
		case r == '%':
			b.WriteString(`\x25`) // no %%{directive}%% in a title
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
		default:
			b.WriteRune(printable(r))
		}
	}
	b.WriteByte('"')
	return b.String()
}
