package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"github.com/spofhq/spof/internal/diag"
	"github.com/spofhq/spof/internal/importer"
	"github.com/spofhq/spof/internal/model"
)

type importOptions struct {
	output string
	stubs  bool
}

func newImportCmd(s *app) *cobra.Command {
	o := &importOptions{}
	cmd := &cobra.Command{
		Use:   "import",
		Short: "write an inventory file from a Backstage catalog or a CSV export",
		Long: `Import writes a spof inventory file from what an organisation already keeps: a Backstage catalog
(spof import backstage) or a CMDB export in CSV (spof import csv). The file is a valid inventory that
you then enrich by hand, with redundancy groups, availability and comments.

With -o FILE, an existing FILE is updated, not overwritten. The import owns only the keys it writes:
on each run they take the source's value; every other key, and the comments, stay as you wrote them.
A reference you turned into a group ({ any_of = [...] }) is yours from then on. Entities the source
no longer lists are kept and reported, never deleted. A line ending with the comment # spof:keep
(on a key, or on a table header for the whole entity) is never touched.

The import declares a stub entity for each entity it refers to but does not describe (a cluster in a
VM export, a database outside the catalog), so that the file validates on its own. When it joins an
inventory that declares them, use --stubs=false.`,
		RunE: func(*cobra.Command, []string) error {
			return usageErrorf("import needs a source: spof import backstage DIR or spof import csv FILE --kind KIND")
		},
	}
	pf := cmd.PersistentFlags()
	pf.StringVarP(&o.output, "output", "o", "", "write to this inventory file, updating it if it exists (default: standard output)")
	pf.BoolVar(&o.stubs, "stubs", true, "declare stub entities for references the source does not describe")
	cmd.AddCommand(newImportBackstageCmd(s, o), newImportCSVCmd(s, o))
	return cmd
}

func newImportBackstageCmd(s *app, io *importOptions) *cobra.Command {
	var tiers map[string]string
	cmd := &cobra.Command{
		Use:   "backstage DIR",
		Short: "import the Component, API, Resource and System entities of a Backstage catalog",
		Long: `Backstage reads every catalog-info.yaml (or .yml) under DIR, or the one YAML file DIR names, with
any number of entities per file, and maps them:

  Component  services.<name>: tier from spec.lifecycle; depends_on its dependsOn and consumesApis
  API        services.<name>: tier from spec.lifecycle; runs_on the components that provide it
  Resource   components.<name>: type from spec.type; depends_on its dependsOn
  System     services.<name>: depends_on its components; tier the most critical of theirs

and for all: name from metadata.title, description, tags, owner (the name of spec.owner);
dependencyOf adds the reverse depends_on. Lifecycles map to tiers as production=high,
experimental=low, deprecated=low, anything else medium; change it with --tier. Backstage has no
notion of criticality: mark critical services by hand (and end the line with # spof:keep).

IDs are the entity names in lower case, with "namespace." in front outside the default namespace;
when two kinds share a name, the first of Component, API, Resource, System keeps it and the others get
"-kind" appended (orders, orders-system). Group, User, Domain, Location and Template are skipped.`,
		Example: `  spof import backstage ./catalog -o inventories/platform/backstage.toml
  spof import backstage ./catalog --tier production=critical,beta=medium`,
		Args: exactArgs(1, "DIR"),
		RunE: func(_ *cobra.Command, args []string) error {
			o := importer.BackstageOptions{Tiers: map[string]model.Tier{}, NoStubs: !io.stubs}
			for lc, t := range tiers {
				tier, ok := model.ParseTier(strings.ToLower(t))
				if !ok {
					return usageErrorf("--tier %s=%s: invalid tier %q: want one of %s%s", lc, t, t, strings.Join(model.TierNames(), ", "), diag.DidYouMean(t, model.TierNames()))
				}
				o.Tiers[strings.ToLower(lc)] = tier
			}
			root := args[0]
			info, err := os.Stat(root)
			if err != nil {
				return usageErrorf("cannot read %s: %v", root, diag.DescribeFSError(err))
			}
			dir, base := root, "."
			if !info.IsDir() {
				dir, base = filepath.Dir(root), filepath.Base(root)
			}
			files, err := importer.CatalogFiles(os.DirFS(dir), base)
			if err != nil {
				return fmt.Errorf("read %s: %w", root, err)
			}
			if len(files) == 0 {
				return usageErrorf("no catalog-info.yaml found in %s", root)
			}
			im := importer.Backstage(os.DirFS(dir), files, func(p string) string { return filepath.Join(dir, filepath.FromSlash(p)) }, o)
			im.Source = "the Backstage catalog in " + filepath.ToSlash(root)
			return finishImport(s, io, im)
		},
	}
	cmd.Flags().StringToStringVar(&tiers, "tier", nil, "map a lifecycle to a tier, as LIFECYCLE=TIER (repeat or comma-separate)")
	return cmd
}

