package cli

import (
	"fmt"
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
	format     string
	maxOrder   int
	maxCutSets int
	services   []string
	top        int
	// availability computes availability, SLOs and importance; untestedAfter, when set, is the age
	// beyond which a failover drill no longer proves a group (e.g. "180d").
	availability  bool
	untestedAfter string
	// availabilitySet is true when --availability was given, which lifts availabilityAutoLimit.
	availabilitySet bool
}

// availabilityAutoLimit is the number of services above which availability is only computed when
// asked for: exact availability costs about a second per thousand services of a large platform, far
// more than the rest of the analysis.
const availabilityAutoLimit = 20000

// countServices returns how many services an analysis covers: only, or all of inv's.
func countServices(inv *model.Inventory, only []int32) int {
	if only != nil {
		return len(only)
	}
	return inv.CountByKind()[model.Service]
}

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
mttr_hours, the [defaults] table or a built-in default), it also computes every service's exact
availability and expected downtime, whether its slo is met, the entities its downtime comes from, the
SPOFs that break the rule of the extra nine, and platform-wide what to improve first. With
--untested-after, a redundancy group whose tested date is missing or older is assumed not to fail
over, and the SPOFs that appear are reported as "spofs if failover fails". Dates are judged against
today, or SOURCE_DATE_EPOCH when set. See docs/availability.md.

The JSON output (--format json) is a stable contract documented in README.md.`,
		Example: `  spof analyze inventories/telephony-before
  spof analyze inventories/platform --service webshop
  spof analyze inventories/platform --format json --max-order 2
  spof analyze inventories/telephony-after --untested-after 180d`,
		Args: exactArgs(1, "PATH"),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.path = args[0]
			o.availabilitySet = cmd.Flags().Changed("availability")
			return runAnalyze(s, o)
		},
	}
	f := cmd.Flags()
	formatFlag(cmd, &o.format, analyze.Formats)
	f.IntVar(&o.maxOrder, "max-order", 3, fmt.Sprintf("largest cut set searched, 1 to %d (1: SPOFs only)", analysis.MaxOrder))
	f.IntVar(&o.maxCutSets, "max-cut-sets", 100, "most cut sets of two or more entities listed per service (0: all)")
	f.StringSliceVar(&o.services, "service", nil, "analyze only these services (repeat or comma-separate)")
	f.IntVar(&o.top, "top", 10, "entities shown in the critical-dependency and improve-first rankings of the text output (0: all)")
	f.BoolVar(&o.availability, "availability", true, "compute availability, SLOs and importance (by default only up to 20,000 services)")
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
	if o.maxOrder < 1 || o.maxOrder > analysis.MaxOrder {
		return usageErrorf("--max-order must be between 1 and %d, got %d", analysis.MaxOrder, o.maxOrder)
	}
	var age time.Duration
	if o.untestedAfter != "" {
		var err error
		if age, err = avail.ParseAge(o.untestedAfter); err != nil {
			return usageErrorf("--untested-after: %v", err)
		}
	}
	restoreGC := relaxGC() // through the load and the analysis (see relaxGC)
	defer restoreGC()
	inv, err := s.loadInventory(o.path)
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
	res := analysis.Analyze(inv, analysis.Options{MaxOrder: o.maxOrder, MaxCutSets: o.maxCutSets})
	restoreGC()
	vo := analyze.Options{Services: only, MaxCutSets: o.maxCutSets,
		Text: analyze.TextOptions{CutSetsShown: 5, TopEntities: o.top, Platform: only == nil}}
	if o.availability {
		if n := countServices(inv, only); !o.availabilitySet && n > availabilityAutoLimit {
			fmt.Fprintf(s.Err, "spof: availability not computed for %d services (more than %d): it takes about a second per thousand; pass --availability to compute it\n", n, availabilityAutoLimit)
		} else {
			vo.Avail = avail.Compute(res, avail.Options{Services: only})
		}
	}
	if o.untestedAfter != "" {
		vo.Failover = avail.NewFailover(res, avail.Cutoff(s.now(), age))
	}
	return write(s.Out, res, vo)
}
