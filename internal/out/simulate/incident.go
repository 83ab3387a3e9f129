package simulate

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spofhq/spof/internal/analysis"
	"github.com/spofhq/spof/internal/human"
	"github.com/spofhq/spof/internal/model"
	"github.com/spofhq/spof/internal/out"
	"github.com/spofhq/spof/internal/out/analyze"
)

// IncidentFormats are the formats of spof simulate --incident, text first.
var IncidentFormats = formats(WriteIncidentText, WriteIncidentJSON, "docs/incidents.md")

// IncidentSimulation is the document `spof simulate --incident ID --format json` prints (documented in
// docs/incidents.md; keep in sync): the record, what became of each service it impacted, the services
// down today that it did not record, then the simulation of its failed entities, field for field the
// document of `spof simulate --fail` with those entities.
type IncidentSimulation struct {
	Incident Record `json:"incident"`
	// Impacted are the services the record impacted, by ID, each with what the replay does to it.
	Impacted []Replayed `json:"impacted"`
	// Unobserved are the services the replay puts down that the record does not list as impacted,
	// by ID (their chains are in Down).
	Unobserved []string `json:"unobserved"`
	*Simulation
}

// Record is an incident record as written.
type Record struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	// Started and Ended are RFC 3339 date-times, in the offset they were written with.
	Started string   `json:"started"`
	Ended   string   `json:"ended"`
	Minutes float64  `json:"minutes"`
	Failed  []string `json:"failed"`
	// Impacted are the services observed down, by ID.
	Impacted []string `json:"impacted"`
	Report   string   `json:"report"`
	Notes    string   `json:"notes"`
	File     string   `json:"file"`
	Line     int      `json:"line"`
}

// NewRecord describes incident in as written.
func NewRecord(inv *model.Inventory, in *model.Incident) Record {
	return Record{ID: in.ID, Title: in.Title, Started: in.Started.Format(time.RFC3339), Ended: in.Ended.Format(time.RFC3339),
		Minutes: in.Duration().Minutes(), Failed: inv.IDsOf(in.Failed), Impacted: inv.IDsOf(in.Impacted),
		Report: in.Report, Notes: in.Notes, File: in.Pos.File, Line: in.Pos.Line}
}

// Replayed is what the replay does to one impacted service. Verdict is "down-again" (with the chain
// by which the failure reaches it again), "held" (with the redundancy groups that now hold it up) or
// "unexplained" (it depends on none of the failed entities: the inventory probably misses a
// dependency).
type Replayed struct {
	ID      string     `json:"id"`
	Tier    string     `json:"tier"`
	Verdict string     `json:"verdict"`
	Chain   []string   `json:"chain"`
	Holds   []GroupHit `json:"holds"`
}

// NewIncidentSimulation replays incident in on the analysed inventory.
func NewIncidentSimulation(res *analysis.Result, in *model.Incident) *IncidentSimulation {
	inv := res.Inv
	rep := res.Replay(in)
	sim := &IncidentSimulation{Incident: NewRecord(inv, in), Impacted: []Replayed{}, Unobserved: []string{},
		Simulation: NewSimulation(res, in.Failed)}
	for _, s := range in.Impacted {
		e := &inv.Entities[s]
		r := Replayed{ID: e.ID, Tier: e.Tier.String(), Chain: []string{}, Holds: []GroupHit{}}
		rs, listed := rep.Service(s)
		switch {
		case !listed:
			// A failed service is down by definition: it is its own chain.
			r.Verdict, r.Chain = analysis.DownAgain.String(), []string{e.ID}
		default:
			r.Verdict = rs.Verdict.String()
			if rs.Chain != nil {
				r.Chain = inv.IDsOf(rs.Chain)
			}
			r.Holds = append(r.Holds, groupHits(inv, rs.Holds)...)
		}
		sim.Impacted = append(sim.Impacted, r)
	}
	for _, rs := range rep.Services {
		if rs.Verdict == analysis.Unobserved {
			sim.Unobserved = append(sim.Unobserved, inv.ID(rs.Service))
		}
	}
	return sim
}

