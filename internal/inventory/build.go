package inventory

import (
	"cmp"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spofhq/spof/internal/diag"
	"github.com/spofhq/spof/internal/human"
	"github.com/spofhq/spof/internal/model"
	"github.com/spofhq/spof/internal/tomldoc"
)

// pending is a reference by name, resolved once every file has been read.
type pending struct {
	// req is the requirement leaf to point at the entity; nil for an ID list (IDList), which the
	// entity stores through its key's field instead.
	req   *model.Req
	name  string
	key   *KeySpec
	owner string // ID of the referencing entity
	ent   int    // index of the referencing entity in its file's builder
	pos   diag.Pos
}

// builder accumulates entities: one builder per file, run in parallel, then merge combines them in
// file order and checks what crosses files.
type builder struct {
	diags    diag.List
	entities []model.Entity
	declared map[string]diag.Pos
	refs     []pending
	// orphans are the references of duplicate entities: checked, never resolved.
	orphans []pending
	numbers map[string]numberDecl
	// numberList holds the numbers of this file in declaration order, for merge.
	numberList []numberDecl
	// today is the load's date (YYYY-MM-DD): a tested date after it is an error.
	today string
	// kvs is scratch space for an entity's keys and values.
	kvs []keyValue
	// defaults are the [defaults] values read so far, by kind, and where each was set.
	defaults    [model.NumKinds]float64
	defaultsPos [model.NumKinds]diag.Pos
	// incidents are the incident records read so far (incidents.go), and where each ID was first
	// recorded.
	incidents   []incidentDecl
	incidentPos map[string]diag.Pos
}

type keyValue struct {
	key   string
	value any
}

type numberDecl struct {
	norm, raw string
	id        string
	pos       diag.Pos
}

func newBuilder(today string) *builder {
	return &builder{declared: map[string]diag.Pos{}, numbers: map[string]numberDecl{}, today: today}
}

func (b *builder) addFile(f *tomldoc.Document) {
	n := 0
	for _, v := range f.Data {
		if ents, ok := v.(map[string]any); ok {
			n += len(ents)
		}
	}
	b.entities = slices.Grow(b.entities, n)
	// The entities of every table in source order, so that of two clashing declarations the later
	// one is reported, whatever their kinds.
	type placed struct {
		kind model.Kind
		id   string
		pos  diag.Pos
		v    any
	}
	all := make([]placed, 0, n)
	for _, table := range slices.Sorted(maps.Keys(f.Data)) {
		if table == DefaultsTable {
			b.addDefaults(f, f.Data[table])
			continue
		}
		if table == model.IncidentsTable {
			b.addIncidents(f, f.Data[table])
			continue
		}
		kind, ok := model.KindOfTable(table)
		if !ok {
			b.diags.Errorf(f.KeyPos(table), "unknown table %q%s", table, hintTable(table))
			continue
		}
		ents, ok := f.Data[table].(map[string]any)
		if !ok {
			b.diags.Errorf(f.KeyPos(table), "%s must be a table of entities, like [%s.<id>], not %s", table, table, tomldoc.TypeName(f.Data[table]))
			continue
		}
		for id, v := range ents {
			all = append(all, placed{kind, id, f.KeyPos(table, id), v})
		}
	}
	slices.SortFunc(all, func(x, y placed) int {
		if c := x.pos.Compare(y.pos); c != 0 {
			return c
		}
		return cmp.Or(cmp.Compare(x.kind, y.kind), strings.Compare(x.id, y.id))
	})
	for _, p := range all {
		b.addEntity(f, p.kind, p.id, p.pos, p.v)
	}
}

func hintTable(name string) string {
	if h := diag.DidYouMean(name, append(model.Tables(), DefaultsTable, model.IncidentsTable)); h != "" {
		return h
	}
	return "; an inventory declares " + strings.Join(model.Tables(), ", ") + " and optionally " + DefaultsTable + " and " + model.IncidentsTable
}

// duplicateNumber reports nd as an error if its number was declared before, else records it.
func (b *builder) duplicateNumber(nd numberDecl) bool {
	if first, dup := b.numbers[nd.norm]; dup {
		b.diags.Errorf(nd.pos, "duplicate phone number %q, also used by %s at %s", nd.raw, first.id, first.pos)
		return true
	}
	b.numbers[nd.norm] = nd
	return false
}

