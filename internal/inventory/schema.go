package inventory

import "github.com/spofhq/spof/internal/model"

// ValueType is the type a key's value must have.
type ValueType uint8

// Value types of inventory keys.
const (
	String ValueType = iota
	Bool
	StringList
	// Fraction is a number in (0,1].
	Fraction
	// TierName is one of the tier names.
	TierName
	// PhoneNumber is an E.164 number, spaces allowed.
	PhoneNumber
	// Requirement is a reference: a string, an array, or a group table.
	Requirement
	// Hours is a duration in hours, a number >= 0.
	Hours
	// PositiveHours is a duration in hours, a number > 0.
	PositiveHours
	// Objective is a number in (0,1): an objective of 1 cannot be met by anything that can fail.
	Objective
	// Date is a TOML local date (2026-06-12, without quotes), not in the future.
	Date
	// Count is a positive integer.
	Count
	// Members is an array of requirement members: ids or group tables.
	Members
	// DateTime is a TOML offset date-time (2026-06-18T07:40:00+02:00, without quotes).
	DateTime
	// RoleName is one of the service role names (model.RoleNames).
	RoleName
	// IDList is an ID or an array of distinct IDs that names entities without requiring them: no
	// group, no nesting (what a monitoring service watches; the failed and impacted entities of an
	// incident record). What it names is described, never needed.
	IDList
)

// KeySpec describes one key an entity table may hold. The loader, its error messages and the JSON
// Schema all read this one table, so they cannot disagree.
type KeySpec struct {
	Name string
	Type ValueType
	// Kinds are the entity kinds that may use the key; nil means every kind.
	Kinds []model.Kind
	// Targets are the kinds a reference key may name; nil means any kind.
	Targets []model.Kind
	Doc     string
	// Required keys must be given; MinItems is the fewest elements a list key accepts; Hint says how to
	// give the key, for the messages when it is missing or empty.
	Required bool
	MinItems int
	Hint     string
	// field returns where an entity keeps the key's value, a pointer whose type goes with Type: *string
	// (String, PhoneNumber), *model.Tier (TierName), *model.Role (RoleName), *bool, *[]string
	// (StringList), *[]int32 (IDList, filled once IDs are resolved) or *float64 (the numbers).
	// Reference keys (Requirement) have none: they become the entity's Refs.
	field func(e *model.Entity) any
	// record is field for the keys of an incident record: *string, *time.Time (DateTime) or *[]idRef
	// (IDList, resolved once every entity is known).
	record func(r *incidentDecl) any
}

var (
	allKinds   []model.Kind
	onlyProv   = []model.Kind{model.Provider}
	vmOrComp   = []model.Kind{model.VM, model.Component}
	onlyComp   = []model.Kind{model.Component}
	onlySvc    = []model.Kind{model.Service}
	onlyNumber = []model.Kind{model.Number}
)

// keySpecs is ordered as `spof fmt` and the schema present keys: identity first, references last.
var keySpecs = []KeySpec{
	{Name: "name", Type: String, Doc: "Human-readable name.", field: func(e *model.Entity) any { return &e.Name }},
	{Name: "description", Type: String, Doc: "What the entity is and does.", field: func(e *model.Entity) any { return &e.Description }},
	{Name: "owner", Type: String, Doc: "Team or person accountable for the entity.", field: func(e *model.Entity) any { return &e.Owner }},
	{Name: "tags", Type: StringList, Doc: "Free-form labels, used by policy rules to select entities.", field: func(e *model.Entity) any { return &e.Tags }},
	{Name: "type", Type: String, Kinds: []model.Kind{model.Provider, model.Component}, Doc: `Provider or component type, e.g. "hosting", "carrier", "site", "hypervisor-cluster", "sip-trunk".`, field: func(e *model.Entity) any { return &e.Type }},
	{Name: "contact", Type: String, Kinds: onlyProv, Doc: "Support contact of the provider.", field: func(e *model.Entity) any { return &e.Contact }},
	{Name: "tier", Type: TierName, Kinds: onlySvc, Doc: "Criticality of the service: critical, high, medium (default) or low.", field: func(e *model.Entity) any { return &e.Tier }},
	{Name: "customer_facing", Type: Bool, Kinds: onlySvc, Doc: "Whether customers use the service directly.", field: func(e *model.Entity) any { return &e.CustomerFacing }},
	{Name: "role", Type: RoleName, Kinds: onlySvc, Doc: "The service's part in detection and communication: monitoring (detects failures of what it watches), alerting (delivers alerts to the on-call staff: paging, SMS, e-mail) or status (tells customers: status page, customer e-mail, announcement line). See docs/detection.md.", field: func(e *model.Entity) any { return &e.Role }},
	{Name: "number", Type: PhoneNumber, Kinds: onlyNumber, Doc: `The phone number in E.164 form, spaces allowed, e.g. "+33 4 66 00 00 01". Unique in the inventory.`, field: func(e *model.Entity) any { return &e.Number }},
	{Name: "purpose", Type: String, Kinds: onlyNumber, Doc: "What callers use the number for.", field: func(e *model.Entity) any { return &e.Purpose }},
	{Name: "published", Type: Bool, Kinds: onlyNumber, Doc: "Whether the number is published to customers.", field: func(e *model.Entity) any { return &e.Published }},
	{Name: "availability", Type: Fraction, Doc: "Availability of the entity on its own, a number in (0,1], e.g. 0.9995. Not with mttf_hours and mttr_hours; when neither is given, the [defaults] table or the built-in default of the kind applies.", field: func(e *model.Entity) any { return &e.Availability }},
	{Name: "mttf_hours", Type: PositiveHours, Doc: "Mean time to failure in hours, > 0; with mttr_hours, sets availability = mttf/(mttf+mttr).", field: func(e *model.Entity) any { return &e.MTTFHours }},
	{Name: "mttr_hours", Type: Hours, Doc: "Mean time to repair in hours, >= 0; goes with mttf_hours.", field: func(e *model.Entity) any { return &e.MTTRHours }},
	{Name: "slo", Type: Objective, Kinds: onlySvc, Doc: "Availability objective of the service, a number in (0,1), e.g. 0.999.", field: func(e *model.Entity) any { return &e.SLO }},
	{Name: "provider", Type: Requirement, Kinds: []model.Kind{model.VM, model.Component}, Targets: onlyProv, Doc: "The provider the entity needs."},
	{Name: "carrier", Type: Requirement, Kinds: onlyNumber, Targets: onlyProv, Doc: "The carrier (a provider) that delivers the number."},
	{Name: "host", Type: Requirement, Kinds: []model.Kind{model.VM}, Targets: vmOrComp, Doc: "The hypervisor cluster or host (a VM or component) the VM runs on."},
	{Name: "site", Type: Requirement, Kinds: []model.Kind{model.VM, model.Component}, Targets: onlyComp, Doc: "The site (a component) the entity is located in."},
	{Name: "runs_on", Type: Requirement, Kinds: onlySvc, Targets: []model.Kind{model.VM, model.Component, model.Service}, Doc: "The VMs, components or services the service runs on."},
	{Name: "routes_to", Type: Requirement, Kinds: onlyNumber, Targets: []model.Kind{model.Service, model.Number, model.Component}, Doc: "Where calls to the number are routed: services, numbers or components."},
	{Name: "depends_on", Type: Requirement, Targets: allKinds, Doc: "Any other entity the entity needs."},
	{Name: "watches", Type: IDList, Kinds: onlySvc, MinItems: 1, Hint: `list the IDs of what the service watches, e.g. watches = ["pbx"], or leave the key out`, Doc: "What a monitoring service watches, whose failure it detects. A watch describes and requires nothing (alert delivery is the service's depends_on on its alerting services); a service that watches and gives no role is a monitoring service. See docs/detection.md.", field: func(e *model.Entity) any { return &e.Watches }},
}

