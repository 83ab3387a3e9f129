package analysis

import (
	"strings"
	"testing"

	"github.com/spofhq/spof/internal/testinv"
)

func TestFindings(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string // the findings' messages, in order
	}{
		{
			name: "two VMs on one cluster",
			src: `
[components.cluster-a]
type = "hypervisor-cluster"
[vms.app-1]
host = "cluster-a"
[vms.app-2]
host = "cluster-a"
[services.app]
runs_on = { any_of = ["app-1", "app-2"] }
`,
			want: []string{"any_of in runs_on of app is defeated by cluster-a: its failure alone downs every member"},
		},
		{
			// Both members depend on s: s's own failure downs its group, which says nothing about the
			// group. Only the cycles are worth reporting.
			name: "the owner never defeats its own group",
			src: `
[services.s]
runs_on = { any_of = ["a", "b"] }
[services.a]
depends_on = "s"
[services.b]
depends_on = "s"
`,
			want: []string{"dependency cycle: a → s → a (3 entities depend on each other in all)"},
		},
		{
			name: "a quorum one host defeats",
			src: `
[services.db]
runs_on = { at_least = 2, of = ["db-1", "db-2", "db-3"] }
[vms.db-1]
host = "h1"
[vms.db-2]
host = "h1"
[vms.db-3]
host = "h2"
[components.h1]
[components.h2]
`,
			want: []string{"at_least 2 of 3 in runs_on of db is defeated by h1: its failure alone leaves fewer than 2 of 3 members up"},
		},
		{
			name: "the shortest cycle, from the lowest ID",
			src: `
[services.a]
depends_on = ["b"]
[services.b]
depends_on = ["c", "a"]
[services.c]
depends_on = "a"
`,
			want: []string{"dependency cycle: a → b → a (3 entities depend on each other in all)"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := Analyze(testinv.Parse(t, tt.src), Options{MaxOrder: 2})
			var got []string
			for _, f := range res.Findings() {
				if f.Kind == FalseRedundancy || f.Kind == Cycle {
					got = append(got, f.Message)
				}
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}
