// Package check prints the result of `spof check` in the formats CI systems read: text for terminals,
// JSON for programs, JUnit XML for test dashboards, SARIF 2.1.0 for code scanning, GitHub Actions
// workflow commands for pull-request annotations, and Markdown for a pull-request comment.
//
// Every printer implements Printer; Formats is the one list of format names, used for the --format
// flag's help, its validation and its shell completion. Printers only print: whether the check
// passed is the report's (policy.Result.Passed), never a printer's, decision. Output is deterministic: the report is sorted,
// and no printer adds times, absolute paths or anything else that changes between runs.
package check

import (
	"fmt"
	"io"
	"strings"

	"github.com/spofhq/spof/internal/human"
	"github.com/spofhq/spof/internal/out"
	"github.com/spofhq/spof/internal/out/analyze"
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
	// Paths says how much of each violation's dependency path to show, as analyze's --paths does:
	// analyze.PathsDefault is PathsShort in text, and PathsFull in the other formats, whose output
	// is a contract. The JSON gives a path whole, its first step ("next") or nothing (PathsShort is
	// the caller's usage error there); the other formats write it in a message, shortened as in text.
	Paths analyze.Paths
}

// Formats are the formats of spof check, text first; each makes its printer.
var Formats = out.Formats[func(Options) Printer]{
	{Name: "text", Doc: "for people, in a terminal or a CI log", Write: func(o Options) Printer {
		return textPrinter{color: o.Color, paths: o.Paths}
	}},
	{Name: "json", Doc: "for programs; a stable document described in docs/check.md", Write: func(o Options) Printer { return jsonPrinter{paths: whole(o.Paths)} }},
	{Name: "junit", Doc: "JUnit XML, one test case per rule and service", Write: func(o Options) Printer { return junitPrinter{paths: whole(o.Paths)} }},
	{Name: "sarif", Doc: "SARIF 2.1.0, for code scanning", Write: func(o Options) Printer { return sarifPrinter{paths: whole(o.Paths)} }},
	{Name: "github", Doc: "GitHub Actions workflow commands that annotate the pull request", Write: func(o Options) Printer { return githubPrinter{paths: whole(o.Paths)} }},
	{Name: "markdown", Doc: "a pull-request comment", Write: func(o Options) Printer { return markdownPrinter{paths: whole(o.Paths)} }},
}

// whole returns p, with PathsDefault as PathsFull: the default of the formats that programs read.
func whole(p analyze.Paths) analyze.Paths {
	if p == analyze.PathsDefault {
		return analyze.PathsFull
	}
	return p
}

// pathText spells violations' paths as one mode says, into buffers it reuses: a path may hold
// millions of entities, and is read only as it is written.
type pathText struct {
	mode analyze.Paths
	head []string
	buf  []byte
}

func newPathText(mode analyze.Paths) *pathText { return &pathText{mode: mode} }

// text returns v's path as the text shows it in the mode (analyze.AppendTextPath): "a → b → c", or
// "a → … 9 more … → z" shortened; false when there is none to show, because the mode is PathsNone or
// the path has fewer than two entities. The bytes are valid until the next call.
func (t *pathText) text(v *policy.Violation) ([]byte, bool) {
	keep := t.mode.TextKeep()
	if keep == 0 {
		return nil, false
	}
	var n int
	if t.head, n = v.Path.AppendHead(t.head[:0], keep); n < 2 {
		return nil, false
	}
	t.buf = analyze.AppendTextPath(t.buf[:0], t.mode, t.head, n, v.Path.Last(), func(id string) string { return id }, " → ")
	return t.buf, true
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
			parts = append(parts, human.Count(n, one, many))
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
		return "FAIL", human.Count(n[failing], "violation fails", "violations fail") + " the check" + detail
	case !r.Passed():
		return "FAIL", human.Count(c.ExpiredWaivers, "waiver has", "waivers have") + " expired" + detail
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
