package view

import (
	"fmt"
	"math"
	"strconv"
	"strings"
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
		fmt.Fprintf(b, "  availability: %s (exact)", percent(a.Availability))
	} else {
		fmt.Fprintf(b, "  availability: %s (%s)", BoundsText(a), BoundedByText(a))
	}
	fmt.Fprintf(b, ", %s min/year expected downtime\n", minutes(a.DowntimeMinutesPerYear))
	if a.SLO != nil {
		fmt.Fprintf(b, "  slo: %s, ", percent(*a.SLO))
		margin := *a.SLOMarginMinutesPerYear
		switch {
		case a.SLOMet == nil:
			fmt.Fprintf(b, "undecided: within the bounds (margin %s min/year)\n", minutes(margin))
		case *a.SLOMet:
			fmt.Fprintf(b, "met with %s min/year to spare\n", minutes(margin))
		default:
			fmt.Fprintf(b, "MISSED by %s min/year\n", minutes(-margin))
		}
	}
	if len(a.ExtraNine) > 0 {
		parts := make([]string, len(a.ExtraNine))
		for i, x := range a.ExtraNine {
			parts[i] = fmt.Sprintf("%s %s", x.ID, percent(x.Availability))
		}
		fmt.Fprintf(b, "  extra nine: SPOFs below %s: %s\n", percent(a.ExtraNine[0].Required), strings.Join(parts, ", "))
	}
	if len(a.Importance) > 0 {
		var parts []string
		for i, im := range a.Importance {
			if i == importanceShownText {
				break
			}
			parts = append(parts, fmt.Sprintf("%s %s", im.ID, share(im.FussellVesely)))
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
		fmt.Fprintf(b, "  %8s min  %s (%s, %s): %s%s\n", minutes(im.SavedMinutesPerYear), im.ID, im.Kind, percent(im.Availability), strings.Join(svcs, ", "), more)
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
	s := FormatInterval(a.AvailabilityLow, a.AvailabilityHigh)
	if a.AvailabilitySamplingError != nil {
		s += fmt.Sprintf(", sampled %s ± %s", percent(a.Availability), percentDelta(*a.AvailabilitySamplingError))
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

// percentPair writes the ends of an interval of availabilities with as many decimals as the
// narrower end needs, and more until they differ, the low end rounded down and the high end up so
// that the printed interval contains the true one.
func percentPair(lo, hi float64) (string, string) {
	u := (1 - hi) * 100
	decimals := 2
	if u > 0 {
		decimals = min(max(int(-math.Floor(math.Log10(u)))+2, 1), 9)
	}
	format := func(x float64, d int, round func(float64) float64) string {
		scale := math.Pow(10, float64(d))
		s := strconv.FormatFloat(round(x*100*scale)/scale, 'f', d, 64)
		if strings.Contains(s, ".") {
			s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
		}
		return s + "%"
	}
	for decimals < 12 && format(lo, decimals, math.Floor) == format(hi, decimals, math.Ceil) {
		decimals++
	}
	return format(lo, decimals, math.Floor), format(hi, decimals, math.Ceil)
}

// percent writes an availability with enough decimals to show two or three significant digits of
// the unavailability, without trailing zeros: 99.912%, 99.99988%, 99.9%.
func percent(a float64) string {
	u := (1 - a) * 100
	decimals := 2
	if u > 0 {
		decimals = min(max(int(-math.Floor(math.Log10(u)))+2, 1), 9)
	}
	s := strconv.FormatFloat(a*100, 'f', decimals, 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s + "%"
}

// percentDelta writes a small difference of availabilities in percentage points.
func percentDelta(d float64) string {
	return strconv.FormatFloat(d*100, 'g', 2, 64) + "%"
}

// share writes a fraction as a percentage with one decimal.
func share(f float64) string { return strconv.FormatFloat(f*100, 'f', 1, 64) + "%" }

// minutes writes minutes with one decimal, or two significant digits below one minute.
func minutes(m float64) string {
	if math.Abs(m) < 1 && m != 0 {
		return strconv.FormatFloat(m, 'g', 2, 64)
	}
	return strconv.FormatFloat(m, 'f', 1, 64)
}
