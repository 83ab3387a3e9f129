package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/spf13/cobra"

	"github.com/spofhq/spof/internal/analysis"
	"github.com/spofhq/spof/internal/avail"
	"github.com/spofhq/spof/internal/model"
	"github.com/spofhq/spof/internal/view"
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
}

var analyzeFormats = []string{"text", "json"}

func newAnalyzeCmd(s IOStreams) *cobra.Command {
	o := analyzeOptions{}
	cmd := &cobra.Command{
		Use:   "analyze PATH",
		Short: "Find every service's single points of failure, tolerance and minimal cut sets",
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
		RunE: func(_ *cobra.Command, args []string) error {
			o.path = args[0]
			return runAnalyze(s, o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.format, "format", "text", "output format: text or json")
	f.IntVar(&o.maxOrder, "max-order", 3, fmt.Sprintf("largest cut set searched, 1 to %d (1: SPOFs only)", analysis.MaxOrder))
	f.IntVar(&o.maxCutSets, "max-cut-sets", 100, "most cut sets listed per service (0: all)")
	f.StringSliceVar(&o.services, "service", nil, "analyze only these services (repeat or comma-separate)")
	f.IntVar(&o.top, "top", 10, "entities shown in the critical-dependency and improve-first rankings of the text output (0: all)")
	f.BoolVar(&o.availability, "availability", true, "compute availability, SLOs and importance (--availability=false saves the time on huge inventories)")
	f.StringVar(&o.untestedAfter, "untested-after", "", "age (like 180d or 36h) after which a failover drill no longer proves a redundancy group")
	return cmd
}

func checkFormat(format string, formats []string) error {
	if !slices.Contains(formats, format) {
		return usageErrorf("unknown format %q: want one of %v", format, formats)
	}
	return nil
}

func runAnalyze(s IOStreams, o analyzeOptions) error {
	if err := checkFormat(o.format, analyzeFormats); err != nil {
		return err
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
	now, err := clock(s)
	if err != nil {
		return err
	}
	inv, err := loadInventoryAt(o.path, now)
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
	res := analysis.Analyze(inv, analysis.Options{MaxOrder: o.maxOrder})
	vo := view.Options{Services: only, MaxCutSets: o.maxCutSets}
	if o.availability {
		vo.Avail = avail.Compute(res, avail.Options{})
	}
	if o.untestedAfter != "" {
		vo.Failover = avail.NewFailover(res, avail.Cutoff(now(), age))
	}
	a := view.NewAnalysis(res, vo)
	if o.format == "json" {
		return writeJSON(s.Out, a)
	}
	return view.WriteText(s.Out, a, inv, view.TextOptions{CutSetsShown: 5, TopEntities: o.top, Platform: only == nil})
}

// writeJSON writes v indented, with a final newline; HTML characters stay readable.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
