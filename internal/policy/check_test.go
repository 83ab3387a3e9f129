package policy

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/spofhq/spof/internal/model"
	"github.com/spofhq/spof/internal/testinv"
)

// platform is a small inventory with one of everything the rules look at: a critical PBX whose two
// VMs share a cluster (false redundancy, provider SPOF), two published numbers on two carriers, a line
// that survives either carrier, a line on one number, a cycle, and a service without owner.
const platform = `
[providers.hostco]
type = "hosting"
[providers.carrier-a]
type = "carrier"
[providers.carrier-b]
type = "carrier"
[providers.saas]
type = "saas"
[components.cluster-1]
provider = "hostco"
[vms.pbx-01]
host = "cluster-1"
[vms.pbx-02]
host = "cluster-1"
[services.pbx]
tier = "critical"
owner = "voice"
runs_on = { any_of = ["pbx-01", "pbx-02"] }
[services.app]
tier = "low"
owner = "voice"
depends_on = "saas"
[numbers.num-a]
number = "+33 4 66 00 00 01"
carrier = "carrier-a"
routes_to = "pbx"
published = true
[numbers.num-b]
number = "+33 4 66 00 00 02"
carrier = "carrier-b"
routes_to = "app"
published = true
[services.line]
tier = "high"
customer_facing = true
depends_on = { any_of = ["num-a", "num-b"] }
[services.line2]
tier = "medium"
owner = "sales"
depends_on = "num-a"
[services.direct]
tier = "high"
owner = "ops"
depends_on = "carrier-a"
[services.c1]
tier = "low"
owner = "x"
depends_on = "c2"
[services.c2]
tier = "low"
owner = "x"
depends_on = { any_of = ["c1", "app"] }
`

func mustPolicy(t *testing.T, text string) *Policy {
	t.Helper()
	p, errs := parsePolicy(t, text)
	if errs != "" {
		t.Fatalf("policy: %s", errs)
	}
	return p
}

func fixedClock(day string) func() time.Time {
	t, err := time.Parse(time.DateOnly, day)
	if err != nil {
		panic(err)
	}
	return func() time.Time { return t.Add(15 * time.Hour) }
}

// idents lists the violations of r as "rule service entity status".
func idents(r *Result) []string {
	var out []string
	for i := range r.Violations {
		out = append(out, strings.TrimSpace(ident(&r.Violations[i])))
	}
	return out
}

// ident identifies v as "rule service entity status", the status only when there is a baseline.
func ident(v *Violation) string {
	s := fmt.Sprintf("%s %s %s", v.Rule, v.Service, v.Entity)
	if v.Status != NoBaseline {
		s += " " + v.Status.String()
	}
	return s
}

// oneRule is a policy of one rule, r, whose body (forbid, select…) is given.
func oneRule(body string) string { return "[[rule]]\nid = \"r\"\n" + body + "\n" }

// checkRule checks inv against policy on day: the violations must be want (idents), and the check
// must pass exactly when there are none.
func checkRule(t *testing.T, inv *model.Inventory, policy, day string, want []string) {
	t.Helper()
	rep := Check(inv, nil, mustPolicy(t, policy), Options{Now: fixedClock(day)})
	if got := idents(rep); !slices.Equal(got, want) {
		t.Errorf("violations = %q, want %q", got, want)
	}
	if rep.Passed() != (len(want) == 0) {
		t.Errorf("Passed = %v with %d violations", rep.Passed(), len(want))
	}
}

