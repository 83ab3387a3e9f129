package check

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spofhq/spof/internal/diag"
	"github.com/spofhq/spof/internal/out/analyze"
	"github.com/spofhq/spof/internal/par"
	"github.com/spofhq/spof/internal/policy"
)

// textPrinter prints for people: a header, one entry per violation (failing ones first, then warnings,
// existing, waived), what the change fixed, the problems of the waivers, why each broken rule exists,
// and a verdict line. Paths are shortened as analyze's text shortens them unless paths says otherwise.
type textPrinter struct {
	color bool
	paths analyze.Paths
}

// ANSI styles.
const (
	red    = "\x1b[31m"
	yellow = "\x1b[33m"
	green  = "\x1b[32m"
	dim    = "\x1b[2m"
	bold   = "\x1b[1m"
	reset  = "\x1b[0m"
)

func (p textPrinter) paint(style, s string) string {
	if !p.color {
		return s
	}
	return style + s + reset
}

// Print writes straight to w, through a buffer: on a dense platform the report runs to tens of
// megabytes (every violation with its path), and building it whole as a string first doubled its
// memory and copied it once more. Each path is read as it is written.
func (p textPrinter) Print(w io.Writer, r *policy.Result) error {
	b := bufio.NewWriterSize(w, 64<<10)
	fmt.Fprintf(b, "spof check %s (%s)\n", r.Inventory, source(r))
	broken := map[string]bool{}
	for g := failing; g <= waived; g++ {
		var in []int
		for i := range r.Violations {
			if v := &r.Violations[i]; groupOf(v) == g {
				in = append(in, i)
				if g <= warning {
					broken[v.Rule] = true
				}
			}
		}
		if len(in) > 0 {
			b.WriteByte('\n')
		}
		p.violations(b, r.Violations, in, g)
	}
	if len(r.Fixed) > 0 {
		b.WriteByte('\n')
		for _, f := range r.Fixed {
			fmt.Fprintf(b, "%s: %s [%s]\n", p.paint(green, "fixed"), f.Detail, f.Rule)
		}
	}
	if len(r.WaiverNotes) > 0 {
		b.WriteByte('\n')
		for _, n := range r.WaiverNotes {
			style := yellow
			if n.Severity == diag.Error {
				style = red
			}
			fmt.Fprintf(b, "%s: %s: %s\n", n.Waiver.Pos, p.paint(style, n.Severity.String()), n.Message)
			fmt.Fprintf(b, "    reason: %s\n", n.Waiver.Reason)
		}
	}
	var why []string
	for _, rule := range r.Rules {
		if broken[rule.ID] {
			why = append(why, fmt.Sprintf("  %s (%s): %s\n", rule.ID, rule.Severity, rule.Message))
		}
	}
	if len(why) > 0 {
		b.WriteString("\nrules:\n")
		b.WriteString(strings.Join(why, ""))
	}
	b.WriteByte('\n')
	style := green
	if !r.Passed() {
		style = red
	}
	b.WriteString(p.paint(bold+style, verdict(r)) + "\n")
	return b.Flush()
}

// violations writes the violations vs[i] for i in in, of group g. A dense platform has hundreds of
// thousands of them, tens of megabytes of text: they are formatted a round of chunks at a time on
// every core, each chunk into its own buffer, and the buffers written in order. Whole paths
// (--paths full) are written as they are read, one violation after the other: the paths of a chain
// of 20,000 services hold 2×10^8 entities, which no buffer should hold.
func (p textPrinter) violations(b *bufio.Writer, vs []policy.Violation, in []int, g group) {
	if p.paths.TextKeep() < 0 {
		paths := newPathText(p.paths)
		for _, i := range in {
			p.violation(b, &vs[i], g, paths)
		}
		return
	}
	const chunk = 512
	chunks := make([]bytes.Buffer, 4*par.Workers(len(in)/chunk+1))
	for start := 0; start < len(in); start += chunk * len(chunks) {
		used := min(len(chunks), (len(in)-start+chunk-1)/chunk)
		par.ForEach(used, func(c int) {
			buf := &chunks[c]
			buf.Reset()
			w := bufio.NewWriter(buf)
			paths := newPathText(p.paths)
			for _, i := range in[start+c*chunk : min(len(in), start+(c+1)*chunk)] {
				p.violation(w, &vs[i], g, paths)
			}
			w.Flush()
		})
		for c := range used {
			b.Write(chunks[c].Bytes())
		}
	}
}

// violation writes v's entry: a line, then its path and its waiver when shown. Written piece by
// piece: a dense platform has hundreds of thousands of entries.
func (p textPrinter) violation(b *bufio.Writer, v *policy.Violation, g group, paths *pathText) {
	var label string
	switch g {
	case failing:
		label = v.Severity.String()
		if v.Status != policy.NoBaseline {
			label = v.Status.String()
		}
		label = p.paint(red, label)
	case warning:
		label = "warning"
		if v.Status == policy.New {
			label = "new warning"
		}
		label = p.paint(yellow, label)
	case existing:
		label = p.paint(dim, "existing")
	case waived:
		label = p.paint(dim, "waived")
	}
	b.WriteString(label)
	b.WriteString(": ")
	b.WriteString(v.Detail)
	b.WriteString(", ")
	b.WriteString(where(v))
	b.WriteString(" [")
	b.WriteString(v.Rule)
	b.WriteString("]\n")
	if g <= warning {
		if path, ok := paths.text(v); ok {
			b.WriteString("    path: ")
			b.Write(path)
			b.WriteByte('\n')
		}
	}
	if v.Waiver != nil {
		fmt.Fprintf(b, "    waived until %s at %s: %s\n", v.Waiver.Expires.Format(time.DateOnly), v.Waiver.Pos, v.Waiver.Reason)
	}
}
