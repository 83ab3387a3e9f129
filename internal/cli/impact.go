package cli

import (
	"io"

	"github.com/spf13/cobra"

	"github.com/spofhq/spof/internal/analysis"
	"github.com/spofhq/spof/internal/out/simulate"
)

type impactOptions struct {
	path   string
	output string
	id     string
	format string
	paths  string
}

func newImpactCmd(s *app) *cobra.Command {
	o := impactOptions{}
	cmd := &cobra.Command{
		Use:   "impact PATH ID",
		Short: "show everything that depends on an entity, and what its failure takes down",
		Long: `Impact lists everything that depends on ID, directly or transitively, split into what goes down if ID
fails alone (each with the path of the failure, as in analyze) and what depends on it but stays up,
kept up by a redundancy group that holds (each with a dependency path to ID). Run it before switching
a provider off, a maintenance window or a decommissioning.

The text shows a path of up to 8 entities whole, and of a longer one the first 6, how many are left
out and ID, as analyze does; --paths full spells every path out. The JSON gives every path whole;
--paths next gives only each path's first step ("next"), --paths none no path.`,
		Example: "  spof impact inventories/telephony-before hostco",
		Args:    exactArgs(2, "PATH and ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := requireValues(cmd, "output"); err != nil {
				return err
			}
			o.path, o.id = args[0], args[1]
			return runImpact(s, o)
		},
	}
	formatFlag(cmd, &o.format, simulate.ImpactFormats)
	outputFlag(cmd, &o.output)
	cmd.Flags().StringVar(&o.paths, "paths", "", "how much of each path to show: full, short (text only), next or none (default short in text, full in JSON)")
	return cmd
}

func runImpact(s *app, o impactOptions) error {
	write, err := lookupFormat(simulate.ImpactFormats, o.format)
	if err != nil {
		return err
	}
	paths, err := parsePaths(o.paths, o.format)
	if err != nil {
		return err
	}
	inv, err := s.loadInventoryFor(o.path, o.output)
	if err != nil {
		return err
	}
	ids, err := lookupIDs(inv, []string{o.id}, "impact")
	if err != nil {
		return err
	}
	s.progressLine().phase("analysing", 0, "")
	res := analysis.AnalyzeSPOFs(inv)
	im := simulate.NewEntityImpact(res, ids[0])
	im.Paths = paths
	return streamOutput(s, o.output, func(w io.Writer) error { return write(w, im, inv) })
}