// merge adds the entities, references and numbers of a file's builder, in file order, reporting the
// IDs and numbers that clash with an earlier file. A duplicate entity is dropped with its numbers;
// its references are checked, never resolved.
func (b *builder) merge(f *builder) {
	b.diags = append(b.diags, f.diags...)
	dropped := map[string]bool{} // by ID: IDs are unique within f, whose own duplicates are gone already
	for i := range f.entities {
		e := &f.entities[i]
		if first, dup := b.declared[e.ID]; dup {
			b.diags.Errorf(e.Pos, "duplicate id %q, first declared at %s (ids are unique across kinds and files)", e.ID, first)
			dropped[e.ID] = true
			continue
		}
		b.declared[e.ID] = e.Pos
		b.entities = append(b.entities, *e)
	}
	for _, p := range f.refs {
		if dropped[f.entities[p.ent].ID] {
			b.orphans = append(b.orphans, p)
		} else {
			b.refs = append(b.refs, p)
		}
	}
	b.orphans = append(b.orphans, f.orphans...)
	for _, nd := range f.numberList {
		if !dropped[nd.id] {
			b.duplicateNumber(nd)
		}
	}
	b.mergeIncidents(f)
	for k, pos := range f.defaultsPos {
		if pos.File == "" {
			continue
		}
		if first := b.defaultsPos[k]; first.File != "" {
			b.diags.Errorf(pos, "duplicate default for %s, first set at %s", model.Kinds[k].Table(), first)
			continue
		}
		b.defaults[k], b.defaultsPos[k] = f.defaults[k], pos
	}
}

func (b *builder) addEntity(f *tomldoc.Document, kind model.Kind, id string, pos diag.Pos, v any) {
	table := kind.Table()
	if !model.ValidID(id) {
		b.diags.Errorf(pos, "invalid id %q: ids are lower-case letters, digits, '.', '_' and '-', starting with a letter or digit%s", id, suggestID(id))
		return
	}
	first, dup := b.declared[id]
	if dup {
		b.diags.Errorf(pos, "duplicate id %q, first declared at %s (ids are unique across kinds and files)", id, first)
	} else {
		b.declared[id] = pos
	}
	fields, ok := v.(map[string]any)
	if !ok {
		b.diags.Errorf(pos, "%s.%s must be a table, not %s", table, id, tomldoc.TypeName(v))
		return
	}
	e := model.Entity{ID: id, Kind: kind, Tier: model.Medium, Pos: pos}
	// A duplicate is read all the same, so that its other mistakes show now rather than once it is
	// renamed, then dropped with its references and numbers.
	refs, numbers := len(b.refs), len(b.numberList)
	// In key order, so that diagnostics at one place come in a stable order; the pairs are
	// gathered in one pass over the map, which spares hashing each key again.
	kvs := b.kvs[:0]
	for k, v := range fields {
		kvs = append(kvs, keyValue{k, v})
	}
	slices.SortFunc(kvs, func(x, y keyValue) int { return strings.Compare(x.key, y.key) })
	for _, kv := range kvs {
		b.setKey(f, &e, kv.key, kv.value, []string{table, id, kv.key})
	}
	clear(kvs) // the values are the decoder's: let them go
	b.kvs = kvs
	b.checkAvailabilityKeys(f, &e, fields)
	b.checkRole(f, &e, fields)
	// Keep the reference keys in canonical order rather than map order, so paths are stable.
	slices.SortStableFunc(e.Refs, func(x, y model.Ref) int { return x.Pos.Compare(y.Pos) })
	if dup {
		b.orphans = append(b.orphans, b.refs[refs:]...)
		b.refs = b.refs[:refs]
		for _, nd := range b.numberList[numbers:] {
			delete(b.numbers, nd.norm)
		}
		b.numberList = b.numberList[:numbers]
		return
	}
	b.entities = append(b.entities, e)
}

