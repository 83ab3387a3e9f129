package simulate

import (
	"fmt"
	"slices"
	"strings"

	"github.com/spofhq/spof/internal/analysis"
	"github.com/spofhq/spof/internal/human"
	"github.com/spofhq/spof/internal/model"
	"github.com/spofhq/spof/internal/out"
)

// Detection is what a simulated outage means for detection and communication (docs/detection.md):
// present when the inventory declares a monitoring or status service.
type Detection struct {
	// Unseen are the critical and high services down that no monitoring service that survives sees
	// (none watches them or what they depend on that went down), by tier then ID; empty when the
	// inventory declares no monitoring service.
	Unseen []Unseen `json:"unseen"`
	// Untold are the customer-facing critical services down while every status service is down too,
	// by ID; empty when the inventory declares no status service.
	Untold []string `json:"untold"`
	// StatusDown are the status services down, by ID.
	StatusDown []string `json:"status_down"`
}

// Unseen is a service whose outage nobody sees. Watchers are the monitoring services that watch it
// or what it depends on, by ID, each with the chain that took it down (null when it survived but
// nothing it watches went down).
type Unseen struct {
	ID       string    `json:"id"`
	Tier     string    `json:"tier"`
	Watchers []Watcher `json:"watchers"`
}

// Watcher is a monitoring service of an unseen service. Chain is filled only in the copy being written
// (JSON): many unseen services may share a watcher whose chain is long.
type Watcher struct {
	ID    string   `json:"id"`
	Chain []string `json:"chain"`
	// Entity is the watcher's index in the inventory; Down says whether it went down.
	Entity int32 `json:"-"`
	Down   bool  `json:"-"`
}

// writeFields writes the fields of the detection into o, in the order of the struct's, the chains of
// the watchers of one unseen service at a time.
func (d *Detection) writeFields(o *out.JSONObject, sim *Simulation) {
	o.List("unseen", len(d.Unseen), func(i int) any {
		u := d.Unseen[i]
		u.Watchers = slices.Clone(u.Watchers)
		for j, w := range u.Watchers {
			if w.Down {
				u.Watchers[j].Chain = sim.inv.IDsOf(sim.outage.Chain(w.Entity))
			}
		}
		return u
	})
	o.Field("untold", d.Untold)
	o.Field("status_down", d.StatusDown)
}

// newDetection describes what o means for detection and communication, nil when the inventory
// declares neither a monitoring nor a status service.
func newDetection(res *analysis.Result, o *analysis.Outage) *Detection {
	inv := res.Inv
	d := res.Detection()
	if len(d.Monitoring)+len(d.Status) == 0 {
		return nil
	}
	det := &Detection{Unseen: []Unseen{}, Untold: []string{}, StatusDown: []string{}}
	if len(d.Monitoring) > 0 {
		for _, t := range model.Tiers[:model.High+1] {
			for i := range inv.Entities {
				e := &inv.Entities[i]
				if e.Kind != model.Service || e.Tier != t || !o.Down[i] || d.SeenIn(o, int32(i)) {
					continue
				}
				u := Unseen{ID: e.ID, Tier: t.String(), Watchers: []Watcher{}}
				for _, m := range d.Watchers(int32(i)) {
					w := Watcher{ID: inv.ID(m), Entity: m, Down: o.Down[m]}
					u.Watchers = append(u.Watchers, w)
				}
				det.Unseen = append(det.Unseen, u)
			}
		}
	}
	all := len(d.Status) > 0
	for _, t := range d.Status {
		if o.Down[t] {
			det.StatusDown = append(det.StatusDown, inv.ID(t))
		} else {
			all = false
		}
	}
	if all {
		for i := range inv.Entities {
			if e := &inv.Entities[i]; o.Down[i] && e.Kind == model.Service && e.Tier == model.Critical && e.CustomerFacing {
				det.Untold = append(det.Untold, e.ID)
			}
		}
	}
	return det
}

// writeDetection prints, for each service down that nobody sees, why, and whether customers are told.
func writeDetection(b *strings.Builder, det *Detection) {
	if det == nil {
		return
	}
	b.WriteString("\nDETECTION AND COMMUNICATION: ")
	if len(det.Unseen) == 0 && len(det.Untold) == 0 {
		b.WriteString("nothing goes unseen\n")
		return
	}
	var parts []string
	if n := len(det.Unseen); n > 0 {
		parts = append(parts, fmt.Sprintf("%d unseen %s", n, human.Plural(n, "outage", "outages")))
	}
	if n := len(det.Untold); n > 0 {
		parts = append(parts, fmt.Sprintf("%d %s untold to customers", n, human.Plural(n, "outage", "outages")))
	}
	b.WriteString(strings.Join(parts, ", "))
	b.WriteByte('\n')
	for _, u := range det.Unseen {
		var up []string
		for _, w := range u.Watchers {
			if !w.Down {
				up = append(up, w.ID)
			}
		}
		switch {
		case len(u.Watchers) == 0:
			fmt.Fprintf(b, "  nothing watches %s: the outage is silent\n", u.ID)
		case len(up) == 0:
			fmt.Fprintf(b, "  nothing that watches %s survives: the outage is silent\n", u.ID)
		default:
			fmt.Fprintf(b, "  what watches %s and survives (%s) sees nothing go down: the outage is silent\n", u.ID, strings.Join(up, ", "))
		}
	}
	for _, id := range det.Untold {
		fmt.Fprintf(b, "  every status service is down (%s): customers of %s are not told\n", strings.Join(det.StatusDown, ", "), id)
	}
}
