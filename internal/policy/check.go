package policy

import (
	"fmt"
	"sync"
	"time"

	"github.com/spofhq/spof/internal/analysis"
	"github.com/spofhq/spof/internal/diag"
	"github.com/spofhq/spof/internal/model"
	"github.com/spofhq/spof/internal/par"
)

// Options tune Check.
type Options struct {
	// Now is the clock that decides which waivers have expired, and which failover drills are too old
	// for an untested-redundancy rule.
	Now func() time.Time
	// Strict makes violations that the baseline already has fail too.
	Strict bool
	// Inventory and Baseline name the inventories in the report.
	Inventory string
	Baseline  string
}

// Check evaluates p on cur and returns the report. When base is not nil, every violation is compared
// with base's by identity (rule, service, entity): those base has too are existing and pass unless
// o.Strict; the others are new, each explained by the declaration the change introduced. An empty base
// (no inventory at the baseline) makes everything new.
func Check(cur, base *model.Inventory, p *Policy, o Options) *Result {
	// Only the size of the smallest cut set is used: keep one larger set per entity, enough for an
	// exact tolerance.
	aopts := analysis.Options{MaxOrder: p.maxOrder(), MaxCutSets: 1}
	now := o.Now()
	var bev *evaluation
	var wg sync.WaitGroup
	if base != nil {
		// The baseline is a second, independent analysis: run it on the other core.
		wg.Go(func() { bev = evaluate(analysis.Analyze(withIncidentsOf(base, cur), aopts), p, now) })
	}
	ev := evaluate(analysis.Analyze(cur, aopts), p, now)
	wg.Wait()

	rep := &Result{Inventory: o.Inventory, Policy: p.Source, BuiltinRules: p.BuiltinRules, Strict: o.Strict}
	for i, r := range p.Rules {
		rs := RuleSummary{ID: r.ID, Forbid: r.Forbid, Severity: r.Severity, Message: r.Message, Subjects: make([]string, len(ev.subjects[i]))}
		for j, s := range ev.subjects[i] {
			rs.Subjects[j] = cur.ID(s)
		}
		rep.Rules = append(rep.Rules, rs)
	}
	x := &explainer{res: ev.res, base: base}
	var baseKeys map[key]int
	if bev != nil {
		rep.Baseline = o.Baseline
		baseKeys = bev.keys(false)
	}
	rep.Violations = make([]Violation, len(ev.found))
	par.ForEach(len(ev.found), func(i int) {
		f := &ev.found[i]
		status := NoBaseline
		if bev != nil {
			status = New
			if _, ok := baseKeys[ev.key(f)]; ok {
				status = Existing
			}
		}
		rep.Violations[i] = x.violation(&p.Rules[f.rule], f, status)
	})
	if bev != nil {
		curKeys := ev.keys(true)
		for i := range bev.found {
			f := &bev.found[i]
			if k := bev.key(f); !f.undecided && !hasKey(curKeys, k) {
				rep.Fixed = append(rep.Fixed, Fixed{Rule: k.rule, Service: k.service, Entity: k.entity, Detail: fixedDetail(&p.Rules[f.rule], k)})
			}
		}
	}
	rep.WaiverNotes = applyWaivers(rep.Violations, p.Waivers, now, cur)
	for i := range rep.Violations {
		v := &rep.Violations[i]
		v.Fails = v.Severity == diag.Error && v.Waiver == nil && (v.Status != Existing || o.Strict)
	}
	return rep
}

func hasKey(m map[key]int, k key) bool {
	_, ok := m[k]
	return ok
}

// applyWaivers attaches to each violation the first waiver, in file order, that matches it and has not
// expired, and returns the problems of the waivers: expired ones that still match a violation (errors),
// and ones that match nothing (stale warnings).
func applyWaivers(vs []Violation, ws []Waiver, now time.Time, inv *model.Inventory) []WaiverNote {
	var notes []WaiverNote
	for wi := range ws {
		w := &ws[wi]
		expired := w.ExpiredOn(now)
		matched := 0
		for i := range vs {
			v := &vs[i]
			if !w.Matches(v.Rule, v.Service, v.Entity) {
				continue
			}
			matched++
			if !expired && v.Waiver == nil {
				v.Waiver = w
			}
		}
		what := fmt.Sprintf("waiver for %s on %s", w.Rule, w.Service)
		if w.Entity != "" {
			what += " about " + w.Entity
		}
		switch {
		case matched == 0:
			msg := what + " matches no violation: delete it"
			if _, ok := inv.Lookup(w.Service); !ok {
				msg += fmt.Sprintf(" (the inventory has no entity %q%s)", w.Service, diag.DidYouMean(w.Service, inv.IDs()))
			}
			notes = append(notes, WaiverNote{Waiver: *w, Problem: Stale, Severity: diag.Warning, Message: msg})
		case expired:
			notes = append(notes, WaiverNote{Waiver: *w, Problem: Expired, Severity: diag.Error,
				Message: fmt.Sprintf("%s expired on %s: fix the violation, or renew the waiver with a later expires date", what, w.Expires.Format(time.DateOnly))})
		}
	}
	return notes
}
