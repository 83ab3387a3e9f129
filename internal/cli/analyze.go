package cli

import (
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/spf13/cobra"

	"github.com/spofhq/spof/internal/analysis"
	"github.com/spofhq/spof/internal/avail"
	"github.com/spofhq/spof/internal/model"
	"github.com/spofhq/spof/internal/out/analyze"
)

type analyzeOptions struct {
	path       string
	output     string
	format     string
	maxOrder   int
	maxCutSets int
	services   []string
	top        int
	paths      string
	// availability computes availability, SLOs and importance; untestedAfter, when set, is the age
	// beyond which a failover drill no longer proves a group (e.g. "180d").
	availability  bool
	untestedAfter string
	// nodes is the live BDD nodes of one module beyond which it is bounded; timeout the time
	// after which the services left are bounded (0: none); samples the Monte Carlo draws that
	// estimate a bounded service within its interval (0: none).
	nodes   int
	timeout time.Duration
	samples int
}

// defaultAvailabilityTimeout is the time budget of analyze: past it, the services whose
// availability is not computed yet are bounded without their circuit, and say so. It is far above
// what the largest generated platforms need (BENCHMARKS.md), so that output stays byte-identical
// from run to run unless something is wrong; it only keeps an unexpected inventory from running for
// an hour.
const defaultAvailabilityTimeout = 5 * time.Minute

func newAnalyzeCmd(s *app) *cobra.Command {
	o := analyzeOptions{}
	cmd := &cobra.Command{
		Use:   "analyze PATH",
		Short: "find every service's single points of failure, tolerance and minimal cut sets",
		Long: `Analyze computes, for every service of the inventory at PATH, its single points of failure (SPOFs)
with one dependency path each, its tolerance (the size of its smallest cut set, searched up to
--max-order) and its minimal cut sets; then, platform-wide, the providers that are SPOFs, the entities
whose single failure takes down the most, and findings: false redundancy, dependency cycles, critical
or high services without owner, unused entities.

With independent failures and each entity's availability (its availability key, mttf_hours and
mttr_hours, the [defaults] table or a built-in default), it also computes every service's
availability and expected downtime, whether its slo is met, the entities its downtime comes from, the
SPOFs that break the rule of the extra nine, and platform-wide what to improve first. Availability is
exact where its diagrams fit --availability-nodes, and otherwise a guaranteed interval (method
"bounds"), never an estimate; the slo verdict is then met, missed or undecided. Past
--availability-timeout, the services left are bounded too, and stderr says so: the output then
depends on the machine's speed. With --untested-after, a redundancy group whose tested date is
missing or older is assumed not to fail over, and the SPOFs that appear are reported as "spofs if
failover fails". Dates are judged against today, or SOURCE_DATE_EPOCH when set. See
docs/availability.md.

A command that runs longer than two seconds shows what it is doing on standard error when that is a
terminal; --quiet silences it.

Each SPOF comes with a dependency path from the service to it. The text shows a path of up to 8
entities whole, and of a longer one the first 6, how many are left out and the SPOF; --paths full
spells every path out. The JSON gives every path whole; --paths next gives only each path's first
step ("next"), --paths none no path, for platforms whose paths are long: a chain of 1,000 services
has half a billion path steps.

The JSON output (--format json) is a stable contract documented in README.md.`,
		Example: `  spof analyze inventories/telephony-before
  spof analyze inventories/platform --service webshop
  spof analyze inventories/platform --format json --max-order 2
  spof analyze inventories/telephony-after --untested-after 180d`,
		Args: exactArgs(1, "PATH"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := requireValues(cmd, "output"); err != nil {
				return err
			}
			o.path = args[0]
			return runAnalyze(s, o)
		},
	}
	f := cmd.Flags()
	formatFlag(cmd, &o.format, analyze.Formats)
	outputFlag(cmd, &o.output)
	f.IntVar(&o.maxOrder, "max-order", 3, fmt.Sprintf("largest cut set searched, 1 to %d (1: SPOFs only)", analysis.MaxOrder))
	f.IntVar(&o.maxCutSets, "max-cut-sets", 100, "most cut sets of two or more entities listed per service (0: all)")
	f.StringSliceVar(&o.services, "service", nil, "analyze only these services (repeat or comma-separate)")
	f.StringVar(&o.paths, "paths", "", "how much of each SPOF's path to show: full, short (text only), next or none (default short in text, full in JSON)")
	f.IntVar(&o.top, "top", 10, "entities shown in the critical-dependency and improve-first rankings of the text output (0: all)")
	f.BoolVar(&o.availability, "availability", true, "compute availability, SLOs and importance")
	f.IntVar(&o.nodes, "availability-nodes", avail.DefaultNodeLimit, "live BDD nodes of one module beyond which its availability is bounded rather than exact")
	f.DurationVar(&o.timeout, "availability-timeout", defaultAvailabilityTimeout, "time after which the services left get bounds without a circuit (0: no limit; output then never depends on speed)")
	f.IntVar(&o.samples, "samples", 0, "Monte Carlo draws estimating each bounded availability within its interval (seeded: reproducible)")
	f.StringVar(&o.untestedAfter, "untested-after", "", "age (like 180d or 36h) after which a failover drill no longer proves a redundancy group")
	return cmd
}

