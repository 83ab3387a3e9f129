package check

import (
	"encoding/json"
	"io"
	"time"

	"github.com/spofhq/spof/internal/policy"
)

// jsonPrinter prints the report as one JSON document. The document is a stable contract documented
// in docs/check.md: keep the two in sync. Every list keeps the report's order.
type jsonPrinter struct{}

// jsonReport is the document `spof check --format json` prints.
type jsonReport struct {
	// Version is the version of this document's format; it changes only when a field changes meaning.
	Version      int        `json:"version"`
	Inventory    string     `json:"inventory"`
	Policy       *string    `json:"policy"`
	BuiltinRules bool       `json:"builtin_rules"`
	Baseline     *string    `json:"baseline"`
	Strict       bool       `json:"strict"`
	Passed       bool       `json:"passed"`
	Summary      jsonCounts `json:"summary"`
	Rules        []jsonRule `json:"rules"`
	Violations   []jsonViol `json:"violations"`
	Fixed        []jsonFix  `json:"fixed"`
	Waivers      []jsonNote `json:"waiver_problems"`
}

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
	Rule       string      `json:"rule"`
	Severity   string      `json:"severity"`
	Service    string      `json:"service"`
	Entity     *string     `json:"entity"`
	Status     *string     `json:"status"`
	Fails      bool        `json:"fails"`
	Detail     string      `json:"detail"`
	Message    string      `json:"message"`
	Path       []string    `json:"path"`
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

func (jsonPrinter) Print(w io.Writer, r *policy.Result) error {
	c := r.Counts()
	doc := jsonReport{
		Version: 1, Inventory: r.Inventory, Policy: orNull(r.Policy), BuiltinRules: r.BuiltinRules,
		Baseline: orNull(r.Baseline), Strict: r.Strict, Passed: r.Passed(),
		Summary: jsonCounts{Failing: c.Failing, Errors: c.Errors, Warnings: c.Warnings, New: c.New, Existing: c.Existing,
			Waived: c.Waived, Fixed: c.Fixed, ExpiredWaivers: c.ExpiredWaivers, StaleWaivers: c.StaleWaivers},
		Rules: []jsonRule{}, Violations: []jsonViol{}, Fixed: []jsonFix{}, Waivers: []jsonNote{},
	}
	for _, rule := range r.Rules {
		doc.Rules = append(doc.Rules, jsonRule{ID: rule.ID, Forbid: string(rule.Forbid), Severity: rule.Severity.String(),
			Message: rule.Message, Services: nonNil(rule.Subjects)})
	}
	for _, v := range r.Violations {
		jv := jsonViol{Rule: v.Rule, Severity: v.Severity.String(), Service: v.Service, Entity: orNull(v.Entity),
			Status: orNull(v.Status.String()), Fails: v.Fails, Detail: v.Detail, Message: v.Message, Path: nonNil(v.Path),
			Cause: v.Cause, Introduced: v.Introduced, File: v.Pos.File, Line: v.Pos.Line, Column: v.Pos.Col}
		if v.Waiver != nil {
			jv.Waiver = &jsonWaiver{Reason: v.Waiver.Reason, Expires: v.Waiver.Expires.Format(time.DateOnly),
				File: v.Waiver.Pos.File, Line: v.Waiver.Pos.Line}
		}
		doc.Violations = append(doc.Violations, jv)
	}
	for _, f := range r.Fixed {
		doc.Fixed = append(doc.Fixed, jsonFix{Rule: f.Rule, Service: f.Service, Entity: orNull(f.Entity), Detail: f.Detail})
	}
	for _, n := range r.WaiverNotes {
		problem := "stale"
		if n.Problem == policy.Expired {
			problem = "expired"
		}
		wv := n.Waiver
		doc.Waivers = append(doc.Waivers, jsonNote{Problem: problem, Severity: n.Severity.String(), Rule: wv.Rule,
			Service: wv.Service, Entity: orNull(wv.Entity), Reason: wv.Reason, Expires: wv.Expires.Format(time.DateOnly),
			Message: n.Message, File: wv.Pos.File, Line: wv.Pos.Line, Column: wv.Pos.Col})
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
