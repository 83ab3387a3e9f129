package review

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"

	"github.com/spofhq/spof/internal/analysis"
	"github.com/spofhq/spof/internal/avail"
	"github.com/spofhq/spof/internal/human"
	"github.com/spofhq/spof/internal/model"
	"github.com/spofhq/spof/internal/out/analyze"
)

// Limits of the availability section.
const (
	// contributorRows is how many entities "where the downtime comes from" lists per service, as many
	// as `spof analyze` prints.
	contributorRows = 3
	// extraNineItems caps the SPOFs named per service under the rule of the extra nine.
	extraNineItems = 8
	// assumedItems caps the entities named as resting on a default figure.
	assumedItems = 8
)

// computeAvailability computes the availability of the shown services only: the report describes
// them and no other, and their closures bound the work however large the inventory. sub is the
// analysis of the inventory made of their dependency closure (see details), on which each service's
// availability is the same as on inv. The figures are those of `spof analyze`, rounded the same way by
// analyze.NewServiceAvailability. The maps are keyed by index in inv.
func computeAvailability(sub *analysis.Result, inv *model.Inventory, shown []int32, p Progress) (*avail.Result, map[int32]*analyze.ServiceAvailability, map[int32]*avail.Service) {
	if sub == nil || len(shown) == 0 {
		return nil, nil, nil
	}
	ss := slices.Sorted(slices.Values(subIndexes(inv, sub.Inv, shown)))
	p.Phase("computing availability", len(ss), "services")
	av := avail.Compute(sub, avail.Options{Services: ss, Progress: func(int) { p.Add(1) }})
	figures := make(map[int32]*analyze.ServiceAvailability, len(shown))
	services := make(map[int32]*avail.Service, len(shown))
	for _, s := range shown {
		x, _ := sub.Inv.Lookup(inv.ID(s))
		if as, ok := av.Service(x); ok {
			figures[s], services[s] = analyze.NewServiceAvailability(av, as), as
		}
	}
	return av, figures, services
}

// availabilitySection is issue 8 in the report: per shown service its availability, downtime and SLO,
// the entities its downtime comes from, what to improve first across the critical services shown, and
// the SPOFs that break the rule of the extra nine.
func availabilitySection(in *Input) []Section {
	sec := Section{ID: "availability", Title: "Availability and SLOs"}
	if in.Avail == nil {
		sec.Blocks = append(sec.Blocks, para(txt("The inventory has no critical or high service to estimate.")))
		return []Section{sec}
	}
	sec.Blocks = append(sec.Blocks, para(txt("How available each critical and high service detailed above is expected to be, "+
		"if every entity fails on its own, independently, as often as its availability says: the probability that the service is up, "+
		"computed exactly over everything it depends on (shared dependencies, nested groups, quorums and cycles included) "+
		"or, where that costs too much, bounded by a guaranteed interval, "+
		"the downtime to expect over a year, and its SLO with the margin: the downtime it allows minus the downtime expected "+
		"(negative when missed; undecided when the SLO lies within a guaranteed interval). "), code("spof analyze"), txt(" gives the same figures for every service; "),
		code("docs/availability.md"), txt(" explains the method.")))
	order := in.availOrder()
	t := &Table{Head: []string{"service", "tier", "availability", "method", "downtime (min/year)", "SLO", "margin (min/year)", "assumed figures"},
		Numeric: []bool{false, false, true, false, true, false, true, true}}
	for _, s := range order {
		a, as := in.avail[s], in.availService(s)
		method := txt("exact")
		if a.AvailabilityMethod != "exact" {
			method = txt(analyze.BoundedByText(a))
		}
		slo, margin := cell(muted("none")), cell(muted("–"))
		if a.SLO != nil {
			slo = cell(append([]Span{txt(human.Percent(*a.SLO) + " ")}, sloVerdict(a))...)
			m := *a.SLOMarginMinutesPerYear
			sign := "+"
			if m < 0 {
				sign = "−"
			}
			margin = cell(txt(sign + human.Minutes(max(m, -m))))
		}
		assumed := countCell(0)
		if n := len(a.DefaultsUsed); n > 0 {
			assumed = cell(txt(fmt.Sprintf("%s of %s", num(n), num(as.Closure))))
		}
		t.Rows = append(t.Rows, []Cell{cell(in.ref(s)), cell(badge(in.Inv.Entities[s].Tier)), cell(txt(availText(a))), cell(method),
			cell(txt(human.Minutes(a.DowntimeMinutesPerYear))), slo, margin, assumed})
	}
	sec.Blocks = append(sec.Blocks, Block{Table: t})
	if n := len(in.Ranked) - len(in.Shown); n > 0 {
		sec.Blocks = append(sec.Blocks, note(txt(fmt.Sprintf("%s not estimated here (see --max-services); ",
			count(n, "more critical or high service is", "more critical or high services are"))), code("spof analyze"), txt(" computes them.")))
	}
	sec.Blocks = append(sec.Blocks, in.assumedBlocks()...)
	sec.Subs = append(sec.Subs, in.contributorSection(order), in.improveFirstSection(), in.extraNineSection(order))
	return []Section{sec}
}