// suggestID proposes the lower-case form of an ID that only differs by case or spaces.
func suggestID(id string) string {
	s := strings.ToLower(strings.ReplaceAll(strings.TrimSpace(id), " ", "-"))
	if s != id && model.ValidID(s) {
		return fmt.Sprintf("; did you mean %q?", s)
	}
	return ""
}

func (b *builder) setKey(f *tomldoc.Document, e *model.Entity, key string, v any, path []string) {
	spec := specFor(key)
	kpos := f.KeyPos(path...)
	if spec == nil {
		names := make([]string, 0, len(keySpecs))
		for i := range keySpecs {
			if keySpecs[i].appliesTo(e.Kind) {
				names = append(names, keySpecs[i].Name)
			}
		}
		b.diags.Errorf(kpos, "unknown key %q in %s.%s%s", key, e.Kind.Table(), e.ID, diag.DidYouMean(key, names))
		return
	}
	if !spec.appliesTo(e.Kind) {
		b.diags.Errorf(kpos, "key %q does not apply to %s (it is for %s)", key, e.Kind.Table(), kindList(spec.Kinds))
		return
	}
	if spec.Type == Requirement {
		req := b.requirement(f, e.ID, spec, v, path, false)
		if req != nil {
			e.Refs = append(e.Refs, model.Ref{Key: key, Req: req, Pos: kpos})
		}
		return
	}
	b.setValue(f, spec, e.ID, v, path, func() any { return spec.field(e) })
}

// setValue checks the value v of key spec, written at path in the table of owner, against the key's
// type, and stores it through field (see KeySpec.field) when it is valid. Entities and incident records
// share it, so that a value type is checked, and worded, the same wherever it appears.
func (b *builder) setValue(f *tomldoc.Document, spec *KeySpec, owner string, v any, path []string, field func() any) {
	key := spec.Name
	vpos := f.ValuePos(path...)
	wrongType := func(want string) {
		b.diags.Errorf(vpos, "%s must be %s, not %s", key, want, tomldoc.TypeName(v))
	}
	switch spec.Type {
	case String:
		if s, ok := v.(string); ok {
			*field().(*string) = s
		} else {
			wrongType("a string")
		}
	case TierName:
		s, ok := v.(string)
		if !ok {
			wrongType("a string")
			return
		}
		t, ok := model.ParseTier(s)
		if !ok {
			b.diags.Errorf(vpos, "invalid tier %q: want one of %s%s", s, strings.Join(model.TierNames(), ", "), diag.DidYouMean(s, model.TierNames()))
			return
		}
		*field().(*model.Tier) = t
	case PhoneNumber:
		s, ok := v.(string)
		if !ok {
			wrongType("a string")
			return
		}
		if b.phoneNumber(owner, s, vpos) {
			*field().(*string) = s
		}
	case Bool:
		if x, ok := v.(bool); ok {
			*field().(*bool) = x
		} else {
			wrongType("a boolean (true or false)")
		}
	case StringList:
		arr, ok := v.([]any)
		if !ok {
			wrongType("an array of strings")
			return
		}
		list := field().(*[]string)
		for i, el := range arr {
			s, ok := el.(string)
			if !ok {
				b.diags.Errorf(f.ValuePos(appendPath(path, fmt.Sprint(i))...), "%s must hold strings, not %s", key, tomldoc.TypeName(el))
				continue
			}
			*list = append(*list, s)
		}
	case Fraction:
		x, ok := number(v)
		if !ok {
			wrongType("a number in (0,1]")
			return
		}
		if !(x > 0 && x <= 1) {
			b.diags.Errorf(vpos, "%s must be in (0,1], got %v", key, x)
			return
		}
		*field().(*float64) = x
	case Hours, PositiveHours:
		x, ok := number(v)
		if !ok {
			wrongType("a number of hours")
			return
		}
		switch {
		case x < 0 || math.IsNaN(x):
			b.diags.Errorf(vpos, "%s must not be negative, got %v", key, x)
		case math.IsInf(x, 0):
			b.diags.Errorf(vpos, "%s must be finite, got %v", key, x)
		case spec.Type == PositiveHours && x == 0:
			b.diags.Errorf(vpos, "%s must be greater than 0: an entity that fails at once is never up", key)
		default:
			*field().(*float64) = x
		}
	case Objective:
		x, ok := number(v)
		if !ok {
			wrongType("a number in (0,1)")
			return
		}
		switch {
		case x >= 1:
			b.diags.Errorf(vpos, "%s must be below 1, got %v: no service that can fail meets an objective of 100%%; write e.g. 0.9999", key, x)
		case !(x > 0):
			b.diags.Errorf(vpos, "%s must be in (0,1), got %v", key, x)
		default:
			*field().(*float64) = x
		}
	case DateTime:
		if t, ok := b.dateTime(key, v, vpos); ok {
			*field().(*time.Time) = t
		}
	case RoleName:
		s, ok := v.(string)
		if !ok {
			wrongType("a string")
			return
		}
		r, ok := model.ParseRole(s)
		if !ok {
			b.diags.Errorf(vpos, "invalid role %q: want one of %s%s", s, strings.Join(model.RoleNames(), ", "), suggestRole(s))
			return
		}
		*field().(*model.Role) = r
	case IDList:
		var ids []idRef
		b.idList(f, spec, v, path, &ids)
		switch dst := field().(type) {
		case *[]idRef: // an incident record resolves its lists itself
			*dst = append(*dst, ids...)
		case *[]int32: // an entity's list is resolved with the references, into dst
			for _, id := range ids {
				b.refs = append(b.refs, pending{name: id.name, key: spec, owner: owner, ent: len(b.entities), pos: id.pos})
			}
		}
	}
}

