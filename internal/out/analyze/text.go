package analyze

import (
	"bufio"
	"fmt"
	"io"
	"runtime"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/spofhq/spof/internal/analysis"
	"github.com/spofhq/spof/internal/diag"
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
// dependencies and findings. Like WriteJSON it writes the services a round at a time, straight from
// res, and a long path shows its first entities only unless opts.Paths is PathsFull: the paths of
// a chain of 1,000 services make 1.5 GB of text, which the text form used to hold in memory.
func WriteText(w io.Writer, res *analysis.Result, opts Options) error {
	services := opts.Services
	if services == nil {
		services = res.Inv.OfKind(model.Service)
	}
	var order []int32
	for _, t := range model.Tiers {
		for _, s := range services {
			if res.Inv.Entities[s].Tier == t {
				order = append(order, s)
			}
		}
	}
	d := &docWriter{res: res, opts: opts, q: newQuoted(res.Inv), tiers: ServiceTiers(res.Inv), bw: bufio.NewWriterSize(w, 1<<16),
		free: make(chan *scratch, runtime.GOMAXPROCS(0))}
	keep := opts.Text.CutSetsShown
	if keep <= 0 {
		keep = DefaultCutSetsShown
	}
	d.rankings = rankAll(res, services, keep)
	paths := opts.Paths.text()
	if err := d.rounds(len(order), 4, func(i int) int { return d.serviceSize(order[i], paths) }, func(dst []byte, sc *scratch, i int) []byte {
		return d.serviceText(dst, sc, order[i])
	}); err != nil {
		return err
	}
	if opts.Text.Platform {
		var b strings.Builder
		d.writePlatform(&b)
		if opts.Avail != nil {
			writeImproveFirst(&b, NewPlatformAvailability(opts.Avail), opts.Text.TopEntities)
		}
		writeIncidents(&b, Incidents(res), NewObservedDowntime(res.Inv, opts))
		writeFindings(&b, Findings(res))
		d.bw.WriteString(b.String())
	}
	return d.bw.Flush()
}

// serviceText appends the text of service s: its header, tolerance, availability, SPOFs with their
// paths as opts.Paths says, failover and its most likely larger cut sets (d.rankings).
func (d *docWriter) serviceText(dst []byte, sc *scratch, s int32) []byte {
	res, inv := d.res, d.res.Inv
	e := &inv.Entities[s]
	dst = append(dst, e.ID...)
	dst = append(dst, " ["...)
	dst = append(dst, e.Tier.String()...)
	dst = append(dst, ']')
	if e.Name != "" && e.Name != e.ID {
		dst = append(dst, ' ')
		dst = strconv.AppendQuote(dst, e.Name)
	}
	if e.Owner != "" {
		dst = append(dst, " owner "...)
		dst = append(dst, e.Owner...)
	} else {
		dst = append(dst, " no owner"...)
	}
	var tol *int
	if t, ok := res.Tolerance(s); ok {
		tol = &t
	}
	dst = append(dst, "\n  tolerance: "...)
	dst = append(dst, toleranceText(tol, res.MaxOrder)...)
	dst = append(dst, '\n')
	var b strings.Builder
	if d.opts.Avail != nil {
		if as, ok := d.opts.Avail.Service(s); ok {
			writeServiceAvailability(&b, NewServiceAvailability(d.opts.Avail, as))
			dst = append(dst, b.String()...)
		}
	}
	dst = d.spofsText(dst, sc, s)
	if d.opts.Failover != nil {
		b.Reset()
		writeFailover(&b, NewServiceFailover(d.opts.Failover, s))
		dst = append(dst, b.String()...)
	}
	if r := d.rankings[s]; r.Count > 0 {
		dst = append(dst, "  minimal cut sets of order 2.."...)
		dst = strconv.AppendInt(dst, int64(res.MaxOrder), 10)
		dst = append(dst, ", most likely first ("...)
		dst = append(dst, rankingCount(r)...)
		dst = append(dst, "):\n"...)
		for _, c := range r.Top {
			dst = append(dst, "    {"...)
			for i, x := range c.Set {
				if i > 0 {
					dst = append(dst, ", "...)
				}
				dst = append(dst, inv.ID(x)...)
			}
			dst = append(dst, "}  p="...)
			dst = append(dst, FormatProbability(c.Probability)...)
			dst = append(dst, '\n')
		}
	}
	return append(dst, '\n')
}

// spofsText appends the SPOF lines of service s, each path as d.opts.Paths says (PathsShort by
// default), aligned in a column. They are written piece by piece rather than by fmt: a
// 100,000-entity platform has 1.5 million lines like these.
func (d *docWriter) spofsText(dst []byte, sc *scratch, s int32) []byte {
	res, inv := d.res, d.res.Inv
	spofs := res.SPOFs(s)
	if len(spofs) == 0 {
		return append(dst, "  spofs: none\n"...)
	}
	dst = append(dst, "  spofs ("...)
	dst = strconv.AppendInt(dst, int64(len(spofs)), 10)
	dst = append(dst, "):\n"...)
	width := 0
	for _, x := range spofs {
		width = max(width, len(inv.ID(x))+len(inv.Entities[x].Kind.String())+3)
	}
	paths := d.opts.Paths
	line := func(x int32, head []int32, n int) {
		id, kind := inv.ID(x), inv.Entities[x].Kind.String()
		dst = append(dst, "    "...)
		dst = append(dst, id...)
		dst = append(dst, " ("...)
		dst = append(dst, kind...)
		dst = append(dst, ')')
		if head != nil {
			for pad := width - utf8.RuneCountInString(id) - utf8.RuneCountInString(kind) - 3; pad > 0; pad-- {
				dst = append(dst, ' ')
			}
			dst = append(dst, "  "...)
			dst = AppendTextPath(dst, paths, head, n, x, inv.ID, " → ")
		}
		dst = append(dst, '\n')
		dst = sc.maybeSpill(dst)
	}
	if keep := paths.TextKeep(); keep != 0 {
		if sc.paths == nil {
			sc.paths = res.NewPathWalker()
		}
		sc.paths.WalkHead(s, keep, line)
	} else {
		for _, x := range spofs {
			line(x, nil, 0)
		}
	}
	return dst
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

// writePlatform writes the provider SPOFs and the critical dependencies. They rank every entity by
// its blast radius but name few services: each provider's and each of the top entities' list is
// built when written, never all at once (on a chain of n services they hold n²/2 IDs together).
func (d *docWriter) writePlatform(b *strings.Builder) {
	res, inv := d.res, d.res.Inv
	order, weight, _ := ImpactRanking(res, d.tiers)
	b.WriteString("PROVIDER SPOFS\n")
	any := false
	for _, x := range order {
		e := &inv.Entities[x]
		if e.Kind != model.Provider || weight[x] == 0 {
			continue
		}
		any = true
		fmt.Fprintf(b, "  %s: SPOF of %s\n", e.ID, tierSummary(byTierOf(res, x)))
	}
	if !any {
		b.WriteString("  no provider is a single point of failure of any service\n")
	}
	b.WriteByte('\n')
	b.WriteString("CRITICAL DEPENDENCIES (what a single failure takes down, by tier weight)\n")
	top, n, weighted := d.opts.Text.TopEntities, 0, 0
	for _, x := range order {
		if weight[x] == 0 {
			break
		}
		weighted++
		if top > 0 && n == top {
			continue
		}
		n++
		fmt.Fprintf(b, "  %-3d %s (%s): %s\n", weight[x], inv.ID(x), inv.Entities[x].Kind, tierSummary(byTierOf(res, x)))
	}
	if n == 0 {
		b.WriteString("  no single failure takes a service down\n")
	} else if rest := weighted - n; rest > 0 {
		fmt.Fprintf(b, "  … and %d more (see --format json)\n", rest)
	}
	b.WriteByte('\n')
}

// byTierOf returns the services that x's failure alone puts down, by tier.
func byTierOf(res *analysis.Result, x int32) ByTier {
	bt := NewByTier()
	for _, d := range res.BlastRadius(x) {
		if de := &res.Inv.Entities[d]; de.Kind == model.Service {
			l := bt.Of(de.Tier)
			*l = append(*l, de.ID)
		}
	}
	return bt
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

func writeFindings(b *strings.Builder, fs []Finding) {
	b.WriteString("FINDINGS\n")
	if len(fs) == 0 {
		b.WriteString("  none\n")
	}
	for _, f := range fs {
		loc := diag.Pos{File: f.File, Line: f.Line, Col: f.Column}.String()
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
