package check

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/spofhq/spof/internal/diag"
	"github.com/spofhq/spof/internal/inventory"
	"github.com/spofhq/spof/internal/out/analyze"
	"github.com/spofhq/spof/internal/policy"
	"github.com/spofhq/spof/internal/testinv"
)

const base = `
[providers.hostco]
type = "hosting"
[providers.carrier-a]
type = "carrier"
[vms.pbx-01]
provider = "hostco"
[services.pbx]
tier = "critical"
owner = "voice"
runs_on = "pbx-01"
[services.crm]
tier = "high"
depends_on = "hostco"
[numbers.num-a]
number = "+33 4 66 00 00 01"
carrier = "carrier-a"
published = true
`

// cur adds a line on a single carrier (new), keeps pbx and crm on hostco (existing, crm waived), and
// drops nothing that base had.
const cur = base + `
[services.line]
tier = "high"
owner = "support"
depends_on = "num-a"
`

const pol = `
[[rule]]
id = "provider-spof"
forbid = "provider-spof"
message = "no provider SPOF | ever"
select = { tier = ["critical", "high"] }

[[rule]]
id = "owner"
severity = "warning"
forbid = "missing-owner"
select = { tier = ["critical", "high"] }

[[waiver]]
rule = "provider-spof"
service = "crm"
reason = "SaaS, 50% of the price"
expires = 2099-12-31

[[waiver]]
rule = "provider-spof"
service = "pbx"
reason = "migration"
expires = 2020-01-01

[[waiver]]
rule = "owner"
service = "gone"
reason = "old"
expires = 2099-12-31
`

// report returns a report with one of everything: a new failing violation, existing ones, a waived
// one, a warning, an expired and a stale waiver. Its inventory file name holds the characters that
// workflow-command properties must escape.
func report(t *testing.T) *policy.Result {
	t.Helper()
	p, diags := policy.Parse(inventory.Source{Name: "spof-policy.toml", Data: []byte(pol)})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	now := func() time.Time { return time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC) }
	return policy.Check(testinv.ParseFiles(t, "inv/a,b:c.toml", cur), testinv.ParseFiles(t, "main:inv/a.toml", base), p,
		policy.Options{Now: now, Inventory: "inv", Baseline: "main"})
}

func render(t *testing.T, format string, r *policy.Result) []byte {
	t.Helper()
	newPrinter, err := Formats.Lookup(format)
	if err != nil {
		t.Fatal(err)
	}
	p := newPrinter(Options{})
	var b bytes.Buffer
	if err := p.Print(&b, r); err != nil {
		t.Fatal(err)
	}
	var again bytes.Buffer
	if err := p.Print(&again, r); err != nil || !bytes.Equal(b.Bytes(), again.Bytes()) {
		t.Errorf("%s: two prints differ", format)
	}
	return b.Bytes()
}

func TestFormats(t *testing.T) {
	for _, f := range Formats.Names() {
		if p, err := Formats.Lookup(f); err != nil || p(Options{}) == nil {
			t.Errorf("Lookup(%q): %v", f, err)
		}
		if !strings.Contains(Formats.Help(), "  "+f+" ") {
			t.Errorf("Help lacks %q", f)
		}
	}
	if _, err := Formats.Lookup("yaml"); err == nil || err.Error() != `unknown format "yaml": want one of text, json, junit, sarif, github, markdown` {
		t.Errorf("Lookup(yaml) = %v", err)
	}
	if _, err := Formats.Lookup("sarf"); err == nil || err.Error() != `unknown format "sarf": want one of text, json, junit, sarif, github, markdown; did you mean "sarif"?` {
		t.Errorf("Lookup(sarf) = %v", err)
	}
}

