package review

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"

	"github.com/spofhq/spof/internal/analysis"
	"github.com/spofhq/spof/internal/out/analyze"
	"github.com/spofhq/spof/internal/out/diagram"
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
		sec.Subs = append(sec.Subs, in.serviceSection(s, in.Details[i], in.FalseRedundancy[i]))
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

func (in *Input) serviceSection(s int32, d analyze.Service, frs []analysis.Finding) Section {
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
	sec.Blocks = append(sec.Blocks, para(strong("Tolerance: "), txt(toleranceText(d.Tolerance, in.Options.MaxOrder))))
	if _, ok := in.avail[s]; ok {
		sec.Blocks = append(sec.Blocks, in.availabilityLine(s))
	}

	if len(d.SPOFs) == 0 {
		sec.Blocks = append(sec.Blocks, para(strong("No single point of failure.")))
	} else {
		how := ", with the path through which its failure takes the service down:"
		if len(d.SPOFs) > 1 {
			how = ", each with the path through which its failure takes the service down, " +
				"those that take down the most elsewhere first:"
		}
		sec.Blocks = append(sec.Blocks, para(strong(count(len(d.SPOFs), "single point of failure", "single points of failure")), txt(how)))
		t := &Table{Head: []string{"SPOF", "what", "dependency path from " + e.ID}}
		// The SPOFs that take down the most elsewhere come first: they are the shared weak points.
		spofs := slices.Clone(d.SPOFs)
		slices.SortStableFunc(spofs, func(a, b analyze.SPOF) int {
			xa, _ := in.Inv.Lookup(a.ID)
			xb, _ := in.Inv.Lookup(b.ID)
			return cmp.Compare(in.weight[xb], in.weight[xa])
		})
		for _, p := range spofs[:min(len(spofs), spofRows)] {
			x, _ := in.Inv.Lookup(p.ID)
			var path []Span
			for i, id := range p.Path[1:] { // the path starts at the service itself
				if i > 0 {
					path = append(path, txt(" → "))
				}
				path = append(path, in.refID(id))
			}
			t.Rows = append(t.Rows, []Cell{cell(in.ref(x)), cell(txt(kindNoun(&in.Inv.Entities[x]))), cell(path...)})
		}
		sec.Blocks = append(sec.Blocks, Block{Table: t})
		sec.Blocks = append(sec.Blocks, more(spofRows, len(d.SPOFs), "SPOFs")...)
	}
	sec.Blocks = append(sec.Blocks, in.cutSetBlocks(d)...)
	if len(frs) > 0 {
		l := &List{}
		for _, f := range frs[:min(len(frs), falseRedundancyItems)] {
			item := in.groupSpans(f)
			item[0].Text = "The" + item[0].Text[len("the"):]
			item = append(item, txt(" falls with "))
			item = append(item, in.idSpans(f.Related, 5)...)
			l.Items = append(l.Items, append(item, txt(".")))
		}
		sec.Blocks = append(sec.Blocks, para(strong("False redundancy"), txt(" among what it depends on:")), Block{List: l})
		sec.Blocks = append(sec.Blocks, more(falseRedundancyItems, len(frs), "false redundancies")...)
	}
	if fig := in.serviceFigure(s); fig != nil {
		sec.Blocks = append(sec.Blocks, Block{Figure: fig})
	}
	return sec
}

func toleranceText(t *int, maxOrder int) string {
	switch {
	case t == nil:
		return fmt.Sprintf("more than %d — no set of %d or fewer failures takes it down.", maxOrder, maxOrder)
	case *t == 1:
		return "1 — a single failure can take it down."
	}
	return fmt.Sprintf("%d — it survives any %s; %d failures together can take it down.", *t,
		plural(*t-1, "single failure", fmt.Sprintf("%d failures", *t-1)), *t)
}

// cutSetBlocks lists the minimal cut sets of order 2 and more.
func (in *Input) cutSetBlocks(d analyze.Service) []Block {
	var larger [][]string
	for _, c := range d.CutSets {
		if len(c) > 1 {
			larger = append(larger, c)
		}
	}
	if len(larger) == 0 {
		return nil
	}
	total := num(len(larger))
	if d.CutSetsTruncated {
		total = "more than " + total
	}
	l := &List{}
	for _, c := range larger[:min(len(larger), cutSetItems)] {
		item := []Span{txt("{")}
		for i, id := range c {
			if i > 0 {
				item = append(item, txt(", "))
			}
			item = append(item, in.refID(id))
		}
		l.Items = append(l.Items, append(item, txt("}")))
	}
	blocks := []Block{para(strong(fmt.Sprintf("Minimal cut sets of order 2 to %d", in.Options.MaxOrder)),
		txt(fmt.Sprintf(" (%s): sets of entities whose joint failure takes the service down.", total))), {List: l}}
	if len(larger) > cutSetItems {
		blocks = append(blocks, note(txt(fmt.Sprintf("… and %d more; spof analyze PATH --service %s lists them.", len(larger)-cutSetItems, d.ID))))
	}
	return blocks
}

// serviceFigure draws what service s depends on, to the most steps that keep the drawing readable.
func (in *Input) serviceFigure(s int32) *Figure {
	id := in.Inv.ID(s)
	sc, err := diagram.NewScene(in.Res, diagram.Options{Services: []int32{s}})
	if err != nil || len(sc.Nodes) > diagramNodes {
		full := closureSize(in.Res, s)
		var best *diagram.Scene
		depth := 0
		for d := 1; ; d++ {
			next, err := diagram.NewScene(in.Res, diagram.Options{Services: []int32{s}, Depth: d})
			if err != nil || (len(next.Nodes) > diagramNodes && best != nil) {
				break
			}
			best, depth = next, d
			if len(next.Nodes) > diagramNodes {
				break
			}
		}
		if best == nil {
			return nil
		}
		best.NoLegend = true
		return &Figure{Scene: best, Caption: []Span{code(id), txt(fmt.Sprintf(
			" and what it depends on, up to %d %s away (it depends on %d entities in all); SPOFs outlined in red.",
			depth, plural(depth, "step", "steps"), full-1))}}
	}
	sc.NoLegend = true
	return &Figure{Scene: sc, Caption: []Span{code(id), txt(" and everything it depends on; SPOFs outlined in red.")}}
}

func closureSize(res *analysis.Result, s int32) int {
	n := 0
	for _, in := range closure(res, []int32{s}) {
		if in {
			n++
		}
	}
	return n
}
