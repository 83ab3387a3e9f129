package check

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spofhq/spof/internal/out/analyze"
	"github.com/spofhq/spof/internal/policy"
)

// markdownPrinter prints a pull-request comment: the verdict as a heading, a table of what fails, then
// warnings, and the existing, waived and fixed violations and waiver problems in collapsed sections.
// A row of the first two holds the violation's path as paths says (whole by default), shortened as in
// text. It is written one row at a time, each path read as it is written.
type markdownPrinter struct{ paths analyze.Paths }

var mdCell = strings.NewReplacer("|", `\|`, "\n", " ", "\r", " ", "<", "&lt;", ">", "&gt;")

func code(s string) string {
	if s == "" {
		return ""
	}
	return "`" + strings.ReplaceAll(s, "`", "'") + "`"
}

func (p markdownPrinter) Print(w io.Writer, r *policy.Result) error {
	b := bufio.NewWriterSize(w, 64<<10)
	paths := newPathText(p.paths)
	icon := "✅"
	if !r.Passed() {
		icon = "❌"
	}
	_, detail := outcome(r)
	fmt.Fprintf(b, "### %s spof check: %s\n\n", icon, detail)
	fmt.Fprintf(b, "Inventory %s, %s.\n", code(r.Inventory), mdSource(r))
	sections := []struct {
		g        group
		title    string
		collapse bool
	}{
		{failing, "Failing (%d)", false},
		{warning, "Warnings (%d)", false},
		{existing, "%d existing violations (in the baseline, not failing)", true},
		{waived, "%d waived violations", true},
	}
	for _, s := range sections {
		var rows []*policy.Violation
		for i := range r.Violations {
			if groupOf(&r.Violations[i]) == s.g {
				rows = append(rows, &r.Violations[i])
			}
		}
		if len(rows) == 0 {
			continue
		}
		title := fmt.Sprintf(s.title, len(rows))
		if s.collapse {
			fmt.Fprintf(b, "\n<details><summary>%s</summary>\n\n", title)
		} else {
			fmt.Fprintf(b, "\n#### %s\n\n", title)
		}
		b.WriteString("| Rule | Service | Violation | Declaration |\n|---|---|---|---|\n")
		for _, v := range rows {
			what := mdCell.Replace(v.Detail)
			if v.Status == policy.New {
				what = "**new**: " + what
			}
			if s.g <= warning {
				// As the other formats do: the path is how the failure reaches the service.
				if path, ok := paths.text(v); ok {
					what += "<br>path: " + mdCell.Replace(string(path))
				}
			}
			if v.Waiver != nil {
				what += fmt.Sprintf(" — waived until %s: %s", v.Waiver.Expires.Format(time.DateOnly), mdCell.Replace(v.Waiver.Reason))
			}
			decl := code(v.Cause)
			if v.Introduced {
				decl = "introduced by " + decl
			}
			if v.Pos.File != "" {
				decl += " in " + code(v.Pos.String())
			}
			fmt.Fprintf(b, "| %s | %s | %s | %s |\n", code(v.Rule), code(v.Service), what, decl)
		}
		if s.collapse {
			b.WriteString("\n</details>\n")
		}
	}
	if len(r.Fixed) > 0 {
		fmt.Fprintf(b, "\n#### Fixed (%d)\n\n", len(r.Fixed))
		for _, f := range r.Fixed {
			fmt.Fprintf(b, "- %s (%s)\n", mdCell.Replace(f.Detail), code(f.Rule))
		}
	}
	if len(r.WaiverNotes) > 0 {
		fmt.Fprintf(b, "\n#### Waivers (%d)\n\n", len(r.WaiverNotes))
		for _, n := range r.WaiverNotes {
			fmt.Fprintf(b, "- **%s**: %s, in %s (reason: %s)\n", n.Severity, mdCell.Replace(n.Message), code(n.Waiver.Pos.String()), mdCell.Replace(n.Waiver.Reason))
		}
	}
	var why []string
	for _, rule := range r.Rules {
		for _, v := range r.Violations {
			if v.Rule == rule.ID && groupOf(&v) <= warning {
				why = append(why, fmt.Sprintf("- %s (%s): %s\n", code(rule.ID), rule.Severity, mdCell.Replace(rule.Message)))
				break
			}
		}
	}
	if len(why) > 0 {
		b.WriteString("\n#### Rules\n\n")
		b.WriteString(strings.Join(why, ""))
	}
	return b.Flush()
}

func mdSource(r *policy.Result) string {
	pol := "built-in policy"
	if r.Policy != "" {
		pol = "policy " + code(r.Policy)
		if r.BuiltinRules {
			pol += " with the built-in rules"
		}
	}
	base := "no baseline"
	if r.Baseline != "" {
		base = "baseline " + code(r.Baseline)
		if r.Strict {
			base += " (strict)"
		}
	}
	return pol + ", " + base
}
