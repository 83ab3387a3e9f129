package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/spofhq/spof/internal/human"
	"github.com/spofhq/spof/internal/model"
)

func newValidateCmd(s *app) *cobra.Command {
	return &cobra.Command{
		Use:   "validate PATH",
		Short: "check an inventory and print what it holds",
		Long: `Validate loads the inventory at PATH (a .toml file or a folder) and checks it: TOML syntax, tables
and keys, IDs, references and their kinds, requirement groups, tiers and phone numbers. It prints a
one-line summary, or every problem as file:line:col: error: message, sorted by file and line.`,
		Example: "  spof validate inventories/platform",
		Args:    exactArgs(1, "PATH"),
		RunE: func(_ *cobra.Command, args []string) error {
			inv, err := s.loadInventory(args[0])
			if err != nil {
				return err
			}
			_, err = fmt.Fprintf(s.Out, "%s: ok, %s\n", args[0], Summary(inv))
			return err
		},
	}
}

// Summary reads "42 entities: 3 providers, 9 services, 2 numbers, 8 vms, 20 components in 5 files".
func Summary(inv *model.Inventory) string {
	counts := inv.CountByKind()
	var parts []string
	for _, k := range model.Kinds {
		parts = append(parts, fmt.Sprintf("%d %s", counts[k], human.Plural(counts[k], k.String(), k.Table())))
	}
	return fmt.Sprintf("%d %s (%s) in %d %s", inv.Len(), human.Plural(inv.Len(), "entity", "entities"),
		strings.Join(parts, ", "), len(inv.Files), human.Plural(len(inv.Files), "file", "files"))
}

// exactArgs is cobra.ExactArgs with a message that names the missing argument, as a usage error.
func exactArgs(n int, names string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) != n {
			return usageErrorf("%s takes %s (got %s); see %s --help", cmd.Name(), names, human.Count(len(args), "argument", "arguments"), cmd.CommandPath())
		}
		return nil
	}
}
