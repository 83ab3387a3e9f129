package render

import (
	"fmt"
	"io"
	"strings"

	"github.com/spofhq/spof/internal/model"
)

// mermaidShapes are the opening and closing brackets of each kind's node shape.
var mermaidShapes = [...][2]string{
	model.Provider:  {`[("`, `")]`}, // cylinder
	model.Service:   {`("`, `")`},   // rounded box
	model.Number:    {`>"`, `"]`},   // flag
	model.VM:        {`["`, `"]`},   // box
	model.Component: {`[["`, `"]]`}, // subroutine
}

// WriteMermaid writes sc as a Mermaid flowchart, which GitHub and GitLab render in Markdown. Node
// identifiers are generated (e12, g3), and labels are entity-escaped, so no inventory name can break
// the chart or inject markup.
func WriteMermaid(w io.Writer, sc *Scene) error {
	var b strings.Builder
	b.WriteString("flowchart LR\n")
	for _, k := range model.Kinds {
		st := kindStyles[k]
		fmt.Fprintf(&b, "  classDef %s fill:%s,stroke:#404040,color:%s\n", k, st.fill, defaultFont)
	}
	fmt.Fprintf(&b, "  classDef group fill:#ffffff,stroke:%s,stroke-dasharray:4 3,font-size:11px\n", groupColor)
	fmt.Fprintf(&b, "  classDef spof stroke:%s,stroke-width:3px\n", spofColor)
	fmt.Fprintf(&b, "  classDef failed fill:%s,color:%s\n", failedFill, failedFont)
	fmt.Fprintf(&b, "  classDef down fill:%s\n", downFill)
	if sc.Title != "" {
		fmt.Fprintf(&b, "  %%%% %s\n", strings.ReplaceAll(sc.Title, "\n", " "))
	}
	for i := range sc.Nodes {
		n := &sc.Nodes[i]
		if n.Group {
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
	for _, e := range sc.Edges {
		if e.Label != "" {
			fmt.Fprintf(&b, "  %s -->|%s| %s\n", e.From, mermaidEscape(e.Label), e.To)
		} else {
			fmt.Fprintf(&b, "  %s --> %s\n", e.From, e.To)
		}
	}
	for i := range sc.Nodes {
		n := &sc.Nodes[i]
		switch {
		case n.State == Failed:
			fmt.Fprintf(&b, "  class %s failed\n", n.Key)
		case n.State == Down:
			fmt.Fprintf(&b, "  class %s down\n", n.Key)
		}
		if n.SPOF {
			fmt.Fprintf(&b, "  class %s spof\n", n.Key)
		}
	}
	if !sc.NoLegend {
		writeMermaidLegend(&b, sc)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func writeMermaidLegend(b *strings.Builder, sc *Scene) {
	b.WriteString("  subgraph legend [\"Legend\"]\n    direction TB\n")
	for _, k := range model.Kinds {
		sh := mermaidShapes[k]
		fmt.Fprintf(b, "    legend_%s%s%s%s:::%s\n", k, sh[0], kindStyles[k].name, sh[1], k)
	}
	b.WriteString("    legend_group((\"any of / 2 of 3\")):::group\n")
	b.WriteString("    legend_spof(\"SPOF\"):::spof\n")
	if sc.Failure {
		b.WriteString("    legend_failed(\"failed\"):::failed\n    legend_down(\"down as a consequence\"):::down\n")
	}
	b.WriteString("  end\n")
}

// mermaidEscape replaces the characters Mermaid or its HTML labels would interpret with entity codes.
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
		case '\n', '\r':
			b.WriteByte(' ')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
