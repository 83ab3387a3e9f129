package cli

import (
	"io"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/spofhq/spof/internal/analysis"
	"github.com/spofhq/spof/internal/diag"
	"github.com/spofhq/spof/internal/inventory"
	"github.com/spofhq/spof/internal/model"
	"github.com/spofhq/spof/internal/out/simulate"
	"github.com/spofhq/spof/internal/tomldoc"
)

// runReplay is spof simulate --incident: the replay of a recorded incident.
func runReplay(s *app, o simulateOptions) error {
	write, err := lookupFormat(simulate.IncidentFormats, o.format)
	if err != nil {
		return err
	}
	inv, err := s.loadInventoryFor(o.path, o.output)
	if err != nil {
		return err
	}
	in, err := lookupIncident(inv, o.incident)
	if err != nil {
		return err
	}
	res := analysis.AnalyzeSPOFs(inv)
	sim := simulate.NewIncidentSimulation(res, in)
	sim.Paths = o.paths
	return streamOutput(s, o.output, func(w io.Writer) error { return write(w, sim, inv) })
}

// lookupIncident returns the incident recorded under id, or a usage error that suggests the closest
// ID, or says where incidents are recorded when there is none.
func lookupIncident(inv *model.Inventory, id string) (*model.Incident, error) {
	ids := make([]string, len(inv.Incidents))
	for i := range inv.Incidents {
		if inv.Incidents[i].ID == id {
			return &inv.Incidents[i], nil
		}
		ids[i] = inv.Incidents[i].ID
	}
	if len(ids) == 0 {
		return nil, usageErrorf("--incident: unknown incident %q: the inventory records no incident (an [incidents.<id>] table, see docs/incidents.md)", id)
	}
	hint := diag.DidYouMean(id, ids)
	if hint == "" {
		hint = "; the inventory records " + strings.Join(ids, ", ")
	}
	return nil, usageErrorf("--incident: unknown incident %q%s", id, hint)
}

// completeIncidents completes the incident IDs recorded at the inventory named by the first argument,
// as "id\ttitle". Like completeIDs, it reads each file on its own and skips what does not decode.
func completeIncidents(_ *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	if len(args) == 0 {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	srcs, _ := inventory.Read(args[0])
	var out []string
	for _, src := range srcs {
		data, diags := tomldoc.DecodeData(src)
		if diags != nil {
			continue
		}
		recs, _ := data[model.IncidentsTable].(map[string]any)
		for id, v := range recs {
			if !strings.HasPrefix(id, toComplete) {
				continue
			}
			fields, _ := v.(map[string]any)
			title, _ := fields["title"].(string)
			out = append(out, id+"\t"+title)
		}
	}
	slices.Sort(out)
	return out, cobra.ShellCompDirectiveNoFileComp
}
