package analysis

import (
	"bytes"
	"testing"

	"github.com/spofhq/spof/internal/gen"
	"github.com/spofhq/spof/internal/inventory"
	"github.com/spofhq/spof/internal/model"
)

func generated(tb testing.TB, n int) *model.Inventory {
	tb.Helper()
	var buf bytes.Buffer
	if _, err := gen.Generate(&buf, gen.Options{Entities: n, Seed: 1}); err != nil {
		tb.Fatal(err)
	}
	inv, diags := inventory.Parse([]inventory.Source{{Name: "gen.toml", Data: buf.Bytes()}})
	if diags.HasErrors() {
		tb.Fatal(diags)
	}
	return inv
}

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
