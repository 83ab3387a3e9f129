package review

import (
	"fmt"
	"strings"

	"github.com/spofhq/spof/internal/analysis"
	"github.com/spofhq/spof/internal/human"
	"github.com/spofhq/spof/internal/model"
)

// summarySection opens the report: headline numbers, headline risks in plain words, entities by kind
// and services by tier.
func summarySection(in *Input) []Section {
	inv, res := in.Inv, in.Res
	kinds := inv.CountByKind()
	var services, withSPOF [len(model.Tiers)]int
	for i := range inv.Entities {
		if e := &inv.Entities[i]; e.Kind == model.Service {
			services[e.Tier]++
			if res.NumSPOFs(int32(i)) > 0 {
				withSPOF[e.Tier]++
			}
		}
	}
	spofProviders := 0
	for _, p := range in.Providers {
		if p.Services.Count() > 0 {
			spofProviders++
		}
	}
	critHigh := services[model.Critical] + services[model.High]
	critHighSPOF := withSPOF[model.Critical] + withSPOF[model.High]
	falseRed := 0
	for _, f := range in.Findings {
		if f.Kind == analysis.FalseRedundancy {
			falseRed++
		}
	}

	sec := Section{ID: "summary", Title: "Summary"}
	sec.Blocks = append(sec.Blocks, Block{Stats: &Stats{Items: []Stat{
		{Value: num(inv.Len()), Label: human.Plural(inv.Len(), "entity", "entities")},
		{Value: num(critHighSPOF) + " / " + num(critHigh), Label: "critical and high services with a SPOF", Alert: critHighSPOF > 0},
		{Value: num(spofProviders) + " / " + num(kinds[model.Provider]), Label: "providers that are a SPOF", Alert: spofProviders > 0},
		{Value: num(falseRed), Label: human.Plural(falseRed, "redundancy", "redundancies") + " defeated by one entity", Alert: falseRed > 0},
	}}})
	if hs := headlines(in); len(hs) > 0 {
		sec.Blocks = append(sec.Blocks, heading("Headline risks"), Block{List: &List{Items: hs}})
	}
	// The first screen holds the risks and what to do about them: the meeting starts there.
	sec.Blocks = append(sec.Blocks, in.topFixes()...)

	kt := &Table{}
	kt.Rows = append(kt.Rows, nil)
	for _, k := range model.Kinds {
		kt.Head = append(kt.Head, k.Table())
		kt.Numeric = append(kt.Numeric, true)
		kt.Rows[0] = append(kt.Rows[0], cell(txt(num(kinds[k]))))
	}
	kt.Head = append(kt.Head, "total")
	kt.Numeric = append(kt.Numeric, true)
	kt.Rows[0] = append(kt.Rows[0], cell(strong(num(inv.Len()))))
	sec.Blocks = append(sec.Blocks, heading("Entities by kind"), Block{Table: kt})

	tt := &Table{Head: []string{"tier", "services", "with a SPOF", "share"}, Numeric: []bool{false, true, true, true}}
	for _, t := range model.Tiers {
		tt.Rows = append(tt.Rows, []Cell{
			cell(badge(t)),
			cell(txt(num(services[t]))),
			cell(txt(num(withSPOF[t]))),
			shareCell(withSPOF[t], services[t]),
		})
	}
	sec.Blocks = append(sec.Blocks, heading("Services by tier"), Block{Table: tt},
		note(txt("A SPOF (single point of failure) of a service is an entity whose failure alone takes the service down, "+
			"directly or through what depends on it.")))
	return []Section{sec}
}

// headlines are the risks a reader must see first, each one sentence computed from the analysis.
func headlines(in *Input) [][]Span {
	var out [][]Span
	// Two provider sentences at most, and no coverage sentence (a headline number says it): the
	// headlines and the top recommendations must fit the first screen.
	out = append(out, providerHeadlines(in, 2)...)
	if h := entityHeadline(in); h != nil {
		out = append(out, h)
	}
	if h := sloHeadline(in); h != nil {
		out = append(out, h)
	}
	if h := falseRedundancyHeadline(in); h != nil {
		out = append(out, h)
	}
	if h := numbersHeadline(in); h != nil {
		out = append(out, h)
	}
	return out
}

