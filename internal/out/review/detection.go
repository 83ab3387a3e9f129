package review

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/spofhq/spof/internal/analysis"
	"github.com/spofhq/spof/internal/model"
)

// detectionSection is "Detection and communication" (docs/detection.md): the failures that take a
// critical or high service down with everything that watches it (blind spots, first: the incident's
// second lesson), the services nothing watches, the failures customers are not told about, and the
// services that watch, alert and tell.
func detectionSection(in *Input) []Section {
	d := in.Res.Detection()
	sec := Section{ID: "detection", Title: "Detection and communication"}
	if len(d.Monitoring)+len(d.Alerting)+len(d.Status) == 0 {
		sec.Blocks = append(sec.Blocks, para(txt("No service declares a role (monitoring, alerting or status): whether an outage is "+
			"detected and customers are told is not reviewed. Declare the monitoring services with what they watch, "+
			"their alerting services and the status channels (docs/detection.md).")))
		return []Section{sec}
	}
	sec.Blocks = append(sec.Blocks, para(txt("Detection only works if the monitoring survives the failure it must detect, and "+
		"customers only hear about an outage if a status channel survives it too.")))
	blind, unwatched := d.Review()
	// Critical services first; by service and failure within a tier, as the analysis lists them.
	blind = slices.Clone(blind)
	slices.SortStableFunc(blind, func(a, b analysis.BlindSpot) int {
		return cmp.Compare(in.Inv.Entities[a.Service].Tier, in.Inv.Entities[b.Service].Tier)
	})
	limit := 2 * in.Options.Top
	sec.Subs = append(sec.Subs, in.blindSpotSection(d, blind, limit), in.unwatchedSection(d, unwatched, limit),
		in.silentSection(d, d.SilentOutages(), limit), in.rolesSection(d, limit))
	return []Section{sec}
}

func (in *Input) blindSpotSection(d *analysis.Detection, blind []analysis.BlindSpot, limit int) Section {
	sec := Section{ID: "blind-spots", Title: "Blind spots"}
	switch {
	case len(d.Monitoring) == 0:
		sec.Blocks = append(sec.Blocks, para(txt("No monitoring service is declared: blind spots are not reviewed.")))
		return sec
	case len(blind) == 0:
		sec.Blocks = append(sec.Blocks, para(txt("Every single failure, and every pair of failures, that takes down a critical or "+
			"high service that something watches is seen by a monitoring service that survives it.")))
		return sec
	}
	sec.Blocks = append(sec.Blocks, para(txt("Failures that take a critical or high service down while every monitoring service "+
		"that watches it, or what it depends on, goes down too or sees nothing go down: nobody is alerted, and "+
		"customers find the outage first.")))
	t := &Table{Head: []string{"service", "failure", "how it goes down", "its watchers"}}
	for _, b := range blind[:min(len(blind), limit)] {
		var watchers []Span
		for i, w := range b.Watchers {
			if i > 0 {
				watchers = append(watchers, txt("; "))
			}
			watchers = append(watchers, in.ref(w.Entity))
			if w.Chain != nil {
				watchers = append(watchers, txt(" goes down: "))
				watchers = append(watchers, in.chainSpans(w.Chain)...)
			} else {
				watchers = append(watchers, txt(" survives, sees nothing go down"))
			}
		}
		e := &in.Inv.Entities[b.Service]
		t.Rows = append(t.Rows, []Cell{
			cell(badge(e.Tier), txt(" "), in.ref(b.Service)),
			cell(in.idSpans(b.Failure, 0)...),
			cell(in.chainSpans(b.Chain)...),
			cell(watchers...),
		})
	}
	sec.Blocks = append(sec.Blocks, Block{Table: t})
	total := len(blind)
	for _, u := range d.Unlisted() {
		total += u.Count
	}
	sec.Blocks = append(sec.Blocks, more(min(len(blind), limit), total, "blind spots")...)
	sec.Blocks = append(sec.Blocks, note(txt("To fix one: watch the service from outside what takes it down, with a monitoring "+
		"service that alerts through a channel the failure does not share (another provider, another carrier).")))
	return sec
}

