package analysis

import (
	"slices"
	"testing"
)

// TestSkipPaths checks that an analysis without paths finds the same SPOFs, and that asking it for
// a path fails loudly instead of answering wrongly.
func TestSkipPaths(t *testing.T) {
	inv := generated(t, 2000)
	full := Analyze(inv, Options{MaxOrder: 1})
	bare := Analyze(inv, Options{MaxOrder: 1, SkipPaths: true})
	for i := range inv.Entities {
		e := int32(i)
		if !slices.Equal(full.SPOFs(e), bare.SPOFs(e)) {
			t.Fatalf("%s: SPOFs %v with paths, %v without", inv.ID(e), full.SPOFs(e), bare.SPOFs(e))
		}
	}
	defer func() {
		if recover() == nil {
			t.Fatal("NewPathWalker on an analysis without paths did not panic")
		}
	}()
	bare.NewPathWalker()
}
