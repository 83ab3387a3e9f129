package review

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/spofhq/spof/internal/human"
	"github.com/spofhq/spof/internal/model"
)

// fixesShown caps the recommendations; topFixesShown those repeated on the first screen.
const (
	fixesShown    = 5
	topFixesShown = 3
)

// minutesPerYear converts an unavailability into expected downtime, as analyze does.
const minutesPerYear = 365 * 24 * 60

// recommendationSection lists the measured fixes, the most risk removed first, each with the TOML
// that makes it.
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
	sec.Blocks = append(sec.Blocks, para(txt("Fixes ranked by the risk they remove, each measured by applying it to the inventory "+
		"and running the analysis again: the TOML below each is exactly what was measured. Besides doubling a SPOF, spof looks "+
		"where a critical service is entered (a backup number on a carrier it does not use yet, answered by something that avoids "+
		"the number's SPOFs) and where it uses a SPOF (an existing alternative that shares none of its SPOFs). Risk is the exposure: "+
		"the SPOFs of every service, weighted by the service's tier (critical 8, high 4, medium 2, low 1); "+
		fmt.Sprintf("the platform's is %d now. Each fix is measured alone, against the inventory as it is; new entities are taken "+
			"to depend on nothing declared yet, at the availability written in their table.", in.Exposure))))
	t := &Table{Head: []string{"#", "fix", "effect", "risk removed"}, Numeric: []bool{true, false, false, true}}
	for i, f := range in.Fixes {
		t.Rows = append(t.Rows, []Cell{
			cell(Span{Kind: Text, Text: strconv.Itoa(i + 1), Href: "#" + fixID(i)}),
			cell(in.fixAction(f)...),
			cell(in.fixEffect(f)...),
			cell(strong(num(f.Removed)), muted(" ("+percent(f.Removed, in.Exposure)+")")),
		})
	}
	sec.Blocks = append(sec.Blocks, Block{Table: t})
	for i, f := range in.Fixes {
		sec.Subs = append(sec.Subs, in.fixSection(i, f))
	}
	var second []Fix
	for _, f := range in.ProviderFixes {
		if !slices.ContainsFunc(in.Fixes, func(g Fix) bool { return g.Kind == Double && g.Target == f.Target }) {
			second = append(second, f)
		}
	}
	if len(second) > 0 {
		sub := Section{ID: "second-providers", Title: "Second providers"}
		sub.Blocks = append(sub.Blocks, para(txt("The same measure for a second provider next to each of the other providers that are SPOFs of critical or high services.")))
		pt := &Table{Head: []string{"fix", "effect", "risk removed"}, Numeric: []bool{false, false, true}}
		for _, f := range second {
			pt.Rows = append(pt.Rows, []Cell{cell(in.fixAction(f)...), cell(in.fixEffect(f)...),
				cell(strong(num(f.Removed)), muted(" ("+percent(f.Removed, in.Exposure)+")"))})
		}
		sub.Blocks = append(sub.Blocks, Block{Table: pt})
		sec.Subs = append(sec.Subs, sub)
	}
	return []Section{sec}
}

func fixID(i int) string { return "fix-" + strconv.Itoa(i+1) }

