package analyze

import (
	"io"
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

// BenchmarkWriteJSON writes the document of a generated 10,000-entity platform with the
// options analyze uses by default, by hand (fast) and by encoding/json (reference, what
// WriteJSON did before): the ratio is what the hand-written writer buys.
func BenchmarkWriteJSON(b *testing.B) {
	res := analysis.Analyze(testinv.Generated(b, 10000, 1), analysis.Options{MaxOrder: 3, MaxCutSets: 100})
	opts := Options{MaxCutSets: 100}
	for _, w := range []struct {
		name  string
		write func(io.Writer, *analysis.Result, Options) error
	}{{"fast", WriteJSON}, {"reference", writeReference}} {
		b.Run(w.name, func(b *testing.B) {
			for b.Loop() {
				if err := w.write(io.Discard, res, opts); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkWriteText writes the text of a generated 10,000-entity platform, cut sets ranked by
// likelihood.
func BenchmarkWriteText(b *testing.B) {
	res := analysis.Analyze(testinv.Generated(b, 10000, 1), analysis.Options{MaxOrder: 3, MaxCutSets: 100})
	opts := Options{MaxCutSets: 100, Text: TextOptions{CutSetsShown: 5, Platform: true}}
	for b.Loop() {
		if err := WriteText(io.Discard, res, opts); err != nil {
			b.Fatal(err)
		}
	}
}
