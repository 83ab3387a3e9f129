package review

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/spofhq/spof/internal/analysis"
	"github.com/spofhq/spof/internal/human"
	"github.com/spofhq/spof/internal/model"
	"github.com/spofhq/spof/internal/tomldoc"
)

// Edit is a change to an inventory that a recommendation proposes: entities to add, and reference
// keys in which an existing entity becomes one of two alternatives. It is applied to the model to
// measure it (apply) and written as TOML for the reader to paste (Snippet), from the same data, so
// that what is measured is what is written.
type Edit struct {
	New  []NewEntity
	Alts []Alt
}

// NewEntity is an entity to add. Its requirements name existing or new entities by ID, each one
// required.
type NewEntity struct {
	ID, Name, Type string
	Kind           model.Kind
	Tier           model.Tier
	Published      bool
	Availability   float64
	// AvailabilityOf names the entity whose figure was copied, for the comment.
	AvailabilityOf string
	Refs           []NewRef
	// Note is a comment for the reader: what the entity must not depend on.
	Note string
}

// NewRef is a requirement of a new entity: every ID is required.
type NewRef struct {
	Key string
	IDs []string
}

// Alt says: in Owner's reference Key, every leaf naming Leaf becomes any_of [Leaf, With].
type Alt struct {
	Owner int32
	Key   string
	Leaf  int32
	With  string
}

// keep returns what apply must keep to measure the edit on services: the dependency closure of the
// services and of the existing entities the edit brings in (those its new entities require, and the
// alternatives it adds).
func (ed *Edit) keep(res *analysis.Result, services []int32) []bool {
	inv := res.Inv
	roots := slices.Clone(services)
	for _, n := range ed.New {
		for _, r := range n.Refs {
			for _, id := range r.IDs {
				if x, ok := inv.Lookup(id); ok {
					roots = append(roots, x)
				}
			}
		}
	}
	for _, a := range ed.Alts {
		if x, ok := inv.Lookup(a.With); ok {
			roots = append(roots, x)
		}
	}
	return res.Closure(roots)
}

// apply returns the inventory made of the entities of inv marked in keep, which must hold the
// closure of every kept entity and of what the new entities need, with the edit applied.
func (ed *Edit) apply(inv *model.Inventory, keep []bool) *model.Inventory {
	var ids []string
	for i := range inv.Entities {
		if keep[i] {
			ids = append(ids, inv.Entities[i].ID)
		}
	}
	for _, n := range ed.New {
		ids = append(ids, n.ID)
	}
	slices.Sort(ids)
	index := make(map[string]int32, len(ids))
	for i, id := range ids {
		index[id] = int32(i)
	}
	// By old index: the new index of each kept entity (looked up once, not at every leaf), and the
	// alternatives the edit gives it (a twin of a provider gives one to each of its thousands of
	// referrers, and the closure kept holds tens of thousands of entities).
	newIndex := make([]int32, len(inv.Entities))
	for i := range inv.Entities {
		if keep[i] {
			newIndex[i] = index[inv.Entities[i].ID]
		}
	}
	byOld := func(x int32) int32 { return newIndex[x] }
	altsOf := map[int32][]Alt{}
	for _, a := range ed.Alts {
		altsOf[a.Owner] = append(altsOf[a.Owner], a)
	}
	ents := make([]model.Entity, len(ids))
	for i := range inv.Entities {
		if !keep[i] {
			continue
		}
		e := inv.Entities[i] // a copy; its requirement trees are cloned below
		e.Refs = slices.Clone(e.Refs)
		for k := range e.Refs {
			var alts []Alt
			for _, a := range altsOf[int32(i)] {
				if a.Key == e.Refs[k].Key {
					alts = append(alts, a)
				}
			}
			e.Refs[k].Req = mapReq(e.Refs[k].Req, byOld, func(leaf int32) (string, bool) {
				for _, a := range alts {
					if a.Leaf == leaf {
						return a.With, true
					}
				}
				return "", false
			}, index)
		}
		ents[index[e.ID]] = e
	}
	for _, n := range ed.New {
		e := model.Entity{ID: n.ID, Kind: n.Kind, Name: n.Name, Type: n.Type, Tier: n.Tier, Published: n.Published, Availability: n.Availability}
		for _, r := range n.Refs {
			req := &model.Req{Op: model.AllOf}
			for _, id := range r.IDs {
				req.Members = append(req.Members, &model.Req{Op: model.Need, Entity: index[id]})
			}
			if len(req.Members) == 1 {
				req = req.Members[0]
			}
			e.Refs = append(e.Refs, model.Ref{Key: r.Key, Req: req})
		}
		ents[index[n.ID]] = e
	}
	out := model.New(ents, inv.Files)
	out.Defaults = inv.Defaults
	return out
}

// mapReq deep-copies r with its leaves mapped by index; a leaf for which alt names an alternative
// becomes any_of [leaf, alternative].
func mapReq(r *model.Req, index func(int32) int32, alt func(int32) (string, bool), ids map[string]int32) *model.Req {
	c := *r
	if r.Op == model.Need {
		c.Entity = index(r.Entity)
		if with, ok := alt(r.Entity); ok {
			return &model.Req{Op: model.AnyOf, Group: true, Pos: r.Pos, Members: []*model.Req{
				&c, {Op: model.Need, Entity: ids[with], Pos: r.Pos},
			}}
		}
		return &c
	}
	c.Members = make([]*model.Req, len(r.Members))
	for i, m := range r.Members {
		c.Members[i] = mapReq(m, index, alt, ids)
	}
	return &c
}

