// Package review builds the platform dependency review that architects circulate — where the platform is
// exposed and what to fix first — and writes it as Markdown (Mermaid diagrams, for GitHub and GitLab)
// or as one self-contained HTML file (inline CSS and SVG, no external resource, printable).
//
// Build runs the analysis and returns a Document: sections of generic blocks (paragraphs, lists,
// tables, figures). WriteMarkdown and WriteHTML render any Document, so a new section is one
// SectionBuilder and no writer change. The sections, in order:
//
//   - Summary: headline risks in plain words computed from the data and the top recommendations (the
//     first screen of a review meeting), entities by kind, services by tier with how many have a SPOF.
//   - Past incidents, when the inventory records some: each replayed on the inventory, what it took
//     down then and would now, whether the model agrees, observed against expected downtime
//     (incidents.go).
//   - Provider concentration: each provider with the services for which it is a SPOF, by tier.
//   - Shared dependencies (shared.go): entities with SPOFs of their own through which several services
//     shown inherit them, each described once.
//   - Critical and high services (the most exposed first, up to Options.MaxServices): what is each one's
//     own — SPOFs with one dependency path each, tolerance, minimal cut sets of order 2 to MaxOrder most
//     likely first, false redundancy — the SPOFs it inherits through shared dependencies, linked, and a
//     diagram that stops at them.
//   - Couplings: groups of critical/high services that one entity takes down together, and a matrix
//     counting, for two services, the entities whose single failure takes both down.
//   - Critical dependencies: the entities whose single failure takes down the most, tier-weighted.
//   - Detection and communication: blind spots (failures that take a critical or high service down
//     with everything that watches it), services nothing watches, silent outages for customers, and
//     the monitoring, alerting and status services (detection.go).
//   - Availability and SLOs: each shown service's exact availability, expected downtime and SLO, the
//     entities its downtime comes from, what to improve first for the critical services shown, and the
//     rule of the extra nine (availability.go).
//   - Findings: false redundancy, cycles, services without owner, unused entities, published phone
//     numbers on a single carrier.
//   - Recommendations: candidate fixes ranked by the risk they remove, measured by re-running the
//     analysis on the inventory with the fix applied, each with the TOML to write (recommend.go,
//     edit.go).
//
// The HTML page also answers "what if these fail?" in the browser (whatif.go, templates/report.js).
//
// The output is deterministic: every list is sorted, nothing depends on the clock or the machine, and
// the date appears only when Options.Date is given. Long lists are cut to Options.Top entries with a
// count of the rest, so a 100,000-entity inventory gives a report of the same length as a small one.
package review

import (
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/spofhq/spof/internal/analysis"
	"github.com/spofhq/spof/internal/avail"
	"github.com/spofhq/spof/internal/model"
	"github.com/spofhq/spof/internal/out/analyze"
	"github.com/spofhq/spof/internal/par"
)

// Options shape the report.
type Options struct {
	// Title defaults to "Dependency review: " and the inventory's folder name.
	Title string
	// Date is printed under the title when given; no date is made up otherwise.
	Date string
	// Source is the inventory path as the user gave it.
	Source string
	// MaxOrder is the largest cut set searched for the services shown (default 3).
	MaxOrder int
	// Top caps every ranked list (default 10).
	Top int
	// MaxServices caps the critical and high services given a section of their own (default 25).
	MaxServices int
	// Extra sections are added before the findings; see SectionBuilder.
	Extra []SectionBuilder
	// Now ends the span over which the downtime of the incident records is counted (the run's clock);
	// the report depends on it only when the inventory records incidents.
	Now time.Time
	// Progress hears what Build is doing, for a progress line; nil hears nothing.
	Progress Progress
}

// Progress hears what Build is doing: on a large or adversarial inventory it takes seconds.
type Progress interface {
	// Phase says what Build does now and, when total > 0, how many units of work that holds.
	Phase(what string, total int, unit string)
	// Add counts n more units done. It is called from several goroutines at once.
	Add(n int)
}

// silent is the Progress of a Build that nobody watches.
type silent struct{}

func (silent) Phase(string, int, string) {}
func (silent) Add(int)                   {}

// Defaults.
const (
	DefaultMaxOrder    = 3
	DefaultTop         = 10
	DefaultMaxServices = 25
)

// SectionBuilder makes zero or more top-level sections from the analysed inventory. It is the hook for
// new sections: write one, add it to builders (or pass it in Options.Extra), and both writers render it.
type SectionBuilder func(in *Input) []Section

// builders lists the report's sections in order; extra sections come after the availability estimates.
func builders(extra []SectionBuilder) []SectionBuilder {
	bs := []SectionBuilder{summarySection, incidentSection, providerSection, sharedSection, serviceSections, couplingSection, dependencySection, detectionSection, availabilitySection}
	bs = append(bs, extra...)
	return append(bs, findingSections, recommendationSection)
}

