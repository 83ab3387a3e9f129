package review

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/spofhq/spof/internal/model"
)

// fixesShown caps the recommendations.
const fixesShown = 5

// recommendationSection lists the measured fixes, the most risk removed first.
func recommendationSection(in *Input) []Section {
	sec := Section{ID: "recommendations", Title: "Recommendations"}
	if len(in.Fixes) == 0 {
		if in.Exposure == 0 {
			sec.Blocks = append(sec.Blocks, para(txt("No service has a single point of failure: nothing to recommend.")))
		} else {
			sec.Blocks = append(sec.Blocks, para(txt("No single added alternative removes a SPOF from a critical or high service.")))
		}
		return []Section{sec}
	}
	sec.Blocks = append(sec.Blocks, para(txt("Fixes ranked by the risk they remove, each measured by running the analysis again "+
		"on the inventory with the fix applied: an alternative that shares none of the original's dependencies is "+
		"added, and whatever needed the original then needs either. Risk is the exposure: the SPOFs of every "+
		"service, weighted by the service's tier (critical 8, high 4, medium 2, low 1); "+
		fmt.Sprintf("the platform's is %d now. Each fix is measured alone, against the inventory as it is.", in.Exposure))))
	t := &Table{Head: []string{"#", "fix", "effect", "services improved (SPOFs before → after)", "risk removed"},
		Numeric: []bool{true, false, false, false, true}}
	for i, f := range in.Fixes {
		action := in.fixAction(f)
		if len(f.Dependents) > 0 {
			action = append(action, txt("; then "))
			action = append(action, in.idSpans(f.Dependents, 4)...)
			action = append(action, txt(" "+plural(len(f.Dependents), "needs", "need")+" either"))
		}
		var improved []Span
		for j, c := range f.Changes {
			if j == 6 {
				improved = append(improved, txt(fmt.Sprintf(" and %d more", len(f.Changes)-j)))
				break
			}
			if j > 0 {
				improved = append(improved, txt(", "))
			}
			improved = append(improved, in.ref(c.Service), txt(fmt.Sprintf(" %d → %d", c.Before, c.After)))
		}
		t.Rows = append(t.Rows, []Cell{
			cell(txt(strconv.Itoa(i + 1))),
			cell(action...),
			cell(in.fixEffect(f)...),
			cell(improved...),
			cell(strong(num(f.Removed)), muted(" ("+percent(f.Removed, in.Exposure)+")")),
		})
	}
	sec.Blocks = append(sec.Blocks, Block{Table: t})
	var second []Fix
	for _, f := range in.ProviderFixes {
		if !slices.ContainsFunc(in.Fixes, func(g Fix) bool { return g.Target == f.Target }) {
			second = append(second, f)
		}
	}
	if len(second) > 0 {
		sec.Blocks = append(sec.Blocks, heading("Second providers"),
			para(txt("The same measure for a second provider next to each of the other providers that are SPOFs of critical or high services.")))
		pt := &Table{Head: []string{"fix", "effect", "risk removed"}, Numeric: []bool{false, false, true}}
		for _, f := range second {
			pt.Rows = append(pt.Rows, []Cell{cell(in.fixAction(f)...), cell(in.fixEffect(f)...),
				cell(strong(num(f.Removed)), muted(" ("+percent(f.Removed, in.Exposure)+")"))})
		}
		sec.Blocks = append(sec.Blocks, Block{Table: pt})
	}
	return []Section{sec}
}

// fixAction says what to do, in the words of the target's kind.
func (in *Input) fixAction(f Fix) []Span {
	e := &in.Inv.Entities[f.Target]
	x := in.ref(f.Target)
	switch e.Kind {
	case model.Provider:
		return []Span{txt("Add a second " + providerNoun(e.Type) + " next to "), x}
	case model.Number:
		return []Span{txt("Publish a backup number next to "), x, txt(", on another carrier and routed independently")}
	case model.Service:
		return []Span{txt("Give "), x, txt(" an independent standby")}
	case model.VM:
		return []Span{txt("Add a redundant VM next to "), x, txt(", on other infrastructure")}
	}
	h := []Span{txt("Add an independent alternative to "), x}
	if e.Type != "" {
		h = append(h, txt(" ("+oneLine(e.Type)+")"))
	}
	return h
}

// fixEffect says what the fix measurably changes: "removes 17 SPOFs from 1 critical service
// (support-line), which then has none".
func (in *Input) fixEffect(f Fix) []Span {
	var services []int32
	for _, c := range f.Changes {
		services = append(services, c.Service)
	}
	bt := splitByTier(in.Inv, services)
	h := []Span{txt(fmt.Sprintf("removes %s from %s", count(f.Pairs, "SPOF", "SPOFs"), bt.counts()))}
	if len(services) <= 3 {
		h = append(h, txt(" ("))
		h = append(h, in.idSpans(services, 3)...)
		h = append(h, txt(")"))
	}
	switch {
	case f.Freed == len(services) && f.Freed == 1:
		h = append(h, txt(", which then has none"))
	case f.Freed == len(services):
		h = append(h, txt(", which then have none"))
	case f.Freed > 0:
		h = append(h, txt(fmt.Sprintf(", %d of which then %s none", f.Freed, plural(f.Freed, "has", "have"))))
	}
	return h
}
