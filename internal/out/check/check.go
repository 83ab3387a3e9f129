// Package check prints the result of `spof check` in the formats CI systems read: text for terminals,
// JSON for programs, JUnit XML for test dashboards, SARIF 2.1.0 for code scanning, GitHub Actions
// workflow commands for pull-request annotations, and Markdown for a pull-request comment.
//
// Every printer implements Printer; Formats is the one list of format names, used for the --format
// flag's help and its validation. Printers only print: whether the check passed is the report's
// (policy.Result.Passed), never a printer's, decision. Output is deterministic: the report is sorted,
// and no printer adds times, absolute paths or anything else that changes between runs.
package check

import (
	"fmt"
	"io"
	"strings"

	"github.com/spofhq/spof/internal/policy"
)

// Printer writes a check report in one format.
type Printer interface {
	Print(w io.Writer, r *policy.Result) error
}

// Options tune the printers.
type Options struct {
	// Color enables ANSI colours in the text format; the caller decides (a terminal, NO_COLOR unset).
	Color bool
}

// formats is the single list of formats: name, one-line description, and constructor.
var formats = []struct {
	name string
	doc  string
	make func(Options) Printer
}{
	{"text", "for people, in a terminal or a CI log", func(o Options) Printer { return textPrinter{color: o.Color} }},
	{"json", "for programs; a stable document described in docs/check.md", func(Options) Printer { return jsonPrinter{} }},
	{"junit", "JUnit XML, one test case per rule and service", func(Options) Printer { return junitPrinter{} }},
	{"sarif", "SARIF 2.1.0, for code scanning", func(Options) Printer { return sarifPrinter{} }},
	{"github", "GitHub Actions workflow commands that annotate the pull request", func(Options) Printer { return githubPrinter{} }},
	{"markdown", "a pull-request comment", func(Options) Printer { return markdownPrinter{} }},
}

// Formats returns the format names, the default (text) first.
func Formats() []string {
	out := make([]string, len(formats))
	for i, f := range formats {
		out[i] = f.name
	}
	return out
}

// Help describes every format, one per line, for --help.
func Help() string {
	var b strings.Builder
	for _, f := range formats {
		fmt.Fprintf(&b, "  %-9s %s\n", f.name, f.doc)
	}
	return b.String()
}

// New returns the printer of the named format.
func New(name string, o Options) (Printer, error) {
	for _, f := range formats {
		if f.name == name {
			return f.make(o), nil
		}
	}
	return nil, fmt.Errorf("unknown format %q: want one of %s", name, strings.Join(Formats(), ", "))
}

// where says which declaration causes v, and where it is, for one-line messages.
func where(v *policy.Violation) string {
	verb := "at"
	if v.Introduced {
		verb = "introduced by"
	}
	if v.Pos.File == "" {
		return verb + " " + v.Cause
	}
	return fmt.Sprintf("%s %s in %s", verb, v.Cause, v.Pos)
}

// group is the place of a violation in reports that list the failing ones first.
type group uint8

const (
	failing group = iota
	warning
	existing
	waived
)

func groupOf(v *policy.Violation) group {
	switch {
	case v.Fails:
		return failing
	case v.Waiver != nil:
		return waived
	case v.Status == policy.Existing:
		return existing
	}
	return warning
}

// plural returns "1 violation" or "2 violations".
func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}

// verdict is the one-line outcome shared by the human formats: "FAIL: 2 violations fail the check
// (2 new, 7 existing)".
func verdict(r *policy.Result) string {
	word, detail := outcome(r)
	return word + ": " + detail
}

// outcome returns "PASS" or "FAIL" and what the verdict says after it, counting violations the way
// the human formats list them.
func outcome(r *policy.Result) (string, string) {
	var n [waived + 1]int
	old := 0 // existing and not waived: the waived ones are counted as waived
	for i := range r.Violations {
		v := &r.Violations[i]
		n[groupOf(v)]++
		if v.Status == policy.Existing && v.Waiver == nil {
			old++
		}
	}
	c := r.Counts()
	var parts []string
	add := func(n int, one, many string) {
		if n > 0 {
			parts = append(parts, plural(n, one, many))
		}
	}
	add(c.New, "new", "new")
	add(old, "existing", "existing")
	add(c.Fixed, "fixed", "fixed")
	add(n[warning], "warning", "warnings")
	add(n[waived], "waived", "waived")
	add(c.ExpiredWaivers, "expired waiver", "expired waivers")
	add(c.StaleWaivers, "stale waiver", "stale waivers")
	detail := ""
	if len(parts) > 0 {
		detail = " (" + strings.Join(parts, ", ") + ")"
	}
	switch {
	case n[failing] > 0:
		return "FAIL", plural(n[failing], "violation fails", "violations fail") + " the check" + detail
	case !r.Passed():
		return "FAIL", plural(c.ExpiredWaivers, "waiver has", "waivers have") + " expired" + detail
	}
	return "PASS", "no violation fails the check" + detail
}

// source describes the policy and baseline of r: "built-in policy, no baseline".
func source(r *policy.Result) string {
	pol := "built-in policy"
	if r.Policy != "" {
		pol = "policy " + r.Policy
		if r.BuiltinRules {
			pol += " with the built-in rules"
		}
	}
	base := "no baseline"
	if r.Baseline != "" {
		base = "baseline " + r.Baseline
		if r.Strict {
			base += ", strict"
		}
	}
	return pol + ", " + base
}
