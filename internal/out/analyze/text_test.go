package analyze

import (
	"bytes"
	"strconv"
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

// TestAppendTextPath checks the one rule that shortens paths in the text of analyze and check, on
// paths of 0 to 12 entities named by their index: whole up to 8 entities by default, else the first
// 6, how many are left out and the last; the first step with PathsNext; nothing with PathsNone.
func TestAppendTextPath(t *testing.T) {
	tests := []struct {
		paths Paths
		n     int
		want  string
	}{
		{PathsDefault, 0, ""},
		{PathsDefault, 1, "0"},
		{PathsDefault, 2, "0 → 1"},
		{PathsDefault, 8, "0 → 1 → 2 → 3 → 4 → 5 → 6 → 7"},
		{PathsDefault, 9, "0 → 1 → 2 → 3 → 4 → 5 → … 2 more … → 8"},
		{PathsShort, 9, "0 → 1 → 2 → 3 → 4 → 5 → … 2 more … → 8"},
		{PathsShort, 12, "0 → 1 → 2 → 3 → 4 → 5 → … 5 more … → 11"},
		{PathsFull, 2, "0 → 1"},
		{PathsFull, 12, "0 → 1 → 2 → 3 → 4 → 5 → 6 → 7 → 8 → 9 → 10 → 11"},
		{PathsNext, 2, "0 → 1"},
		{PathsNext, 3, "0 → 1 → 2"},
		{PathsNext, 4, "0 → 1 → … 1 more … → 3"},
		{PathsNext, 12, "0 → 1 → … 9 more … → 11"},
		{PathsNone, 12, ""},
	}
	id := func(i int) string { return strconv.Itoa(i) }
	for _, tt := range tests {
		keep := tt.paths.TextKeep()
		if keep < 0 || keep > tt.n {
			keep = tt.n
		}
		head := make([]int, keep) // what a walker reads: the first TextKeep() entities
		for i := range head {
			head[i] = i
		}
		got := string(AppendTextPath([]byte(nil), tt.paths, head, tt.n, tt.n-1, id, " → "))
		if got != tt.want {
			t.Errorf("AppendTextPath(%s, %d entities) = %q, want %q", PathNames[tt.paths], tt.n, got, tt.want)
		}
	}
	want := map[Paths]int{PathsDefault: 8, PathsShort: 8, PathsFull: -1, PathsNext: 2, PathsNone: 0}
	for p, keep := range want {
		if got := p.TextKeep(); got != keep {
			t.Errorf("Paths(%d).TextKeep() = %d, want %d", p, got, keep)
		}
	}
}