func TestRules(t *testing.T) {
	inv := testinv.ParseFiles(t, "p.toml", platform)
	tests := []struct {
		name   string
		policy string
		want   []string
	}{
		{"provider spof of critical and high", oneRule(`forbid = "provider-spof"
select = { tier = ["critical", "high"] }`), []string{"r direct carrier-a", "r pbx hostco"}},
		{"spof of a kind", oneRule(`forbid = "spof"
spof_kind = "component"`), []string{"r line2 cluster-1", "r pbx cluster-1"}},
		{"any spof by id pattern", oneRule(`forbid = "spof"
select = { id = "line*" }`), []string{"r line2 carrier-a", "r line2 cluster-1", "r line2 hostco", "r line2 num-a", "r line2 pbx"}},
		// line survives either carrier; direct needs carrier-a but reaches nobody on a published number.
		{"single carrier, services", oneRule(`forbid = "single-carrier"`), []string{"r line2 carrier-a"}},
		{"single carrier, numbers", oneRule(`forbid = "single-carrier"
select = { kind = "number", published = true }`), []string{"r num-a carrier-a", "r num-b carrier-b"}},
		{"low tolerance", oneRule(`forbid = "low-tolerance"
min_tolerance = 3
select = { customer_facing = true }`), []string{"r line"}},
		{"low tolerance 2", oneRule(`forbid = "low-tolerance"
min_tolerance = 2
select = { tier = "critical" }`), []string{"r pbx"}},
		{"false redundancy", oneRule(`forbid = "false-redundancy"
select = { owner = ["voice", "sales"] }`), []string{"r pbx pbx"}},
		{"cycle", oneRule(`forbid = "cycle"
select = { tier = "low" }`), []string{"r c1", "r c2"}},
		{"missing owner", oneRule(`forbid = "missing-owner"
select = { kind = ["service", "number"] }`), []string{"r line", "r num-a", "r num-b"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkRule(t, inv, tt.policy, "2026-01-01", tt.want) })
	}
}

func TestViolationDetail(t *testing.T) {
	inv := testinv.ParseFiles(t, "p.toml", platform)
	rep := Check(inv, nil, mustPolicy(t, `
[[rule]]
id = "carrier"
forbid = "single-carrier"
[[rule]]
id = "fr"
severity = "warning"
forbid = "false-redundancy"
select = { tier = "critical" }
[[rule]]
id = "tol"
forbid = "low-tolerance"
min_tolerance = 3
select = { id = "line" }
[[rule]]
id = "cyc"
forbid = "cycle"
select = { id = "c1" }
`), Options{Now: fixedClock("2026-01-01")})
	var got []string
	for _, v := range rep.Violations {
		got = append(got, fmt.Sprintf("%s %s | %s | %s | %s", v.Severity, v.Detail, strings.Join(v.Path.IDs(), " → "), v.Cause, v.Pos))
	}
	want := []string{
		"error line2 depends only on carrier-a (single carrier of published number num-a) | line2 → num-a → carrier-a | numbers.num-a.carrier | p.toml:26:11",
		"warning any_of in runs_on of pbx is defeated by cluster-1, hostco: the failure of any one of them downs every member |  | services.pbx.runs_on | p.toml:19:11",
		"error line has tolerance 2, below 3: {app, carrier-a} take it down together |  | services.line | p.toml:34:11",
		"error c1 is in a dependency cycle: c1 → c2 → c1 | c1 → c2 | services.c1.depends_on | p.toml:49:14",
	}
	testinv.EqualLines(t, "violations", got, want)
}

const waived = `
[[rule]]
id = "provider-spof"
forbid = "provider-spof"
select = { tier = ["critical", "high"] }

[[waiver]]
rule = "provider-spof"
service = "pbx"
entity = "hostco"
reason = "migration planned"
expires = 2026-06-30

[[waiver]]
rule = "provider-spof"
service = "direct"
reason = "direct line accepted"
expires = 2099-12-31

[[waiver]]
rule = "provider-spof"
service = "lnie"
reason = "typo"
expires = 2099-12-31
`

// A waiver holds through its expires date, in the clock's day; the day after, the violation fails
// again and the waiver is reported as expired. A waiver that matches nothing is stale.
func TestWaiverExpiry(t *testing.T) {
	inv := testinv.ParseFiles(t, "p.toml", platform)
	p := mustPolicy(t, waived)
	tests := []struct {
		day     string
		passed  bool
		expired bool
	}{
		{"2026-06-29", true, false},
		{"2026-06-30", true, false},
		{"2026-07-01", false, true},
		{"2027-01-01", false, true},
	}
	for _, tt := range tests {
		t.Run(tt.day, func(t *testing.T) {
			rep := Check(inv, nil, p, Options{Now: fixedClock(tt.day)})
			if rep.Passed() != tt.passed {
				t.Errorf("Passed = %v, want %v", rep.Passed(), tt.passed)
			}
			var notes []string
			for _, n := range rep.WaiverNotes {
				notes = append(notes, fmt.Sprintf("%s %s: %s", n.Waiver.Pos, n.Severity, n.Message))
			}
			want := []string{`p.toml:20:3 warning: waiver for provider-spof on lnie matches no violation: delete it (the inventory has no entity "lnie"; did you mean "line"?)`}
			if tt.expired {
				want = append([]string{"p.toml:7:3 error: waiver for provider-spof on pbx about hostco expired on 2026-06-30: fix the violation, or renew the waiver with a later expires date"}, want...)
			}
			testinv.EqualLines(t, "notes", notes, want)
			for _, v := range rep.Violations {
				if wantWaived := v.Service == "direct" || !tt.expired; (v.Waiver != nil) != wantWaived || v.Fails == wantWaived {
					t.Errorf("%s %s: waived %v fails %v, want waived %v", v.Service, v.Entity, v.Waiver != nil, v.Fails, wantWaived)
				}
			}
		})
	}
}

