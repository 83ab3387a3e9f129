package check

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"github.com/spofhq/spof/internal/policy"
)

// junitPrinter prints JUnit XML: one test suite per rule, one test case per rule and selected service.
// A case fails when the service has a failing violation of the rule (or an expired waiver for it), is
// skipped when every violation is waived, and passes otherwise, with warnings and existing violations
// in its system-out. A last suite, "waivers", has one case per waiver problem.
type junitPrinter struct{}

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Skipped  int         `xml:"skipped,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Classname string        `xml:"classname,attr"`
	Name      string        `xml:"name,attr"`
	File      string        `xml:"file,attr,omitempty"`
	Line      int           `xml:"line,attr,omitempty"`
	Failure   *junitProblem `xml:"failure"`
	Skipped   *junitProblem `xml:"skipped"`
	SystemOut *junitText    `xml:"system-out"`
}

// junitText is element text written as CDATA, so that its line breaks stay line breaks.
type junitText struct {
	Text string `xml:",cdata"`
}

func text(s string) *junitText {
	if s == "" {
		return nil
	}
	return &junitText{Text: s}
}

type junitProblem struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr,omitempty"`
	Text    string `xml:",cdata"`
}

func (junitPrinter) Print(w io.Writer, r *policy.Result) error {
	type caseKey struct{ rule, service string }
	byCase := map[caseKey][]*policy.Violation{}
	for i := range r.Violations {
		v := &r.Violations[i]
		k := caseKey{v.Rule, v.Service}
		byCase[k] = append(byCase[k], v)
	}
	expired := map[caseKey][]policy.WaiverNote{}
	for _, n := range r.WaiverNotes {
		if n.Problem == policy.Expired {
			k := caseKey{n.Waiver.Rule, n.Waiver.Service}
			expired[k] = append(expired[k], n)
		}
	}
	doc := junitSuites{Name: "spof check " + r.Inventory}
	for _, rule := range r.Rules {
		s := junitSuite{Name: rule.ID, Cases: []junitCase{}}
		for _, svc := range rule.Subjects {
			k := caseKey{rule.ID, svc}
			c := junitCase{Classname: rule.ID, Name: svc}
			fillCase(&c, byCase[k], expired[k])
			s.Cases = append(s.Cases, c)
		}
		doc.Suites = append(doc.Suites, s)
	}
	if len(r.WaiverNotes) > 0 {
		s := junitSuite{Name: "waivers"}
		for _, n := range r.WaiverNotes {
			name := n.Waiver.Rule + "/" + n.Waiver.Service
			if n.Waiver.Entity != "" {
				name += "/" + n.Waiver.Entity
			}
			c := junitCase{Classname: n.Problem.Rule(), Name: name, File: n.Waiver.Pos.File, Line: n.Waiver.Pos.Line}
			if n.Problem == policy.Expired {
				c.Failure = &junitProblem{Message: n.Message, Type: "error", Text: "reason: " + n.Waiver.Reason}
			} else {
				c.SystemOut = text(n.Message)
			}
			s.Cases = append(s.Cases, c)
		}
		doc.Suites = append(doc.Suites, s)
	}
	for i := range doc.Suites {
		s := &doc.Suites[i]
		for _, c := range s.Cases {
			s.Tests++
			if c.Failure != nil {
				s.Failures++
			}
			if c.Skipped != nil {
				s.Skipped++
			}
		}
		doc.Tests += s.Tests
		doc.Failures += s.Failures
		doc.Skipped += s.Skipped
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// fillCase sets the outcome of one rule×service case from its violations and expired waivers.
func fillCase(c *junitCase, vs []*policy.Violation, expired []policy.WaiverNote) {
	var fails, others []string
	waivedOnly := len(vs) > 0
	for _, v := range vs {
		line := fmt.Sprintf("%s, %s", v.Detail, where(v))
		if len(v.Path) > 1 {
			line += "\npath: " + strings.Join(v.Path, " → ")
		}
		switch {
		case v.Fails:
			fails = append(fails, line)
			if c.File == "" {
				c.File, c.Line = v.Pos.File, v.Pos.Line
			}
		case v.Waiver != nil:
			others = append(others, "waived: "+line+"\nreason: "+v.Waiver.Reason)
		case v.Status == policy.Existing:
			others = append(others, "existing: "+line)
		default:
			others = append(others, "warning: "+line)
		}
		if v.Waiver == nil {
			waivedOnly = false
		}
	}
	for _, n := range expired {
		fails = append(fails, n.Message+"\nreason: "+n.Waiver.Reason)
	}
	switch {
	case len(fails) > 0:
		msg := strings.SplitN(fails[0], "\n", 2)[0]
		if len(fails) > 1 {
			msg = fmt.Sprintf("%d violations: %s; …", len(fails), msg)
		}
		c.Failure = &junitProblem{Message: msg, Type: "error", Text: strings.Join(fails, "\n\n")}
	case waivedOnly:
		c.Skipped = &junitProblem{Message: "waived: " + vs[0].Waiver.Reason}
	}
	c.SystemOut = text(strings.Join(others, "\n\n"))
}