// Keys returns the specification of every entity key, in canonical order.
func Keys() []KeySpec { return append([]KeySpec(nil), keySpecs...) }

// appliesTo reports whether the key may appear on an entity of kind k.
func (s *KeySpec) appliesTo(k model.Kind) bool {
	if s.Kinds == nil {
		return true
	}
	for _, kk := range s.Kinds {
		if kk == k {
			return true
		}
	}
	return false
}

// accepts reports whether a reference key may name an entity of kind k.
func (s *KeySpec) accepts(k model.Kind) bool {
	if s.Targets == nil {
		return true
	}
	for _, kk := range s.Targets {
		if kk == k {
			return true
		}
	}
	return false
}

func specFor(name string) *KeySpec {
	for i := range keySpecs {
		if keySpecs[i].Name == name {
			return &keySpecs[i]
		}
	}
	return nil
}

// Group keys of a requirement group table.
const (
	keyAnyOf   = "any_of"
	keyAllOf   = "all_of"
	keyAtLeast = "at_least"
	keyOf      = "of"
	keyTested  = "tested"
)

// groupKeySpecs are the keys of a requirement group table ({ any_of = [...] }). Kinds and Targets do
// not apply.
var groupKeySpecs = []KeySpec{
	{Name: keyAnyOf, Type: Members, Doc: "Members of which at least one is required."},
	{Name: keyAllOf, Type: Members, Doc: "Members which are all required."},
	{Name: keyAtLeast, Type: Count, Doc: "How many members of `of` are required, 1 to their number."},
	{Name: keyOf, Type: Members, Doc: "Members of which at_least are required."},
	{Name: keyTested, Type: Date, Doc: "Date of the last failover drill that proved the group, e.g. 2026-06-12 (a TOML date, no quotes). spof analyze --untested-after treats a redundant group tested earlier, or never, as unproven."},
}

var groupKeys = func() []string {
	names := make([]string, len(groupKeySpecs))
	for i, k := range groupKeySpecs {
		names[i] = k.Name
	}
	return names
}()

// GroupKeys returns the specification of the keys of a requirement group table.
func GroupKeys() []KeySpec { return append([]KeySpec(nil), groupKeySpecs...) }

// DefaultsTable is the optional top-level table that sets the default availability of each kind, as
// `[defaults]` with `vms = 0.999`; its keys are the entity table names.
const DefaultsTable = "defaults"

// DefaultsKeys returns the specification of the keys of the [defaults] table: one Fraction per kind,
// named after the kind's table.
func DefaultsKeys() []KeySpec {
	out := make([]KeySpec, len(model.Kinds))
	for i, k := range model.Kinds {
		out[i] = KeySpec{Name: k.Table(), Type: Fraction, Kinds: []model.Kind{k},
			Doc: "Availability of " + k.Table() + " that give neither availability nor mttf_hours and mttr_hours."}
	}
	return out
}
