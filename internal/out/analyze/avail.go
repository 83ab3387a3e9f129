package analyze

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/spofhq/spof/internal/analysis"
	"github.com/spofhq/spof/internal/avail"
	"github.com/spofhq/spof/internal/model"
)

// This file is the availability part of `spof analyze`: fields added to the documents of document.go
// (keep docs/availability.md in sync). Figures are rounded so that the bytes do not depend on the
// last bits of floating point: availabilities to 1e-12, minutes to 1e-4, Fussell-Vesely to 1e-6; the
// ends of a guaranteed interval are rounded outwards, so that the printed interval still contains
// the availability.

// ImportanceShown is how many entities a service's importance list holds, most important first.
const ImportanceShown = 10

// ServiceAvailability is the availability of a service, present when it was computed.
type ServiceAvailability struct {
	// Availability is P(service up) with independent entity failures, the service's own included:
	// exact, or the middle of the guaranteed interval (the sampled estimate with --samples).
	Availability float64 `json:"availability"`
	// AvailabilityMethod is "exact" or "bounds"; AvailabilityError is the largest distance from
	// Availability to an end of the interval (0 when exact).
	AvailabilityMethod string  `json:"availability_method"`
	AvailabilityError  float64 `json:"availability_error"`
	// AvailabilityLow and AvailabilityHigh are the guaranteed interval: the availability lies within
	// it (both equal to Availability when exact).
	AvailabilityLow  float64 `json:"availability_low"`
	AvailabilityHigh float64 `json:"availability_high"`
	// AvailabilityBoundedBy says why the figure is bounded: "nodes" (a BDD outgrew its node
	// budget), "time" (the time budget ran out first) or "cycle" (a dependency cycle too large to
	// unroll); null when exact.
	AvailabilityBoundedBy *string `json:"availability_bounded_by"`
	// AvailabilitySamplingError is the half-width of the 95% confidence interval of a sampled
	// estimate (--samples), null when not sampled.
	AvailabilitySamplingError *float64 `json:"availability_sampling_error"`
	DowntimeMinutesPerYear    float64  `json:"downtime_minutes_per_year"`
	// SLO is the service's objective, null without one. SLOVerdict is "met" when the whole interval
	// meets it, "missed" when none of it does, "undecided" when the SLO lies within the interval,
	// null without an SLO; SLOMet is the verdict as a boolean, null when undecided or without an
	// SLO. SLOMarginMinutesPerYear is the downtime the SLO allows minus the expected downtime:
	// negative when missed; null without an SLO.
	SLO                     *float64 `json:"slo"`
	SLOMet                  *bool    `json:"slo_met"`
	SLOVerdict              *string  `json:"slo_verdict"`
	SLOMarginMinutesPerYear *float64 `json:"slo_margin_minutes_per_year"`
	// DefaultsUsed are the entities of the service's closure whose availability is a default.
	DefaultsUsed []string `json:"defaults_used"`
	// Importance lists the ImportanceShown entities that matter most (empty when bounded).
	Importance []EntityImportance `json:"importance"`
	// ExtraNine are the SPOFs that break the rule of the extra nine (empty without an SLO).
	ExtraNine []ExtraNine `json:"extra_nine"`
}

// EntityImportance is how much a service's availability depends on one entity.
type EntityImportance struct {
	ID   string `json:"id"`
	Kind string `json:"kind"`
	// Availability is the entity's own, and AvailabilitySource where it comes from: given, mttf,
	// defaults or built-in.
	Availability       float64 `json:"availability"`
	AvailabilitySource string  `json:"availability_source"`
	// Birnbaum is P(S up | e up) − P(S up | e down).
	Birnbaum float64 `json:"birnbaum"`
	// FussellVesely is (U − U|e perfect)/U: the share of the service's downtime e accounts for.
	FussellVesely float64 `json:"fussell_vesely"`
	// SavedMinutesPerYear is the expected downtime removed by one more nine on e.
	SavedMinutesPerYear float64 `json:"saved_minutes_per_year"`
}

// ExtraNine is a SPOF less than ten times as reliable as the service's SLO requires.
type ExtraNine struct {
	ID   string `json:"id"`
	Kind string `json:"kind"`
	// Availability is the dependency's own; Required is 1 − (1 − slo)/10.
	Availability       float64 `json:"availability"`
	AvailabilitySource string  `json:"availability_source"`
	Required           float64 `json:"required"`
}

// Improvement is an entry of the platform-wide "what to improve first" ranking.
type Improvement struct {
	ID                 string  `json:"id"`
	Kind               string  `json:"kind"`
	Availability       float64 `json:"availability"`
	AvailabilitySource string  `json:"availability_source"`
	// SavedMinutesPerYear is the expected downtime one more nine on the entity removes, summed over
	// the critical services.
	SavedMinutesPerYear float64 `json:"saved_minutes_per_year"`
	// Services are the critical services it improves.
	Services []string `json:"services"`
}

