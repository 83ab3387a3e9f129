package review

import (
	"fmt"
	"strconv"

	"github.com/spofhq/spof/internal/human"
	"github.com/spofhq/spof/internal/model"
	"github.com/spofhq/spof/internal/out/analyze"
)

// providerSection answers "are we too dependent on one provider": each provider with the services for
// which it is a SPOF, by tier, ranked by tier-weighted count.
func providerSection(in *Input) []Section {
	sec := Section{ID: "providers", Title: "Provider concentration"}
	var ps []analyze.Provider
	for _, p := range in.Providers {
		if p.Services.Count() > 0 {
			ps = append(ps, p)
		}
	}
	if len(ps) == 0 {
		sec.Blocks = append(sec.Blocks, para(txt("No provider is a single point of failure of any service.")))
		return []Section{sec}
	}
	sec.Blocks = append(sec.Blocks, para(txt(fmt.Sprintf("%s of %d %s a single point of failure of at least one service. "+
		"Each row counts the services that provider's failure takes down on its own, by tier.",
		count(len(ps), "provider", "providers"), len(in.Providers), human.Plural(len(ps), "is", "are")))))
	t := &Table{Head: []string{"provider", "type", "critical", "high", "medium", "low", "critical and high services"},
		Numeric: []bool{false, false, true, true, true, true, false}}
	limitedTable(&sec, t, ps, in.Options.Top, "providers", func(p analyze.Provider) []Cell {
		x, _ := in.Inv.Lookup(p.ID)
		name := []Span{in.ref(x)}
		if p.Name != "" && p.Name != p.ID {
			name = append(name, txt(" "), muted(oneLine(p.Name)))
		}
		return append([]Cell{cell(name...), cell(txt(oneLine(p.Type)))}, in.tierCells(p.Services, 6)...)
	})
	return []Section{sec}
}

// tierCells are the columns of a ranking that count services by tier, then the critical and high
// services themselves (at most shown of them by ID).
func (in *Input) tierCells(bt analyze.ByTier, shown int) []Cell {
	ch := in.lookupAll(append(append([]string{}, bt.Critical...), bt.High...))
	return []Cell{
		countCell(len(bt.Critical)),
		countCell(len(bt.High)),
		countCell(len(bt.Medium)),
		countCell(len(bt.Low)),
		cell(in.idSpans(ch, shown)...),
	}
}

// countCell shows a count, or a dash for zero so that the non-zero counts stand out.
func countCell(n int) Cell {
	if n == 0 {
		return cell(muted("–"))
	}
	return cell(txt(num(n)))
}

// dependencySection is the critical-dependency ranking (issue 10): the entities whose single failure
// takes down the most, tier-weighted, one line each.
func dependencySection(in *Input) []Section {
	sec := Section{ID: "dependencies", Title: "Critical dependencies"}
	var ranked []int32
	for _, x := range in.impacts {
		if in.weight[x] > 0 {
			ranked = append(ranked, x)
		}
	}
	if len(ranked) == 0 {
		sec.Blocks = append(sec.Blocks, para(txt("No single failure takes a service down.")))
		return []Section{sec}
	}
	sec.Blocks = append(sec.Blocks, para(txt("The entities whose failure alone takes down the most services, weighted by tier "+
		"(critical 8, high 4, medium 2, low 1). Before a maintenance window, a contract renewal or a "+
		"decommissioning, start here; "), code("spof impact PATH ID"), txt(" lists everything that depends on one of them.")))
	t := &Table{Head: []string{"#", "entity", "what", "weight", "critical", "high", "medium", "low", "critical and high services down"},
		Numeric: []bool{true, false, false, true, true, true, true, true, false}}
	shown := ranked[:min(len(ranked), in.Options.Top)]
	for i, x := range shown {
		// A few rows: each radius alone, not every entity's list (n² together on a ring of n).
		im := analyze.NewImpact(in.Inv, x, in.weight[x], in.Res.RadiusOf(x))
		t.Rows = append(t.Rows, append([]Cell{
			cell(txt(strconv.Itoa(i + 1))),
			cell(in.ref(x)),
			cell(txt(kindNoun(&in.Inv.Entities[x]))),
			cell(strong(num(im.Weight))),
		}, in.tierCells(im.Down, 5)...))
	}
	sec.Blocks = append(sec.Blocks, Block{Table: t})
	sec.Blocks = append(sec.Blocks, more(len(shown), len(ranked), "entities that take a service down")...)
	return []Section{sec}
}

// tierOf returns the tier of a service, for badges.
func tierOf(inv *model.Inventory, x int32) *model.Tier {
	e := &inv.Entities[x]
	if e.Kind != model.Service {
		return nil
	}
	t := e.Tier
	return &t
}
