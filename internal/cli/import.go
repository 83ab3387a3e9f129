package cli

import "github.com/spf13/cobra"

func newImportCmd(s IOStreams) *cobra.Command {
	return &cobra.Command{Use: "import", Short: "write an inventory from an existing catalog"}
}
