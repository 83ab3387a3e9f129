package avail

import (
	"fmt"
	"testing"

	"github.com/spofhq/spof/internal/analysis"
	"github.com/spofhq/spof/internal/testinv"
)

// BenchmarkCompute measures availability and importance of every service of generated inventories
// (analysis excluded), to see how the cost grows with the inventory.
func BenchmarkCompute(b *testing.B) {
	for _, n := range []int{1_000, 10_000} {
		b.Run(fmt.Sprintf("%dk", n/1000), func(b *testing.B) {
			res := analysis.Analyze(testinv.Generated(b, n, 1), analysis.Options{MaxOrder: 1})
			b.ResetTimer()
			var r *Result
			for b.Loop() {
				r = Compute(res, Options{})
			}
			b.StopTimer()
			closure, bounded := 0, 0
			for _, s := range r.Services {
				closure += s.Closure
				if s.Method == Bounds {
					bounded++
				}
			}
			b.ReportMetric(float64(len(r.Services)), "services")
			b.ReportMetric(float64(closure)/float64(len(r.Services)), "closure/svc")
			b.ReportMetric(float64(bounded), "bounded")
		})
	}
}

// BenchmarkCompute100k measures availability of every service of the 100,000-entity generated
// inventory (domains shape).
func BenchmarkCompute100k(b *testing.B) {
	res := analysis.Analyze(testinv.Generated(b, 100_000, 1), analysis.Options{MaxOrder: 1})
	b.ResetTimer()
	for b.Loop() {
		Compute(res, Options{})
	}
}
