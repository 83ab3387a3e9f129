package policy

import (
	"sync"

	"github.com/spofhq/spof/internal/analysis"
	"github.com/spofhq/spof/internal/diag"
)

// Result is the outcome of Check: what the printers of internal/out/check show. It holds IDs and text,
// so that printers need neither the model nor the analysis, but for the violations' paths: each
// Path reads its IDs through the analysis when printed.
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
	// Path is a dependency path from the service to the entity (SPOF rules, cycles), or the chain by
	// which a failure reaches the service (incident-recurrence, blind-spot, untested-redundancy).
	Path Path
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

// Path is a violation's dependency path, service first. It holds what walks the path rather than
// its IDs: on a chain of n critical services ending on a provider, the n provider-spof violations
// have paths of n²/2 entities in all (2×10^8 at 20,000), which the printers read one path at a time,
// and the text only the first few entities of each. The zero Path is empty.
type Path struct {
	res *analysis.Result
	// ids are the path's entities when to is -1. Else the path is res.Path(from, to), after the
	// entities that lead walks when it is set.
	ids      []int32
	lead     *lead
	from, to int32
}

// walked returns the path from from to to; it is how a SPOF's path is kept.
func walked(res *analysis.Result, from, to int32) Path {
	return Path{res: res, from: from, to: to}
}

// led returns the path that l leads to from, then from from to to.
func led(res *analysis.Result, l *lead, from, to int32) Path {
	return Path{res: res, lead: l, from: from, to: to}
}

// stored returns the path of the entities ids.
func stored(res *analysis.Result, ids []int32) Path {
	return Path{res: res, ids: ids, to: -1}
}

// Len returns the number of entities on the path.
func (p Path) Len() int {
	_, n := p.AppendHead(nil, 0)
	return n
}

// Last returns the ID of the path's last entity, "" when it is empty.
func (p Path) Last() string {
	switch {
	case p.res == nil:
		return ""
	case p.to >= 0:
		return p.res.Inv.ID(p.to)
	case len(p.ids) > 0:
		return p.res.Inv.ID(p.ids[len(p.ids)-1])
	}
	return ""
}

// AppendHead appends to dst the IDs of the path's first keep entities (keep < 0: all), or of all of
// them when the path is shorter, and returns it with the number of entities on the whole path. It
// costs keep steps, not the whole path.
func (p Path) AppendHead(dst []string, keep int) ([]string, int) {
	if p.res == nil {
		return dst, 0
	}
	inv := p.res.Inv
	ids, before := p.ids, len(p.ids)
	if p.lead != nil {
		ids, before = p.lead.appendHead(nil, keep), p.lead.len()
	}
	if keep >= 0 && len(ids) > keep {
		ids = ids[:keep]
	}
	for _, x := range ids {
		dst = append(dst, inv.ID(x))
	}
	if p.to < 0 {
		return dst, before
	}
	if keep > 0 {
		keep -= len(ids)
	}
	buf := scratch.Get().(*[]int32)
	head, n := p.res.PathHead(*buf, p.from, p.to, keep)
	for _, x := range head {
		dst = append(dst, inv.ID(x))
	}
	if cap(head) <= 1<<16 { // keep small buffers only: a whole path may hold millions of entities
		*buf = head
		scratch.Put(buf)
	}
	return dst, before + n
}

// IDs returns the whole path, for callers that show one path at a time.
func (p Path) IDs() []string {
	ids, _ := p.AppendHead(nil, -1)
	return ids
}

// scratch holds the buffers that AppendHead reads paths into: printers may read paths concurrently.
var scratch = sync.Pool{New: func() any { return new([]int32) }}

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
