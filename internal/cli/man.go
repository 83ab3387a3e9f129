package cli

import (
	"fmt"
	"os"
	"runtime/debug"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"

	"github.com/spofhq/spof/internal/diag"
)

func newManCmd(s *app) *cobra.Command {
	return &cobra.Command{
		Use:   "man DIR",
		Short: "write spof's man pages into a folder",
		Long: `Man writes one man page per command (spof.1, spof-analyze.1, ...) into DIR, which it creates, from
the same text as --help. Install them with, for example:

  spof man /usr/local/share/man/man1

The pages are dated by SOURCE_DATE_EPOCH when it is set (for reproducible packages), else by the
time of the source revision spof was built from.`,
		Example: "  spof man ./man && man ./man/spof-analyze.1",
		Args:    exactArgs(1, "DIR"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := os.MkdirAll(args[0], 0o755); err != nil {
				return usageErrorf("cannot create %s: %v", args[0], diag.DescribeFSError(err))
			}
			root := cmd.Root()
			root.DisableAutoGenTag = true
			b := readBuildInfo(debug.ReadBuildInfo)
			header := &doc.GenManHeader{Section: "1", Source: "spof " + b.version, Manual: "spof manual"}
			date := manDate(s, b.time)
			header.Date = &date
			if err := doc.GenManTree(root, header, args[0]); err != nil {
				return fmt.Errorf("write man pages: %w", err)
			}
			return nil
		},
	}
}

// manDate is the date printed in man pages: the run's clock when SOURCE_DATE_EPOCH pins it, else the
// VCS time of the build, else today.
func manDate(s *app, vcsTime string) time.Time {
	if !s.pinned {
		if t, err := time.Parse(time.RFC3339, vcsTime); err == nil {
			return t.UTC()
		}
	}
	return s.now().UTC()
}
