// Package importer turns what an organisation already keeps (a Backstage catalog, a CMDB export in
// CSV) into spof inventory files, and merges a re-import into a file users have since enriched.
//
// The ownership rule of a re-import (documented in docs/ecosystem.md):
//
//   - Entities are matched by ID, whatever table a user moved them to. New entities are added; an
//     entity the source no longer lists is kept and reported, never deleted.
//   - The importer owns only the keys it writes for an entity. Each import sets them to the source's
//     value; every other key (availability, redundancy written by hand, tags added...) is kept, and so
//     are the comments. A key the source no longer gives is kept, not deleted.
//   - A reference key whose value a user turned into a requirement group ({ any_of = [...] } ...) is
//     theirs from then on: the importer keeps it and warns when the source's list changed.
//   - A key or a table header with a trailing comment containing spof:keep is never touched.
package importer

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/spofhq/spof/internal/canonical"
	"github.com/spofhq/spof/internal/diag"
	"github.com/spofhq/spof/internal/inventory"
	"github.com/spofhq/spof/internal/model"
	"github.com/spofhq/spof/internal/tomldoc"
)

// KeepMark in a trailing comment protects a key, or a whole entity when on its header, from re-imports.
const KeepMark = "spof:keep"

// Entity is one imported entity and the keys the importer writes for it.
type Entity struct {
	Kind model.Kind
	ID   string
	// Keys are in canonical order; a reference value lists its IDs, other values are TOML text.
	Keys []Key
	// Stub is true for an entity the source refers to but does not declare: it is only added, never
	// updated.
	Stub bool
}

// Key is one key an importer writes.
type Key struct {
	Name string
	// Value is the TOML text of a non-reference key.
	Value string
	// Refs are the IDs of a reference key, each required.
	Refs []string
}

// text is the key's TOML value text.
func (k Key) text() string {
	if k.Refs == nil {
		return k.Value
	}
	if len(k.Refs) == 1 {
		return tomldoc.Quote(k.Refs[0])
	}
	return tomldoc.QuoteAll(k.Refs)
}

// Import is the result of reading a source: its entities, sorted by kind then ID, and its warnings.
type Import struct {
	// Source names what was read, for the header of a new file ("Backstage catalog in ./catalog").
	Source   string
	Entities []Entity
	Diags    diag.List
}

// set adds or replaces key on e, keeping keys in canonical order. Empty values are left out.
func (e *Entity) set(k Key) {
	if k.Refs == nil && k.Value == "" || k.Refs != nil && len(k.Refs) == 0 {
		return
	}
	i := slices.IndexFunc(e.Keys, func(x Key) bool { return x.Name == k.Name })
	if i >= 0 {
		e.Keys[i] = k
		return
	}
	e.Keys = append(e.Keys, k)
	order := keyOrder()
	slices.SortStableFunc(e.Keys, func(a, b Key) int { return order[a.Name] - order[b.Name] })
}

func keyOrder() map[string]int {
	m := map[string]int{}
	for i, k := range inventory.Keys() {
		m[k.Name] = i
	}
	return m
}

func specOf(name string) (inventory.KeySpec, bool) {
	for _, k := range inventory.Keys() {
		if k.Name == name {
			return k, true
		}
	}
	return inventory.KeySpec{}, false
}

func applies(spec inventory.KeySpec, k model.Kind) bool {
	return spec.Kinds == nil || slices.Contains(spec.Kinds, k)
}

var notID = regexp.MustCompile(`[^a-z0-9._-]+`)

// NormalizeID turns a name from another system into a spof ID: lower case, runs of other characters
// replaced by '-', leading punctuation dropped. It returns "" when nothing is left.
func NormalizeID(name string) string {
	s := notID.ReplaceAllString(strings.ToLower(strings.TrimSpace(name)), "-")
	s = strings.TrimLeft(s, "._-")
	s = strings.TrimRight(s, "-")
	return s
}

// Stubs adds a stub entity for each ID the import refers to without declaring it, so that the result is
// a valid inventory on its own. kindOf chooses the stub's kind from the referring key; describe writes
// its description. It returns the IDs stubbed, sorted.
func (im *Import) Stubs(kindOf func(ref string, key inventory.KeySpec) model.Kind, describe func(ref string, by []string) string) []string {
	declared := map[string]bool{}
	for _, e := range im.Entities {
		declared[e.ID] = true
	}
	type use struct {
		kind model.Kind
		by   []string
	}
	missing := map[string]*use{}
	for _, e := range im.Entities {
		for _, k := range e.Keys {
			spec, _ := specOf(k.Name)
			for _, r := range k.Refs {
				if declared[r] {
					continue
				}
				u := missing[r]
				if u == nil {
					u = &use{kind: kindOf(r, spec)}
					missing[r] = u
				}
				u.by = append(u.by, e.ID)
			}
		}
	}
	ids := make([]string, 0, len(missing))
	for id := range missing {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		u := missing[id]
		e := Entity{Kind: u.kind, ID: id, Stub: true}
		e.set(Key{Name: "description", Value: tomldoc.Quote(describe(id, someOf(u.by)))})
		im.Entities = append(im.Entities, e)
	}
	im.sort()
	return ids
}

// someOf keeps the first three of a list and counts the rest, for descriptions that stay short.
func someOf(ids []string) []string {
	if len(ids) <= 3 {
		return ids
	}
	return append(slices.Clone(ids[:3]), fmt.Sprintf("%d more", len(ids)-3))
}

