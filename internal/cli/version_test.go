package cli

import (
	"bytes"
	"runtime/debug"
	"testing"
)

func TestWriteVersion(t *testing.T) {
	cases := []struct {
		name string
		read func() (*debug.BuildInfo, bool)
		want string
	}{
		{"go install @version", func() (*debug.BuildInfo, bool) {
			return &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: "github.com/spofhq/spof", Version: "v1.2.0"},
				Settings: []debug.BuildSetting{{Key: "GOOS", Value: "linux"}, {Key: "GOARCH", Value: "amd64"}}}, true
		}, "spof v1.2.0\nmodule github.com/spofhq/spof\nbuilt with go1.26.8 for linux/amd64\n"},
		{"clone with changes", func() (*debug.BuildInfo, bool) {
			return &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: "github.com/spofhq/spof", Version: "(devel)"},
				Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "0123abc"}, {Key: "vcs.time", Value: "2026-11-24T10:00:00Z"}, {Key: "vcs.modified", Value: "true"}}}, true
		}, "spof (devel)\nmodule github.com/spofhq/spof\nrevision 0123abc (2026-11-24T10:00:00Z, modified)\nbuilt with go1.26.8\n"},
		{"no build info", func() (*debug.BuildInfo, bool) { return nil, false },
			"spof (unknown)\nmodule github.com/spofhq/spof\n"},
	}
	for _, c := range cases {
		var b bytes.Buffer
		if err := writeVersion(&b, c.read); err != nil {
			t.Fatal(err)
		}
		if b.String() != c.want {
			t.Errorf("%s: got\n%s\nwant\n%s", c.name, b.String(), c.want)
		}
	}
}
