package cli

import (
	"fmt"
	"io"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"
)

func newVersionCmd(s *app) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "print spof's version, source revision and Go version",
		Long: `Version prints the module version spof was built from (v1.2.3 when installed with
go install github.com/spofhq/spof/cmd/spof@v1.2.3, "(devel)" when built from a clone), the version
control revision and time it was built from when known (with "modified" if the work tree had
uncommitted changes), and the Go version and platform. Include it in bug reports.`,
		Args: noArgs,
		RunE: func(_ *cobra.Command, _ []string) error {
			return writeVersion(s.Out, debug.ReadBuildInfo)
		},
	}
}

// buildInfo is the facts spof version prints, read from the binary's embedded build information.
type buildInfo struct {
	module, version, revision, time, goVersion, platform string
	modified                                             bool
}

func readBuildInfo(read func() (*debug.BuildInfo, bool)) buildInfo {
	b := buildInfo{module: "github.com/spofhq/spof", version: "(unknown)"}
	bi, ok := read()
	if !ok {
		return b
	}
	if bi.Main.Path != "" {
		b.module = bi.Main.Path
	}
	if bi.Main.Version != "" {
		b.version = bi.Main.Version
	}
	b.goVersion = bi.GoVersion
	var goos, goarch string
	for _, kv := range bi.Settings {
		switch kv.Key {
		case "vcs.revision":
			b.revision = kv.Value
		case "vcs.time":
			b.time = kv.Value
		case "vcs.modified":
			b.modified = kv.Value == "true"
		case "GOOS":
			goos = kv.Value
		case "GOARCH":
			goarch = kv.Value
		}
	}
	if goos != "" && goarch != "" {
		b.platform = goos + "/" + goarch
	}
	return b
}

func writeVersion(w io.Writer, read func() (*debug.BuildInfo, bool)) error {
	b := readBuildInfo(read)
	var out strings.Builder
	fmt.Fprintf(&out, "spof %s\nmodule %s\n", b.version, b.module)
	if b.revision != "" {
		fmt.Fprintf(&out, "revision %s", b.revision)
		var notes []string
		if b.time != "" {
			notes = append(notes, b.time)
		}
		if b.modified {
			notes = append(notes, "modified")
		}
		if len(notes) > 0 {
			fmt.Fprintf(&out, " (%s)", strings.Join(notes, ", "))
		}
		out.WriteByte('\n')
	}
	if b.goVersion != "" {
		fmt.Fprintf(&out, "built with %s", b.goVersion)
		if b.platform != "" {
			fmt.Fprintf(&out, " for %s", b.platform)
		}
		out.WriteByte('\n')
	}
	_, err := io.WriteString(w, out.String())
	return err
}
