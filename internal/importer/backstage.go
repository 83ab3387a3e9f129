package importer

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/spofhq/spof/internal/diag"
	"github.com/spofhq/spof/internal/human"
	"github.com/spofhq/spof/internal/inventory"
	"github.com/spofhq/spof/internal/model"
	"github.com/spofhq/spof/internal/tomldoc"
)

// DefaultTiers maps Backstage lifecycles to spof tiers. Lifecycles not listed map to medium, the
// default tier. Backstage says nothing about criticality: only a person should write critical.
var DefaultTiers = map[string]model.Tier{
	"production":   model.High,
	"experimental": model.Low,
	"deprecated":   model.Low,
}

// BackstageOptions controls a Backstage import.
type BackstageOptions struct {
	// Tiers maps lifecycles to tiers, over DefaultTiers.
	Tiers map[string]model.Tier
	// NoStubs writes references to entities the catalog does not declare as they are, for an output
	// that joins an inventory declaring them, instead of declaring stubs.
	NoStubs bool
}

// bsEntity is the part of a Backstage catalog entity the import reads.
type bsEntity struct {
	Kind     string `yaml:"kind"`
	Metadata struct {
		Name        string   `yaml:"name"`
		Namespace   string   `yaml:"namespace"`
		Title       string   `yaml:"title"`
		Description string   `yaml:"description"`
		Tags        []string `yaml:"tags"`
	} `yaml:"metadata"`
	Spec struct {
		Type         string   `yaml:"type"`
		Lifecycle    string   `yaml:"lifecycle"`
		Owner        string   `yaml:"owner"`
		System       string   `yaml:"system"`
		DependsOn    []string `yaml:"dependsOn"`
		DependencyOf []string `yaml:"dependencyOf"`
		ConsumesAPIs []string `yaml:"consumesApis"`
		ProvidesAPIs []string `yaml:"providesApis"`
	} `yaml:"spec"`
	pos diag.Pos
}

// entityRef is a parsed Backstage entity reference, [kind:][namespace/]name, lower-cased: Backstage
// compares references without case.
type entityRef struct{ kind, namespace, name string }

func (r entityRef) String() string { return r.kind + ":" + r.namespace + "/" + r.name }

func parseRef(s, defaultKind string) entityRef {
	s = strings.ToLower(strings.TrimSpace(s))
	r := entityRef{kind: defaultKind, namespace: "default"}
	if k, rest, ok := strings.Cut(s, ":"); ok {
		r.kind, s = k, rest
	}
	if ns, rest, ok := strings.Cut(s, "/"); ok {
		r.namespace, s = ns, rest
	}
	r.name = s
	return r
}

// imported kinds, in the order that gives a bare ID when two entities share a name.
var bsKinds = []string{"component", "api", "resource", "system"}

// CatalogFiles returns the Backstage descriptor files under dir: every catalog-info.yaml or .yml,
// sorted, skipping folders whose name starts with '.'. A dir that is a file is read whatever its name.
func CatalogFiles(fsys fs.FS, dir string) ([]string, error) {
	out, err := inventory.WalkFiles(fsys, dir, func(name string) bool {
		return name == "catalog-info.yaml" || name == "catalog-info.yml"
	})
	slices.Sort(out)
	return out, err
}

