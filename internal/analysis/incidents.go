package analysis

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/spofhq/spof/internal/diag"
	"github.com/spofhq/spof/internal/model"
)

// This file replays the recorded incidents (model.Incident) on the inventory and compares the model
// with what was observed: the replay of an incident is the outage of its failed entities, the same
// computation as Simulate and `spof simulate --fail`, and each service it impacted or puts down gets
// a verdict.

// Finding kinds of the comparison between the model and the incident records.
const (
	// IncidentUnexplained is a service observed down during an incident that depends on none of the
	// entities that failed: the inventory probably misses one of its dependencies.
	IncidentUnexplained = "incident-unexplained"
	// IncidentHeld is a service observed down that the model now keeps up thanks to redundancy: added
	// since the incident, or redundancy that did not work then.
	IncidentHeld = "incident-held"
	// IncidentUnobserved is a service that the replay puts down but that the incident did not record
	// as impacted: not noticed, or a dependency that is wrong.
	IncidentUnobserved = "incident-unobserved"
)

// Verdict is how the replay of an incident compares with what was observed, for one service.
type Verdict uint8

// Verdicts.
const (
	// DownAgain: observed down, and the replay puts it down: the incident would recur.
	DownAgain Verdict = iota
	// Held: observed down, and the replay keeps it up thanks to redundancy groups that lost members
	// and held.
	Held
	// Unexplained: observed down, and the service depends on none of the failed entities.
	Unexplained
	// Unobserved: not observed down, and the replay puts it down.
	Unobserved
)

// String returns "down-again", "held", "unexplained" or "unobserved".
func (v Verdict) String() string {
	return [...]string{"down-again", "held", "unexplained", "unobserved"}[v]
}

// Agrees reports whether the model agrees with the observation: the service went down then and goes
// down now.
func (v Verdict) Agrees() bool { return v == DownAgain }

// IncidentReplay is an incident replayed on the inventory.
type IncidentReplay struct {
	Incident *model.Incident
	// Outage is the down set of the incident's failed entities, exactly Simulate(Incident.Failed).
	Outage *Outage
	// Services are the services the incident impacted or the replay puts down (the failed ones
	// excepted), ascending, each with its verdict.
	Services []ReplayedService
}

// ReplayedService is what became of one service in a replay.
type ReplayedService struct {
	Service int32
	Verdict Verdict
	// Chain is how the failure reaches the service (DownAgain): the service first, a failed entity
	// last, as Outage.Chain. It is nil for Unobserved, whose chain the Outage gives: the services the
	// record impacted are a list someone wrote, but those it did not may be every service of a chain
	// of n, whose chains hold n²/2 steps.
	Chain []int32
	// Holds are the redundancy groups of the entities the service depends on (itself included) that
	// lost members and held (Held): what now holds it up.
	Holds []GroupHit
}

// Replay replays incident in on the inventory.
func (r *Result) Replay(in *model.Incident) *IncidentReplay {
	o := r.Simulate(in.Failed)
	rep := &IncidentReplay{Incident: in, Outage: o}
	var held []GroupHit // built on first use: most replays either recur or show nothing held
	for i := range r.Inv.Entities {
		s := int32(i)
		if r.Inv.Entities[i].Kind != model.Service || (o.Down[s] && o.Cause[s] < 0) {
			continue // not a service, or a failed one: its failure was given, not found
		}
		observed := in.Observed(s)
		rs := ReplayedService{Service: s}
		switch {
		case o.Down[s]:
			rs.Verdict = Unobserved
			if observed {
				rs.Verdict, rs.Chain = DownAgain, o.Chain(s)
			}
		case !observed:
			continue
		default:
			closure := r.Closure([]int32{s})
			rs.Verdict = Unexplained
			for _, x := range in.Failed {
				if closure[x] {
					rs.Verdict = Held
				}
			}
			if rs.Verdict == Held {
				if held == nil {
					held = r.Held(o)
				}
				for _, h := range held {
					if closure[h.Entity] {
						rs.Holds = append(rs.Holds, h)
					}
				}
			}
		}
		rep.Services = append(rep.Services, rs)
	}
	return rep
}

