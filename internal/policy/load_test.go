package policy

import (
	"slices"
	"strings"
	"testing"

	"github.com/spofhq/spof/internal/diag"
	"github.com/spofhq/spof/internal/inventory"
)

func parsePolicy(t *testing.T, text string) (*Policy, string) {
	t.Helper()
	p, diags := Parse(inventory.Source{Name: "p.toml", Data: []byte(text)})
	var b strings.Builder
	for _, d := range diags {
		b.WriteString(d.String())
		b.WriteByte('\n')
	}
	return p, b.String()
}

// The built-in policy, as --print-policy prints it, is a valid policy file with the same rules.
func TestDefaultTextParses(t *testing.T) {
	p, errs := parsePolicy(t, DefaultText)
	if errs != "" {
		t.Fatalf("Parse(DefaultText):\n%s", errs)
	}
	if p.BuiltinRules {
		t.Error("BuiltinRules = true for a file that declares rules")
	}
	def := Default()
	if len(p.Rules) != len(def.Rules) || len(p.Rules) == 0 {
		t.Fatalf("%d rules, Default has %d", len(p.Rules), len(def.Rules))
	}
	for i := range p.Rules {
		a, b := p.Rules[i], def.Rules[i]
		if a.ID != b.ID || a.Forbid != b.Forbid || a.Severity != b.Severity || a.Message != b.Message || !slices.Equal(a.Select.Tiers, b.Select.Tiers) {
			t.Errorf("rule %d: parsed %+v, default %+v", i, a, b)
		}
	}
}

func TestWaiverOnlyFileKeepsBuiltinRules(t *testing.T) {
	p, errs := parsePolicy(t, `
[[waiver]]
rule = "provider-spof"
service = "pbx"
reason = "migration planned"
expires = 2027-01-31
`)
	if errs != "" {
		t.Fatal(errs)
	}
	if !p.BuiltinRules || len(p.Rules) != len(Default().Rules) {
		t.Errorf("BuiltinRules = %v with %d rules, want the built-in rules", p.BuiltinRules, len(p.Rules))
	}
	w := p.Waivers[0]
	if w.Expires.Format("2006-01-02") != "2027-01-31" || w.Pos.Line != 2 || w.Entity != "" {
		t.Errorf("waiver = %+v", w)
	}
}

func TestParseRule(t *testing.T) {
	p, errs := parsePolicy(t, `
[[rule]]
id = "no-vm-spof"
forbid = "spof"
spof_kind = ["vm", "component"]
[rule.select]
id = ["*-line", "pbx"]
kind = ["service", "number"]
tag = "voice"
owner = ["Équipe téléphonie"]
customer_facing = true
published = false

[[rule]]
id = "tolerance"
severity = "warning"
forbid = "low-tolerance"
min_tolerance = 3
`)
	if errs != "" {
		t.Fatal(errs)
	}
	r := p.Rules[0]
	if r.Severity != diag.Error || r.Message != defaultMessage(AnySPOF) || len(r.Kinds) != 2 {
		t.Errorf("rule 0 = %+v", r)
	}
	s := r.Select
	if !slices.Equal(s.IDs, []string{"*-line", "pbx"}) || len(s.Kinds) != 2 || !slices.Equal(s.Tags, []string{"voice"}) ||
		s.CustomerFacing == nil || !*s.CustomerFacing || s.Published == nil || *s.Published {
		t.Errorf("select = %+v", s)
	}
	if p.Rules[1].MinTolerance != 3 || p.Rules[1].Severity != diag.Warning || p.maxOrder() != 2 {
		t.Errorf("rule 1 = %+v, maxOrder %d", p.Rules[1], p.maxOrder())
	}
}

