// Package model is the inventory as a graph: entities interned to dense integer indexes, their kinds and
// attributes, and the requirement trees of their reference keys.
//
// Entities are stored sorted by ID, so iterating by index is iterating in ID order: every list built by
// walking indexes is already in the order users see.
package model

import (
	"regexp"
	"slices"
	"strings"

	"github.com/spofhq/spof/internal/diag"
)

// IDPattern is the regular expression every entity ID matches, in a syntax both Go and ECMA-262 (JSON
// Schema) accept: lower-case letters, digits, '.', '_' and '-', starting with a letter or digit.
const IDPattern = `^[a-z0-9][a-z0-9._-]*$`

var idPattern = regexp.MustCompile(IDPattern)

// ValidID reports whether s matches IDPattern. Entity IDs and policy rule IDs follow the same rule.
func ValidID(s string) bool { return idPattern.MatchString(s) }

// Kind is the table an entity is declared in.
type Kind uint8

// Kinds, in the order they are listed in summaries.
const (
	Provider Kind = iota
	Service
	Number
	VM
	Component
	numKinds
)

// NumKinds is the number of kinds. Tables indexed by kind are arrays of this length, so that a kind
// added here without an entry there is a zero value that the table's test finds, not a panic.
const NumKinds = int(numKinds)

// Kinds lists every kind in summary order.
var Kinds = [NumKinds]Kind{Provider, Service, Number, VM, Component}

var kindNames = [NumKinds]string{"provider", "service", "number", "vm", "component"}
var kindTables = [NumKinds]string{"providers", "services", "numbers", "vms", "components"}

// String returns the singular name of k ("provider").
func (k Kind) String() string { return kindNames[k] }

// Table returns the TOML table that declares entities of kind k ("providers").
func (k Kind) Table() string { return kindTables[k] }

// KindOfTable returns the kind declared by a top-level table name.
func KindOfTable(table string) (Kind, bool) {
	i := slices.Index(kindTables[:], table)
	return Kind(max(i, 0)), i >= 0
}

// KindNamed returns the kind named by its table ("vms") or its singular name ("vm").
func KindNamed(name string) (Kind, bool) {
	if k, ok := KindOfTable(name); ok {
		return k, true
	}
	i := slices.Index(kindNames[:], name)
	return Kind(max(i, 0)), i >= 0
}

// Tables returns the names of the five entity tables.
func Tables() []string { return slices.Clone(kindTables[:]) }

// Tier is a service's criticality. Lower values are more critical.
type Tier uint8

// Tiers, most critical first; Medium is the default.
const (
	Critical Tier = iota
	High
	Medium
	Low
	numTiers
)

// Tiers lists every tier, most critical first.
var Tiers = [...]Tier{Critical, High, Medium, Low}

var tierNames = [...]string{"critical", "high", "medium", "low"}

// String returns the tier's name ("critical").
func (t Tier) String() string { return tierNames[t] }

// Weight is the tier's weight in rankings: a critical service counts as much as two high ones, and so on.
func (t Tier) Weight() int { return 8 >> t }

// ParseTier returns the tier named s.
func ParseTier(s string) (Tier, bool) {
	i := slices.Index(tierNames[:], s)
	return Tier(max(i, 0)), i >= 0
}

// TierNames returns the tier names, most critical first.
func TierNames() []string { return slices.Clone(tierNames[:]) }

// Role is what a service does to detect failures and tell people about them (docs/detection.md).
type Role uint8

// Roles; NoRole is the default.
const (
	NoRole Role = iota
	// Monitoring services detect failures of what they watch (their watches key).
	Monitoring
	// Alerting services deliver alerts to the on-call staff (paging, SMS, e-mail); a monitoring
	// service depends on them like on anything else.
	Alerting
	// Status services tell customers (status page, customer e-mail, announcement line).
	Status
	numRoles
)

var roleNames = [numRoles]string{"", "monitoring", "alerting", "status"}

// String returns the role's name ("monitoring"), "" for NoRole.
func (r Role) String() string { return roleNames[r] }

