package cli

import (
	"bytes"

	"github.com/spf13/cobra"

	"github.com/spofhq/spof/internal/schema"
)

func newSchemaCmd(s *app) *cobra.Command {
	var output string
	cmd := &cobra.Command{
		Use:   "schema",
		Short: "print the JSON Schema of inventory files, for editors",
		Long: `Schema prints the JSON Schema (draft 2020-12) of spof inventory files, generated from the key table
the loader itself uses: every table, key and value type, with a description of each. Editors that read
JSON Schema for TOML, such as Taplo and the Even Better TOML extension of VS Code, then complete keys,
show their documentation and underline mistakes as you type. Point a file at the schema with a first
line like

  #:schema ./spof.schema.json

The schema checks each file on its own; references between files (unknown or wrong-kind IDs) are left
to spof validate.`,
		Example: `  spof schema -o inventories/spof.schema.json`,
		Args:    noArgs,
		RunE: func(_ *cobra.Command, _ []string) error {
			var b bytes.Buffer
			if err := schema.Generate(&b); err != nil {
				return err
			}
			return writeOutput(s, output, b.Bytes())
		},
	}
	outputFlag(cmd, &output)
	return cmd
}

// noArgs is cobra.NoArgs as a usage error that says what to do.
func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usageErrorf("%s takes no arguments (got %q); see %s --help", cmd.Name(), args, cmd.CommandPath())
	}
	return nil
}