func (im *Import) sort() {
	slices.SortStableFunc(im.Entities, func(a, b Entity) int {
		if a.Kind != b.Kind {
			return int(a.Kind) - int(b.Kind)
		}
		return strings.Compare(a.ID, b.ID)
	})
}

// Report says what a merge did.
type Report struct {
	Added, Updated, Unchanged int
	// Kept lists the entities of the file that the source does not list (any more, or ever), sorted.
	Kept  []string
	Diags diag.List
}

// String reads "3 added, 5 updated, 12 unchanged; kept 1 not in the source: x".
func (r Report) String() string {
	s := fmt.Sprintf("%d added, %d updated, %d unchanged", r.Added, r.Updated, r.Unchanged)
	if len(r.Kept) > 0 {
		s += fmt.Sprintf("; kept %d not in the source: %s", len(r.Kept), strings.Join(r.Kept, ", "))
	}
	return s
}

// Merge writes im into the inventory file text old (nil or empty for a new file) by the ownership
// rule of the package doc, and returns the new text in canonical layout. name is the file's name in
// diagnostics.
func Merge(name string, old []byte, im *Import) ([]byte, Report, diag.List) {
	var rep Report
	tree := &tomldoc.Tree{}
	if len(old) > 0 {
		var diags diag.List
		if tree, _, diags = tomldoc.ParseTree(tomldoc.Source{Name: name, Data: old}); diags != nil {
			return nil, rep, diags
		}
	} else {
		tree.Preamble = []string{
			"# Imported from " + im.Source + " by spof import.",
			"# Re-importing updates the keys the import wrote and keeps everything else: add redundancy",
			"# groups, availability and comments freely; end a line with # " + KeepMark + " to protect it.",
		}
	}
	seen := map[string]bool{}
	for _, e := range im.Entities {
		seen[e.ID] = true
		t := findEntity(tree, e.ID)
		if t == nil {
			t = tree.AddTable(e.Kind.Table(), e.ID)
			for _, k := range e.Keys {
				t.Set(k.Name, k.text())
			}
			rep.Added++
			continue
		}
		if e.Stub || strings.Contains(t.Trailing, KeepMark) {
			rep.Unchanged++
			continue
		}
		kind, _ := model.KindOfTable(t.Path[0])
		changed := false
		for _, k := range e.Keys {
			if spec, ok := specOf(k.Name); !ok || !applies(spec, kind) {
				continue // the user moved the entity to a kind without this key
			}
			cur := t.Get(k.Name)
			if cur == nil && t.Has(k.Name) {
				continue // written with dotted keys: the user's
			}
			if cur != nil && strings.Contains(cur.Trailing, KeepMark) {
				continue
			}
			if cur != nil && k.Refs != nil && isGroup(cur.Value) {
				if !sameIDs(idsIn(cur.Value), k.Refs) {
					rep.Diags.Add(diag.Diagnostic{Severity: diag.Warning, Pos: diag.Pos{File: name},
						Summary: fmt.Sprintf("kept the group in %s of %s, written by hand; the source now lists %s", k.Name, e.ID, strings.Join(k.Refs, ", "))})
				}
				continue
			}
			want := k.text()
			if cur != nil && (normalValue(cur.Value) == want || k.Refs != nil && sameIDs(idsIn(cur.Value), k.Refs)) {
				continue // same data: keep the user's layout, order and comments
			}
			t.Set(k.Name, want)
			changed = true
		}
		if changed {
			rep.Updated++
		} else {
			rep.Unchanged++
		}
	}
	for _, t := range tree.Tables {
		if len(t.Path) == 2 && !t.Array && !seen[t.Path[1]] {
			if _, ok := model.KindOfTable(t.Path[0]); ok {
				rep.Kept = append(rep.Kept, t.Path[1])
			}
		}
	}
	slices.Sort(rep.Kept)
	canonical.Layout(tree)
	out, diags := canonical.Source(name, tree.Bytes())
	return out, rep, diags
}

// findEntity returns the table declaring id in any entity table.
func findEntity(tree *tomldoc.Tree, id string) *tomldoc.Table {
	for _, t := range tree.Tables {
		if len(t.Path) == 2 && !t.Array && t.Path[1] == id {
			if _, ok := model.KindOfTable(t.Path[0]); ok {
				return t
			}
		}
	}
	return nil
}

// normalValue returns value text as the importer would write it, to tell a real change from layout.
func normalValue(v string) string {
	tree, _, diags := tomldoc.ParseTree(tomldoc.Source{Data: []byte("x = " + v + "\n")})
	if diags != nil || len(tree.Top) != 1 {
		return v
	}
	return tree.Top[0].Value
}

// isGroup reports whether a reference value holds a group table. IDs cannot contain '{'.
func isGroup(v string) bool { return strings.Contains(v, "{") }

var quoted = regexp.MustCompile(`"([^"\\]*)"|'([^']*)'`)

// idsIn returns the IDs quoted in a reference value, sorted and unique.
func idsIn(v string) []string {
	var ids []string
	for _, m := range quoted.FindAllStringSubmatch(v, -1) {
		ids = append(ids, m[1]+m[2])
	}
	slices.Sort(ids)
	return slices.Compact(ids)
}

func sameIDs(sorted, refs []string) bool {
	r := slices.Clone(refs)
	slices.Sort(r)
	return slices.Equal(sorted, slices.Compact(r))
}
