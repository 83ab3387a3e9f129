package policy

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/spofhq/spof/internal/testinv"
)

// The incident of these tests: hostco failed, and the PBX and the line were observed down. The line
// now survives on its backup number; line2 was not observed down and is not critical; the PBX is.
const incident = `
[incidents.big-one]
title = "hostco outage"
started = 2026-06-18T07:40:00+02:00
ended = 2026-06-18T11:05:00+02:00
failed = ["hostco"]
impacted = ["line", "pbx"]
`

const recurrence = `
[[rule]]
id = "incident-recurrence"
forbid = "incident-recurrence"
`

// details lists the violations of r as "ident | detail | path | cause | position".
func details(r *Result) []string {
	var out []string
	for i := range r.Violations {
		v := &r.Violations[i]
		out = append(out, fmt.Sprintf("%s | %s | %s | %s | %s", ident(v), v.Detail, strings.Join(v.Path.IDs(), " → "), v.Cause, v.Pos))
	}
	return out
}

func TestIncidentRecurrence(t *testing.T) {
	// line survives hostco on num-b: the incident does not recur for it. pbx does: impacted and
	// critical. line2 goes down (num-a routes to pbx) but was not impacted and is medium.
	inv := testinv.ParseFiles(t, "p.toml", platform, "i.toml", incident)
	rep := Check(inv, nil, mustPolicy(t, recurrence), Options{Now: fixedClock("2026-11-25")})
	want := []string{
		"incident-recurrence pbx big-one | incident big-one (hostco failed) would take pbx down again | pbx → pbx-01 → cluster-1 → hostco | incidents.big-one | i.toml:2:12",
	}
	testinv.EqualLines(t, "violations", details(rep), want)
	if rep.Passed() {
		t.Error("the check passes with a recurring incident")
	}

	// A critical service the incident did not impact counts too; a service that failed itself does not.
	more := strings.Replace(incident, `failed = ["hostco"]`, `failed = ["hostco", "line"]`, 1) +
		"[services.hotline]\ntier = \"critical\"\ndepends_on = \"num-a\"\n"
	rep = Check(testinv.ParseFiles(t, "p.toml", platform, "i.toml", more), nil, mustPolicy(t, recurrence), Options{Now: fixedClock("2026-11-25")})
	want = []string{
		"incident-recurrence hotline big-one | incident big-one (hostco, line failed) would take critical service hotline down, which it did not take down then | hotline → num-a → pbx → pbx-01 → cluster-1 → hostco | incidents.big-one | i.toml:2:12",
		"incident-recurrence pbx big-one | incident big-one (hostco, line failed) would take pbx down again | pbx → pbx-01 → cluster-1 → hostco | incidents.big-one | i.toml:2:12",
	}
	testinv.EqualLines(t, "violations", details(rep), want)
}

func TestIncidentRecurrenceWaived(t *testing.T) {
	inv := testinv.ParseFiles(t, "p.toml", platform, "i.toml", incident)
	p := mustPolicy(t, recurrence+`
[[waiver]]
rule = "incident-recurrence"
service = "pbx"
entity = "big-one"
reason = "the PBX moves to two providers next quarter"
expires = 2027-03-31
`)
	rep := Check(inv, nil, p, Options{Now: fixedClock("2026-11-25")})
	if !rep.Passed() || len(rep.Violations) != 1 || rep.Violations[0].Waiver == nil {
		t.Fatalf("waived recurrence: passed %v, %s", rep.Passed(), details(rep))
	}
}

// With a baseline, only a recurrence that the change brings back fails, positioned at the reference
// that brought it back; the records are the current ones on both sides.
func TestIncidentRecurrenceBaseline(t *testing.T) {
	base := testinv.ParseFiles(t, "p.toml", platform, "i.toml", incident)
	// The change moves the backup number onto the PBX: the line goes down with hostco again.
	changed := strings.Replace(platform, "carrier = \"carrier-b\"\nroutes_to = \"app\"", "carrier = \"carrier-b\"\nroutes_to = \"pbx\"", 1)
	if changed == platform {
		t.Fatal("the change did not apply")
	}
	cur := testinv.ParseFiles(t, "p.toml", changed, "i.toml", incident)
	rep := Check(cur, base, mustPolicy(t, recurrence), Options{Now: fixedClock("2026-11-25")})
	want := []string{
		"incident-recurrence line big-one new | incident big-one (hostco failed) now takes line down again (incident recorded at i.toml:2:12) | line → num-a → pbx → pbx-01 → cluster-1 → hostco | numbers.num-b.routes_to | p.toml:32:13",
		"incident-recurrence pbx big-one existing | incident big-one (hostco failed) would take pbx down again | pbx → pbx-01 → cluster-1 → hostco | incidents.big-one | i.toml:2:12",
	}
	testinv.EqualLines(t, "violations", details(rep), want)
	if c := rep.Counts(); c.Failing != 1 || !rep.Violations[0].Introduced {
		t.Errorf("failing = %d, introduced = %v; want the new recurrence only, introduced by the change", c.Failing, rep.Violations[0].Introduced)
	}

	// Recording the incident with the change does not make the recurrence the baseline already had
	// look new: both sides replay the current records.
	rep = Check(cur, testinv.ParseFiles(t, "p.toml", changed), mustPolicy(t, recurrence), Options{Now: fixedClock("2026-11-25")})
	if got := idents(rep); !slices.Equal(got, []string{"incident-recurrence line big-one existing", "incident-recurrence pbx big-one existing"}) {
		t.Errorf("violations = %q, want both existing", got)
	}

	// Undoing the change fixes the line's recurrence.
	rep = Check(base, cur, mustPolicy(t, recurrence), Options{Now: fixedClock("2026-11-25")})
	if len(rep.Fixed) != 1 || rep.Fixed[0].Detail != "incident big-one would no longer take line down" {
		t.Errorf("fixed = %+v", rep.Fixed)
	}
}

func TestIncidentRecurrenceServicesOnly(t *testing.T) {
	_, errs := parsePolicy(t, recurrence+`select = { kind = "number" }`)
	if want := `forbid = "incident-recurrence" applies to services only`; !strings.Contains(errs, want) {
		t.Errorf("errors = %q, want %q", errs, want)
	}
}