// PlatformAvailability is the platform-wide availability part of the analysis.
type PlatformAvailability struct {
	// ImproveFirst ranks the entities by expected downtime removed from critical services by one more
	// nine, most first, then by ID.
	ImproveFirst []Improvement `json:"improve_first" layout:"lines"`
	// Bounded are the services whose availability is bounded rather than exact; the critical ones
	// among them are not counted in ImproveFirst.
	Bounded []string `json:"bounded"`
}

// ServiceFailover is what a service would lose if its unproven failovers failed (--untested-after).
type ServiceFailover struct {
	// UntestedGroups are the unproven redundancy groups the service depends on.
	UntestedGroups []UntestedGroup `json:"untested_groups"`
	// SPOFs are the SPOFs that exist only if those failovers fail, each with the chain by which its
	// failure reaches the service in that view (through the group that did not fail over).
	SPOFs []SPOF `json:"spofs"`
}

// UntestedGroup is a redundancy group whose failover no recent drill proved.
type UntestedGroup struct {
	Entity string `json:"entity"`
	Key    string `json:"key"`
	// Group is the group written compactly, like any_of(pbx-01, pbx-02); Members are its members.
	Group   string   `json:"group"`
	Members []string `json:"members"`
	// Tested is the last drill, null when never.
	Tested *string `json:"tested"`
	File   string  `json:"file"`
	Line   int     `json:"line"`
}

// NewServiceAvailability describes the availability of service s.
func NewServiceAvailability(av *avail.Result, s *avail.Service) *ServiceAvailability {
	inv := av.Res.Inv
	a := round(s.Availability, 1e12)
	lo, hi := a, a
	if s.Method != avail.Exact {
		lo, hi = roundDown(s.Low), roundUp(s.High)
	}
	out := &ServiceAvailability{
		Availability:           a,
		AvailabilityMethod:     s.Method.String(),
		AvailabilityError:      round(max(a-lo, hi-a), 1e12),
		AvailabilityLow:        lo,
		AvailabilityHigh:       hi,
		DowntimeMinutesPerYear: round(s.DowntimeMinutes(), 1e4),
		DefaultsUsed:           inv.IDsOf(s.Assumed()),
		Importance:             []EntityImportance{},
		ExtraNine:              []ExtraNine{},
	}
	if s.BoundedBy != avail.NotBounded {
		cause := s.BoundedBy.String()
		out.AvailabilityBoundedBy = &cause
	}
	if s.SamplingError > 0 {
		e := round(s.SamplingError, 1e12)
		out.AvailabilitySamplingError = &e
	}
	if s.SLO > 0 {
		slo, margin, verdict := s.SLO, round(s.SLOMarginMinutes(), 1e4), s.SLOVerdict()
		out.SLO, out.SLOMarginMinutesPerYear, out.SLOVerdict = &slo, &margin, &verdict
		if met, decided := s.SLOMet(); decided {
			out.SLOMet = &met
		}
	}
	// s.Importance is sorted by unrounded Fussell-Vesely, and rounding keeps that order but makes
	// ties: the ImportanceShown first, and those tied with the last of them, are all that the
	// order of the rounded figures can bring to the front.
	shown := s.Importance
	if n := ImportanceShown; len(shown) > n {
		last := avail.ShownShare(shown[n-1].FussellVesely)
		for n < len(shown) && avail.ShownShare(shown[n].FussellVesely) == last {
			n++
		}
		shown = shown[:n]
	}
	for _, im := range shown {
		e := &inv.Entities[im.Entity]
		out.Importance = append(out.Importance, EntityImportance{
			ID: e.ID, Kind: e.Kind.String(),
			Availability: round(av.Own[im.Entity], 1e12), AvailabilitySource: av.Source[im.Entity].String(),
			Birnbaum: avail.ShownBirnbaum(im.Birnbaum), FussellVesely: avail.ShownShare(im.FussellVesely),
			SavedMinutesPerYear: round(im.SavedMinutes, 1e4),
		})
	}
	sortByShown(out.Importance, func(a, b EntityImportance) int {
		if c := cmp.Compare(b.FussellVesely, a.FussellVesely); c != 0 {
			return c
		}
		return cmp.Compare(b.Birnbaum, a.Birnbaum)
	}, func(x EntityImportance) string { return x.ID })
	out.Importance = out.Importance[:min(len(out.Importance), ImportanceShown)]
	required := round(1-avail.AllowedDependencyUnavailability(s.SLO), 1e12)
	for _, d := range s.ExtraNine() {
		e := &inv.Entities[d.Entity]
		out.ExtraNine = append(out.ExtraNine, ExtraNine{ID: e.ID, Kind: e.Kind.String(),
			Availability: round(av.Own[d.Entity], 1e12), AvailabilitySource: av.Source[d.Entity].String(), Required: required})
	}
	return out
}

