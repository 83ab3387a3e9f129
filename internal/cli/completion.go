package cli

import (
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/spofhq/spof/internal/inventory"
	"github.com/spofhq/spof/internal/model"
	"github.com/spofhq/spof/internal/tomldoc"
)

func newCompletionCmd(s *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "completion SHELL",
		Short: "print the shell completion script for bash, zsh, fish or powershell",
		Long: `Completion prints a script that makes your shell complete spof's commands, flags and formats, and
the entity IDs of --service, --fail and impact's ID and the incident IDs of --incident, read from the
inventory named on the command line.

  bash        source <(spof completion bash)
              or save it as /etc/bash_completion.d/spof (needs the bash-completion package)
  zsh         spof completion zsh > "${fpath[1]}/_spof"   (with compinit enabled in ~/.zshrc)
  fish        spof completion fish > ~/.config/fish/completions/spof.fish
  powershell  spof completion powershell | Out-String | Invoke-Expression
              (add the line to your $PROFILE to keep it)`,
		Example:   "  source <(spof completion bash)",
		ValidArgs: []string{"bash", "zsh", "fish", "powershell"},
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 || !slices.Contains(cmd.ValidArgs, args[0]) {
				return usageErrorf("completion takes one SHELL: bash, zsh, fish or powershell; see spof completion --help")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			root := cmd.Root()
			switch args[0] {
			case "bash":
				return root.GenBashCompletionV2(s.Out, true)
			case "zsh":
				return root.GenZshCompletion(s.Out)
			case "fish":
				return root.GenFishCompletion(s.Out, true)
			default:
				return root.GenPowerShellCompletionWithDesc(s.Out)
			}
		},
	}
	return cmd
}

// finishTree completes the command tree once every command is added: dynamic completions, and cobra's
// own help command worded like the others.
func finishTree(root *cobra.Command) {
	root.InitDefaultHelpCmd()
	for _, c := range root.Commands() {
		if c.Name() == "help" {
			c.Short = "show help for any command"
		}
	}
	registerCompletions(root)
}

// idArgs lists the commands whose positional argument at the given index is an entity ID.
var idArgs = map[string]int{"impact": 1}

// registerCompletions adds dynamic completion of entity IDs to every command of root: the values of
// --service (services only) and --fail (any entity), and ID arguments. The IDs are read from the
// inventory given as the command's first argument.
func registerCompletions(root *cobra.Command) {
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if f := c.Flags().Lookup("service"); f != nil {
			_ = c.RegisterFlagCompletionFunc("service", completeIDs(func(k model.Kind) bool { return k == model.Service }))
		}
		if f := c.Flags().Lookup("fail"); f != nil {
			_ = c.RegisterFlagCompletionFunc("fail", completeIDs(nil))
		}
		if f := c.Flags().Lookup("incident"); f != nil {
			_ = c.RegisterFlagCompletionFunc("incident", completeIncidents)
		}
		if at, ok := idArgs[c.Name()]; ok && c.ValidArgsFunction == nil {
			ids := completeIDs(nil)
			c.ValidArgsFunction = func(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
				switch {
				case len(args) == at:
					return ids(cmd, args, toComplete)
				case len(args) < at:
					return nil, cobra.ShellCompDirectiveDefault // PATH: files and folders
				}
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
}

// completeIDs completes entity IDs of the kinds keep accepts (nil: every kind), as "id\tkind: name".
// Flags take comma-separated lists, so the completion of "a,b" completes b after "a,", skipping IDs
// already listed.
func completeIDs(keep func(model.Kind) bool) cobra.CompletionFunc {
	return func(_ *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
		if len(args) == 0 {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		done, prefix := "", toComplete
		if i := strings.LastIndexByte(toComplete, ','); i >= 0 {
			done, prefix = toComplete[:i+1], toComplete[i+1:]
		}
		chosen := strings.Split(strings.TrimSuffix(done, ","), ",")
		var out []string
		for _, e := range inventoryIDs(args[0]) {
			if (keep != nil && !keep(e.kind)) || !strings.HasPrefix(e.id, prefix) || slices.Contains(chosen, e.id) {
				continue
			}
			desc := e.kind.String()
			if e.role != "" {
				desc += " (" + e.role + ")"
			}
			if e.name != "" {
				desc += ": " + e.name
			}
			out = append(out, fmt.Sprintf("%s%s\t%s", done, e.id, desc))
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	}
}

type idEntry struct {
	id   string
	kind model.Kind
	name string
	// role is a service's role as written, or "monitoring" for a service that watches and gives
	// none, so that --service and --fail tell the monitoring and status channels apart.
	role string
}

// inventoryIDs returns the entities declared at path, sorted by ID. It reads each file on its own and
// skips what it cannot decode, so completion keeps working while an inventory is being edited and
// does not validate.
func inventoryIDs(path string) []idEntry {
	srcs, _ := inventory.Read(path)
	var out []idEntry
	for _, src := range srcs {
		data, diags := tomldoc.DecodeData(src)
		if diags != nil {
			continue
		}
		for _, k := range model.Kinds {
			ents, _ := data[k.Table()].(map[string]any)
			for id, v := range ents {
				fields, _ := v.(map[string]any)
				name, _ := fields["name"].(string)
				role, _ := fields["role"].(string)
				if r, ok := model.ParseRole(role); !ok || k != model.Service {
					role = ""
				} else {
					role = r.String()
				}
				if _, watches := fields["watches"]; watches && role == "" && k == model.Service {
					role = model.Monitoring.String()
				}
				out = append(out, idEntry{id: id, kind: k, name: name, role: role})
			}
		}
	}
	slices.SortFunc(out, func(a, b idEntry) int { return strings.Compare(a.id, b.id) })
	return out
}