func newImportCSVCmd(s *app, io *importOptions) *cobra.Command {
	var kind, idColumn, delimiter string
	var mapping map[string]string
	cmd := &cobra.Command{
		Use:   "csv FILE --kind KIND",
		Short: "import one entity per row of a CSV file with a header row",
		Long: `Csv reads FILE, a table with a header row such as a CMDB export, and declares one entity of --kind per
row. --id-column names the column of IDs; --map KEY=COLUMN maps a column to an inventory key, and
columns named like a key of the kind (Name, Owner, Host, Customer Facing...) are mapped without it.

Cells are read by the type of their key: booleans as true/false, yes/no or 1/0; tags and references
as lists separated by ',' or ';' (a reference list means each is required: write redundancy groups in
the inventory, re-imports keep them); availability as 0.9995 or 99.95%. IDs, in the ID column and in
references, are lower-cased with other characters replaced by '-' (DB Server 1 becomes db-server-1).
Empty cells set nothing.`,
		Example: `  spof import csv cmdb-vms.csv --kind vms --id-column Hostname --map host=Cluster,site=Datacenter -o inventories/platform/vms.toml
  spof import csv export.csv --kind components --delimiter ';' --stubs=false`,
		Args: exactArgs(1, "FILE"),
		RunE: func(_ *cobra.Command, args []string) error {
			k, ok := model.KindNamed(kind)
			if !ok {
				return usageErrorf("--kind %q: want one of %s%s", kind, strings.Join(model.Tables(), ", "), diag.DidYouMean(kind, model.Tables()))
			}
			if delimiter == `\t` {
				delimiter = "\t"
			}
			comma, size := utf8.DecodeRuneInString(delimiter)
			if delimiter == "" || size != len(delimiter) {
				return usageErrorf("--delimiter must be one character, got %q", delimiter)
			}
			f, err := os.Open(args[0])
			if err != nil {
				return usageErrorf("cannot read %s: %v", args[0], diag.DescribeFSError(err))
			}
			defer f.Close()
			im, err := importer.CSV(f, args[0], importer.CSVOptions{Kind: k, IDColumn: idColumn, Map: mapping, Comma: comma, NoStubs: !io.stubs})
			var ue *importer.UsageError
			if errors.As(err, &ue) {
				return usageErrorf("%v", err)
			}
			if err != nil {
				return err
			}
			return finishImport(s, io, im)
		},
	}
	f := cmd.Flags()
	f.StringVar(&kind, "kind", "", "the table rows go to: "+strings.Join(model.Tables(), ", ")+" (or the singular: vm)")
	f.StringVar(&idColumn, "id-column", "id", "the column holding IDs")
	f.StringToStringVar(&mapping, "map", nil, "map a key to a column, as KEY=COLUMN (repeat or comma-separate)")
	f.StringVar(&delimiter, "delimiter", ",", `the field separator: one character, or \t for tabs`)
	_ = cmd.MarkFlagRequired("kind")
	_ = cmd.RegisterFlagCompletionFunc("kind", cobra.FixedCompletions(model.Tables(), cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

// finishImport reports the import's problems, merges it into the output file and writes it.
func finishImport(s *app, o *importOptions, im *importer.Import) error {
	if im.Diags.HasErrors() {
		return &exitError{code: ExitInvalid, diags: im.Diags}
	}
	if err := diag.Write(s.Err, im.Diags); err != nil {
		return err
	}
	name := o.output
	var old []byte
	if name != "" && name != "-" {
		var err error
		old, err = os.ReadFile(name)
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return usageErrorf("cannot read %s: %v", name, diag.DescribeFSError(err))
		}
	} else {
		name = "<stdout>"
	}
	out, rep, diags := importer.Merge(name, old, im)
	if diags.HasErrors() {
		return &exitError{code: ExitInvalid, diags: diags}
	}
	if err := diag.Write(s.Err, rep.Diags); err != nil {
		return err
	}
	if err := writeOutput(s, o.output, out); err != nil {
		return err
	}
	if o.output != "" && o.output != "-" {
		_, err := fmt.Fprintf(s.Err, "%s: %s\n", o.output, rep)
		return err
	}
	return nil
}
