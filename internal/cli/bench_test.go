package cli

import (
	"fmt"
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

// BenchmarkOptions measures commands and options whose cost once grew with the square of a part of
// the inventory that spof-gen's default runs never stress (BENCHMARKS.md, "Options and shapes off
// the main path"): the report on a quorum of 4,000 VMs (at_least 2,000; stand-ins were gathered per
// pair of members: 8.9 s), analyze --untested-after on spof-gen's 10,000 entities (a simulation per
// new SPOF) and check's untested-redundancy rule on the dense shape (a closure walk per SPOF):
//
//	go test ./internal/cli -run '^$' -bench Options -benchtime 3x
func BenchmarkOptions(b *testing.B) {
	dir := b.TempDir()
	var quorum strings.Builder
	quorum.WriteString("[services.q]\ntier = \"critical\"\ndepends_on = { at_least = 2000, of = [")
	for i := range 4000 {
		if i > 0 {
			quorum.WriteString(", ")
		}
		fmt.Fprintf(&quorum, "%q", fmt.Sprintf("v%04d", i))
	}
	quorum.WriteString("] }\n")
	for i := range 4000 {
		fmt.Fprintf(&quorum, "[vms.v%04d]\n", i)
	}
	wide := filepath.Join(dir, "quorum.toml")
	if err := os.WriteFile(wide, []byte(quorum.String()), 0o644); err != nil {
		b.Fatal(err)
	}
	domains, dense := filepath.Join(dir, "domains"), filepath.Join(dir, "dense")
	if _, err := gen.Write(domains, gen.Options{Entities: 10_000, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	if _, err := gen.Write(dense, gen.Options{Entities: 10_000, Seed: 1, Shape: gen.Dense}); err != nil {
		b.Fatal(err)
	}
	policy := filepath.Join(dir, "untested.toml")
	rule := "[[rule]]\nid = \"untested\"\nforbid = \"untested-redundancy\"\nuntested_after = \"180d\"\nmessage = \"m\"\n"
	if err := os.WriteFile(policy, []byte(rule), 0o644); err != nil {
		b.Fatal(err)
	}
	run := func(b *testing.B, args ...string) {
		var stderr strings.Builder
		s := IOStreams{Out: io.Discard, Err: &stderr, Getenv: func(string) string { return "" }}
		for b.Loop() {
			if code := Main(args, s); code > ExitViolation {
				b.Fatalf("spof %s: exit %d: %s", strings.Join(args, " "), code, stderr.String())
			}
		}
	}
	b.Run("report-quorum-4000", func(b *testing.B) { run(b, "report", wide, "-o", filepath.Join(dir, "q.html")) })
	b.Run("analyze-untested-after", func(b *testing.B) {
		run(b, "analyze", domains, "--format", "json", "--untested-after", "180d")
	})
	b.Run("check-untested-redundancy", func(b *testing.B) { run(b, "check", dense, "--policy", policy) })
}
