// Package cli is spof's command tree. Each command fills an options struct from its flags and calls a
// run function; the work itself lives in the other internal packages.
//
// Exit codes (stable, documented in README.md):
//
//	0  success
//	1  policy violations (spof check) or a would-change file (spof fmt --check)
//	2  invalid input or usage: unreadable or invalid inventory, unknown flag or ID
package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/spofhq/spof/internal/diag"
	"github.com/spofhq/spof/internal/out"
)

// Exit codes.
const (
	ExitOK        = 0
	ExitViolation = 1
	ExitInvalid   = 2
)

// IOStreams are the standard streams of a run, replaced by buffers in tests. Whether a stream is a
// terminal is decided here, once, and nowhere else.
type IOStreams struct {
	In  io.Reader
	Out io.Writer
	Err io.Writer
	// OutTTY is true when Out is a terminal, which enables colour unless NO_COLOR is set.
	OutTTY bool
	// ErrTTY is true when Err is a terminal, which enables the progress line of long commands
	// unless --quiet is given.
	ErrTTY bool
	// Getenv reads the environment; tests pass their own.
	Getenv func(string) string
}

// System returns the process's streams.
func System() IOStreams {
	return IOStreams{In: os.Stdin, Out: os.Stdout, Err: os.Stderr, OutTTY: isTerminal(os.Stdout), ErrTTY: isTerminal(os.Stderr),
		Getenv: os.Getenv}
}

// isTerminal reports whether f is a terminal, rather than a file, a pipe or another device: /dev/null
// is a character device too, and a run sent there drew its progress line and coloured its text for
// nobody.
func isTerminal(f *os.File) bool { return term.IsTerminal(int(f.Fd())) }

// exitError carries an exit code out of a command. Diagnostics were already printed when diags is
// set; otherwise err is printed.
type exitError struct {
	code  int
	err   error
	diags diag.List
}

func (e *exitError) Error() string {
	if e.err != nil {
		return e.err.Error()
	}
	return e.diags.Error()
}

// usageErrorf is an invalid invocation: exit 2.
func usageErrorf(format string, args ...any) error {
	return &exitError{code: ExitInvalid, err: fmt.Errorf(format, args...)}
}

// Main runs spof with args and returns the exit code.
func Main(args []string, s IOStreams) int {
	err := run(args, s)
	if err == nil {
		return ExitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.diags != nil {
			_ = diag.Write(s.Err, ee.diags)
			if ee.err == nil {
				return ee.code
			}
		}
		if ee.err != nil {
			fmt.Fprintf(s.Err, "spof: %v\n", ee.err)
		}
		return ee.code
	}
	// Errors cobra raises itself (unknown command or flag, bad argument count) are usage errors.
	fmt.Fprintf(s.Err, "spof: %s\n", cobraMessage(err))
	return ExitInvalid
}

// run builds the run's clock and command tree, and runs the command args name.
func run(args []string, s IOStreams) error {
	a, err := newApp(s)
	if err != nil {
		return err
	}
	root := newRoot(a)
	root.SetArgs(args)
	defer func() {
		if a.progress != nil {
			a.progress.finish() // before Main prints an error
		}
	}()
	return root.Execute()
}

const rootLong = `spof finds the single points of failure of an IT platform described in TOML inventory files:
which provider, carrier, VM or component takes a service down on its own, how many failures each
service tolerates, and which redundancy is only apparent.

An inventory is one .toml file or a folder of them. Start with:

  spof analyze inventories/telephony-before

Exit status: 0 success, 1 policy violations (check) or unformatted files (fmt --check),
2 invalid input or usage.`

func newRoot(s *app) *cobra.Command {
	root := &cobra.Command{
		Use:           "spof",
		Short:         "find the single points of failure of an IT platform",
		Long:          rootLong,
		SilenceErrors: true,
		SilenceUsage:  true,
	}
	root.SetOut(s.Out)
	root.SetErr(s.Err)
	root.SetIn(s.In)
	root.CompletionOptions.HiddenDefaultCmd = true
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageErrorf("%v", err) })
	root.PersistentFlags().BoolVarP(&s.quiet, "quiet", "q", false, "never show the progress line of long commands on standard error")
	root.AddCommand(
		newValidateCmd(s),
		newAnalyzeCmd(s),
		newSimulateCmd(s),
		newImpactCmd(s),
		newDiagramCmd(s),
		newSchemaCmd(s),
		newFmtCmd(s),
		newImportCmd(s),
		newCompletionCmd(s),
		newManCmd(s),
		newVersionCmd(s),
		newCheckCmd(s),
		newReportCmd(s),
	)
	root.SetHelpCommand(newHelpCmd())
	finishTree(root)
	return root
}

// newHelpCmd is cobra's help command, except that an unknown topic is a usage error (exit 2) that
// suggests the command meant, instead of the root's usage and exit 0.
func newHelpCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "help [command]",
		Short: "show help for any command",
		Long:  "Help shows the help of any command: spof help check is spof check --help.",
		ValidArgsFunction: func(c *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
			cmd, _, err := c.Root().Find(args)
			if err != nil {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			var names []cobra.Completion
			for _, sub := range cmd.Commands() {
				if sub.IsAvailableCommand() && strings.HasPrefix(sub.Name(), toComplete) {
					names = append(names, cobra.CompletionWithDesc(sub.Name(), sub.Short))
				}
			}
			return names, cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(c *cobra.Command, args []string) error {
			cmd, _, err := c.Root().Find(args)
			if cmd == nil || err != nil {
				topic := strings.Join(args, " ")
				hint := ""
				if s := c.Root().SuggestionsFor(args[len(args)-1]); len(s) > 0 {
					hint = fmt.Sprintf("; did you mean %q?", s[0])
				}
				return usageErrorf("unknown help topic %q%s (see spof --help)", topic, hint)
			}
			cmd.InitDefaultHelpFlag()
			return cmd.Help()
		},
	}
}

// requireValues refuses a flag given with an empty value (an empty --baseline-ref): taken as absent, it would
// silently mean something else than what was asked.
func requireValues(cmd *cobra.Command, names ...string) error {
	for _, name := range names {
		if f := cmd.Flags().Lookup(name); f != nil && f.Changed && f.Value.String() == "" {
			return usageErrorf("--%s needs a value, got an empty one", name)
		}
	}
	return nil
}

// formatFlag adds --format to cmd: one of formats, the first by default, completed in shells from the
// same list.
func formatFlag[W any](cmd *cobra.Command, p *string, formats out.Formats[W]) {
	cmd.Flags().StringVar(p, "format", formats.Names()[0], formats.Usage())
	_ = cmd.RegisterFlagCompletionFunc("format", cobra.FixedCompletions(formats.Names(), cobra.ShellCompDirectiveNoFileComp))
}

// lookupFormat returns the writer of the format named, or a usage error that lists the formats.
func lookupFormat[W any](formats out.Formats[W], name string) (W, error) {
	w, err := formats.Lookup(name)
	if err != nil {
		return w, usageErrorf("%v", err)
	}
	return w, nil
}
