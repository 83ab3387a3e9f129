package cli

import (
	"github.com/spf13/cobra"

	"github.com/spofhq/spof/internal/analysis"
	"github.com/spofhq/spof/internal/out/simulate"
)

type simulateOptions struct {
	path   string
	fail   []string
	format string
}

func newSimulateCmd(s *app) *cobra.Command {
	o := simulateOptions{}
	cmd := &cobra.Command{
		Use:   "simulate PATH --fail ID[,ID...]",
		Short: "replay a failure and show its blast radius",
		Long: `Simulate fails the given entities and shows everything that goes down as a consequence (the least
fixed point, as in analyze), grouped by kind and tier, each with the chain that brought it down
(support-line ← num-support ← carrier-a: each step a dependency to blame, shortest first); then the
redundancy groups that were defeated (they lost too many members, often because the members shared
what failed), and those that lost members but held, keeping their entity up.

Exit status: 0 whatever goes down, 2 for an unknown ID or invalid inventory.`,
		Example: `  spof simulate inventories/telephony-before --fail hostco
  spof simulate inventories/telephony-after --fail hostco,carrier-a --format json`,
		Args: exactArgs(1, "PATH"),
		RunE: func(_ *cobra.Command, args []string) error {
			o.path = args[0]
			return runSimulate(s, o)
		},
	}
	f := cmd.Flags()
	f.StringSliceVar(&o.fail, "fail", nil, "entities that fail (repeat or comma-separate)")
	formatFlag(cmd, &o.format, simulate.SimulationFormats)
	_ = cmd.MarkFlagRequired("fail")
	return cmd
}

func runSimulate(s *app, o simulateOptions) error {
	write, err := lookupFormat(simulate.SimulationFormats, o.format)
	if err != nil {
		return err
	}
	inv, err := s.loadInventory(o.path)
	if err != nil {
		return err
	}
	failed, err := lookupIDs(inv, o.fail, "--fail")
	if err != nil {
		return err
	}
	s.progressLine().phase("analysing", 0, "")
	res := analysis.Analyze(inv, analysis.Options{MaxOrder: 1})
	return write(s.Out, simulate.NewSimulation(res, failed), inv)
}