// Input is what section builders read: the inventory, its analysis, and what Build derived from it
// once for several sections.
type Input struct {
	Inv *model.Inventory
	// Res is the analysis of the whole inventory up to order 1: SPOFs, blast radius, findings.
	Res *analysis.Result
	// Providers are the providers ranked like impacts, each with the services it takes down alone.
	Providers []analyze.Provider
	Options   Options
	// Ranked are the critical and high services, most exposed first: by tier, then most SPOFs, then ID.
	Ranked []int32
	// Shown are the first Options.MaxServices of Ranked, which get a section of their own; Details
	// describe them with cut sets up to Options.MaxOrder, FalseRedundancy lists the false redundancies
	// in each one's dependency closure.
	Shown           []int32
	Details         []analyze.Service
	FalseRedundancy [][]analysis.Finding
	// Hubs are the shared dependencies of the services shown: described once, in a section of their
	// own (or in their own service's section), instead of in every service that inherits them.
	Hubs []Hub
	// Findings are the analysis findings of the whole inventory.
	Findings []analysis.Finding
	// Fixes are the measured recommendations, best first; ProviderFixes the effect of a second provider
	// next to each of the providers that are SPOFs of critical or high services.
	Fixes, ProviderFixes []Fix
	// Numbers are the published phone numbers that depend on a single carrier.
	Numbers []NumberRisk
	// Exposure is the tier-weighted count of (service, SPOF) pairs of the whole platform.
	Exposure int
	// Avail is the availability of the shown services, and of no other (nil when none is shown). It is
	// computed on the inventory made of their dependency closure, which gives the same figures faster:
	// its indexes are those of Avail.Res.Inv, so look entities up by ID.
	Avail *avail.Result
	// avail and availSvc hold, by service index in Inv, the figures of Avail as `spof analyze` shows
	// them and as computed; own and source are every entity's own availability and where it comes from.
	avail    map[int32]*analyze.ServiceAvailability
	availSvc map[int32]*avail.Service
	own      []float64
	source   []avail.Source
	anchors  map[int32]string
	// detail describes the services shown and the hubs, with their cut sets; sub is the analysis of
	// their dependency closure that gave them (indexes of sub.Inv: look entities up by ID).
	detail map[int32]analyze.Service
	sub    *analysis.Result
	// unavail are the own unavailabilities of sub's entities, for ranking cut sets.
	unavail []float64
	// impacts are the entities, largest tier-weighted blast radius first (analyze.ImpactRanking's order);
	// weight is each one's tier-weighted blast radius, and down the services it takes down by tier:
	// counted, not listed, as every list together is n²/2 on a chain of n.
	impacts []int32
	weight  []int
	down    analyze.TierCounts
}

// Build analyses inv and returns the report.
func Build(inv *model.Inventory, o Options) *Document {
	o = withDefaults(o)
	o.Progress.Phase("analysing", 0, "")
	// The sections read their paths from the closure's analysis (details); only the blind spots may
	// read the whole inventory's.
	res := analysis.AnalyzeSPOFs(inv)
	in := &Input{Inv: inv, Res: res, Options: o, anchors: map[int32]string{}}
	in.impacts, in.weight, in.down = analyze.ImpactRanking(res, analyze.ServiceTiers(inv))
	in.Providers = analyze.NewProviders(res, in.impacts, in.weight)
	in.Ranked = rankServices(res)
	in.Shown = in.Ranked[:min(len(in.Ranked), o.MaxServices)]
	for _, s := range in.Shown {
		in.anchors[s] = "s-" + inv.ID(s)
	}
	in.Hubs = findHubs(res, in.Shown, o.Top)
	described := slices.Clone(in.Shown)
	for _, h := range in.Hubs {
		if h.Own {
			described = append(described, h.Entity)
			in.anchors[h.Entity] = "h-" + inv.ID(h.Entity)
		}
	}
	// The closure's analysis and the recommendations only read res: each runs while the other waits
	// for a core (the first is most of a dense platform's report, the second of spof-gen's).
	var all []analyze.Service
	detailed := make(chan struct{})
	go func() {
		all, in.sub = details(res, described, o.MaxOrder)
		close(detailed)
	}()
	in.Findings = res.Findings()
	in.own, in.source = avail.Own(inv)
	in.FalseRedundancy = closureFindings(res, in.Findings, analysis.FalseRedundancy, in.Shown)
	in.Exposure = exposure(res)
	in.Numbers = numberRisks(res)
	in.Fixes, in.ProviderFixes = recommend(res, in.Providers, in.Ranked, in.weight, in.down, min(o.Top, fixesShown), o.Progress)
	o.Progress.Phase("analysing the services shown", 0, "")
	<-detailed
	if in.sub != nil {
		in.unavail = analyze.Unavailabilities(in.sub.Inv)
	}
	in.Details = all[:len(in.Shown)]
	in.detail = map[int32]analyze.Service{}
	for i, x := range described {
		in.detail[x] = all[i]
	}
	in.Avail, in.avail, in.availSvc = computeAvailability(in.sub, inv, in.Shown, o.Progress)
	o.Progress.Phase("writing the sections", 0, "")

	doc := &Document{Title: o.Title, Meta: meta(inv, o), WhatIf: newWhatIf(inv)}
	// The builders only read in: each on its own core, the sections kept in their order.
	bs := builders(o.Extra)
	built := make([][]Section, len(bs))
	par.ForEach(len(bs), func(i int) { built[i] = bs[i](in) })
	for _, secs := range built {
		doc.Sections = append(doc.Sections, secs...)
	}
	return doc
}

