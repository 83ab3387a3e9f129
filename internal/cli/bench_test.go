package cli

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spofhq/spof/internal/gen"
)

// BenchmarkCheck10k compares `spof check` with a baseline against `spof analyze` on a generated
// inventory of 10,000 entities, both end to end (load, analysis, JSON output). The baseline is the
// same inventory before a change that adds a hotline on a single-carrier number. The target
// is a check that costs at most about twice an analyze. cpu-ns/op is the CPU time of both cores
// together, steadier than ns/op when the machine is shared:
//
//	go test ./internal/cli -run '^$' -bench Check10k -benchtime 5x
func BenchmarkCheck10k(b *testing.B) {
	dir := b.TempDir()
	base, cur := filepath.Join(dir, "base"), filepath.Join(dir, "cur")
	for _, d := range []string{base, cur} {
		if _, err := gen.Write(d, gen.Options{Entities: 10_000, Seed: 1}); err != nil {
			b.Fatal(err)
		}
	}
	change := `
[numbers.num-bench]
number = "+33 9 72 99 99 99"
carrier = "prov-carrier-01"
routes_to = "svc-000190"
published = true

[services.svc-bench-hotline]
tier = "critical"
depends_on = "num-bench"
`
	if err := os.WriteFile(filepath.Join(cur, "change.toml"), []byte(change), 0o644); err != nil {
		b.Fatal(err)
	}
	run := func(b *testing.B, args ...string) {
		var stderr strings.Builder
		s := IOStreams{Out: io.Discard, Err: &stderr, Getenv: func(string) string { return "" }}
		start := cpuTime()
		for b.Loop() {
			if code := Main(args, s); code > ExitViolation {
				b.Fatalf("spof %s: exit %d: %s", strings.Join(args, " "), code, stderr.String())
			}
		}
		b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op")
	}
	b.Run("analyze", func(b *testing.B) { run(b, "analyze", cur, "--format", "json") })
	b.Run("analyze-max-order-1", func(b *testing.B) { run(b, "analyze", cur, "--format", "json", "--max-order", "1") })
	b.Run("check", func(b *testing.B) { run(b, "check", cur, "--format", "json") })
	b.Run("check-baseline", func(b *testing.B) { run(b, "check", cur, "--baseline", base, "--format", "json") })
}