// KeyChange is one key of an existing entity as the edit rewrites it.
type KeyChange struct {
	Owner int32
	Key   string
	// Value is the new value, as TOML.
	Value string
}

// changes returns the keys the edit rewrites, by owner then key, with their new TOML values.
func (ed *Edit) changes(inv *model.Inventory) []KeyChange {
	var out []KeyChange
	seen := map[string]bool{}
	for _, a := range ed.Alts {
		k := fmt.Sprintf("%d/%s", a.Owner, a.Key)
		if seen[k] {
			continue
		}
		seen[k] = true
		for _, ref := range inv.Entities[a.Owner].Refs {
			if ref.Key != a.Key {
				continue
			}
			alt := func(leaf int32) (string, bool) {
				for _, b := range ed.Alts {
					if b.Owner == a.Owner && b.Key == a.Key && b.Leaf == leaf {
						return b.With, true
					}
				}
				return "", false
			}
			out = append(out, KeyChange{Owner: a.Owner, Key: a.Key, Value: reqTOML(inv, ref.Req, alt, true)})
		}
	}
	slices.SortStableFunc(out, func(p, q KeyChange) int {
		if p.Owner != q.Owner {
			return int(p.Owner - q.Owner)
		}
		return strings.Compare(p.Key, q.Key)
	})
	return out
}

// reqTOML writes r as the value of a reference key, with the leaves alt names doubled.
func reqTOML(inv *model.Inventory, r *model.Req, alt func(int32) (string, bool), top bool) string {
	if r.Op == model.Need {
		id := tomldoc.Quote(inv.ID(r.Entity))
		if with, ok := alt(r.Entity); ok {
			return "{ any_of = [" + id + ", " + tomldoc.Quote(with) + "] }"
		}
		return id
	}
	members := make([]string, len(r.Members))
	for i, m := range r.Members {
		members[i] = reqTOML(inv, m, alt, false)
	}
	list := "[" + strings.Join(members, ", ") + "]"
	switch {
	case r.Op == model.AllOf && !r.Group && top:
		return list
	case r.Op == model.AllOf:
		return "{ all_of = " + list + " }"
	case r.Op == model.AnyOf:
		return "{ any_of = " + list + " }"
	}
	return "{ at_least = " + strconv.Itoa(r.K) + ", of = " + list + " }"
}

// snippetLimit caps the rewritten keys written out in a snippet; the rest are counted.
const snippetLimit = 4

// Snippet writes the edit as TOML: the tables to add, then the keys to change in existing tables.
func (ed *Edit) Snippet(inv *model.Inventory) string {
	var b strings.Builder
	for _, n := range ed.New {
		if n.Note != "" {
			for _, line := range strings.Split(n.Note, "\n") {
				b.WriteString("# " + line + "\n")
			}
		}
		b.WriteString(newTable(n))
		b.WriteByte('\n')
	}
	chs := ed.changes(inv)
	var last int32 = -1
	for i, c := range chs {
		if i == snippetLimit {
			fmt.Fprintf(&b, "# … and %d more %s, the same way\n", len(chs)-i, human.Plural(len(chs)-i, "key", "keys"))
			break
		}
		if c.Owner != last {
			if i > 0 {
				b.WriteByte('\n')
			}
			e := &inv.Entities[c.Owner]
			fmt.Fprintf(&b, "[%s.%s]  # existing: change this key\n", e.Kind.Table(), tomldoc.FormatKey([]string{e.ID}))
			last = c.Owner
		}
		fmt.Fprintf(&b, "%s = %s\n", c.Key, c.Value)
	}
	return strings.TrimRight(b.String(), "\n")
}

// newTable writes a new entity's table.
func newTable(n NewEntity) string {
	var b strings.Builder
	fmt.Fprintf(&b, "[%s.%s]\n", n.Kind.Table(), tomldoc.FormatKey([]string{n.ID}))
	if n.Name != "" {
		fmt.Fprintf(&b, "name = %s\n", tomldoc.Quote(n.Name))
	}
	if n.Type != "" && (n.Kind == model.Provider || n.Kind == model.Component) {
		fmt.Fprintf(&b, "type = %s\n", tomldoc.Quote(n.Type))
	}
	if n.Kind == model.Service {
		fmt.Fprintf(&b, "tier = %s\n", tomldoc.Quote(n.Tier.String()))
	}
	if n.Published {
		b.WriteString("published = true\n")
	}
	if n.Availability > 0 {
		fmt.Fprintf(&b, "availability = %s", strconv.FormatFloat(n.Availability, 'g', -1, 64))
		if n.AvailabilityOf != "" {
			fmt.Fprintf(&b, "  # assumed: as %s", n.AvailabilityOf)
		}
		b.WriteByte('\n')
	}
	for _, r := range n.Refs {
		vals := make([]string, len(r.IDs))
		for i, id := range r.IDs {
			vals[i] = tomldoc.Quote(id)
		}
		if len(vals) == 1 {
			fmt.Fprintf(&b, "%s = %s\n", r.Key, vals[0])
		} else {
			fmt.Fprintf(&b, "%s = [%s]\n", r.Key, strings.Join(vals, ", "))
		}
	}
	return b.String()
}

// freeID returns base, or base-2, base-3… the first that neither inv nor taken holds.
func freeID(inv *model.Inventory, taken []string, base string) string {
	id := base
	for i := 2; ; i++ {
		if _, ok := inv.Lookup(id); !ok && !slices.Contains(taken, id) {
			return id
		}
		id = base + "-" + strconv.Itoa(i)
	}
}
