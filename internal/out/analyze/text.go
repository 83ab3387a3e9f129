package analyze

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/spofhq/spof/internal/analysis"
	"github.com/spofhq/spof/internal/model"
	"github.com/spofhq/spof/internal/par"
)

// DefaultCutSetsShown is how many cut sets of order 2 and more the text prints per service by default.
const DefaultCutSetsShown = 5

// TextOptions tune the text form.
type TextOptions struct {
	// CutSetsShown caps the cut sets of order 2 and more printed per service, the most likely first
	// (0: DefaultCutSetsShown).
	CutSetsShown int
	// TopEntities caps the critical-dependency ranking.
	TopEntities int
	// Platform prints the platform-wide sections (providers, ranking, findings) after the services.
	Platform bool
}

// WriteText prints the analysis of res for people: services by tier then ID, each with its SPOFs and
// one path each, its tolerance and its larger cut sets; then the provider ranking, critical
// dependencies and findings. Like WriteJSON it describes the services a chunk at a time.
func WriteText(w io.Writer, res *analysis.Result, opts Options) error {
	o := opts.Text
	services := opts.Services
	if services == nil {
		services = res.Inv.OfKind(model.Service)
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	var b strings.Builder
	keep := o.CutSetsShown
	if keep <= 0 {
		keep = DefaultCutSetsShown
	}
	rankings := rankAll(res, services, keep)
	texts := make([]string, chunk)
	for _, t := range model.Tiers {
		var tier []int32
		for _, s := range services {
			if res.Inv.Entities[s].Tier == t {
				tier = append(tier, s)
			}
		}
		for start := 0; start < len(tier); start += chunk {
			part := tier[start:min(start+chunk, len(tier))]
			// Described and written on every core, a chunk at a time: most of the work at 100,000
			// entities.
			par.ForEach(len(part), func(i int) {
				sv, _ := describeSome(res, part[i], opts, 0)
				var sb strings.Builder
				writeService(&sb, res.Inv, sv, rankings[part[i]], res.MaxOrder, o)
				texts[i] = sb.String()
			})
			for i := range part {
				bw.WriteString(texts[i])
			}
		}
	}
	if o.Platform {
		b.Reset()
		impacts := Impacts(res)
		writeProviders(&b, providers(res, impacts))
		writeImpacts(&b, impacts, o.TopEntities)
		if opts.Avail != nil {
			writeImproveFirst(&b, NewPlatformAvailability(opts.Avail), o.TopEntities)
		}
		writeIncidents(&b, Incidents(res), NewObservedDowntime(res.Inv, opts))
		writeFindings(&b, Findings(res))
		bw.WriteString(b.String())
	}
	return bw.Flush()
}

// writeService writes s, with r its most likely cut sets of two or more entities.
func writeService(b *strings.Builder, inv *model.Inventory, s Service, r Ranking, maxOrder int, o TextOptions) {
	fmt.Fprintf(b, "%s [%s]", s.ID, s.Tier)
	if s.Name != "" && s.Name != s.ID {
		fmt.Fprintf(b, " %q", s.Name)
	}
	if s.Owner != "" {
		fmt.Fprintf(b, " owner %s", s.Owner)
	} else {
		b.WriteString(" no owner")
	}
	b.WriteByte('\n')
	fmt.Fprintf(b, "  tolerance: %s\n", toleranceText(s.Tolerance, maxOrder))
	writeServiceAvailability(b, s.ServiceAvailability)
	if len(s.SPOFs) == 0 {
		b.WriteString("  spofs: none\n")
	} else {
		fmt.Fprintf(b, "  spofs (%d):\n", len(s.SPOFs))
		width := 0
		for _, p := range s.SPOFs {
			width = max(width, len(p.ID)+len(p.Kind)+3)
		}
		// Written piece by piece rather than by fmt: a 100,000-entity platform has 1.5 million lines
		// like these.
		for _, p := range s.SPOFs {
			b.WriteString("    ")
			b.WriteString(p.ID)
			b.WriteString(" (")
			b.WriteString(p.Kind)
			b.WriteString(")")
			for pad := width - utf8.RuneCountInString(p.ID) - utf8.RuneCountInString(p.Kind) - 3; pad > 0; pad-- {
				b.WriteByte(' ')
			}
			b.WriteString("  ")
			writeJoined(b, p.Path, " → ")
			b.WriteByte('\n')
		}
	}
	writeFailover(b, s.Failover)
	if r.Count > 0 {
		fmt.Fprintf(b, "  minimal cut sets of order 2..%d, most likely first (%s):\n", maxOrder, rankingCount(r))
		for _, c := range r.Top {
			b.WriteString("    {")
			for i, x := range c.Set {
				if i > 0 {
					b.WriteString(", ")
				}
				b.WriteString(inv.ID(x))
			}
			b.WriteString("}  p=")
			b.WriteString(FormatProbability(c.Probability))
			b.WriteByte('\n')
		}
	}
	b.WriteByte('\n')
}

// writeJoined writes the elements of xs separated by sep, as strings.Join would return them.
func writeJoined(b *strings.Builder, xs []string, sep string) {
	for i, x := range xs {
		if i > 0 {
			b.WriteString(sep)
		}
		b.WriteString(x)
	}
}

func toleranceText(t *int, maxOrder int) string {
	switch {
	case t == nil:
		return fmt.Sprintf("> %d (no cut set of %d or fewer entities)", maxOrder, maxOrder)
	case *t == 1:
		return "1 (a single failure can take it down)"
	}
	return fmt.Sprintf("%d (it survives any %d failure(s))", *t, *t-1)
}

func writeProviders(b *strings.Builder, ps []Provider) {
	b.WriteString("PROVIDER SPOFS\n")
	any := false
	for _, p := range ps {
		if p.Services.Count() == 0 {
			continue
		}
		any = true
		fmt.Fprintf(b, "  %s: SPOF of %s\n", p.ID, tierSummary(p.Services))
	}
	if !any {
		b.WriteString("  no provider is a single point of failure of any service\n")
	}
	b.WriteByte('\n')
}

// tierSummary reads "2 critical (a, b), 1 high (c)".
func tierSummary(bt ByTier) string {
	var parts []string
	for _, t := range model.Tiers {
		l := *bt.Of(t)
		if len(l) == 0 {
			continue
		}
		names := l
		suffix := ""
		if len(names) > 6 {
			names, suffix = names[:6], fmt.Sprintf(", +%d", len(l)-6)
		}
		parts = append(parts, fmt.Sprintf("%d %s (%s%s)", len(l), t, strings.Join(names, ", "), suffix))
	}
	return strings.Join(parts, ", ")
}

func writeImpacts(b *strings.Builder, ims []Impact, top int) {
	b.WriteString("CRITICAL DEPENDENCIES (what a single failure takes down, by tier weight)\n")
	n := 0
	for _, im := range ims {
		if im.Weight == 0 || (top > 0 && n == top) {
			break
		}
		n++
		fmt.Fprintf(b, "  %-3d %s (%s): %s\n", im.Weight, im.ID, im.Kind, tierSummary(im.Down))
	}
	if n == 0 {
		b.WriteString("  no single failure takes a service down\n")
	} else if rest := countWeighted(ims) - n; rest > 0 {
		fmt.Fprintf(b, "  … and %d more (see --format json)\n", rest)
	}
	b.WriteByte('\n')
}

func countWeighted(ims []Impact) int {
	n := 0
	for _, im := range ims {
		if im.Weight > 0 {
			n++
		}
	}
	return n
}

func writeFindings(b *strings.Builder, fs []Finding) {
	b.WriteString("FINDINGS\n")
	if len(fs) == 0 {
		b.WriteString("  none\n")
	}
	for _, f := range fs {
		loc := f.File
		if f.Line > 0 {
			loc = fmt.Sprintf("%s:%d", f.File, f.Line)
		}
		fmt.Fprintf(b, "  %s: %s: %s [%s]\n", loc, f.Severity, f.Message, f.Kind)
	}
}

// rankAll ranks the cut sets of every service, then ranks again, on their whole families, those of
// the services whose ranking among the kept prefix is not known to be exact, when what they depend on
// is small enough to analyse again (RerankEntities).
func rankAll(res *analysis.Result, services []int32, keep int) map[int32]Ranking {
	unavail := Unavailabilities(res.Inv)
	rs := make([]Ranking, len(services))
	par.ForEach(len(services), func(i int) { rs[i] = RankCutSets(res, services[i], unavail, keep) })
	out := make(map[int32]Ranking, len(services))
	var inexact []int32
	for i, s := range services {
		out[s] = rs[i]
		if !rs[i].Exact {
			inexact = append(inexact, s)
		}
	}
	if len(inexact) > 0 {
		for s, r := range Rerank(res, inexact, unavail, keep, RerankEntities) {
			out[s] = r
		}
	}
	return out
}

// rankingCount says how many sets were ranked: "5 of 37", "5 of the first 100 in size order; more
// exist…" when the ranking is among a prefix, or "3".
func rankingCount(r Ranking) string {
	switch {
	case r.More && !r.Exact:
		return fmt.Sprintf("%d of the first %d in size order; more exist, --max-cut-sets 0 ranks them all", len(r.Top), r.Count)
	case r.More:
		return fmt.Sprintf("%d of more than %d", len(r.Top), r.Count)
	case len(r.Top) < r.Count:
		return fmt.Sprintf("%d of %d", len(r.Top), r.Count)
	}
	return strconv.Itoa(r.Count)
}