// availOrder lists the shown services for the availability tables: by tier, those missing their SLO
// first, then the most expected downtime first, then by ID.
func (in *Input) availOrder() []int32 {
	order := slices.Clone(in.Shown)
	missed := func(a *analyze.ServiceAvailability) int {
		if a.SLOMet != nil && !*a.SLOMet {
			return 0
		}
		return 1
	}
	slices.SortStableFunc(order, func(x, y int32) int {
		ex, ey := &in.Inv.Entities[x], &in.Inv.Entities[y]
		if c := cmp.Compare(ex.Tier, ey.Tier); c != 0 {
			return c
		}
		ax, ay := in.avail[x], in.avail[y]
		if c := cmp.Compare(missed(ax), missed(ay)); c != 0 {
			return c
		}
		if c := cmp.Compare(ay.DowntimeMinutesPerYear, ax.DowntimeMinutesPerYear); c != 0 {
			return c
		}
		return cmp.Compare(ex.ID, ey.ID)
	})
	return order
}

func (in *Input) availService(s int32) *avail.Service { return in.availSvc[s] }

// availText writes an availability, or its guaranteed interval when bounded.
func availText(a *analyze.ServiceAvailability) string {
	if a.AvailabilityMethod == "exact" {
		return human.Percent(a.Availability)
	}
	return analyze.BoundsText(a)
}

// sloVerdict is "met", "missed" or "undecided" (the SLO lies within a guaranteed interval).
func sloVerdict(a *analyze.ServiceAvailability) Span {
	switch {
	case a.SLOMet == nil:
		return muted("undecided")
	case *a.SLOMet:
		return txt("met")
	}
	return strong("missed")
}

// sloStatus reads "met, 12.3 min/year to spare", "missed by 578.2 min/year" or why it is undecided.
func sloStatus(a *analyze.ServiceAvailability) []Span {
	switch {
	case a.SLO == nil:
		return []Span{muted("–")}
	case a.SLOMet == nil:
		return []Span{muted("undecided: within the bounds")}
	case *a.SLOMet:
		return []Span{txt("met, " + human.Minutes(*a.SLOMarginMinutesPerYear) + " min/year to spare")}
	}
	return []Span{strong("missed"), txt(" by " + human.Minutes(-*a.SLOMarginMinutesPerYear) + " min/year")}
}

