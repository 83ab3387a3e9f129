package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"

	"github.com/spf13/cobra"

	"github.com/spofhq/spof/internal/analysis"
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
}

var analyzeFormats = []string{"text", "json"}

func newAnalyzeCmd(s IOStreams) *cobra.Command {
	o := analyzeOptions{}
	cmd := &cobra.Command{
		Use:   "analyze PATH",
		Short: "find every service's single points of failure, tolerance and minimal cut sets",
		Long: `Analyze computes, for every service of the inventory at PATH, its single points of failure (SPOFs)
with one dependency path each, its tolerance (the size of its smallest cut set, searched up to
--max-order) and its minimal cut sets; then, platform-wide, the providers that are SPOFs, the entities
whose single failure takes down the most, and findings: false redundancy, dependency cycles, critical
or high services without owner, unused entities.

The JSON output (--format json) is a stable contract documented in README.md.`,
		Example: `  spof analyze inventories/telephony-before
  spof analyze inventories/platform --service webshop
  spof analyze inventories/platform --format json --max-order 2`,
		Args: exactArgs(1, "PATH"),
		RunE: func(_ *cobra.Command, args []string) error {
			o.path = args[0]
			return runAnalyze(s, o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.format, "format", "text", "output format: text or json")
	f.IntVar(&o.maxOrder, "max-order", 3, fmt.Sprintf("largest cut set searched, 1 to %d (1: SPOFs only)", analysis.MaxOrder))
	f.IntVar(&o.maxCutSets, "max-cut-sets", 100, "most cut sets of two or more entities listed per service (0: all)")
	f.StringSliceVar(&o.services, "service", nil, "analyze only these services (repeat or comma-separate)")
	f.IntVar(&o.top, "top", 10, "entities shown in the critical-dependency ranking of the text output (0: all)")
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
	if o.maxCutSets < 0 {
		return usageErrorf("--max-cut-sets must be 0 (all) or more, got %d", o.maxCutSets)
	}
	if o.maxOrder < 1 || o.maxOrder > analysis.MaxOrder {
		return usageErrorf("--max-order must be between 1 and %d, got %d", analysis.MaxOrder, o.maxOrder)
	}
	inv, err := loadInventory(o.path)
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
	vo := view.Options{Services: only, MaxCutSets: o.maxCutSets}
	if o.format == "json" {
		return view.WriteAnalysisJSON(s.Out, res, vo)
	}
	return view.WriteText(s.Out, res, vo, view.TextOptions{CutSetsShown: 5, TopEntities: o.top, Platform: only == nil})
}

// writeJSON writes v indented, with a final newline; HTML characters stay readable.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
