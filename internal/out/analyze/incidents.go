package analyze

import (
	"fmt"
	"strings"
	"time"

	"github.com/spofhq/spof/internal/analysis"
	"github.com/spofhq/spof/internal/human"
	"github.com/spofhq/spof/internal/model"
)

// This file is the incident part of `spof analyze`: each recorded incident replayed on the inventory
// and compared with what was observed, and the downtime the records observed beside the downtime the
// model expects (keep README.md and docs/incidents.md in sync). Both are absent from the document when
// the inventory records no incident.

// Incident is a recorded incident and its replay on the inventory. The impacted services are split by
// verdict (analysis.Verdict): down again, held up by redundancy, unexplained by the model; Unobserved
// are the services the replay puts down that the record does not list.
type Incident struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	// Started and Ended are RFC 3339 date-times in the offset they were written with.
	Started     string   `json:"started"`
	Ended       string   `json:"ended"`
	Minutes     float64  `json:"minutes"`
	Failed      []string `json:"failed"`
	Impacted    []string `json:"impacted"`
	DownAgain   []string `json:"down_again"`
	Held        []string `json:"held"`
	Unexplained []string `json:"unexplained"`
	Unobserved  []string `json:"unobserved"`
	File        string   `json:"file"`
	Line        int      `json:"line"`
}

// ObservedDowntime is the downtime the incident records observed (analysis.Downtime): over the span
// from the earliest incident to the day of the analysis, per service some incident impacted.
type ObservedDowntime struct {
	Since    string            `json:"since"`
	Until    string            `json:"until"`
	Days     float64           `json:"days"`
	Services []ServiceDowntime `json:"services"`
}

// ServiceDowntime is one service's observed downtime beside its expected downtime.
type ServiceDowntime struct {
	ID        string   `json:"id"`
	Tier      string   `json:"tier"`
	Incidents []string `json:"incidents"`
	// Minutes is the time the records saw it down (overlapping incidents count once);
	// ObservedMinutesPerYear the same as a yearly rate over the span.
	Minutes                float64 `json:"minutes"`
	ObservedMinutesPerYear float64 `json:"observed_minutes_per_year"`
	// ExpectedMinutesPerYear is the model's expected downtime (downtime_minutes_per_year of the
	// service), null when availability was not computed for it.
	ExpectedMinutesPerYear *float64 `json:"expected_minutes_per_year"`
}

// Incidents replays every incident of res's inventory; nil when it records none.
func Incidents(res *analysis.Result) []Incident {
	inv := res.Inv
	if len(inv.Incidents) == 0 {
		return nil
	}
	out := make([]Incident, len(inv.Incidents))
	for i := range inv.Incidents {
		in := &inv.Incidents[i]
		x := Incident{ID: in.ID, Title: in.Title, Started: in.Started.Format(time.RFC3339), Ended: in.Ended.Format(time.RFC3339),
			Minutes: in.Duration().Minutes(), Failed: inv.IDsOf(in.Failed), Impacted: inv.IDsOf(in.Impacted),
			DownAgain: []string{}, Held: []string{}, Unexplained: []string{}, Unobserved: []string{}, File: in.Pos.File, Line: in.Pos.Line}
		rep := res.Replays()[i]
		for _, s := range in.Impacted {
			rs, listed := rep.Service(s)
			switch {
			case !listed || rs.Verdict == analysis.DownAgain: // a failed service is down by definition
				x.DownAgain = append(x.DownAgain, inv.ID(s))
			case rs.Verdict == analysis.Held:
				x.Held = append(x.Held, inv.ID(s))
			default:
				x.Unexplained = append(x.Unexplained, inv.ID(s))
			}
		}
		for _, rs := range rep.Services {
			if rs.Verdict == analysis.Unobserved {
				x.Unobserved = append(x.Unobserved, inv.ID(rs.Service))
			}
		}
		out[i] = x
	}
	return out
}

// NewObservedDowntime accounts the downtime the records of inv observed until now, beside the expected
// downtime of opts.Avail; nil when inv records no incident.
func NewObservedDowntime(inv *model.Inventory, opts Options) *ObservedDowntime {
	d := analysis.Downtime(inv, opts.Now)
	if d == nil {
		return nil
	}
	out := &ObservedDowntime{Since: d.Since.Format(time.RFC3339), Until: d.Until.UTC().Format(time.RFC3339),
		Days: round(d.Days(), 1e4), Services: []ServiceDowntime{}}
	for _, sd := range d.Services {
		e := &inv.Entities[sd.Service]
		x := ServiceDowntime{ID: e.ID, Tier: e.Tier.String(), Incidents: make([]string, len(sd.Incidents)),
			Minutes: round(sd.Minutes, 1e4), ObservedMinutesPerYear: round(sd.MinutesPerYear, 1e4)}
		for i, ii := range sd.Incidents {
			x.Incidents[i] = inv.Incidents[ii].ID
		}
		if opts.Avail != nil {
			if svc, ok := opts.Avail.Service(sd.Service); ok {
				m := round(svc.DowntimeMinutes(), 1e4)
				x.ExpectedMinutesPerYear = &m
			}
		}
		out.Services = append(out.Services, x)
	}
	return out
}

// writeIncidents prints the incidents and the observed downtime for people, when there are any.
func writeIncidents(b *strings.Builder, incs []Incident, d *ObservedDowntime) {
	if len(incs) == 0 {
		return
	}
	b.WriteString("PAST INCIDENTS (replayed on this inventory)\n")
	for _, x := range incs {
		started, _ := time.Parse(time.RFC3339, x.Started)
		ended, _ := time.Parse(time.RFC3339, x.Ended)
		fmt.Fprintf(b, "  %s  %s, %s: %s failed\n", x.ID, human.Period(started, ended), human.Duration(ended.Sub(started)), strings.Join(x.Failed, ", "))
		var parts []string
		add := func(label string, ids []string) {
			if len(ids) > 0 {
				parts = append(parts, label+" "+strings.Join(ids, ", "))
			}
		}
		add("down again:", x.DownAgain)
		add("held up now:", x.Held)
		add("unexplained by the model:", x.Unexplained)
		if len(x.Impacted) == 0 {
			parts = append(parts, "nothing was observed down")
		}
		fmt.Fprintf(b, "    impacted then: %s\n", strings.Join(parts, "; "))
		if len(x.Unobserved) > 0 {
			fmt.Fprintf(b, "    down now, not recorded then: %s\n", strings.Join(x.Unobserved, ", "))
		}
	}
	if d != nil && len(d.Services) > 0 {
		fmt.Fprintf(b, "  observed downtime over %.1f days of records (since %s), against the model:\n", d.Days, d.Since[:len(time.DateOnly)])
		width := 0
		for _, s := range d.Services {
			width = max(width, len(s.ID))
		}
		for _, s := range d.Services {
			fmt.Fprintf(b, "    %-*s  %s min/year observed (%s min in %d %s)", width, s.ID, human.Minutes(s.ObservedMinutesPerYear),
				human.Minutes(s.Minutes), len(s.Incidents), human.Plural(len(s.Incidents), "incident", "incidents"))
			if s.ExpectedMinutesPerYear != nil {
				fmt.Fprintf(b, ", %s expected", human.Minutes(*s.ExpectedMinutesPerYear))
				if s.ObservedMinutesPerYear > *s.ExpectedMinutesPerYear {
					b.WriteString(": more than the model expects")
				}
			}
			b.WriteByte('\n')
		}
	}
	b.WriteByte('\n')
}
