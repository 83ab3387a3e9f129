// Package policy is the CI gate of `spof check`: rules that say what a change to an inventory may not
// introduce (a provider SPOF on a critical service, a published number on a single carrier, …),
// waivers for the debt a team has accepted, and the comparison with a baseline inventory so that only
// what a change introduces fails.
//
// A policy is a TOML file (spof-policy.toml at the inventory root, or any file given with --policy):
//
//	[[rule]]
//	id = "provider-spof"
//	severity = "error"                         # or "warning": reported, never fails
//	forbid = "provider-spof"                   # see Forbids
//	message = "critical and high services must survive the failure of any single provider"
//	select = { tier = ["critical", "high"] }   # id, kind, tier, tag, owner, customer_facing, published
//
//	[[waiver]]
//	rule = "provider-spof"
//	service = "sales-line"
//	entity = "carrier-a"                       # optional: every entity when left out
//	reason = "second carrier with the 2027 contract"
//	expires = 2027-06-30
//
// A file without any [[rule]] keeps the built-in rules (Default) and adds its waivers.
//
// A violation is identified by (rule, service, entity): IDs only, never files or lines, so that moving
// declarations between files or reordering them changes nothing. Check evaluates the policy on the
// current inventory and, when given, on a baseline; violations present in both are "existing" and do
// not fail unless Strict. Result.Passed is the one place that decides the outcome.
package policy

import (
	"path"
	"slices"
	"strings"
	"time"

	"github.com/spofhq/spof/internal/diag"
	"github.com/spofhq/spof/internal/model"
)

// Forbid names what a rule forbids for each service it selects.
type Forbid string

// What a rule can forbid.
const (
	// ProviderSPOF is a SPOF that is a provider.
	ProviderSPOF Forbid = "provider-spof"
	// AnySPOF is any SPOF, or with Rule.Kinds a SPOF of one of those kinds.
	AnySPOF Forbid = "spof"
	// SingleCarrier is a carrier (a provider named in some number's carrier key) that is a SPOF of the
	// service and whose failure reaches it through a published number: every published number that
	// reaches the service goes through that one carrier. Selecting numbers (kind = "number") checks
	// each number itself.
	SingleCarrier Forbid = "single-carrier"
	// LowTolerance is a tolerance (smallest cut set) below Rule.MinTolerance.
	LowTolerance Forbid = "low-tolerance"
	// FalseRedundancy is a redundancy group that a single failure defeats, declared by the service or by
	// a VM, component or number it needs without going through another service.
	FalseRedundancy Forbid = "false-redundancy"
	// Cycle is the service being part of a dependency cycle.
	Cycle Forbid = "cycle"
	// MissingOwner is the service having no owner.
	MissingOwner Forbid = "missing-owner"
	// LowAvailability is the service's availability (package avail: independent failures) being
	// below Rule.MinAvailability. A bounded service violates only when the whole of its guaranteed
	// interval is below; when the threshold lies within the interval, the violation is a warning
	// that says it is undecided.
	LowAvailability Forbid = "low-availability"
	// SLOMissed is the service having an slo that its availability does not meet (undecided when
	// bounded and the SLO lies within the interval: a warning, as for LowAvailability).
	SLOMissed Forbid = "slo-missed"
	// UntestedRedundancy is a SPOF that the service only has if the failover of a redundancy group
	// whose tested date is missing or older than Rule.UntestedAfter fails (avail.Failover).
	UntestedRedundancy Forbid = "untested-redundancy"
	// IncidentRecurrence is an incident recorded in the inventory ([incidents.<id>]) whose failure
	// would take the service down again: a service the incident impacted, or any critical service.
	// The violation's entity is the incident's ID (incident.go).
	IncidentRecurrence Forbid = "incident-recurrence"
	// BlindSpot is a failure (a SPOF, or a minimal cut set of two) that takes the service down with
	// every monitoring service that could see it, or the service being watched by none at all
	// (analysis.Detection; blindspot.go). Judged once the inventory declares a monitoring service.
	BlindSpot Forbid = "blind-spot"
)

// forbidDocs is the single list of forbid names, in documentation order, with the default message of a
// rule that gives none.
var forbidDocs = []struct {
	name Forbid
	doc  string
}{
	{ProviderSPOF, "a single provider failure must not take the service down"},
	{AnySPOF, "a single failure must not take the service down"},
	{SingleCarrier, "the service must stay reachable on its published numbers when one carrier fails"},
	{LowTolerance, "the service must tolerate more simultaneous failures"},
	{FalseRedundancy, "redundancy that one failure defeats is not redundancy"},
	{Cycle, "the service must not be part of a dependency cycle"},
	{MissingOwner, "the service needs an owner to call during an incident"},
	{LowAvailability, "the service must be available enough"},
	{SLOMissed, "the service's availability must meet its SLO"},
	{UntestedRedundancy, "redundancy that a single failure would defeat must be proven by a recent failover drill"},
	{IncidentRecurrence, "a past incident must not take down again a service it impacted, nor any critical service"},
	{BlindSpot, "what takes the service down must not also take down everything that watches it"},
}

