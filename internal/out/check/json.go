package check

import (
	"io"
	"time"

	"github.com/spofhq/spof/internal/out"
	"github.com/spofhq/spof/internal/out/analyze"
	"github.com/spofhq/spof/internal/policy"
)

// jsonPrinter prints the report as one JSON document. The document is a stable contract documented
// in docs/check.md: keep the two in sync. Every list keeps the report's order. Its fields, in order:
// version, inventory, policy, builtin_rules, baseline, strict, passed, summary (jsonCounts), rules
// (jsonRule), violations (jsonViol), fixed (jsonFix) and waiver_problems (jsonNote); the document
// version changes only when a field changes meaning.
//
// The document is written one element at a time, each violation's path read as it is written: the
// paths of a chain of n critical services ending on a provider hold n²/2 entities. paths is
// analyze.PathsFull (every path whole), PathsNext ("next", the entity after the service) or
// PathsNone (no path).
type jsonPrinter struct{ paths analyze.Paths }

type jsonCounts struct {
	Failing        int `json:"failing"`
	Errors         int `json:"errors"`
	Warnings       int `json:"warnings"`
	New            int `json:"new"`
	Existing       int `json:"existing"`
	Waived         int `json:"waived"`
	Fixed          int `json:"fixed"`
	ExpiredWaivers int `json:"expired_waivers"`
	StaleWaivers   int `json:"stale_waivers"`
}

type jsonRule struct {
	ID       string   `json:"id"`
	Forbid   string   `json:"forbid"`
	Severity string   `json:"severity"`
	Message  string   `json:"message"`
	Services []string `json:"services"`
}

type jsonViol struct {
	Rule     string  `json:"rule"`
	Severity string  `json:"severity"`
	Service  string  `json:"service"`
	Entity   *string `json:"entity"`
	Status   *string `json:"status"`
	Fails    bool    `json:"fails"`
	Detail   string  `json:"detail"`
	Message  string  `json:"message"`
	// Path is the path whole ([]string, [] when none) with PathsFull; Next the entity after the
	// service (*string, null when the path has none) with PathsNext; PathsNone leaves both out.
	Path       any         `json:"path,omitempty"`
	Next       any         `json:"next,omitempty"`
	Cause      string      `json:"cause"`
	Introduced bool        `json:"introduced"`
	File       string      `json:"file"`
	Line       int         `json:"line"`
	Column     int         `json:"column"`
	Waiver     *jsonWaiver `json:"waiver"`
}

type jsonWaiver struct {
	Reason  string `json:"reason"`
	Expires string `json:"expires"`
	File    string `json:"file"`
	Line    int    `json:"line"`
}

type jsonFix struct {
	Rule    string  `json:"rule"`
	Service string  `json:"service"`
	Entity  *string `json:"entity"`
	Detail  string  `json:"detail"`
}

type jsonNote struct {
	Problem  string  `json:"problem"`
	Severity string  `json:"severity"`
	Rule     string  `json:"rule"`
	Service  string  `json:"service"`
	Entity   *string `json:"entity"`
	Reason   string  `json:"reason"`
	Expires  string  `json:"expires"`
	Message  string  `json:"message"`
	File     string  `json:"file"`
	Line     int     `json:"line"`
	Column   int     `json:"column"`
}

func orNull(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func (p jsonPrinter) Print(w io.Writer, r *policy.Result) error {
	c := r.Counts()
	var head []string // the path of the violation being written, reused
	return out.WriteJSONObject(w, func(o *out.JSONObject) {
		o.Field("version", 1)
		o.Field("inventory", r.Inventory)
		o.Field("policy", orNull(r.Policy))
		o.Field("builtin_rules", r.BuiltinRules)
		o.Field("baseline", orNull(r.Baseline))
		o.Field("strict", r.Strict)
		o.Field("passed", r.Passed())
		o.Field("summary", jsonCounts{Failing: c.Failing, Errors: c.Errors, Warnings: c.Warnings, New: c.New, Existing: c.Existing,
			Waived: c.Waived, Fixed: c.Fixed, ExpiredWaivers: c.ExpiredWaivers, StaleWaivers: c.StaleWaivers})
		o.List("rules", len(r.Rules), func(i int) any {
			rule := &r.Rules[i]
			return jsonRule{ID: rule.ID, Forbid: string(rule.Forbid), Severity: rule.Severity.String(),
				Message: rule.Message, Services: nonNil(rule.Subjects)}
		})
		o.List("violations", len(r.Violations), func(i int) any {
			v := &r.Violations[i]
			jv := jsonViol{Rule: v.Rule, Severity: v.Severity.String(), Service: v.Service, Entity: orNull(v.Entity),
				Status: orNull(v.Status.String()), Fails: v.Fails, Detail: v.Detail, Message: v.Message,
				Cause: v.Cause, Introduced: v.Introduced, File: v.Pos.File, Line: v.Pos.Line, Column: v.Pos.Col}
			switch p.paths {
			case analyze.PathsNext:
				var next *string
				if head, _ = v.Path.AppendHead(head[:0], 2); len(head) == 2 {
					next = &head[1]
				}
				jv.Next = next
			case analyze.PathsNone:
			default: // PathsFull; the command refuses PathsShort with JSON
				head, _ = v.Path.AppendHead(head[:0], -1)
				jv.Path = nonNil(head)
			}
			if v.Waiver != nil {
				jv.Waiver = &jsonWaiver{Reason: v.Waiver.Reason, Expires: v.Waiver.Expires.Format(time.DateOnly),
					File: v.Waiver.Pos.File, Line: v.Waiver.Pos.Line}
			}
			return jv
		})
		o.List("fixed", len(r.Fixed), func(i int) any {
			f := &r.Fixed[i]
			return jsonFix{Rule: f.Rule, Service: f.Service, Entity: orNull(f.Entity), Detail: f.Detail}
		})
		o.List("waiver_problems", len(r.WaiverNotes), func(i int) any {
			n := &r.WaiverNotes[i]
			problem := "stale"
			if n.Problem == policy.Expired {
				problem = "expired"
			}
			wv := n.Waiver
			return jsonNote{Problem: problem, Severity: n.Severity.String(), Rule: wv.Rule,
				Service: wv.Service, Entity: orNull(wv.Entity), Reason: wv.Reason, Expires: wv.Expires.Format(time.DateOnly),
				Message: n.Message, File: wv.Pos.File, Line: wv.Pos.Line, Column: wv.Pos.Col}
		})
	})
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