func (in *Input) unwatchedSection(d *analysis.Detection, unwatched []int32, limit int) Section {
	sec := Section{ID: "unwatched", Title: "Services nothing watches"}
	switch {
	case len(d.Monitoring) == 0:
		sec.Blocks = append(sec.Blocks, para(txt("No monitoring service is declared.")))
		return sec
	case len(unwatched) == 0:
		sec.Blocks = append(sec.Blocks, para(txt("A monitoring service watches every critical and high service, or something it depends on.")))
		return sec
	}
	sec.Blocks = append(sec.Blocks, para(txt("Critical and high services that no monitoring service watches, nor anything they "+
		"depend on: no failure that takes them down is seen.")))
	t := &Table{Head: []string{"service", "tier", "name", "where"}}
	for _, s := range unwatched[:min(len(unwatched), limit)] {
		e := &in.Inv.Entities[s]
		t.Rows = append(t.Rows, []Cell{cell(in.ref(s)), cell(badge(e.Tier)), cell(txt(oneLine(e.Name))), cell(where(e.Pos))})
	}
	sec.Blocks = append(sec.Blocks, Block{Table: t})
	sec.Blocks = append(sec.Blocks, more(min(len(unwatched), limit), len(unwatched), "services")...)
	return sec
}

func (in *Input) silentSection(d *analysis.Detection, silent []analysis.SilentOutage, limit int) Section {
	sec := Section{ID: "silent-outages", Title: "Silent outages for customers"}
	switch {
	case len(d.Status) == 0:
		sec.Blocks = append(sec.Blocks, para(txt("No status service (status page, customer e-mail, announcement line) is declared: "+
			"whether customers are told is not reviewed.")))
		return sec
	case len(silent) == 0:
		sec.Blocks = append(sec.Blocks, para(txt("No single failure takes down a customer-facing critical service together with "+
			"every status service.")))
		return sec
	}
	sec.Blocks = append(sec.Blocks, para(txt("Entities whose failure takes down a customer-facing critical service and every "+
		"status service: customers can neither reach the service nor be told.")))
	t := &Table{Head: []string{"failure", "customer-facing critical services down", "status services down"}}
	for _, so := range silent[:min(len(silent), limit)] {
		t.Rows = append(t.Rows, []Cell{cell(in.ref(so.Entity)), cell(in.chainList(so.Services)...), cell(in.chainList(so.Status)...)})
	}
	sec.Blocks = append(sec.Blocks, Block{Table: t})
	sec.Blocks = append(sec.Blocks, more(min(len(silent), limit), len(silent), "entities")...)
	return sec
}

// rolesSection lists the services that watch, alert and tell, with their own single points of
// failure: the monitoring's dependencies are where blind spots come from.
func (in *Input) rolesSection(d *analysis.Detection, limit int) Section {
	sec := Section{ID: "roles", Title: "Monitoring, alerting and status services"}
	t := &Table{Head: []string{"service", "role", "watches", "single points of failure"}}
	var all []int32
	for _, l := range [][]int32{d.Monitoring, d.Alerting, d.Status} {
		all = append(all, l...)
	}
	for _, s := range all[:min(len(all), limit)] {
		e := &in.Inv.Entities[s]
		watches := in.idSpans(e.Watches, 6)
		if e.Role != model.Monitoring {
			watches = []Span{muted("–")}
		}
		spofs := in.idSpans(in.Res.SPOFs(s), 6)
		if len(spofs) == 0 {
			spofs = []Span{muted("none")}
		}
		t.Rows = append(t.Rows, []Cell{cell(in.ref(s)), cell(txt(e.Role.String())), cell(watches...), cell(spofs...)})
	}
	sec.Blocks = append(sec.Blocks, Block{Table: t})
	sec.Blocks = append(sec.Blocks, more(min(len(all), limit), len(all), "services")...)
	return sec
}

// chainSpans writes a chain as linked IDs joined by arrows.
func (in *Input) chainSpans(chain []int32) []Span {
	var out []Span
	for i, x := range chain {
		if i > 0 {
			out = append(out, txt(" → "))
		}
		out = append(out, in.ref(x))
	}
	return out
}

// chainList writes services with the chains that take them down: "a (a → b → x), c".
func (in *Input) chainList(chains [][]int32) []Span {
	var out []Span
	for i, c := range chains {
		if i > 0 {
			out = append(out, txt("; "))
		}
		out = append(out, in.ref(c[0]))
		if len(c) > 1 {
			out = append(out, txt(" ("))
			out = append(out, in.chainSpans(c)...)
			out = append(out, txt(")"))
		}
	}
	return out
}

// detectionCount is the findings clause about detection, "" when there are none.
func detectionCount(n int) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprintf("%s about detection and communication (see Detection and communication)", count(n, "finding", "findings"))
}
