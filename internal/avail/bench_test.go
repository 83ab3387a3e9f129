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
			nodes, closure, maxNodes, sampled := 0, 0, 0, 0
			for _, s := range r.Services {
				nodes += s.Nodes
				closure += s.Closure
				maxNodes = max(maxNodes, s.Nodes)
				if s.Method == Sampling {
					sampled++
				}
			}
			b.ReportMetric(float64(len(r.Services)), "services")
			b.ReportMetric(float64(closure)/float64(len(r.Services)), "closure/svc")
			b.ReportMetric(float64(nodes)/float64(len(r.Services)), "nodes/svc")
			b.ReportMetric(float64(maxNodes), "max-nodes")
			b.ReportMetric(float64(sampled), "sampled")
		})
	}
}
