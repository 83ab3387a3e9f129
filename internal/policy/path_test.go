package policy

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/spofhq/spof/internal/testinv"
)

// chainOnNumber is a chain of n critical services, s000 first, whose last one depends on a published
// number on a single carrier: every service has a provider-spof violation whose path runs down the
// chain (which the analysis does not store past 64 entities, but walks), and a single-carrier one
// through the number (a path searched by the check up to the number, then walked).
func chainOnNumber(n int) string {
	var b strings.Builder
	for i := range n {
		next := fmt.Sprintf("s%03d", i+1)
		if i == n-1 {
			next = "num"
		}
		fmt.Fprintf(&b, "[services.s%03d]\ntier = \"critical\"\nowner = \"ops\"\ndepends_on = %q\n", i, next)
	}
	b.WriteString("[numbers.num]\nnumber = \"+33 4 66 00 00 01\"\ncarrier = \"carrier-a\"\npublished = true\n")
	b.WriteString("[providers.carrier-a]\ntype = \"carrier\"\n")
	return b.String()
}

// TestPathReaders checks that a violation's Path, which walks its path when read, gives the path the
// check explains the violation with: whole (IDs), its head for every keep (AppendHead, after what
// dst holds), its length and its last entity. The paths are walked down a chain, found through a
// published number then walked, or stored (a cycle's, an incident's).
func TestPathReaders(t *testing.T) {
	const n = 100
	chain := make([]string, 0, n+2)
	for i := range n {
		chain = append(chain, fmt.Sprintf("s%03d", i))
	}
	chain = append(chain, "num", "carrier-a")
	tests := []struct {
		name, inv, policy string
		// want is the whole path of some violations, by "rule service entity".
		want map[string][]string
	}{
		{"chain", chainOnNumber(n), `
[[rule]]
id = "provider-spof"
forbid = "provider-spof"
[[rule]]
id = "single-carrier"
forbid = "single-carrier"
`, map[string][]string{
			"provider-spof s000 carrier-a":  chain,
			"provider-spof s050 carrier-a":  chain[50:],
			"provider-spof s099 carrier-a":  chain[99:],
			"single-carrier s000 carrier-a": chain,
			"single-carrier s097 carrier-a": chain[97:],
		}},
		{"platform", platform, `
[[rule]]
id = "carrier"
forbid = "single-carrier"
[[rule]]
id = "cyc"
forbid = "cycle"
[[rule]]
id = "owner"
forbid = "missing-owner"
select = { tier = "high" }
`, map[string][]string{
			"carrier line2 carrier-a": {"line2", "num-a", "carrier-a"},
			"cyc c1":                  {"c1", "c2"},
			"owner line":              nil,
		}},
	}
	for _, tt := range tests {
		rep := Check(testinv.ParseFiles(t, "p.toml", tt.inv), nil, mustPolicy(t, tt.policy), Options{Now: fixedClock("2026-01-01")})
		seen := 0
		for i := range rep.Violations {
			v := &rep.Violations[i]
			whole := v.Path.IDs()
			if want, ok := tt.want[strings.TrimSpace(ident(v))]; ok {
				seen++
				if !slices.Equal(whole, want) {
					t.Errorf("%s: %s: path %q, want %q", tt.name, ident(v), whole, want)
				}
			}
			if got := v.Path.Len(); got != len(whole) {
				t.Errorf("%s: %s: Len() = %d, want %d", tt.name, ident(v), got, len(whole))
			}
			last := ""
			if len(whole) > 0 {
				last = whole[len(whole)-1]
			}
			if got := v.Path.Last(); got != last {
				t.Errorf("%s: %s: Last() = %q, want %q", tt.name, ident(v), got, last)
			}
			for _, keep := range []int{-1, 0, 1, 2, 3, 8, len(whole) - 1, len(whole), len(whole) + 1} {
				want := whole
				if keep >= 0 {
					want = whole[:min(max(keep, 0), len(whole))]
				}
				got, total := v.Path.AppendHead([]string{"before"}, keep)
				if !slices.Equal(got, append([]string{"before"}, want...)) || total != len(whole) {
					t.Errorf("%s: %s: AppendHead(keep %d) = %q of %d, want %q of %d", tt.name, ident(v), keep, got, total, want, len(whole))
				}
			}
		}
		if seen != len(tt.want) {
			t.Errorf("%s: %d of the %d violations expected", tt.name, seen, len(tt.want))
		}
	}
	var none Path
	if ids, n := none.AppendHead(nil, -1); ids != nil || n != 0 || none.Len() != 0 || none.Last() != "" || none.IDs() != nil {
		t.Errorf("the zero Path reads %q of %d, last %q", ids, n, none.Last())
	}
}
