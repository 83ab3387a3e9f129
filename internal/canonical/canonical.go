// Package canonical lays out inventory files canonically for spof fmt: entity tables in the order
// providers, services, numbers, vms, components (entities keep their written order within a kind, so
// that related entities written together stay together), then the incident records, keys in the
// canonical order of inventory.Keys and inventory.IncidentKeys (unknown keys after them, as written),
// `key = value` spacing and one blank line between tables. Comments are kept with what they describe
// (see tomldoc.Tree).
//
// Format never returns a text whose data differs from the input's: it decodes both and refuses when
// they differ, so a formatter bug cannot corrupt an inventory.
package canonical

import (
	"reflect"
	"slices"

	"github.com/spofhq/spof/internal/diag"
	"github.com/spofhq/spof/internal/inventory"
	"github.com/spofhq/spof/internal/model"
	"github.com/spofhq/spof/internal/tomldoc"
)

// Source returns src laid out canonically. name is the file's name in diagnostics. A document that is
// not valid TOML is reported as the loader reports it.
func Source(name string, src []byte) ([]byte, diag.List) {
	tree, before, diags := tomldoc.ParseTree(tomldoc.Source{Name: name, Data: src})
	if diags != nil {
		return nil, diags
	}
	Layout(tree)
	out := tree.Bytes()
	after, d2 := tomldoc.DecodeData(tomldoc.Source{Name: name, Data: out})
	if d2 != nil || !reflect.DeepEqual(before, after) {
		diags.Errorf(diag.Pos{File: name}, "cannot format: the formatted text would not hold the same data (a bug in spof fmt; the file is left as it is)")
		return nil, diags
	}
	return out, nil
}

// Layout puts the tables and keys of tree in canonical order.
func Layout(tree *tomldoc.Tree) {
	tables := model.Tables()
	tree.SortTables(func(t *tomldoc.Table) int {
		// Incident records come last, after what they name; other tables that declare no entities
		// ([defaults]) come first, as settings for what follows.
		if t.Path[0] == model.IncidentsTable {
			return len(tables)
		}
		return slices.Index(tables, t.Path[0])
	})
	keys := inventory.Keys()
	incidentKeys := inventory.IncidentKeys()
	tree.SortEntries(func(t *tomldoc.Table, e *tomldoc.Entry) int {
		if len(t.Path) == 2 && t.Path[0] == model.IncidentsTable {
			return keyIndex(incidentKeys, e.Name())
		}
		if len(t.Path) != 2 || !slices.Contains(tables, t.Path[0]) {
			return 0
		}
		return keyIndex(keys, e.Name())
	})
}

// keyIndex is the rank of key name in keys, unknown keys last.
func keyIndex(keys []inventory.KeySpec, name string) int {
	i := slices.IndexFunc(keys, func(k inventory.KeySpec) bool { return k.Name == name })
	if i < 0 {
		return len(keys)
	}
	return i
}