// providerHeadlines: "1 critical service (Ligne support client) and 1 high service (Ligne commerciale)
// depend on a single carrier: carrier-a." One sentence for the heaviest provider of each type (a
// second hosting provider seldom matters more than the only carrier), up to limit.
func providerHeadlines(in *Input, limit int) [][]Span {
	var out [][]Span
	seen := map[string]bool{}
	for _, p := range in.Providers {
		if len(out) == limit {
			break
		}
		if seen[strings.ToLower(p.Type)] {
			continue
		}
		crit, high := in.lookupAll(p.Services.Critical), in.lookupAll(p.Services.High)
		if len(crit)+len(high) == 0 {
			continue
		}
		var h []Span
		if len(crit) > 0 {
			h = append(h, in.servicesPhrase(crit, model.Critical)...)
			if len(high) > 0 {
				h = append(h, txt(" and "))
			}
		}
		if len(high) > 0 {
			h = append(h, in.servicesPhrase(high, model.High)...)
		}
		seen[strings.ToLower(p.Type)] = true
		x, _ := in.Inv.Lookup(p.ID)
		verb := "depend"
		if len(crit)+len(high) == 1 {
			verb = "depends"
		}
		h = append(h, txt(fmt.Sprintf(" %s on a single %s: ", verb, providerNoun(p.Type))), in.ref(x))
		if n := len(p.Services.Medium) + len(p.Services.Low); n > 0 {
			h = append(h, txt(fmt.Sprintf(" (and %s of lower tiers)", count(n, "service", "services"))))
		}
		out = append(out, append(h, txt(".")))
	}
	return out
}

// servicesPhrase reads "2 critical services (IP-PBX (Asterisk), Ligne support client)", naming up to
// three services by their names.
func (in *Input) servicesPhrase(xs []int32, t model.Tier) []Span {
	h := []Span{txt(fmt.Sprintf("%s %s %s (", num(len(xs)), t, human.Plural(len(xs), "service", "services")))}
	for i, x := range xs {
		if i == 3 {
			h = append(h, txt(", …"))
			break
		}
		if i > 0 {
			h = append(h, txt(", "))
		}
		s := Span{Kind: Text, Text: in.Inv.Entities[x].Label(), Href: in.anchor(x)}
		h = append(h, s)
	}
	return append(h, txt(")"))
}

func (in *Input) lookupAll(ids []string) []int32 {
	out := make([]int32, 0, len(ids))
	for _, id := range ids {
		if x, ok := in.Inv.Lookup(id); ok {
			out = append(out, x)
		}
	}
	return out
}

// entityHeadline names the entity other than a provider whose single failure takes down the most.
func entityHeadline(in *Input) []Span {
	for _, x := range in.impacts {
		if in.weight[x] == 0 {
			return nil
		}
		if in.Inv.Entities[x].Kind == model.Provider || in.down.Of(x, model.Critical)+in.down.Of(x, model.High) == 0 {
			continue
		}
		bt := splitByTier(in.Inv, in.Res.RadiusOf(x))
		return []Span{txt("A single failure of the " + kindNoun(&in.Inv.Entities[x]) + " "), in.ref(x),
			txt(" takes down " + bt.counts() + ".")}
	}
	return nil
}

// falseRedundancyHeadline counts redundancy that is not, with the example that matters most: the one
// in the most critical service's closure.
func falseRedundancyHeadline(in *Input) []Span {
	var frs []analysis.Finding
	for _, f := range in.Findings {
		if f.Kind == analysis.FalseRedundancy {
			frs = append(frs, f)
		}
	}
	if len(frs) == 0 {
		return nil
	}
	best := frs[0]
	bestW := -1
	for _, f := range frs {
		if w := in.weight[f.Related[0]]; w > bestW {
			best, bestW = f, w
		}
	}
	h := []Span{txt(fmt.Sprintf("%s not survive a single failure, e.g. ", count(len(frs), "redundant group does", "redundant groups do")))}
	h = append(h, in.groupSpans(best)...)
	h = append(h, txt(" falls with "))
	h = append(h, in.idSpans(best.Related, 3)...)
	return append(h, txt("."))
}

// groupSpans reads "the any_of [pbx-01, pbx-02] in runs_on of pbx".
func (in *Input) groupSpans(f analysis.Finding) []Span {
	h := []Span{txt("the " + analysis.GroupLabel(f.Group) + " [")}
	h = append(h, in.idSpans(f.Group.AppendEntities(nil), 4)...)
	h = append(h, txt("] in "+f.Key+" of "), in.ref(f.Entity))
	return h
}

func numbersHeadline(in *Input) []Span {
	nrs := in.Numbers
	if len(nrs) == 0 {
		return nil
	}
	var severe []int32
	for _, nr := range nrs {
		if nr.severe(in.Inv) {
			severe = append(severe, nr.Number)
		}
	}
	h := []Span{txt(fmt.Sprintf("%s on a single carrier", count(len(nrs), "published phone number depends", "published phone numbers depend")))}
	if len(severe) > 0 {
		h = append(h, txt(fmt.Sprintf("; for %d of them (", len(severe))))
		h = append(h, in.idSpans(severe, 3)...)
		h = append(h, txt(") the carrier's failure also takes down a critical or high service"))
	}
	return append(h, txt("."))
}

// shareCell shows part/total as a percentage, or a dash when there is nothing to share.
func shareCell(part, total int) Cell {
	if total == 0 {
		return cell(muted("–"))
	}
	return cell(txt(percent(part, total)))
}