// Every mistake in a policy file is reported with its position, all at once, sorted by line.
func TestParseErrors(t *testing.T) {
	tests := []struct{ name, text, want string }{
		{"syntax", "[[rule]\nid = 1\n", "p.toml:1:7: error: invalid TOML: expected end of table array name delimiter ']', but got '\\n' instead\n"},
		{"top key", "rules = []\n", "p.toml:1:1: error: unknown key \"rules\" in policy; did you mean \"rule\"?\n"},
		{"empty rules", "rule = []\n", "p.toml:1:1: error: rule is empty: declare at least one [[rule]], or leave rule out to keep the built-in rules\n"},
		{"rule key", "[[rule]]\nid = \"a\"\nforbids = \"cycle\"\nforbid = \"cycle\"\n",
			"p.toml:3:1: error: unknown key \"forbids\" in rule; did you mean \"forbid\"?\n"},
		{"no id no forbid", "[[rule]]\nseverity = \"error\"\n",
			"p.toml:1:3: error: rule has no forbid: want one of provider-spof, spof, single-carrier, low-tolerance, false-redundancy, cycle, missing-owner, low-availability, slo-missed, untested-redundancy, incident-recurrence, blind-spot\n" +
				"p.toml:1:3: error: rule has no id: give it one, e.g. id = \"no-provider-spof\"\n"},
		{"bad id", "[[rule]]\nid = \"No SPOF\"\nforbid = \"cycle\"\n",
			"p.toml:2:6: error: invalid rule id \"No SPOF\": ids are lower-case letters, digits, '.', '_' and '-', starting with a letter or digit\n"},
		{"reserved id", "[[rule]]\nid = \"stale-waiver\"\nforbid = \"cycle\"\n",
			"p.toml:2:6: error: rule id \"stale-waiver\" is reserved for waiver problems: choose another\n"},
		{"duplicate id", "[[rule]]\nid = \"a\"\nforbid = \"cycle\"\n[[rule]]\nid = \"a\"\nforbid = \"missing-owner\"\n",
			"p.toml:5:6: error: duplicate rule id \"a\", first declared at p.toml:2:6\n"},
		{"forbid", "[[rule]]\nid = \"a\"\nforbid = \"provider_spof\"\n",
			"p.toml:3:10: error: unknown forbid \"provider_spof\": want one of provider-spof, spof, single-carrier, low-tolerance, false-redundancy, cycle, missing-owner, low-availability, slo-missed, untested-redundancy, incident-recurrence, blind-spot; did you mean \"provider-spof\"?\n"},
		{"severity", "[[rule]]\nid = \"a\"\nforbid = \"cycle\"\nseverity = \"fatal\"\n",
			"p.toml:4:12: error: invalid severity \"fatal\": want error or warning\n"},
		{"select", "[[rule]]\nid = \"a\"\nforbid = \"cycle\"\nselect = { tiers = \"high\", tier = [\"hihg\"], kind = \"services\", customer_facing = \"yes\", id = [] }\n",
			"p.toml:4:12: error: unknown key \"tiers\" in select; did you mean \"tier\"?\n" +
				"p.toml:4:36: error: invalid tier \"hihg\": want one of critical, high, medium, low; did you mean \"high\"?\n" +
				"p.toml:4:52: error: unknown kind \"services\": want one of provider, service, number, vm, component; did you mean \"service\"?\n" +
				"p.toml:4:82: error: customer_facing must be a boolean (true or false), not a string\n" +
				"p.toml:4:94: error: id is empty: leave it out to match everything\n"},
		{"select type", "[[rule]]\nid = \"a\"\nforbid = \"cycle\"\nselect = \"critical\"\n",
			"p.toml:4:10: error: select must be a table, like select = { tier = [\"critical\"] }, not a string\n"},
		{"spof_kind elsewhere", "[[rule]]\nid = \"a\"\nforbid = \"provider-spof\"\nspof_kind = \"vm\"\n",
			"p.toml:4:1: error: spof_kind applies to forbid = \"spof\" only\n"},
		{"tolerance missing", "[[rule]]\nid = \"a\"\nforbid = \"low-tolerance\"\n",
			"p.toml:1:3: error: rule \"a\" forbids low-tolerance but has no min_tolerance: give the smallest tolerance accepted, e.g. min_tolerance = 2\n"},
		{"tolerance range", "[[rule]]\nid = \"a\"\nforbid = \"low-tolerance\"\nmin_tolerance = 1\n",
			"p.toml:4:17: error: min_tolerance = 1 is out of range: want 2 to 7 (every service tolerates 0 failures, and larger cut sets are not searched)\n"},
		{"availability missing", "[[rule]]\nid = \"a\"\nforbid = \"low-availability\"\n",
			"p.toml:1:3: error: rule \"a\" forbids low-availability but has no min_availability: give the smallest availability accepted, e.g. min_availability = 0.999\n"},
		{"availability range and type", "[[rule]]\nid = \"a\"\nforbid = \"low-availability\"\nmin_availability = 1.0\n[[rule]]\nid = \"b\"\nforbid = \"low-availability\"\nmin_availability = \"99.9%\"\n",
			"p.toml:4:20: error: min_availability = 1 is out of range: want a number between 0 and 1, like 0.999\n" +
				"p.toml:8:20: error: min_availability must be a number like 0.999, not a string\n"},
		{"availability elsewhere", "[[rule]]\nid = \"a\"\nforbid = \"slo-missed\"\nmin_availability = 0.999\nuntested_after = \"180d\"\n",
			"p.toml:4:1: error: min_availability applies to forbid = \"low-availability\" only\n" +
				"p.toml:5:1: error: untested_after applies to forbid = \"untested-redundancy\" only\n"},
		{"untested after", "[[rule]]\nid = \"a\"\nforbid = \"untested-redundancy\"\n[[rule]]\nid = \"b\"\nforbid = \"untested-redundancy\"\nuntested_after = \"6 months\"\n",
			"p.toml:1:3: error: rule \"a\" forbids untested-redundancy but has no untested_after: give the age after which a failover drill no longer counts, e.g. untested_after = \"180d\"\n" +
				"p.toml:7:18: error: untested_after: invalid age \"6 months\": want a number of days or hours, like 180d or 36h\n"},
		{"services only", "[[rule]]\nid = \"a\"\nforbid = \"slo-missed\"\nselect = { kind = [\"service\", \"vm\"] }\n",
			"p.toml:4:10: error: forbid = \"slo-missed\" applies to services only: remove kind from select\n"},
		{"waiver", "[[waiver]]\nrule = \"provider-spof\"\nservice = \"pbx\"\nexpires = \"2027-01-01\"\n[[waiver]]\nrule = \"provider-spf\"\nservice = \"pbx\"\nreason = \"x\"\nexpires = 2027-01-01T10:00:00Z\n",
			"p.toml:1:3: error: waiver has no reason: say why the debt is accepted, so that the next reviewer knows\n" +
				"p.toml:4:11: error: expires must be a date like 2027-06-30, not the string \"2027-01-01\" (write the date without quotes)\n" +
				"p.toml:6:8: error: waiver names unknown rule \"provider-spf\"; did you mean \"provider-spof\"?\n" +
				"p.toml:9:11: error: expires must be a date like 2027-06-30, not a date-time\n"},
		{"waiver on a built-in rule the policy replaced", "[[rule]]\nid = \"x\"\nforbid = \"cycle\"\n[[waiver]]\nrule = \"provider-spof\"\nservice = \"pbx\"\nreason = \"r\"\nexpires = 2027-01-01\n",
			"p.toml:5:8: error: waiver names unknown rule \"provider-spof\"; it is a built-in rule, and a policy that declares [[rule]] tables keeps none of the built-in ones: copy its [[rule]] from spof check --print-policy, or remove the waiver\n"},
		{"waiver on a rule declared with a mistake", "[[rule]]\nid = \"x\"\nforbid = \"spoff\"\n[[waiver]]\nrule = \"x\"\nservice = \"pbx\"\nreason = \"r\"\nexpires = 2027-01-01\n[[waiver]]\nrule = \"zzz\"\nservice = \"pbx\"\nreason = \"r\"\nexpires = 2027-01-01\n",
			"p.toml:3:10: error: unknown forbid \"spoff\": want one of provider-spof, spof, single-carrier, low-tolerance, false-redundancy, cycle, missing-owner, low-availability, slo-missed, untested-redundancy, incident-recurrence, blind-spot; did you mean \"spof\"?\n" +
				"p.toml:10:8: error: waiver names unknown rule \"zzz\"; want x\n"},
		{"waiver on an inline rule declared with a mistake", "rule = [{ id = \"x\", forbid = \"spoff\" }]\n[[waiver]]\nrule = \"x\"\nservice = \"pbx\"\nreason = \"r\"\nexpires = 2027-01-01\n",
			"p.toml:1:30: error: unknown forbid \"spoff\": want one of provider-spof, spof, single-carrier, low-tolerance, false-redundancy, cycle, missing-owner, low-availability, slo-missed, untested-redundancy, incident-recurrence, blind-spot; did you mean \"spof\"?\n"},
		{"duplicate of a rule with a mistake", "[[rule]]\nid = \"x\"\nforbid = \"spoff\"\n[[rule]]\nid = \"x\"\nforbid = \"cycle\"\n",
			"p.toml:3:10: error: unknown forbid \"spoff\": want one of provider-spof, spof, single-carrier, low-tolerance, false-redundancy, cycle, missing-owner, low-availability, slo-missed, untested-redundancy, incident-recurrence, blind-spot; did you mean \"spof\"?\n" +
				"p.toml:5:6: error: duplicate rule id \"x\", first declared at p.toml:2:6\n"},
		{"waiver on another rule", "[[rule]]\nid = \"x\"\nforbid = \"cycle\"\n[[rule]]\nid = \"y\"\nforbid = \"cycle\"\n[[waiver]]\nrule = \"zzz\"\nservice = \"pbx\"\nreason = \"r\"\nexpires = 2027-01-01\n",
			"p.toml:8:8: error: waiver names unknown rule \"zzz\"; want x, y\n"},
		{"duplicate waiver", "[[waiver]]\nrule = \"missing-owner\"\nservice = \"ivr\"\nreason = \"x\"\nexpires = 2027-01-01\n[[waiver]]\nrule = \"missing-owner\"\nservice = \"ivr\"\nreason = \"y\"\nexpires = 2028-01-01\n",
			"p.toml:6:3: error: duplicate waiver for rule missing-owner on ivr, first at p.toml:1:3\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, errs := parsePolicy(t, tt.text)
			if errs != tt.want {
				t.Errorf("Parse:\n%s\nwant:\n%s", errs, tt.want)
			}
			if p != nil {
				t.Error("Parse returned a policy along with errors")
			}
		})
	}
}

func TestLoadMissingFile(t *testing.T) {
	_, diags := Load("no/such/policy.toml")
	if got, want := diags.Error(), "no/such/policy.toml: error: cannot read policy: no such file or folder"; got != want {
		t.Errorf("Load = %q, want %q", got, want)
	}
}
