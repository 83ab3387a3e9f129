package review

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"

	"github.com/spofhq/spof/internal/analysis"
	"github.com/spofhq/spof/internal/human"
	"github.com/spofhq/spof/internal/out/analyze"
	"github.com/spofhq/spof/internal/out/diagram"
	"github.com/spofhq/spof/internal/sorted"
)

// Limits of one service's section.
const (
	// diagramNodes is the most nodes a service's diagram has; a larger closure is drawn to fewer steps.
	diagramNodes = 40
	spofRows     = 25
	cutSetItems  = 10
	// falseRedundancyItems caps the false redundancies listed under a service.
	falseRedundancyItems = 10
)

// serviceSections gives each shown critical and high service its section, under an overview.
func serviceSections(in *Input) []Section {
	sec := Section{ID: "services", Title: "Critical and high services"}
	if len(in.Ranked) == 0 {
		sec.Blocks = append(sec.Blocks, para(txt("The inventory has no critical or high service.")))
		return []Section{sec}
	}
	sec.Blocks = append(sec.Blocks, para(txt("Each critical and high service, the most exposed first: its single points of failure "+
		"with the dependency path through which each takes it down, its tolerance (the fewest failures that take it down), "+
		fmt.Sprintf("its minimal cut sets of order 2 to %d, the false redundancy among what it depends on, ", in.Options.MaxOrder)+
		"and a diagram of what it depends on with the SPOFs outlined in red.")))
	t := &Table{Head: []string{"service", "name", "tier", "SPOFs", "tolerance", "owner"}, Numeric: []bool{false, false, false, true, true, false}}
	for i, s := range in.Shown {
		e := &in.Inv.Entities[s]
		d := in.Details[i]
		owner := txt(oneLine(e.Owner))
		if e.Owner == "" {
			owner = muted("none")
		}
		t.Rows = append(t.Rows, []Cell{cell(in.ref(s)), cell(txt(oneLine(e.Name))), cell(badge(e.Tier)),
			cell(txt(num(len(d.SPOFs)))), cell(txt(toleranceShort(d.Tolerance, in.Options.MaxOrder))), cell(owner)})
	}
	sec.Blocks = append(sec.Blocks, Block{Table: t})
	sec.Blocks = append(sec.Blocks, legend())
	if n := len(in.Ranked) - len(in.Shown); n > 0 {
		sec.Blocks = append(sec.Blocks, note(txt(fmt.Sprintf("%s not detailed here (the %d most exposed are; see --max-services).",
			count(n, "more critical or high service is", "more critical or high services are"), len(in.Shown)))))
	}
	for i, s := range in.Shown {
		sec.Subs = append(sec.Subs, in.serviceSection(s, in.Details[i]))
	}
	return []Section{sec}
}

// legend explains the diagrams once for all of them.
func legend() Block {
	sw := func(class, text string) Span { return Span{Kind: Swatch, Text: text, Class: class} }
	return Block{Para: &Para{Class: "legend", Spans: []Span{
		strong("In the diagrams,"), txt(" each kind has its shape and colour: "),
		sw("kind-service", "service"), txt(", "), sw("kind-provider", "provider"), txt(", "),
		sw("kind-number", "phone number"), txt(", "), sw("kind-vm", "VM"), txt(", "),
		sw("kind-component", "component"), txt("; a dashed junction "), sw("group", "any of / 2 of 3"),
		txt(" is a redundancy group; "), sw("spof", "SPOFs"), txt(" are outlined in red. Arrows go from what depends to what it needs."),
	}}}
}

func toleranceShort(t *int, maxOrder int) string {
	if t == nil {
		return fmt.Sprintf("> %d", maxOrder)
	}
	return strconv.Itoa(*t)
}