// Backstage reads the catalog files and maps their entities:
//
//   - Component → services.<id>: tier from spec.lifecycle; depends_on its dependsOn and consumesApis.
//   - API → services.<id>: tier from lifecycle; runs_on the components that provide it.
//   - Resource → components.<id>: type from spec.type; depends_on its dependsOn.
//   - System → services.<id>: depends_on its components (else its resources); tier the most critical
//     of its components'.
//   - Every kind: name from metadata.title, description, tags, owner (the name of spec.owner);
//     dependencyOf adds the reverse depends_on.
//
// IDs are the entity names, lower-cased, prefixed by "namespace." outside the default namespace; an
// entity whose ID another kind took first (in the order Component, API, Resource, System) gets the
// suffix "-kind". Other kinds (Group, User, Domain, Location, Template) are skipped.
func Backstage(fsys fs.FS, files []string, display func(string) string, o BackstageOptions) *Import {
	im := &Import{}
	var ents []*bsEntity
	skipped := map[string]int{}
	for _, f := range files {
		data, err := fs.ReadFile(fsys, f)
		if err != nil {
			im.Diags.Errorf(diag.Pos{File: display(f)}, "cannot read: %v", err)
			continue
		}
		dec := yaml.NewDecoder(bytes.NewReader(data))
		for {
			var n yaml.Node
			err := dec.Decode(&n)
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				im.Diags.Errorf(diag.Pos{File: display(f)}, "invalid YAML: %s", strings.TrimPrefix(err.Error(), "yaml: "))
				break
			}
			if n.Kind == 0 || len(n.Content) == 0 {
				continue
			}
			e := &bsEntity{pos: diag.Pos{File: display(f), Line: n.Content[0].Line, Col: n.Content[0].Column}}
			if err := n.Decode(e); err != nil {
				im.Diags.Errorf(e.pos, "not a Backstage entity: %s", strings.TrimPrefix(err.Error(), "yaml: "))
				continue
			}
			kind := strings.ToLower(e.Kind)
			switch {
			case !slices.Contains(bsKinds, kind):
				skipped[e.Kind]++
			case e.Metadata.Name == "":
				im.Diags.Errorf(e.pos, "%s entity without metadata.name", e.Kind)
			default:
				ents = append(ents, e)
			}
		}
	}
	for _, k := range slices.Sorted(maps.Keys(skipped)) {
		im.Diags.Add(diag.Diagnostic{Severity: diag.Warning, Summary: fmt.Sprintf("skipped %d %s %s: spof imports Component, API, Resource and System", skipped[k], k, human.Plural(skipped[k], "entity", "entities"))})
	}
	m := newBSMapper(ents, o, &im.Diags)
	im.Entities = m.entities()
	if !o.NoStubs {
		stubbed := im.Stubs(m.stubKind, func(ref string, by []string) string {
			return fmt.Sprintf("Not in the Backstage catalog: referred to as %s by %s.", m.missing[ref], strings.Join(by, ", "))
		})
		for _, id := range stubbed {
			im.Diags.Add(diag.Diagnostic{Severity: diag.Warning, Summary: fmt.Sprintf("%s is not in the catalog: declared %s as a stub", m.missing[id], id)})
		}
	} else {
		for _, id := range slices.Sorted(maps.Keys(m.missing)) {
			im.Diags.Add(diag.Diagnostic{Severity: diag.Warning, Summary: fmt.Sprintf("%s is not in the catalog: referred to as %s, which the inventory must declare", m.missing[id], id)})
		}
	}
	im.Diags.Sort()
	return im
}

// bsMapper holds the catalog while it is mapped to entities.
type bsMapper struct {
	o     BackstageOptions
	diags *diag.List
	ents  []*bsEntity
	ids   map[entityRef]string
	// byName finds entities referred to without a kind.
	byName map[string][]entityRef
	// missing maps the IDs of referenced entities the catalog lacks to the reference as written.
	missing map[string]entityRef
}

func refOf(e *bsEntity) entityRef {
	ns := strings.ToLower(e.Metadata.Namespace)
	if ns == "" {
		ns = "default"
	}
	return entityRef{kind: strings.ToLower(e.Kind), namespace: ns, name: strings.ToLower(e.Metadata.Name)}
}

func newBSMapper(ents []*bsEntity, o BackstageOptions, diags *diag.List) *bsMapper {
	m := &bsMapper{o: o, diags: diags, ids: map[entityRef]string{}, byName: map[string][]entityRef{}, missing: map[string]entityRef{}}
	// Assign IDs kind by kind, each in name order, so they do not depend on file order.
	slices.SortStableFunc(ents, func(a, b *bsEntity) int {
		ra, rb := refOf(a), refOf(b)
		if ka, kb := slices.Index(bsKinds, ra.kind), slices.Index(bsKinds, rb.kind); ka != kb {
			return ka - kb
		}
		return strings.Compare(ra.String(), rb.String())
	})
	taken := map[string]bool{}
	for _, e := range ents {
		r := refOf(e)
		if _, dup := m.ids[r]; dup {
			diags.Errorf(e.pos, "%s is declared twice", r)
			continue
		}
		id := baseID(r)
		if taken[id] {
			id += "-" + r.kind
		}
		if !model.ValidID(id) || taken[id] {
			diags.Errorf(e.pos, "cannot make a spof ID from %s", r)
			continue
		}
		taken[id] = true
		m.ids[r] = id
		m.byName[r.namespace+"/"+r.name] = append(m.byName[r.namespace+"/"+r.name], r)
		m.ents = append(m.ents, e)
	}
	return m
}

func baseID(r entityRef) string {
	id := NormalizeID(r.name)
	if r.namespace != "default" {
		id = NormalizeID(r.namespace) + "." + id
	}
	return id
}

// resolve returns the ID of a reference, recording it as missing when the catalog lacks it.
func (m *bsMapper) resolve(s, defaultKind string) string {
	r := parseRef(s, defaultKind)
	if r.kind == "" {
		// No kind given: any imported kind with that name, in bsKinds order.
		if rs := m.byName[r.namespace+"/"+r.name]; len(rs) > 0 {
			return m.ids[rs[0]]
		}
	} else if id, ok := m.ids[r]; ok {
		return id
	}
	id := baseID(r)
	if prev, ok := m.missing[id]; !ok || prev.kind == "" {
		m.missing[id] = r
	}
	return id
}

