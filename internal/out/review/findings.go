package review

import (
	"fmt"
	"slices"
	"strings"

	"github.com/spofhq/spof/internal/analysis"
	"github.com/spofhq/spof/internal/diag"
	"github.com/spofhq/spof/internal/model"
)

// NumberRisk is a published phone number that depends on a single carrier.
type NumberRisk struct {
	Number int32
	// Carriers are the carriers that are SPOFs of the number.
	Carriers []int32
	// Serves are the services that depend on the number; Down those that one of the carriers takes
	// down with it (the others reach their callers another way, such as a backup number).
	Serves, Down []int32
}

// severe reports whether the carrier takes a critical or high service down with the number.
func (nr *NumberRisk) severe(inv *model.Inventory) bool {
	return slices.ContainsFunc(nr.Down, func(s int32) bool { return inv.Entities[s].Tier <= model.High })
}

// numberRisks finds the published numbers with a carrier among their SPOFs. A carrier is a provider
// that some number names in its carrier key, or whose type is "carrier".
func numberRisks(res *analysis.Result) []NumberRisk {
	inv := res.Inv
	carrier := inv.Named("carrier")
	for i := range inv.Entities {
		e := &inv.Entities[i]
		if e.Kind == model.Provider && strings.EqualFold(e.Type, "carrier") {
			carrier[i] = true
		}
	}
	var out []NumberRisk
	for i := range inv.Entities {
		e := &inv.Entities[i]
		if e.Kind != model.Number || !e.Published {
			continue
		}
		nr := NumberRisk{Number: int32(i)}
		for _, x := range res.SPOFs(int32(i)) {
			if carrier[x] {
				nr.Carriers = append(nr.Carriers, x)
			}
		}
		if len(nr.Carriers) == 0 {
			continue
		}
		deps, _ := res.Dependents(int32(i))
		for _, d := range deps {
			if inv.Entities[d].Kind != model.Service {
				continue
			}
			nr.Serves = append(nr.Serves, d)
			if slices.ContainsFunc(nr.Carriers, func(c int32) bool { return slices.Contains(res.SPOFs(d), c) }) {
				nr.Down = append(nr.Down, d)
			}
		}
		out = append(out, nr)
	}
	return out
}

// findingSections lists what an architect should review besides SPOFs, one subsection per kind.
func findingSections(in *Input) []Section {
	all := withoutIncidents(in.Findings)
	byKind := map[string][]analysis.Finding{}
	for _, f := range all {
		byKind[f.Kind] = append(byKind[f.Kind], f)
	}
	limit := 2 * in.Options.Top
	sec := Section{ID: "findings", Title: "Findings"}
	total := len(all) + len(in.Numbers)
	sec.Blocks = append(sec.Blocks, para(txt(fmt.Sprintf("%s to review: ", count(total, "finding", "findings"))),
		txt(findingCounts(byKind, len(in.Numbers))+".")))
	sec.Subs = append(sec.Subs,
		in.falseRedundancySection(byKind[analysis.FalseRedundancy], limit),
		in.cycleSection(byKind[analysis.Cycle], limit),
		in.ownerSection(byKind[analysis.MissingOwner], limit),
		in.unusedSection(byKind[analysis.Unused], limit),
		in.numberSection(limit),
	)
	return []Section{sec}
}

func findingCounts(byKind map[string][]analysis.Finding, numbers int) string {
	parts := []string{
		count(len(byKind[analysis.FalseRedundancy]), "false redundancy", "false redundancies"),
		count(len(byKind[analysis.Cycle]), "dependency cycle", "dependency cycles"),
		count(len(byKind[analysis.MissingOwner]), "critical or high service without owner", "critical or high services without owner"),
		count(len(byKind[analysis.Unused]), "unused entity", "unused entities"),
		count(numbers, "published number on a single carrier", "published numbers on a single carrier"),
	}
	if c := detectionCount(len(byKind[analysis.Blind]) + len(byKind[analysis.Unwatched]) + len(byKind[analysis.Silent])); c != "" {
		parts = append(parts, c)
	}
	return joinAnd(parts)
}

// more is the note under a list cut to limit.
func more(shown, total int, what string) []Block {
	if total <= shown {
		return nil
	}
	return []Block{note(txt(fmt.Sprintf("… and %s more %s (%s in all).", num(total-shown), what, num(total))))}
}

func where(p diag.Pos) Span {
	if p.File == "" {
		return muted("")
	}
	if p.Line > 0 {
		return muted(fmt.Sprintf("%s:%d", p.File, p.Line))
	}
	return muted(p.File)
}

func (in *Input) falseRedundancySection(fs []analysis.Finding, limit int) Section {
	sec := Section{ID: "false-redundancy", Title: "False redundancy"}
	if len(fs) == 0 {
		sec.Blocks = append(sec.Blocks, para(txt("Every redundant group survives the failure of any single entity.")))
		return sec
	}
	sec.Blocks = append(sec.Blocks, para(txt("Groups that claim to survive the loss of a member, but that a single entity defeats "+
		"(for example two VMs of an any_of on the same hypervisor cluster).")))
	t := &Table{Head: []string{"entity", "group", "defeated by", "where"}}
	for _, f := range fs[:min(len(fs), limit)] {
		t.Rows = append(t.Rows, []Cell{
			cell(in.ref(f.Entity)),
			cell(in.groupCell(f)...),
			cell(in.idSpans(f.Related, 5)...),
			cell(where(f.Pos)),
		})
	}
	sec.Blocks = append(sec.Blocks, Block{Table: t})
	sec.Blocks = append(sec.Blocks, more(limit, len(fs), "false redundancies")...)
	return sec
}

