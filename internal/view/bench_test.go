package view

import (
	"bytes"
	"testing"

	"github.com/spofhq/spof/internal/analysis"
	"github.com/spofhq/spof/internal/gen"
	"github.com/spofhq/spof/internal/inventory"
)

func BenchmarkNewAnalysis10k(b *testing.B) {
	var buf bytes.Buffer
	if _, err := gen.Generate(&buf, gen.Options{Entities: 10000, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	inv, diags := inventory.Parse([]inventory.Source{{Name: "gen.toml", Data: buf.Bytes()}})
	if diags.HasErrors() {
		b.Fatal(diags)
	}
	res := analysis.Analyze(inv, analysis.Options{MaxOrder: 3, MaxCutSets: 100})
	b.ResetTimer()
	for b.Loop() {
		NewAnalysis(res, Options{MaxCutSets: 100})
	}
}
