package view

import (
	"testing"

	"github.com/spofhq/spof/internal/analysis"
	"github.com/spofhq/spof/internal/testinv"
)

func BenchmarkNewAnalysis10k(b *testing.B) {
	res := analysis.Analyze(testinv.Generated(b, 10000, 1), analysis.Options{MaxOrder: 3, MaxCutSets: 100})
	b.ResetTimer()
	for b.Loop() {
		NewAnalysis(res, Options{MaxCutSets: 100})
	}
}
