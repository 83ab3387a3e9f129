package review

import (
	"cmp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/spofhq/spof/internal/out/diagram"
)

// Rendering a drawing takes a Graphviz layout (about 0.1 s for a 40-node drawing), and a figure has
// up to a dozen variants: rather than render them all in turn, the variants are ordered by an estimate
// of their size, from the scene alone, and rendered in that order until one fits (maxRenders at
// most). The estimate lays nodes out in ranks by their distance from the roots and sizes them by
// their text, as Graphviz does with the report's fonts; it decides the order only, never the choice.

// maxRenders caps the variants of one figure actually rendered.
const maxRenders = 4

// Sizes in points of the report's drawings (diagram/dot.go): the width of a character of the 11 pt
// labels and of the 9 pt second lines, node padding and height, and the gaps between nodes and ranks.
const (
	charWidth    = 6.2
	subCharWidth = 5.1
	nodePadding  = 26
	lineHeight   = 14
	nodeBase     = 16
	nodeSep      = 16
	rankSep      = 29
	edgeLabel    = 44 // a labelled edge widens the gap between two ranks
)

// estimate returns the estimated width and height of sc's drawing, in points.
func estimate(sc *diagram.Scene) (w, h float64) {
	n := len(sc.Nodes)
	if n == 0 {
		return 0, 0
	}
	in := make([]int, n)
	out := make([][]int, n)
	for _, e := range sc.Edges {
		in[e.To]++
		out[e.From] = append(out[e.From], e.To)
	}
	// Ranks by the longest path from the roots, as Graphviz ranks them (Kahn's order; what a cycle
	// leaves unranked goes after its deepest predecessor seen).
	rank := make([]int, n)
	left := slices.Clone(in)
	var queue []int
	for i := range n {
		if in[i] == 0 {
			queue = append(queue, i)
		}
	}
	if len(queue) == 0 {
		queue = []int{0}
	}
	done := make([]bool, n)
	for len(queue) > 0 {
		x := queue[0]
		queue = queue[1:]
		if done[x] {
			continue
		}
		done[x] = true
		for _, y := range out[x] {
			rank[y] = max(rank[y], rank[x]+1)
			if left[y]--; left[y] == 0 {
				queue = append(queue, y)
			}
		}
		if len(queue) == 0 {
			for i := range n {
				if !done[i] {
					queue = append(queue, i)
					break
				}
			}
		}
	}
	ranks := 0
	for i := range rank {
		ranks = max(ranks, rank[i]+1)
	}
	type size struct{ w, h float64 }
	sizes := make([]size, n)
	for i := range sc.Nodes {
		nd := &sc.Nodes[i]
		lines := strings.Split(nd.Label, "\n")
		long := 0
		for _, l := range lines {
			long = max(long, min(utf8.RuneCountInString(l), 26))
		}
		if utf8.RuneCountInString(nd.Label) > 26 {
			lines = append(lines, "") // wrapped
		}
		sw := float64(utf8.RuneCountInString(nd.Sub)) * subCharWidth
		sizes[i] = size{max(float64(long)*charWidth, sw) + nodePadding, nodeBase + lineHeight*float64(len(lines))}
		if nd.Sub != "" {
			sizes[i].h += lineHeight - 2
		}
		if nd.Type == diagram.GroupNode {
			sizes[i] = size{60, 22}
		}
	}
	across := make([]float64, ranks) // the extent of a rank across the flow
	along := make([]float64, ranks)  // its extent along the flow
	count := make([]int, ranks)
	for i, r := range rank {
		s := sizes[i]
		if sc.TopDown {
			across[r] += s.w
			along[r] = max(along[r], s.h)
		} else {
			across[r] += s.h
			along[r] = max(along[r], s.w)
		}
		count[r]++
	}
	gap := float64(rankSep)
	if sc.EdgeLabels {
		gap += edgeLabel
	}
	var flow, wide float64
	for r := range ranks {
		flow += along[r]
		wide = max(wide, across[r]+nodeSep*float64(count[r]-1))
	}
	flow += gap * float64(ranks-1)
	if sc.TopDown {
		return wide + 20, flow + 20
	}
	return flow + 20, wide + 20
}

// fitOrder returns the indexes of the variants in the order to render them: in their order of
// preference, leaving out those clearly too large by the estimate (which can be off by a third), then
// those, the least shrunk first.
func fitOrder(vs []Variant) []int {
	type est struct {
		i     int
		scale float64
	}
	var likely, unlikely []est
	for i, v := range vs {
		w, h := estimate(v.Scene)
		e := est{i, min(1, fitWidth/max(w, 1), fitHeight/max(h, 1))}
		if e.scale >= 0.65 {
			likely = append(likely, e)
		} else {
			unlikely = append(unlikely, e)
		}
	}
	slices.SortStableFunc(unlikely, func(a, b est) int { return cmp.Compare(b.scale, a.scale) })
	var out []int
	for _, e := range append(likely, unlikely...) {
		out = append(out, e.i)
	}
	return out
}