// phoneNumber checks the phone number s of entity id, records it to find duplicates across the
// inventory, and reports whether it is valid and new.
func (b *builder) phoneNumber(id, s string, pos diag.Pos) bool {
	norm, ok := normalizeNumber(s)
	if !ok {
		b.diags.Errorf(pos, "invalid phone number %q: want E.164, a '+' and 8 to 15 digits, spaces allowed (e.g. \"+33 4 66 00 00 01\")", s)
		return false
	}
	nd := numberDecl{norm: norm, raw: s, id: id, pos: pos}
	if b.duplicateNumber(nd) {
		return false
	}
	b.numberList = append(b.numberList, nd)
	return true
}

// normalizeNumber returns the E.164 form of s ("+33466000001"), or false if s is not one.
func normalizeNumber(s string) (string, bool) {
	if !strings.HasPrefix(s, "+") {
		return "", false
	}
	digits := make([]byte, 0, len(s))
	digits = append(digits, '+')
	for _, c := range []byte(s[1:]) {
		switch {
		case c >= '0' && c <= '9':
			digits = append(digits, c)
		case c == ' ':
		default:
			return "", false
		}
	}
	n := len(digits) - 1
	if n < 8 || n > 15 || digits[1] == '0' {
		return "", false
	}
	return string(digits), true
}

func number(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case int64:
		return float64(x), true
	}
	return 0, false
}