func withDefaults(o Options) Options {
	if o.Progress == nil {
		o.Progress = silent{}
	}
	if o.MaxOrder <= 0 {
		o.MaxOrder = DefaultMaxOrder
	}
	o.MaxOrder = min(o.MaxOrder, analysis.MaxOrder)
	if o.Top <= 0 {
		o.Top = DefaultTop
	}
	if o.MaxServices < 0 {
		o.MaxServices = 0
	} else if o.MaxServices == 0 {
		o.MaxServices = DefaultMaxServices
	}
	if o.Title == "" {
		name := filepath.Base(filepath.Clean(o.Source))
		if o.Source == "" || name == "." || name == string(filepath.Separator) {
			name = "inventory"
		}
		o.Title = "Dependency review: " + strings.TrimSuffix(name, ".toml")
	}
	return o
}

func meta(inv *model.Inventory, o Options) []Field {
	var fs []Field
	if o.Source != "" {
		fs = append(fs, Field{"Inventory", o.Source})
	}
	fs = append(fs, Field{"Size", count(inv.Len(), "entity", "entities") + " in " + count(len(inv.Files), "file", "files")})
	if o.Date != "" {
		fs = append(fs, Field{"Date", o.Date})
	}
	fs = append(fs, Field{"Made with", "spof report"})
	return fs
}

// rankServices returns the critical and high services, most exposed first.
func rankServices(res *analysis.Result) []int32 {
	var out []int32
	for i := range res.Inv.Entities {
		if e := &res.Inv.Entities[i]; e.Kind == model.Service && e.Tier <= model.High {
			out = append(out, int32(i))
		}
	}
	slices.SortStableFunc(out, func(a, b int32) int {
		ea, eb := &res.Inv.Entities[a], &res.Inv.Entities[b]
		if ea.Tier != eb.Tier {
			return int(ea.Tier) - int(eb.Tier)
		}
		return res.NumSPOFs(b) - res.NumSPOFs(a)
	})
	return out
}

// details describes the shown services with their cut sets. Cut sets up to order 3 over a whole large
// inventory take long, and a service's cut sets depend only on what it depends on: the analysis runs
// again, up to maxOrder, on the dependency closure of the shown services alone, which is exact. That
// analysis is returned too, for availability, which likewise depends only on the closure (nil when no
// service is shown).
func details(res *analysis.Result, shown []int32, maxOrder int) ([]analyze.Service, *analysis.Result) {
	if len(shown) == 0 {
		return nil, nil
	}
	sub := res.Inv.Restrict(res.Closure(shown))
	subRes := analysis.Analyze(sub, analysis.Options{MaxOrder: maxOrder, MaxCutSets: maxCutSets})
	ids := subIndexes(res.Inv, sub, shown)
	out := make([]analyze.Service, len(ids))
	// Without paths: a section shows the paths of its first few SPOFs (spofRows), read from subRes then.
	par.ForEach(len(ids), func(i int) { out[i] = analyze.NewServiceNoPaths(subRes, ids[i], maxCutSets) })
	return out, subRes
}

// closureFindings returns, for each service, the findings of kind about entities it depends on.
func closureFindings(res *analysis.Result, findings []analysis.Finding, kind string, services []int32) [][]analysis.Finding {
	out := make([][]analysis.Finding, len(services))
	for i, s := range services {
		in := res.Closure([]int32{s})
		for _, f := range findings {
			if f.Kind == kind && in[f.Entity] {
				out[i] = append(out[i], f)
			}
		}
	}
	return out
}

// maxCutSets bounds the cut sets kept per service, which are ranked by likelihood: the families are
// computed whole up to that many sets (analyze.RankBound), and a ranking among a prefix says so.
const maxCutSets = analyze.RankBound

// exposure is the tier-weighted number of (service, SPOF) pairs: the measure of risk that
// recommendations reduce.
func exposure(res *analysis.Result) int {
	n := 0
	for i := range res.Inv.Entities {
		if e := &res.Inv.Entities[i]; e.Kind == model.Service {
			n += e.Tier.Weight() * res.NumSPOFs(int32(i))
		}
	}
	return n
}

// ref is an entity ID as inline code, linked to its section when it has one.
func (in *Input) ref(x int32) Span {
	s := code(in.Inv.ID(x))
	s.Href = in.anchor(x)
	return s
}

func (in *Input) anchor(x int32) string {
	if a, ok := in.anchors[x]; ok {
		return "#" + a
	}
	return ""
}

func (in *Input) refID(id string) Span {
	if x, ok := in.Inv.Lookup(id); ok {
		return in.ref(x)
	}
	return code(id)
}
