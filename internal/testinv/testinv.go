// Package testinv holds what tests and benchmarks share: loading inventories (the shipped examples,
// generated inventories of any size, TOML written in the test), failing the test on any problem, and
// comparing lists of lines. Only tests import it.
package testinv

import (
	"bytes"
	"slices"
	"strings"
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
	return ParseSources(tb, []inventory.Source{{Name: "gen.toml", Data: b.Bytes()}})
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
	return ParseFiles(tb, "inv.toml", src)
}

// ParseFiles returns the inventory of the TOML files given as name, text pairs, loaded together (an
// inventory split across files, or a name that a test's expectations quote).
func ParseFiles(tb testing.TB, nameText ...string) *model.Inventory {
	tb.Helper()
	var srcs []inventory.Source
	for i := 0; i+1 < len(nameText); i += 2 {
		srcs = append(srcs, inventory.Source{Name: nameText[i], Data: []byte(nameText[i+1])})
	}
	return ParseSources(tb, srcs)
}

// ParseSources returns the inventory of srcs, loaded together.
func ParseSources(tb testing.TB, srcs []inventory.Source) *model.Inventory {
	tb.Helper()
	inv, diags := inventory.Parse(srcs, Options())
	if diags.HasErrors() {
		names := make([]string, len(srcs))
		for i, s := range srcs {
			names[i] = s.Name
		}
		tb.Fatalf("parse %s: %v", strings.Join(names, ", "), diags)
	}
	return inv
}

// EqualLines fails the test, showing both lists one item a line, unless got and want are equal; what
// names the list in the message.
func EqualLines(tb testing.TB, what string, got, want []string) {
	tb.Helper()
	if !slices.Equal(got, want) {
		tb.Errorf("%s:\n%s\nwant:\n%s", what, strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
