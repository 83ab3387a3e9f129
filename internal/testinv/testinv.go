// Package testinv loads inventories for tests and benchmarks: the shipped examples and generated
// inventories of any size, failing the test on any problem. Only tests import it.
package testinv

import (
	"bytes"
	"testing"
	"time"

	"github.com/spofhq/spof/internal/gen"
	"github.com/spofhq/spof/internal/inventory"
	"github.com/spofhq/spof/internal/model"
)

// Generated returns the synthetic inventory of n entities that internal/gen writes for seed.
func Generated(tb testing.TB, n int, seed uint64) *model.Inventory {
	tb.Helper()
	return GeneratedShape(tb, n, seed, gen.Domains)
}

// GeneratedShape returns the synthetic inventory of n entities of the given shape that internal/gen
// writes for seed.
func GeneratedShape(tb testing.TB, n int, seed uint64, shape gen.Shape) *model.Inventory {
	tb.Helper()
	var b bytes.Buffer
	if _, err := gen.Generate(&b, gen.Options{Entities: n, Seed: seed, Shape: shape}); err != nil {
		tb.Fatal(err)
	}
	inv, diags := inventory.Parse([]inventory.Source{{Name: "gen.toml", Data: b.Bytes()}}, Options())
	if diags.HasErrors() {
		tb.Fatalf("parse generated inventory: %v", diags)
	}
	return inv
}

// Load returns the inventory at path.
func Load(tb testing.TB, path string) *model.Inventory {
	tb.Helper()
	inv, diags := inventory.Load(path, Options())
	if diags.HasErrors() {
		tb.Fatalf("load %s: %v", path, diags)
	}
	return inv
}

// Now is the clock of every test: a fixed day, so that no result depends on the day the tests run.
func Now() time.Time { return time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC) }

// Options are the load options of every test: the fixed clock Now.
func Options() inventory.Options { return inventory.Options{Now: Now} }

// Parse returns the inventory of the TOML text src, loaded as one file named inv.toml.
func Parse(tb testing.TB, src string) *model.Inventory {
	tb.Helper()
	inv, diags := inventory.Parse([]inventory.Source{{Name: "inv.toml", Data: []byte(src)}}, Options())
	if diags.HasErrors() {
		tb.Fatalf("parse: %v", diags)
	}
	return inv
}
