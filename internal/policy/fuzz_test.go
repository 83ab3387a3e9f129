package policy

import (
	"os"
	"testing"

	"github.com/spofhq/spof/internal/inventory"
)

// FuzzParse checks that the policy loader never panics and that every problem it reports has a
// position, whatever the input.
func FuzzParse(f *testing.F) {
	f.Add([]byte(DefaultText))
	if data, err := os.ReadFile("../../inventories/telephony-after/spof-policy.toml"); err == nil {
		f.Add(data)
	}
	f.Add([]byte("[[rule]]\nid = \"a\"\nforbid = \"low-tolerance\"\nmin_tolerance = 9\nselect = { id = [1, \"x\"], kind = [] }\n"))
	f.Add([]byte("[[rule]]\nid = \"a\"\nforbid = \"untested-redundancy\"\nuntested_after = \"x\"\nmin_availability = 2\nselect = { kind = \"vm\" }\n"))
	f.Add([]byte("rule = [1, { id = \"b\" }]\nwaiver = \"x\"\n"))
	f.Add([]byte("[[waiver]]\nrule = \"cycle\"\nexpires = 2026-02-30\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, diags := Parse(inventory.Source{Name: "p.toml", Data: data})
		if p == nil && !diags.HasErrors() {
			t.Fatal("no policy and no error")
		}
		for _, d := range diags {
			if d.Pos.File != "p.toml" || d.Pos.Line < 1 {
				t.Errorf("diagnostic without a position: %s", d)
			}
		}
	})
}
