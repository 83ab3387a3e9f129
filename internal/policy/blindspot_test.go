package policy

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/spofhq/spof/internal/testinv"
)

// watched is a platform whose critical PBX is watched by a monitoring service on the same hosting
// provider (a blind spot of one failure), whose critical line is only seen through a probe that goes
// down with a pair of failures (a blind spot of two), and whose critical CRM nothing watches.
const watched = `
[providers.hostco]
[providers.mailco]
[vms.pbx-01]
provider = "hostco"
[vms.pbx-02]
provider = "hostco"
[vms.mon-01]
provider = "hostco"
[services.pbx]
tier = "critical"
runs_on = { any_of = ["pbx-01", "pbx-02"] }
[services.line]
tier = "critical"
depends_on = { any_of = ["pbx", "backup"] }
[services.backup]
depends_on = "mailco"
[services.crm]
tier = "critical"
[services.mail]
role = "alerting"
depends_on = "mailco"
[services.monitoring]
runs_on = "mon-01"
depends_on = "mail"
watches = ["pbx"]
[services.probe]
depends_on = { any_of = ["mail", "pbx"] }
watches = ["line"]
`

func TestBlindSpotRule(t *testing.T) {
	inv := testinv.ParseFiles(t, "p.toml", watched)
	rep := Check(inv, nil, Default(), Options{Now: fixedClock("2026-01-01")})
	var got []string
	for _, v := range rep.Violations {
		if v.Rule == "blind-spot" {
			got = append(got, fmt.Sprintf("%s %s | %s | %s | %s", v.Entity, v.Detail, strings.Join(v.Path.IDs(), " → "), v.Cause, v.Pos))
		}
	}
	want := []string{
		" critical service crm is not watched: no monitoring service watches it or anything it depends on, so no failure that takes it down is seen |  | services.crm | p.toml:18:11",
		"hostco+mailco line has a blind spot: hostco and mailco together take down line unseen (line → backup → mailco): monitoring goes down with it (monitoring → mail → mailco); probe goes down with it (probe → mail → mailco) | line → backup → mailco | services.mail.depends_on | p.toml:22:14",
		"mailco+pbx line has a blind spot: mailco and pbx together take down line unseen (line → pbx): monitoring goes down with it (monitoring → mail → mailco); probe goes down with it (probe → pbx) | line → pbx | services.mail.depends_on | p.toml:22:14",
		"hostco pbx has a blind spot: hostco takes down pbx unseen (pbx → pbx-01 → hostco): monitoring goes down with it (monitoring → mon-01 → hostco) | pbx → pbx-01 → hostco | vms.mon-01.provider | p.toml:9:12",
	}
	testinv.EqualLines(t, "violations", got, want)
	if rep.Passed() {
		t.Error("the check passes with blind spots")
	}

	// Waivers name a failure of two by its IDs joined with "+", in either order.
	p := mustPolicy(t, `
[[waiver]]
rule = "blind-spot"
service = "line"
entity = "hostco+mailco"
reason = "accepted"
expires = 2027-01-01
[[waiver]]
rule = "blind-spot"
service = "line"
entity = "pbx+mailco"
reason = "accepted"
expires = 2027-01-01
`)
	rep = Check(inv, nil, p, Options{Now: fixedClock("2026-01-01")})
	for _, v := range rep.Violations {
		if v.Rule == "blind-spot" && v.Service == "line" && v.Waiver == nil {
			t.Errorf("violation %s of line not waived", v.Entity)
		}
	}

	// An inventory without monitoring service is not judged.
	inv = testinv.ParseFiles(t, "p.toml", strings.ReplaceAll(strings.ReplaceAll(watched, "watches = [\"pbx\"]", ""), "watches = [\"line\"]", ""))
	rep = Check(inv, nil, Default(), Options{Now: fixedClock("2026-01-01")})
	for _, v := range rep.Violations {
		if v.Rule == "blind-spot" {
			t.Errorf("violation %s %s without any monitoring service", v.Service, v.Entity)
		}
	}
}

// TestBlindSpotFixed checks the baseline comparison: the blind spot that a probe outside the provider
// removes is fixed, and one that a change introduces is new.
func TestBlindSpotFixed(t *testing.T) {
	base := testinv.ParseFiles(t, "p.toml", watched)
	cur := testinv.ParseFiles(t, "p.toml", watched+`
[providers.obsco]
[services.outside]
depends_on = ["obsco", "mail"]
watches = ["pbx-01"]
`)
	rep := Check(cur, base, Default(), Options{Now: fixedClock("2026-01-01")})
	var fixed []string
	for _, f := range rep.Fixed {
		fixed = append(fixed, f.Rule+" "+f.Service+" "+f.Entity+": "+f.Detail)
	}
	if want := []string{"blind-spot pbx hostco: pbx no longer has the blind spot hostco"}; !slices.Equal(fixed, want) {
		t.Errorf("fixed = %q, want %q", fixed, want)
	}
}
