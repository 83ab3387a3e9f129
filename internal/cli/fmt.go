package cli

import (
	"bytes"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/spofhq/spof/internal/canonical"
	"github.com/spofhq/spof/internal/diag"
	"github.com/spofhq/spof/internal/human"
	"github.com/spofhq/spof/internal/inventory"
	"github.com/spofhq/spof/internal/safefile"
)

type fmtOptions struct {
	paths []string
	check bool
}

func newFmtCmd(s *app) *cobra.Command {
	o := fmtOptions{}
	cmd := &cobra.Command{
		Use:   "fmt PATH...",
		Short: "rewrite inventory files in the canonical layout, keeping comments",
		Long: `Fmt rewrites the inventory files at each PATH (a .toml file, or a folder searched as spof validate
searches it) in one canonical layout, and prints the name of each file it changed:

  - entity tables in the order providers, services, numbers, vms, components; entities keep their
    written order within a kind;
  - keys in the order spof schema lists them (name, description, owner, tags, ..., references last),
    keys spof does not know after them;
  - key = value with single spaces, one-line arrays and inline tables as ["a", "b"] and { k = v },
    no blank line inside a table, one blank line between tables.

Comments are kept: a comment block goes with the table or key right below it, a comment at the end of
a line stays on that line. Values written over several lines and strings are kept as written. Files
are replaced atomically, and only after checking that the new text decodes to the same data.

With --check, fmt changes nothing: it lists the files that are not formatted and exits with status 1
if there is any, for CI. A PATH of - formats standard input to standard output.`,
		Example: `  spof fmt inventories/platform
  spof fmt --check inventories`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usageErrorf("fmt takes one or more PATHs; see spof fmt --help")
			}
			return nil
		},
		RunE: func(_ *cobra.Command, args []string) error {
			o.paths = args
			return runFmt(s, o)
		},
	}
	cmd.Flags().BoolVar(&o.check, "check", false, "change nothing; list the files that are not formatted and exit 1 if any")
	return cmd
}

func runFmt(s *app, o fmtOptions) error {
	var diags diag.List
	changed := 0
	for _, path := range o.paths {
		if path == "-" {
			src, err := io.ReadAll(s.In)
			if err != nil {
				return fmt.Errorf("read standard input: %w", err)
			}
			out, d := canonical.Source("<stdin>", src)
			if d != nil {
				diags = append(diags, d...)
				continue
			}
			if _, err := s.Out.Write(out); err != nil {
				return err
			}
			continue
		}
		srcs, d := inventory.Read(path)
		diags = append(diags, d...)
		for _, src := range srcs {
			out, d := canonical.Source(src.Name, src.Data)
			if d != nil {
				diags = append(diags, d...)
				continue
			}
			if bytes.Equal(out, src.Data) {
				continue
			}
			changed++
			if !o.check {
				err := safefile.WriteFile(src.Name, func(w io.Writer) error {
					_, err := w.Write(out)
					return err
				})
				if err != nil {
					return err
				}
			}
			if _, err := fmt.Fprintln(s.Out, src.Name); err != nil {
				return err
			}
		}
	}
	if diags.HasErrors() {
		diags.Sort()
		return &exitError{code: ExitInvalid, diags: diags}
	}
	if o.check && changed > 0 {
		return &exitError{code: ExitViolation, err: fmt.Errorf("%d %s not formatted: run spof fmt without --check to rewrite", changed, human.Plural(changed, "file", "files"))}
	}
	return nil
}
