package inventory

import (
	"os"
	"testing"

	"github.com/BurntSushi/toml"

	"github.com/spofhq/spof/internal/gen"
)

func benchSources(b *testing.B, n int) []Source {
	b.Helper()
	dir := b.TempDir()
	if _, err := gen.Write(dir, gen.Options{Entities: n, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	srcs, diags := Read(dir)
	if diags.HasErrors() {
		b.Fatal(diags)
	}
	return srcs
}

func benchParse(b *testing.B, n int) {
	srcs := benchSources(b, n)
	b.ResetTimer()
	for b.Loop() {
		if _, diags := Parse(srcs, testOptions); diags.HasErrors() {
			b.Fatal(diags)
		}
	}
}

// benchDecodeFloor is the floor the loader is measured against: decoding the same files into
// map[string]any with BurntSushi/toml, on one core, and nothing else.
func benchDecodeFloor(b *testing.B, n int) { decodeFloor(b, benchSources(b, n)) }

func decodeFloor(b *testing.B, srcs []Source) {
	b.ResetTimer()
	for b.Loop() {
		for _, s := range srcs {
			var m map[string]any
			if err := toml.Unmarshal(s.Data, &m); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func BenchmarkParse1k(b *testing.B)        { benchParse(b, 1000) }
func BenchmarkParse10k(b *testing.B)       { benchParse(b, 10000) }
func BenchmarkDecodeFloor10k(b *testing.B) { benchDecodeFloor(b, 10000) }

// BenchmarkDecodeFloorDir decodes the inventory in $SPOF_BENCH_DIR into map[string]any, and nothing
// else: the floor that scripts/bench.sh measures spof against (run it with GOMAXPROCS=1).
func BenchmarkDecodeFloorDir(b *testing.B) {
	dir := os.Getenv("SPOF_BENCH_DIR")
	if dir == "" {
		b.Skip("SPOF_BENCH_DIR is not set")
	}
	srcs, diags := Read(dir)
	if diags.HasErrors() {
		b.Fatal(diags)
	}
	decodeFloor(b, srcs)
}

func BenchmarkParse100k(b *testing.B)       { benchParse(b, 100000) }
func BenchmarkDecodeFloor100k(b *testing.B) { benchDecodeFloor(b, 100000) }