// stubKind declares a missing Resource (or a reference of unknown kind) as a component, and any other
// missing entity as a service, as the import maps them.
func (m *bsMapper) stubKind(id string, _ inventory.KeySpec) model.Kind {
	switch m.missing[id].kind {
	case "component", "api", "system":
		return model.Service
	}
	return model.Component
}

func (m *bsMapper) tier(lifecycle string) model.Tier {
	lc := strings.ToLower(lifecycle)
	if t, ok := m.o.Tiers[lc]; ok {
		return t
	}
	if t, ok := DefaultTiers[lc]; ok {
		return t
	}
	return model.Medium
}

func (m *bsMapper) entities() []Entity {
	byID := map[string]*Entity{}
	var order []string
	deps := map[string][]string{} // id → depends_on
	runsOn := map[string][]string{}
	tiers := map[string]model.Tier{}
	for _, e := range m.ents {
		r := refOf(e)
		id := m.ids[r]
		x := &Entity{ID: id, Kind: model.Service}
		if r.kind == "resource" {
			x.Kind = model.Component
			x.set(Key{Name: "type", Value: str(e.Spec.Type)})
		}
		x.set(Key{Name: "name", Value: str(e.Metadata.Title)})
		x.set(Key{Name: "description", Value: str(strings.TrimSpace(e.Metadata.Description))})
		if e.Spec.Owner != "" {
			x.set(Key{Name: "owner", Value: str(parseRef(e.Spec.Owner, "group").name)})
		}
		if len(e.Metadata.Tags) > 0 {
			x.set(Key{Name: "tags", Value: tomldoc.QuoteAll(e.Metadata.Tags)})
		}
		if r.kind == "component" || r.kind == "api" {
			tiers[id] = m.tier(e.Spec.Lifecycle)
		}
		for _, d := range e.Spec.DependsOn {
			deps[id] = append(deps[id], m.resolve(d, ""))
		}
		for _, a := range e.Spec.ConsumesAPIs {
			deps[id] = append(deps[id], m.resolve(a, "api"))
		}
		for _, a := range e.Spec.ProvidesAPIs {
			api := m.resolve(a, "api")
			runsOn[api] = append(runsOn[api], id)
		}
		for _, d := range e.Spec.DependencyOf {
			dependent := m.resolve(d, "")
			deps[dependent] = append(deps[dependent], id)
		}
		byID[id] = x
		order = append(order, id)
	}
	// A system needs its components (or, without any, its resources) and is as critical as they are.
	members := map[string][]string{}
	var resources = map[string][]string{}
	for _, e := range m.ents {
		r := refOf(e)
		if e.Spec.System == "" || (r.kind != "component" && r.kind != "resource") {
			continue
		}
		sys := m.resolve(e.Spec.System, "system")
		if r.kind == "component" {
			members[sys] = append(members[sys], m.ids[r])
		} else {
			resources[sys] = append(resources[sys], m.ids[r])
		}
	}
	for _, e := range m.ents {
		r := refOf(e)
		if r.kind != "system" {
			continue
		}
		id := m.ids[r]
		ms := members[id]
		if len(ms) == 0 {
			ms = resources[id]
		}
		deps[id] = append(deps[id], ms...)
		t := model.Medium
		for _, c := range members[id] {
			t = min(t, tiers[c])
		}
		tiers[id] = t
	}
	var out []Entity
	for _, id := range order {
		x := byID[id]
		if x.Kind == model.Service {
			x.set(Key{Name: "tier", Value: str(tiers[id].String())})
		}
		x.set(Key{Name: "runs_on", Refs: uniq(runsOn[id], id)})
		x.set(Key{Name: "depends_on", Refs: uniq(deps[id], id)})
		out = append(out, *x)
	}
	for id := range m.missing {
		if _, ok := byID[id]; ok {
			// A kindless or mis-kinded reference whose ID an imported entity has: it resolves to it.
			delete(m.missing, id)
		}
	}
	return out
}

func str(s string) string {
	if s == "" {
		return ""
	}
	return tomldoc.Quote(s)
}

// uniq sorts ids, removing duplicates and self, which spof rejects.
func uniq(ids []string, self string) []string {
	if len(ids) == 0 {
		return nil
	}
	out := slices.Clone(ids)
	slices.Sort(out)
	out = slices.Compact(out)
	return slices.DeleteFunc(out, func(s string) bool { return s == self })
}