func runAnalyze(s *app, o analyzeOptions) error {
	write, err := lookupFormat(analyze.Formats, o.format)
	if err != nil {
		return err
	}
	if o.maxCutSets < 0 {
		return usageErrorf("--max-cut-sets must be 0 (all) or more, got %d", o.maxCutSets)
	}
	if o.top < 0 {
		return usageErrorf("--top must be 0 (all) or more, got %d", o.top)
	}
	if o.maxOrder < 1 || o.maxOrder > analysis.MaxOrder {
		return usageErrorf("--max-order must be between 1 and %d, got %d", analysis.MaxOrder, o.maxOrder)
	}
	paths, err := parsePaths(o.paths, o.format)
	if err != nil {
		return err
	}
	switch {
	case o.nodes < 1:
		return usageErrorf("--availability-nodes must be 1 or more, got %d", o.nodes)
	case o.timeout < 0:
		return usageErrorf("--availability-timeout must be 0 (no limit) or more, got %v", o.timeout)
	case o.samples < 0:
		return usageErrorf("--samples must be 0 (none) or more, got %d", o.samples)
	}
	start := s.elapsed()
	p := s.progressLine()
	var age time.Duration
	if o.untestedAfter != "" {
		var err error
		if age, err = avail.ParseAge(o.untestedAfter); err != nil {
			return usageErrorf("--untested-after: %v", err)
		}
	}
	restoreGC := relaxGC() // through the load, the analysis and availability, written as it comes (see relaxGC)
	defer restoreGC()
	inv, err := s.loadInventoryFor(o.path, o.output)
	if err != nil {
		return err
	}
	var only []int32
	if len(o.services) > 0 {
		if only, err = lookupIDs(inv, o.services, "--service"); err != nil {
			return err
		}
		for _, i := range only {
			if e := &inv.Entities[i]; e.Kind != model.Service {
				return usageErrorf("--service: %s is a %s, not a service", e.ID, e.Kind)
			}
		}
		slices.Sort(only)
		only = slices.Compact(only)
	}
	p.phase("analysing", 0, "")
	// --paths none needs no path: the analysis skips a third of its work and their tables, unless
	// the blind spots read them.
	res := analysis.Analyze(inv, analysis.Options{MaxOrder: o.maxOrder, MaxCutSets: o.maxCutSets,
		SkipPaths: paths == analyze.PathsNone && !analysis.DetectionReadsPaths(inv)})
	vo := analyze.Options{Services: only, MaxCutSets: o.maxCutSets, Now: s.now(), Paths: paths,
		Text: analyze.TextOptions{CutSetsShown: 5, TopEntities: o.top, Platform: only == nil}}
	// Availability is computed while the document is written: the writer waits for each service's
	// figures, and the services after it are computed meanwhile.
	what, total := "writing", 0
	if o.availability {
		total = len(only)
		if only == nil {
			total = inv.CountByKind()[model.Service]
		}
		what = "computing availability and writing"
		ao := avail.Options{Services: only, NodeLimit: o.nodes, Samples: o.samples, Progress: p.set}
		if o.timeout > 0 {
			ao.Deadline = start.Add(o.timeout)
		}
		vo.Avail = avail.Start(res, ao)
	}
	if o.untestedAfter != "" {
		p.phase("checking failover", 0, "")
		vo.Failover = avail.NewFailover(res, avail.Cutoff(s.now(), age))
	}
	err = streamOutputWhile(s, o.output, what, total, "services", func(w io.Writer) error { return write(w, res, vo) })
	if err != nil {
		return err
	}
	if vo.Avail != nil {
		if n := vo.Avail.BoundedBy(avail.TimeBudget); n > 0 {
			p.finish()
			fmt.Fprintf(s.Err, "spof: the availability time budget (%v) ran out: %d services are bounded without their circuit (availability_bounded_by \"time\"), and this output depends on the machine's speed; --availability-timeout 0 lifts the budget\n", o.timeout, n)
		}
	}
	return nil
}

// parsePaths reads the --paths of analyze, simulate, impact and check, given with --format format.
func parsePaths(name, format string) (analyze.Paths, error) {
	paths, ok := analyze.ParsePaths(name)
	switch {
	case !ok:
		return paths, usageErrorf("unknown --paths %q: want one of full, short, next, none", name)
	case paths == analyze.PathsShort && format == "json":
		return paths, usageErrorf("--paths short shortens paths for people to read, which JSON never does: want full, next or none with --format json")
	}
	return paths, nil
}