// The identity of a violation is made of IDs: splitting the inventory differently, renaming its files
// and reordering its declarations changes nothing.
func TestBaselineIgnoresLayout(t *testing.T) {
	cur := testinv.ParseFiles(t, "p.toml", platform)
	blocks := strings.Split(platform, "\n[")
	slices.Reverse(blocks[1:])
	half := len(blocks) / 2
	base := testinv.ParseFiles(t,
		"old/b.toml", "["+strings.Join(blocks[1:half], "\n["),
		"old/a.toml", "["+strings.Join(blocks[half:], "\n["))
	p := Default()
	rep := Check(cur, base, p, Options{Now: fixedClock("2026-01-01"), Baseline: "old"})
	c := rep.Counts()
	if c.New != 0 || c.Fixed != 0 || c.Existing == 0 || !rep.Passed() {
		t.Errorf("counts = %+v, passed %v; want everything existing", c, rep.Passed())
	}
	strict := Check(cur, base, p, Options{Now: fixedClock("2026-01-01"), Strict: true})
	if strict.Passed() {
		t.Error("Strict: existing errors pass, want them to fail")
	}
}

// A change that adds a published number on a single carrier fails, alone, and is explained by the
// declaration it added.
func TestBaselineNewViolation(t *testing.T) {
	base := testinv.ParseFiles(t, "p.toml", platform)
	cur := testinv.ParseFiles(t, "p.toml", platform, "new.toml", `
[numbers.num-c]
number = "+33 4 66 00 00 03"
carrier = "carrier-b"
routes_to = "app"
published = true
[services.hotline]
tier = "high"
owner = "support"
depends_on = "num-c"
`)
	rep := Check(cur, base, Default(), Options{Now: fixedClock("2026-01-01"), Baseline: "main"})
	var failing []string
	for _, v := range rep.Violations {
		if v.Fails {
			failing = append(failing, fmt.Sprintf("%s %s %s: %s, introduced %v by %s at %s", v.Rule, v.Service, v.Entity, v.Detail, v.Introduced, v.Cause, v.Pos))
		}
	}
	want := []string{
		"provider-spof hotline carrier-b: hotline now depends only on carrier-b (provider SPOF), introduced true by numbers.num-c.carrier at new.toml:4:11",
		"provider-spof hotline saas: hotline now depends only on saas (provider SPOF), introduced true by numbers.num-c.routes_to at new.toml:5:13",
		"single-carrier hotline carrier-b: hotline now depends only on carrier-b (single carrier of published number num-c), introduced true by numbers.num-c.carrier at new.toml:4:11",
	}
	testinv.EqualLines(t, "failing", failing, want)
	if rep.Passed() {
		t.Error("Passed = true with new violations")
	}
	for _, v := range rep.Violations {
		if !v.Fails && v.Status != Existing {
			t.Errorf("%s %s %s: status %v, want existing", v.Rule, v.Service, v.Entity, v.Status)
		}
	}
}

