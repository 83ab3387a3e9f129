package schema

import (
	"testing"

	"github.com/spofhq/spof/internal/model"
)

// TestEveryKindIsDocumented checks each entity table has its description in the schema.
func TestEveryKindIsDocumented(t *testing.T) {
	for _, k := range model.Kinds {
		if tableDocs[k] == "" {
			t.Errorf("table %s has no description", k.Table())
		}
	}
}