// Replays returns the replay of every incident the inventory records, in its order. They are
// computed once: findings, outputs and the policy all read them.
func (r *Result) Replays() []*IncidentReplay {
	r.replaysOnce.Do(func() {
		r.replays = make([]*IncidentReplay, len(r.Inv.Incidents))
		for i := range r.Inv.Incidents {
			r.replays[i] = r.Replay(&r.Inv.Incidents[i])
		}
	})
	return r.replays
}

// Service returns what became of service s in the replay, and false when s was neither impacted nor
// put down.
func (rep *IncidentReplay) Service(s int32) (*ReplayedService, bool) {
	for i := range rep.Services {
		if rep.Services[i].Service == s {
			return &rep.Services[i], true
		}
	}
	return nil, false
}

// incidentFindings compares every incident with its replay: one finding per service on which the
// model and the record disagree.
func (r *Result) incidentFindings() []Finding {
	inv := r.Inv
	var out []Finding
	for _, rep := range r.Replays() {
		in := rep.Incident
		failed := joinIDs(inv, in.Failed, 5)
		for _, rs := range rep.Services {
			s := rs.Service
			id := inv.ID(s)
			f := Finding{Entity: s, Incident: in, Pos: in.Pos}
			switch rs.Verdict {
			case DownAgain:
				continue
			case Unexplained:
				f.Kind, f.Severity, f.Pos = IncidentUnexplained, "warning", impactedPos(in, s)
				f.Message = fmt.Sprintf("%s was observed down during incident %s, but it depends on none of the entities that failed (%s): the inventory probably misses a dependency of %s, or the record a failure",
					id, in.ID, failed, id)
			case Held:
				f.Kind, f.Severity, f.Pos = IncidentHeld, "info", impactedPos(in, s)
				f.Message = fmt.Sprintf("%s was observed down during incident %s, but the model now keeps it up: %s; redundancy added since the incident, or that did not work then",
					id, in.ID, DescribeHolds(inv, rs.Holds))
			case Unobserved:
				f.Kind, f.Severity = IncidentUnobserved, "info"
				chain, more := shortChain(rep.Outage, s)
				f.Related = chain
				f.Message = fmt.Sprintf("the failure of %s puts %s down (%s), but incident %s did not record it as impacted: maybe it was not noticed, or a dependency is wrong",
					failed, id, joinIDsArrow(inv, chain, more), in.ID)
			}
			out = append(out, f)
		}
	}
	return out
}

// impactedPos is where service s is written in the impacted list of in.
func impactedPos(in *model.Incident, s int32) diag.Pos {
	for i, x := range in.Impacted {
		if x == s {
			return in.ImpactedPos[i]
		}
	}
	return in.Pos
}

// DescribeHolds says what holds a service up: "any_of in depends_on of support-line held (lost
// num-support; still up num-support-backup)", groups joined by "; ".
func DescribeHolds(inv *model.Inventory, holds []GroupHit) string {
	parts := make([]string, len(holds))
	for i, h := range holds {
		parts[i] = fmt.Sprintf("%s in %s of %s held (lost %s; still up %s)", GroupLabel(h.Group), h.Key, inv.ID(h.Entity),
			joinIDs(inv, h.Lost, 5), joinIDs(inv, h.Up, 5))
	}
	return strings.Join(parts, "; ")
}

// shortChain returns the chain of s in o as findings show it: whole up to 8 entities, and of a longer
// one the first 6 and the last, more being how many are left out between them, as analyze shows SPOF
// paths. The findings of a chain of n services all down would otherwise hold n²/2 steps.
func shortChain(o *Outage, s int32) (chain []int32, more int) {
	n := o.ChainLen(s)
	if n <= 8 {
		return o.Chain(s), 0
	}
	return append(o.ChainHead(s, 6, nil), o.ChainEnd(s)), n - 7
}

