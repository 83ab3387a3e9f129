package cli

import (
	"fmt"
	"os"
	"runtime/debug"
	"strconv"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"
)

func newManCmd(s IOStreams) *cobra.Command {
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
				return usageErrorf("cannot create %s: %v", args[0], describeErr(err))
			}
			root := cmd.Root()
			root.DisableAutoGenTag = true
			b := readBuildInfo(debug.ReadBuildInfo)
			header := &doc.GenManHeader{Title: "SPOF", Section: "1", Source: "spof " + b.version, Manual: "spof manual"}
			date, err := manDate(s.Getenv("SOURCE_DATE_EPOCH"), b.time)
			if err != nil {
				return usageErrorf("%v", err)
			}
			header.Date = &date
			if err := doc.GenManTree(root, header, args[0]); err != nil {
				return fmt.Errorf("write man pages: %w", err)
			}
			return nil
		},
	}
}

// manDate is the date printed in man pages: SOURCE_DATE_EPOCH, else the VCS time of the build, else
// today.
func manDate(epoch, vcsTime string) (time.Time, error) {
	if epoch != "" {
		sec, err := strconv.ParseInt(epoch, 10, 64)
		if err != nil {
			return time.Time{}, fmt.Errorf("SOURCE_DATE_EPOCH must be a number of seconds, got %q", epoch)
		}
		return time.Unix(sec, 0).UTC(), nil
	}
	if t, err := time.Parse(time.RFC3339, vcsTime); err == nil {
		return t.UTC(), nil
	}
	return time.Now().UTC(), nil
}

// describeErr drops the operation and path that os errors repeat, when the caller already names them.
func describeErr(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}
