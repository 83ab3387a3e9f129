package check

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/spofhq/spof/internal/diag"
	"github.com/spofhq/spof/internal/out/analyze"
	"github.com/spofhq/spof/internal/policy"
)

// githubPrinter prints GitHub Actions workflow commands: an ::error annotation per failing violation
// and per expired waiver, a ::warning per warning and stale waiver, each at the declaration that causes
// it, so that they show on the pull request's diff. Existing and waived violations are not annotated
// (they are not the change's doing); the last line is the verdict. A message holds the violation's
// path as paths says (whole by default), shortened as in text.
type githubPrinter struct{ paths analyze.Paths }

// Escaping rules of workflow commands (actions/toolkit, command.ts): in the message, '%', CR and LF;
// in property values, also ':' and ','.
var (
	ghData     = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")
	ghProperty = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")
)

// Print writes one command at a time, each path read as it is written: the paths of a chain of n
// critical services ending on a provider hold n²/2 entities.
func (p githubPrinter) Print(w io.Writer, r *policy.Result) error {
	b := bufio.NewWriterSize(w, 64<<10)
	paths := newPathText(p.paths)
	for g := failing; g <= warning; g++ {
		for i := range r.Violations {
			v := &r.Violations[i]
			if groupOf(v) != g {
				continue
			}
			cmd := "warning"
			if g == failing {
				cmd = "error"
			}
			msg := v.Detail
			if v.Introduced {
				msg += ", introduced by " + v.Cause
			} else {
				msg += ", at " + v.Cause
			}
			if path, ok := paths.text(v); ok {
				msg += "\npath: " + string(path)
			}
			msg += "\n" + v.Rule + ": " + v.Message
			ghCommand(b, cmd, v.Pos, "spof "+v.Rule, msg)
		}
	}
	for _, n := range r.WaiverNotes {
		cmd := "warning"
		if n.Severity == diag.Error {
			cmd = "error"
		}
		ghCommand(b, cmd, n.Waiver.Pos, "spof "+n.Problem.Rule(), n.Message+"\nreason: "+n.Waiver.Reason)
	}
	fmt.Fprintf(b, "spof check %s (%s): %s\n", r.Inventory, source(r), verdict(r))
	return b.Flush()
}

// ghCommand writes "::cmd file=…,line=…,col=…,title=…::message".
func ghCommand(b io.Writer, cmd string, pos diag.Pos, title, msg string) {
	var props []string
	if pos.File != "" {
		props = append(props, "file="+ghProperty.Replace(pos.File))
		if pos.Line > 0 {
			props = append(props, fmt.Sprintf("line=%d", pos.Line))
		}
		if pos.Col > 0 {
			props = append(props, fmt.Sprintf("col=%d", pos.Col))
		}
	}
	props = append(props, "title="+ghProperty.Replace(title))
	fmt.Fprintf(b, "::%s %s::%s\n", cmd, strings.Join(props, ","), ghData.Replace(msg))
}