func (in *Input) serviceSection(s int32, d analyze.Service) Section {
	e := &in.Inv.Entities[s]
	sec := Section{ID: in.anchors[s], Title: e.ID, Tier: tierOf(in.Inv, s)}
	if e.Name != "" && e.Name != e.ID {
		sec.Detail = oneLine(e.Name)
	}
	var lead []Span
	add := func(spans ...Span) {
		if len(lead) > 0 {
			lead = append(lead, txt(" · "))
		}
		lead = append(lead, spans...)
	}
	if e.Owner != "" {
		add(txt("owner: "), strong(oneLine(e.Owner)))
	} else {
		add(txt("no owner"))
	}
	if e.CustomerFacing {
		add(txt("customer-facing"))
	}
	if e.Description != "" {
		add(muted(oneLine(e.Description)))
	}
	sec.Blocks = append(sec.Blocks, Block{Para: &Para{Spans: lead, Class: "lead"}})
	if h, ok := in.hubOf(s); ok {
		sec.Blocks = append(sec.Blocks, in.hubLine(h))
	}
	sec.Blocks = append(sec.Blocks, para(strong("Tolerance: "), txt(toleranceText(d.Tolerance, in.Options.MaxOrder))))
	if _, ok := in.avail[s]; ok {
		sec.Blocks = append(sec.Blocks, in.availabilityLine(s))
	}
	sec.Blocks = append(sec.Blocks, in.describe(s, d, true)...)
	return sec
}

// describe says what x depends on that can take it down: its own SPOFs with their paths, those it
// inherits through shared dependencies (named, and linked to where they are described), its own cut
// sets and false redundancy, and a diagram that stops at the shared dependencies.
func (in *Input) describe(x int32, d analyze.Service, service bool) []Block {
	var blocks []Block
	id := in.Inv.ID(x)
	hubs := in.hubsOf(x)
	inherited := in.inherited(hubs)
	var own []analyze.SPOF
	for _, p := range d.SPOFs {
		if y, _ := in.Inv.Lookup(p.ID); !sorted.Contains(inherited, y) {
			own = append(own, p)
		}
	}
	what := "the service"
	if !service {
		what = id
	}
	switch {
	case len(d.SPOFs) == 0:
		blocks = append(blocks, para(strong("No single point of failure.")))
	case len(own) == 0:
		blocks = append(blocks, para(strong(count(len(d.SPOFs), "single point of failure", "single points of failure")),
			txt(", all through shared dependencies:")))
	default:
		how := ", with the path through which its failure takes " + what + " down:"
		if len(own) > 1 {
			how = ", each with the path through which its failure takes " + what + " down, " +
				"those that take down the most elsewhere first:"
		}
		lead := []Span{strong(count(len(d.SPOFs), "single point of failure", "single points of failure"))}
		if len(own) < len(d.SPOFs) {
			lead = append(lead, txt(fmt.Sprintf("; %d of its own", len(own))))
		}
		blocks = append(blocks, para(append(lead, txt(how))...))
		t := &Table{Head: []string{"SPOF", "what", "dependency path from " + id}}
		// The SPOFs that take down the most elsewhere come first: they are the shared weak points.
		slices.SortStableFunc(own, func(a, b analyze.SPOF) int {
			xa, _ := in.Inv.Lookup(a.ID)
			xb, _ := in.Inv.Lookup(b.ID)
			return cmp.Compare(in.weight[xb], in.weight[xa])
		})
		for _, p := range own[:min(len(own), spofRows)] {
			y, _ := in.Inv.Lookup(p.ID)
			var path []Span
			for i, e := range in.subPath(x, y)[1:] { // the path starts at x itself
				if i > 0 {
					path = append(path, txt(" → "))
				}
				path = append(path, in.refID(in.sub.Inv.ID(e)))
			}
			t.Rows = append(t.Rows, []Cell{cell(in.ref(y)), cell(txt(kindNoun(&in.Inv.Entities[y]))), cell(path...)})
		}
		blocks = append(blocks, Block{Table: t})
		blocks = append(blocks, more(spofRows, len(own), "SPOFs")...)
	}
	if len(hubs) > 0 {
		l := &List{}
		for _, h := range hubs {
			brought := sorted.Insert(slices.Clone(in.Res.SPOFs(h)), h)
			item := []Span{txt(fmt.Sprintf("%s through ", count(len(brought), "SPOF", "SPOFs"))), in.ref(h), txt(": ")}
			item = append(item, in.idSpans(brought, 6)...)
			l.Items = append(l.Items, item)
		}
		blocks = append(blocks, Block{Para: &Para{Class: "shared", Spans: []Span{strong("Through shared dependencies"),
			txt(" (described once, in their own sections):")}}}, Block{List: l})
	}
	blocks = append(blocks, in.cutSetBlocks(x, hubs)...)
	if frs := in.ownFindings(x, hubs); len(frs) > 0 {
		l := &List{}
		for _, f := range frs[:min(len(frs), falseRedundancyItems)] {
			item := in.groupSpans(f)
			item[0].Text = "The" + item[0].Text[len("the"):]
			item = append(item, txt(" falls with "))
			item = append(item, in.idSpans(f.Related, 5)...)
			l.Items = append(l.Items, append(item, txt(".")))
		}
		blocks = append(blocks, para(strong("False redundancy"), txt(" among what it depends on:")), Block{List: l})
		blocks = append(blocks, more(falseRedundancyItems, len(frs), "false redundancies")...)
	}
	if fig := in.figure(x, hubs); fig != nil {
		blocks = append(blocks, Block{Figure: fig})
	}
	return blocks
}

