package inventory

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzParse checks that the loader never panics and that every rejection points at a line. Seeds are
// the example inventories and testdata/fuzz/FuzzParse.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("../../inventories/*/*.toml")
	more, _ := filepath.Glob("../../inventories/*/*/*.toml")
	for _, name := range append(files, more...) {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		inv, diags := Parse([]Source{{Name: "f.toml", Data: data}}, testOptions)
		if inv == nil && !diags.HasErrors() {
			t.Fatal("Parse returned neither an inventory nor an error")
		}
		for _, d := range diags {
			if d.Pos.File != "f.toml" || d.Pos.Line < 1 {
				t.Errorf("diagnostic without a position: %v", d)
			}
		}
	})
}