// ParseRole returns the role named s; "" is not a role name.
func ParseRole(s string) (Role, bool) {
	i := slices.Index(roleNames[1:], s)
	return Role(i + 1), i >= 0
}

// RoleNames returns the names a role key accepts, in declaration order.
func RoleNames() []string { return slices.Clone(roleNames[1:]) }

// Op is the kind of a requirement node.
type Op uint8

// Requirement operators.
const (
	// Need requires one entity.
	Need Op = iota
	// AllOf requires every member (a plain array is an AllOf).
	AllOf
	// AnyOf requires at least one member.
	AnyOf
	// AtLeast requires K members.
	AtLeast
)

// Req is a requirement tree: a leaf naming an entity, or a group of members.
type Req struct {
	Op      Op
	Entity  int32 // for Need
	K       int   // for AtLeast
	Members []*Req
	// Group is true when the node was written as a group table, as opposed to a plain array or string.
	Group bool
	Pos   diag.Pos
	// Tested is the last failover drill of a group, "" when not given (YYYY-MM-DD).
	Tested string
}

// Need returns how many members must be up for r to be met (for a leaf, 1).
func (r *Req) Need() int {
	switch r.Op {
	case AllOf:
		return len(r.Members)
	case AnyOf:
		return 1
	case AtLeast:
		return r.K
	}
	return 1
}

// Redundant reports whether r is a group that claims to survive the loss of a member.
func (r *Req) Redundant() bool {
	return r.Op != Need && len(r.Members) >= 2 && r.Need() < len(r.Members)
}

// Walk calls f for r and every node below it, parents first.
func (r *Req) Walk(f func(*Req)) {
	f(r)
	for _, m := range r.Members {
		m.Walk(f)
	}
}

// AppendEntities appends the entities named in r, leaves in the order written, duplicates kept.
func (r *Req) AppendEntities(dst []int32) []int32 {
	if r.Op == Need {
		return append(dst, r.Entity)
	}
	for _, m := range r.Members {
		dst = m.AppendEntities(dst)
	}
	return dst
}

// Ref is one reference key of an entity, such as runs_on, with its requirement.
type Ref struct {
	Key string
	Req *Req
	Pos diag.Pos
}

// Entity is one declared provider, service, number, VM or component.
type Entity struct {
	ID          string
	Kind        Kind
	Name        string
	Description string
	Owner       string
	Tags        []string
	// Availability is in (0,1]; 0 means not given. When MTTFHours and MTTRHours are given instead, the
	// loader sets it to MTTF/(MTTF+MTTR).
	Availability float64
	// MTTFHours and MTTRHours are the mean times to failure and to repair, in hours; 0 when not given.
	MTTFHours, MTTRHours float64
	// SLO is a service's availability objective, in (0,1); 0 when not given.
	SLO float64
	// Type is the provider or component type ("hosting", "site").
	Type    string
	Contact string
	// Tier and CustomerFacing are for services; Tier is Medium when not given.
	Tier           Tier
	CustomerFacing bool
	// Role is a service's part in detection and communication; a service that watches something and
	// declares no role is a monitoring service.
	Role Role
	// Watches are what a monitoring service watches, in the order written, without duplicates. A
	// watch describes: it is not a requirement, and no entity goes down because of it.
	Watches []int32
	// Number, Purpose and Published are for phone numbers. Number is as written.
	Number    string
	Purpose   string
	Published bool
	// Refs are the entity's reference keys in the order they were written.
	Refs []Ref
	// Pos is where the entity's table is declared.
	Pos diag.Pos
}

// Label returns the entity's name, or its ID when it has none.
func (e *Entity) Label() string {
	if e.Name != "" {
		return e.Name
	}
	return e.ID
}

// Root returns the entity's whole requirement, the all_of of its reference keys, or nil when it
// requires nothing: an entity is down when it failed or when its root is unmet.
func (e *Entity) Root() *Req {
	if len(e.Refs) == 0 {
		return nil
	}
	members := make([]*Req, len(e.Refs))
	for i, ref := range e.Refs {
		members[i] = ref.Req
	}
	return &Req{Op: AllOf, Members: members}
}