// joinIDsArrow joins the IDs of ids with arrows, "… more more …" before the last when more > 0.
func joinIDsArrow(inv *model.Inventory, ids []int32, more int) string {
	names := inv.IDsOf(ids)
	if more > 0 {
		names = slices.Insert(names, len(names)-1, fmt.Sprintf("… %d more …", more))
	}
	return strings.Join(names, " → ")
}

// MinutesPerYear is a year of 365 days, in minutes, as expected downtimes count it.
const MinutesPerYear = 365 * 24 * 60

// ObservedDowntime is what the incident records say the services lost, over the span they cover.
type ObservedDowntime struct {
	// Since is the start of the earliest incident; Until the end of the span, the day the records are
	// read (or the end of the latest incident, when later).
	Since, Until time.Time
	// Services are the services some incident impacted, ascending.
	Services []ServiceDowntime
}

// ServiceDowntime is the observed downtime of one service.
type ServiceDowntime struct {
	Service int32
	// Incidents are the indexes in Inventory.Incidents of the incidents that impacted it, ascending.
	Incidents []int
	// Minutes is the time it was down: the union of those incidents' outages, so that overlapping
	// records count once. MinutesPerYear is Minutes scaled to a year of the span.
	Minutes        float64
	MinutesPerYear float64
}

// Days is the length of the span, in days.
func (d *ObservedDowntime) Days() float64 { return d.Until.Sub(d.Since).Hours() / 24 }

// Downtime accounts the downtime the incident records of inv observed, per service, from the start of
// the earliest incident until now; nil when inv records no incident. Expected downtime (package avail)
// is a yearly rate of the same unit, for comparison.
func Downtime(inv *model.Inventory, now time.Time) *ObservedDowntime {
	if len(inv.Incidents) == 0 {
		return nil
	}
	d := &ObservedDowntime{Since: inv.Incidents[0].Started, Until: now}
	byService := map[int32][]int{}
	for i := range inv.Incidents {
		in := &inv.Incidents[i]
		if in.Started.Before(d.Since) {
			d.Since = in.Started
		}
		if in.Ended.After(d.Until) {
			d.Until = in.Ended
		}
		for _, s := range in.Impacted {
			byService[s] = append(byService[s], i)
		}
	}
	span := d.Until.Sub(d.Since).Minutes()
	for _, s := range inv.OfKind(model.Service) {
		incs := byService[s]
		if incs == nil {
			continue
		}
		minutes := unionMinutes(inv.Incidents, incs)
		d.Services = append(d.Services, ServiceDowntime{Service: s, Incidents: incs, Minutes: minutes,
			MinutesPerYear: minutes * MinutesPerYear / span})
	}
	return d
}

// unionMinutes is the length of the union of the outages of incidents incs, in minutes.
func unionMinutes(all []model.Incident, incs []int) float64 {
	type span struct{ from, to time.Time }
	spans := make([]span, len(incs))
	for i, x := range incs {
		spans[i] = span{all[x].Started, all[x].Ended}
	}
	// Few incidents impact one service: insertion order by start is enough.
	for i := 1; i < len(spans); i++ {
		for j := i; j > 0 && spans[j].from.Before(spans[j-1].from); j-- {
			spans[j], spans[j-1] = spans[j-1], spans[j]
		}
	}
	var total time.Duration
	cur := spans[0]
	for _, sp := range spans[1:] {
		if !sp.from.After(cur.to) {
			if sp.to.After(cur.to) {
				cur.to = sp.to
			}
			continue
		}
		total += cur.to.Sub(cur.from)
		cur = sp
	}
	total += cur.to.Sub(cur.from)
	return total.Minutes()
}