// assumedBlocks names the entities whose availability is a default, over the shown services' closures.
func (in *Input) assumedBlocks() []Block {
	var xs []int32
	depended := 0
	for x, dep := range in.Res.Closure(in.Shown) {
		if !dep {
			continue
		}
		depended++
		if in.source[x].Assumed() {
			xs = append(xs, int32(x))
		}
	}
	if len(xs) == 0 {
		return []Block{note(txt("Every figure above rests on availabilities the inventory states (availability, or mttf_hours and mttr_hours)."))}
	}
	spans := []Span{strong("Assumed figures: "), txt(fmt.Sprintf("%s of the %s these services depend on (themselves included) state no availability of their own; "+
		"their figure is the inventory's [defaults] or spof's built-in default for their kind: ",
		num(len(xs)), count(depended, "entity", "entities")))}
	spans = append(spans, in.idSpans(xs, assumedItems)...)
	spans = append(spans, txt(". The figures that rest on them are only as good as those defaults."))
	return []Block{note(spans...)}
}

// ownAvailability shows an entity's own availability, flagged when it is a default.
func (in *Input) ownAvailability(x int32) []Span {
	spans := []Span{txt(human.Percent(in.own[x]))}
	if in.source[x].Assumed() {
		spans = append(spans, muted(" (assumed)"))
	}
	return spans
}

// contributorSection lists, per service, the entities its downtime comes from.
func (in *Input) contributorSection(order []int32) Section {
	sec := Section{ID: "availability-contributors", Title: "Where the downtime comes from"}
	sec.Blocks = append(sec.Blocks, para(txt(fmt.Sprintf("For each service, the %d entities that account for the largest share of its expected downtime "+
		"(Fussell-Vesely importance: the share of the downtime that involves the entity's failure; shares overlap, so they can add up to more than 100%%), "+
		"with the Birnbaum importance (how much the service's availability moves per unit of the entity's) and the minutes saved: "+
		"the downtime one more nine on the entity (its unavailability ten times smaller) would remove.", contributorRows))))
	t := &Table{Head: []string{"service", "entity", "what", "own availability", "share of downtime", "Birnbaum", "saved (min/year)"},
		Numeric: []bool{false, false, false, true, true, true, true}}
	for _, s := range order {
		a := in.avail[s]
		if a.AvailabilityMethod != "exact" {
			t.Rows = append(t.Rows, []Cell{cell(in.ref(s)), cell(muted("bounded: importance not computed")), {}, {}, {}, {}, {}})
			continue
		}
		for i, im := range a.Importance[:min(len(a.Importance), contributorRows)] {
			first := cell(in.ref(s))
			if i > 0 {
				first = Cell{}
			}
			x, _ := in.Inv.Lookup(im.ID)
			t.Rows = append(t.Rows, []Cell{first, cell(in.ref(x)), cell(txt(kindNoun(&in.Inv.Entities[x]))),
				cell(in.ownAvailability(x)...), cell(txt(human.Share(im.FussellVesely))),
				cell(txt(strconv.FormatFloat(im.Birnbaum, 'g', 5, 64))), cell(txt(human.Minutes(im.SavedMinutesPerYear)))})
		}
	}
	if len(t.Rows) == 0 {
		sec.Blocks = append(sec.Blocks, para(txt("No service shown has any expected downtime.")))
		return sec
	}
	sec.Blocks = append(sec.Blocks, Block{Table: t})
	return sec
}

