package cli

import (
	"github.com/spf13/cobra"

	"github.com/spofhq/spof/internal/analysis"
	"github.com/spofhq/spof/internal/out/simulate"
)

type impactOptions struct {
	path   string
	id     string
	format string
}

func newImpactCmd(s *app) *cobra.Command {
	o := impactOptions{}
	cmd := &cobra.Command{
		Use:   "impact PATH ID",
		Short: "show everything that depends on an entity, and what its failure takes down",
		Long: `Impact lists everything that depends on ID, directly or transitively, split into what goes down if ID
fails alone (each with the path of the failure, as in analyze) and what depends on it but stays up,
kept up by a redundancy group that holds (each with a dependency path to ID). Run it before switching
a provider off, a maintenance window or a decommissioning.`,
		Example: "  spof impact inventories/telephony-before hostco",
		Args:    exactArgs(2, "PATH and ID"),
		RunE: func(_ *cobra.Command, args []string) error {
			o.path, o.id = args[0], args[1]
			return runImpact(s, o)
		},
	}
	formatFlag(cmd, &o.format, simulate.ImpactFormats)
	return cmd
}

func runImpact(s *app, o impactOptions) error {
	write, err := lookupFormat(simulate.ImpactFormats, o.format)
	if err != nil {
		return err
	}
	inv, err := s.loadInventory(o.path)
	if err != nil {
		return err
	}
	ids, err := lookupIDs(inv, []string{o.id}, "impact")
	if err != nil {
		return err
	}
	s.progressLine().phase("analysing", 0, "")
	res := analysis.Analyze(inv, analysis.Options{MaxOrder: 1})
	return write(s.Out, simulate.NewEntityImpact(res, ids[0]), inv)
}
