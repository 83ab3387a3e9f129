package analyze

import (
	"fmt"
	"strings"

	"github.com/spofhq/spof/internal/human"
)

// importanceShownText is how many entities the text lists per service.
const importanceShownText = 3

// writeServiceAvailability prints a service's availability lines: the figure and its method, the
// SLO, the rule of the extra nine, the most important entities and the assumed figures.
func writeServiceAvailability(b *strings.Builder, a *ServiceAvailability) {
	if a == nil {
		return
	}
	if a.AvailabilityMethod == "exact" {
		fmt.Fprintf(b, "  availability: %s (exact)", human.Percent(a.Availability))
	} else {
		fmt.Fprintf(b, "  availability: %s (%s)", BoundsText(a), BoundedByText(a))
	}
	fmt.Fprintf(b, ", %s min/year expected downtime\n", human.Minutes(a.DowntimeMinutesPerYear))
	if a.SLO != nil {
		fmt.Fprintf(b, "  slo: %s, ", human.Percent(*a.SLO))
		margin := *a.SLOMarginMinutesPerYear
		switch {
		case a.SLOMet == nil:
			fmt.Fprintf(b, "undecided: within the bounds (margin %s min/year)\n", human.Minutes(margin))
		case *a.SLOMet:
			fmt.Fprintf(b, "met with %s min/year to spare\n", human.Minutes(margin))
		default:
			fmt.Fprintf(b, "MISSED by %s min/year\n", human.Minutes(-margin))
		}
	}
	if len(a.ExtraNine) > 0 {
		parts := make([]string, len(a.ExtraNine))
		for i, x := range a.ExtraNine {
			parts[i] = fmt.Sprintf("%s %s", x.ID, human.Percent(x.Availability))
		}
		fmt.Fprintf(b, "  extra nine: SPOFs below %s: %s\n", human.Percent(a.ExtraNine[0].Required), strings.Join(parts, ", "))
	}
	if len(a.Importance) > 0 {
		var parts []string
		for i, im := range a.Importance {
			if i == importanceShownText {
				break
			}
			parts = append(parts, fmt.Sprintf("%s %s", im.ID, human.Share(im.FussellVesely)))
		}
		fmt.Fprintf(b, "  downtime mostly from: %s\n", strings.Join(parts, ", "))
	}
	if n := len(a.DefaultsUsed); n > 0 {
		shown, more := a.DefaultsUsed, ""
		if n > 6 {
			shown, more = shown[:6], fmt.Sprintf(", +%d", n-6)
		}
		fmt.Fprintf(b, "  assumed availability (defaults) for: %s%s\n", strings.Join(shown, ", "), more)
	}
}

// writeFailover prints the SPOFs a service would have if its unproven failovers failed.
func writeFailover(b *strings.Builder, f *ServiceFailover) {
	if f == nil || len(f.SPOFs) == 0 {
		return
	}
	fmt.Fprintf(b, "  spofs if failover fails (%d, untested redundancy):\n", len(f.SPOFs))
	width := 0
	for _, p := range f.SPOFs {
		width = max(width, len(p.ID)+len(p.Kind)+3)
	}
	onChains := map[string]bool{}
	for _, p := range f.SPOFs {
		fmt.Fprintf(b, "    %-*s  %s\n", width, p.ID+" ("+p.Kind+")", strings.Join(p.Path, " → "))
		for _, id := range p.Path[:len(p.Path)-1] {
			onChains[id] = true
		}
	}
	// The groups that did not fail over on those chains, so that the reader knows which drill to run.
	for _, g := range f.UntestedGroups {
		if !onChains[g.Entity] {
			continue
		}
		tested := "never tested"
		if g.Tested != nil {
			tested = "last tested " + *g.Tested
		}
		fmt.Fprintf(b, "    unproven: %s of %s = %s, %s (%s:%d)\n", g.Key, g.Entity, g.Group, tested, g.File, g.Line)
	}
}

// writeImproveFirst prints the platform-wide "what to improve first" ranking.
func writeImproveFirst(b *strings.Builder, p *PlatformAvailability, top int) {
	if p == nil {
		return
	}
	b.WriteString("IMPROVE FIRST (expected downtime of critical services removed per year by one more nine)\n")
	shown := p.ImproveFirst
	if top > 0 && len(shown) > top {
		shown = shown[:top]
	}
	for _, im := range shown {
		svcs := im.Services
		more := ""
		if len(svcs) > 6 {
			svcs, more = svcs[:6], fmt.Sprintf(", +%d", len(im.Services)-6)
		}
		fmt.Fprintf(b, "  %8s min  %s (%s, %s): %s%s\n", human.Minutes(im.SavedMinutesPerYear), im.ID, im.Kind, human.Percent(im.Availability), strings.Join(svcs, ", "), more)
	}
	switch {
	case len(p.ImproveFirst) == 0:
		b.WriteString("  nothing: no critical service computed exactly depends on an imperfect entity\n")
	case len(p.ImproveFirst) > len(shown):
		fmt.Fprintf(b, "  … and %d more (see --format json)\n", len(p.ImproveFirst)-len(shown))
	}
	if n := len(p.Bounded); n > 0 {
		shown, more := p.Bounded, ""
		if n > 6 {
			shown, more = shown[:6], fmt.Sprintf(", +%d", n-6)
		}
		fmt.Fprintf(b, "  bounded, not ranked: %s%s\n", strings.Join(shown, ", "), more)
	}
	b.WriteByte('\n')
}

// BoundsText writes a bounded availability: its guaranteed interval, and the sampled estimate
// when there is one ("99.91% to 99.93%, sampled 99.92% ± 0.0013%").
func BoundsText(a *ServiceAvailability) string {
	s := human.Interval(a.AvailabilityLow, a.AvailabilityHigh)
	if a.AvailabilitySamplingError != nil {
		s += fmt.Sprintf(", sampled %s ± %s", human.Percent(a.Availability), human.PercentDelta(*a.AvailabilitySamplingError))
	}
	return s
}

// BoundedByText says why an availability is bounded.
func BoundedByText(a *ServiceAvailability) string {
	if a.AvailabilityBoundedBy == nil {
		return "exact"
	}
	switch *a.AvailabilityBoundedBy {
	case "time":
		return "bounds: the time budget ran out"
	case "cycle":
		return "bounds: a dependency cycle too large to unroll"
	}
	return "bounds: a diagram outgrew the node budget"
}
