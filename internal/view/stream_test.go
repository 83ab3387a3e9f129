package view

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/spofhq/spof/internal/analysis"
	"github.com/spofhq/spof/internal/testinv"
)

// TestStreamMatchesWhole checks that the streamed document holds exactly the Analysis that
// NewAnalysis builds, which is what README documents.
func TestStreamMatchesWhole(t *testing.T) {
	for _, n := range []int{100, 1500} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			res := analysis.Analyze(testinv.Generated(t, n, 3), analysis.Options{MaxOrder: 3, MaxCutSets: 10})
			opts := Options{MaxCutSets: 10}
			want, err := json.Marshal(NewAnalysis(res, opts))
			if err != nil {
				t.Fatal(err)
			}
			var out bytes.Buffer
			if err := WriteAnalysisJSON(&out, res, opts); err != nil {
				t.Fatal(err)
			}
			var doc Analysis
			if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
				t.Fatalf("streamed JSON does not parse: %v", err)
			}
			got, _ := json.Marshal(doc)
			if !bytes.Equal(got, want) {
				t.Errorf("streamed JSON differs from the whole document (%d vs %d bytes)", len(got), len(want))
			}
			if lines := bytes.Count(out.Bytes(), []byte("\n")); lines < len(doc.Services)+len(doc.Entities) {
				t.Errorf("streamed JSON has %d lines, want one per list element", lines)
			}
		})
	}
}
