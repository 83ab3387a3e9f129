package policy

import (
	"fmt"

	"github.com/spofhq/spof/internal/tomldoc"
)

// DefaultText is the built-in policy, as `spof check --print-policy` prints it: a valid policy file to
// start from. Keep docs/check.md in sync.
const DefaultText = `# spof check: built-in policy (printed by spof check --print-policy).
#
# Copy this file to spof-policy.toml at the root of the inventory to change it. A spof-policy.toml
# that declares no [[rule]] keeps these rules and only adds its [[waiver]] entries.
#
# forbid: provider-spof, spof (spof_kind = [...] to count some kinds only), single-carrier,
#         low-tolerance (with min_tolerance = N), false-redundancy, cycle, missing-owner,
#         low-availability (with min_availability = 0.999), slo-missed,
#         untested-redundancy (with untested_after = "180d"), incident-recurrence, blind-spot
#         (detection, docs/detection.md). Low-availability, slo-missed and untested-redundancy rest on
#         availability figures, often defaults (docs/availability.md): none is built in.
# select: id (IDs or patterns like "*-line"), kind (default "service"), tier, tag, owner,
#         customer_facing, published. Every key given must match; within a list, any value.

# The incident spof was written after: one hosting provider and one carrier could each cut off the
# customer support line on their own.
[[rule]]
id = "provider-spof"
severity = "error"
forbid = "provider-spof"
message = "critical and high services must survive the failure of any single provider"
select = { tier = ["critical", "high"] }

# A service reached on published numbers must stay reachable when one carrier fails: a second number on
# another carrier, or a number that two carriers deliver.
[[rule]]
id = "single-carrier"
severity = "error"
forbid = "single-carrier"
message = "customers must still reach the service on a published number when one carrier fails"

# Each incident recorded in the inventory ([incidents.<id>], docs/incidents.md) is a regression test:
# replayed on the inventory, its failure must not take down again a service it impacted, nor any
# critical service. A waiver names the incident as its entity.
[[rule]]
id = "incident-recurrence"
severity = "error"
forbid = "incident-recurrence"
message = "a past incident must not take down again the services it impacted, nor any critical service"

# Detection must survive what it detects: during the incident the monitoring went down with the
# telephony it watched, and customers found the outage first. Judged once the inventory declares a
# monitoring service (role = "monitoring"); a waiver's entity names a failure of two as "a+b".
[[rule]]
id = "blind-spot"
severity = "error"
forbid = "blind-spot"
message = "a failure that takes a critical service down must not take down everything that watches it"
select = { tier = ["critical"] }

[[rule]]
id = "false-redundancy"
severity = "warning"
forbid = "false-redundancy"
message = "redundancy that a single failure defeats is not redundancy"
select = { tier = ["critical", "high"] }

[[rule]]
id = "missing-owner"
severity = "warning"
forbid = "missing-owner"
message = "critical and high services need an owner to call during an incident"
select = { tier = ["critical", "high"] }
`

// Default returns the built-in policy, parsed from DefaultText; its Source is "".
func Default() *Policy {
	doc, diags := tomldoc.Decode(tomldoc.Source{Name: "built-in policy", Data: []byte(DefaultText)})
	if diags != nil {
		panic(fmt.Sprintf("built-in policy: %v", diags)) // a test parses DefaultText: unreachable
	}
	l := &loader{doc: doc}
	p := &Policy{Rules: l.rules(doc.Data["rule"]), BuiltinRules: true}
	if l.diags != nil {
		panic(fmt.Sprintf("built-in policy: %v", l.diags))
	}
	return p
}
