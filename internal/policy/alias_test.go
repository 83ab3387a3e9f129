package policy

import (
	"testing"

	"github.com/spofhq/spof/internal/inventory"
)

// TestForbidAliases checks that the availability rules can also be named after what they check.
func TestForbidAliases(t *testing.T) {
	src := `
[[rule]]
id = "a"
forbid = "min_availability"
min_availability = 0.999
[[rule]]
id = "b"
forbid = "slo_met"
[[rule]]
id = "c"
forbid = "untested_redundancy"
untested_after = "180d"
`
	p, diags := Parse(inventory.Source{Name: "p.toml", Data: []byte(src)})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	want := []Forbid{LowAvailability, SLOMissed, UntestedRedundancy}
	for i, r := range p.Rules {
		if r.Forbid != want[i] {
			t.Errorf("rule %s forbids %q, want %q", r.ID, r.Forbid, want[i])
		}
	}
}