// The SARIF log is read back and checked against the parts of the SARIF 2.1.0 schema that spof uses:
// required properties, enumerations, minimums, and rule indexes that point at their rule.
func TestSARIFStructure(t *testing.T) {
	r := report(t)
	var log struct {
		Schema  string `json:"$schema"`
		Version string `json:"version"`
		Runs    []struct {
			Tool struct {
				Driver struct {
					Name  string `json:"name"`
					Rules []struct {
						ID                   string `json:"id"`
						ShortDescription     struct{ Text string }
						DefaultConfiguration struct{ Level string }
					} `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
			ColumnKind string `json:"columnKind"`
			Results    []struct {
				RuleID    string `json:"ruleId"`
				RuleIndex *int   `json:"ruleIndex"`
				Level     string `json:"level"`
				Message   *struct{ Text string }
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string }
						Region           *struct{ StartLine, StartColumn int }
					}
				}
				PartialFingerprints map[string]string
				BaselineState       string
				Suppressions        []struct{ Kind, Status, Justification string }
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(render(t, "sarif", r), &log); err != nil {
		t.Fatal(err)
	}
	if log.Version != "2.1.0" || !strings.HasSuffix(log.Schema, "sarif-schema-2.1.0.json") || len(log.Runs) != 1 {
		t.Fatalf("log: version %q schema %q, %d runs", log.Version, log.Schema, len(log.Runs))
	}
	run := log.Runs[0]
	if run.Tool.Driver.Name != "spof" || run.ColumnKind != "unicodeCodePoints" {
		t.Errorf("driver %q, columnKind %q", run.Tool.Driver.Name, run.ColumnKind)
	}
	levels := []string{"none", "note", "warning", "error"}
	var ruleIDs []string
	for _, rule := range run.Tool.Driver.Rules {
		if slices.Contains(ruleIDs, rule.ID) || rule.ShortDescription.Text == "" || !slices.Contains(levels, rule.DefaultConfiguration.Level) {
			t.Errorf("rule %+v: duplicate, undescribed or bad level", rule)
		}
		ruleIDs = append(ruleIDs, rule.ID)
	}
	if want := []string{"provider-spof", "owner", "expired-waiver", "stale-waiver"}; !slices.Equal(ruleIDs, want) {
		t.Errorf("rules = %q, want %q", ruleIDs, want)
	}
	states := map[string]int{}
	suppressed := 0
	for _, res := range run.Results {
		if res.RuleIndex == nil || *res.RuleIndex >= len(ruleIDs) || ruleIDs[*res.RuleIndex] != res.RuleID {
			t.Errorf("result %s: ruleIndex does not point at its rule", res.RuleID)
		}
		if !slices.Contains(levels, res.Level) || res.Message == nil || res.Message.Text == "" {
			t.Errorf("result %s: level %q, message %v", res.RuleID, res.Level, res.Message)
		}
		if len(res.Locations) != 1 {
			t.Errorf("result %s: %d locations, want 1", res.RuleID, len(res.Locations))
			continue
		}
		loc := res.Locations[0].PhysicalLocation
		if loc.ArtifactLocation.URI == "" || strings.Contains(loc.ArtifactLocation.URI, `\`) || loc.Region == nil ||
			loc.Region.StartLine < 1 || loc.Region.StartColumn < 1 {
			t.Errorf("result %s: location %+v", res.RuleID, loc)
		}
		if len(res.PartialFingerprints) != 1 {
			t.Errorf("result %s: fingerprints %v", res.RuleID, res.PartialFingerprints)
		}
		states[res.BaselineState]++
		for _, s := range res.Suppressions {
			suppressed++
			if s.Kind != "external" || s.Status != "accepted" || !strings.Contains(s.Justification, "SaaS") {
				t.Errorf("suppression %+v", s)
			}
		}
	}
	// line: new; pbx (expired waiver), crm (waived) and crm's missing owner: unchanged; the two waiver
	// problems: no state.
	if states["new"] != 1 || states["unchanged"] != 3 || states[""] != 2 || len(states) != 3 || suppressed != 1 {
		t.Errorf("baseline states %v, %d suppressed", states, suppressed)
	}
}

// The JUnit XML is read back: one suite per rule plus the waivers, one case per rule and selected
// service, and counts that add up.
func TestJUnitStructure(t *testing.T) {
	r := report(t)
	type problem struct {
		Message string `xml:"message,attr"`
		Text    string `xml:",chardata"`
	}
	var doc struct {
		XMLName  xml.Name `xml:"testsuites"`
		Tests    int      `xml:"tests,attr"`
		Failures int      `xml:"failures,attr"`
		Skipped  int      `xml:"skipped,attr"`
		Suites   []struct {
			Name     string `xml:"name,attr"`
			Tests    int    `xml:"tests,attr"`
			Failures int    `xml:"failures,attr"`
			Skipped  int    `xml:"skipped,attr"`
			Cases    []struct {
				Classname string   `xml:"classname,attr"`
				Name      string   `xml:"name,attr"`
				Failure   *problem `xml:"failure"`
				Skipped   *problem `xml:"skipped"`
				SystemOut string   `xml:"system-out"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	out := render(t, "junit", r)
	if !bytes.HasPrefix(out, []byte(xml.Header)) {
		t.Error("no XML header")
	}
	if err := xml.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	outcome := map[string]string{}
	tests, failures, skipped := 0, 0, 0
	for _, s := range doc.Suites {
		f, sk := 0, 0
		for _, c := range s.Cases {
			state := "pass"
			switch {
			case c.Failure != nil:
				state, f = "fail", f+1
			case c.Skipped != nil:
				state, sk = "skip", sk+1
			}
			if c.Classname != s.Name && s.Name != "waivers" {
				t.Errorf("case %s/%s in suite %s", c.Classname, c.Name, s.Name)
			}
			outcome[s.Name+"/"+c.Name] = state
		}
		if s.Tests != len(s.Cases) || s.Failures != f || s.Skipped != sk {
			t.Errorf("suite %s: tests %d failures %d skipped %d, counted %d %d %d", s.Name, s.Tests, s.Failures, s.Skipped, len(s.Cases), f, sk)
		}
		tests, failures, skipped = tests+s.Tests, failures+f, skipped+sk
	}
	if doc.Tests != tests || doc.Failures != failures || doc.Skipped != skipped {
		t.Errorf("testsuites: %d/%d/%d, suites add up to %d/%d/%d", doc.Tests, doc.Failures, doc.Skipped, tests, failures, skipped)
	}
	want := map[string]string{
		// line is new: fails; pbx is existing but its waiver expired: fails; crm is waived: skipped.
		"provider-spof/crm": "skip", "provider-spof/line": "fail", "provider-spof/pbx": "fail",
		// crm has no owner: a warning, which passes.
		"owner/crm": "pass", "owner/line": "pass", "owner/pbx": "pass",
		"waivers/provider-spof/pbx": "fail", "waivers/owner/gone": "pass",
	}
	if len(outcome) != len(want) {
		t.Errorf("cases = %v, want %v", outcome, want)
	}
	for k, v := range want {
		if outcome[k] != v {
			t.Errorf("case %s: %s, want %s", k, outcome[k], v)
		}
	}
}

func TestGitHubEscaping(t *testing.T) {
	var b strings.Builder
	ghCommand(&b, "error", diagPos("a,b:c.toml", 3, 7), "spof r:1,2", "50% done\r\nnext")
	if want := "::error file=a%2Cb%3Ac.toml,line=3,col=7,title=spof r%3A1%2C2::50%25 done%0D%0Anext\n"; b.String() != want {
		t.Errorf("ghCommand = %q, want %q", b.String(), want)
	}
	out := string(render(t, "github", report(t)))
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	var cmds []string
	for _, l := range lines {
		if strings.HasPrefix(l, "::") {
			cmds = append(cmds, l[:strings.Index(l[2:], "::")+2])
		}
	}
	want := []string{
		// The new line fails; pbx, existing, is not annotated, but its expired waiver is; the crm warning
		// is existing too. The stale waiver is a warning.
		"::error file=inv/a%2Cb%3Ac.toml,line=23,col=14,title=spof provider-spof",
		"::error file=spof-policy.toml,line=20,col=3,title=spof expired-waiver",
		"::warning file=spof-policy.toml,line=26,col=3,title=spof stale-waiver",
	}
	testinv.EqualLines(t, "commands", cmds, want)
	if last := lines[len(lines)-1]; !strings.HasPrefix(last, "spof check inv (policy spof-policy.toml, baseline main): FAIL: ") {
		t.Errorf("last line = %q", last)
	}
}

func TestTextColor(t *testing.T) {
	r := report(t)
	var plain, colored bytes.Buffer
	if err := (textPrinter{}).Print(&plain, r); err != nil {
		t.Fatal(err)
	}
	if err := (textPrinter{color: true}).Print(&colored, r); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(plain.Bytes(), []byte("\x1b[")) || !bytes.Contains(colored.Bytes(), []byte("\x1b[31mnew\x1b[0m")) {
		t.Errorf("colour: plain has escapes or coloured has none:\n%s", colored.String())
	}
}

func TestMarkdownEscapesCells(t *testing.T) {
	out := string(render(t, "markdown", report(t)))
	if !strings.Contains(out, `no provider SPOF \| ever`) || !strings.HasPrefix(out, "### ❌ spof check: ") {
		t.Errorf("markdown:\n%s", out)
	}
}

func diagPos(file string, line, col int) diag.Pos { return diag.Pos{File: file, Line: line, Col: col} }

// chainReport is the check of a chain of 12 critical services, s00 first, ending on provider p, and
// of a high service without owner: provider-spof violations with paths of 13 entities (s00) down to 2
// (s11), and a missing-owner one without a path.
func chainReport(t *testing.T) *policy.Result {
	t.Helper()
	var b strings.Builder
	for i := range 12 {
		next := fmt.Sprintf("s%02d", i+1)
		if i == 11 {
			next = "p"
		}
		fmt.Fprintf(&b, "[services.s%02d]\ntier = \"critical\"\nowner = \"ops\"\ndepends_on = %q\n", i, next)
	}
	b.WriteString("[providers.p]\ntype = \"hosting\"\n[services.lonely]\ntier = \"high\"\n")
	now := func() time.Time { return time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC) }
	return policy.Check(testinv.ParseFiles(t, "chain.toml", b.String()), nil, policy.Default(), policy.Options{Now: now, Inventory: "chain.toml"})
}

// TestPathText checks how every path mode spells the paths of the formats that write them in a
// message, and of the text: by service, the path shown, "" for none.
func TestPathText(t *testing.T) {
	r := chainReport(t)
	tests := []struct {
		paths analyze.Paths
		want  map[string]string
	}{
		{analyze.PathsShort, map[string]string{
			"s00":    "s00 → s01 → s02 → s03 → s04 → s05 → … 6 more … → p",
			"s03":    "s03 → s04 → s05 → s06 → s07 → s08 → … 3 more … → p",
			"s04":    "s04 → s05 → s06 → s07 → s08 → s09 → … 2 more … → p",
			"s05":    "s05 → s06 → s07 → s08 → s09 → s10 → s11 → p",
			"s11":    "s11 → p",
			"lonely": "",
		}},
		{analyze.PathsDefault, map[string]string{ // in text; the printers resolve it first (whole)
			"s00": "s00 → s01 → s02 → s03 → s04 → s05 → … 6 more … → p",
		}},
		{analyze.PathsFull, map[string]string{
			"s00":    "s00 → s01 → s02 → s03 → s04 → s05 → s06 → s07 → s08 → s09 → s10 → s11 → p",
			"s11":    "s11 → p",
			"lonely": "",
		}},
		{analyze.PathsNext, map[string]string{
			"s00":    "s00 → s01 → … 10 more … → p",
			"s10":    "s10 → s11 → p",
			"s11":    "s11 → p",
			"lonely": "",
		}},
		{analyze.PathsNone, map[string]string{"s00": "", "s11": "", "lonely": ""}},
	}
	for _, tt := range tests {
		pt := newPathText(tt.paths)
		seen := 0
		for i := range r.Violations {
			v := &r.Violations[i]
			want, ok := tt.want[v.Service]
			if !ok {
				continue
			}
			seen++
			path, shown := pt.text(v)
			if string(path) != want || shown != (want != "") {
				t.Errorf("paths %s, %s: %q (%v), want %q", analyze.PathNames[tt.paths], v.Service, path, shown, want)
			}
		}
		if seen != len(tt.want) {
			t.Errorf("paths %s: %d violations of the %d services", analyze.PathNames[tt.paths], seen, len(tt.want))
		}
	}
}

// TestFormatPaths checks each format's default (whole paths but in text) and that each writes the
// path of s00 as the mode says, in its message or its JSON field.
func TestFormatPaths(t *testing.T) {
	r := chainReport(t)
	const (
		whole = "s00 → s01 → s02 → s03 → s04 → s05 → s06 → s07 → s08 → s09 → s10 → s11 → p"
		short = "s00 → s01 → s02 → s03 → s04 → s05 → … 6 more … → p"
		next  = "s00 → s01 → … 10 more … → p"
	)
	tests := []struct {
		format string
		paths  analyze.Paths
		want   string // what the output holds; "" when it holds no path of s00
	}{
		{"text", analyze.PathsDefault, "    path: " + short + "\n"},
		{"text", analyze.PathsFull, "    path: " + whole + "\n"},
		{"text", analyze.PathsNone, ""},
		{"json", analyze.PathsDefault, `"path": [` + "\n        \"s00\",\n        \"s01\","},
		{"json", analyze.PathsNext, `"next": "s01",`},
		{"json", analyze.PathsNone, ""},
		{"sarif", analyze.PathsDefault, "; path: " + whole + `"`},
		{"sarif", analyze.PathsShort, "; path: " + short + `"`},
		{"junit", analyze.PathsDefault, "\npath: " + whole + "]]>"},
		{"junit", analyze.PathsNext, "\npath: " + next + "]]>"},
		{"github", analyze.PathsDefault, "%0Apath: " + whole + "%0A"},
		{"github", analyze.PathsShort, "%0Apath: " + short + "%0A"},
		{"markdown", analyze.PathsDefault, "<br>path: " + whole + " |"},
		{"markdown", analyze.PathsNext, "<br>path: " + next + " |"},
		{"markdown", analyze.PathsNone, ""},
	}
	for _, tt := range tests {
		newPrinter, err := Formats.Lookup(tt.format)
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := newPrinter(Options{Paths: tt.paths}).Print(&b, r); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		if tt.want == "" {
			if strings.Contains(out, "s00 → s01") || strings.Contains(out, `"path"`) || strings.Contains(out, `"next"`) {
				t.Errorf("%s, paths %s: a path is shown:\n%s", tt.format, analyze.PathNames[tt.paths], out)
			}
		} else if !strings.Contains(out, tt.want) {
			t.Errorf("%s, paths %s: no %q in\n%s", tt.format, analyze.PathNames[tt.paths], tt.want, out)
		}
	}
}

// TestStreamedLayout checks that the JSON and SARIF documents, written one element at a time, are
// laid out as encoding/json indents a whole document, empty lists included; the goldens of
// cmd/spof/testdata/script pin their contents.
func TestStreamedLayout(t *testing.T) {
	for _, r := range []*policy.Result{report(t), chainReport(t), {Inventory: "empty"}} {
		for _, format := range []string{"json", "sarif"} {
			for _, paths := range []analyze.Paths{analyze.PathsDefault, analyze.PathsNext, analyze.PathsNone} {
				newPrinter, _ := Formats.Lookup(format)
				var b, compact, indented bytes.Buffer
				if err := newPrinter(Options{Paths: paths}).Print(&b, r); err != nil {
					t.Fatal(err)
				}
				if err := json.Compact(&compact, b.Bytes()); err != nil {
					t.Fatalf("%s: %v", format, err)
				}
				if err := json.Indent(&indented, compact.Bytes(), "", "  "); err != nil {
					t.Fatal(err)
				}
				indented.WriteByte('\n')
				if b.String() != indented.String() {
					t.Errorf("%s of %s, paths %s: laid out\n%s\nwant\n%s", format, r.Inventory, analyze.PathNames[paths], b.String(), indented.String())
				}
			}
		}
	}
}
