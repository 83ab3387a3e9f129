package review

import (
	"fmt"
	"strings"
	"testing"

	"github.com/spofhq/spof/internal/testinv"
)

// tinyAvail has known availabilities, computed by hand below.
//
// web, a, b, p and api are the 5 entities of the closures of the services shown (side is low).
// web = p · (1 − qa·qb) = 0.999 · (1 − 0.01²) = 0.9989001: downtime 0.0010999 · 525,600 = 578.107 min,
// against 525.6 allowed by its SLO of 99.9%: missed by 52.507. Fussell-Vesely of p is
// qp·I_B(p)/U = 0.001 · 0.9999 / 0.0010999 = 90.9%, of a (and b) 0.01 · (0.999 · 0.01) / 0.0010999 = 9.1%;
// one more nine on p saves 0.9 · 0.001 · 0.9999 · 525,600 = 473.0 min, on a 0.9 · 0.01 · 0.00999 ·
// 525,600 = 47.3. The rule of the extra nine asks 99.99% of each SPOF: p, at 99.9%, fails it.
//
// api has no availability: the built-in 99.9% for services (assumed). api = 0.999 · 0.999 = 0.998001:
// downtime 0.001999 · 525,600 = 1050.674 min, its SLO of 99% allows 5256: met with 4205.3 to spare;
// its SPOFs need 99.9% and p has it. One more nine on p saves 0.9 · 0.001 · 0.999 · 525,600 = 472.6
// min of api's downtime, 945.6 in all with web's; on api itself 472.6, the same share as p (0.001 · 0.999 /
// 0.001999 = 50.0%): they tie and are listed by ID.
const tinyAvail = `
[providers.p]
availability = 0.999

[vms.a]
provider = "p"
availability = 0.99
[vms.b]
provider = "p"
availability = 0.99

[services.web]
tier = "critical"
slo = 0.999
availability = 1
runs_on = { any_of = ["a", "b"] }

[services.api]
tier = "critical"
slo = 0.99
depends_on = "p"

[services.side]
tier = "low"
depends_on = "api"
`

func TestAvailabilitySection(t *testing.T) {
	doc := Build(testinv.Parse(t, tinyAvail), Options{Source: "tiny"})
	md := markdownOf(t, doc)
	for _, want := range []string{
		"- [Availability and SLOs](#availability-and-slos)\n  - [Where the downtime comes from](#where-the-downtime-comes-from)\n" +
			"  - [What to improve first](#what-to-improve-first)\n  - [The rule of the extra nine](#the-rule-of-the-extra-nine)\n",
		// The headline: only web misses its SLO.
		"- The critical service [`web`](#web) misses its SLO: 99.89% expected against 99.9%, 578.1 min/year of downtime " +
			"where 525.6 are allowed; most of it from `p`, `a` (see [Availability and SLOs](#availability-and-slos)).\n",
		// By tier, the missed SLO first.
		"| [`web`](#web) | **critical** | 99.89% | exact | 578.1 | 99.9% **missed** | −52.5 | *–* |\n" +
			"| [`api`](#api) | **critical** | 99.8% | exact | 1050.7 | 99% met | +4205.3 | 1 of 2 |\n",
		"***Assumed figures:** 1 of the 5 entities these services depend on (themselves included) state no availability of their own; " +
			"their figure is the inventory's \\[defaults\\] or spof's built-in default for their kind: [`api`](#api).",
		"| [`web`](#web) | `p` | provider | 99.9% | 90.9% | 0.9999 | 473.0 |\n" +
			"|   | `a` | VM | 99% | 9.1% | 0.00999 | 47.3 |\n" +
			"|   | `b` | VM | 99% | 9.1% | 0.00999 | 47.3 |\n" +
			"| [`api`](#api) | [`api`](#api) | service | 99.9% *(assumed)* | 50.0% | 0.999 | 472.6 |\n" +
			"|   | `p` | provider | 99.9% | 50.0% | 0.999 | 472.6 |\n",
		"| 1 | `p` | provider | 99.9% | **945.6** | [`api`](#api), [`web`](#web) |\n" +
			"| 2 | [`api`](#api) | service | 99.9% *(assumed)* | **472.6** | [`api`](#api) |\n" +
			"| 3 | `a` | VM | 99% | **47.3** | [`web`](#web) |\n" +
			"| 4 | `b` | VM | 99% | **47.3** | [`web`](#web) |\n",
		"| [`web`](#web) | 99.9% | 99.99% | `p` 99.9% |\n",
		"**Availability:** 99.89%, 578.1 min/year expected downtime; SLO 99.9% **missed** by 52.5 min/year ([details](#availability-and-slos)).",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("the report lacks\n%s", want)
		}
	}
	if strings.Contains(md, "| [`api`](#api) | 99% |") {
		t.Error("api's SPOF p meets the extra nine of a 99% SLO, yet is listed")
	}
	// The low service is not shown: the section leaves it out.
	sec := md[strings.Index(md, "## Availability and SLOs"):strings.Index(md, "## Findings")]
	if strings.Contains(sec, "`side`") {
		t.Error("the availability section shows a service the report does not detail")
	}
}

// TestBoundedAvailabilityLine checks the line of a service whose availability is a guaranteed
// interval: it says why it is bounded, and never that it was sampled (it was not).
func TestBoundedAvailabilityLine(t *testing.T) {
	var b strings.Builder
	b.WriteString("[services.q]\ntier = \"critical\"\ndepends_on = { at_least = 60, of = [")
	for i := range 120 { // a quorum whose diagram outgrows the default node budget
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "\"v%03d\"", i)
	}
	b.WriteString("] }\n")
	for i := range 120 {
		fmt.Fprintf(&b, "[vms.v%03d]\n", i)
	}
	md := markdownOf(t, Build(testinv.Parse(t, b.String()), Options{Source: "quorum"}))
	want := "% (bounds: a diagram outgrew the node budget), "
	if line := lineWith(md, "**Availability:**"); !strings.Contains(line, want) || strings.Contains(line, "sampled") {
		t.Errorf("the availability line of a bounded service is\n%s\nwant it to contain %q and not \"sampled\"", line, want)
	}
}

// lineWith returns the first line of s that contains sub, "" when none does.
func lineWith(s, sub string) string {
	for line := range strings.Lines(s) {
		if strings.Contains(line, sub) {
			return line
		}
	}
	return ""
}
