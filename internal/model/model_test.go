package model

import "testing"

// TestKindTables checks that every kind has a name and a table, both distinct, and that KindOfTable
// finds it back.
func TestKindTables(t *testing.T) {
	seen := map[string]bool{}
	for i, k := range Kinds {
		if int(k) != i {
			t.Errorf("Kinds[%d] = %d: Kinds must list the kinds in order", i, k)
		}
		if k.String() == "" || k.Table() == "" || seen[k.String()] || seen[k.Table()] {
			t.Errorf("kind %d: name %q, table %q: missing or repeated", k, k.String(), k.Table())
		}
		seen[k.String()], seen[k.Table()] = true, true
		if got, ok := KindOfTable(k.Table()); !ok || got != k {
			t.Errorf("KindOfTable(%q) = %v, %v", k.Table(), got, ok)
		}
	}
}