// fixSection details one fix: what to do, what it removes, the availability gained, and the TOML.
func (in *Input) fixSection(i int, f Fix) Section {
	sec := Section{ID: fixID(i), Title: fmt.Sprintf("%d. %s", i+1, in.fixTitle(f))}
	action := in.fixAction(f)
	if len(f.Dependents) > 0 && f.Kind != Alternative {
		action = append(action, txt("; then "))
		action = append(action, in.idSpans(f.Dependents, 4)...)
		action = append(action, txt(" "+human.Plural(len(f.Dependents), "needs", "need")+" either"))
	}
	sec.Blocks = append(sec.Blocks, para(append(action, txt("."))...))
	sec.Blocks = append(sec.Blocks, para(append([]Span{strong("Effect: ")}, append(in.fixEffect(f), txt("."))...)...))
	l := &List{}
	for j, c := range f.Changes {
		if j == 6 {
			l.Items = append(l.Items, []Span{txt(fmt.Sprintf("… and %d more services", len(f.Changes)-j))})
			break
		}
		item := []Span{in.ref(c.Service), txt(" "), badge(in.Inv.Entities[c.Service].Tier),
			txt(fmt.Sprintf(" %d → %d SPOFs, without ", c.Before, c.After))}
		item = append(item, in.idSpans(c.Removed, 8)...)
		l.Items = append(l.Items, item)
	}
	sec.Blocks = append(sec.Blocks, Block{List: l})
	if len(f.Gains) > 0 {
		var spans []Span
		spans = append(spans, strong("Availability: "))
		for j, g := range f.Gains {
			if j > 0 {
				spans = append(spans, txt("; "))
			}
			spans = append(spans, in.ref(g.Service), txt(fmt.Sprintf(" %s → %s (%s → %s min/year expected downtime)",
				human.Percent(g.Before), human.Percent(g.After), human.Minutes((1-g.Before)*minutesPerYear), human.Minutes((1-g.After)*minutesPerYear))))
		}
		sec.Blocks = append(sec.Blocks, para(append(spans, txt("."))...))
	}
	sec.Blocks = append(sec.Blocks, heading("What to write in the inventory"), Block{Code: &CodeBlock{Lang: "toml", Text: f.Snippet}})
	return sec
}

// topFixes repeats the best recommendations on the first screen, each linked to its details.
func (in *Input) topFixes() []Block {
	if len(in.Fixes) == 0 {
		return nil
	}
	l := &List{Ordered: true}
	for i, f := range in.Fixes[:min(len(in.Fixes), topFixesShown)] {
		item := in.fixAction(f)
		item = append(item, txt(" — "))
		item = append(item, in.fixEffect(f)...)
		if len(f.Gains) > 0 {
			g := f.Gains[0]
			item = append(item, txt(fmt.Sprintf("; %s %s → %s", in.Inv.ID(g.Service), human.Percent(g.Before), human.Percent(g.After))))
		}
		item = append(item, txt(" ("), Span{Kind: Text, Text: "how", Href: "#" + fixID(i)}, txt(")."))
		l.Items = append(l.Items, item)
	}
	return []Block{heading("Top recommendations"), {List: l}}
}

// fixTitle names a fix in a few words, for the contents.
func (in *Input) fixTitle(f Fix) string {
	e := &in.Inv.Entities[f.Target]
	switch f.Kind {
	case BackupNumber:
		return "A backup number for " + e.ID
	case Alternative:
		return in.Inv.ID(f.With) + " as an alternative to " + e.ID + " for " + in.Inv.ID(f.Service)
	}
	if e.Kind == model.Provider {
		return "A second " + providerNoun(e.Type) + " next to " + e.ID
	}
	return "An alternative to " + e.ID
}

// fixAction says what to do, in the words of the target's kind.
func (in *Input) fixAction(f Fix) []Span {
	e := &in.Inv.Entities[f.Target]
	x := in.ref(f.Target)
	switch f.Kind {
	case BackupNumber:
		var carrier, dest string
		for _, n := range f.Edit.New {
			if n.Kind == model.Number {
				carrier, dest = n.Refs[0].IDs[0], n.Refs[1].IDs[0]
			}
		}
		h := []Span{txt("Publish a backup number next to "), x, txt(" on ")}
		if _, ok := in.Inv.Lookup(carrier); ok {
			h = append(h, txt("the carrier "), in.refID(carrier))
		} else {
			h = append(h, txt("a second carrier"))
		}
		h = append(h, txt(", answered by "))
		if _, ok := in.Inv.Lookup(dest); ok {
			h = append(h, in.refID(dest))
		} else {
			h = append(h, txt("a new answering point outside its SPOFs"))
		}
		return h
	case Alternative:
		return []Span{txt("Let "), in.ref(f.Service), txt(" use "), in.ref(f.With), txt(" as an alternative to "), x}
	}
	switch e.Kind {
	case model.Provider:
		return []Span{txt("Add a second " + providerNoun(e.Type) + " next to "), x}
	case model.Number:
		return []Span{txt("Add a backup number next to "), x, txt(", on another carrier and routed independently")}
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
		h = append(h, txt(fmt.Sprintf(", %d of which then %s none", f.Freed, human.Plural(f.Freed, "has", "have"))))
	}
	return h
}
