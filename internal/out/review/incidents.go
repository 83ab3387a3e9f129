package review

import (
	"fmt"
	"time"

	"github.com/spofhq/spof/internal/analysis"
	"github.com/spofhq/spof/internal/human"
	"github.com/spofhq/spof/internal/model"
)

// incidentSection is "Past incidents", right after the summary: each incident recorded in the
// inventory, what it took down then, what its failure would take down now (the replay on this
// inventory, as spof simulate --incident shows it), whether the model agreed with what was observed,
// and the downtime the records observed beside the downtime the model expects. Nothing when the
// inventory records no incident.
func incidentSection(in *Input) []Section {
	inv := in.Inv
	if len(inv.Incidents) == 0 {
		return nil
	}
	sec := Section{ID: "incidents", Title: "Past incidents"}
	sec.Blocks = append(sec.Blocks, para(txt(fmt.Sprintf("%s recorded in the inventory, each replayed on the platform as it is described today: ",
		count(len(inv.Incidents), "incident", "incidents"))),
		txt("the failure of what failed then, simulated as "), code("spof simulate --incident"),
		txt(" does. A service observed down then that goes down again means the incident can recur; "),
		code("spof check"), txt(" fails on it.")))
	t := &Table{Head: []string{"incident", "when", "failed", "down then", "down again now", "the model"}}
	var subs []Section
	for i := range inv.Incidents {
		inc := &inv.Incidents[i]
		rep := in.Res.Replays()[i]
		again, verdict := in.incidentVerdict(rep)
		when := human.Period(inc.Started, inc.Ended) + ", " + human.Duration(inc.Duration())
		t.Rows = append(t.Rows, []Cell{
			cell(Span{Kind: Code, Text: inc.ID, Href: "#incident-" + inc.ID}),
			cell(txt(when)),
			cell(in.idSpans(inc.Failed, 5)...),
			cell(in.listOrNone(inc.Impacted, "nothing (a near miss)")...),
			cell(in.listOrNone(again, "nothing")...),
			cell(verdict...),
		})
		subs = append(subs, in.incidentDetail(inc, rep, when))
	}
	sec.Blocks = append(sec.Blocks, Block{Table: t})
	if b := in.downtimeBlocks(); b != nil {
		sec.Blocks = append(sec.Blocks, b...)
	}
	sec.Subs = subs
	return []Section{sec}
}

// incidentVerdict returns the impacted services the replay puts down again, and how the model
// compares with the record in a few words.
func (in *Input) incidentVerdict(rep *analysis.IncidentReplay) ([]int32, []Span) {
	var again, held, unexplained, unobserved []int32
	for _, s := range rep.Incident.Impacted {
		rs, listed := rep.Service(s)
		switch {
		case !listed || rs.Verdict == analysis.DownAgain:
			again = append(again, s)
		case rs.Verdict == analysis.Held:
			held = append(held, s)
		default:
			unexplained = append(unexplained, s)
		}
	}
	for _, rs := range rep.Services {
		if rs.Verdict == analysis.Unobserved {
			unobserved = append(unobserved, rs.Service)
		}
	}
	var out []Span
	sep := func() {
		if len(out) > 0 {
			out = append(out, txt("; "))
		}
	}
	if len(unexplained) > 0 {
		out = append(out, strong("cannot explain "))
		out = append(out, in.idSpans(unexplained, 5)...)
		out = append(out, txt(": the inventory probably misses a dependency"))
	}
	if len(held) > 0 {
		sep()
		out = append(out, txt("now keeps "))
		out = append(out, in.idSpans(held, 5)...)
		out = append(out, txt(" up by redundancy"))
	}
	if len(unobserved) > 0 {
		sep()
		out = append(out, txt(fmt.Sprintf("also puts down %s the record does not list", count(len(unobserved), "service", "services"))))
	}
	if out == nil {
		out = append(out, txt("agrees"))
	} else if len(unexplained) == 0 && len(held) == 0 {
		out = append([]Span{txt("explains what was observed; ")}, out...)
	}
	return again, out
}