// WriteIncidentJSON writes the document as encoding/json would, the simulation's casualties one at a
// time (see WriteSimulationJSON).
func WriteIncidentJSON(w io.Writer, sim *IncidentSimulation, _ *model.Inventory) error {
	return out.WriteJSONObject(w, func(o *out.JSONObject) {
		o.Field("incident", sim.Incident)
		o.List("impacted", len(sim.Impacted), func(i int) any { return sim.Impacted[i] })
		o.Field("unobserved", sim.Unobserved)
		sim.Simulation.writeFields(o)
	})
}

// WriteIncidentText prints the replay for people: the record, a line per impacted service (down again
// and through what, or what holds it up now), the services down today that the record did not list,
// then the simulation as `spof simulate --fail` prints it.
func WriteIncidentText(w io.Writer, sim *IncidentSimulation, inv *model.Inventory) error {
	var b strings.Builder
	rec := &sim.Incident
	fmt.Fprintf(&b, "INCIDENT %s: %s\n", rec.ID, rec.Title)
	started, _ := time.Parse(time.RFC3339, rec.Started)
	ended, _ := time.Parse(time.RFC3339, rec.Ended)
	fmt.Fprintf(&b, "  %s, %s; recorded at %s:%d\n", human.Period(started, ended), human.Duration(ended.Sub(started)), rec.File, rec.Line)
	fmt.Fprintf(&b, "  failed: %s\n", strings.Join(rec.Failed, ", "))
	if rec.Report != "" {
		fmt.Fprintf(&b, "  report: %s\n", rec.Report)
	}
	b.WriteByte('\n')
	again := 0
	for _, r := range sim.Impacted {
		if r.Verdict == analysis.DownAgain.String() {
			again++
		}
	}
	switch {
	case len(sim.Impacted) == 0:
		b.WriteString("IMPACTED THEN: nothing recorded (a near miss)\n")
	case again == 0:
		fmt.Fprintf(&b, "IMPACTED THEN, TODAY: none of the %d %s would go down again\n", len(sim.Impacted), human.Plural(len(sim.Impacted), "service", "services"))
	default:
		fmt.Fprintf(&b, "IMPACTED THEN, TODAY: %d of %d %s would go down again\n", again, len(sim.Impacted), human.Plural(len(sim.Impacted), "service", "services"))
	}
	labels := make([]string, len(sim.Impacted))
	width := 0
	for i, r := range sim.Impacted {
		labels[i] = fmt.Sprintf("%s [%s]", r.ID, r.Tier)
		width = max(width, len([]rune(labels[i])))
	}
	for i, r := range sim.Impacted {
		fmt.Fprintf(&b, "  %s%s  ", labels[i], pad(width-len([]rune(labels[i]))))
		switch r.Verdict {
		case analysis.DownAgain.String():
			b.WriteString("DOWN AGAIN  ")
			b.WriteString(joinChain(r.Chain, sim.Paths))
		case analysis.Held.String():
			b.WriteString("stays up    held by ")
			holds := make([]string, len(r.Holds))
			for j, h := range r.Holds {
				holds[j] = fmt.Sprintf("%s in %s of %s (lost %s; still up %s)", h.Group, h.Key, h.ID, strings.Join(h.Lost, ", "), strings.Join(h.Up, ", "))
			}
			b.WriteString(strings.Join(holds, "; "))
		default:
			b.WriteString("stays up    it depends on none of the failed entities: the inventory probably misses a dependency")
		}
		b.WriteByte('\n')
	}
	if len(sim.Unobserved) > 0 {
		fmt.Fprintf(&b, "\nDOWN TODAY, NOT RECORDED AS IMPACTED: %s (chains below)\n", strings.Join(sim.Unobserved, ", "))
	}
	b.WriteString("\n")
	if _, err := io.WriteString(w, b.String()); err != nil {
		return err
	}
	return WriteSimulationText(w, sim.Simulation, inv)
}

// joinChain joins a chain with arrows as paths says, as the simulation's chains are shown
// (analyze.AppendTextPath); with PathsNone, only its first entity.
func joinChain(chain []string, paths analyze.Paths) string {
	keep := paths.TextKeep()
	if len(chain) == 0 || keep == 0 {
		return strings.Join(chain[:min(1, len(chain))], "")
	}
	head := chain
	if keep > 0 {
		head = chain[:min(keep, len(chain))]
	}
	return string(analyze.AppendTextPath(nil, paths, head, len(chain), chain[len(chain)-1], func(id string) string { return id }, " ← "))
}
