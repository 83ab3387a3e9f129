package analysis

import (
	"fmt"
	"strings"

	"github.com/spofhq/spof/internal/model"
)

// Finding kinds of detection and communication (blind.go).
const (
	Blind     = "blind-spot"
	Unwatched = "unwatched"
	Silent    = "silent-outage"
)

// detectionFindings returns the blind spots and unwatched services of Detection.Review, and the
// silent outages, as findings.
func (r *Result) detectionFindings() []Finding {
	d := r.Detection()
	blind, unwatched := d.Review()
	var out []Finding
	for _, b := range blind {
		out = append(out, Finding{Kind: Blind, Severity: "warning", Entity: b.Service, Related: b.Failure,
			Pos: r.Inv.Entities[b.Service].Pos, Message: d.Describe(b)})
	}
	for _, u := range d.Unlisted() {
		out = append(out, Finding{Kind: Blind, Severity: "warning", Entity: u.Service, Pos: r.Inv.Entities[u.Service].Pos,
			Message: fmt.Sprintf("%d more blind spots of two failures take down %s unseen (the first %d are listed; spof check lists them all)",
				u.Count, r.Inv.ID(u.Service), ReviewPairs)})
	}
	for _, s := range unwatched {
		e := &r.Inv.Entities[s]
		out = append(out, Finding{Kind: Unwatched, Severity: "warning", Entity: s, Pos: e.Pos, Message: d.DescribeUnwatched(s)})
	}
	for _, so := range d.SilentOutages() {
		related := make([]int32, len(so.Services))
		for i, c := range so.Services {
			related[i] = c[0]
		}
		out = append(out, Finding{Kind: Silent, Severity: "warning", Entity: so.Entity, Related: related,
			Pos: r.Inv.Entities[so.Entity].Pos, Message: d.DescribeSilent(so)})
	}
	return out
}

// FailureText names a failure for people: "hostco", or "pbx-01 and pbx-02 together".
func FailureText(inv *model.Inventory, f []int32) string {
	if len(f) == 1 {
		return inv.ID(f[0])
	}
	ids := inv.IDsOf(f)
	return strings.Join(ids[:len(ids)-1], ", ") + " and " + ids[len(ids)-1] + " together"
}

// ChainText writes a chain as "a → b → c".
func ChainText(inv *model.Inventory, chain []int32) string {
	return strings.Join(inv.IDsOf(chain), " → ")
}

// Describe says what a blind spot is, in one line: the failure, the chain that takes the service
// down, and what becomes of each of its watchers.
func (d *Detection) Describe(b BlindSpot) string {
	inv := d.r.Inv
	verb := "takes"
	if len(b.Failure) > 1 {
		verb = "take"
	}
	return fmt.Sprintf("%s %s down %s unseen (%s): %s", FailureText(inv, b.Failure), verb, inv.ID(b.Service),
		ChainText(inv, b.Chain), d.DescribeWatchers(b.Watchers))
}

// DescribeWatchers says why no watcher of a blind spot sees it: each goes down (and how), or stays
// up while nothing it watches goes down. It names the first few; the JSON document lists them all.
func (d *Detection) DescribeWatchers(ws []Watcher) string {
	const shown = 3
	inv := d.r.Inv
	var parts []string
	for i, w := range ws {
		if i == shown {
			parts = append(parts, fmt.Sprintf("and %d more watchers", len(ws)-shown))
			break
		}
		if w.Chain != nil {
			parts = append(parts, fmt.Sprintf("%s goes down with it (%s)", inv.ID(w.Entity), ChainText(inv, w.Chain)))
		} else {
			parts = append(parts, fmt.Sprintf("%s stays up but nothing it watches goes down (%s)", inv.ID(w.Entity), joinIDs(inv, w.Watches, 5)))
		}
	}
	return strings.Join(parts, "; ")
}

// DescribeUnwatched says that nothing watches service s.
func (d *Detection) DescribeUnwatched(s int32) string {
	e := &d.r.Inv.Entities[s]
	return fmt.Sprintf("%s service %s is not watched: no monitoring service watches it or anything it depends on, so no failure that takes it down is seen", e.Tier, e.ID)
}

// DescribeSilent says what a silent outage takes down, with the chains.
func (d *Detection) DescribeSilent(so SilentOutage) string {
	inv := d.r.Inv
	chains := func(cs [][]int32) string {
		parts := make([]string, len(cs))
		for i, c := range cs {
			parts[i] = inv.ID(c[0])
			if len(c) > 1 {
				parts[i] += " (" + ChainText(inv, c) + ")"
			}
		}
		return strings.Join(parts, ", ")
	}
	what, it := "customer-facing critical service", "it"
	if len(so.Services) > 1 {
		what, it = "customer-facing critical services", "them"
	}
	return fmt.Sprintf("%s takes down %s %s and every status service, %s: customers can neither reach %s nor be told",
		inv.ID(so.Entity), what, chains(so.Services), chains(so.Status), it)
}
