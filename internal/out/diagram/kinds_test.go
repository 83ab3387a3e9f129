package diagram

import (
	"testing"

	"github.com/spofhq/spof/internal/model"
)

// TestEveryKindIsDrawn checks that each kind has a DOT style and a Mermaid shape: a kind added to the
// model without them would be drawn without a shape.
func TestEveryKindIsDrawn(t *testing.T) {
	for _, k := range model.Kinds {
		if s := kindStyles[k]; s.shape == "" || s.fill == "" || s.name == "" {
			t.Errorf("kind %s has no DOT style: %+v", k, s)
		}
		if m := mermaidShapes[k]; m[0] == "" || m[1] == "" {
			t.Errorf("kind %s has no Mermaid shape", k)
		}
	}
}
