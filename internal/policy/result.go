package policy

import (
	"github.com/spofhq/spof/internal/diag"
)

// Result is the outcome of Check: what the printers of internal/out/check show. It holds IDs and text
// only, so that printers need neither the model nor the analysis.
//
// Violations are sorted by rule (policy order), service ID, then entity ID; Fixed likewise; WaiverNotes
// follow the waivers' order in the policy file.
type Result struct {
	// Inventory is the inventory path as given.
	Inventory string
	// Policy is the policy file, "" for the built-in policy.
	Policy string
	// BuiltinRules is true when the rules are the built-in ones (no file, or a file with waivers only).
	BuiltinRules bool
	// Baseline names what the inventory was compared with (a path or a git revision), "" for none.
	Baseline string
	// Strict makes existing violations fail too.
	Strict      bool
	Rules       []RuleSummary
	Violations  []Violation
	Fixed       []Fixed
	WaiverNotes []WaiverNote
}

// RuleSummary describes one rule and the services it applies to.
type RuleSummary struct {
	ID       string
	Forbid   Forbid
	Severity diag.Severity
	Message  string
	// Subjects are the IDs of the entities the rule selects, sorted.
	Subjects []string
}

// Status says whether a violation is new relative to the baseline.
type Status uint8

// Statuses. NoBaseline is the zero value: without a baseline every violation counts.
const (
	NoBaseline Status = iota
	New
	Existing
)

// String returns "new", "existing" or "" (no baseline).
func (s Status) String() string {
	switch s {
	case New:
		return "new"
	case Existing:
		return "existing"
	}
	return ""
}

// Violation is one broken rule: a service, and the entity it is about ("" when it is about the
// service alone).
type Violation struct {
	Rule     string
	Severity diag.Severity
	Forbid   Forbid
	// Message is the rule's message: why the rule exists.
	Message string
	Service string
	Entity  string
	// Detail says what is wrong, e.g. "support-line depends only on carrier-a (provider SPOF)".
	Detail string
	// Path is a dependency path from the service to the entity, for the SPOF rules.
	Path []string
	// Pos is the declaration that causes the violation, and Cause names it ("numbers.num-support.carrier").
	// For a new violation it is, when found, the declaration that the change introduced or modified.
	Pos   diag.Pos
	Cause string
	// Introduced is true when Pos is a declaration the change introduced or modified.
	Introduced bool
	Status     Status
	// Waiver is the waiver that accepts the violation, nil when none does.
	Waiver *Waiver
	// Fails is true when the violation fails the check: an error, not waived, and new (or no baseline,
	// or Strict).
	Fails bool
}

// Fixed is a violation of the baseline that the current inventory no longer has.
type Fixed struct {
	Rule    string
	Service string
	Entity  string
	Detail  string
}

// WaiverProblem is what is wrong with a waiver.
type WaiverProblem uint8

// Waiver problems.
const (
	_ WaiverProblem = iota
	// Expired: the waiver is past its date and still matches a violation, which it no longer waives.
	Expired
	// Stale: the waiver matches no violation; it can be deleted.
	Stale
)

// Rule returns the reserved rule ID that machine-readable formats report the problem under.
func (p WaiverProblem) Rule() string {
	if p == Expired {
		return ExpiredWaiverRule
	}
	return StaleWaiverRule
}

// WaiverNote is a problem with a waiver. An expired waiver is an error that fails the check; a stale
// one is a warning.
type WaiverNote struct {
	Waiver   Waiver
	Problem  WaiverProblem
	Severity diag.Severity
	Message  string
}

// Passed reports whether the check passes: no violation fails and no waiver has expired. It is the
// only place that decides the outcome; the command turns false into exit status 1.
func (r *Result) Passed() bool {
	for _, v := range r.Violations {
		if v.Fails {
			return false
		}
	}
	for _, n := range r.WaiverNotes {
		if n.Severity == diag.Error {
			return false
		}
	}
	return true
}

// Counts are the totals of a report, for summaries.
type Counts struct {
	// Failing violations fail the check.
	Failing int
	// Errors and Warnings count violations by severity, whatever their status.
	Errors, Warnings int
	// New and Existing count violations by status (zero without a baseline).
	New, Existing int
	Waived        int
	Fixed         int
	// ExpiredWaivers and StaleWaivers count waiver problems.
	ExpiredWaivers, StaleWaivers int
}

// Counts returns the totals of r.
func (r *Result) Counts() Counts {
	var c Counts
	for _, v := range r.Violations {
		if v.Fails {
			c.Failing++
		}
		switch v.Severity {
		case diag.Error:
			c.Errors++
		case diag.Warning:
			c.Warnings++
		}
		switch v.Status {
		case New:
			c.New++
		case Existing:
			c.Existing++
		}
		if v.Waiver != nil {
			c.Waived++
		}
	}
	c.Fixed = len(r.Fixed)
	for _, n := range r.WaiverNotes {
		if n.Problem == Expired {
			c.ExpiredWaivers++
		} else {
			c.StaleWaivers++
		}
	}
	return c
}
