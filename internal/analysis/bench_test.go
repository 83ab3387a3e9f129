package analysis

import (
	"testing"

	"github.com/spofhq/spof/internal/model"
	"github.com/spofhq/spof/internal/testinv"
)

func generated(tb testing.TB, n int) *model.Inventory { return testinv.Generated(tb, n, 1) }

func benchAnalyze(b *testing.B, n, order int) {
	inv := generated(b, n)
	b.ResetTimer()
	for b.Loop() {
		Analyze(inv, Options{MaxOrder: order, MaxCutSets: 100})
	}
}

func BenchmarkAnalyze1k(b *testing.B)         { benchAnalyze(b, 1000, 3) }
func BenchmarkAnalyze10k(b *testing.B)        { benchAnalyze(b, 10000, 3) }
func BenchmarkAnalyze10kOrder1(b *testing.B)  { benchAnalyze(b, 10000, 1) }
func BenchmarkAnalyze100k(b *testing.B)       { benchAnalyze(b, 100000, 3) }
func BenchmarkAnalyze100kOrder1(b *testing.B) { benchAnalyze(b, 100000, 1) }

func BenchmarkAnalyze10kOrder2(b *testing.B) { benchAnalyze(b, 10000, 2) }

// BenchmarkCutSets10k measures the per-service cut-set listing that analyze's output does after Analyze.
func BenchmarkCutSets10k(b *testing.B) {
	inv := generated(b, 10000)
	r := Analyze(inv, Options{MaxOrder: 3, MaxCutSets: 100})
	b.ResetTimer()
	for b.Loop() {
		for i := range inv.Entities {
			if inv.Entities[i].Kind == model.Service {
				r.CutSets(int32(i), 100)
			}
		}
	}
}