// servicesOnly are the forbids that only apply to services: availability, SLOs, failover, incidents
// and detection are computed for services.
var servicesOnly = []Forbid{LowAvailability, SLOMissed, UntestedRedundancy, IncidentRecurrence, BlindSpot}

// Forbids returns the names a rule's forbid key accepts, in documentation order.
func Forbids() []string {
	out := make([]string, len(forbidDocs))
	for i, f := range forbidDocs {
		out[i] = string(f.name)
	}
	return out
}

func defaultMessage(f Forbid) string {
	for _, d := range forbidDocs {
		if d.name == f {
			return d.doc
		}
	}
	return ""
}

// Reserved rule IDs name the problems of waivers in machine-readable output (SARIF rules, JUnit suites),
// so no policy rule may use them.
const (
	ExpiredWaiverRule = "expired-waiver"
	StaleWaiverRule   = "stale-waiver"
)

// Policy is a loaded policy: its rules, in file order, and its waivers.
type Policy struct {
	// Source is the file the policy was read from, "" for the built-in policy.
	Source string
	// BuiltinRules is true when Rules are the built-in ones, because the file declared none.
	BuiltinRules bool
	Rules        []Rule
	Waivers      []Waiver
}

// Rule forbids one thing for the services it selects.
type Rule struct {
	ID       string
	Severity diag.Severity
	Forbid   Forbid
	Message  string
	Select   Selector
	// Kinds restricts an AnySPOF rule to SPOFs of these kinds; nil means any kind.
	Kinds []model.Kind
	// MinTolerance is the smallest tolerance a LowTolerance rule accepts.
	MinTolerance int
	// MinAvailability is the smallest availability a LowAvailability rule accepts, in (0,1).
	MinAvailability float64
	// UntestedAfter is how old a failover drill may be for an UntestedRedundancy rule, as written
	// ("180d"); UntestedAge is its duration.
	UntestedAfter string
	UntestedAge   time.Duration
	Pos           diag.Pos
}

// Selector picks the services a rule applies to. Every field that is set must match (and); within a
// list, one value matching is enough (or).
type Selector struct {
	// IDs are entity IDs or path.Match patterns ("*-line").
	IDs []string
	// Kinds are the entity kinds selected; nil means services only.
	Kinds          []model.Kind
	Tiers          []model.Tier
	Tags           []string
	Owners         []string
	CustomerFacing *bool
	Published      *bool
	// idPos is where each of IDs is written, to report a literal ID the inventory lacks.
	idPos []diag.Pos
}

// Matches reports whether s selects e.
func (s *Selector) Matches(e *model.Entity) bool {
	kinds := s.Kinds
	if kinds == nil {
		kinds = []model.Kind{model.Service}
	}
	switch {
	case !slices.Contains(kinds, e.Kind),
		s.IDs != nil && !slices.ContainsFunc(s.IDs, func(p string) bool { return matchID(p, e.ID) }),
		s.Tiers != nil && (e.Kind != model.Service || !slices.Contains(s.Tiers, e.Tier)),
		s.Tags != nil && !slices.ContainsFunc(e.Tags, func(t string) bool { return slices.Contains(s.Tags, t) }),
		s.Owners != nil && !slices.Contains(s.Owners, e.Owner),
		s.CustomerFacing != nil && *s.CustomerFacing != e.CustomerFacing,
		s.Published != nil && *s.Published != e.Published:
		return false
	}
	return true
}

func isPattern(id string) bool { return strings.ContainsAny(id, "*?[") }

func matchID(pattern, id string) bool {
	if !isPattern(pattern) {
		return pattern == id
	}
	ok, _ := path.Match(pattern, id)
	return ok
}

// Waiver accepts the violations of one rule for one service, and of one entity when Entity is set,
// until Expires (inclusive).
type Waiver struct {
	Rule    string
	Service string
	Entity  string
	Reason  string
	// Expires is the last day the waiver applies, at midnight UTC.
	Expires time.Time
	Pos     diag.Pos
}

// Matches reports whether w covers a violation of rule on service about entity.
func (w *Waiver) Matches(rule, service, entity string) bool {
	return w.Rule == rule && w.Service == service && (w.Entity == "" || w.Entity == entity)
}

// ExpiredOn reports whether w no longer applies on the day of now (in now's own time zone).
func (w *Waiver) ExpiredOn(now time.Time) bool {
	y, m, d := now.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC).After(w.Expires)
}

// maxOrder returns the largest cut set Check must search to evaluate p: 1 (SPOFs only) unless a
// tolerance rule needs more. (Blind spots solve the minimal cut sets of two they need themselves.)
func (p *Policy) maxOrder() int {
	k := 1
	for _, r := range p.Rules {
		if r.Forbid == LowTolerance {
			k = max(k, r.MinTolerance-1)
		}
	}
	return k
}

// rule returns the rule with the given ID.
func (p *Policy) rule(id string) *Rule {
	for i := range p.Rules {
		if p.Rules[i].ID == id {
			return &p.Rules[i]
		}
	}
	return nil
}
