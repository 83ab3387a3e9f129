package avail

import (
	"testing"

	"github.com/spofhq/spof/internal/model"
)

// TestEveryKindHasABuiltInAvailability checks the built-in default of each kind is a probability a
// platform could have: a kind added to the model without one would count as never up.
func TestEveryKindHasABuiltInAvailability(t *testing.T) {
	for _, k := range model.Kinds {
		if a := builtIn[k]; !(a > 0.9 && a < 1) {
			t.Errorf("built-in availability of %s = %v, want in (0.9, 1)", k, a)
		}
	}
}