// incidentDetail is the subsection of one incident: the record, then each impacted service with what
// the replay does to it, and the services it would take down that the record does not list.
func (in *Input) incidentDetail(inc *model.Incident, rep *analysis.IncidentReplay, when string) Section {
	inv := in.Inv
	sec := Section{ID: "incident-" + inc.ID, Title: inc.ID, Detail: inc.Title}
	facts := []Span{txt(when + "; failed: ")}
	facts = append(facts, in.idSpans(inc.Failed, 10)...)
	if inc.Report != "" {
		facts = append(facts, txt("; report: "), code(inc.Report))
	}
	facts = append(facts, txt(" "), where(inc.Pos))
	sec.Blocks = append(sec.Blocks, para(facts...))
	if inc.Notes != "" {
		sec.Blocks = append(sec.Blocks, note(txt(inc.Notes)))
	}
	if len(inc.Impacted) > 0 {
		l := &List{}
		for _, s := range inc.Impacted {
			item := []Span{in.ref(s), txt(" "), badge(inv.Entities[s].Tier), txt(": ")}
			rs, listed := rep.Service(s)
			switch {
			case !listed:
				item = append(item, strong("down again"), txt(" (it failed itself)"))
			case rs.Verdict == analysis.DownAgain:
				item = append(item, strong("down again"), txt(": "))
				item = append(item, in.chainSpans(rs.Chain)...)
			case rs.Verdict == analysis.Held:
				item = append(item, txt("stays up now: "+analysis.DescribeHolds(inv, rs.Holds)))
			default:
				item = append(item, txt("stays up in the model, which has it depend on none of the failed entities: the inventory probably misses a dependency"))
			}
			l.Items = append(l.Items, item)
		}
		sec.Blocks = append(sec.Blocks, heading("Observed down then"), Block{List: l})
	}
	var unobserved []int32
	for _, rs := range rep.Services {
		if rs.Verdict == analysis.Unobserved {
			unobserved = append(unobserved, rs.Service)
		}
	}
	if len(unobserved) > 0 {
		spans := []Span{txt("The same failure would take down ")}
		spans = append(spans, in.idSpans(unobserved, 2*in.Options.Top)...)
		spans = append(spans, txt(", which the record does not list as impacted: not noticed then, added since, or a dependency that is wrong."))
		sec.Blocks = append(sec.Blocks, para(spans...))
	}
	return sec
}

// listOrNone lists xs, or says none.
func (in *Input) listOrNone(xs []int32, none string) []Span {
	if len(xs) == 0 {
		return []Span{muted(none)}
	}
	return in.idSpans(xs, 5)
}

// downtimeBlocks is the table of observed against expected downtime, per impacted service.
func (in *Input) downtimeBlocks() []Block {
	d := analysis.Downtime(in.Inv, in.Options.Now)
	if d == nil || len(d.Services) == 0 {
		return nil
	}
	t := &Table{Head: []string{"service", "tier", "incidents", "down (min)", "observed (min/year)", "expected (min/year)"},
		Numeric: []bool{false, false, true, true, true, true}}
	for _, sd := range d.Services {
		expected := cell(muted("–"))
		if a, ok := in.avail[sd.Service]; ok {
			expected = cell(txt(human.Minutes(a.DowntimeMinutesPerYear)))
			if sd.MinutesPerYear > a.DowntimeMinutesPerYear {
				expected.Spans = append(expected.Spans, txt(" "), strong("below what was observed"))
			}
		}
		t.Rows = append(t.Rows, []Cell{cell(in.ref(sd.Service)), cell(badge(in.Inv.Entities[sd.Service].Tier)),
			cell(txt(num(len(sd.Incidents)))), cell(txt(human.Minutes(sd.Minutes))), cell(txt(human.Minutes(sd.MinutesPerYear))), expected})
	}
	return []Block{
		heading("Observed downtime"),
		para(txt(fmt.Sprintf("What the records saw each service lose, as minutes a year over the %.0f days they cover (%s to %s; overlapping incidents count once), "+
			"beside the downtime the model expects (see Availability and SLOs; only for the services estimated there). "+
			"Where more was observed than expected, the model is optimistic: figures too high, or dependencies missing.",
			d.Days(), d.Since.Format(time.DateOnly), d.Until.Add(-time.Nanosecond).Format(time.DateOnly)))),
		{Table: t},
	}
}

// withoutIncidents drops the comparisons with incident records from findings: "Past incidents" shows
// them, incident by incident.
func withoutIncidents(fs []analysis.Finding) []analysis.Finding {
	var out []analysis.Finding
	for _, f := range fs {
		if f.Incident == nil {
			out = append(out, f)
		}
	}
	return out
}
