package analyze_test

import (
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/spofhq/spof/internal/analysis"
	"github.com/spofhq/spof/internal/inventory"
	"github.com/spofhq/spof/internal/out/analyze"
	"github.com/spofhq/spof/internal/out/simulate"
	"github.com/spofhq/spof/internal/testinv"
)

// FuzzPipeline runs every inventory the loader accepts through the analysis and both outputs of
// analyze, simulate and impact: whatever a user writes, spof must answer or say why, never crash.
func FuzzPipeline(f *testing.F) {
	files, _ := filepath.Glob("../../../inventories/*/*/*.toml")
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("[services.a]\ndepends_on = { any_of = [\"b\", { at_least = 1, of = [\"a2\"] }] }\n[services.b]\ndepends_on = \"a\"\n[services.a2]\nruns_on = \"b\"\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		inv, diags := inventory.Parse([]inventory.Source{{Name: "f.toml", Data: data}}, testinv.Options())
		if diags.HasErrors() {
			return
		}
		res := analysis.Analyze(inv, analysis.Options{MaxOrder: 3, MaxCutSets: 3})
		opts := analyze.Options{MaxCutSets: 3, Text: analyze.TextOptions{CutSetsShown: 2, Platform: true}}
		if err := analyze.WriteJSON(io.Discard, res, opts); err != nil {
			t.Fatal(err)
		}
		if err := analyze.WriteText(io.Discard, res, opts); err != nil {
			t.Fatal(err)
		}
		for x := range int32(inv.Len()) {
			if err := simulate.WriteSimulationText(io.Discard, simulate.NewSimulation(res, []int32{x}), inv); err != nil {
				t.Fatal(err)
			}
			_ = simulate.NewEntityImpact(res, x)
		}
	})
}