// When a reference changes, the new violation points at the reference that changed, not at the end
// of the path; a violation that disappears is reported as fixed.
func TestBaselineIntroducedByChangedReference(t *testing.T) {
	twoCarriers := strings.Replace(platform, "carrier = \"carrier-a\"", "carrier = { any_of = [\"carrier-a\", \"carrier-b\"] }", 1)
	base := testinv.ParseFiles(t, "p.toml", twoCarriers)
	// The number moves to carrier-a alone, and the line to the number alone.
	cur := testinv.ParseFiles(t, "p.toml", strings.Replace(platform, `depends_on = { any_of = ["num-a", "num-b"] }`, `depends_on = "num-b"`, 1))
	rep := Check(cur, base, mustPolicy(t, `
[[rule]]
id = "carrier"
forbid = "single-carrier"
`), Options{Now: fixedClock("2026-01-01"), Baseline: "main"})
	var got []string
	for _, v := range rep.Violations {
		got = append(got, fmt.Sprintf("%s %s %s: %s at %s", v.Status, v.Service, v.Entity, v.Cause, v.Pos))
	}
	want := []string{
		"new line carrier-b: services.line.depends_on at p.toml:37:14",
		"new line2 carrier-a: numbers.num-a.carrier at p.toml:26:11",
	}
	testinv.EqualLines(t, "violations", got, want)
	back := Check(base, cur, mustPolicy(t, "[[rule]]\nid = \"carrier\"\nforbid = \"single-carrier\"\n"), Options{Now: fixedClock("2026-01-01"), Baseline: "main"})
	var fixed []string
	for _, f := range back.Fixed {
		fixed = append(fixed, f.Detail)
	}
	if want := []string{"line no longer depends only on carrier-b", "line2 no longer depends only on carrier-a"}; !slices.Equal(fixed, want) {
		t.Errorf("fixed = %q, want %q", fixed, want)
	}
}

// An empty baseline (the inventory is being added) makes every violation new.
func TestEmptyBaseline(t *testing.T) {
	rep := Check(testinv.ParseFiles(t, "p.toml", platform), model.New(nil, nil), Default(), Options{Now: fixedClock("2026-01-01"), Baseline: "main"})
	c := rep.Counts()
	if c.Existing != 0 || c.New != len(rep.Violations) || c.New == 0 {
		t.Errorf("counts = %+v", c)
	}
	for _, v := range rep.Violations {
		if !v.Introduced {
			t.Errorf("%s %s: not explained by an introduced declaration", v.Rule, v.Service)
		}
	}
}

func TestCheckSelection(t *testing.T) {
	inv := testinv.ParseFiles(t, "p.toml", platform)
	p := mustPolicy(t, `
[[rule]]
id = "a"
forbid = "cycle"
select = { id = ["pbx", "lien", "num-a", "*-x"] }
`)
	var got []string
	for _, d := range p.CheckSelection(inv) {
		got = append(got, d.String())
	}
	want := []string{
		`p.toml:5:25: error: rule a selects unknown entity "lien"; did you mean "line"?`,
		`p.toml:5:33: error: rule a selects num-a, a number, but only selects kind service: add kind = "number" to its select`,
	}
	testinv.EqualLines(t, "CheckSelection", got, want)
	if d := Default().CheckSelection(inv); d.HasErrors() {
		t.Errorf("default policy: %v", d)
	}
}

// The change can be off the path shown: line needs num-a or num-b, and num-b moves to carrier-a, the
// carrier of num-a. The path goes through num-a, untouched; the declaration to blame is num-b's. Both
// numbers on one carrier is what single-carrier forbids, though neither number alone is a SPOF.
func TestBaselineIntroducedOffPath(t *testing.T) {
	base := testinv.ParseFiles(t, "p.toml", platform)
	cur := testinv.ParseFiles(t, "p.toml", strings.Replace(platform, `carrier = "carrier-b"`, `carrier = "carrier-a"`, 1))
	rep := Check(cur, base, Default(), Options{Now: fixedClock("2026-01-01"), Baseline: "main"})
	var got []string
	for _, v := range rep.Violations {
		if v.Status == New {
			got = append(got, fmt.Sprintf("%s %s %s: %s | introduced %v by %s at %s", v.Rule, v.Service, v.Entity, strings.Join(v.Path.IDs(), " → "), v.Introduced, v.Cause, v.Pos))
		}
	}
	want := []string{
		"provider-spof line carrier-a: line → num-a → carrier-a | introduced true by numbers.num-b.carrier at p.toml:31:11",
		"single-carrier line carrier-a: line → num-a → carrier-a | introduced true by numbers.num-b.carrier at p.toml:31:11",
		// The any_of of the two numbers is now defeated by carrier-a: a warning, same cause.
		"false-redundancy line line:  | introduced true by numbers.num-b.carrier at p.toml:31:11",
	}
	testinv.EqualLines(t, "new violations", got, want)
}