func toleranceText(t *int, maxOrder int) string {
	switch {
	case t == nil:
		return fmt.Sprintf("more than %d — no set of %d or fewer failures takes it down.", maxOrder, maxOrder)
	case *t == 1:
		return "1 — a single failure can take it down."
	}
	return fmt.Sprintf("%d — it survives any %s; %d failures together can take it down.", *t,
		human.Plural(*t-1, "single failure", fmt.Sprintf("%d failures", *t-1)), *t)
}

// cutSetBlocks lists the minimal cut sets of order 2 and more of x that are its own, the most likely
// first, with the probability that all their members are down at once.
func (in *Input) cutSetBlocks(x int32, hubs []int32) []Block {
	top, n, more := in.ownCutSets(x, hubs, cutSetItems)
	if n == 0 {
		return nil
	}
	total := num(n)
	if more {
		total = "more than " + total
	}
	of := ""
	if len(hubs) > 0 {
		of = ", besides those of its shared dependencies"
	}
	id := in.Inv.ID(x)
	t := &Table{Head: []string{"cut set", "probability all down at once", "expected min/year"}, Numeric: []bool{false, true, true}}
	for _, c := range top {
		item := []Span{txt("{")}
		for i, y := range c.Set {
			if i > 0 {
				item = append(item, txt(", "))
			}
			item = append(item, in.ref(y))
		}
		item = append(item, txt("}"))
		t.Rows = append(t.Rows, []Cell{cell(item...), cell(txt(analyze.FormatProbability(c.Probability))),
			cell(txt(human.Minutes(c.Probability * minutesPerYear)))})
	}
	lead := fmt.Sprintf(" (%s%s): sets of entities whose joint failure takes %s down, the most likely first — "+
		"the probability that all the members are down at once, from their own availabilities, failing independently.", total, of, id)
	blocks := []Block{para(strong(fmt.Sprintf("Minimal cut sets of order 2 to %d", in.Options.MaxOrder)), txt(lead)), {Table: t}}
	if more {
		blocks = append(blocks, note(txt(fmt.Sprintf("Ranked among the first %s in size order: the family has more (spof analyze PATH --service %s --max-cut-sets 0 ranks them all).", num(n), id))))
	} else if n > len(top) {
		blocks = append(blocks, note(txt(fmt.Sprintf("… and %d less likely; spof analyze PATH --service %s lists them.", n-len(top), id))))
	}
	return blocks
}

