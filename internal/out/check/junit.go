package check

import (
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/spofhq/spof/internal/out/analyze"
	"github.com/spofhq/spof/internal/policy"
)

// junitPrinter prints JUnit XML: one test suite per rule, one test case per rule and selected service.
// A case fails when the service has a failing violation of the rule (or an expired waiver for it), is
// skipped when every violation is waived, and passes otherwise, with warnings and existing violations
// in its system-out. A last suite, "waivers", has one case per waiver problem. A violation's text holds
// its path as paths says (whole by default), shortened as in text.
//
// The document is <testsuites name tests failures skipped>, each <testsuite name tests failures
// skipped> with its <testcase> elements (junitCase). It is written one case at a time, each path read
// as it is written: the paths of a chain of n critical services ending on a provider hold n²/2
// entities.
type junitPrinter struct{ paths analyze.Paths }

// junitSuite is a suite's name and counts, known before its cases are written; case i is made by
// write.
type junitSuite struct {
	name                     string
	tests, failures, skipped int
	write                    func(i int) junitCase
}

func (s *junitSuite) count(failed, skipped bool) {
	s.tests++
	if failed {
		s.failures++
	}
	if skipped {
		s.skipped++
	}
}

// start returns the element local that opens s with its name and counts: a suite's, or with the
// counts of every suite, the document's.
func (s *junitSuite) start(local, name string) xml.StartElement {
	attr := func(k, v string) xml.Attr { return xml.Attr{Name: xml.Name{Local: k}, Value: v} }
	return xml.StartElement{Name: xml.Name{Local: local}, Attr: []xml.Attr{attr("name", name),
		attr("tests", strconv.Itoa(s.tests)), attr("failures", strconv.Itoa(s.failures)), attr("skipped", strconv.Itoa(s.skipped))}}
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

func (p junitPrinter) Print(w io.Writer, r *policy.Result) error {
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
	// The counts first, from each case's outcome: the elements that open the document and the
	// suites carry them.
	var suites []junitSuite
	var all junitSuite
	paths := newPathText(p.paths)
	for _, rule := range r.Rules {
		s := junitSuite{name: rule.ID, write: func(i int) junitCase {
			svc := rule.Subjects[i]
			k := caseKey{rule.ID, svc}
			c := junitCase{Classname: rule.ID, Name: svc}
			fillCase(&c, byCase[k], expired[k], paths)
			return c
		}}
		for _, svc := range rule.Subjects {
			k := caseKey{rule.ID, svc}
			s.count(caseState(byCase[k], expired[k]))
		}
		suites = append(suites, s)
	}
	if len(r.WaiverNotes) > 0 {
		s := junitSuite{name: "waivers", write: func(i int) junitCase {
			n := &r.WaiverNotes[i]
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
			return c
		}}
		for _, n := range r.WaiverNotes {
			s.count(n.Problem == policy.Expired, false)
		}
		suites = append(suites, s)
	}
	for _, s := range suites {
		all.tests += s.tests
		all.failures += s.failures
		all.skipped += s.skipped
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	// Token by token and case by case, which encoding/xml indents as it would the whole document.
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	top := all.start("testsuites", "spof check "+r.Inventory)
	if err := enc.EncodeToken(top); err != nil {
		return err
	}
	caseStart := xml.StartElement{Name: xml.Name{Local: "testcase"}}
	for _, s := range suites {
		start := s.start("testsuite", s.name)
		if err := enc.EncodeToken(start); err != nil {
			return err
		}
		for i := range s.tests {
			if err := enc.EncodeElement(s.write(i), caseStart); err != nil {
				return err
			}
		}
		if err := enc.EncodeToken(start.End()); err != nil {
			return err
		}
	}
	if err := enc.EncodeToken(top.End()); err != nil {
		return err
	}
	if err := enc.Flush(); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// caseState returns whether a case fails (a failing violation or an expired waiver) or is skipped
// (every violation waived), as fillCase decides, without making its text.
func caseState(vs []*policy.Violation, expired []policy.WaiverNote) (failed, skipped bool) {
	waivedOnly := len(vs) > 0
	failed = len(expired) > 0
	for _, v := range vs {
		failed = failed || v.Fails
		waivedOnly = waivedOnly && v.Waiver != nil
	}
	return failed, !failed && waivedOnly
}

// fillCase sets the outcome of one rule×service case from its violations and expired waivers.
func fillCase(c *junitCase, vs []*policy.Violation, expired []policy.WaiverNote, paths *pathText) {
	var fails, others []string
	for _, v := range vs {
		line := fmt.Sprintf("%s, %s", v.Detail, where(v))
		if path, ok := paths.text(v); ok {
			line += "\npath: " + string(path)
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
	}
	for _, n := range expired {
		fails = append(fails, n.Message+"\nreason: "+n.Waiver.Reason)
	}
	failed, skipped := caseState(vs, expired)
	switch {
	case failed:
		msg := strings.SplitN(fails[0], "\n", 2)[0]
		if len(fails) > 1 {
			msg = fmt.Sprintf("%d violations: %s; …", len(fails), msg)
		}
		c.Failure = &junitProblem{Message: msg, Type: "error", Text: strings.Join(fails, "\n\n")}
	case skipped:
		c.Skipped = &junitProblem{Message: "waived: " + vs[0].Waiver.Reason}
	}
	c.SystemOut = text(strings.Join(others, "\n\n"))
}
