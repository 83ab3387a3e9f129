package cli

import (
	"io"

	"github.com/spf13/cobra"

	"github.com/spofhq/spof/internal/analysis"
	"github.com/spofhq/spof/internal/out/analyze"
	"github.com/spofhq/spof/internal/out/simulate"
)

type simulateOptions struct {
	path     string
	output   string
	fail     []string
	incident string
	format   string
	// pathsName is --paths as given; paths what it means.
	pathsName string
	paths     analyze.Paths
}

func newSimulateCmd(s *app) *cobra.Command {
	o := simulateOptions{}
	cmd := &cobra.Command{
		Use:   "simulate PATH (--fail ID[,ID...] | --incident ID)",
		Short: "replay a failure and show its blast radius",
		Long: `Simulate fails the given entities and shows everything that goes down as a consequence (the least
fixed point, as in analyze), grouped by kind and tier, each with the chain that brought it down
(support-line ← num-support ← carrier-a: each step a dependency to blame, shortest first); then the
redundancy groups that were defeated (they lost too many members, often because the members shared
what failed), and those that lost members but held, keeping their entity up.

With --incident, it replays an incident recorded in the inventory ([incidents.<id>]): the failure of
its failed entities, simulated exactly as --fail would, on the inventory as it is today. First comes,
for each service the incident took down then, whether it would go down again and through which chain,
or what holds it up now (the redundancy a fix added); then the services it would take down that the
record does not list; then the simulation. See docs/incidents.md.

The text shows a chain of up to 8 entities whole, and of a longer one the first 6, how many are left
out and the failed entity, as analyze shows paths; --paths full spells every chain out. The JSON
gives every chain whole; --paths next gives only each chain's first step ("next"), --paths none no
chain: a chain of 200,000 services failing at its end has 20 billion chain steps.

Exit status: 0 whatever goes down, 2 for an unknown ID or invalid inventory.`,
		Example: `  spof simulate inventories/telephony-before --fail hostco
  spof simulate inventories/telephony-after --fail hostco,carrier-a --format json
  spof simulate inventories/platform --fail hostco --format json --paths next
  spof simulate inventories/telephony-after --incident 2026-06-18-hostco`,
		Args: exactArgs(1, "PATH"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := requireValues(cmd, "incident", "output"); err != nil {
				return err
			}
			o.path = args[0]
			return runSimulate(s, o)
		},
	}
	f := cmd.Flags()
	f.StringSliceVar(&o.fail, "fail", nil, "entities that fail (repeat or comma-separate)")
	f.StringVar(&o.incident, "incident", "", "replay the failure of an incident recorded in the inventory")
	f.StringVar(&o.pathsName, "paths", "", "how much of each chain to show: full, short (text only), next or none (default short in text, full in JSON)")
	formatFlag(cmd, &o.format, simulate.SimulationFormats)
	outputFlag(cmd, &o.output)
	return cmd
}

func runSimulate(s *app, o simulateOptions) (err error) {
	if o.paths, err = parsePaths(o.pathsName, o.format); err != nil {
		return err
	}
	switch {
	case o.incident != "" && len(o.fail) > 0:
		return usageErrorf("give --fail or --incident, not both: an incident replays the failures it recorded")
	case o.incident != "":
		return runReplay(s, o)
	case len(o.fail) == 0:
		return usageErrorf("say what fails: --fail ID[,ID...], or --incident ID to replay a recorded incident")
	}
	write, err := lookupFormat(simulate.SimulationFormats, o.format)
	if err != nil {
		return err
	}
	inv, err := s.loadInventoryFor(o.path, o.output)
	if err != nil {
		return err
	}
	failed, err := lookupIDs(inv, o.fail, "--fail")
	if err != nil {
		return err
	}
	s.progressLine().phase("analysing", 0, "")
	res := analysis.AnalyzeSPOFs(inv)
	sim := simulate.NewSimulation(res, failed)
	sim.Paths = o.paths
	return streamOutput(s, o.output, func(w io.Writer) error { return write(w, sim, inv) })
}