func kindList(kinds []model.Kind) string {
	names := make([]string, len(kinds))
	for i, k := range kinds {
		names[i] = k.Table()
	}
	switch len(names) {
	case 1:
		return names[0]
	case 2:
		return names[0] + " and " + names[1]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// requirement converts a reference value. inGroup is true for members of a group, where a plain array
// is ambiguous and rejected.
func (b *builder) requirement(f *tomldoc.Document, owner string, spec *KeySpec, v any, path []string, inGroup bool) *model.Req {
	vpos := f.ValuePos(path...)
	switch x := v.(type) {
	case string:
		r := &model.Req{Op: model.Need, Entity: -1, Pos: vpos}
		b.refs = append(b.refs, pending{req: r, name: x, key: spec, owner: owner, ent: len(b.entities), pos: vpos})
		return r
	case []any:
		if inGroup {
			b.diags.Errorf(vpos, "a group member must be an id or a group table; write a nested array as { all_of = [...] }")
			return nil
		}
		r := &model.Req{Op: model.AllOf, Pos: vpos}
		for i, el := range x {
			if m := b.requirement(f, owner, spec, el, appendPath(path, strconv.Itoa(i)), true); m != nil {
				r.Members = append(r.Members, m)
			}
		}
		return r
	case map[string]any:
		return b.group(f, owner, spec, x, path)
	}
	b.diags.Errorf(vpos, "%s must be an id, an array of ids or a group table ({ any_of = [...] }, { all_of = [...] } or { at_least = N, of = [...] }), not %s", spec.Name, tomldoc.TypeName(v))
	return nil
}

// appendPath extends path without sharing its backing array with siblings.
func appendPath(path []string, segs ...string) []string {
	return append(slices.Clip(path), segs...)
}

func (b *builder) group(f *tomldoc.Document, owner string, spec *KeySpec, t map[string]any, path []string) *model.Req {
	gpos := f.ValuePos(path...)
	ok := true
	var listKeys []string
	for _, k := range slices.Sorted(maps.Keys(t)) {
		switch k {
		case keyAnyOf, keyAllOf, keyOf:
			listKeys = append(listKeys, k)
		case keyAtLeast, keyTested:
		default:
			hint := diag.DidYouMean(k, groupKeys)
			if hint == "" {
				hint = "; a group is { any_of = [...] }, { all_of = [...] } or { at_least = N, of = [...] }"
			}
			b.diags.Errorf(f.KeyPos(appendPath(path, k)...), "unknown key %q in requirement group%s", k, hint)
			ok = false
		}
	}
	_, hasAtLeast := t[keyAtLeast]
	switch {
	case len(listKeys) == 0 && !ok:
		return nil // the unknown key was probably meant as the member list: one error is enough
	case len(listKeys) == 0:
		b.diags.Errorf(gpos, "requirement group has no members: give one of any_of, all_of, or at_least with of")
		return nil
	case len(listKeys) > 1:
		b.diags.Errorf(gpos, "requirement group has conflicting keys %s: give exactly one of any_of, all_of, or at_least with of", strings.Join(listKeys, " and "))
		return nil
	case listKeys[0] == keyOf && !hasAtLeast:
		b.diags.Errorf(gpos, "requirement group has of without at_least: write { at_least = N, of = [...] }")
		return nil
	case listKeys[0] != keyOf && hasAtLeast:
		b.diags.Errorf(gpos, "at_least goes with of, not %s: write { at_least = N, of = [...] }", listKeys[0])
		return nil
	}
	lk := listKeys[0]
	r := &model.Req{Group: true, Pos: gpos}
	switch lk {
	case keyAnyOf:
		r.Op = model.AnyOf
	case keyAllOf:
		r.Op = model.AllOf
	case keyOf:
		r.Op = model.AtLeast
	}
	arr, isArr := t[lk].([]any)
	if !isArr {
		b.diags.Errorf(f.ValuePos(appendPath(path, lk)...), "%s must be an array of members, not %s", lk, tomldoc.TypeName(t[lk]))
		return nil
	}
	for i, el := range arr {
		if m := b.requirement(f, owner, spec, el, appendPath(path, lk, strconv.Itoa(i)), true); m != nil {
			r.Members = append(r.Members, m)
		} else {
			ok = false
		}
	}
	if len(arr) == 0 {
		b.diags.Errorf(f.ValuePos(appendPath(path, lk)...), "%s is empty: a group needs at least one member", lk)
		return nil
	}
	if v, has := t[keyTested]; has {
		d, good := b.testedDate(f, v, appendPath(path, keyTested))
		r.Tested, ok = d, ok && good
	}
	if r.Op == model.AtLeast {
		n, isInt := t[keyAtLeast].(int64)
		apos := f.ValuePos(appendPath(path, keyAtLeast)...)
		switch {
		case !isInt:
			b.diags.Errorf(apos, "at_least must be an integer, not %s", tomldoc.TypeName(t[keyAtLeast]))
			ok = false
		case n < 1 || n > int64(len(arr)):
			want := fmt.Sprintf("between 1 and %d", len(arr))
			if len(arr) == 1 {
				want = "1"
			}
			b.diags.Errorf(apos, "at_least = %d is out of range: the group has %s, so at_least must be %s", n, human.Count(len(arr), "member", "members"), want)
			ok = false
		default:
			r.K = int(n)
		}
	}
	if !ok {
		return nil
	}
	return r
}