// groupCell reads "runs_on: any_of [pbx-01, pbx-02]".
func (in *Input) groupCell(f analysis.Finding) []Span {
	h := []Span{txt(f.Key + ": " + analysis.GroupLabel(f.Group) + " [")}
	h = append(h, in.idSpans(f.Group.AppendEntities(nil), 4)...)
	return append(h, txt("]"))
}

func (in *Input) cycleSection(fs []analysis.Finding, limit int) Section {
	sec := Section{ID: "cycles", Title: "Dependency cycles"}
	if len(fs) == 0 {
		sec.Blocks = append(sec.Blocks, para(txt("No entity depends on itself through others.")))
		return sec
	}
	sec.Blocks = append(sec.Blocks, para(txt("Entities that depend on each other. spof resolves cycles exactly (nothing is down "+
		"unless a failure forces it), but a cycle often means that a recovery needs what it recovers.")))
	l := &List{}
	for _, f := range fs[:min(len(fs), limit)] {
		var item []Span
		for _, x := range append(slices.Clone(f.Related), f.Related[0]) {
			if len(item) > 0 {
				item = append(item, txt(" → "))
			}
			item = append(item, in.ref(x))
		}
		comp := 0
		for _, c := range in.Res.Cycles() {
			if c[0] == f.Entity {
				comp = len(c)
			}
		}
		if comp > len(f.Related) {
			item = append(item, txt(fmt.Sprintf(" (%d entities depend on each other in all)", comp)))
		}
		l.Items = append(l.Items, append(item, txt(" "), where(f.Pos)))
	}
	sec.Blocks = append(sec.Blocks, Block{List: l})
	sec.Blocks = append(sec.Blocks, more(limit, len(fs), "cycles")...)
	return sec
}

func (in *Input) ownerSection(fs []analysis.Finding, limit int) Section {
	sec := Section{ID: "owners", Title: "Services without owner"}
	if len(fs) == 0 {
		sec.Blocks = append(sec.Blocks, para(txt("Every critical and high service has an owner.")))
		return sec
	}
	sec.Blocks = append(sec.Blocks, para(txt("Critical and high services with nobody named to answer for them (owner key).")))
	t := &Table{Head: []string{"service", "tier", "name", "where"}}
	for _, f := range fs[:min(len(fs), limit)] {
		e := &in.Inv.Entities[f.Entity]
		t.Rows = append(t.Rows, []Cell{cell(in.ref(f.Entity)), cell(badge(e.Tier)), cell(txt(oneLine(e.Name))), cell(where(f.Pos))})
	}
	sec.Blocks = append(sec.Blocks, Block{Table: t})
	sec.Blocks = append(sec.Blocks, more(limit, len(fs), "services")...)
	return sec
}

func (in *Input) unusedSection(fs []analysis.Finding, limit int) Section {
	sec := Section{ID: "unused", Title: "Unused entities"}
	if len(fs) == 0 {
		sec.Blocks = append(sec.Blocks, para(txt("Every provider, VM and component is used by something.")))
		return sec
	}
	sec.Blocks = append(sec.Blocks, para(txt("Providers, VMs and components that nothing depends on: leftovers to decommission, "+
		"or dependencies missing from the inventory.")))
	t := &Table{Head: []string{"entity", "kind", "name", "where"}}
	for _, f := range fs[:min(len(fs), limit)] {
		e := &in.Inv.Entities[f.Entity]
		t.Rows = append(t.Rows, []Cell{cell(in.ref(f.Entity)), cell(txt(e.Kind.String())), cell(txt(oneLine(e.Name))), cell(where(f.Pos))})
	}
	sec.Blocks = append(sec.Blocks, Block{Table: t})
	sec.Blocks = append(sec.Blocks, more(limit, len(fs), "unused entities")...)
	return sec
}

func (in *Input) numberSection(limit int) Section {
	sec := Section{ID: "numbers", Title: "Published numbers on a single carrier"}
	nrs := in.Numbers
	if len(nrs) == 0 {
		sec.Blocks = append(sec.Blocks, para(txt("No published phone number depends on a single carrier.")))
		return sec
	}
	sec.Blocks = append(sec.Blocks, para(txt("Published phone numbers that one carrier's failure cuts off, with the services "+
		"they serve and those that go down with the carrier (the others are reached another way).")))
	t := &Table{Head: []string{"number", "", "carrier", "serves", "down with the carrier"}}
	for _, nr := range nrs[:min(len(nrs), limit)] {
		e := &in.Inv.Entities[nr.Number]
		down := in.idSpans(nr.Down, 5)
		if len(down) == 0 {
			down = []Span{muted("none")}
		}
		t.Rows = append(t.Rows, []Cell{
			cell(in.ref(nr.Number)),
			cell(txt(oneLine(e.Number))),
			cell(in.idSpans(nr.Carriers, 3)...),
			cell(in.idSpans(nr.Serves, 5)...),
			cell(down...),
		})
	}
	sec.Blocks = append(sec.Blocks, Block{Table: t})
	sec.Blocks = append(sec.Blocks, more(limit, len(nrs), "numbers")...)
	return sec
}