// improveFirstSection is avail's ImproveFirst over the critical services shown.
func (in *Input) improveFirstSection() Section {
	sec := Section{ID: "improve-first", Title: "What to improve first"}
	var crit, bounded int
	for _, s := range in.Shown {
		if in.Inv.Entities[s].Tier == model.Critical {
			crit++
			if in.avail[s].AvailabilityMethod != "exact" {
				bounded++
			}
		}
	}
	if crit == 0 {
		sec.Blocks = append(sec.Blocks, para(txt("The inventory has no critical service, whose downtime this ranking measures.")))
		return sec
	}
	pa := analyze.NewPlatformAvailability(in.Avail)
	sec.Blocks = append(sec.Blocks, para(txt(fmt.Sprintf("The entities whose improvement removes the most expected downtime from the %s shown: "+
		"the minutes per year removed, summed over those services, if the entity's unavailability were ten times smaller (one more nine).",
		count(crit, "critical service", "critical services")))))
	if len(pa.ImproveFirst) == 0 {
		sec.Blocks = append(sec.Blocks, para(txt("Nothing: no critical service computed exactly depends on an imperfect entity.")))
	} else {
		t := &Table{Head: []string{"#", "entity", "what", "own availability", "saved (min/year)", "critical services improved"},
			Numeric: []bool{true, false, false, true, true, false}}
		shown := pa.ImproveFirst[:min(len(pa.ImproveFirst), in.Options.Top)]
		for i, im := range shown {
			x, _ := in.Inv.Lookup(im.ID)
			t.Rows = append(t.Rows, []Cell{cell(txt(strconv.Itoa(i + 1))), cell(in.ref(x)), cell(txt(kindNoun(&in.Inv.Entities[x]))),
				cell(in.ownAvailability(x)...), cell(strong(human.Minutes(im.SavedMinutesPerYear))),
				cell(in.idSpans(in.lookupAll(im.Services), 5)...)})
		}
		sec.Blocks = append(sec.Blocks, Block{Table: t})
		sec.Blocks = append(sec.Blocks, more(len(shown), len(pa.ImproveFirst), "entities that would remove downtime")...)
	}
	var notes []Span
	if n := in.criticalNotShown(); n > 0 {
		notes = append(notes, txt(fmt.Sprintf("%s not shown in this report %s not counted. ",
			count(n, "critical service", "critical services"), human.Plural(n, "is", "are"))))
	}
	if bounded > 0 {
		notes = append(notes, txt(fmt.Sprintf("%s bounded rather than computed exactly %s not counted: importance is only computed exactly.",
			count(bounded, "critical service", "critical services"), human.Plural(bounded, "is", "are"))))
	}
	if len(notes) > 0 {
		sec.Blocks = append(sec.Blocks, note(notes...))
	}
	return sec
}

func (in *Input) criticalNotShown() int {
	n := 0
	for _, s := range in.Ranked[len(in.Shown):] {
		if in.Inv.Entities[s].Tier == model.Critical {
			n++
		}
	}
	return n
}

// extraNineSection lists the SPOFs less than ten times as reliable as their service's SLO requires.
func (in *Input) extraNineSection(order []int32) Section {
	sec := Section{ID: "extra-nine", Title: "The rule of the extra nine"}
	sec.Blocks = append(sec.Blocks, para(txt("A dependency whose failure alone takes a service down should be at least ten times less unavailable "+
		"than the service's SLO allows: with an SLO of 99.9%, each SPOF needs 99.99% or better on its own. These SPOFs do not meet that:")))
	t := &Table{Head: []string{"service", "SLO", "each SPOF needs", "SPOFs below that (own availability)"},
		Numeric: []bool{false, true, true, false}}
	withSLO := 0
	for _, s := range order {
		a := in.avail[s]
		if a.SLO != nil {
			withSLO++
		}
		if len(a.ExtraNine) == 0 {
			continue
		}
		var spofs []Span
		for i, x := range a.ExtraNine {
			if i == extraNineItems {
				spofs = append(spofs, txt(fmt.Sprintf(" and %d more", len(a.ExtraNine)-extraNineItems)))
				break
			}
			if i > 0 {
				spofs = append(spofs, txt(", "))
			}
			spofs = append(spofs, in.refID(x.ID), txt(" "+human.Percent(x.Availability)))
			if src := x.AvailabilitySource; src == avail.Defaults.String() || src == avail.BuiltIn.String() {
				spofs = append(spofs, muted(" (assumed)"))
			}
		}
		t.Rows = append(t.Rows, []Cell{cell(in.ref(s)), cell(txt(human.Percent(*a.SLO))),
			cell(txt(human.Percent(a.ExtraNine[0].Required))), cell(spofs...)})
	}
	switch {
	case withSLO == 0:
		sec.Blocks = []Block{para(txt("No service shown has an "), code("slo"), txt(": the rule of the extra nine needs one."))}
	case len(t.Rows) == 0:
		sec.Blocks = append(sec.Blocks[:0], para(txt(fmt.Sprintf("Every SPOF of the %s with an SLO is at least one nine better than the SLO.",
			count(withSLO, "service", "services")))))
	default:
		sec.Blocks = append(sec.Blocks, Block{Table: t})
	}
	return sec
}

