package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"

	"github.com/spf13/cobra"

	"github.com/spofhq/spof/internal/diag"
	"github.com/spofhq/spof/internal/gitrev"
	"github.com/spofhq/spof/internal/human"
	"github.com/spofhq/spof/internal/inventory"
	"github.com/spofhq/spof/internal/model"
	"github.com/spofhq/spof/internal/out/check"
	"github.com/spofhq/spof/internal/policy"
)

type checkOptions struct {
	path        string
	policyFile  string
	baseline    string
	baselineRef string
	strict      bool
	format      string
	output      string
	paths       string
	printPolicy bool
}

func newCheckCmd(s *app) *cobra.Command {
	var o checkOptions
	cmd := &cobra.Command{
		Use:   "check PATH",
		Short: "fail CI when a change breaks the SPOF policy (new single-provider dependencies, …)",
		Long: `Check evaluates the policy on the inventory at PATH and fails (exit status 1) when a rule of
severity error is broken: by default, a critical or high service that a single provider can take down,
a service reached on published numbers of a single carrier, or an incident recorded in the inventory
that would take down again a service it impacted, or any critical service (docs/incidents.md). See
spof check --print-policy.

The policy is --policy FILE, else spof-policy.toml at the root of PATH, else the built-in one; a policy
file without rules keeps the built-in rules and adds its waivers. A waived violation passes; a waiver
past its expires date fails; a waiver that matches nothing is reported as stale.

With --baseline PATH (another copy of the inventory) or --baseline-ref REV (the inventory at a git
revision, read without touching the work tree), only violations that the baseline does not have fail,
each with the declaration that introduced it; --strict fails the existing ones too.

Today, which decides which waivers have expired and which failover drills are too old for an
untested-redundancy rule, is the system date, or SOURCE_DATE_EPOCH when set.

Each violation of a SPOF, cycle, incident, blind-spot or untested-redundancy rule comes with a
dependency path. The text shows a path of up to 8 entities whole, and of a longer one the first 6,
how many are left out and the last, as spof analyze does; --paths full spells every path out. The
other formats give every path whole by default (their output is a contract); --paths next gives only
each path's first step (JSON: "next" instead of "path"), --paths none no path, and --paths short
shortens the paths in the messages of junit, sarif, github and markdown as in text. A chain of 20,000
critical services ending on a provider has 20,000 violations whose paths hold 2×10^8 entities.

Formats (--format):
` + check.Formats.Help() + `
Exit status: 0 pass, 1 violations, 2 invalid input or usage (the inventory or the policy does not
load, the baseline cannot be read, or a flag is wrong). A baseline that does not load counts as
empty, with a warning. docs/check.md documents the policy file and the formats.`,
		Example: `  spof check inventories/telephony-before
  spof check inventories/telephony-after --baseline-ref origin/main --format github
  spof check inventories/platform --policy ci/spof-policy.toml --format sarif -o spof.sarif
  spof check --print-policy > inventories/platform/spof-policy.toml`,
		Args: func(cmd *cobra.Command, args []string) error {
			if o.printPolicy {
				if len(args) > 0 {
					return usageErrorf("--print-policy takes no PATH")
				}
				return nil
			}
			return exactArgs(1, "PATH")(cmd, args)
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				o.path = args[0]
			}
			if err := requireValues(cmd, "policy", "baseline", "baseline-ref", "output"); err != nil {
				return err
			}
			if o.printPolicy && cmd.Flags().Changed("format") {
				return usageErrorf("--print-policy prints the policy as TOML: --format does not apply")
			}
			return runCheck(cmd.Context(), s, o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.policyFile, "policy", "", "policy file (default: PATH/"+inventory.PolicyFile+" if present, else the built-in policy)")
	f.StringVar(&o.baseline, "baseline", "", "compare with the inventory at this path: only new violations fail")
	f.StringVar(&o.baselineRef, "baseline-ref", "", "compare with the inventory at this git revision (e.g. origin/main): only new violations fail")
	f.BoolVar(&o.strict, "strict", false, "with a baseline, fail on existing violations too")
	formatFlag(cmd, &o.format, check.Formats)
	outputFlag(cmd, &o.output)
	f.StringVar(&o.paths, "paths", "", "how much of each violation's path to show: full, short (not in JSON), next or none (default short in text, full in the other formats)")
	f.BoolVar(&o.printPolicy, "print-policy", false, "print the built-in policy, a valid policy file, and exit")
	return cmd
}

func runCheck(ctx context.Context, s *app, o checkOptions) error {
	if o.printPolicy {
		_, err := io.WriteString(s.Out, policy.DefaultText)
		return err
	}
	newPrinter, err := lookupFormat(check.Formats, o.format)
	if err != nil {
		return err
	}
	paths, err := parsePaths(o.paths, o.format)
	if err != nil {
		return err
	}
	printer := newPrinter(check.Options{Color: o.output == "" && useColor(s), Paths: paths})
	if o.baseline != "" && o.baselineRef != "" {
		return usageErrorf("give --baseline or --baseline-ref, not both")
	}
	// Both are read before either is judged: a policy with a mistake must not hide the inventory's.
	pol, policyFile, perr := loadPolicy(o.path, o.policyFile)
	inv, err := s.loadInventory(o.path)
	if err = joinInvalid(perr, err); err != nil {
		return err
	}
	if diags := pol.CheckSelection(inv); diags.HasErrors() {
		return &exitError{code: ExitInvalid, diags: diags}
	}
	base, baseName, err := loadBaseline(ctx, s, o)
	if err != nil {
		return err
	}
	read := append([]string{policyFile}, inv.Files...)
	roots := []string{o.path}
	if o.baseline != "" {
		roots = append(roots, o.baseline)
		read = append(read, base.Files...)
	}
	if err := checkOutput(o.output, roots, read...); err != nil {
		return err
	}
	s.progressLine().phase("checking the policy", 0, "")
	restoreGC := relaxGC()
	rep := policy.Check(inv, base, pol, policy.Options{Now: s.now, Strict: o.strict, Inventory: o.path, Baseline: baseName})
	restoreGC()
	// Written as it is printed: on a dense platform the text runs to tens of megabytes, which a
	// buffer grew to by doubling, then held whole.
	if err := streamOutput(s, o.output, func(w io.Writer) error { return printer.Print(w, rep) }); err != nil {
		return err
	}
	if !rep.Passed() {
		return &exitError{code: ExitViolation} // the report says why; nothing more to print
	}
	return nil
}

// joinInvalid returns the first of errs that is not nil, with the diagnostics of every other
// invalid-input error added to it, so that all of them are printed together.
func joinInvalid(errs ...error) error {
	var first *exitError
	for _, err := range errs {
		var ee *exitError
		switch {
		case err == nil:
		case first == nil && errors.As(err, &ee) && ee.err == nil:
			first = &exitError{code: ee.code, diags: slices.Clone(ee.diags)}
		case first == nil:
			return err
		case errors.As(err, &ee) && ee.code == first.code && ee.err == nil:
			first.diags = append(first.diags, ee.diags...)
		}
	}
	if first == nil {
		return nil
	}
	return first
}

// useColor is the one place that decides on colour: a terminal, and NO_COLOR unset (no-color.org).
func useColor(s *app) bool {
	return s.OutTTY && (s.Getenv == nil || s.Getenv("NO_COLOR") == "")
}

// loadPolicy returns the policy of flag, else of PATH/spof-policy.toml, else the built-in one, and the
// file it read ("" for the built-in one).
func loadPolicy(path, flag string) (*policy.Policy, string, error) {
	file := flag
	if file == "" {
		candidate := filepath.Join(path, inventory.PolicyFile)
		if fi, err := os.Stat(candidate); err == nil && !fi.IsDir() {
			file = candidate
		}
	}
	if file == "" {
		return policy.Default(), "", nil
	}
	p, diags := policy.Load(file)
	if diags.HasErrors() {
		return nil, "", &exitError{code: ExitInvalid, diags: diags}
	}
	return p, file, nil
}

// loadBaseline returns the baseline inventory and its name, or nil and "" without one. A baseline
// that does not load counts as empty, with a warning: it is what came before the change, and a
// change that repairs it must be able to pass. A baseline path that cannot be read is an error.
func loadBaseline(ctx context.Context, s *app, o checkOptions) (*model.Inventory, string, error) {
	var inv *model.Inventory
	var diags diag.List
	name := o.baseline
	switch {
	case o.baseline != "":
		s.progressLine().phase("loading "+o.baseline, 0, "")
		srcs, unread := inventory.Read(o.baseline)
		if unread.HasErrors() {
			return nil, "", &exitError{code: ExitInvalid, diags: unread} // a mistaken path, not a broken baseline
		}
		inv, diags = inventory.Parse(srcs, s.loadOptions())
	case o.baselineRef != "":
		if ctx == nil {
			ctx = context.Background()
		}
		srcs, err := gitrev.Sources(ctx, o.path, o.baselineRef)
		if err != nil {
			return nil, "", usageErrorf("--baseline-ref: %v", err)
		}
		if len(srcs) == 0 {
			// The inventory is being added: everything in it is new.
			return model.New(nil, nil), fmt.Sprintf("%s (no inventory there)", o.baselineRef), nil
		}
		name = o.baselineRef
		inv, diags = inventory.Parse(srcs, s.loadOptions())
	default:
		return nil, "", nil
	}
	if diags.HasErrors() {
		diags.Sort()
		errs := slices.DeleteFunc(diags, func(d diag.Diagnostic) bool { return d.Severity != diag.Error })
		fmt.Fprintf(s.Err, "spof: warning: the baseline %s does not load (%s, the first: %s): every violation counts as new\n",
			name, human.Count(len(errs), "error", "errors"), errs[0])
		return model.New(nil, nil), fmt.Sprintf("%s (does not load)", name), nil
	}
	return inv, name, nil
}