// figure draws what x depends on, stopping at its shared dependencies (drawn, but not what they
// depend on: their sections draw it). A drawing must fit the page without shrinking its labels, so
// the figure carries variants, in order of preference — everything left to right, top to bottom, with
// the VMs of each host as one node, then fewer steps — and the HTML writer keeps the first that fits
// (see RenderDiagrams). The Markdown form, which GitHub lays out itself, draws the first variant with
// at most diagramNodes nodes.
func (in *Input) figure(x int32, hubs []int32) *Figure {
	id := in.Inv.ID(x)
	var stopped []Span
	if len(hubs) > 0 {
		stopped = append(stopped, txt("; "))
		stopped = append(stopped, in.idSpans(hubs, 6)...)
		stopped = append(stopped, txt(" "+human.Plural(len(hubs), "is", "are")+" drawn without what "+human.Plural(len(hubs), "it depends", "they depend")+" on (see "+human.Plural(len(hubs), "its section", "their sections")+")"))
	}
	full := closureSize(in.Res, x)
	caption := func(depth int, collapsed bool) []Span {
		c := []Span{code(id)}
		if depth == 0 {
			c = append(c, txt(" and everything it depends on"))
		} else {
			c = append(c, txt(fmt.Sprintf(" and what it depends on, up to %d %s away (it depends on %d entities in all)",
				depth, human.Plural(depth, "step", "steps"), full-1)))
		}
		c = append(c, stopped...)
		if collapsed {
			c = append(c, txt("; VMs with the same host drawn as one node"))
		}
		return append(c, txt("; SPOFs outlined in red."))
	}
	o := diagram.Options{Services: []int32{x}, Stop: hubs}
	depth := 0 // 0: everything
	sc, err := diagram.NewScene(in.Res, o)
	if err != nil || len(sc.Nodes) > diagramNodes {
		// The most steps that keep the drawing readable.
		sc = nil
		for d := 1; ; d++ {
			o.Depth = d
			next, err := diagram.NewScene(in.Res, o)
			if err != nil || (len(next.Nodes) > diagramNodes && sc != nil) {
				break
			}
			sc, depth = next, d
			if len(next.Nodes) > diagramNodes {
				break
			}
		}
		if sc == nil {
			return nil
		}
	}
	fig := &Figure{}
	add := func(o diagram.Options, depth int) {
		sc, err := diagram.NewScene(in.Res, o)
		if err != nil {
			return
		}
		for _, topDown := range []bool{false, true} {
			v := *sc
			v.NoLegend, v.TopDown, v.EdgeIDs = true, topDown, true
			fig.Variants = append(fig.Variants, Variant{Scene: &v, Caption: caption(depth, o.Collapse)})
		}
	}
	o.Depth = depth
	add(o, depth)
	o.Collapse = true
	add(o, depth)
	for d := depth - 1; d >= 1; d-- {
		if depth == 0 {
			break
		}
		o.Depth = d
		add(o, d)
	}
	if depth == 0 {
		// Everything fitted in diagramNodes; fewer steps are the last resort.
		for d := maxDepth(in.Res, x, hubs) - 1; d >= 1; d-- {
			o.Depth = d
			add(o, d)
		}
	}
	if len(fig.Variants) == 0 {
		return nil
	}
	fig.Scene, fig.Caption = fig.Variants[0].Scene, fig.Variants[0].Caption
	return fig
}

// maxDepth is the number of steps from x to the farthest entity it depends on, not going past stop.
func maxDepth(res *analysis.Result, x int32, stop []int32) int {
	seen := map[int32]bool{x: true}
	frontier := []int32{x}
	d := 0
	for len(frontier) > 0 {
		var next []int32
		for _, e := range frontier {
			if e != x && slices.Contains(stop, e) {
				continue
			}
			for _, y := range res.Deps(e) {
				if !seen[y] {
					seen[y] = true
					next = append(next, y)
				}
			}
		}
		if len(next) == 0 {
			break
		}
		d++
		frontier = next
	}
	return d
}

func closureSize(res *analysis.Result, s int32) int {
	n := 0
	for _, in := range res.Closure([]int32{s}) {
		if in {
			n++
		}
	}
	return n
}

// subPath returns the path from x to its SPOF y (indexes of Inv) in in.sub, which described x: a
// path in indexes of in.sub.Inv.
func (in *Input) subPath(x, y int32) []int32 {
	sx, _ := in.sub.Inv.Lookup(in.Inv.ID(x))
	sy, _ := in.sub.Inv.Lookup(in.Inv.ID(y))
	return in.sub.Path(sx, sy)
}
