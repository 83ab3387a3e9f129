package analyze

import (
	"bytes"
	"strings"
	"testing"

	"github.com/spofhq/spof/internal/analysis"
)

// TestTextPaths checks how each path mode writes the SPOF lines of the service at the top of a chain
// of 12: paths of up to 8 entities whole, longer ones cut after 6 by default.
func TestTextPaths(t *testing.T) {
	res := analysis.Analyze(chain(12), analysis.Options{MaxOrder: 1})
	tests := []struct {
		paths Paths
		want  []string // the lines of the SPOFs s0001, s0007 and s0011
	}{
		{PathsDefault, []string{
			"    s0001 (service)  s0000 → s0001",
			"    s0007 (service)  s0000 → s0001 → s0002 → s0003 → s0004 → s0005 → s0006 → s0007",
			"    s0011 (service)  s0000 → s0001 → s0002 → s0003 → s0004 → s0005 → … 5 more … → s0011",
		}},
		{PathsFull, []string{
			"    s0001 (service)  s0000 → s0001",
			"    s0007 (service)  s0000 → s0001 → s0002 → s0003 → s0004 → s0005 → s0006 → s0007",
			"    s0011 (service)  s0000 → s0001 → s0002 → s0003 → s0004 → s0005 → s0006 → s0007 → s0008 → s0009 → s0010 → s0011",
		}},
		{PathsNext, []string{
			"    s0001 (service)  s0000 → s0001",
			"    s0007 (service)  s0000 → s0001 → … 5 more … → s0007",
			"    s0011 (service)  s0000 → s0001 → … 9 more … → s0011",
		}},
		{PathsNone, []string{
			"    s0001 (service)",
			"    s0007 (service)",
			"    s0011 (service)",
		}},
	}
	for _, tt := range tests {
		var b bytes.Buffer
		if err := WriteText(&b, res, Options{Services: []int32{0}, Paths: tt.paths}); err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(b.String(), "\n")
		var got []string
		for _, l := range lines {
			for _, id := range []string{"s0001 (", "s0007 (", "s0011 ("} {
				if strings.HasPrefix(l, "    "+id) {
					got = append(got, l)
				}
			}
		}
		if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
			t.Errorf("paths %v: SPOF lines\n%s\nwant\n%s", tt.paths, strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
		}
	}
}