// sloHeadline names the critical services that miss their SLO: computed, and only when one does.
func sloHeadline(in *Input) []Span {
	var missed []int32
	for _, s := range in.availOrderOrNil() {
		a := in.avail[s]
		if in.Inv.Entities[s].Tier == model.Critical && a.SLOMet != nil && !*a.SLOMet {
			missed = append(missed, s)
		}
	}
	if len(missed) == 0 {
		return nil
	}
	see := []Span{txt(" (see "), Span{Kind: Text, Text: "Availability and SLOs", Href: "#availability"}, txt(").")}
	if len(missed) == 1 {
		s := missed[0]
		a := in.avail[s]
		allowed := a.DowntimeMinutesPerYear + *a.SLOMarginMinutesPerYear
		h := []Span{txt("The critical service "), in.ref(s), txt(fmt.Sprintf(" misses its SLO: %s expected against %s, %s min/year of downtime where %s are allowed",
			human.Percent(a.Availability), human.Percent(*a.SLO), human.Minutes(a.DowntimeMinutesPerYear), human.Minutes(allowed)))}
		if len(a.Importance) > 0 {
			h = append(h, txt("; most of it from "))
			var xs []int32
			for _, im := range a.Importance[:min(len(a.Importance), 2)] {
				x, _ := in.Inv.Lookup(im.ID)
				xs = append(xs, x)
			}
			h = append(h, in.idSpans(xs, 0)...)
		}
		if len(a.DefaultsUsed) > 0 {
			h = append(h, txt(", partly on assumed figures"))
		}
		return append(h, see...)
	}
	h := []Span{txt(fmt.Sprintf("%s miss their SLO: ", count(len(missed), "critical service", "critical services")))}
	for i, s := range missed {
		if i == 3 {
			h = append(h, txt(fmt.Sprintf(" and %d more", len(missed)-3)))
			break
		}
		switch {
		case i > 0 && (i == len(missed)-1 && len(missed) <= 3):
			h = append(h, txt(" and "))
		case i > 0:
			h = append(h, txt(", "))
		}
		a := in.avail[s]
		h = append(h, in.ref(s), txt(fmt.Sprintf(" (%s against %s, missed by %s min/year)", human.Percent(a.Availability),
			human.Percent(*a.SLO), human.Minutes(-*a.SLOMarginMinutesPerYear))))
	}
	return append(h, see...)
}

// availOrderOrNil is availOrder, or nothing when availability was not computed.
func (in *Input) availOrderOrNil() []int32 {
	if in.Avail == nil {
		return nil
	}
	return in.availOrder()
}

// availabilityLine is the one-line availability summary at the top of a service's own section.
func (in *Input) availabilityLine(s int32) Block {
	a := in.avail[s]
	spans := []Span{strong("Availability: "), txt(availText(a))}
	if a.AvailabilityMethod != "exact" {
		spans = append(spans, txt(" ("+analyze.BoundedByText(a)+")"))
	}
	spans = append(spans, txt(", "+human.Minutes(a.DowntimeMinutesPerYear)+" min/year expected downtime"))
	if a.SLO != nil {
		spans = append(spans, txt("; SLO "+human.Percent(*a.SLO)+" "))
		spans = append(spans, sloStatus(a)...)
	}
	spans = append(spans, txt(" ("), Span{Kind: Text, Text: "details", Href: "#availability"}, txt(")."))
	return para(spans...)
}