// NewPlatformAvailability builds the platform-wide ranking.
func NewPlatformAvailability(av *avail.Result) *PlatformAvailability {
	inv := av.Res.Inv
	out := &PlatformAvailability{ImproveFirst: []Improvement{}, Bounded: inv.IDsOf(av.Bounded())}
	for _, im := range av.ImproveFirst() {
		e := &inv.Entities[im.Entity]
		out.ImproveFirst = append(out.ImproveFirst, Improvement{ID: e.ID, Kind: e.Kind.String(),
			Availability: round(av.Own[im.Entity], 1e12), AvailabilitySource: av.Source[im.Entity].String(),
			SavedMinutesPerYear: round(im.SavedMinutes, 1e4), Services: inv.IDsOf(im.Services)})
	}
	sortByShown(out.ImproveFirst, func(a, b Improvement) int {
		return cmp.Compare(b.SavedMinutesPerYear, a.SavedMinutesPerYear)
	}, func(x Improvement) string { return x.ID })
	return out
}

// sortByShown sorts a ranking again by its rounded figures, then by ID: entities whose figures differ
// only in the last bits (as two routes to the same number may) are shown in ID order on every
// platform.
func sortByShown[T any](xs []T, byFigures func(a, b T) int, id func(T) string) {
	slices.SortStableFunc(xs, func(a, b T) int {
		if c := byFigures(a, b); c != 0 {
			return c
		}
		return strings.Compare(id(a), id(b))
	})
}

// NewServiceFailover describes what service s loses if its unproven failovers fail.
func NewServiceFailover(f *avail.Failover, s int32) *ServiceFailover {
	inv := f.Res.Inv
	out := &ServiceFailover{UntestedGroups: []UntestedGroup{}, SPOFs: []SPOF{}}
	for _, g := range f.GroupsOf(s) {
		ug := UntestedGroup{Entity: inv.ID(g.Entity), Key: g.Key, Group: memberLabel(inv, g.Group), Members: []string{},
			File: g.Group.Pos.File, Line: g.Group.Pos.Line}
		for _, m := range g.Group.Members {
			ug.Members = append(ug.Members, memberLabel(inv, m))
		}
		if g.Group.Tested != "" {
			t := g.Group.Tested
			ug.Tested = &t
		}
		out.UntestedGroups = append(out.UntestedGroups, ug)
	}
	for _, x := range f.SPOFs(s) {
		out.SPOFs = append(out.SPOFs, SPOF{ID: inv.ID(x), Kind: inv.Entities[x].Kind.String(), Path: inv.IDsOf(f.Chain(s, x))})
	}
	return out
}

// memberLabel writes a group member compactly: an ID, or a nested group as any_of(a, b).
func memberLabel(inv *model.Inventory, r *model.Req) string {
	if r.Op == model.Need {
		return inv.ID(r.Entity)
	}
	parts := make([]string, len(r.Members))
	for i, m := range r.Members {
		parts[i] = memberLabel(inv, m)
	}
	list := strings.Join(parts, ", ")
	switch r.Op {
	case model.AnyOf:
		return "any_of(" + list + ")"
	case model.AtLeast:
		return fmt.Sprintf("at_least %d of (%s)", r.K, list)
	}
	return "all_of(" + list + ")"
}

// addAvailability fills the availability parts of a from the options.
func addAvailability(a *Analysis, opts Options) {
	if opts.Avail != nil {
		a.PlatformAvailability = NewPlatformAvailability(opts.Avail)
	}
	if opts.Failover != nil {
		a.TestedCutoff = opts.Failover.Cutoff
	}
}

// describe describes service s with what opts asks for: its exposure, and its availability and
// failover figures when computed.
func describe(res *analysis.Result, s int32, opts Options) Service {
	out, _ := describeSome(res, s, opts, -1)
	return out
}

// describeSome is describe spelling out only the first keep larger cut sets (see newService).
func describeSome(res *analysis.Result, s int32, opts Options, keep int) (Service, int) {
	out, larger := newService(res, s, opts.MaxCutSets, keep, opts.Paths)
	if opts.Avail != nil {
		if as, ok := opts.Avail.Service(s); ok {
			out.ServiceAvailability = NewServiceAvailability(opts.Avail, as)
		}
	}
	if opts.Failover != nil {
		out.Failover = NewServiceFailover(opts.Failover, s)
	}
	return out, larger
}

// round rounds x to the nearest multiple of 1/scale.
func round(x, scale float64) float64 { return math.Round(x*scale) / scale }

// roundDown and roundUp round an end of a guaranteed interval outwards to a multiple of 1e-12,
// allowing for the rounding errors of the computation (far below 1e-15), so that the printed
// interval contains every availability the computed one does.
func roundDown(x float64) float64 { return max(0, math.Floor(x*1e12-1e-3)/1e12) }

func roundUp(x float64) float64 { return min(1, math.Ceil(x*1e12+1e-3)/1e12) }