// Inventory is a loaded, valid inventory.
type Inventory struct {
	// Entities are sorted by ID; an entity's index is its identity everywhere else.
	Entities []Entity
	// Files are the inventory's files, relative to its root, in load order.
	Files []string
	// Defaults are the availabilities of the optional [defaults] table, indexed by Kind; 0 where the
	// table does not set one (the built-in default then applies).
	Defaults [NumKinds]float64
	// Incidents are the recorded past incidents ([incidents.<id>]), sorted by ID.
	Incidents []Incident
	index     map[string]int32
}

// New returns an inventory of entities, which it sorts by ID. IDs must be unique.
func New(entities []Entity, files []string) *Inventory {
	if !slices.IsSortedFunc(entities, func(a, b Entity) int { return strings.Compare(a.ID, b.ID) }) {
		// Entities are large: sort their indexes, then move each entity once.
		order := make([]int32, len(entities))
		for i := range order {
			order[i] = int32(i)
		}
		slices.SortFunc(order, func(a, b int32) int { return strings.Compare(entities[a].ID, entities[b].ID) })
		sorted := make([]Entity, len(entities))
		for i, j := range order {
			sorted[i] = entities[j]
		}
		entities = sorted
	}
	inv := &Inventory{Entities: entities, Files: files, index: make(map[string]int32, len(entities))}
	for i := range entities {
		inv.index[entities[i].ID] = int32(i)
	}
	return inv
}

// Lookup returns the index of the entity with the given ID.
func (inv *Inventory) Lookup(id string) (int32, bool) {
	i, ok := inv.index[id]
	return i, ok
}

// Len returns the number of entities.
func (inv *Inventory) Len() int { return len(inv.Entities) }

// ID returns the ID of entity i.
func (inv *Inventory) ID(i int32) string { return inv.Entities[i].ID }

// IDs returns every ID, sorted.
func (inv *Inventory) IDs() []string {
	ids := make([]string, len(inv.Entities))
	for i := range inv.Entities {
		ids[i] = inv.Entities[i].ID
	}
	return ids
}

// IDsOf returns the IDs of the entities xs, in the same order; never nil, so that JSON shows an empty
// list as [].
func (inv *Inventory) IDsOf(xs []int32) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = inv.Entities[x].ID
	}
	return out
}

// OfKind returns the entities of kind k, in ID order.
func (inv *Inventory) OfKind(k Kind) []int32 {
	var out []int32
	for i := range inv.Entities {
		if inv.Entities[i].Kind == k {
			out = append(out, int32(i))
		}
	}
	return out
}

// HasRole reports whether a service of inv has role r.
func (inv *Inventory) HasRole(r Role) bool {
	for i := range inv.Entities {
		if e := &inv.Entities[i]; e.Kind == Service && e.Role == r {
			return true
		}
	}
	return false
}

// CountByKind returns how many entities of each kind there are, indexed by Kind.
func (inv *Inventory) CountByKind() [NumKinds]int {
	var n [NumKinds]int
	for i := range inv.Entities {
		n[inv.Entities[i].Kind]++
	}
	return n
}

// Named returns, per entity, whether some entity names it in its reference key key (for "carrier":
// the carriers of the inventory's numbers).
func (inv *Inventory) Named(key string) []bool {
	named := make([]bool, len(inv.Entities))
	for i := range inv.Entities {
		for _, ref := range inv.Entities[i].Refs {
			if ref.Key == key {
				for _, x := range ref.Req.AppendEntities(nil) {
					named[x] = true
				}
			}
		}
	}
	return named
}

// Deps returns the distinct entities that entity i references, in increasing index order.
func (inv *Inventory) Deps(i int32) []int32 {
	var out []int32
	for _, ref := range inv.Entities[i].Refs {
		out = ref.Req.AppendEntities(out)
	}
	slices.Sort(out)
	return slices.Compact(out)
}
