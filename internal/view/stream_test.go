package view

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/spofhq/spof/internal/analysis"
	"github.com/spofhq/spof/internal/gen"
	"github.com/spofhq/spof/internal/inventory"
)

// TestStreamMatchesWhole checks that streaming the document gives exactly the bytes of encoding the
// whole Analysis, which is what README documents.
func TestStreamMatchesWhole(t *testing.T) {
	for _, n := range []int{100, 1500} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			var src bytes.Buffer
			if _, err := gen.Generate(&src, gen.Options{Entities: n, Seed: 3}); err != nil {
				t.Fatal(err)
			}
			inv, diags := inventory.Parse([]inventory.Source{{Name: "gen.toml", Data: src.Bytes()}})
			if diags.HasErrors() {
				t.Fatal(diags)
			}
			res := analysis.Analyze(inv, analysis.Options{MaxOrder: 3, MaxCutSets: 11})
			opts := Options{MaxCutSets: 10}
			var want bytes.Buffer
			enc := json.NewEncoder(&want)
			enc.SetEscapeHTML(false)
			enc.SetIndent("", "  ")
			if err := enc.Encode(NewAnalysis(res, opts)); err != nil {
				t.Fatal(err)
			}
			var got bytes.Buffer
			if err := WriteAnalysisJSON(&got, res, opts); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got.Bytes(), want.Bytes()) {
				t.Errorf("streamed JSON differs from the whole document (%d vs %d bytes)", got.Len(), want.Len())
			}
		})
	}
}
